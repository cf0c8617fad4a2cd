import ModImgQueue

/// `/jobs`: one page of every mod's jobs, newest first unless asked otherwise, filtered by
/// state, kind and mod as `/api/jobs` and `jobs` filter them, with the link to the next page.
struct JobsPage {
    let page: Page<JobSummary>
    let request: PageRequest
    let form: JobFilterForm

    var html: HTML {
        let next = page.next.map { _ in Links.path("/jobs", form.parameters + PageQuery.next(after: page, request)) }
        let start = request.cursor == nil ? nil : Links.path("/jobs", form.parameters + [("oldest_first", request.oldestFirst ? "1" : nil)])
        return Layout.page(
            title: "jobs", heading: "jobs", live: true,
            """
            <h1>Jobs\(description), \(request.oldestFirst ? "oldest" : "newest") first</h1>
            \(form.html)
            \(JobRows.table(page.items, showMod: true))
            \(Pager.links(start: start, next: next, nextLabel: "\(request.oldestFirst ? "newer" : "older") jobs"))
            """)
    }

    /// " failed, upload, of alpha" for what the filters keep.
    private var description: HTML {
        let f = form.filters
        let parts = [f.state?.rawValue, f.kind?.rawValue].compactMap { $0 }
        let mod: HTML = f.mod.map { " of <a href=\"\(Links.mod($0))\">\($0)</a>" } ?? ""
        return (parts.isEmpty ? "" : HTML(text: ": " + parts.joined(separator: ", "))) + mod
    }
}

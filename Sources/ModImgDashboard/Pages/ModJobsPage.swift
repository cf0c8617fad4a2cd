import ModImgQueue

/// `/mods/<mod>/jobs`: one page of the mod's jobs, newest first unless asked otherwise, with the
/// link to the next page.
struct ModJobsPage {
    let mod: String
    let page: Page<JobSummary>
    let request: PageRequest

    var html: HTML {
        let heading: HTML = "<a href=\"\(Links.mod(mod))\">\(mod)</a> <span class=\"sep\">/</span> jobs"
        let next = page.next.map { _ in Links.path(Links.modJobs(mod), PageQuery.next(after: page, request)) }
        let start = request.cursor == nil ? nil : Links.path(Links.modJobs(mod), [("oldest_first", request.oldestFirst ? "1" : nil)])
        return Layout.page(
            title: "\(mod) jobs", heading: heading, live: true,
            """
            <h1>Jobs of \(mod), \(request.oldestFirst ? "oldest" : "newest") first</h1>
            \(JobRows.table(page.items, showMod: false))
            \(Pager.links(start: start, next: next, nextLabel: request.oldestFirst ? "newer jobs" : "older jobs"))
            """)
    }
}

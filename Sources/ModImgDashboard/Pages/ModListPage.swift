import ModImgQueue

/// `/mods/<mod>/jobs` and `/mods/<mod>/history`: one page of one of the mod's lists, newest first
/// unless asked otherwise, with the link to the next page.
struct ModListPage<Item: Sendable> {
    let mod: String
    let page: Page<Item>
    let request: PageRequest
    /// The list's last path segment, and its heading's noun ("jobs", "uploads").
    let list: String
    let noun: String
    let link: String
    let table: HTML
    /// The jobs list's filter form; its choices are kept in the next links.
    var form: JobFilterForm?

    var html: HTML {
        let heading: HTML = "<a href=\"\(Links.mod(mod))\">\(mod)</a> <span class=\"sep\">/</span> \(list)"
        let kept = form?.parameters ?? []
        let next = page.next.map { _ in Links.path(link, kept + PageQuery.next(after: page, request)) }
        let start = request.cursor == nil ? nil : Links.path(link, kept + [("oldest_first", request.oldestFirst ? "1" : nil)])
        return Layout.page(
            title: "\(mod) \(list)", heading: heading, live: true,
            """
            <h1>\(noun.prefix(1).uppercased() + noun.dropFirst()) of \(mod), \(request.oldestFirst ? "oldest" : "newest") first</h1>
            \(form?.html ?? "")
            \(table)
            \(Pager.links(start: start, next: next, nextLabel: "\(request.oldestFirst ? "newer" : "older") \(noun)"))
            """)
    }
}

extension ModListPage where Item == JobSummary {
    init(jobsOf mod: String, page: Page<JobSummary>, request: PageRequest, filters: JobFilterQuery.Filters = .init()) {
        self.init(
            mod: mod, page: page, request: request, list: "jobs", noun: "jobs", link: Links.modJobs(mod),
            table: JobRows.table(page.items, showMod: false),
            form: JobFilterForm(action: Links.modJobs(mod), filters: filters, choosesMod: false))
    }
}

extension ModListPage where Item == HistoryEntry {
    init(historyOf mod: String, page: Page<HistoryEntry>, request: PageRequest) {
        self.init(
            mod: mod, page: page, request: request, list: "history", noun: "uploads", link: Links.modHistory(mod),
            table: HistoryRows.table(page.items))
    }
}

import ModImgQueue

/// `/mods/<mod>/history`: one page of the mod's upload history, newest first unless asked
/// otherwise, with the link to the next page.
struct ModHistoryPage {
    let mod: String
    let page: Page<HistoryEntry>
    let request: PageRequest

    var html: HTML {
        let heading: HTML = "<a href=\"\(Links.mod(mod))\">\(mod)</a> <span class=\"sep\">/</span> history"
        let next = page.next.map { _ in Links.path(Links.modHistory(mod), PageQuery.next(after: page, request)) }
        let start = request.cursor == nil ? nil : Links.path(Links.modHistory(mod), [("oldest_first", request.oldestFirst ? "1" : nil)])
        return Layout.page(
            title: "\(mod) history", heading: heading, live: true,
            """
            <h1>Uploads of \(mod), \(request.oldestFirst ? "oldest" : "newest") first</h1>
            \(HistoryRows.table(page.items))
            \(Pager.links(start: start, next: next, nextLabel: request.oldestFirst ? "newer uploads" : "older uploads"))
            """)
    }
}

import ModImgQueue

/// The GET form above a jobs list: state, kind and (on `/jobs`) mod; its choices are kept in
/// the list's next links.
struct JobFilterForm {
    /// The page the form asks again.
    let action: String
    let filters: JobFilterQuery.Filters
    /// Whether the mod is chosen here (`/jobs`) or by the page (`/mods/<mod>/jobs`).
    let choosesMod: Bool

    /// The filters as query parameters, those not given left out.
    var parameters: [(String, String?)] {
        [("state", filters.state?.rawValue), ("kind", filters.kind?.rawValue)] + (choosesMod ? [("mod", filters.mod)] : [])
    }

    var html: HTML {
        let states: [HTML] = JobState.allCases.map { option($0.rawValue, selected: filters.state == $0) }
        let kinds: [HTML] = JobKind.allCases.map { option($0.rawValue, selected: filters.kind == $0) }
        let mod: HTML = choosesMod ? "<label>mod <input type=\"search\" name=\"mod\" value=\"\(filters.mod ?? "")\"></label>" : ""
        let clear: HTML = parameters.contains { $0.1 != nil } ? " <a href=\"\(action)\">clear</a>" : ""
        return """
            <form class="find" method="get" action="\(action)">\(mod)\
            <label>state <select name="state"><option value="">any</option>\(states)</select></label>\
            <label>kind <select name="kind"><option value="">any</option>\(kinds)</select></label>\
            <button>Filter</button>\(clear)</form>
            """
    }

    private func option(_ value: String, selected: Bool) -> HTML {
        "<option\(selected ? HTML(" selected") : "")>\(value)</option>"
    }
}

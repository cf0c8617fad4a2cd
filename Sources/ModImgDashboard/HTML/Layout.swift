import ModImgQueue
/// The page around every page's content: a little inline CSS, no external assets, readable on
/// a phone. With `live`, an inline script refetches the page's `<main>` when `/events` says the
/// database changed (every page is one bounded page of its list, so this re-renders only what
/// is shown); without JavaScript, `<noscript>` reloads the page every 10 seconds instead.
enum Layout {
    static func page(title: String, heading: HTML, live: Bool, _ content: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · modimg-queue</title>
        <style>\(style)</style>
        \(live ? noscriptReload : "")
        </head>
        <body>
        <header><a class="home" href="/">modimg-queue</a> <span class="sep">/</span> \(heading)</header>
        <main id="main">
        \(content)
        </main>
        \(live ? liveScript : "")
        </body>
        </html>

        """
    }

    private static let noscriptReload: HTML = "<noscript><meta http-equiv=\"refresh\" content=\"10\"></noscript>"

    /// Each change refetches this very address (the page shown, never a longer one) at most
    /// twice a second, and not while the tab is hidden (once, when it shows again).
    private static let liveScript: HTML = """
        <script>
        (function () {
          if (!window.EventSource || !window.fetch) return;
          var busy = false, again = false, missed = false;
          function refresh() {
            // Not while the page holds an edit not sent yet (a dragged order, chosen files).
            if (document.hidden || document.querySelector("[data-draft]")) { missed = true; return; }
            if (busy) { again = true; return; }
            busy = true;
            fetch(location.href, {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (text) {
              var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("main");
              var shown = document.getElementById("main");
              if (fresh && fresh.innerHTML !== shown.innerHTML) shown.replaceWith(fresh);
            }).finally(function () {
              setTimeout(function () { busy = false; if (again) { again = false; refresh(); } }, 500);
            });
          }
          document.addEventListener("visibilitychange", function () {
            if (!document.hidden && missed) { missed = false; refresh(); }
          });
          new EventSource("/events").addEventListener("change", refresh);
        })();
        </script>
        """

    private static let style: HTML = """
        :root{color-scheme:light dark;--fg:#1d1f21;--muted:#666;--line:#d8dbe0;--card:#f6f7f9;--ok:#2e8540;--bad:#c62828;--warn:#b26a00;--accent:#2f5fb3}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--muted:#9aa0a6;--line:#3a3f45;--card:#23272c;--accent:#8ab4f8}}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg)}
        header{padding:12px 16px;border-bottom:1px solid var(--line);font-weight:600}
        header .home{color:var(--accent);text-decoration:none}
        header .sep{color:var(--muted)}
        main{padding:16px;max-width:1100px;margin:0 auto}
        h1{font-size:1.35em;margin:.2em 0 .6em}h2{font-size:1.1em;margin:1.6em 0 .5em}
        a{color:var(--accent)}
        .facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(110px,1fr));gap:8px;margin:0 0 12px}
        .fact{background:var(--card);border-radius:8px;padding:8px 10px}
        .fact b{display:block;font-size:1.4em}
        .fact span{color:var(--muted);font-size:.85em}
        .notice{border-left:4px solid var(--warn);background:var(--card);padding:8px 12px;margin:8px 0;border-radius:4px}
        .notice.bad{border-color:var(--bad)}
        .scroll{overflow-x:auto}
        .scroll td.mono{min-width:16ch}
        table{border-collapse:collapse;width:100%;font-size:.92em}
        th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
        th{color:var(--muted);font-weight:600;white-space:nowrap}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        td.time{white-space:nowrap;font-variant-numeric:tabular-nums}
        code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;overflow-wrap:anywhere}
        .bar{background:var(--line);border-radius:4px;height:8px;min-width:80px;overflow:hidden}
        .bar i{display:block;height:100%;background:var(--ok)}
        .bad{color:var(--bad)}
        .muted{color:var(--muted)}
        .gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px;list-style:none;padding:0;margin:0}
        .gallery li{background:var(--card);border:2px solid transparent;border-radius:8px;padding:6px;min-width:0}
        .gallery li.failed{border-color:var(--bad)}
        .gallery li.queued,.gallery li.added{border-style:dashed;border-color:var(--warn)}
        .thumb{display:flex;align-items:center;justify-content:center;aspect-ratio:16/10;background:#0002;border-radius:4px;overflow:hidden}
        .thumb img{width:100%;height:100%;object-fit:cover;image-rendering:auto}
        .thumb .none{color:var(--muted);font-size:.85em;padding:8px;text-align:center}
        .gallery .pos{font-weight:700;margin-right:4px}
        .gallery .cap{font-size:.85em;margin-top:6px;overflow-wrap:anywhere}
        .state{display:inline-block;font-size:.78em;padding:1px 6px;border-radius:10px;background:var(--line)}
        .state.uploaded,.state.done{background:#2e854033;color:var(--ok)}
        .state.failed{background:#c6282833;color:var(--bad)}
        .state.queued,.state.added{background:#b26a0033;color:var(--warn)}
        .reason{color:var(--bad);font-size:.85em;margin-top:4px;overflow-wrap:anywhere}
        .pager{margin:10px 0;color:var(--muted)}
        .actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0 12px}.actions form{margin:0}
        .actions button{font:inherit;min-height:40px;padding:6px 14px;border:1px solid var(--accent);border-radius:6px;background:var(--card);color:var(--accent);cursor:pointer;text-align:left}
        .actions button:hover{background:var(--line)}
        .actions button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
        code.nowrap{white-space:nowrap}
        .small{font-size:.85em}
        .find{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:end;margin:0 0 10px}
        .find label{display:flex;flex-direction:column;font-size:.85em;color:var(--muted)}
        .find input,.find select,.find button{font:inherit;padding:4px 6px}
        .run .bar{height:10px;margin:4px 0}
        .chart{margin:8px 0}
        .chart svg{display:block;width:100%;height:120px;background:var(--card);border-radius:6px}
        .chart .axis{stroke:var(--line)}
        .chart rect.done,.key.done{fill:var(--ok);background:var(--ok)}
        .chart rect.failed,.key.failed{fill:var(--bad);background:var(--bad)}
        .chart rect.requests,.key.requests{fill:var(--accent,#2b6cb0);background:var(--accent,#2b6cb0)}
        .chart.requests svg{height:60px}
        .chart figcaption{display:flex;justify-content:space-between;gap:8px;color:var(--muted);font-size:.8em}
        .key{display:inline-block;width:.8em;height:.8em;border-radius:2px;vertical-align:middle}
        .gallery .local{font-size:.85em}
        .gallery li.leaving{opacity:.45;filter:grayscale(1);border-style:dotted;border-color:var(--muted)}
        .state.leaving{background:#66666633;color:var(--muted)}
        .gallery .edit{display:flex;gap:4px;margin-top:6px}.gallery .edit button{font:inherit;padding:2px 8px}
        #gallery-add input[type=number]{width:5em}
        .gallery li[draggable=true]{cursor:grab}.gallery li.dragging{opacity:.4}.gallery li.drop{border-color:var(--accent)}
        @media (max-width:640px){
        table.mods thead{display:none}
        table.mods,table.mods tbody{display:block}
        table.mods tr{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:2px 10px;border:1px solid var(--line);border-radius:8px;padding:6px 8px;margin:0 0 10px}
        table.mods td{border:0;padding:2px 0;min-width:0;overflow-wrap:anywhere}
        table.mods td::before{content:attr(data-label);display:block;color:var(--muted);font-size:.78em}
        table.mods td.name,table.mods td.progress,table.mods td.cause{grid-column:1/-1}
        table.mods td.num{text-align:left}
        }
        """
}

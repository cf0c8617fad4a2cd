import ModImgQueue

/// What JavaScript adds to the gallery's forms (`GalleryEditForms`), which work without it:
/// thumbnails dragged onto another move before it (after it, past its middle), the hidden
/// `order` field following, and "Save order" posts it; image files dropped on the gallery fill
/// the add form, at the position of the thumbnail they land on (the end elsewhere), and post it.
/// Listeners sit on the document, so a page refreshed live keeps them; a form marked
/// `data-draft` holds the live refresh off until it is sent.
enum GalleryScript {
    static let html: HTML = """
        <script>
        (function () {
          var dragged = null;
          function editor(node) { return node && node.closest ? node.closest("#\(GalleryEditForms.orderID)") : null; }
          function staying(form) { return Array.prototype.slice.call(form.querySelectorAll("li[data-image-id]:not(.leaving)")); }
          function hasFiles(event) { return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0; }
          function drafted(form) {
            form.elements.order.value = staying(form).map(function (li) { return li.getAttribute("data-image-id"); }).join(",");
            form.setAttribute("data-draft", "");
            form.querySelectorAll("li[data-image-id] .pos").forEach(function (pos, index) { pos.textContent = index + 1; });
          }
          document.addEventListener("dragstart", function (event) {
            var li = editor(event.target) && event.target.closest("li[draggable=true]");
            if (!li) return;
            dragged = li;
            event.dataTransfer.effectAllowed = "move";
            event.dataTransfer.setData("text/plain", li.getAttribute("data-image-id"));
            li.classList.add("dragging");
          });
          document.addEventListener("dragend", function () {
            if (dragged) dragged.classList.remove("dragging");
            dragged = null;
          });
          document.addEventListener("dragover", function (event) {
            if (!editor(event.target) || !(dragged || hasFiles(event))) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = dragged ? "move" : "copy";
          });
          document.addEventListener("drop", function (event) {
            var form = editor(event.target);
            if (!form) return;
            event.preventDefault();
            var target = event.target.closest("li[data-image-id]");
            if (dragged) {
              var list = form.querySelector("ol.gallery");
              if (target && target !== dragged) {
                var box = target.getBoundingClientRect();
                list.insertBefore(dragged, event.clientX - box.left > box.width / 2 ? target.nextSibling : target);
              } else if (!target) {
                list.appendChild(dragged);
              }
              drafted(form);
              return;
            }
            if (!hasFiles(event)) return;
            var add = document.getElementById("\(GalleryEditForms.addID)");
            add.elements.files.files = event.dataTransfer.files;
            var at = target ? staying(form).indexOf(target) : -1;
            add.elements.position.value = at >= 0 ? String(at + 1) : "";
            add.setAttribute("data-draft", "");
            add.submit();
          });
          document.addEventListener("change", function (event) {
            if (event.target.form && event.target.form.id === "\(GalleryEditForms.addID)") event.target.form.setAttribute("data-draft", "");
          });
        })();
        </script>
        """
}

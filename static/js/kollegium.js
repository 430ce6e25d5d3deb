// Every page: wide tables scroll in their own box, and a box that scrolls can be reached
// with the keyboard (it gets a tab stop and a name only while it really scrolls).
(function () {
  "use strict";

  function wrapProseTables() {
    document.querySelectorAll(".prose table").forEach(function (table) {
      if (table.parentElement.classList.contains("table-scroll")) return;
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  function markScrollingBoxes() {
    document.querySelectorAll(".table-scroll, .insights-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption, title");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    wrapProseTables();
    markScrollingBoxes();
    window.addEventListener("resize", markScrollingBoxes);
  });
})();

// Live preview for the wiki editor: the page works without it (the preview stays hidden).
(function () {
  "use strict";
  const form = document.querySelector("form.wiki-editor");
  if (!form) return;
  const body = form.querySelector("textarea[name=body]");
  const space = form.querySelector("select[name=space_id]");
  const box = form.querySelector(".wiki-preview-box");
  const target = form.querySelector(".wiki-preview");
  const token = form.querySelector("input[name=csrf_token]");
  if (!body || !box || !target || !token) return;
  box.hidden = false;
  let timer = null;
  let latest = 0;

  async function refresh() {
    const request = ++latest;
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token.value },
        body: JSON.stringify({ body: body.value, space_id: space ? Number(space.value) || null : null }),
      });
      if (!response.ok || request !== latest) return;
      const data = await response.json();
      // The server sanitised this HTML with the same function that renders saved pages.
      target.innerHTML = data.html;
    } catch (err) {
      // Offline or server error: the preview simply stays as it was.
    }
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  refresh();
})();

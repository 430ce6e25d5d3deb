// The stream: announce new posts without reloading, and suggest colleagues after "@".
// The pages work without this file; it only adds to them.
(function () {
  "use strict";

  // --- new posts: poll a small JSON endpoint (works with sync workers) ---------------------
  function watchForNewPosts(section) {
    var url = section.dataset.updates;
    var since = section.dataset.since;
    var seconds = parseInt(section.dataset.pollSeconds || "15", 10);
    var box = section.querySelector(".new-posts");
    if (!url || !since || !box) return;

    function show(count) {
      box.textContent = "";
      if (!count) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-info";
      var template = count === 1 ? box.dataset.one : box.dataset.many;
      button.textContent = (template || "{n} new posts — show").replace("{n}", count);
      button.addEventListener("click", function () { window.location.reload(); });
      box.appendChild(button);
    }

    function poll() {
      if (document.hidden) return;
      fetch(url + "&since=" + encodeURIComponent(since), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) show(data.count); })
        .catch(function () { /* offline for a moment: the next poll tries again */ });
    }

    window.setInterval(poll, Math.max(seconds, 5) * 1000);
    section.addEventListener("stream:poll", poll); // lets tests ask at once
  }

  // --- @mention suggestions: an accessible listbox ------------------------------------------
  function suggestMentions(textarea) {
    var url = textarea.dataset.mentions;
    var listbox = document.createElement("ul");
    listbox.id = textarea.id + "-suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", textarea.dataset.mentionsLabel || "Colleagues");
    listbox.className = "list-group position-absolute w-100 shadow-sm mention-suggestions";
    listbox.style.zIndex = "10";
    listbox.hidden = true;
    textarea.parentNode.appendChild(listbox);
    textarea.setAttribute("aria-controls", listbox.id);
    var items = [];
    var active = -1;
    var request = 0;

    function currentWord() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = /(^|\s)@([^\s@]{1,40})$/.exec(before);
      return match ? match[2] : null;
    }

    function close() {
      listbox.hidden = true;
      listbox.textContent = "";
      items = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (item, i) {
        var option = listbox.children[i];
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        option.classList.toggle("active", i === index);
      });
      active = index;
      if (index >= 0) textarea.setAttribute("aria-activedescendant", listbox.children[index].id);
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret).replace(/@[^\s@]*$/, "@" + item.username + " ");
      textarea.value = before + textarea.value.slice(caret);
      textarea.setSelectionRange(before.length, before.length);
      close();
      textarea.focus();
    }

    function render(found) {
      listbox.textContent = "";
      items = found;
      if (!found.length) { close(); return; }
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + i;
        option.setAttribute("role", "option");
        option.className = "list-group-item list-group-item-action";
        option.textContent = item.display_name + " (@" + item.username + ")" +
          (item.skill ? " · " + item.skill : "");
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        listbox.appendChild(option);
      });
      listbox.hidden = false;
      highlight(0);
    }

    textarea.addEventListener("input", function () {
      var word = currentWord();
      if (!word) { close(); return; }
      var mine = ++request;
      fetch(url + "?q=" + encodeURIComponent(word), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (data) { if (mine === request) render(data.items || []); })
        .catch(function () { close(); });
    });
    textarea.addEventListener("keydown", function (event) {
      if (listbox.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" || event.key === "Tab") { if (active >= 0) { event.preventDefault(); choose(active); } }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    textarea.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  // --- the composer: a live counter, and errors shown in place ------------------------------
  // Characters count as the server counts them: code points after NFC composition.
  function visibleLength(text) { return Array.from(text.normalize("NFC")).length; }

  function improveComposer(form) {
    var textarea = form.querySelector("textarea[name=body]");
    var counter = form.querySelector(".k-counter");
    var error = form.querySelector(".compose-error");
    var files = form.querySelector("input[type=file]");
    var max = parseInt(form.dataset.maxLength || "0", 10);
    var maxFiles = parseInt(form.dataset.maxFiles || "4", 10);
    if (!textarea || !counter || !error || !max) return;
    // The field holds the limit in code points (the counter), not in UTF-16 units as the
    // maxlength attribute would: an emoji counts once, as on the server.
    textarea.removeAttribute("maxlength");

    function count() {
      var used = visibleLength(textarea.value.trim());
      var over = used - max;
      counter.textContent = over > 0
        ? counter.dataset.over.replace("{n}", over)
        : counter.dataset.template.replace("{n}", used);
      counter.classList.toggle("is-over", over > 0);
      textarea.setAttribute("aria-invalid", over > 0 ? "true" : "false");
      return over;
    }

    function showError(message) {
      error.textContent = message;
      error.hidden = !message;
      if (message) textarea.setAttribute("aria-describedby", error.id + " " + textarea.getAttribute("aria-describedby"));
    }

    textarea.addEventListener("input", function () { count(); if (!error.hidden) showError(""); });
    count();

    form.addEventListener("submit", function (event) {
      if (count() > 0) {
        event.preventDefault();
        showError(counter.textContent);
        textarea.focus();
        return;
      }
      if (files && files.files.length > maxFiles) {
        event.preventDefault();
        showError(error.dataset.tooManyFiles);
        files.focus();
        return;
      }
      // Send in the background: when the server refuses, its reason appears here and the
      // text and the chosen files stay in the form.
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Composer": "1" },
      })
        .then(function (response) {
          if (response.ok) {
            return response.json().then(function (data) { window.location.assign(data.url); });
          }
          return response.text().then(function (html) {
            var page = new DOMParser().parseFromString(html, "text/html");
            var reason = page.querySelector(".alert-danger");
            showError(reason ? reason.textContent.trim() : error.dataset.failed);
            textarea.focus();
          });
        })
        .catch(function () { showError(error.dataset.failed); })
        .then(function () { if (button) button.disabled = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.getElementById("stream");
    if (section) watchForNewPosts(section);
    document.querySelectorAll("textarea[data-mentions]").forEach(suggestMentions);
    document.querySelectorAll("form.compose[data-max-length]").forEach(improveComposer);
  });
})();

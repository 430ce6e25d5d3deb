// Profiles: "add a row" for the repeatable parts of the edit form, and skill autocomplete.
// The pages work without this file: the form always offers blank rows.
(function () {
  "use strict";

  // Copy the last row of a fieldset, renumbering "skills-3-name" to "skills-4-name".
  function addRow(fieldset) {
    var rows = fieldset.querySelectorAll(".repeat-row");
    var last = rows[rows.length - 1];
    if (!last) { return; }
    var copy = last.cloneNode(true);
    var prefix = fieldset.dataset.rows;
    var pattern = new RegExp("^" + prefix + "-(\\d+)-");
    copy.querySelectorAll("input, select, label, div[id]").forEach(function (element) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (!value) { return; }
        element.setAttribute(attribute, value.replace(pattern, function (_match, number) {
          return prefix + "-" + (Number(number) + 1) + "-";
        }));
      });
      if (element.tagName === "INPUT") { element.value = ""; }
      element.classList.remove("is-invalid");
    });
    copy.querySelectorAll(".invalid-feedback").forEach(function (element) { element.remove(); });
    last.after(copy);
    var first = copy.querySelector("input, select");
    if (first) { first.focus(); }
    attachAutocomplete(copy);
  }

  var listCounter = 0;

  // Offer existing skills through a <datalist>, filled from /people/skills.json.
  function attachAutocomplete(root) {
    var source = document.querySelector("[data-skill-source]");
    var url = source ? source.dataset.skillSource : null;
    root.querySelectorAll("input.skill-name, input[data-skill-autocomplete]").forEach(function (input) {
      var endpoint = input.dataset.skillAutocomplete || url;
      if (!endpoint || input.dataset.autocompleteReady) { return; }
      input.dataset.autocompleteReady = "1";
      var list = document.createElement("datalist");
      list.id = "skill-suggestions-" + (listCounter += 1);
      input.after(list);
      input.setAttribute("list", list.id);
      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        var query = input.value.trim();
        if (query.length < 2) { return; }
        timer = setTimeout(function () {
          fetch(endpoint + "?q=" + encodeURIComponent(query), {credentials: "same-origin"})
            .then(function (response) { return response.ok ? response.json() : []; })
            .then(function (skills) {
              list.replaceChildren();
              skills.forEach(function (skill) {
                var option = document.createElement("option");
                option.value = skill.name;
                list.appendChild(option);
              });
            })
            .catch(function () { /* suggestions are a convenience; typing still works */ });
        }, 200);
      });
    });
  }

  document.querySelectorAll("fieldset[data-rows]").forEach(function (fieldset) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-secondary";
    button.textContent = fieldset.dataset.addLabel || "+";
    button.addEventListener("click", function () { addRow(fieldset); });
    fieldset.appendChild(button);
  });
  attachAutocomplete(document);
})();

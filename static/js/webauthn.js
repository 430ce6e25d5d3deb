// Security keys and passkeys: registering one (settings) and signing in with one (second
// step of signing in), through the browser's WebAuthn interface. Without this file, or
// without WebAuthn, the pages still offer codes.
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.message || response.statusText); }
        return data;
      });
    });
  }

  function supported() {
    return window.PublicKeyCredential &&
      typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function";
  }

  function showError(container, message) {
    var box = container.querySelector("[data-webauthn-error]");
    if (!box) { return; }
    if (message) { box.textContent = message; }
    box.hidden = false;
  }

  function register(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!supported()) { showError(form); return; }
      var name = form.querySelector("[name=name]").value;
      post(form.dataset.optionsUrl).then(function (data) {
        var options = PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(data.options));
        return navigator.credentials.create({ publicKey: options }).then(function (credential) {
          return post(form.dataset.registerUrl, {
            handle: data.handle, name: name, credential: JSON.stringify(credential.toJSON()),
          });
        });
      }).then(function () {
        window.location.reload();
      }).catch(function (error) {
        showError(form, error && error.name === "NotAllowedError" ? null : error.message);
      });
    });
  }

  function signIn(section) {
    var button = section.querySelector("[data-webauthn-start]");
    button.addEventListener("click", function () {
      if (!supported()) { showError(section); return; }
      post(section.dataset.optionsUrl).then(function (data) {
        var options = PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(data.options));
        return navigator.credentials.get({ publicKey: options }).then(function (credential) {
          return post(section.dataset.verifyUrl, {
            handle: data.handle, credential: JSON.stringify(credential.toJSON()),
          });
        });
      }).then(function (data) {
        window.location.assign(data.next);
      }).catch(function () {
        showError(section);
      });
    });
  }

  document.querySelectorAll("[data-webauthn-register]").forEach(register);
  document.querySelectorAll("[data-webauthn-sign-in]").forEach(signIn);
})();

// Single sign-on with SAML: the identity provider's answer, posted once more from our own
// page so that the browser sends the session cookie along (see accounts/sso_views.py).
// Without JavaScript the person presses "Continue signing in".
(function () {
  "use strict";
  var form = document.getElementById("saml-continue");
  if (form) {
    form.submit();
  }
})();

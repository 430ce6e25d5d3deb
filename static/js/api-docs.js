// Starts Swagger UI on the API reference page (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  if (!target || typeof SwaggerUIBundle !== "function") {
    return;
  }
  SwaggerUIBundle({
    url: target.dataset.specUrl,
    domNode: target,
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
  });
})();

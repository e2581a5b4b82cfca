// Starts Swagger UI on the API's documentation page (intake/api_docs.html). The settings come
// from data attributes, never from an inline script, so a strict Content-Security-Policy holds.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
  });
})();

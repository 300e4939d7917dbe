// Starts Swagger UI on /docs from the packaged bundle (no inline script, no CDN).
// Deep links are off: Swagger UI puts each operation's deep link inside the operation's
// button (a link in a button, WCAG 4.1.2; a 19 px target, 2.5.8). What it draws without a
// name or keyboard access gets them here: the copy buttons and the request body (4.1.2), the
// scrolling curl and code boxes (2.1.1). Each found by axe-core (issue 14).
var NAMES = [
  [".copy-to-clipboard > button", "aria-label", "Copy to clipboard"],
  ["textarea.body-param__text", "aria-label", "Request body"],
  ["pre.curl, pre.microlight", "tabindex", "0"]
];

function nameWhatSwaggerDraws(root) {
  NAMES.forEach(function (rule) {
    root.querySelectorAll(rule[0]).forEach(function (element) {
      if (!element.hasAttribute(rule[1])) {
        element.setAttribute(rule[1], rule[2]);
      }
    });
  });
}

window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    deepLinking: false,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout"
  });
  new MutationObserver(function () {
    nameWhatSwaggerDraws(root);
  }).observe(root, { childList: true, subtree: true });
});

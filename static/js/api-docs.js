/*
 * /api/docs/: render the OpenAPI document named by #swagger-ui's
 * data-spec with Swagger UI (static/vendor/swagger-ui/, from npm).
 */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
	var el = document.getElementById("swagger-ui");

	if (el === null || typeof window.SwaggerUIBundle !== "function")
		return;
	window.SwaggerUIBundle({
		url: el.getAttribute("data-spec"),
		domNode: el,
		deepLinking: false,
		onComplete: function () {
			/* Swagger UI's server menu has no label of its own. */
			var servers = document.getElementById("servers");

			if (servers !== null &&
			    !servers.hasAttribute("aria-label"))
				servers.setAttribute("aria-label", "Server");
		}
	});
});

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
		deepLinking: false
	});
});

/*
 * /api/docs/: render the OpenAPI document named by #swagger-ui's
 * data-spec with Swagger UI (static/vendor/swagger-ui/, from npm).
 *
 * Swagger UI draws an operation only when it is opened, and leaves some
 * of it unnamed for a screen reader or out of reach of the keyboard; a
 * MutationObserver mends what it draws, as it draws it (the page must
 * pass axe, expanded operations too: tests/e2e/api_docs.test.mjs):
 *   - a <select>, <input> or <textarea> with no name gets an aria-label
 *     (a parameter's enum menu: the parameter's name; the request body);
 *   - a code block (examples, responses, the curl command), which
 *     scrolls, gets tabindex="0", role="region" and an aria-label that
 *     says what it holds and for which operation.
 * Only attributes are added: Swagger UI's markup is otherwise its own.
 */
"use strict";

/* What an operation's parts are called: "GET /api/v1/articles". */
function apiDocsOperation(el) {
	var op = el.closest(".opblock"), method, path;

	if (op === null)
		return "";
	method = op.querySelector(".opblock-summary-method");
	path = op.querySelector(".opblock-summary-path");
	if (method === null || path === null)
		return "";
	return method.textContent.trim() + " " +
	    (path.getAttribute("data-path") || path.textContent.trim());
}

/* Whether el has a name already: a <label> counts only with words of its
 * own (Swagger UI wraps the server menu in an empty one). */
function apiDocsLabelled(el) {
	var i, text;

	if (el.hasAttribute("aria-label") ||
	    el.hasAttribute("aria-labelledby") ||
	    (el.getAttribute("title") || "").trim() !== "" ||
	    (el.getAttribute("placeholder") || "").trim() !== "")
		return true;
	for (i = 0; el.labels && i < el.labels.length; i++) {
		text = el.labels[i].textContent.replace(el.textContent, "");
		if (text.trim() !== "")
			return true;
	}
	return false;
}

/* A form control's name, from where Swagger UI put it. */
function apiDocsControlName(el) {
	var param = el.closest("tr[data-param-name]");

	if (el.id === "servers")
		return "Server";
	if (param !== null)
		return param.getAttribute("data-param-name") + " (" +
		    (param.getAttribute("data-param-in") || "parameter") + ")";
	if (el.closest(".body-param") !== null)
		return "Request body";
	return "";
}

/* A code block's name: the heading just before it (Swagger UI's
 * "Response body", "Request URL"), or what its class says. */
function apiDocsCodeName(pre) {
	var box = pre.parentElement, head, what, response, op;

	head = pre.previousElementSibling;
	if ((head === null || !/^H[1-6]$/.test(head.tagName)) &&
	    box !== null && box.classList.contains("highlight-code"))
		head = box.previousElementSibling;
	if (head !== null && /^H[1-6]$/.test(head.tagName))
		what = head.textContent.trim();
	else if (pre.classList.contains("curl"))
		what = "curl command";
	else if (pre.classList.contains("example"))
		what = "Example";
	else
		what = "Code";
	response = pre.closest("tr.response[data-code]");
	if (response !== null)
		what += ", response " + response.getAttribute("data-code");
	else if (pre.closest(".opblock-section-request-body") !== null)
		what += ", request body";
	op = apiDocsOperation(pre);
	return op === "" ? what : what + " of " + op;
}

function apiDocsMend(root) {
	var list, i, name;

	list = root.querySelectorAll("select, textarea, input:not([type]), " +
	    "input[type=text], input[type=search], input[type=password], " +
	    "input[type=email], input[type=number], input[type=file]");
	for (i = 0; i < list.length; i++) {
		if (apiDocsLabelled(list[i]))
			continue;
		name = apiDocsControlName(list[i]);
		if (name !== "")
			list[i].setAttribute("aria-label", name);
	}
	list = root.querySelectorAll("pre.microlight");
	for (i = 0; i < list.length; i++) {
		if (!list[i].hasAttribute("tabindex"))
			list[i].setAttribute("tabindex", "0");
		if (!list[i].hasAttribute("role"))
			list[i].setAttribute("role", "region");
		/* Again on every change: React reuses the element for
		 * another tab (Example Value, Schema) or response. */
		name = apiDocsCodeName(list[i]);
		if (list[i].getAttribute("aria-label") !== name)
			list[i].setAttribute("aria-label", name);
	}
}

document.addEventListener("DOMContentLoaded", function () {
	var el = document.getElementById("swagger-ui");

	if (el === null || typeof window.SwaggerUIBundle !== "function")
		return;
	/* childList only: the attributes set here are no new work. */
	new MutationObserver(function () {
		apiDocsMend(el);
	}).observe(el, { childList: true, subtree: true });
	window.SwaggerUIBundle({
		url: el.getAttribute("data-spec"),
		domNode: el,
		deepLinking: false
	});
});

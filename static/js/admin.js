/*
 * Gazette admin: progressive enhancement only. Every page works without
 * this file; it adds select-all on changelists, slugs typed from titles,
 * a live Markdown preview and suggestions for id fields. No inline
 * script: the Content-Security-Policy forbids it.
 */
(function () {
	"use strict";

	function csrfToken(form) {
		var t = form && form.querySelector('input[name="csrf_token"]');
		return t ? t.value : "";
	}

	/* Changelist: "select all" and the count of selected rows. */
	function changelist() {
		var toggle = document.getElementById("action-toggle");
		var boxes = document.querySelectorAll("input.action-select");
		var count = document.getElementById("selected-count");
		if (!toggle || boxes.length === 0)
			return;
		toggle.hidden = false;
		function update() {
			var n = 0;
			boxes.forEach(function (b) {
				if (b.checked)
					n++;
				b.closest("tr").classList.toggle("selected", b.checked);
			});
			toggle.checked = n === boxes.length;
			toggle.indeterminate = n > 0 && n < boxes.length;
			if (count)
				count.textContent = n + " of " + boxes.length + " selected";
		}
		toggle.addEventListener("change", function () {
			boxes.forEach(function (b) { b.checked = toggle.checked; });
			update();
		});
		boxes.forEach(function (b) { b.addEventListener("change", update); });
		update();
	}

	/* Slugs: typed from the source field until edited by hand. */
	function slugify(s) {
		return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
		    .toLowerCase().replace(/[^a-z0-9]+/g, "-")
		    .replace(/^-+|-+$/g, "").slice(0, 100);
	}
	function prepopulate() {
		document.querySelectorAll("[data-prepopulate-from]").forEach(
		    function (slug) {
			var src = document.getElementById(
			    slug.getAttribute("data-prepopulate-from"));
			var touched = slug.value !== "";
			if (!src)
				return;
			slug.addEventListener("input", function () {
				touched = slug.value !== "";
			});
			src.addEventListener("input", function () {
				if (!touched)
					slug.value = slugify(src.value);
			});
		});
	}

	/* Markdown: a live preview beside the Preview button. */
	function preview() {
		document.querySelectorAll("textarea[data-preview-url]").forEach(
		    function (ta) {
			var out = ta.parentNode.querySelector("section.preview");
			var timer = null;
			if (!out)
				return;
			function refresh() {
				var body = new URLSearchParams();
				body.set("csrf_token", csrfToken(ta.form));
				body.set("body", ta.value);
				fetch(ta.getAttribute("data-preview-url"), {
					method: "POST", body: body,
					credentials: "same-origin"
				}).then(function (r) {
					return r.ok ? r.text() : null;
				}).then(function (html) {
					if (html === null)
						return;
					out.innerHTML = html;
					out.hidden = false;
				}).catch(function () {});
			}
			ta.addEventListener("input", function () {
				clearTimeout(timer);
				timer = setTimeout(refresh, 400);
			});
		});
	}

	/* Id fields of big tables: suggestions as you type. */
	function autocomplete() {
		document.querySelectorAll("input[data-autocomplete-url]").forEach(
		    function (input, i) {
			var list = document.createElement("datalist");
			var timer = null;
			list.id = "autocomplete-" + i;
			input.after(list);
			input.setAttribute("list", list.id);
			input.removeAttribute("inputmode");
			input.addEventListener("input", function () {
				clearTimeout(timer);
				if (/^\d+$/.test(input.value))
					return;
				timer = setTimeout(function () {
					var url = input.getAttribute("data-autocomplete-url") +
					    "?term=" + encodeURIComponent(input.value);
					fetch(url, { credentials: "same-origin" })
					    .then(function (r) { return r.json(); })
					    .then(function (data) {
						list.textContent = "";
						data.results.forEach(function (o) {
							var opt = document.createElement("option");
							opt.value = o.id;
							opt.label = o.text;
							opt.textContent = o.text;
							list.appendChild(opt);
						});
					}).catch(function () {});
				}, 250);
			});
		});
	}

	/* Images: "Insert" puts the Markdown at the cursor. */
	function insertButtons() {
		document.querySelectorAll("button[data-insert-into]").forEach(
		    function (b) {
			var ta = document.getElementById(
			    b.getAttribute("data-insert-into"));
			if (!ta)
				return;
			b.hidden = false;
			b.addEventListener("click", function () {
				var text = b.getAttribute("data-insert");
				var at = ta.selectionStart || ta.value.length;
				ta.value = ta.value.slice(0, at) + text +
				    ta.value.slice(ta.selectionEnd || at);
				ta.focus();
				ta.selectionStart = ta.selectionEnd = at + text.length;
				ta.dispatchEvent(new Event("input"));
			});
		});
	}

	/* Forms whose button says data-confirm ask first. */
	function confirmations() {
		document.querySelectorAll("[data-confirm]").forEach(function (el) {
			var form = el.form || el.closest("form");
			if (!form)
				return;
			form.addEventListener("submit", function (ev) {
				if (ev.submitter === el || !ev.submitter)
					if (!window.confirm(el.getAttribute("data-confirm")))
						ev.preventDefault();
			});
		});
	}

	document.addEventListener("DOMContentLoaded", function () {
		insertButtons();
		confirmations();
		changelist();
		prepopulate();
		preview();
		autocomplete();
	});
})();

// Page script of the Raadsassistent (loaded in <head>; plain DOM, no framework, nothing fetched).
// Gradio re-renders its components at will, so every handler is delegated from `document`.
(function () {
  "use strict";
  // Gradio's page says lang="en"; the whole app is Dutch (screen readers pick the voice from this).
  document.documentElement.lang = "nl";

  function mark(card) {
    document.querySelectorAll(".bron.gemarkeerd").forEach(function (el) { el.classList.remove("gemarkeerd"); });
    card.classList.add("gemarkeerd");
    // "start": a card can be taller than a phone's screen; again after the chat's own autoscroll
    // (opening the sources under an answer changes its height) has run
    card.scrollIntoView({ block: "start" });
    card.focus({ preventScroll: true });
    setTimeout(function () { card.scrollIntoView({ block: "start" }); }, 150);
  }

  function visible(el) {
    return !!el && el.offsetParent !== null && el.getClientRects().length > 0;
  }

  // A chip [n] (href "#inline-<answer id>-<n>") leads to source n of its own answer: the side panel
  // when it shows that answer and is on screen (wide screens), else the collapsible sources under the
  // answer (phones, older answers). The chat's sanitizer drops data-* attributes, hence the href.
  function openChip(chip) {
    var m = (chip.getAttribute("href") || "").match(/^#inline-(\w+)-(\d+)$/);
    if (!m) return;
    var side = document.getElementById("paneel-" + m[1] + "-" + m[2]);
    if (visible(side)) { mark(side); return; }
    var inline = document.getElementById("inline-" + m[1] + "-" + m[2]);
    if (!inline) return;
    var box = inline.closest("details");
    if (box) box.open = true;
    mark(inline);
  }

  // "Open in document": hand "<passage id>~<spans>" to the hidden viewer button.
  function openDocument(request) {
    window.__raViewer = request;
    var btn = document.querySelector("#viewer-open");
    if (btn) btn.click();
  }
  window.raViewerRequest = function () { return window.__raViewer || ""; };

  document.addEventListener("click", function (ev) {
    if (!ev.target.closest) return;
    var chip = ev.target.closest("a.chip");
    if (chip) { ev.preventDefault(); ev.stopPropagation(); openChip(chip); return; }
    var link = ev.target.closest('a[href^="#open="]');
    if (link) { ev.preventDefault(); ev.stopPropagation(); openDocument(link.getAttribute("href").slice(6)); return; }
    var row = ev.target.closest("tr[data-passage]");
    if (row) { ev.preventDefault(); openDocument(encodeURIComponent(row.dataset.passage) + "~"); }
  }, true);

  // Keyboard: Enter/Space on a focused table row with a passage opens it as well.
  document.addEventListener("keydown", function (ev) {
    var row = ev.target.closest && ev.target.closest("tr[data-passage]");
    if (row && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); openDocument(encodeURIComponent(row.dataset.passage) + "~"); }
    var link = ev.target.closest && ev.target.closest('a[href^="#open="]');
    if (link && ev.key === " ") { ev.preventDefault(); link.click(); }
  });

  // Gradio's own English labels that it does not translate (in every browser language)
  var DUTCH = {
    "chatbot conversation": "Gesprek",
    "Clear": "Gesprek wissen",
    // the file field of "Documenten toevoegen"
    "Click to upload or drop files": "Klik om bestanden te kiezen, of sleep ze hierheen",
    "common.upload": "Bestanden kiezen",
    "File upload": "Bestanden kiezen",
    "Remove this file": "Verwijder dit bestand",
  };

  // Gradio labels each chat message "bot's message: <its raw Markdown>"; give it a Dutch label instead.
  function labelMessages() {
    document.querySelectorAll("[aria-label]").forEach(function (el) {
      var nl = DUTCH[el.getAttribute("aria-label")];
      if (nl) { el.setAttribute("aria-label", nl); if (el.title) el.title = nl; }
    });
    document.querySelectorAll('#gesprek [data-testid="bot"], #gesprek [data-testid="user"]').forEach(function (el) {
      var who = el.getAttribute("data-testid") === "bot" ? "Antwoord" : "Uw vraag";
      var label = who + ": " + (el.textContent || "").trim().slice(0, 200);
      if (el.getAttribute("aria-label") !== label) el.setAttribute("aria-label", label);
    });
  }
  // throttled, not debounced: a page that keeps changing (a running timer) is still relabelled
  var labelPending = false;
  new MutationObserver(function () {
    if (labelPending) return;
    labelPending = true;
    setTimeout(function () { labelPending = false; labelMessages(); }, 50);
  })
    .observe(document.documentElement, { childList: true, subtree: true });

  // The viewer shows its header (title, page, links) and scrolls its own text box to the passage.
  window.raShowViewer = function () {
    setTimeout(function () {
      var target = document.querySelector("#viewer .viewer-doel");
      var box = document.querySelector("#viewer .viewer-doc");
      if (!target || !box) return;
      box.scrollTop += target.getBoundingClientRect().top - box.getBoundingClientRect().top - 60;
      document.querySelector("#viewer").scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    }, 60);
  };

  // One Dutch progress indicator while an answer is computed (Gradio's own overlays are hidden).
  window.raBusy = function (on, text) {
    var el = document.getElementById("bezig");
    if (!el) return;
    el.textContent = on ? (text || "Bezig met zoeken in de documenten…") : "";
    el.classList.toggle("actief", !!on);
  };

  // Staff tables: sort by clicking a column header (Dutch collation, numbers as numbers).
  var collator = new Intl.Collator("nl", { numeric: true, sensitivity: "base" });
  function sortTable(button) {
    var th = button.closest("th"), table = th.closest("table"), body = table.tBodies[0];
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.sort || a.cells[col].textContent.trim();
      var y = b.cells[col].dataset.sort || b.cells[col].textContent.trim();
      if (!x && y) return 1;  // empty cells last, both ways
      if (x && !y) return -1;
      return asc ? collator.compare(x, y) : collator.compare(y, x);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("th button.sorteer");
    if (b) { ev.preventDefault(); sortTable(b); }
  });
})();

/* social web app: CSRF header for htmx, aria-live announcements, and moving calendar slots by
   drag and drop or by keyboard (Flytt, arrow keys, Enter; Escape cancels). */
(function () {
  "use strict";
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var lang = document.documentElement.lang || "nb";
  var T = {
    nb: { lifted: "«{t}» er valgt. Piltastene velger dag, Enter flytter, Escape avbryter.",
          target: "«{t}»: {d}", cancelled: "Flytting avbrutt.", failed: "Kunne ikke flytte: {e}" },
    en: { lifted: "“{t}” picked up. Arrow keys choose a day, Enter moves, Escape cancels.",
          target: "“{t}”: {d}", cancelled: "Move cancelled.", failed: "Could not move: {e}" }
  }[lang === "en" ? "en" : "nb"];

  function fmt(s, v) { return s.replace(/\{(\w)\}/g, function (_, k) { return v[k]; }); }

  function announce(text) {
    var region = document.getElementById("announce");
    if (!region) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }
  window.socialAnnounce = announce;

  document.addEventListener("htmx:configRequest", function (e) { e.detail.headers["X-CSRF-Token"] = token; });
  document.addEventListener("announce", function (e) { if (e.detail && e.detail.value) { announce(e.detail.value); } });
  document.addEventListener("htmx:afterSwap", function (e) {
    var focus = e.detail.target.querySelector("[data-focus-after-swap]") || null;
    if (focus) { focus.focus(); }
  });

  function grid() { return document.getElementById("calendar-grid"); }

  function refreshGrid(slotId, then) {
    var g = grid();
    if (!g || !window.htmx) { window.location.reload(); return; }
    window.htmx.ajax("GET", g.getAttribute("data-grid-url"), { target: "#calendar-grid", swap: "outerHTML" }).then(function () {
      var moved = document.querySelector('.slot[data-slot-id="' + slotId + '"] a');
      if (moved) { moved.focus(); }
      if (then) { then(); }
    });
  }

  function move(slotId, day) {
    return fetch("/calendar/slots/" + slotId + "/move", {
      method: "POST",
      headers: { "X-CSRF-Token": token, "X-Requested-With": "fetch", "Content-Type": "application/x-www-form-urlencoded" },
      body: "date=" + encodeURIComponent(day),
      credentials: "same-origin"
    }).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (res.ok) { refreshGrid(slotId, function () { announce(res.body.message); }); }
        else { announce(fmt(T.failed, { e: res.body.error || "" })); }
      });
  }

  // Drag and drop
  document.addEventListener("dragstart", function (e) {
    var slot = e.target.closest && e.target.closest(".slot[draggable]");
    if (!slot) { return; }
    e.dataTransfer.setData("text/plain", slot.getAttribute("data-slot-id"));
    e.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("dragover", function (e) {
    var cell = e.target.closest && e.target.closest("td.day");
    if (cell) { e.preventDefault(); cell.classList.add("drop-target"); }
  });
  document.addEventListener("dragleave", function (e) {
    var cell = e.target.closest && e.target.closest("td.day");
    if (cell) { cell.classList.remove("drop-target"); }
  });
  document.addEventListener("drop", function (e) {
    var cell = e.target.closest && e.target.closest("td.day");
    if (!cell) { return; }
    e.preventDefault();
    cell.classList.remove("drop-target");
    var id = e.dataTransfer.getData("text/plain");
    var slot = document.querySelector('.slot[data-slot-id="' + id + '"]');
    if (id && slot && slot.getAttribute("data-date") !== cell.getAttribute("data-date")) { move(id, cell.getAttribute("data-date")); }
  });

  // Keyboard moves
  var lifted = null;
  function addDays(iso, n) {
    var d = new Date(iso + "T12:00:00Z"); d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }
  function longDate(iso) {
    return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "nb-NO", { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(new Date(iso + "T12:00:00Z"));
  }
  function mark(iso) {
    document.querySelectorAll("td.keyboard-target").forEach(function (c) { c.classList.remove("keyboard-target"); });
    var cell = document.querySelector('td.day[data-date="' + iso + '"]');
    if (cell) { cell.classList.add("keyboard-target"); }
  }
  function drop(cancel) {
    if (!lifted) { return; }
    var done = lifted; lifted = null;
    done.el.classList.remove("lifted");
    mark("");
    if (cancel || done.target === done.from) { announce(T.cancelled); done.button.focus(); return; }
    move(done.id, done.target);
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-move]");
    if (!button) { return; }
    e.preventDefault();
    var slot = button.closest(".slot");
    if (lifted) { drop(true); }
    lifted = { id: button.getAttribute("data-move"), el: slot, button: button, from: slot.getAttribute("data-date"), target: slot.getAttribute("data-date"), title: slot.getAttribute("data-title") };
    slot.classList.add("lifted");
    mark(lifted.target);
    announce(fmt(T.lifted, { t: lifted.title }));
  });
  document.addEventListener("keydown", function (e) {
    if (!lifted) { return; }
    var step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[e.key];
    if (step) {
      e.preventDefault();
      lifted.target = addDays(lifted.target, step);
      mark(lifted.target);
      announce(fmt(T.target, { t: lifted.title, d: longDate(lifted.target) }));
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault(); drop(false);
    } else if (e.key === "Escape") {
      e.preventDefault(); drop(true);
    }
  });
})();

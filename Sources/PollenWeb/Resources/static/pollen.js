// Keeps the unread notification count in the header up to date while a page is open.
// Pages work without it: the count is also rendered by the server on every page.
(function () {
  "use strict";
  var link = document.querySelector("[data-notifications]");
  if (!link || !window.EventSource) return;
  var count = link.querySelector("[data-unread]");
  var live = document.getElementById("live-status");
  var source = new EventSource("/notifications/stream");
  source.addEventListener("unread", function (event) {
    var n = parseInt(event.data, 10) || 0;
    var before = parseInt(count.textContent, 10) || 0;
    count.textContent = n > 0 ? String(n) : "";
    count.hidden = n === 0;
    link.setAttribute("aria-label", n > 0 ? "Notifications, " + n + " unread" : "Notifications");
    if (n > before && live) live.textContent = n === 1 ? "1 new notification" : n + " new notifications";
  });
})();

// "Select everyone" on lists of people to follow or unfollow at once; without script, each box is ticked by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-pick]").forEach(function (form) {
    var all = form.querySelector("[data-pick-all]");
    if (!all) return;
    all.closest(".pick-all").hidden = false;
    var boxes = form.querySelectorAll("input[name=ids]");
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
  });
})();

// While a question's title is typed, questions like it are listed under it (the "Review" button does the
// same without script).
(function () {
  "use strict";
  var input = document.querySelector("[data-similar]");
  if (!input || !window.fetch) return;
  var list = document.getElementById("similar-live");
  var timer = null;
  var asked = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 10 || q === asked) return;
      asked = q;
      fetch("/questions/similar?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) {
          list.textContent = "";
          found.forEach(function (question) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = "/questions/" + question.id;
            link.textContent = question.title;
            item.appendChild(link);
            var note = document.createElement("span");
            note.className = "muted small";
            note.textContent = " " + (question.accepted ? "answered ✓ · " : "") + question.answers;
            item.appendChild(note);
            list.appendChild(item);
          });
          list.closest("[data-similar-box]").hidden = found.length === 0;
        })
        .catch(function () {});
    }, 400);
  });
})();

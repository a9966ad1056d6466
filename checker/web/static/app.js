// collcheck serve: "检查" posts the form in the background and shows the result below it,
// so the chosen files stay selected and the download buttons can post them again.
// Downloads are ordinary form posts (the browser saves the file). Without JavaScript the
// page still works: the result comes back as a new page.
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  var result = document.getElementById("result");
  var status = document.getElementById("status");
  if (!form || !result || !window.fetch || !window.FormData) {
    return;
  }
  // The inputs the result on the page was checked with. A download re-posts the form; when the
  // inputs have changed since, the server would refuse it (the report would not be the result
  // shown) and the browser would leave the page: say so beside the buttons instead.
  var resultInputs = null;
  function inputs() {
    var parts = [];
    new FormData(form).forEach(function (v, k) {
      if (k === "expect" || k === "generated") {
        return; // set by the result, not inputs
      }
      // (an empty file input gives a nameless File whose lastModified is "now": leave it out)
      parts.push(k + "=" + (typeof v === "string" ? v : v.name ? "file:" + v.name + ":" + v.size + ":" + v.lastModified
        : "no file"));
    });
    return JSON.stringify(parts);
  }
  function say(button, text) {
    var box = button && button.closest(".actions");
    var where = (box && box.querySelector("[role=status]")) || status;
    where.textContent = text;
  }
  form.addEventListener("input", function () {
    result.querySelectorAll(".download-status").forEach(function (s) { s.textContent = ""; });
  });
  form.addEventListener("submit", function (ev) {
    var button = ev.submitter;
    var action = (button && button.getAttribute("formaction")) || form.getAttribute("action");
    if (action.indexOf("/check") !== 0) {
      // a report download: let the browser post the form and save the file, unless the inputs
      // are no longer those of the result shown
      if (resultInputs !== null && result.querySelector("#result-title") && inputs() !== resultInputs) {
        ev.preventDefault();
        say(button, form.dataset.changed);
      } else {
        say(button, "");
      }
      return;
    }
    ev.preventDefault();
    var sent = inputs();
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    status.textContent = form.dataset.working;
    fetch(action + "&fragment=1", { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (resp) { return resp.text(); })
      .then(function (html) {
        // The server escaped every piece of user text; scripts in inserted HTML never run,
        // and the page's Content-Security-Policy allows no inline script anyway.
        result.innerHTML = html;
        resultInputs = result.querySelector("#result-title") ? sent : null;
        var title = document.getElementById("result-title") || result.querySelector("h2");
        if (title) {
          title.setAttribute("tabindex", "-1");
          title.focus();
          title.scrollIntoView({ block: "start" });
        }
      })
      .catch(function () {
        result.textContent = "";
        var p = document.createElement("p");
        p.className = "message-box";
        p.textContent = form.dataset.networkError;
        result.appendChild(p);
      })
      .finally(function () {
        status.textContent = "";
        buttons.forEach(function (b) { b.disabled = false; });
      });
  });
})();

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
  form.addEventListener("submit", function (ev) {
    var button = ev.submitter;
    var action = (button && button.getAttribute("formaction")) || form.getAttribute("action");
    if (action.indexOf("/check") !== 0) {
      return; // a report download: let the browser post the form and save the file
    }
    ev.preventDefault();
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    status.textContent = form.dataset.working;
    fetch(action + "&fragment=1", { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (resp) { return resp.text(); })
      .then(function (html) {
        // The server escaped every piece of user text; scripts in inserted HTML never run,
        // and the page's Content-Security-Policy allows no inline script anyway.
        result.innerHTML = html;
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

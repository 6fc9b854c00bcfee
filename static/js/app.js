// Progressive enhancement only: every page works without this file.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.getElementById("htmx-error");
  if (!box) {
    box = document.createElement("p");
    box.id = "htmx-error";
    box.className = "message error";
    box.setAttribute("role", "alert");
    document.getElementById("main").prepend(box);
  }
  box.textContent = "That did not work (" + event.detail.xhr.status + "). Reload the page and try again.";
});

// Inbox keyboard: j/k move between conversations, Enter opens; r reply, a approve, e escalate/resolve.
(function () {
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  var index = -1;
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-conv-row] a.conv-link"));
    if ((event.key === "j" || event.key === "k") && rows.length) {
      index = Math.max(0, Math.min(rows.length - 1, index + (event.key === "j" ? 1 : -1)));
      rows[index].focus();
      event.preventDefault();
      return;
    }
    if (event.key === "r") {
      var box = document.querySelector("#composer textarea");
      if (box) { box.focus(); event.preventDefault(); }
      return;
    }
    var button = document.querySelector('button[data-key="' + event.key + '"]');
    if ((event.key === "a" || event.key === "e") && button) {
      button.click();
      event.preventDefault();
    }
  });
})();

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

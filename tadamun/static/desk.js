/* The organizers' desk: a "Copy" button beside each read-only code box. Without JavaScript
   the box is still there, to select and copy by hand. */
(function () {
  "use strict";
  function copied(button, box) {
    var status = button.nextElementSibling;
    status.textContent = box.dataset.copied;
    window.setTimeout(function () { status.textContent = ""; }, 3000);
  }
  document.querySelectorAll("textarea.copy").forEach(function (box) {
    var label = document.querySelector('label[for="' + box.id + '"]');
    var button = document.createElement("button");
    var hidden = document.createElement("span");
    var status = document.createElement("span");
    button.type = "button";
    button.className = "secondary copy-button";
    button.textContent = box.dataset.copy;
    hidden.className = "visually-hidden";
    hidden.textContent = " (" + (label ? label.textContent : "") + ")";
    button.appendChild(hidden);
    status.className = "copied";
    status.setAttribute("role", "status");
    box.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);
    button.addEventListener("click", function () {
      box.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(box.value).then(
          function () { copied(button, box); },
          function () { if (document.execCommand("copy")) { copied(button, box); } }
        );
      } else if (document.execCommand("copy")) {
        copied(button, box);
      }
    });
  });
})();

// The admin's autocomplete box (Select2) gives its combobox, and the text inside it, no name a
// screen reader can read: name both by the label of the select they stand for.
(function () {
  "use strict";
  function name(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var container = select.nextElementSibling;
      if (!label || !container) return;
      if (!label.id) label.id = select.id + "-label";
      var box = container.querySelector('[role="combobox"]');
      var shown = container.querySelector('[role="textbox"]');
      if (shown) shown.setAttribute("aria-labelledby", label.id);
      if (box) box.setAttribute("aria-labelledby", label.id + (shown ? " " + shown.id : ""));
    });
  }
  // After the admin's own ready handler, which builds the boxes (this file is deferred, so
  // its handler comes second).
  if (window.django && window.django.jQuery) window.django.jQuery(function () { name(document); });
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () { name(event.target); });
  });
})();

// Keyboard shortcuts: j or → follows the page's rel="next" link, k or ← its rel="prev" link.
// A static file (no inline script) so the Content-Security-Policy can forbid inline code.
(function () {
  "use strict";
  var KEYS = { j: "next", ArrowRight: "next", k: "prev", ArrowLeft: "prev" };

  function typingInto(element) {
    return element && element.closest && element.closest("input, textarea, select, [contenteditable]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var rel = KEYS[event.key];
    if (!rel || typingInto(event.target)) {
      return;
    }
    var link = document.querySelector('a[data-key-nav][rel~="' + rel + '"]');
    if (link) {
      event.preventDefault();
      link.click();
    }
  });
})();

// The search box always shows the query of the address bar. htmx restores a page from its history
// snapshot, whose input still carries the value it was first served with, so Back and Forward would show
// the results of one query under the words of another; the URL is the truth, so the box is set from it.
(function () {
  "use strict";

  function showQueryOfUrl() {
    var box = document.getElementById("search-q");
    if (box) {
      box.value = new URLSearchParams(window.location.search).get("q") || "";
    }
  }

  document.addEventListener("htmx:historyRestore", showQueryOfUrl);
  window.addEventListener("pageshow", showQueryOfUrl);
})();

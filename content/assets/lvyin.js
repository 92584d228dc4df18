// Loads the search page's and the 附近 page's scripts only where they are used, so that
// every other page stays light. Runs on each page view, including Material's instant
// navigation (document$ replays the current page to a late subscriber).
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var scripts = { "lv-search": "search.js", "lv-nearby": "nearby.js" };
  var loaded = {};

  function boot() {
    Object.keys(scripts).forEach(function (id) {
      if (!here || loaded[id] || !document.getElementById(id)) return;
      loaded[id] = true;
      var script = document.createElement("script");
      script.src = new URL(scripts[id], here).href;
      document.head.appendChild(script);
    });
  }

  // Run `fn` on every page view: on load, and after each instant navigation (Material's
  // document$ replays the current page to a late subscriber). search.js and nearby.js use it too.
  function onEveryPage(fn) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(fn);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  window.lvyinOnEveryPage = onEveryPage;
  onEveryPage(boot);
})();

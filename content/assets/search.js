// Search page: loads Pagefind's UI from the site's own bundle, only on /search/.
// Runs on every page view, including Material's instant navigation (document$).
(function () {
  "use strict";

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      if (window.PagefindUI) return resolve();
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function loadStyle(href) {
    if (document.querySelector("link[data-lv-pagefind]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.setAttribute("data-lv-pagefind", "");
    document.head.appendChild(link);
  }

  function init() {
    var element = document.getElementById("lv-search");
    if (!element || element.getAttribute("data-ready")) return;
    element.setAttribute("data-ready", "1");
    var bundle = new URL(element.getAttribute("data-bundle"), location.href).href;
    loadStyle(bundle + "pagefind-ui.css");
    loadScript(bundle + "pagefind-ui.js").then(function () {
      var ui = new window.PagefindUI({
        element: element,
        bundlePath: bundle,
        // Result links are relative to the site's root, which may be a sub-path.
        baseUrl: new URL("../", bundle).pathname,
        showImages: false,
        showSubResults: false,
        resetStyles: false,
        pageSize: 10,
        openFilters: ["类别", "区县"],
      });
      var query = new URLSearchParams(location.search).get("q");
      if (query) ui.triggerSearch(query);
    }, function () {
      element.innerHTML = "<p>搜索暂时不可用，请稍后再试，或按区县、日历浏览。</p>";
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

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

  var TERMS_MARK = "〔检索词〕";
  function currentQuery() {
    var input = document.querySelector("#lv-search .pagefind-ui__search-input");
    return input ? input.value : "";
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // An excerpt of `text` around the first query word found in it, with that word marked.
  function excerpt(text, query) {
    text = text.replace(/\s+/g, " ").trim();
    var words = query.split(/\s+/).filter(Boolean);
    var at = -1, word = "";
    for (var i = 0; i < words.length && at < 0; i++) { at = text.indexOf(words[i]); word = words[i]; }
    if (at < 0) return escapeHtml(text.slice(0, 60));
    var start = Math.max(0, at - 20);
    var piece = text.slice(start, start + 60);
    var local = at - start;
    return escapeHtml(piece.slice(0, local)) + "<mark>" + escapeHtml(word) + "</mark>" + escapeHtml(piece.slice(local + word.length));
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
        // Entry pages end with hidden extra index terms (parts of words, pinyin);
        // they help matching but must never show: excerpts come from the text before them.
        processResult: function (result) {
          var cut = result.content.indexOf(TERMS_MARK);
          if (cut < 0 || result.excerpt.indexOf(TERMS_MARK) < 0 && result.excerpt.length) return result;
          result.excerpt = excerpt(result.content.slice(0, cut), currentQuery());
          return result;
        },
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

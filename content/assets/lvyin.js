// Loads the search page's, the 附近 page's and the finder's scripts only where they are used, so
// that every other page stays light; and moves what is over by the reader's clock (a static site is
// read days after it is built). Runs on each page view, including Material's instant navigation
// (document$ replays the current page to a late subscriber).
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  // Scripts by the element that needs them, in the order they run (lectures.js is shared).
  var scripts = { "lv-search": ["lectures.js", "search_query.js", "search.js"], "lv-nearby": ["lectures.js", "nearby.js"], "lv-finder": ["lectures.js", "finder.js"] };
  var loaded = {};

  function boot() {
    Object.keys(scripts).forEach(function (id) {
      if (!here || !document.getElementById(id)) return;
      scripts[id].forEach(function (name) {
        if (loaded[name]) return;
        loaded[name] = true;
        var script = document.createElement("script");
        script.src = new URL(name, here).href;
        script.async = false;  // in order: lectures.js before the script that uses it
        document.head.appendChild(script);
      });
    });
  }

  // Today in Beijing (Asia/Shanghai, UTC+8 all year) by the phone's clock, as YYYY-MM-DD.
  function today() {
    var now = new Date();
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-US", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" })
        .formatToParts(now).forEach(function (p) { parts[p.type] = p.value; });
      if (/^\d{4}$/.test(parts.year) && parts.month && parts.day) return parts.year + "-" + parts.month + "-" + parts.day;
    } catch (e) { /* no Intl time zones: UTC+8 below */ }
    return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }

  function dayOf(item) {
    var time = item.querySelector("time[datetime]");
    return time ? time.getAttribute("datetime").slice(0, 10) : "";
  }

  // Lists of upcoming lectures (data-lv-when="upcoming") lose what is over by today: it goes to the
  // top of the page's past list when there is one. Spare entries (data-lv-spare) fill the gaps.
  function redate() {
    var day = today();
    document.querySelectorAll("ul[data-lv-when=upcoming]:not([data-lv-dated])").forEach(function (list) {
      list.setAttribute("data-lv-dated", day);
      var items = Array.prototype.slice.call(list.children);
      var shown = items.filter(function (li) { return !li.hasAttribute("data-lv-spare"); }).length;
      var over = items.filter(function (li) { return dayOf(li) && dayOf(li) < day; });
      if (!over.length) return;
      // The page's count of upcoming lectures (one upcoming list a page): what is over leaves it.
      // Lectures are listed soonest first, so those over since the build are all in the list.
      document.querySelectorAll("[data-lv-upcoming-count]").forEach(function (count) {
        count.textContent = String(Math.max(0, parseInt(count.textContent, 10) - over.length));
      });
      var past = list.parentNode.querySelector("ul[data-lv-when=past]");
      over.forEach(function (li) {
        li.removeAttribute("hidden");
        li.removeAttribute("data-lv-spare");
        if (past) past.insertBefore(li, past.firstChild); else list.removeChild(li);
      });
      Array.prototype.forEach.call(list.children, function (li, i) { li.hidden = i >= shown; });
      if (!list.children.length) {
        var empty = document.createElement("p");
        empty.className = "lv-empty";
        empty.textContent = list.getAttribute("data-lv-empty");
        list.parentNode.insertBefore(empty, list);
        list.hidden = true;
      }
    });
    // The calendar's 本月.
    var month = day.slice(0, 7);
    document.querySelectorAll("li[data-lv-month]").forEach(function (li) {
      var current = li.getAttribute("data-lv-month") === month;
      li.classList.toggle("lv-current", current);
      li.querySelector(".lv-this-month").hidden = !current;
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
  window.lvyinToday = today;
  onEveryPage(boot);
  onEveryPage(redate);
})();

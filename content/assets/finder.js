// The home page's finder: upcoming lectures for the child's age group, near the parent, soonest
// first, by the phone's own date (lvyinToday). The choices are in the address (?age=&d=&s=&near=&r=&when=)
// and remembered on the phone (localStorage); places.json loads only once a choice is made.
(function () {
  "use strict";
  var L = window.lvyinLectures, KEY = "lvyin-finder", LIMIT = 50;
  var FIELDS = ["age", "d", "s", "near", "r", "when"];

  function stored() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function store(state) {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: the address keeps it */ }
  }

  function init() {
    var form = document.getElementById("lv-finder");
    if (!form || form.getAttribute("data-ready")) return;
    if (!(L && window.fetch && window.Promise && window.URLSearchParams && window.history && history.replaceState)) return;
    form.setAttribute("data-ready", "1");
    form.hidden = false;
    document.getElementById("lv-finder-static").hidden = true;
    var f = form.elements, status = document.getElementById("lv-finder-status");
    var list = document.getElementById("lv-finder-list"), locate = document.getElementById("lv-finder-locate");
    var url = new URL(form.getAttribute("data-places"), location.href).href;
    var data = null, here = null;  // here: the phone's position, [lat, lng] (WGS-84, as places.json)

    var params = new URLSearchParams(location.search), state = {};
    var fromAddress = FIELDS.some(function (k) { return params.has(k); });
    var saved = fromAddress ? null : stored();
    FIELDS.forEach(function (k) { state[k] = fromAddress ? params.get(k) || "" : saved[k] || ""; });
    setRadio("age", state.age);
    setRadio("when", state.when || "week");
    f.d.value = state.d;
    if (f.d.value !== state.d) state.d = state.s = "";
    if (state.r) f.r.value = state.r;
    if (state.near) locateMe();
    else if (state.age || state.d) withData(function () { fillStreets(state.s); update(); });

    function setRadio(name, value) {
      Array.prototype.forEach.call(form.querySelectorAll("input[name=" + name + "]"), function (r) { r.checked = r.value === value; });
    }
    function radio(name) {
      var r = form.querySelector("input[name=" + name + "]:checked");
      return r ? r.value : "";
    }

    function withData(then) {
      if (data) return then();
      status.textContent = "正在载入讲座…";
      L.load(url).then(function (json) { data = json; then(); })
        .catch(function () { status.textContent = "讲座数据没有载入，请检查网络后刷新，或按学段和区县浏览。"; });
    }

    function area() {
      for (var i = 0; data && i < data.areas.length; i++) if (data.areas[i].id === f.d.value) return data.areas[i];
      return null;
    }
    function fillStreets(keep) {
      while (f.s.options.length > 1) f.s.remove(1);
      var a = area();
      (a ? a.streets : []).forEach(function (s) { var o = L.el("option", null, s.name); o.value = s.name; f.s.appendChild(o); });
      f.s.disabled = !a || !a.streets.length;
      f.s.value = keep || "";
      if (f.s.value !== (keep || "")) f.s.value = "";
    }

    function locateMe() {
      if (!navigator.geolocation) { status.textContent = "这个浏览器不能提供位置，请选择区县和街道/镇。"; return; }
      status.textContent = "正在获取您的位置…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        here = [pos.coords.latitude, pos.coords.longitude];
        f.d.value = "";
        withData(function () { fillStreets(""); update(); });
      }, function () {
        here = null;
        update();
        status.textContent = "没有获得您的位置（可能未允许定位）。请选择您所在的区县和街道/镇。";
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
    }

    function update() {
      state = { age: radio("age"), d: here ? "" : f.d.value, s: here ? "" : f.s.value, near: here ? "1" : "",
                r: here ? f.r.value : "", when: radio("when") };
      locate.setAttribute("aria-pressed", here ? "true" : "false");
      f.r.parentNode.hidden = !here;
      var q = new URLSearchParams();
      FIELDS.forEach(function (k) { if (state[k]) q.set(k, state[k]); });
      history.replaceState(history.state, "", "?" + q.toString() + location.hash);
      store(state);
      if (!state.age && !state.d && !here) { list.textContent = ""; status.textContent = ""; return; }
      withData(render);
    }

    function render() {
      var today = window.lvyinToday(), until = { week: L.weekEnd(today), month: L.monthEnd(today) }[state.when] || "9999-12-31";
      var a = area(), origin = here, radius = here ? +state.r : 0;
      if (a && !here) {
        for (var i = 0; i < a.streets.length; i++) if (a.streets[i].name === state.s) origin = a.streets[i].centre;
      }
      var rows = [];
      data.lectures.forEach(function (l) {
        if (l.d < today || l.d > until || (state.age && l.a.indexOf(state.age) < 0)) return;
        var place = L.placeOf(l, data), d = origin && place && place.point ? L.km(origin, place.point) : null;
        if (state.d && place && place.district !== state.d) return;
        if (here && place && (d === null || radius && d > radius)) return;
        rows.push({ l: l, d: d });
      });
      rows.sort(function (x, y) {
        return x.l.d < y.l.d ? -1 : x.l.d > y.l.d ? 1 : (x.d === null ? 1e9 : x.d) - (y.d === null ? 1e9 : y.d) || (x.l.s < y.l.s ? -1 : x.l.s > y.l.s ? 1 : 0);
      });
      list.textContent = "";
      rows.slice(0, LIMIT).forEach(function (row) { list.appendChild(L.item(row.l, data, url, today, row.d)); });
      var label = form.querySelector("input[name=when]:checked").parentNode.textContent.trim();
      var span = state.when === "all" ? "" : "（" + L.shortDate(today, today) + "–" + L.shortDate(until, today) + "）";
      status.textContent = rows.length
        ? label + span + "共 " + rows.length + " 场" + (rows.length > LIMIT ? "，这里列出最近的 " + LIMIT + " 场" : "") + "，日期最近的在前" + (origin ? "，同一天近的在前" : "") + "。"
        : label + span + "没有符合条件的讲座" + (state.when !== "all" ? "，可以改选“近期全部”。" : "。");
    }

    form.addEventListener("change", function (e) {
      if (e.target === f.d) { here = null; withData(function () { fillStreets(""); update(); }); return; }
      if (e.target === f.s) here = null;
      update();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    locate.addEventListener("click", locateMe);
  }

  window.lvyinOnEveryPage(init);  // defined by lvyin.js, which loads this script
})();

// 附近 page: sorts places by distance from the parent's location (navigator.geolocation,
// WGS-84) or from the centre of a picked 区县 / 街道, each with its next lectures; or lists the
// lectures within a radius by date (?view=lectures&r=10). What is over goes by the phone's date
// (lvyinToday). The page's plain list stays when JavaScript or fetch is missing. Runs on every
// page view, including instant navigation.
(function () {
  "use strict";

  var L = window.lvyinLectures, km = L && L.km, el = L && L.el;
  var NEXT = 2, LIMIT = 50;

  function init() {
    var root = document.getElementById("lv-nearby");
    if (!root || root.getAttribute("data-ready")) return;
    if (!(L && window.fetch && window.Promise && window.URLSearchParams && window.history && history.replaceState)) return;
    root.setAttribute("data-ready", "1");
    var status = document.getElementById("lv-nearby-status");
    var list = document.getElementById("lv-nearby-list");
    var districtSel = document.getElementById("lv-nearby-district");
    var streetSel = document.getElementById("lv-nearby-street");
    var locate = document.getElementById("lv-nearby-locate");
    var radius = document.getElementById("lv-nearby-radius");
    var data = null, origin = null, originLabel = "";
    var first = new URLSearchParams(location.search);
    if (first.get("view") === "lectures") root.querySelector("input[name=view][value=lectures]").checked = true;
    if (first.get("r")) radius.value = first.get("r");

    L.load(new URL(root.getAttribute("data-places"), location.href).href).then(function (json) {
      data = json;
      json.areas.forEach(function (a) {
        var o = el("option", null, a.name);
        o.value = a.id;
        districtSel.appendChild(o);
      });
      root.hidden = false;
      document.getElementById("lv-nearby-static").hidden = true;
      var params = new URLSearchParams(location.search);
      if (params.get("d")) {
        districtSel.value = params.get("d");
        fillStreets();
        if (params.get("s")) streetSel.value = params.get("s");
        pick();
      } else {
        status.textContent = "点“使用我的位置”，或选择您所在的区县和街道/镇。";
        render();
      }
    }).catch(function () { /* the plain list stays */ });

    function area() {
      for (var i = 0; data && i < data.areas.length; i++) if (data.areas[i].id === districtSel.value) return data.areas[i];
      return null;
    }

    function fillStreets() {
      while (streetSel.options.length > 1) streetSel.remove(1);
      var a = area();
      streetSel.disabled = !a || !a.streets.length;
      (a ? a.streets : []).forEach(function (s) {
        var o = el("option", null, s.name);
        o.value = s.name;
        streetSel.appendChild(o);
      });
    }

    function view() { return root.querySelector("input[name=view]:checked").value; }

    // The view and radius in the address, beside the picked district and street.
    function remember(params) {
      params.delete("view");
      params.delete("r");
      if (view() === "lectures") { params.set("view", "lectures"); params.set("r", radius.value); }
      history.replaceState(history.state, "", "?" + params.toString());
    }

    function pick() {
      var a = area();
      var params = new URLSearchParams(location.search);
      params.delete("d");
      params.delete("s");
      if (!a) { origin = null; render(); remember(params); return; }
      origin = a.centre;
      originLabel = a.name;
      params.set("d", a.id);
      for (var i = 0; i < a.streets.length; i++) {
        if (a.streets[i].name === streetSel.value) {
          origin = a.streets[i].centre;
          originLabel = a.name + a.streets[i].name;
          params.set("s", a.streets[i].name);
        }
      }
      remember(params);
      status.textContent = "按离" + originLabel + "的距离排序。";
      render();
    }

    districtSel.addEventListener("change", function () { fillStreets(); pick(); });
    streetSel.addEventListener("change", pick);
    root.querySelectorAll("fieldset input").forEach(function (box) { box.addEventListener("change", render); });
    root.querySelectorAll("input[name=view]").forEach(function (r) {
      r.addEventListener("change", function () { remember(new URLSearchParams(location.search)); render(); });
    });
    radius.addEventListener("change", function () { remember(new URLSearchParams(location.search)); render(); });

    locate.addEventListener("click", function () {
      if (!navigator.geolocation) {
        status.textContent = "这个浏览器不能提供位置，请选择区县和街道/镇。";
        return;
      }
      status.textContent = "正在获取您的位置…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        origin = [pos.coords.latitude, pos.coords.longitude];  // WGS-84, as the places in places.json
        originLabel = "您的位置";
        districtSel.value = "";
        fillStreets();
        status.textContent = "按离您的位置的距离排序。";
        render();
      }, function () {
        status.textContent = "没有获得您的位置（可能未允许定位）。请选择您所在的区县和街道/镇。";
        districtSel.focus();
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
    });

    // Each place's lectures from today on, by date (places.json lists them in date order).
    function upcomingByPlace(today) {
      var by = {};
      data.lectures.forEach(function (l) {
        if (l.p === undefined || l.d < today) return;
        (by[l.p] = by[l.p] || []).push(l);
      });
      return by;
    }

    function renderLectures() {
      var base = new URL(root.getAttribute("data-places"), location.href), today = window.lvyinToday();
      list.textContent = "";
      if (!origin) {
        list.appendChild(el("li", "lv-empty", "点“使用我的位置”，或选择区县和街道/镇，就能看到附近的讲座。"));
        return;
      }
      var limit = +radius.value;
      var rows = data.lectures.filter(function (l) { return l.p !== undefined && l.d >= today; })
        .map(function (l) { var p = data.places[l.p]; return { l: l, d: km(origin, [p.lat, p.lng]) }; })
        .filter(function (row) { return row.d <= limit; });
      rows.sort(function (x, y) { return x.l.d < y.l.d ? -1 : x.l.d > y.l.d ? 1 : x.d - y.d || (x.l.s < y.l.s ? -1 : x.l.s > y.l.s ? 1 : 0); });
      rows.slice(0, LIMIT).forEach(function (row) { list.appendChild(L.item(row.l, data, base, today, row.d)); });
      if (!rows.length) list.appendChild(el("li", "lv-empty", limit + " 公里内近期没有讲座，可以扩大范围。"));
    }

    function render() {
      if (!data) return;
      var lectures = view() === "lectures";
      root.querySelector(".lv-nearby-kinds").hidden = lectures;
      radius.parentNode.hidden = !lectures;
      if (lectures) return renderLectures();
      var today = window.lvyinToday(), next = upcomingByPlace(today);
      var kinds = {}, freeOnly = false;
      root.querySelectorAll("fieldset input[name=kind]").forEach(function (b) { kinds[b.value] = b.checked; });
      freeOnly = root.querySelector("fieldset input[name=free]").checked;
      var base = new URL(root.getAttribute("data-places"), location.href);
      var rows = [];
      data.places.forEach(function (p, i) {
        if (!kinds[p.kind] || freeOnly && !(p.admission === "free" || p.kind !== "venue" && !p.admission)) return;
        rows.push({ p: p, d: origin ? km(origin, [p.lat, p.lng]) : null, next: next[i] || [] });
      });
      if (origin) rows.sort(function (a, b) { return a.d - b.d; });
      list.textContent = "";
      rows.slice(0, origin ? 30 : rows.length).forEach(function (row) {
        var p = row.p, li = el("li", "lv-item lv-place-item lv-nearby-item");
        var a = el("a", "lv-title", p.name);
        a.href = new URL("../" + p.url, base).href;
        li.appendChild(a);
        var meta = el("div", "lv-meta");
        if (row.d !== null) meta.appendChild(el("span", "lv-distance", row.d.toFixed(1) + " 公里"));
        meta.appendChild(el("span", null, p.type));
        var district = data.areas.filter(function (x) { return x.id === p.district; })[0];
        if (district) meta.appendChild(el("span", "lv-district", district.name + (p.street ? " " + p.street : "")));
        if (p.admission) meta.appendChild(el("span", "lv-admission lv-admission-" + p.admission, data.admissions[p.admission]));
        li.appendChild(meta);
        if (p.hours) li.appendChild(el("div", "lv-hours", "开放时间：" + p.hours));
        if (p.admission_note) li.appendChild(el("div", "lv-hours", p.admission_note));
        if (row.next.length) {
          var sessions = el("ul", "lv-nearby-next");
          row.next.slice(0, NEXT).forEach(function (l) {
            var item = el("li", null, "讲座 " + L.shortDate(l.d, today) + " " + L.weekday(l.d) + " " + l.s + "：");
            var link = el("a", null, l.t + (l.x ? "（" + data.statuses[l.x] + "）" : ""));
            link.href = new URL("../lectures/" + l.id + "/", base).href;
            item.appendChild(link);
            sessions.appendChild(item);
          });
          li.appendChild(sessions);
        }
        list.appendChild(li);
      });
      if (!rows.length) list.appendChild(el("li", "lv-empty", "没有符合条件的地点。"));
    }
  }

  window.lvyinOnEveryPage(init);  // defined by lvyin.js, which loads this script
})();

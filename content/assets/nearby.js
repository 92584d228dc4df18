// 附近 page: sorts places by distance from the parent's location (navigator.geolocation,
// WGS-84) or from the centre of a picked 区县 / 街道. The page's plain list stays when
// JavaScript or fetch is missing. Runs on every page view, including instant navigation.
(function () {
  "use strict";

  var R = 6371.0088;
  function km(a, b) {
    var rad = Math.PI / 180, dLat = (b[0] - a[0]) * rad, dLng = (b[1] - a[1]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.pow(Math.sin(dLng / 2), 2);
    return 2 * R * Math.asin(Math.sqrt(h));
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function init() {
    var root = document.getElementById("lv-nearby");
    if (!root || root.getAttribute("data-ready")) return;
    if (!(window.fetch && window.Promise && window.URLSearchParams && window.history && history.replaceState)) return;
    root.setAttribute("data-ready", "1");
    var status = document.getElementById("lv-nearby-status");
    var list = document.getElementById("lv-nearby-list");
    var districtSel = document.getElementById("lv-nearby-district");
    var streetSel = document.getElementById("lv-nearby-street");
    var locate = document.getElementById("lv-nearby-locate");
    var data = null, origin = null, originLabel = "";

    fetch(new URL(root.getAttribute("data-places"), location.href).href).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (json) {
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

    function pick() {
      var a = area();
      var params = new URLSearchParams(location.search);
      params.delete("d");
      params.delete("s");
      if (!a) { origin = null; render(); history.replaceState(history.state, "", "?" + params.toString()); return; }
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
      history.replaceState(history.state, "", "?" + params.toString());
      status.textContent = "按离" + originLabel + "的距离排序。";
      render();
    }

    districtSel.addEventListener("change", function () { fillStreets(); pick(); });
    streetSel.addEventListener("change", pick);
    root.querySelectorAll("fieldset input").forEach(function (box) { box.addEventListener("change", render); });

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

    function render() {
      if (!data) return;
      var kinds = {}, freeOnly = false;
      root.querySelectorAll("fieldset input[name=kind]").forEach(function (b) { kinds[b.value] = b.checked; });
      freeOnly = root.querySelector("fieldset input[name=free]").checked;
      var base = new URL(root.getAttribute("data-places"), location.href);
      var rows = data.places.filter(function (p) {
        return kinds[p.kind] && (!freeOnly || p.admission === "free" || p.kind !== "venue" && !p.admission);
      }).map(function (p) { return { p: p, d: origin ? km(origin, [p.lat, p.lng]) : null }; });
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
        list.appendChild(li);
      });
      if (!rows.length) list.appendChild(el("li", "lv-empty", "没有符合条件的地点。"));
    }
  }

  window.lvyinOnEveryPage(init);  // defined by lvyin.js, which loads this script
})();

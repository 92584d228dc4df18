// Shared by the home page's finder (finder.js) and 附近 (nearby.js): nearby/places.json loaded once,
// distances, the reader's days (see lvyinToday in lvyin.js), and one lecture as a list entry.
(function () {
  "use strict";

  var loads = {};
  function load(url) {
    return loads[url] || (loads[url] = fetch(url).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }));
  }

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

  // Days as YYYY-MM-DD, counted in UTC so that no time zone moves them.
  function utc(day) { return new Date(day + "T00:00:00Z"); }
  function addDays(day, n) { var d = utc(day); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); }
  function weekEnd(day) { return addDays(day, (7 - utc(day).getUTCDay()) % 7); }  // Sunday: weeks run Monday to Sunday
  function monthEnd(day) { return new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7), 0)).toISOString().slice(0, 10); }
  function weekday(day) { return "周" + "日一二三四五六".charAt(utc(day).getUTCDay()); }
  function shortDate(day, today) {
    return (day.slice(0, 4) !== today.slice(0, 4) ? day.slice(0, 4) + "年" : "") + (+day.slice(5, 7)) + "月" + (+day.slice(8, 10)) + "日";
  }

  // The place of a lecture: {name, district, point} (point: [lat, lng] or null), or null online.
  function placeOf(l, data) {
    if (l.p !== undefined) {
      var p = data.places[l.p];
      return { name: p.name, district: p.district, street: p.street, point: [p.lat, p.lng], url: p.url };
    }
    return l.pn ? { name: l.pn, district: l.pd, street: "", point: null, url: null } : null;
  }

  function districtName(data, id) {
    for (var i = 0; i < data.areas.length; i++) if (data.areas[i].id === id) return data.areas[i].name;
    return "";
  }

  // One lecture as the site's lists show it (the lecture_item macro), with its distance when known.
  function item(l, data, base, today, distance) {
    var li = el("li", "lv-item lv-lecture lv-status-" + (l.x || "scheduled"));
    var when = el("div", "lv-when");
    var time = el("time", null, shortDate(l.d, today) + " " + weekday(l.d) + " " + l.s + "–" + l.e);
    time.setAttribute("datetime", l.d + "T" + l.s + "+08:00");
    when.appendChild(time);
    if (l.x) when.appendChild(el("span", "lv-badge lv-badge-" + l.x, data.statuses[l.x]));
    li.appendChild(when);
    var a = el("a", "lv-title", l.t);
    a.href = new URL("../lectures/" + l.id + "/", base).href;
    li.appendChild(a);
    var meta = el("div", "lv-meta");
    if (distance !== null && distance !== undefined) meta.appendChild(el("span", "lv-distance", distance.toFixed(1) + " 公里"));
    var place = placeOf(l, data);
    if (place) {
      meta.appendChild(el("span", "lv-place", place.name));
      meta.appendChild(el("span", "lv-district", districtName(data, place.district)));
    }
    if (l.f) meta.appendChild(el("span", "lv-format", data.formats[l.f]));
    meta.appendChild(el("span", "lv-free", "免费"));
    li.appendChild(meta);
    return li;
  }

  window.lvyinLectures = {
    load: load, km: km, el: el, addDays: addDays, weekEnd: weekEnd, monthEnd: monthEnd, weekday: weekday,
    shortDate: shortDate, placeOf: placeOf, item: item,
  };
})();

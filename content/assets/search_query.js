// What a parent's query names besides words to look for (used by search.js): dates (12月, 12月5日,
// 周六, 本周, 明天), ages and school years (8岁, 3-6岁, 初二, 三年级), a kind of entry (讲座, 图书馆,
// 指导站, 讲师) and a district (金台区, 金台). Dates are read by the reader's today in Beijing
// (lvyinToday, lvyin.js) with the day helpers of lectures.js. No DOM: testable alone.
(function () {
  "use strict";

  var days = window.lvyinLectures;
  var NUMBER = "([0-9]{1,4}|[零〇一二两三四五六七八九十]{1,3})";
  var SEP = "\\s*";
  // Kinds a query names, as the 类别 filter's values (generator/templates: m.filters). `keep`:
  // the word is also part of names (宝鸡市图书馆), so it stays in the text and counts as a kind
  // only when it stands alone; the others would only add noise to the text search.
  var KINDS = [
    ["公益讲座", "讲座"], ["讲座", "讲座"], ["讲师", "讲师"], ["老师", "讲师"], ["专家", "讲师"],
    ["指导站点", "指导站点"], ["指导站", "指导站点"], ["站点", "指导站点"], ["家长学校", "指导站点", "keep"],
    ["服务站", "指导站点", "keep"], ["开放场馆", "开放场馆"], ["场馆", "开放场馆"], ["图书馆", "开放场馆", "keep"], ["博物馆", "开放场馆", "keep"],
    ["博物院", "开放场馆", "keep"], ["纪念馆", "开放场馆", "keep"], ["科技馆", "开放场馆", "keep"], ["文化馆", "开放场馆", "keep"],
    ["美术馆", "开放场馆", "keep"], ["实践基地", "实践基地", "keep"], ["研学基地", "实践基地", "keep"], ["基地", "实践基地", "keep"]
  ];
  // School stages as the 适合年龄 filter's values; a lecture for 全学段 carries every one of them.
  var STAGES = ["学前", "小学", "初中", "高中"];

  // 12, "十二", "二十五", "两" → a number; NaN if it is none.
  function number(text) {
    if (/^[0-9]+$/.test(text)) return parseInt(text, 10);
    var digit = function (c) { return "零〇一二两三四五六七八九".indexOf(c) < 0 ? NaN : [0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9]["零〇一二两三四五六七八九".indexOf(c)]; };
    var ten = text.indexOf("十");
    if (ten < 0) return text.length === 1 ? digit(text) : NaN;
    var tens = ten === 0 ? 1 : digit(text.slice(0, ten)), ones = ten === text.length - 1 ? 0 : digit(text.slice(ten + 1));
    return text.length - ten > 2 || ten > 1 ? NaN : tens * 10 + ones;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function iso(year, month, day) {
    var d = new Date(Date.UTC(year, month - 1, day));
    return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? d.toISOString().slice(0, 10) : "";
  }

  function span(from, to) {
    var out = [];
    for (var d = from; d <= to && out.length < 400; d = days.addDays(d, 1)) out.push(d);
    return out;
  }

  function monthDays(year, month) {
    var first = iso(year, month, 1);
    return first ? span(first, days.monthEnd(first)) : [];
  }

  function shortDay(day, today) { return days.shortDate(day, today) + days.weekday(day); }

  function rangeLabel(list, today) {
    return list.length === 1 ? shortDay(list[0], today) : days.shortDate(list[0], today) + "至" + days.shortDate(list[list.length - 1], today);
  }

  // Ways of naming days: [pattern, fn(match, today) → {days, label} or null]. A year not named is
  // every year around today's (the index holds a few); the page lists the upcoming ones first.
  var WEEKDAY = "(周|星期|礼拜)([一二三四五六日天末1-7])";
  var DATES = [
    [new RegExp(NUMBER + "年" + SEP + NUMBER + "月" + SEP + NUMBER + "[日号]"), function (m) {
      var day = iso(number(m[1]), number(m[2]), number(m[3]));
      return day ? { days: [day], label: null } : null;
    }],
    [/([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])/, function (m) {
      var day = iso(+m[1], +m[2], +m[3]);
      return day ? { days: [day], label: null } : null;
    }],
    [new RegExp(NUMBER + "年" + SEP + NUMBER + "月份?"), function (m) {
      var list = monthDays(number(m[1]), number(m[2]));
      return list.length ? { days: list, label: m[1] + "年" + number(m[2]) + "月" } : null;
    }],
    [new RegExp(NUMBER + "月" + SEP + NUMBER + "[日号]"), function (m, today) {
      var month = number(m[1]), day = number(m[2]), year = +today.slice(0, 4), list = [];
      for (var y = year - 1; y <= year + 1; y++) if (iso(y, month, day)) list.push(iso(y, month, day));
      return list.length ? { days: list, label: month + "月" + day + "日" } : null;
    }],
    [new RegExp(NUMBER + "月份?"), function (m, today) {
      var month = number(m[1]), year = +today.slice(0, 4), list = [];
      if (!(month >= 1 && month <= 12)) return null;
      for (var y = year - 1; y <= year + 1; y++) list = list.concat(monthDays(y, month));
      return { days: list, label: month + "月" };
    }],
    [/(今天|今日|明天|明日|大后天|后天)/, function (m, today) {
      var day = days.addDays(today, { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 }[m[1]]);
      return { days: [day], label: shortDay(day, today) };
    }],
    [new RegExp("(这个?|本|下个?)?" + WEEKDAY), function (m, today) {
      var next = !!m[1] && m[1].charAt(0) === "下", end = days.weekEnd(today);
      if (next) end = days.addDays(end, 7);
      var which = m[3];
      if (which === "末") {
        var weekend = span(days.addDays(end, -1), end).filter(function (d) { return d >= today || next; });
        return { days: weekend, label: weekend.length ? rangeLabel(weekend, today) : "" };
      }
      var n = "一二三四五六日天1234567".indexOf(which);
      var offset = [0, 1, 2, 3, 4, 5, 6, 6, 0, 1, 2, 3, 4, 5, 6][n];  // days after Monday
      var day = days.addDays(end, offset - 6);
      if (m[1]) return { days: [day], label: shortDay(day, today) };
      if (day < today) day = days.addDays(day, 7);  // 周六: the coming one; with a month, its Saturdays
      return { days: [day], label: shortDay(day, today), weekday: days.weekday(day) };
    }],
    [/(这个?|本|下个?)(周|星期|礼拜)/, function (m, today) {
      var next = m[1].charAt(0) === "下", end = days.weekEnd(today);
      var list = next ? span(days.addDays(end, 1), days.addDays(end, 7)) : span(today, end);
      return { days: list, label: rangeLabel(list, today) };
    }],
    [/(这个|本|下个|下)月/, function (m, today) {
      var first = today.slice(0, 8) + "01";
      if (m[1].charAt(0) === "下") first = days.addDays(days.monthEnd(first), 1);
      var list = span(m[1].charAt(0) === "下" ? first : today, days.monthEnd(first));
      return { days: list, label: rangeLabel(list, today) };
    }]
  ];

  function stagesOfAges(from, to) {
    var out = [];
    for (var age = from; age <= to; age++) {
      if (age <= 6) out.push("学前");
      if (age >= 6 && age <= 12) out.push("小学");
      if (age >= 12 && age <= 15) out.push("初中");
      if (age >= 15 && age <= 18) out.push("高中");
    }
    return out;
  }

  // Ways of naming a child's age or school year: [pattern, fn(match) → stages].
  var AGES = [
    // 3-6岁: from 3 to under 6 (the kindergarten years), as such ranges are meant.
    [new RegExp(NUMBER + SEP + "(?:-|–|—|~|～|到|至)" + SEP + NUMBER + SEP + "周?岁"), function (m) {
      var from = number(m[1]), to = number(m[2]);
      return stagesOfAges(from, Math.max(from, to - 1));
    }],
    [new RegExp(NUMBER + SEP + "周?岁半?"), function (m) { return stagesOfAges(number(m[1]), number(m[1])); }],
    [/(小学|初中|高中)?([一二三四五六七八九1-9])年级/, function (m) {
      var year = number(m[2]);
      if (m[1] === "初中" || m[1] === "高中") return [m[1]];
      return year <= 6 ? ["小学"] : ["初中"];
    }],
    [/([初高])([一二三123])(?![0-9一二三四五六七八九十])/, function (m) { return [m[1] === "初" ? "初中" : "高中"]; }]
  ];

  // The first match of each pattern in `text` is read and cut out of it.
  function take(text, patterns, today) {
    var found = [];
    patterns.forEach(function (p) {
      var m = text.match(p[0]);
      if (!m) return;
      var value = p[1](m, today);
      if (!value || (value.length === 0) || (value.days && !value.days.length)) return;
      found.push(value);
      text = text.slice(0, m.index) + " " + text.slice(m.index + m[0].length);
    });
    return { text: text, found: found };
  }

  // A district named by its name (金台区) or its name without 区/县 when two characters are left (金台).
  function district(text, districts) {
    var best = null;
    districts.forEach(function (name) {
      var short = name.replace(/[区县]$/, "");
      [name, short.length >= 2 ? short : null].forEach(function (word) {
        if (word && !best && text.indexOf(word) >= 0) best = { name: name, word: word };
      });
    });
    return best;
  }

  function clean(text) { return text.replace(/\s+/g, " ").trim(); }

  // {text, days, dateLabel, stages, kind, kindWord, district, districtWord}: `text` is what is left
  // to look for (date and age words cut out, a kind word too unless it is part of names: then
  // `kindWord` is the word cut out).
  function understand(query, today, known) {
    var text = String(query || "").replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xfee0); });
    var out = { days: null, dateLabel: "", stages: null, kind: null, kindWord: "", district: null, districtWord: "" };
    var dates = take(text, DATES, today);
    if (dates.found.length) {
      // Days named twice are the days both name; a bare weekday with other days (12月 周六) is a
      // weekday among them.
      var weekday = dates.found.length > 1 ? dates.found.filter(function (d) { return d.weekday; })[0] : null;
      var set = null;
      dates.found.forEach(function (d) {
        if (d === weekday) return;
        set = set ? set.filter(function (day) { return d.days.indexOf(day) >= 0; }) : d.days.slice();
      });
      if (weekday) set = set.filter(function (day) { return days.weekday(day) === weekday.weekday; });
      out.days = set;
      out.dateLabel = dates.found.map(function (d) { return d === weekday ? d.weekday : d.label || rangeLabel(d.days, today); }).join("、");
      text = dates.text;
    }
    var ages = take(dates.text, AGES, today);
    if (ages.found.length) {
      var stages = [];
      ages.found.forEach(function (list) { list.forEach(function (s) { if (stages.indexOf(s) < 0) stages.push(s); }); });
      out.stages = STAGES.filter(function (s) { return stages.indexOf(s) >= 0; });
      text = ages.text;
    }
    var place = district(text, (known && known.districts) || []);
    var rest = place ? clean(text.replace(place.word, " ")) : clean(text);
    KINDS.forEach(function (k) {
      if (out.kind) return;
      if (k[2]) {
        if (rest.split(" ").indexOf(k[0]) >= 0) out.kind = k[1];
      } else if (text.indexOf(k[0]) >= 0) {
        out.kind = k[1];
        out.kindWord = k[0];
        text = text.replace(k[0], " ");
      }
    });
    if (place && out.kind) {
      out.district = place.name;
      out.districtWord = place.word;
    }
    out.text = clean(text);
    return out;
  }

  window.lvyinQuery = { understand: understand, number: number };
})();

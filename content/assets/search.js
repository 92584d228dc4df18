// Search page (/search/): a small UI over Pagefind's JS API, loaded from the site's own bundle.
// The query and the filters live in the URL (?q=…&区县=…&类别=…), so a filtered view can be
// shared and bookmarked. Where JavaScript or fetch is missing, the page keeps its plain lists of
// links instead (and says why). Where Intl.Segmenter is missing (older in-app browsers), the
// query is cut into words here (see fallbackWords).
// Runs on every page view, including Material's instant navigation (document$).
(function () {
  "use strict";

  var TERMS_MARK = "〔检索词〕";
  // Facet groups in the order a parent scans them: [filter name in the index, label shown].
  var FACETS = [["类别", "类别"], ["区县", "区县"], ["适合年龄", "适合年龄"], ["主题", "主题"],
    ["时间", "近期 / 往期"], ["门票", "免费开放"]];
  // Ages in school order (generator/vocab.py AUDIENCES; tests/test_search_parts.py checks they agree).
  var AGES = ["学前", "小学", "初中", "高中", "全学段", "祖辈家长", "留守儿童家庭", "困境儿童家庭"];
  var PAGE = 10;
  var RERANK = 20; // results whose data is loaded to find an exact name match
  var FEW = 5; // fewer results than this for the whole query: pages with some of its words follow
  var STOP = ["的", "了", "吗", "呢", "啊", "吧", "呀", "和", "与", "及", "在", "是", "我", "你", "他", "她", "它", "们", "这", "那", "个", "怎么", "什么", "怎么办", "如何", "有", "哪里", "哪儿"];

  function supported() {
    return !!(window.fetch && window.Promise && window.URLSearchParams && window.history && history.replaceState);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
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

  // Entry pages end with hidden extra index terms (word parts, pinyin): never show them.
  function cleanExcerpt(data, query) {
    var cut = data.content.indexOf(TERMS_MARK);
    return cut < 0 ? data.excerpt : excerpt(data.content.slice(0, cut), query);
  }

  // The first sentence of a page's own words (a lecture's 内容介绍, a place's 简介: the headings of
  // their templates, which end with ". " in the indexed text), with the query's words marked; cut
  // only where a sentence or a clause ends, never inside a number or a Latin word. "" if none.
  var OWN_WORDS = /(?:^|\s)(?:内容介绍|简介)\. /;
  var LONGEST = 80;
  function ownSentence(content, query) {
    var cut = content.indexOf(TERMS_MARK);
    if (cut >= 0) content = content.slice(0, cut);
    var at = content.search(OWN_WORDS);
    if (at < 0) return "";
    var text = content.slice(at).replace(OWN_WORDS, "").replace(/\s+/g, " ").trim();
    var end = text.search(/[。！？!?]/);
    if (end >= 0 && end < LONGEST) text = text.slice(0, end + 1);
    else if (text.length > LONGEST) {
      var pause = Math.max(text.lastIndexOf("，", LONGEST), text.lastIndexOf("、", LONGEST), text.lastIndexOf("；", LONGEST));
      var n = pause >= LONGEST / 2 ? pause : LONGEST;
      while (n > 0 && /[0-9A-Za-z]/.test(text.charAt(n - 1)) && /[0-9A-Za-z]/.test(text.charAt(n))) n--;
      text = text.slice(0, n) + "…";
    }
    return marked(text, query);
  }

  // `text`, escaped, with the query's words marked.
  function marked(text, query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    var lower = text.toLowerCase(), out = "", i = 0;
    while (i < text.length) {
      var hit = 0;
      words.forEach(function (w) { if (w.length > hit && lower.substr(i, w.length) === w) hit = w.length; });
      out += hit ? "<mark>" + escapeHtml(text.substr(i, hit)) + "</mark>" : escapeHtml(text.charAt(i));
      i += hit || 1;
    }
    return out;
  }

  function normal(text) {
    return String(text || "").replace(/\s+/g, "").toLowerCase();
  }

  // A big site's index comes in parts (generator/search_index.py): parts.json beside the
  // main bundle lists the other current parts, merged at once and searched as one, and the
  // archive parts (older past lectures), merged only when a parent asks for them.
  function mergeParts(pagefind, bundle, baseUrl) {
    return fetch(bundle + "parts.json").then(function (response) {
      return response.ok ? response.json() : {};
    }, function () { return {}; }).then(function (listing) {
      return Promise.all((listing.current || []).map(function (part) {
        return pagefind.mergeIndex(new URL(part, bundle).href, { baseUrl: baseUrl });
      })).then(function () {
        var archive = listing.archive || [];
        older = archive.length ? {
          parts: archive, loaded: null,
          from: archive[archive.length - 1].from, to: archive[0].to,
          pages: archive.reduce(function (n, part) { return n + part.pages; }, 0),
          load: function () {
            var self = this;
            if (!self.loaded) {
              self.loaded = Promise.all(archive.map(function (part) {
                return pagefind.mergeIndex(new URL(part.url, bundle).href, { baseUrl: baseUrl });
              })).then(function () { self.done = true; }, function (error) {
                self.loaded = null; // a later click tries again
                throw error;
              });
            }
            return self.loaded;
          }
        } : null;
      });
    });
  }

  function month(iso) {
    var parts = iso.split("-");
    return parts[0] + "年" + Number(parts[1]) + "月";
  }

  var loading = null;
  var older = null; // the archive parts: {parts, from, to, pages, load(), done}, or null
  function loadPagefind(bundle, baseUrl) {
    if (!loading) {
      // Through Function so that browsers without dynamic import() still parse this file.
      loading = new Function("u", "return import(u)")(bundle + "pagefind.js").then(function (pagefind) {
        return pagefind.options({ baseUrl: baseUrl, excerptLength: 24 }).then(function () {
          return mergeParts(pagefind, bundle, baseUrl);
        }).then(function () {
          pagefind.init();
          return pagefind;
        });
      });
    }
    return loading;
  }

  function init() {
    var root = document.getElementById("lv-search");
    if (!root || root.getAttribute("data-ready")) return;
    if (!supported()) {
      // The plain lists stay, the typed query too, and the reason is the browser's age.
      var params = window.URLSearchParams ? new URLSearchParams(location.search) : null;
      var q = document.getElementById("lv-q");
      if (params && q) q.value = params.get("q") || "";
      var why = document.getElementById("lv-search-why");
      if (why) why.textContent = "这个浏览器版本较旧，不能使用站内搜索。";
      return;
    }
    root.setAttribute("data-ready", "1");
    var bundle = new URL(root.getAttribute("data-bundle"), location.href).href;
    var baseUrl = new URL("../", bundle).pathname;
    var form = document.getElementById("lv-search-form");
    var input = document.getElementById("lv-q");
    var app = document.getElementById("lv-search-app");
    var facetsBox = document.getElementById("lv-facets");
    var message = document.getElementById("lv-search-message");
    var list = document.getElementById("lv-results");
    var more = document.getElementById("lv-more");
    var archiveNote = el("p", "lv-archive-note");
    archiveNote.id = "lv-archive";
    archiveNote.hidden = true;
    message.parentNode.insertBefore(archiveNote, list);
    var fallback = document.getElementById("lv-search-fallback");
    var why = document.getElementById("lv-search-why");

    var state = readUrl();
    input.value = state.q;
    fallback.hidden = true;
    app.hidden = false;
    message.textContent = "正在加载搜索…";
    var ordered = [], shown = 0, sequence = 0, timer = null, pagefind = null;
    // What the index holds (pagefind.filters()), its number of pages, and what the searches so far
    // told about pages: which are lectures, which of those are past.
    var available = {}, totalPages = 1, pastIds = {}, lectureIds = {};

    loadPagefind(bundle, baseUrl).then(function (pf) {
      pagefind = pf;
      return wantsArchive() ? older.load() : null;
    }).then(function () {
      return pagefind.filters();
    }).then(function (filters) {
      buildFacets(filters);
      root.setAttribute("data-loaded", "1");
      run();
    }).catch(function () {
      message.textContent = "搜索暂时不可用，请稍后再试，或按下面的分类浏览。";
      why.textContent = ""; // the message above says what is wrong
      fallback.hidden = false;
    });

    function readUrl() {
      var params = new URLSearchParams(location.search);
      var filters = {};
      FACETS.forEach(function (f) {
        var values = params.getAll(f[0]).filter(Boolean);
        if (values.length) filters[f[0]] = values;
      });
      return { q: (params.get("q") || "").trim(), filters: filters };
    }

    function writeUrl() {
      var params = new URLSearchParams();
      if (state.q) params.set("q", state.q);
      FACETS.forEach(function (f) {
        (state.filters[f[0]] || []).forEach(function (v) { params.append(f[0], v); });
      });
      var text = params.toString();
      history.replaceState(history.state, "", location.pathname + (text ? "?" + text : ""));
    }

    // Older past lectures are searched once asked for: the 往期 filter, or the button.
    function wantsArchive() {
      return !!(older && !older.done && (state.filters["时间"] || []).indexOf("往期") >= 0);
    }

    function loadArchive() {
      message.textContent = "正在加载往期讲座的索引…";
      archiveNote.hidden = true;
      return older.load().then(function () {
        return pagefind.filters();
      }).then(function (filters) {
        buildFacets(filters);
        run();
      }).catch(function () {
        message.textContent = "往期讲座的索引暂时加载不了，请稍后再试。";
      });
    }

    function showArchiveNote() {
      archiveNote.textContent = "";
      archiveNote.hidden = !older || !!older.done;
      if (archiveNote.hidden) return;
      archiveNote.appendChild(el("span", null, "结果中还没有" + month(older.from) + "至" + month(older.to) + "的往期讲座（" +
        older.pages + " 场）。"));
      var button = el("button", "md-button lv-archive-load", "也搜索这些往期讲座");
      button.type = "button";
      button.addEventListener("click", loadArchive);
      archiveNote.appendChild(button);
    }

    function buildFacets(filters) {
      available = filters;
      totalPages = Object.keys(filters["类别"] || {}).reduce(function (n, k) { return n + filters["类别"][k]; }, 0) || 1;
      facetsBox.textContent = "";
      FACETS.forEach(function (f) {
        var values = Object.keys(available[f[0]] || {});
        if (f[0] === "时间" && older && !older.done && values.indexOf("往期") < 0) values.push("往期");
        if (!values.length) return;
        if (f[0] === "区县" || f[0] === "主题") values.sort(function (a, b) { return a.localeCompare(b, "zh-CN"); });
        if (f[0] === "适合年龄") values.sort(function (a, b) { return AGES.indexOf(a) - AGES.indexOf(b); });
        var group = el("details", "lv-facet");
        group.setAttribute("data-facet", f[0]);
        var chosen = state.filters[f[0]] || [];
        // Closed, so that the results stay in view on a phone; the summary names what is ticked.
        var summary = el("summary", null, f[1]);
        summary.setAttribute("data-label", f[1]);
        if (chosen.length) summary.textContent = f[1] + "：" + chosen.join("、");
        group.appendChild(summary);
        var box = el("div", "lv-facet-values");
        values.forEach(function (v) {
          var label = el("label", "lv-facet-value");
          var check = el("input");
          check.type = "checkbox";
          check.name = f[0];
          check.value = v;
          check.checked = chosen.indexOf(v) >= 0;
          check.addEventListener("change", onFacet);
          label.appendChild(check);
          label.appendChild(el("span", null, v));
          label.appendChild(el("span", "lv-facet-count"));
          box.appendChild(label);
        });
        group.appendChild(box);
        facetsBox.appendChild(group);
      });
      var clear = el("button", "md-button lv-facet-clear", "清除筛选");
      clear.type = "button";
      clear.addEventListener("click", function () {
        facetsBox.querySelectorAll("input:checked").forEach(function (c) { c.checked = false; });
        onFacet();
      });
      facetsBox.appendChild(clear);
    }

    function onFacet() {
      var filters = {};
      facetsBox.querySelectorAll("input:checked").forEach(function (c) {
        (filters[c.name] = filters[c.name] || []).push(c.value);
      });
      state.filters = filters;
      facetsBox.querySelectorAll("summary[data-label]").forEach(function (summary) {
        var label = summary.getAttribute("data-label"), chosen = filters[summary.parentNode.getAttribute("data-facet")];
        summary.textContent = chosen ? label + "：" + chosen.join("、") : label;
      });
      writeUrl();
      if (wantsArchive()) loadArchive();
      else run();
    }

    function pagefindFilters(extra) {
      var out = {};
      Object.keys(state.filters).forEach(function (k) { out[k] = { any: state.filters[k] }; });
      Object.keys(extra || {}).forEach(function (k) { out[k] = Array.isArray(extra[k]) ? { any: extra[k] } : extra[k]; });
      return out;
    }

    function updateCounts(counts) {
      facetsBox.querySelectorAll(".lv-facet-value").forEach(function (label) {
        var check = label.querySelector("input");
        var n = counts && counts[check.name] ? counts[check.name][check.value] || 0 : null;
        if (older && !older.done && check.value === "往期") n = null; // not all counted yet
        label.querySelector(".lv-facet-count").textContent = n === null ? "" : "（" + n + "）";
      });
    }

    // Ranking on top of Pagefind's relevance: an exact name match first, then names that
    // contain the query (in characters or pinyin, meta "py"), and lectures
    // still to come before past ones (past lectures move behind the upcoming ones into
    // the lecture slots that relevance gave them).
    function rank(found, query) {
      var results = found.results, slots = [], upcoming = [], past = [];
      results.forEach(function (r, i) {
        if (lectureIds[r.id]) {
          slots.push(i);
          (pastIds[r.id] ? past : upcoming).push(r);
        }
      });
      var out = results.slice();
      upcoming.concat(past).forEach(function (r, k) { out[slots[k]] = r; });
      var head = out.slice(0, RERANK);
      return Promise.all(head.map(function (r) { return r.data(); })).then(function (datas) {
        var exact = [], named = [], rest = [], q = normal(query);
        var words = query.split(/\s+/).map(normal).filter(Boolean);
        head.forEach(function (r, i) {
          var meta = datas[i].meta || {}, title = normal(meta.title);
          var where = title + " " + normal(meta.district) + " " + (meta.py || "");
          r.lvData = datas[i];
          if (q && title === q) exact.push(r);
          // Every word in the name, its pinyin, or (金台区 图书馆) the district.
          else if (words.length && words.every(function (w) { return where.indexOf(w) >= 0; })) named.push(r);
          else rest.push(r);
        });
        // Past lectures whose names match come after the other names that match (a museum before
        // last year's talk held there).
        var namedNow = named.filter(function (r) { return !pastIds[r.id]; });
        var namedPast = named.filter(function (r) { return pastIds[r.id]; });
        // Lectures of the very name (a talk given on several dates): the next one first, then
        // the later ones, then the past ones from the latest.
        var dated = function (r) { return !!(r.lvData.meta || {}).date; };
        var soonest = function (a, b) {
          var pa = pastIds[a.id] ? 1 : 0, pb = pastIds[b.id] ? 1 : 0;
          var da = a.lvData.meta.date, db = b.lvData.meta.date;
          return pa - pb || (da < db ? -1 : da > db ? 1 : 0) * (pa ? -1 : 1);
        };
        exact = exact.filter(function (r) { return !dated(r); }).concat(exact.filter(dated).sort(soonest));
        return { results: exact.concat(namedNow, namedPast, rest, out.slice(RERANK)), filters: found.filters };
      });
    }

    function run() {
      if (!pagefind) return;
      var mine = ++sequence;
      var query = state.q;
      var hasFilters = Object.keys(state.filters).length > 0;
      if (!query && !hasFilters) {
        list.textContent = "";
        more.hidden = true;
        archiveNote.hidden = true;
        message.textContent = "输入关键词，或选择下面的筛选条件。";
        updateCounts(null);
        return;
      }
      message.textContent = "正在搜索…";
      var asked;
      foldQuery(query).then(function (folded) {
        asked = understand(folded);
        return collect(asked, !state.filters["时间"]);
      }).then(function (found) {
        if (mine !== sequence) return;
        updateCounts(found.filters);
        ordered = found.results;
        shown = 0;
        list.textContent = "";
        // The first results are shown before the message counts them.
        return showMore().then(function () {
          if (mine !== sequence) return;
          var where = query ? "“" + query + "”" : "所选条件";
          var read = readAs(asked);
          message.textContent = (found.results.length ? "找到 " + found.results.length + " 条与" + where + "相关的结果" + read
            : "没有找到与" + where + "相关的结果" + read + "。试试更短的词、拼音，或减少筛选条件。");
          showArchiveNote();
        });
      }).catch(function () {
        if (mine === sequence) message.textContent = "搜索出错了，请稍后再试。";
      });
    }

    // ---- What the query names (dates, ages, a kind, a district: search_query.js) and the searches it makes.

    function understand(query) {
      var known = { districts: Object.keys(available["区县"] || {}) };
      var asked = query ? window.lvyinQuery.understand(query, window.lvyinToday(), known) : { text: "" };
      // A filter the parent ticked wins over the same one read from the query.
      asked.hard = {};
      if (asked.days && !state.filters["日期"]) asked.hard["日期"] = asked.days;
      if (asked.stages && !state.filters["适合年龄"]) asked.hard["适合年龄"] = asked.stages;
      return asked;
    }

    // How the page read the query, as the message says it: "（日期：12月；适合：小学）".
    function readAs(asked) {
      var said = [];
      if (asked.hard && asked.hard["日期"]) said.push("日期：" + asked.dateLabel);
      if (asked.hard && asked.hard["适合年龄"]) said.push("适合：" + asked.stages.join("、"));
      return said.length ? "（" + said.join("；") + "）" : "";
    }

    // The results of a query, most telling first, each page once:
    // 1. a kind named (金台区 讲座): entries of that kind (in that district);
    // 2. a topic named (亲子阅读, qinziyuedu): the topic's page and its upcoming lectures;
    // 3. the words, within the dates and ages the query names (rank orders them);
    // 4. when those are few: pages with some of the words (anyWord);
    // 5. with dates or ages named: the words' other pages (or, for an age alone, the stage's).
    // Lists of lectures by date (12月, 8岁, 讲座) go upcoming from the soonest, then past from the
    // latest. Every search has words: a search for nothing would load the whole index, so a list
    // without words searches the lectures' date words (see byMonths).
    function collect(asked, withTime) {
      var text = asked.text, hard = asked.hard, dated = !!hard["日期"], constrained = Object.keys(hard).length > 0;
      var kind = null, topic = null, other = null, main;
      if (asked.kind) {
        var kindText = asked.district ? text.replace(asked.districtWord, " ").replace(/\s+/g, " ").trim() : text;
        var kindFilters = extend(hard, { "类别": [asked.kind] });
        if (asked.district) kindFilters["区县"] = [asked.district];
        if (dated || (!kindText && !asked.district && asked.kind === "讲座")) kind = byMonths(kindText, kindFilters, withTime);
        else kind = find(kindText || asked.district || asked.kindWord, kindFilters, withTime, !kindText).then(function (found) {
          return kindText ? rank(found, kindText) : inTimeOrder(found);
        });
      }
      if (text) topic = topicNamed(text, hard);
      if (dated || (!text && constrained)) main = byMonths(text, hard, withTime);
      else if (text || !asked.kind) main = find(text || null, hard, withTime, false).then(function (found) { return rank(found, text); }).then(function (found) {
        return text ? withSoundAlike(found, text, hard, withTime) : found;
      });
      else main = Promise.resolve(null);
      var loose = main.then(function (found) {
        return text && !(found && found.results.length >= FEW) ? anyWord(text, hard, !!found && found.results.length > 0) : null;
      });
      var otherText = text || (asked.stages && !dated ? asked.stages.join(" ") : "");
      if (constrained && otherText) other = find(otherText, {}, withTime, false).then(function (found) { return rank(found, otherText); });
      return Promise.all([kind, topic, main, loose, other]).then(function (tiers) {
        var seen = {}, results = [];
        tiers.forEach(function (tier) {
          (tier ? tier.results : []).forEach(function (r) {
            if (seen[r.id]) return;
            seen[r.id] = 1;
            results.push(r);
          });
        });
        // The filters' counts: of the words' results, else of the first results there are.
        var counted = [tiers[2]].concat(tiers).filter(function (t) { return t && t.filters && t.results.length; })[0];
        return { results: results, filters: counted ? counted.filters : {} };
      });
    }

    function extend(filters, more) {
      var out = {};
      [filters, more].forEach(function (f) { Object.keys(f).forEach(function (k) { out[k] = f[k]; }); });
      return out;
    }

    // Lectures of the days under `filters` (its 日期; none: the coming three months) with `text`,
    // by date: a lecture page holds its day as a word (d20261205, generator/search_terms.py), so
    // each month is one search for the month's prefix (d202612), in date order.
    function byMonths(text, filters, withTime) {
      var days = filters["日期"], months = [];
      if (!days) {
        var first = window.lvyinToday().slice(0, 8) + "01";
        days = [first];
        for (var i = 0; i < 2; i++) days.push(window.lvyinLectures.addDays(window.lvyinLectures.monthEnd(days[i]), 1));
      }
      days.forEach(function (day) {
        var month = "d" + day.slice(0, 7).replace("-", "");
        if (months.indexOf(month) < 0) months.push(month);
      });
      months.sort();
      if (!months.length) return Promise.resolve({ results: [], filters: {} });
      return Promise.all(months.map(function (month) {
        return find(text, filters, withTime, true, month);
      })).then(function (found) {
        var results = [], counts = null;
        found.forEach(function (f) {
          results = results.concat(f.results);
          if (!counts && f.results.length) counts = f.filters;
        });
        return inTimeOrder({ results: results, filters: counts || found[0].filters });
      });
    }

    // The queries run for `text`, with their weights: the text as typed, and as the index cuts its
    // words. Other readings of a query add theirs here; the two that need a map fetched on demand
    // sit around it: traditional characters are folded before the query is read (foldQuery),
    // sound-alikes searched once the words' results are ranked (withSoundAlike).
    function variants(text) {
      return [{ q: text, weight: 1 }].concat(cutAsIndexed(text).map(function (q) { return { q: q, weight: 1 }; }));
    }

    // `text` (null: every page, only for filters without a query) and `term` (a date word) under
    // `filters`, each variant searched: the results of the one that finds the most (counted by
    // weight) in Pagefind's order, then the others' by weighted score; `byDate`: the first in the
    // order of their dates (lectures), then the others.
    function find(text, filters, withTime, byDate, term) {
      var tries = text ? variants(text) : [{ q: null, weight: 1 }];
      if (term) tries = tries.map(function (v) { return { q: (v.q ? v.q + " " : "") + term, weight: v.weight }; });
      return Promise.all(tries.map(function (v) { return searchWith(v.q, withTime, filters); })).then(function (tried) {
        var best = 0;
        tried.forEach(function (t, i) {
          if (t[0].results.length * tries[i].weight > tried[best][0].results.length * tries[best].weight) best = i;
        });
        var seen = {}, results = tried[best][0].results.slice(), others = [];
        results.forEach(function (r) { seen[r.id] = 1; });
        tried.forEach(function (t, i) {
          t[0].results.forEach(function (r) {
            if (seen[r.id]) return;
            seen[r.id] = 1;
            r.lvScore = (r.score || 0) * tries[i].weight;
            others.push(r);
          });
        });
        others.sort(function (a, b) { return b.lvScore - a.lvScore; });
        var found = { results: results.concat(others), filters: tried[best][0].filters };
        if (!byDate || tries[best].q === null) return found;
        return pagefind.search(tries[best].q, { filters: pagefindFilters(filters), sort: { date: "asc" } }).then(function (sorted) {
          var at = {};
          sorted.results.forEach(function (r, i) { at[r.id] = i; });
          var dated = found.results.filter(function (r) { return at[r.id] !== undefined; });
          dated.sort(function (a, b) { return at[a.id] - at[b.id]; });
          return { results: dated.concat(found.results.filter(function (r) { return at[r.id] === undefined; })), filters: found.filters };
        });
      });
    }

    // Traditional characters (學習, 長) are folded to simplified ones (学习, 长) with OpenCC's data
    // (/search/fold.json, made by generator/render/folding.py). A phone in simplified mode types
    // only the characters of GB 2312, so the map is fetched only for a query with one outside it.
    function foldQuery(query) {
      if (!needsFolding(query)) return Promise.resolve(query);
      return loadMap("fold").then(function (map) {
        if (!map) return query;
        if (!map.byChar) {
          map.byChar = {};
          for (var i = 0; i + 1 < map.chars.length; i += 2) map.byChar[map.chars.charAt(i)] = map.chars.charAt(i + 1);
          map.longest = Object.keys(map.phrases).reduce(function (n, p) { return Math.max(n, p.length); }, 0);
        }
        var out = "", at = 0;
        while (at < query.length) {
          var n = Math.min(map.longest, query.length - at);
          while (n > 1 && !map.phrases.hasOwnProperty(query.substr(at, n))) n--;
          if (n > 1) { out += map.phrases[query.substr(at, n)]; at += n; continue; }
          var c = query.charAt(at++);
          out += map.byChar.hasOwnProperty(c) ? map.byChar[c] : c;
        }
        return out;
      });
    }

    function needsFolding(query) {
      var common = commonCharacters();
      return (query.match(/[\u3400-\u9fff\uf900-\ufaff]/g) || []).some(function (c) { return !common[c]; });
    }

    // The Han characters of GB 2312, read with the browser's own GBK decoder (no data to load).
    // Without one, every Chinese query counts as possibly traditional.
    var common = null;
    function commonCharacters() {
      if (common) return common;
      common = {};
      try {
        var bytes = [];
        for (var lead = 0xb0; lead < 0xf8; lead++) for (var trail = 0xa1; trail < 0xff; trail++) bytes.push(lead, trail);
        var text = new TextDecoder("gbk").decode(new Uint8Array(bytes));
        for (var i = 0; i < text.length; i++) common[text.charAt(i)] = 1;
      } catch (e) { /* no TextDecoder or no GBK */ }
      return common;
    }

    // Sound-alike search: when no result is named with the query and none holds it as written
    // (心里健康, a slip of the input method for 心理健康; 厌学 is a word of its own, not 研学), the
    // query's pinyin (/search/pinyin.json, fetched then) is searched among the pinyin indexed with
    // every name, and the pages named so come first. Its other results are left out: a pinyin word
    // no page has still finds pages by a shorter start of it (shangbanmang… → shang…), which are
    // noise and would stop the search for pages with some of the words (anyWord).
    function withSoundAlike(found, text, filters, withTime) {
      var head = found.results.slice(0, RERANK), written = normal(text);
      if (!/[\u3400-\u9fff]/.test(text) || head.some(function (r) {
        return namedWith(r, text) || normal((r.lvData || {}).content).indexOf(written) >= 0;
      })) return Promise.resolve(found);
      return loadMap("pinyin").then(function (map) {
        if (!map) return found;
        var sounds = soundsOf(text, map);
        return Promise.all(sounds.map(function (q) {
          return find(q, filters, withTime, false).then(function (f) { return rank(f, q); });
        })).then(function (tried) {
          var named = tried.map(function (f, i) { return f.results.filter(function (r) { return namedWith(r, sounds[i]); }); });
          var best = named.reduce(function (b, n, i) { return n.length > named[b].length ? i : b; }, 0);
          var seen = {};
          var results = named[best].concat(found.results).filter(function (r) {
            return seen[r.id] ? false : (seen[r.id] = 1);
          });
          return { results: results, filters: found.filters };
        });
      });
    }

    // Whether a result's name, pinyin or district holds every word of `query` (its data loaded by rank).
    function namedWith(r, query) {
      var meta = (r.lvData || {}).meta || {};
      var where = normal(meta.title) + " " + normal(meta.district) + " " + (meta.py || "");
      var words = query.split(/\s+/).map(normal).filter(Boolean);
      return words.length > 0 && words.every(function (w) { return where.indexOf(w) >= 0; });
    }

    // The query's pinyin: each run of Chinese characters as one word (宝鸡市图书管 → baojishitushuguan),
    // and each of its words alone (心里 健康 → xinli jiankang; see singlesJoined).
    function soundsOf(query, map) {
      if (!map.bySound) {
        map.bySound = {};
        Object.keys(map).forEach(function (sound) {
          if (sound === "bySound") return;
          for (var i = 0; i < map[sound].length; i++) map.bySound[map[sound].charAt(i)] = sound;
        });
      }
      var say = function (text) {
        return text.replace(/[\u3400-\u9fff]/g, function (c) { return map.bySound[c] || c; });
      };
      var whole = say(query), apart = singlesJoined(queryWords(query)).map(say).join(" ");
      return whole === apart ? [whole] : [whole, apart];
    }

    // The words with each run of one-character Chinese words joined (心理 付 导 中心 → 心理 付导 中心):
    // the browser cuts a word it does not know, often the slip itself, into characters, while the
    // pinyin indexed with a name starts only where one of its words starts (fudaozhongxin, not daozhongxin).
    function singlesJoined(words) {
      var single = function (w) { return w.length === 1 && /[\u3400-\u9fff]/.test(w); };
      var out = [];
      words.forEach(function (w, i) {
        if (i > 0 && single(w) && single(words[i - 1])) out[out.length - 1] += w;
        else out.push(w);
      });
      return out;
    }

    // A map of the search page's (fold, pinyin), fetched once, on first need; null where it fails.
    var maps = {};
    function loadMap(name) {
      if (!maps[name]) {
        maps[name] = fetch(new URL("../search/" + name + ".json", bundle).href).then(function (response) {
          return response.ok ? response.json() : null;
        }).catch(function () { return null; }).then(function (map) {
          if (!map) delete maps[name]; // a later query tries again
          return map;
        });
      }
      return maps[name];
    }

    // Results in date order made upcoming first: the upcoming lectures from the soonest, then the
    // other pages, then the past lectures from the latest.
    function inTimeOrder(found) {
      var lectures = found.results.filter(function (r) { return lectureIds[r.id]; });
      var upcoming = lectures.filter(function (r) { return !pastIds[r.id]; });
      var past = lectures.filter(function (r) { return pastIds[r.id]; }).reverse();
      var undated = found.results.filter(function (r) { return !lectureIds[r.id]; });
      return { results: upcoming.concat(undated, past), filters: found.filters };
    }

    // `q` (null: every page) under `extra` filters, and (`withTime`) among past and among upcoming
    // pages, to tell which lectures are past (pastIds) and which pages are lectures (lectureIds).
    function searchWith(q, withTime, extra) {
      var searches = [pagefind.search(q, { filters: pagefindFilters(extra) })];
      if (withTime) {
        searches.push(pagefind.search(q, { filters: pagefindFilters(extend(extra, { "时间": "往期" })) }));
        searches.push(pagefind.search(q, { filters: pagefindFilters(extend(extra, { "时间": "近期" })) }));
      }
      return Promise.all(searches).then(function (found) {
        if (found[1]) found[1].results.forEach(function (r) { pastIds[r.id] = 1; lectureIds[r.id] = 1; });
        if (found[2]) found[2].results.forEach(function (r) { lectureIds[r.id] = 1; });
        return found;
      });
    }

    // A topic whose name (or its pinyin, or part of its name) is the query: its page, then its
    // upcoming lectures from the soonest. null when the query names none.
    function topicNamed(text, hard) {
      var q = normal(text), kinds = state.filters["类别"];
      if (kinds && kinds.length && kinds.indexOf("主题") < 0) return Promise.resolve(null); // the parent chose other kinds
      return pagefind.search(text, { filters: pagefindFilters({ "类别": "主题" }) }).then(function (found) {
        var first = found.results[0];
        return first ? first.data().then(function (d) {
          var name = normal((d.meta || {}).title), py = ((d.meta || {}).py || "").split(" ");
          var topic = d.filters && d.filters["主题"] ? d.filters["主题"][0] : null;
          var named = name === q || py.indexOf(q) >= 0 || (/[\u4e00-\u9fff]{2}/.test(q) && name.indexOf(q) >= 0);
          if (!topic || !named) return null;
          first.lvData = d;
          return find(topic, extend(hard, { "主题": [topic], "时间": ["近期"] }), false, true).then(function (lectures) {
            return { results: [first].concat(lectures.results), filters: null };
          });
        }) : null;
      });
    }

    // The query's words as the browser cuts them (Intl.Segmenter, which Pagefind uses too), or
    // where it has none, as fallbackWords does.
    function queryWords(query) {
      if (!(window.Intl && Intl.Segmenter)) return fallbackWords(query, 0);
      var words = [];
      var segments = new Intl.Segmenter("zh-CN", { granularity: "word" }).segment(query);
      for (var it = segments[Symbol.iterator](), step = it.next(); !step.done; step = it.next()) {
        if (step.value.isWordLike) words.push(step.value.segment);
      }
      return words;
    }

    // Pagefind 1.5 cuts most Chinese words of three characters into shorter ones as it indexes
    // (青春期 → 青春 期, 青少年 → 青少 年), while the browser keeps many of them whole in the
    // query: such a word then finds only the pages where a longer indexed word starts with it
    // (Pagefind issue #1237). So the query is also searched with those words cut 2+1 and 1+2.
    function cutAsIndexed(query) {
      if (!(window.Intl && Intl.Segmenter)) return fallbackCuts(query);
      var twoOne = [], oneTwo = [], cut = false;
      queryWords(query).forEach(function (w) {
        if (/^[\u4e00-\u9fff]{3}$/.test(w)) {
          cut = true;
          twoOne.push(w.slice(0, 2), w.slice(2));
          oneTwo.push(w.slice(0, 1), w.slice(1));
        } else {
          twoOne.push(w);
          oneTwo.push(w);
        }
      });
      return cut ? [twoOne.join(" "), oneTwo.join(" ")] : [];
    }

    // Without Intl.Segmenter, Pagefind takes a Chinese query as one word, which finds nothing: the
    // query is cut here instead, without a dictionary. Most words Pagefind indexes are of two
    // characters (longer ones it cuts 2+1, see cutAsIndexed) and a query's word finds the indexed
    // words it begins, so each run of Chinese characters is cut into pairs: from its first
    // character (亲子 阅读) and, as a second try, from its second (孩 子玩 手机 finds 手机).
    // Latin letters and digits (pinyin, tsg) stay whole.
    function fallbackWords(query, shift) {
      var words = [];
      (query.match(/[\u3400-\u9fff\uf900-\ufaff]+|[0-9A-Za-z\u00c0-\u024f]+/g) || []).forEach(function (run) {
        if (!/^[\u3400-\u9fff\uf900-\ufaff]/.test(run) || run.length < 3) { words.push(run.toLowerCase()); return; }
        var at = shift && run.length > 2 ? 1 : 0;
        if (at) words.push(run.slice(0, 1));
        for (; at < run.length; at += 2) words.push(run.slice(at, at + 2));
      });
      return words;
    }

    function fallbackCuts(query) {
      var cuts = [fallbackWords(query, 0).join(" "), fallbackWords(query, 1).join(" ")];
      return cuts[0] === cuts[1] ? [cuts[0]] : cuts;
    }

    // Pages with some of the query's words (孩子 不爱 写作业): each word searched alone, scores added
    // up, rarer words weighing more; one-character words count too (爸妈老吵: 吵 finds the talk).
    // `some`: the whole query found a few pages, which stay first; null when there is nothing to add.
    function anyWord(text, hard, some) {
      var words = queryWords(text).filter(function (w, i, all) { return all.indexOf(w) === i && STOP.indexOf(w) < 0; });
      if (words.length < 2 && (some || !words.length || words[0].length > 1)) return Promise.resolve(null);
      if (words.length < 2) words = words[0].split("");  // a word the index does not hold: its characters
      return Promise.all(words.map(function (w) {
        return pagefind.search(w, { filters: pagefindFilters(hard) });
      })).then(merge);
    }

    // A word found on many pages (孩子) counts less than a rare one (手机): each word's scores are
    // weighted by log(1 + pages / pages with the word).
    function merge(searches) {
      var byId = {}, list = [], counts = {};
      searches.forEach(function (found, i) {
        var weight = Math.log(1 + Math.max(totalPages, found.results.length) / Math.max(1, found.results.length));
        found.results.forEach(function (r) {
          if (byId[r.id]) { byId[r.id].lvScore += r.score * weight; return; }
          r.lvScore = r.score * weight;
          byId[r.id] = r;
          list.push(r);
        });
        Object.keys(found.filters || {}).forEach(function (k) {
          counts[k] = counts[k] || {};
          Object.keys(found.filters[k]).forEach(function (v) { counts[k][v] = Math.max(counts[k][v] || 0, found.filters[k][v]); });
        });
      });
      list.sort(function (a, b) { return b.lvScore - a.lvScore; });
      return { results: list, filters: counts };
    }

    function showMore() {
      var these = ordered, page = ordered.slice(shown, shown + PAGE);
      shown += page.length;
      more.hidden = shown >= ordered.length;
      return Promise.all(page.map(function (r) { return r.lvData || r.data(); })).then(function (datas) {
        if (these !== ordered) return;  // a newer search has replaced them
        datas.forEach(function (d) { list.appendChild(item(d)); });
      });
    }

    // A result: its kind, its name, then what a parent decides by, one line each, from the page's
    // metadata (time, place, who it is for …), and the first sentence of its own words, never a
    // cut run of its labelled facts. Pages without such metadata (articles) show Pagefind's excerpt.
    function item(d) {
      var m = d.meta || {};
      var li = el("li", "lv-item lv-result" + (m.status === "已取消" ? " lv-status-cancelled" : ""));
      var head = el("div", "lv-when");
      var kind = m.kind || (d.filters && d.filters["类别"] ? d.filters["类别"][0] : "");
      if (kind) head.appendChild(el("span", "lv-kind", kind));
      if (m.status) head.appendChild(el("span", "lv-badge lv-badge-" + (m.status === "已取消" ? "cancelled" : "postponed"), m.status));
      li.appendChild(head);
      var a = el("a", "lv-title", m.title || d.url);
      a.href = d.url;
      li.appendChild(a);
      var place = m.place ? m.place + (m.district ? "（" + m.district + "）" : "") : m.district;
      var lines = [["lv-line-when", "时间", m.when], ["lv-line-place", m.address ? "区县" : "地点", place],
        ["lv-line-address", "地址", m.address], ["lv-line-audience", "适合", m.audience],
        ["lv-line-hours", "开放", m.hours], ["lv-line-admission", "门票", m.admission], ["lv-line-org", "单位", m.org]];
      var facts = el("div", "lv-result-lines");
      lines.forEach(function (line) {
        if (!line[2]) return;
        var p = el("p", line[0]);
        p.appendChild(el("span", "lv-line-label", line[1] + "："));
        p.appendChild(document.createTextNode(line[2]));
        facts.appendChild(p);
      });
      if (facts.childNodes.length) li.appendChild(facts);
      var text = facts.childNodes.length ? ownSentence(d.content, state.q) : cleanExcerpt(d, state.q);
      if (text) {
        var p = el("p", "lv-excerpt");
        p.innerHTML = text; // escaped text with <mark> (Pagefind's excerpt is too)
        li.appendChild(p);
      }
      return li;
    }

    more.addEventListener("click", showMore);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      state.q = input.value.trim();
      writeUrl();
      run();
      input.blur(); // closes the phone keyboard so the results show
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        state.q = input.value.trim();
        writeUrl();
        run();
      }, 300);
    });
  }

  window.lvyinOnEveryPage(init);  // defined by lvyin.js, which loads this script
})();

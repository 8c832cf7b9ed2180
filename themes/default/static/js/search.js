/* dangjian site search.
 *
 * The index is cut into small script files (search/i/*.js for tokens, search/d/*.js for
 * stories, search/f/*.js for filters); each calls dangjianSearch.add(name, data). A query
 * loads only the files it needs by adding <script> elements, which also works from
 * file://, where fetch and XMLHttpRequest of local files are blocked. Plain ES2017, no
 * modules, nothing from outside the site. The format is described in generator/search.py.
 */
(function () {
  "use strict";

  var form = document.getElementById("search");
  if (!form) {
    return;
  }
  var PAGE = 10;
  var DEBOUNCE_MS = 150;
  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var HAN_CHAR = new RegExp("^[" + HAN + "]$");
  var TERM_PART = new RegExp("[" + HAN + "]+|[0-9a-z]+", "g");
  var TO_FOLD = /[A-Z\u3000\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = [];
  for (var a = 0; a < ALPHABET.length; a++) {
    VALUE[ALPHABET.charCodeAt(a)] = a;
  }

  var bits = parseInt(form.getAttribute("data-bits"), 10);
  var version = form.getAttribute("data-version");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var filterNames = ["kind", "unit", "activity"];

  var store = {};    // file name -> the data it handed over
  var loading = {};  // file name -> Promise of that data
  var shardMaps = {};  // shard name -> {token: [all fields, title]}
  var current = null;  // the query being shown
  var runs = 0;

  window.dangjianSearch = {
    add: function (name, data) {
      store[name] = data;
    },
    query: queryAll,
    // For tests: the shard a token is stored in, and how a query is read.
    shard: shardOf,
    parse: parseQuery
  };

  function message(name, values) {
    var text = form.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(String(values[key]));
    });
    return text;
  }

  // ------------------------------------------------------------------ text and tokens

  // Length-preserving, like generator.search.fold: offsets in folded text are offsets in the text.
  function fold(text) {
    return text.replace(TO_FOLD, function (c) {
      var code = c.charCodeAt(0);
      if (code === 0x3000) {
        return " ";
      }
      if (code >= 0xff10) {
        code -= 0xfee0;
      }
      return String.fromCharCode(code).toLowerCase();
    });
  }

  function parseQuery(query) {
    var terms = [];
    fold(query).split(/\s+/).forEach(function (word) {
      if (!word) {
        return;
      }
      var parts = word.match(TERM_PART) || [];
      var tokens = [];
      parts.forEach(function (part) {
        if (HAN_CHAR.test(part.charAt(0))) {
          for (var i = 0; i + 1 < part.length; i++) {
            tokens.push(part.substr(i, 2));
          }
        } else {
          tokens.push(part);
        }
      });
      if (parts.length === 1 && word === parts[0] && word.length === 1 && HAN_CHAR.test(word)) {
        terms.push({text: word, tokens: [word], titleOnly: true, exact: true});
      } else if (tokens.length) {
        var unique = tokens.filter(function (token, i) { return tokens.indexOf(token) === i; });
        var exact = parts.length === 1 && word === parts[0] && tokens.length === 1;
        terms.push({text: word, tokens: unique, titleOnly: false, exact: exact});
      }
    });
    return terms;
  }

  // FNV-1a over UTF-16 code units, as generator.search.fnv1a.
  function shardOf(token) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < token.length; i++) {
      hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193) >>> 0;
    }
    var name = (hash & ((1 << bits) - 1)).toString(16);
    while (name.length < ((bits + 3) >> 2)) {
      name = "0" + name;
    }
    return "i/" + name;
  }

  // ------------------------------------------------------------------ loading

  function load(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = name + ".js?v=" + version;
        script.onload = function () {
          script.parentNode.removeChild(script);
          if (name in store) {
            resolve(store[name]);
          } else {
            delete loading[name];
            reject(new Error("no data in " + name));
          }
        };
        script.onerror = function () {
          script.parentNode.removeChild(script);
          delete loading[name];
          reject(new Error("cannot load " + name));
        };
        document.head.appendChild(script);
      });
    }
    return loading[name];
  }

  function decode(text) {
    var ids = [];
    if (!text) {
      return ids;
    }
    if (text.charAt(0) === "~") {
      var body = text.slice(1).replace(/-/g, "+").replace(/_/g, "/");
      while (body.length % 4) {
        body += "=";
      }
      var bytes = atob(body);
      for (var b = 0; b < bytes.length; b++) {
        var byte = bytes.charCodeAt(b);
        for (var k = 0; byte && k < 8; k++) {
          if (byte & (1 << k)) {
            ids.push(b * 8 + k);
          }
        }
      }
      return ids;
    }
    var value = 0;
    var shift = 0;
    var previous = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = VALUE[text.charCodeAt(i)];
      value += (digit & 31) * Math.pow(2, shift);
      shift += 5;
      if (!(digit & 32)) {
        previous = ids.length ? previous + value + 1 : value;
        ids.push(previous);
        value = 0;
        shift = 0;
      }
    }
    return ids;
  }

  function entry(token) {
    var name = shardOf(token);
    var map = shardMaps[name];
    if (!map) {
      map = shardMaps[name] = {};
      var data = store[name];
      for (var i = 0; i + 2 < data.length; i += 3) {
        map[data[i]] = [data[i + 1], data[i + 2]];
      }
    }
    return map[token] || ["", ""];
  }

  function intersect(a, b) {
    var out = [];
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        out.push(a[i]);
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ searching

  // Candidates of a query, ranked: more terms in the title first, then newest (highest id) first.
  async function candidates(terms, filters) {
    var names = {};
    terms.forEach(function (term) {
      term.tokens.forEach(function (token) { names[shardOf(token)] = true; });
    });
    filters.forEach(function (filter) { names["f/" + filter] = true; });
    await Promise.all(Object.keys(names).map(load));
    var found = null;
    filters.forEach(function (filter) {
      var ids = decode(store["f/" + filter]);
      found = found === null ? ids : intersect(found, ids);
    });
    var inTitle = terms.map(function (term) {
      var every = null;
      var title = null;
      term.tokens.forEach(function (token) {
        var postings = entry(token);
        var titleIds = decode(postings[1]);
        var ids = term.titleOnly ? titleIds : decode(postings[0]);
        title = title === null ? titleIds : intersect(title, titleIds);
        every = every === null ? ids : intersect(every, ids);
      });
      found = found === null ? every : intersect(found, every);
      return new Set(title);
    });
    return found.map(function (id) {
      var score = 0;
      inTitle.forEach(function (title) { score += title.has(id) ? 1 : 0; });
      return {id: id, score: score};
    }).sort(function (x, y) { return y.score - x.score || y.id - x.id; });
  }

  function haystack(doc) {
    if (doc.folded === undefined) {
      doc.folded = fold(doc.t + "\n" + doc.s + "\n" + doc.x);
    }
    return doc.folded;
  }

  function matches(doc, terms) {
    return terms.every(function (term) { return term.exact || haystack(doc).indexOf(term.text) >= 0; });
  }

  // Ids of every story a query finds, in rank order (for tests and benchmarks). Story files are
  // loaded only when a term must be checked on the text, as the result list would.
  async function queryAll(query, filters) {
    var terms = parseQuery(query);
    if (!terms.length) {
      return [];
    }
    var hits = await candidates(terms, filters || []);
    if (terms.every(function (term) { return term.exact; })) {
      return hits.map(function (hit) { return hit.id; });
    }
    var docs = await Promise.all(hits.map(function (hit) { return load("d/" + hit.id); }));
    return hits.filter(function (hit, i) { return matches(docs[i], terms); }).map(function (hit) { return hit.id; });
  }

  // ------------------------------------------------------------------ showing

  function ranges(folded, terms) {
    var found = [];
    terms.forEach(function (term) {
      var at = folded.indexOf(term.text);
      while (at >= 0) {
        found.push([at, at + term.text.length]);
        at = folded.indexOf(term.text, at + term.text.length);
      }
    });
    found.sort(function (x, y) { return x[0] - y[0]; });
    var merged = [];
    found.forEach(function (range) {
      var last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) {
        last[1] = Math.max(last[1], range[1]);
      } else {
        merged.push(range.slice());
      }
    });
    return merged;
  }

  // Text nodes with <mark> around each match; user text never goes through innerHTML.
  function marked(parent, text, terms) {
    var at = 0;
    ranges(fold(text), terms).forEach(function (range) {
      parent.appendChild(document.createTextNode(text.slice(at, range[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(range[0], range[1]);
      parent.appendChild(mark);
      at = range[1];
    });
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function snippet(doc, terms) {
    var body = doc.x.replace(/\n/g, " ");
    var source = body;
    var folded = fold(body);
    var first = -1;
    terms.forEach(function (term) {
      var at = term.titleOnly ? -1 : folded.indexOf(term.text);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    });
    if (first < 0 && doc.s) {
      source = doc.s;
      first = 0;
    }
    var start = Math.max(0, first - 24);
    var end = Math.min(source.length, start + 120);
    return (start > 0 ? "…" : "") + source.slice(start, end) + (end < source.length ? "…" : "");
  }

  function resultItem(doc, terms) {
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = doc.u;
    marked(link, doc.t, terms);
    heading.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "meta";
    var tag = document.createElement("span");
    tag.className = "tag tag-" + doc.c;
    tag.textContent = doc.k;
    meta.appendChild(tag);
    meta.appendChild(document.createTextNode([doc.d, doc.n].concat(doc.a).join(" · ")));
    var text = document.createElement("p");
    text.className = "snippet";
    marked(text, snippet(doc, terms), terms.filter(function (term) { return !term.titleOnly; }));
    item.appendChild(heading);
    item.appendChild(meta);
    item.appendChild(text);
    return item;
  }

  function showCount() {
    var total = current.hits.length - current.dropped;
    if (!total && current.next >= current.hits.length) {
      status.textContent = message("none", {query: current.query});
    } else {
      var about = current.next < current.hits.length && !current.exact;
      status.textContent = message(about ? "count-about" : "count", {count: total});
    }
    more.hidden = current.next >= current.hits.length;
    form.setAttribute("data-state", "done");
  }

  // Load, check and show the next page of results of the current query.
  async function showMore(run) {
    var shown = 0;
    while (shown < PAGE && current.next < current.hits.length) {
      var batch = current.hits.slice(current.next, current.next + PAGE - shown);
      current.next += batch.length;
      var docs = await Promise.all(batch.map(function (hit) { return load("d/" + hit.id); }));
      if (run !== runs) {
        return;
      }
      docs.forEach(function (doc) {
        if (matches(doc, current.terms)) {
          list.appendChild(resultItem(doc, current.terms));
          shown++;
        } else {
          current.dropped++;
        }
      });
    }
    showCount();
  }

  function chosenFilters() {
    var chosen = [];
    filterNames.forEach(function (name) {
      var value = form.elements[name].value;
      if (value) {
        chosen.push(name + "-" + value);
      }
    });
    return chosen;
  }

  function remember(query) {
    var params = new URLSearchParams();
    if (query) {
      params.set("q", query);
    }
    filterNames.forEach(function (name) {
      if (form.elements[name].value) {
        params.set(name, form.elements[name].value);
      }
    });
    try {
      history.replaceState(null, "", "?" + params.toString());
    } catch (error) {
      // Some browsers refuse to change file:// addresses; the search works all the same.
    }
  }

  async function run() {
    var run = ++runs;
    var query = input.value.trim();
    form.setAttribute("data-state", "busy");
    remember(query);
    var terms = parseQuery(query);
    list.textContent = "";
    more.hidden = true;
    if (!terms.length) {
      current = null;
      status.textContent = message("hint");
      form.setAttribute("data-state", "done");
      return;
    }
    status.textContent = message("loading");
    try {
      var hits = await candidates(terms, chosenFilters());
      if (run !== runs) {
        return;
      }
      current = {query: query, terms: terms, hits: hits, next: 0, dropped: 0,
                 exact: terms.every(function (term) { return term.exact; })};
      await showMore(run);
    } catch (error) {
      if (run === runs) {
        status.textContent = message("failed");
        form.setAttribute("data-state", "failed");
      }
    }
  }

  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  input.addEventListener("input", function (event) {
    if (!event.isComposing) {
      later();
    }
  });
  input.addEventListener("compositionend", later);
  filterNames.forEach(function (name) {
    form.elements[name].addEventListener("change", run);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  more.addEventListener("click", function () {
    if (current) {
      form.setAttribute("data-state", "busy");
      showMore(runs).catch(function () {
        status.textContent = message("failed");
        form.setAttribute("data-state", "failed");
      });
    }
  });

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  filterNames.forEach(function (name) {
    var value = params.get(name);
    var select = form.elements[name];
    if (value && select.querySelector("option[value=\"" + value.replace(/["\\]/g, "") + "\"]")) {
      select.value = value;
    }
  });
  form.hidden = false;
  status.textContent = message("hint");
  form.setAttribute("data-state", "done");
  if (input.value.trim()) {
    run();
  }
}());

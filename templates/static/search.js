// Site search: a small UI over Pagefind's JavaScript API (pagefind.js in the site's own
// /pagefind/ folder, made at build time). Everything loads from this site, relative to the
// page, so it works offline and under the Content-Security-Policy in base.html (no inline
// script or style). Pagefind's own UI bundles are not used: they inject styles.
(function () {
  "use strict";
  var box = document.querySelector("search.search[data-bundle]");
  if (!box) return;
  var form = box.querySelector("form");
  var input = box.querySelector("input[type=search]");
  var panel = box.querySelector(".search-results");
  var list = box.querySelector(".search-list");
  var status = box.querySelector("[role=status]");
  var heading = box.querySelector(".search-summary");
  var bundle = new URL(box.getAttribute("data-bundle"), document.baseURI);
  var MAX_RESULTS = 8;
  // Texts in the site's language, from base.html's data-* attributes: {count}, {query} filled in.
  function text(name, values) {
    return (box.getAttribute("data-" + name) || "").replace(/\{(count|query)\}/g, function (all, key) {
      return String(values[key]);
    });
  }
  var pagefind = null; // the loaded module, or a promise of it
  var latest = 0; // number of the newest search: older answers are dropped
  var timer = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind.js", bundle).href).then(function (module) {
        // Result URLs from the site's root path, so the site works in any folder.
        return module.options({ baseUrl: new URL("../", bundle).pathname }).then(function () {
          return module;
        });
      });
      pagefind.catch(function () {
        pagefind = null; // try again next time (e.g. the index was still being written)
      });
    }
    return pagefind;
  }

  function say(text) {
    status.textContent = text;
  }

  function close() {
    panel.hidden = true;
  }

  function open() {
    panel.hidden = false;
  }

  // Pagefind's excerpt is escaped text with <mark> around matches; rebuild it as nodes so
  // no HTML from the index is ever inserted as markup.
  function excerptNodes(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html").body;
    var out = document.createElement("p");
    out.className = "search-excerpt";
    Array.prototype.forEach.call(parsed.childNodes, function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function show(query, results) {
    list.textContent = "";
    results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = result.url;
      link.className = "search-link";
      link.textContent = (result.meta && result.meta.title) || result.url;
      item.appendChild(link);
      item.appendChild(excerptNodes(result.excerpt || ""));
      list.appendChild(item);
    });
    var values = { count: results.length, query: query };
    var summary = results.length
      ? text(results.length === 1 ? "search-count-one" : "search-count-other", values)
      : text("search-none", values);
    heading.textContent = summary;
    say(summary);
    open();
  }

  function search(query) {
    var number = ++latest;
    query = query.trim();
    if (!query) {
      list.textContent = "";
      say("");
      close();
      return Promise.resolve();
    }
    return load()
      .then(function (module) {
        return module.search(query);
      })
      .then(function (found) {
        if (number !== latest || !found) return null;
        return Promise.all(
          found.results.slice(0, MAX_RESULTS).map(function (r) {
            return r.data();
          })
        );
      })
      .then(function (results) {
        if (number === latest && results) show(query, results);
      })
      .catch(function () {
        if (number !== latest) return;
        list.textContent = "";
        say(text("search-unavailable", {}));
      });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function moveFocus(step) {
    var all = links();
    if (!all.length) return;
    var at = all.indexOf(document.activeElement);
    var next = at + step;
    if (next < 0) {
      input.focus();
      return;
    }
    all[Math.min(next, all.length - 1)].focus();
  }

  input.addEventListener("focus", function () {
    load(); // start fetching the index before the first key
    if (list.children.length) open();
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var query = input.value;
    timer = window.setTimeout(function () {
      search(query);
    }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    search(input.value).then(function () {
      var first = links()[0];
      if (first) first.focus();
    });
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      event.stopPropagation();
      close();
      input.focus();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      moveFocus(1);
    } else if (event.key === "ArrowUp" && event.target !== input) {
      event.preventDefault();
      moveFocus(-1);
    }
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) close();
  });
  box.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) close();
  });

  // A link or a form sent without JavaScript may carry ?q=: run that search now.
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    input.value = asked;
    search(asked);
  }
})();

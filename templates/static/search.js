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
  var filter = box.querySelector(".search-filter"); // a series: every explainer, or one
  var PAGE_SIZE = 8; // results fetched and shown at a time; "Show more" adds the next ones
  // Texts in the site's language, from base.html's data-* attributes; {name}s filled in.
  function text(name, values) {
    return (box.getAttribute("data-" + name) || "").replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }
  var moreButton = document.createElement("button");
  moreButton.type = "button";
  moreButton.className = "search-more";
  moreButton.hidden = true;
  panel.appendChild(moreButton);
  var pending = []; // the current search's results not shown yet
  var query = ""; // the search the list shows
  var pagefind = null; // the loaded module, or a promise of it
  var latest = 0; // number of the newest search: older answers are dropped
  var timer = 0;

  // The index comes in parts (parts.json lists all but the first, which is this bundle):
  // merged, they are searched as one. A copy without the list searches this part.
  function parts(module, base) {
    return fetch(new URL("parts.json", bundle).href)
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .catch(function () {
        return {};
      })
      .then(function (listed) {
        // A series: each explainer's parts carry its title as a filter (the search box's choice).
        var labels = listed.labels || {};
        if (filter) listExplainers(labels);
        return Promise.all(
          (listed.parts || []).map(function (part) {
            var options = labels[part] ? Object.assign({ mergeFilter: { explainer: labels[part] } }, base) : base;
            return module.mergeIndex(new URL(part, bundle).pathname, options);
          })
        );
      });
  }

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind.js", bundle).href).then(function (module) {
        // Result URLs from the site's root path, so the site works in any folder.
        var base = { baseUrl: new URL("../", bundle).pathname };
        return module
          .options(base)
          .then(function () {
            return parts(module, base);
          })
          .then(function () {
            return module;
          });
      });
      pagefind.catch(function () {
        pagefind = null; // try again next time (e.g. the index was still being written)
      });
    }
    return pagefind;
  }

  // The explainers the index knows, by name, as the filter's choices (shown when there are two or more).
  function listExplainers(labels) {
    var names = Object.keys(labels)
      .map(function (part) {
        return labels[part];
      })
      .filter(function (name, at, all) {
        return all.indexOf(name) === at;
      })
      .sort();
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      filter.appendChild(option);
    });
    filter.hidden = names.length < 2;
  }

  function chosen() {
    return filter && filter.value ? { filters: { explainer: filter.value } } : {};
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

  function item(result) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = result.url;
    link.className = "search-link";
    link.textContent = (result.meta && result.meta.title) || result.url;
    li.appendChild(link);
    // In a series: which explainer the page is of.
    if (result.meta && result.meta.explainer) {
      var from = document.createElement("span");
      from.className = "search-explainer";
      from.textContent = result.meta.explainer;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(from);
    }
    // A claim's page carries its verdict (data-pagefind-meta): shown beside its title.
    if (result.meta && result.meta.verdict) {
      var verdict = document.createElement("span");
      verdict.className = "search-verdict";
      verdict.textContent = text("search-verdict", { verdict: result.meta.verdict });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(verdict);
    }
    li.appendChild(excerptNodes(result.excerpt || ""));
    return li;
  }

  // The summary counts every match, not only those shown; the rest come with "Show more".
  function summarise(total) {
    var shown = list.children.length;
    var values = { count: total, query: query };
    var words = text(total === 0 ? "search-none" : total === 1 ? "search-count-one" : "search-count-other", values);
    heading.textContent = shown < total ? words + ". " + text("search-shown", { shown: shown, count: total }) : words;
    say(heading.textContent);
    moreButton.hidden = pending.length === 0;
    moreButton.textContent = text("search-more", { count: Math.min(PAGE_SIZE, pending.length) });
  }

  function showNext(number, total) {
    var batch = pending.splice(0, PAGE_SIZE);
    return Promise.all(
      batch.map(function (r) {
        return r.data();
      })
    ).then(function (results) {
      if (number !== latest) return;
      results.forEach(function (result) {
        list.appendChild(item(result));
      });
      summarise(total);
      open();
    });
  }

  function clear(words) {
    list.textContent = "";
    pending = [];
    moreButton.hidden = true;
    say(words);
  }

  // Pagefind answers a word it does not know with pages holding a shorter start of it
  // ("zzzz" finds a "Z"): a search whose best page has no word starting with each asked word's
  // first three letters (all of a shorter word) found nothing, and says so.
  function stem(word) {
    return word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  }
  function reallyFound(asked, data) {
    var words = (data.content || "").split(/\s+/);
    var hits = (data.locations || []).map(function (at) {
      return stem(words[at] || "");
    });
    return asked.split(/\s+/).map(stem).filter(Boolean).every(function (want) {
      var need = want.slice(0, Math.min(3, want.length));
      return hits.some(function (hit) {
        return hit.slice(0, need.length) === need;
      });
    });
  }

  function search(asked) {
    var number = ++latest;
    asked = asked.trim();
    if (!asked) {
      clear("");
      close();
      return Promise.resolve();
    }
    return load()
      .then(function (module) {
        return module.search(asked, chosen());
      })
      .then(function (found) {
        if (!found || !found.results.length) return found;
        return found.results[0].data().then(function (best) {
          return reallyFound(asked, best) ? found : { results: [] };
        });
      })
      .then(function (found) {
        if (number !== latest || !found) return null;
        query = asked;
        list.textContent = "";
        pending = found.results.slice();
        return showNext(number, found.results.length);
      })
      .catch(function () {
        if (number === latest) clear(text("search-unavailable", {}));
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

  moreButton.addEventListener("click", function () {
    var first = list.children.length;
    showNext(latest, first + pending.length).then(function () {
      var next = list.children[first] && list.children[first].querySelector("a");
      if (next) next.focus(); // keyboard and screen reader users land on the first new result
    });
  });

  if (filter) {
    filter.addEventListener("change", function () {
      search(input.value);
    });
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

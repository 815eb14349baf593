// The preview's own plugin for livereload.js, added to each HTML page the preview sends
// (never to a file). livereload.js adds every window.LiveReloadPlugin* when it starts and
// asks each plugin first; this one answers a changed page (a path ending in .html): it
// fetches the page shown and puts into it what changed since the version it shows, instead
// of reloading it (a reload costs the browser more than the rebuild). What it cannot do
// in place, it leaves to a reload: a changed head (stylesheets, scripts, title), a change
// the site's own script had altered the place of, a script in what changed, any failure.
// Stylesheets and images are livereload.js's own to swap; "*" (everything changed, or the
// error page) is a reload.
(function () {
  "use strict";
  var shown = null; // the page as the preview sent it (not as the site's script changed it)

  function parse(text) {
    return new DOMParser().parseFromString(text, "text/html");
  }

  // Parsing is done, the site's deferred scripts have not run yet: keep the page as sent.
  document.addEventListener("readystatechange", function keep() {
    if (document.readyState !== "interactive") return;
    document.removeEventListener("readystatechange", keep);
    shown = parse("<!DOCTYPE html>" + document.documentElement.outerHTML);
  });

  function head(doc) {
    // livereload.js's own script element is added by the page, not sent by the preview.
    return Array.prototype.filter
      .call(doc.head.children, function (el) {
        return !(el.tagName === "SCRIPT" && /\/livereload\.js\b/.test(el.getAttribute("src") || ""));
      })
      .map(function (el) {
        return el.outerHTML;
      })
      .join("\n");
  }

  function attributes(el) {
    return Array.prototype.map
      .call(el.attributes, function (a) {
        return a.name + "=" + a.value;
      })
      .sort()
      .join("\n");
  }

  function same(a, b) {
    return a.isEqualNode(b);
  }

  function hasScript(node) {
    return node.nodeType === 1 && (node.tagName === "SCRIPT" || node.querySelector("script") !== null);
  }

  function enterable(a, b) {
    return a.nodeType === 1 && b.nodeType === 1 && a.tagName === b.tagName && attributes(a) === attributes(b);
  }

  // Put new in place of live's child at index, or enter it (same tag and attributes).
  function put(live, index, old, now) {
    var here = live.childNodes[index];
    if (here.nodeName !== old.nodeName) return false;
    if (enterable(old, now)) return patch(here, old, now);
    if (hasScript(old) || hasScript(now)) return false;
    live.replaceChild(document.importNode(now, true), here);
    return true;
  }

  // Make live (shown as old was) what now is. As many children: each that changed, on its
  // own; else those between the first and the last that changed are replaced. False when
  // live is not laid out as old was (the site's script changed it), or a script changed.
  function patch(live, old, now) {
    var o = old.childNodes;
    var n = now.childNodes;
    var l = live.childNodes;
    var i;
    if (l.length !== o.length) return false;
    if (o.length === n.length) {
      for (i = 0; i < o.length; i++) {
        if (!same(o[i], n[i]) && !put(live, i, o[i], n[i])) return false;
      }
      return true;
    }
    var start = 0;
    while (start < o.length && start < n.length && same(o[start], n[start])) start++;
    var endOld = o.length;
    var endNow = n.length;
    while (endOld > start && endNow > start && same(o[endOld - 1], n[endNow - 1])) {
      endOld--;
      endNow--;
    }
    var gone = Array.prototype.slice.call(l, start, endOld);
    var added = Array.prototype.slice.call(n, start, endNow);
    for (i = start; i < endOld; i++) {
      if (l[i].nodeName !== o[i].nodeName) return false;
    }
    if (gone.some(hasScript) || added.some(hasScript)) return false;
    var before = l[endOld] || null;
    gone.forEach(function (node) {
      live.removeChild(node);
    });
    added.forEach(function (node) {
      live.insertBefore(document.importNode(node, true), before);
    });
    return true;
  }

  function update() {
    var old = shown;
    if (old === null) return Promise.reject(new Error("the page as sent is not known"));
    return fetch(window.location.href.split("#")[0], { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("text/html") < 0) throw new Error("no page: " + response.status);
        return response.text();
      })
      .then(function (text) {
        var now = parse(text);
        if (head(old) !== head(now)) throw new Error("its head changed");
        var outer = [old.documentElement, now.documentElement, old.body, now.body];
        if (attributes(outer[0]) !== attributes(outer[1]) || attributes(outer[2]) !== attributes(outer[3])) {
          throw new Error("its html or body element changed");
        }
        var x = window.scrollX;
        var y = window.scrollY;
        if (!patch(document.body, old.body, now.body)) throw new Error("its changes cannot be put in place");
        window.scrollTo(x, y);
        shown = now;
      });
  }

  function Plugin() {
    this.queue = Promise.resolve(); // one update at a time, each from the version the last left
  }
  Plugin.identifier = "explainer-preview";
  Plugin.version = "1.0";
  Plugin.prototype.reload = function (path) {
    if (!/\.html$/i.test(path)) return false;
    this.queue = this.queue.then(update).catch(function () {
      window.location.reload();
    });
    return true;
  };
  window.LiveReloadPluginExplainerPreview = Plugin;
})();

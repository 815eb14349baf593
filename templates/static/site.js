// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Anything that holds a card (.tip) opens it on hover and keyboard focus; a tap opens it
  // in place and a second tap follows the link. Glossary terms and citations use it; any
  // other card (e.g. a fact's) joins by having the class tip-holder.
  var TIP_HOLDERS = ".term, .cite-item, .tip-holder";
  // Interface texts this file adds, in the site's language (base.html's data-* on <body>).
  var TEXT = {
    scrollCue: document.body.getAttribute("data-scroll-cue") || "",
    backToText: document.body.getAttribute("data-back-to-citation") || "",
    backToReading: document.body.getAttribute("data-back-to-reading") || "",
    close: document.body.getAttribute("data-card-close") || "",
    openSource: document.body.getAttribute("data-card-open-source") || "",
  };

  // Citation popups: each [n] link gets a tooltip with its full reference (from the page's
  // own reference list), shown on focus and hover and announced via aria-describedby.
  // Without JavaScript the link still jumps to the reference.
  document.querySelectorAll(".cite a.cite-link[href^='#']").forEach(function (link, i) {
    var ref = document.getElementById(link.getAttribute("href").slice(1));
    if (!ref) return;
    // What the source is, in plain words (the reference's data-* from the page's list): its
    // kind, who and when, our note on it; then a link to it that a finger can tap.
    var tip = document.createElement("span");
    tip.className = "tip cite-tip";
    tip.id = "cite-tip-" + (i + 1);
    tip.setAttribute("role", "tooltip");
    var what = document.createElement("span");
    what.className = "cite-what";
    what.textContent = [ref.getAttribute("data-kind"), ref.getAttribute("data-short")].filter(Boolean).join(": ");
    var title = document.createElement("span");
    title.className = "cite-title";
    title.textContent = ref.getAttribute("data-title") || "";
    var note = document.createElement("span");
    note.className = "cite-note";
    note.textContent = ref.getAttribute("data-note") || "";
    [what, title, note].forEach(function (part) {
      if (part.textContent) tip.appendChild(part);
    });
    var source = ref.querySelector("a.source-link");
    if (source) {
      var open = document.createElement("a");
      open.className = "cite-open";
      open.href = source.href;
      open.textContent = TEXT.openSource;
      open.tabIndex = -1; // for a finger; the keyboard has the link in the page's list of sources
      tip.appendChild(open);
    }
    if (!tip.childNodes.length) {
      var copy = ref.cloneNode(true);
      copy.querySelectorAll(".to-bibliography, .backrefs").forEach(function (el) {
        el.remove();
      });
      tip.textContent = copy.textContent.replace(/\s+/g, " ").trim();
    }
    // One holder per link: a mark like [3][4] has two links in one <sup>.
    var holder = document.createElement("span");
    holder.className = "cite-item";
    link.parentNode.insertBefore(holder, link);
    holder.appendChild(link);
    holder.appendChild(tip);
    link.setAttribute("aria-describedby", tip.id);
  });

  // Keep an open card inside the screen and off other references: shift it left if it
  // would stick out; open it above its link when it would run off the bottom of the screen
  // or cover another link that opens a card (in the text, moving what follows down, when
  // there is no room above either) (CSSOM, which the Content-Security-Policy
  // allows, unlike style attributes).
  var REFERENCES = "a.cite-link, a.term-link, a.fact-ref";
  function overlapping(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function otherReferences(holder) {
    var own = holder.querySelector(REFERENCES);
    return Array.prototype.filter.call(document.querySelectorAll("main " + REFERENCES), function (link) {
      return link !== own && !link.closest(".tip");
    });
  }
  function place(holder) {
    var tip = holder.querySelector(".tip");
    if (!tip) return;
    tip.style.removeProperty("--tip-shift");
    holder.classList.remove("tip-above", "tip-inline");
    var rect = tip.getBoundingClientRect();
    var room = document.documentElement.clientWidth - 8;
    if (rect.right > room) tip.style.setProperty("--tip-shift", Math.round(room - rect.right) + "px");
    rect = tip.getBoundingClientRect();
    var covers = otherReferences(holder).some(function (link) {
      return overlapping(rect, link.getBoundingClientRect());
    });
    var low = rect.bottom > window.innerHeight - 4;
    var linkTop = holder.getBoundingClientRect().top;
    if (!low && !covers) return;
    if (linkTop - rect.height - 6 >= 0) {
      holder.classList.add("tip-above");
    } else {
      holder.classList.add("tip-inline"); // no room above either: open in the text, moving what follows down
    }
  }
  // Every card has a close button (for a card a tap opened; Escape does it from the keyboard).
  document.querySelectorAll(TIP_HOLDERS).forEach(function (holder) {
    var tip = holder.querySelector(".tip");
    if (!tip || tip.querySelector(".tip-close")) return;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "tip-close";
    close.setAttribute("aria-label", TEXT.close);
    close.textContent = "\u00d7";
    close.tabIndex = -1; // for a finger or a mouse; the keyboard closes a card with Escape
    close.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      holder.classList.remove("tip-open");
      holder.classList.add("tip-hidden");
      var link = holder.querySelector("a");
      if (link && holder.contains(document.activeElement)) link.focus();
    });
    tip.insertBefore(close, tip.firstChild);
  });

  function closeOpen(except) {
    document.querySelectorAll(".tip-open").forEach(function (h) {
      if (h !== except) h.classList.remove("tip-open");
    });
  }

  // Escape hides an open tooltip (WCAG 1.4.13: dismissible without moving focus or pointer).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(TIP_HOLDERS).forEach(function (holder) {
      if (holder.matches(":hover, :focus-within, .tip-open")) holder.classList.add("tip-hidden");
    });
    closeOpen(null);
  });
  document.addEventListener("focusin", function (event) {
    var holder = event.target.closest && event.target.closest(TIP_HOLDERS);
    document.querySelectorAll(".tip-hidden").forEach(function (h) {
      if (h !== holder) h.classList.remove("tip-hidden");
    });
    closeOpen(holder);
    if (holder) place(holder);
  });
  document.addEventListener("mouseover", function (event) {
    var holder = event.target.closest && event.target.closest(TIP_HOLDERS);
    if (!holder) return;
    if (!holder.matches(":focus-within")) holder.classList.remove("tip-hidden");
    place(holder);
  });

  // A tap (touch or pen) on a term or citation opens its card in place; a second tap on
  // the same link follows it. A mouse has already shown the card on hover, so its click
  // follows the link at once. A tap anywhere else closes the card.
  var pointer = "mouse";
  document.addEventListener("pointerdown", function (event) {
    pointer = event.pointerType || "mouse";
  }, true);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    var holder = link && !link.closest(".tip") && link.closest(TIP_HOLDERS);
    if (!holder) {
      closeOpen(null);
      return;
    }
    if (pointer === "mouse" || holder.classList.contains("tip-open")) return;
    event.preventDefault();
    closeOpen(holder);
    holder.classList.remove("tip-hidden");
    holder.classList.add("tip-open");
    place(holder);
  });

  // Each reference in "Sources on this page" links back to every place that cites it.
  document.querySelectorAll(".references li[id]").forEach(function (ref) {
    var marks = document.querySelectorAll("a.cite-link[href='#" + ref.id + "']");
    if (!marks.length) return;
    var back = document.createElement("span");
    back.className = "backrefs";
    marks.forEach(function (mark, i) {
      if (!mark.id) mark.id = "cite-" + ref.id.replace(/^ref-/, "") + "-" + (i + 1);
      var a = document.createElement("a");
      a.className = "backref";
      a.href = "#" + mark.id;
      a.textContent = marks.length > 1 ? "\u21a9" + (i + 1) : "\u21a9";
      a.setAttribute("aria-label", TEXT.backToText + (marks.length > 1 ? " (" + (i + 1) + "/" + marks.length + ")" : ""));
      back.appendChild(a);
    });
    ref.appendChild(document.createTextNode(" "));
    ref.appendChild(back);
  });

  // A table wider than its column says so above it (the scroll shadows alone are easy to
  // miss); the words go again when the table fits.
  function markScrollable() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      var cue = box.previousElementSibling;
      var has = cue && cue.classList.contains("scroll-cue");
      box.classList.toggle("is-scrollable", wide);
      if (wide && !has) {
        cue = document.createElement("p");
        cue.className = "scroll-cue";
        cue.textContent = TEXT.scrollCue;
        box.parentNode.insertBefore(cue, box);
      } else if (!wide && has) {
        cue.remove();
      }
    });
  }
  markScrollable();
  var resizing = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(markScrollable, 150);
  });

  // Text folded in a <details> opens when a link leads to it (its title may be the
  // target, which the browser would show without opening it) and, every one, for printing.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    var folded = target && target.closest("details");
    if (folded) folded.open = true;
  }
  openTarget();
  window.addEventListener("hashchange", openTarget);
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("main details"), function (d) {
      return !d.open;
    });
    closedForPrint.forEach(function (d) {
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) {
      d.open = false;
    });
  });

  // A glossary entry arrived at from a page of this site (CSS marks it, :target) offers a
  // way back to the place the reader left; going back in history keeps their scroll place.
  function glossaryBack() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var term = id && document.getElementById(id);
    var from = document.referrer;
    if (!term || !term.classList.contains("glossary-term") || !from) return;
    if (from.split("#")[0] === window.location.href.split("#")[0]) return;
    if (new URL(from).origin !== window.location.origin) return;
    document.querySelectorAll(".glossary-back").forEach(function (el) {
      el.remove();
    });
    var back = document.createElement("a");
    back.className = "glossary-back";
    back.href = from;
    back.textContent = TEXT.backToReading;
    back.addEventListener("click", function (event) {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
    var definition = term.nextElementSibling;
    (definition || term).appendChild(back);
  }
  glossaryBack();
  window.addEventListener("hashchange", glossaryBack);

  // A page made for printing offers a Print button (without JavaScript its hint says to
  // use the browser's Print command).
  document.querySelectorAll(".print-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  // On a phone the section links fold behind a Menu button. Without JavaScript they
  // simply stay open.
  var header = document.querySelector(".site-header");
  var toggle = header && header.querySelector(".nav-toggle");
  var nav = header && header.querySelector(".site-nav");
  if (toggle && nav) {
    header.classList.add("has-nav-toggle");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        toggle.setAttribute("aria-expanded", "false");
        nav.classList.remove("is-open");
        toggle.focus();
      }
    });
  }
})();


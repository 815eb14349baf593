// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  var TIP_HOLDERS = ".term, .cite-item";

  // Citation popups: each [n] link gets a tooltip with its full reference (from the page's
  // own reference list), shown on focus and hover and announced via aria-describedby.
  // Without JavaScript the link still jumps to the reference.
  document.querySelectorAll("sup.cite a.cite-link[href^='#']").forEach(function (link, i) {
    var ref = document.getElementById(link.getAttribute("href").slice(1));
    if (!ref) return;
    var copy = ref.cloneNode(true);
    copy.querySelectorAll(".to-bibliography").forEach(function (el) {
      el.remove();
    });
    var tip = document.createElement("span");
    tip.className = "tip cite-tip";
    tip.id = "cite-tip-" + (i + 1);
    tip.setAttribute("role", "tooltip");
    tip.textContent = copy.textContent.replace(/\s+/g, " ").trim();
    // One holder per link: a mark like [3][4] has two links in one <sup>.
    var holder = document.createElement("span");
    holder.className = "cite-item";
    link.parentNode.insertBefore(holder, link);
    holder.appendChild(link);
    holder.appendChild(tip);
    link.setAttribute("aria-describedby", tip.id);
  });

  // Keep an open tooltip inside the screen: shift it left if it would stick out (CSSOM,
  // which the Content-Security-Policy allows, unlike style attributes).
  function place(holder) {
    var tip = holder.querySelector(".tip");
    if (!tip) return;
    tip.style.removeProperty("--tip-shift");
    var rect = tip.getBoundingClientRect();
    var room = document.documentElement.clientWidth - 8;
    if (rect.right > room) tip.style.setProperty("--tip-shift", Math.round(room - rect.right) + "px");
  }

  // Escape hides an open tooltip (WCAG 1.4.13: dismissible without moving focus or pointer).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(TIP_HOLDERS).forEach(function (holder) {
      if (holder.matches(":hover, :focus-within")) holder.classList.add("tip-hidden");
    });
  });
  document.addEventListener("focusin", function (event) {
    var holder = event.target.closest && event.target.closest(TIP_HOLDERS);
    document.querySelectorAll(".tip-hidden").forEach(function (h) {
      if (h !== holder) h.classList.remove("tip-hidden");
    });
    if (holder) place(holder);
  });
  document.addEventListener("mouseover", function (event) {
    var holder = event.target.closest && event.target.closest(TIP_HOLDERS);
    if (!holder) return;
    if (!holder.matches(":focus-within")) holder.classList.remove("tip-hidden");
    place(holder);
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

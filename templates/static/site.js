// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Escape hides an open glossary tooltip (WCAG 1.4.13: dismissible without moving focus).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".term").forEach(function (term) {
      if (term.matches(":hover, :focus-within")) term.classList.add("tip-hidden");
    });
  });
  document.addEventListener("focusin", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    document.querySelectorAll(".term.tip-hidden").forEach(function (t) {
      if (t !== term) t.classList.remove("tip-hidden");
    });
  });
  document.addEventListener("mouseover", function (event) {
    var term = event.target.closest && event.target.closest(".term");
    if (term && !term.matches(":focus-within")) term.classList.remove("tip-hidden");
  });
})();

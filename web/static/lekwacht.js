// Lekwacht works without this file; it only makes two things smoother.
// 1. The error summary of a refused form lists its problems in the order of
//    the fields on the page, and a link to a group of choices (a fieldset)
//    puts the focus on its first choice, not only the view.
// 2. The summary has the focus when the page opens (autofocus does this
//    too; this covers browsers that ignore autofocus on a non-field).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const summary of document.querySelectorAll(".lw-error-summary")) {
    const list = summary.querySelector(".lw-error-summary__list");
    if (list) {
      const target = (li) => document.getElementById(li.querySelector("a")?.dataset.field || "");
      const items = [...list.children].filter((li) => target(li));
      items.sort((a, b) => (target(a).compareDocumentPosition(target(b)) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
      for (const li of items) list.appendChild(li);
      list.addEventListener("click", (e) => {
        const a = e.target.closest("a[data-field]");
        const el = a && document.getElementById(a.dataset.field);
        if (!el) return;
        const field = el.matches("input, select, textarea, button") ? el : el.querySelector("input, select, textarea, button");
        if (!field) return;
        e.preventDefault();
        field.focus();
        (el.closest(".utrecht-form-field, .utrecht-form-fieldset, fieldset") || el).scrollIntoView({ block: "center" });
      });
    }
  }
  const first = document.querySelector(".lw-error-summary");
  if (first && document.activeElement === document.body) first.focus();
});

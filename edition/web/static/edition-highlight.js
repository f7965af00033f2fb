/* The words of the last search, highlighted on the page a result opened (every page but the
 * search page; deferred). The search page stores them; the first is scrolled into view — the
 * first inside the paragraph the result pointed to (page.html#<slug>-p3), when it has one.
 * _highlightText is Sphinx's (sphinx_highlight.js, on every page).
 */
"use strict";
(() => {
  const STORE = "edition_highlight_terms";
  if (document.getElementById("edition-search")) return;
  let terms = [];
  try {
    terms = JSON.parse(localStorage.getItem(STORE) || "[]");
    localStorage.removeItem(STORE);
  } catch (error) {
    terms = [];
  }
  const param = new URL(window.location).searchParams.get("highlight");
  if (param) terms.push(...param.split(/\s+/));
  terms = terms.filter((term) => typeof term === "string" && term.trim());
  const root = document.querySelector("article.bd-article") || document.querySelector('[role="main"]');
  if (!terms.length || !root || typeof _highlightText !== "function") return;
  // Longest first, so "jack ma" is marked whole before "ma" could be.
  terms.sort((a, b) => b.length - a.length)
    .forEach((term) => _highlightText(root, term.toLowerCase(), "highlighted"));
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  const first = (target && target.querySelector("span.highlighted"))
    || root.querySelector("span.highlighted");
  if (first) {
    first.classList.add("edition-first-hit");
    first.scrollIntoView({ block: "center" });
  }
})();

// Citations in the reader's browser: the accessed date is today's, buttons copy a citation,
// and the page of a retired article forwards to its successor. Every value read here comes
// from the page's own elements and is only ever set as text, never as markup.
(function () {
  "use strict";

  /** Today's date in the reader's time zone, as YYYY-MM-DD. */
  function today() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  /** Links the page adds to a text (a ¶ anchor, a heading's link): not part of a citation. */
  const APPARATUS = ".para-anchor, .headerlink";

  /** The text of an element as one line, without the page's own links around it. */
  function flat(element) {
    const copy = element.cloneNode(true);
    for (const extra of copy.querySelectorAll(APPARATUS)) extra.remove();
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  /** Put text on the clipboard (the Clipboard API, or a selected text area where it is missing). */
  function copy(text, button) {
    const label = button.textContent;
    const done = () => {
      button.textContent = "copied";
      window.setTimeout(() => { button.textContent = label; }, 1500);
    };
    const fallback = () => {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try {
        document.execCommand("copy");
        done();
      } finally {
        area.remove();
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  /** The citation of paragraph `number` (anchor `id`): the article's, with ¶N and its address. */
  function paragraphCitation(id, number) {
    const article = document.querySelector(".edition-citation-text");
    if (!article) return "";
    const citation = article.cloneNode(true);
    const where = citation.querySelector(".edition-cite-where");
    if (where) where.textContent = `¶${number}, ${flat(where)}#${id}`;
    return flat(citation);
  }

  function forward() {
    const target = document.body.dataset.forward;
    if (!target) return false;
    let labels = {};
    try {
      labels = JSON.parse(document.body.dataset.labels || "{}");
    } catch (error) {
      labels = {};
    }
    const old = decodeURIComponent(window.location.hash.slice(1));
    const label = Object.prototype.hasOwnProperty.call(labels, old) ? labels[old] : "";
    const anchor = /^[a-z0-9-]+$/.test(label) ? `#${label}` : "";
    window.location.replace(target + anchor);
    return true;
  }

  function init() {
    if (forward()) return;
    for (const slot of document.querySelectorAll(".edition-accessed")) {
      slot.textContent = today();
    }
    for (const button of document.querySelectorAll("button.edition-copy")) {
      const target = document.getElementById(button.dataset.copy || "");
      if (!target) continue;
      button.hidden = false;
      // a code block (BibTeX) keeps its lines; running text is copied as one line
      const code = target.querySelector("pre");
      button.addEventListener("click", () => copy(code ? code.textContent.trim() : flat(target),
                                                  button));
    }
    for (const button of document.querySelectorAll("button.para-cite")) {
      const id = button.dataset.paragraph || "";
      const number = button.dataset.number || "";
      if (!document.getElementById(id) || !document.querySelector(".edition-citation-text")) {
        continue;
      }
      button.hidden = false;
      button.addEventListener("click", () => copy(paragraphCitation(id, number), button));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

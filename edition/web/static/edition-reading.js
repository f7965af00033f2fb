/* The reading view's switches and figures (edition/web/reading.py writes the markup they use).
 *
 * - "Link every mention": later mentions of a name in a paragraph are text by default; the
 *   switch gives them back their links (remembered in localStorage).
 * - English / 中文 / both on a parallel (bilingual) article (remembered too).
 * - A figure whose remote image fails to load shows its stand-in instead of an empty box.
 * - The header's details are open on a wide screen and folded on a phone.
 * - On a wide screen a margin note that would sit far below its mark (notes stack in the
 *   margin where a passage holds many) is shown under its paragraph instead.
 * Without scripts the page keeps its defaults: first-mention links, both languages, the
 * stand-in below each image, the header open on a wide screen (CSS), every note in the margin.
 */
(() => {
  "use strict";

  const LINKS_KEY = "edition-links";
  const LANGUAGE_KEY = "edition-parallel";
  const WIDE = window.matchMedia("(min-width: 768px)");
  // Only addresses within the site or on the web become links again.
  const SAFE_HREF = /^(?:https?:\/\/|[#./]|[^:]*$)/i;

  const remembered = (key) => {
    try { return window.localStorage.getItem(key); } catch { return null; }
  };
  const remember = (key, value) => {
    try { window.localStorage.setItem(key, value); } catch { /* private mode: not kept */ }
  };

  function linkEveryMention(all) {
    document.documentElement.classList.toggle("mentions-all-linked", all);
    for (const mention of document.querySelectorAll("a.mention-repeat, a.mention-quiet")) {
      const target = mention.dataset.href || "";
      if (all && SAFE_HREF.test(target)) {
        mention.setAttribute("href", target);
        if (mention.dataset.title) mention.setAttribute("title", mention.dataset.title);
      } else {
        mention.removeAttribute("href");
        mention.removeAttribute("title");
      }
    }
  }

  function addLinkSwitch(header) {
    if (!document.querySelector("a.mention-repeat, a.mention-quiet")) return;
    const label = document.createElement("label");
    label.className = "reading-switch";
    label.lang = "en";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = remembered(LINKS_KEY) === "all";
    label.append(box, " Link every mention of a name or date");
    box.addEventListener("change", () => {
      remember(LINKS_KEY, box.checked ? "all" : "first");
      linkEveryMention(box.checked);
    });
    (header.querySelector("details.article-more") || header).append(label);
    linkEveryMention(box.checked);
  }

  const LANGUAGES = [["both", "Both", ""], ["en", "English", "en"], ["zh", "中文", "zh"]];

  function showLanguage(choice, buttons) {
    document.documentElement.dataset.parallel = choice;
    for (const button of buttons) {
      button.setAttribute("aria-pressed", String(button.value === choice));
    }
  }

  function addLanguageSwitch(header) {
    if (!document.querySelector(".bd-article .parallel")) return;
    const group = document.createElement("div");
    group.className = "language-switch";
    group.lang = "en";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Languages shown");
    const buttons = LANGUAGES.map(([value, text, lang]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.value = value;
      button.textContent = text;
      if (lang) button.lang = lang;
      button.addEventListener("click", () => {
        remember(LANGUAGE_KEY, value);
        showLanguage(value, buttons);
      });
      return button;
    });
    group.append(...buttons);
    header.after(group);
    const stored = remembered(LANGUAGE_KEY);
    showLanguage(LANGUAGES.some(([v]) => v === stored) ? stored : "both", buttons);
  }

  function watchFigures() {
    for (const image of document.querySelectorAll("figure.remote-figure img")) {
      const figure = image.closest("figure");
      const failed = () => figure.classList.add("image-unavailable");
      image.addEventListener("error", failed);
      image.addEventListener("load", () => figure.classList.remove("image-unavailable"));
      if (image.complete && image.naturalWidth === 0) failed();
    }
    document.documentElement.classList.add("figures-watched");
  }

  function foldHeader() {
    for (const details of document.querySelectorAll("details.article-more")) {
      details.open = WIDE.matches;
    }
  }

  // The theme floats notes into the margin from this width (sphinx-book-theme's breakpoint).
  const MARGIN = window.matchMedia("(min-width: 992px)");
  // How far below its mark a note may sit in the margin, in rem: a few lines, so that the
  // note is in view with its mark; a note that would sit lower goes under its paragraph.
  const NOTE_REACH_REM = 12;
  const BELOW_CLASS = "sidenotes-below";
  // Where each moved note came from: a comment node in its place (comments do not count as
  // siblings for the theme's "checkbox + note" rule, so the place keeps working when restored).
  const homes = new Map();

  function markOf(note) {
    const toggle = note.previousElementSibling;
    if (!toggle || !toggle.matches("input.margin-toggle") || !toggle.id) return null;
    return document.querySelector(`label.margin-toggle[for="${CSS.escape(toggle.id)}"]`);
  }

  function restoreNotes() {
    for (const [note, home] of homes) home.replaceWith(note);
    homes.clear();
    for (const box of document.querySelectorAll(`.bd-article .${BELOW_CLASS}`)) box.remove();
  }

  function moveBelow(note, mark) {
    const block = mark.closest("p, li, dd, .parallel") || mark.parentElement;
    let box = block.nextElementSibling;
    if (!box || !box.classList.contains(BELOW_CLASS)) {
      box = document.createElement("div");
      box.className = BELOW_CLASS;
      block.after(box);
    }
    const home = document.createComment("note");
    note.replaceWith(home);
    homes.set(note, home);
    box.append(note);
  }

  let placing = false;
  function placeNotes() {
    if (placing) return;
    placing = true;
    try {
      restoreNotes();
      if (!MARGIN.matches) return;
      const reach = NOTE_REACH_REM * parseFloat(getComputedStyle(document.documentElement).fontSize);
      // In the order of the text: moving one note lets the ones after it rise.
      for (const note of document.querySelectorAll(
        ".bd-article span.sidenote:not(.d-n), .bd-article span.marginnote:not(.d-n)")) {
        const mark = markOf(note);
        if (!mark) continue;
        const below = note.getBoundingClientRect().top - mark.getBoundingClientRect().top;
        if (below > reach) moveBelow(note, mark);
      }
    } finally {
      placing = false;
    }
  }

  function watchNotes() {
    const article = document.querySelector(".bd-article");
    if (!article || !article.querySelector("span.sidenote, span.marginnote")) return;
    let pending = 0;
    const schedule = () => {
      if (!pending) pending = window.requestAnimationFrame(() => { pending = 0; placeNotes(); });
    };
    // A width, a font, an image or an opened header changes where the notes fall.
    new ResizeObserver(schedule).observe(article);
    MARGIN.addEventListener("change", schedule);
    if (document.fonts) document.fonts.ready.then(schedule);
    window.addEventListener("load", schedule);
    placeNotes();
    document.documentElement.classList.add("notes-placed");
  }

  watchFigures();
  foldHeader();
  watchNotes();
  WIDE.addEventListener("change", foldHeader);
  const header = document.querySelector(".bd-article .article-header");
  if (header) {
    addLinkSwitch(header);
    addLanguageSwitch(header);
  }
})();

/* The edition's search, on top of Sphinx's searchtools.js (loaded deferred, after it).
 *
 * On the search page: numbers are search terms; a run of query words that is any name of a
 * registry entity (any script, pinyin with or without tones and spaces, an alias) becomes the
 * entity's index term, which the index gives every page mentioning the entity under any name;
 * snippets are cut from the article's text, never from the theme's buttons and menus; each page
 * is one result. On every other page: the words of the last search are highlighted and the
 * first is scrolled into view (the theme loads searchtools.js on every page, which keeps
 * Sphinx's own highlighting from running).
 */
"use strict";
(() => {
  const STORE = "edition_highlight_terms";
  const CHROME = [
    ".headerlink", "script", "style", "button", "nav", "header", "footer",
    ".bd-header-article", ".d-print-none", ".prev-next-area", ".bd-sidebar-secondary",
  ].join(", ");
  const tokenless = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
  const fold = (text) => (typeof editionFold === "function" ? editionFold(text) : text);
  const nameKey = (text) =>
    tokenless(fold(text)).toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  const articleOf = (root) =>
    root.querySelector("article.bd-article") || root.querySelector('[role="main"]');

  const highlightPage = () => {
    let terms = [];
    try {
      terms = JSON.parse(localStorage.getItem(STORE) || "[]");
    } catch (error) {
      terms = [];
    }
    localStorage.removeItem(STORE);
    const url = new URL(window.location);
    const param = url.searchParams.get("highlight");
    if (param) terms.push(...param.split(/\s+/));
    terms = terms.filter((term) => typeof term === "string" && term.trim());
    const root = articleOf(document);
    if (!terms.length || !root || typeof _highlightText !== "function") return;
    // Longest first, so "jack ma" is marked whole before "ma" could be.
    terms.sort((a, b) => b.length - a.length)
      .forEach((term) => _highlightText(root, term.toLowerCase(), "highlighted"));
    const first = root.querySelector("span.highlighted");
    if (first) {
      first.classList.add("edition-first-hit");
      first.scrollIntoView({ block: "center" });
    }
  };

  const searchPage = () => {
    const data = window.EDITION_NAMES || { keys: {}, names: {} };

    // Sphinx's progress dots restart themselves when a tick is pending as the search ends
    // (the tick turns the "stopped" -1 into 0): the dots went on after "Search finished".
    Search.startPulse = () => {
      if (Search._pulse_status >= 0) return;
      Search._pulse_status = 0;
      const pulse = () => {
        if (Search._pulse_status < 0) return;
        Search._pulse_status = (Search._pulse_status + 1) % 4;
        Search.dots.innerText = ".".repeat(Search._pulse_status);
        window.setTimeout(pulse, 500);
      };
      pulse();
    };

    Search.htmlToText = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll(CHROME).forEach((el) => el.remove());
      const main = articleOf(doc);
      if (!main) return "";
      let part = null;
      if (anchor) {
        try {
          part = main.querySelector(anchor);
        } catch (error) {
          part = null; // an id CSS cannot select: the whole article
        }
      }
      return (part || main).textContent.replace(/\s+/g, " ").trim();
    };

    Search.makeSearchSummary = (htmlText, keywords, anchor) => {
      const text = Search.htmlToText(htmlText, anchor);
      if (text === "") return null;
      // The fold maps one character to one character: positions in it are positions in text.
      const folded = fold(text).toLowerCase();
      const found = [...keywords]
        .map((word) => folded.indexOf(fold(word).toLowerCase()))
        .filter((i) => i > -1);
      const start = Math.max((found.length ? Math.min(...found) : 0) - 100, 0);
      const summary = document.createElement("p");
      summary.classList.add("context");
      summary.textContent = (start ? "…" : "") + text.substr(start, 240).trim()
        + (start + 240 < text.length ? "…" : "");
      return summary;
    };

    Search._parseQuery = (query) => {
      const stemmer = new Stemmer();
      const searchTerms = new Set();
      const excludedTerms = new Set();
      const highlightTerms = new Set();
      const objectTerms = new Set(splitQuery(query.toLowerCase().trim()));
      const terms = splitQuery(query.trim());
      for (let i = 0; i < terms.length;) {
        // The longest run of words from here that is a name of an entity.
        let end = 0;
        let entity = null;
        for (let j = terms.length; j > i && entity === null; j--) {
          const key = nameKey(terms.slice(i, j).join(""));
          if (Object.prototype.hasOwnProperty.call(data.keys, key)) {
            entity = data.keys[key];
            end = j;
          }
        }
        if (entity !== null) {
          searchTerms.add(stemmer.stemWord(entity));
          (data.names[entity] || []).forEach((name) => highlightTerms.add(name.toLowerCase()));
          terms.slice(i, end).forEach((word) => highlightTerms.add(word.toLowerCase()));
          i = end;
          continue;
        }
        const word = terms[i].toLowerCase();
        i += 1;
        if (stopwords.has(word)) continue;
        // A lone Han character (年 of 2014年) is no word of the index: it would find nothing.
        if (/^\p{Script=Han}$/u.test(word)) continue;
        const stemmed = stemmer.stemWord(word);
        if (stemmed[0] === "-") excludedTerms.add(stemmed.substr(1));
        else {
          searchTerms.add(stemmed);
          highlightTerms.add(word);
        }
      }
      localStorage.setItem(STORE, JSON.stringify([...highlightTerms]));
      return [query, searchTerms, excludedTerms, highlightTerms, objectTerms];
    };

    Search.query = (query) => {
      const [searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms] =
        Search._parseQuery(query);
      const results = Search._performSearch(
        searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms,
      );
      // One result per page: the best-scoring one (results are shown from the end).
      const seen = new Set();
      const unique = results.reverse().filter((result) => {
        if (seen.has(result[0])) return false;
        seen.add(result[0]);
        return true;
      }).reverse();
      // Snippets are cut around the words as typed and every name of an entity asked for.
      _displayNextItem(unique, unique.length, highlightTerms, highlightTerms);
    };
  };

  if (typeof Search !== "undefined" && document.getElementById("search-results")) searchPage();
  else highlightPage();
})();

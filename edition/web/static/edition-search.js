/* The edition's search, on top of Sphinx's searchtools.js (loaded deferred, after it).
 *
 * On the search page a query is planned as slots, every one of which a page must match:
 * - a run of query words that is a name of a registry entity or search alias (any script,
 *   pinyin with or without tones and spaces) is one slot, matched by the page's plain words, by
 *   the entity's index term (every page that mentions it) or by the words of any other of its
 *   names: a name adds pages, it never takes the plain words' pages away;
 * - every other word is a slot of its own; a word the index does not hold is looked for inside
 *   the index's words (a Chinese word inside a longer one: 一鸣 in 张一鸣) and inside the
 *   registry's names (一鸣 finds Zhang Yiming, wherever the texts write him).
 * Pages rank by group — the texts, then the edition's own pages, then the generated pages
 * (entity pages, the register, the timeline) — then by score. Each page is one result; its
 * snippet is cut from the paragraph that best matches the query, from the text's own
 * paragraphs first, never from the theme, the notes' addresses, the figures' stand-ins or the
 * paragraph numbers.
 * On every other page: the words of the last search are highlighted and the first is scrolled
 * into view (the theme loads searchtools.js on every page, which keeps Sphinx's own
 * highlighting from running).
 */
"use strict";
(() => {
  const STORE = "edition_highlight_terms";
  // The theme's and the edition's apparatus: never part of a snippet.
  const CHROME = [
    ".headerlink", "script", "style", "button", "input", "nav", "header", "footer", "summary",
    ".bd-header-article", ".d-print-none", ".prev-next-area", ".bd-sidebar-secondary",
    ".para-number", ".para-anchor", ".sidenote", ".marginnote", "label.margin-toggle",
    ".footnote-reference", ".sidenote-repeat", ".footnote", ".footnote-list", ".image-fallback",
    ".related-articles", ".edition-citation", ".mention-count",
  ].join(", ");
  // An element showing nothing but a paragraph mark (¶, ¶12) or a web address.
  const MARK_OR_ADDRESS = /^\s*(?:¶\s*\d*|(?:https?:\/\/|www\.)\S*)\s*$/u;
  // A link within the page showing nothing but a number: a note's mark ("24", "[3]").
  const NOTE_MARK = /^\s*\[?\d+\]?\s*$/;
  // Ids of a text's paragraphs and figures (<slug>-p12, <slug>-f2, <slug>-p8-zh-Hant).
  const TEXT_BLOCK = /-[pf]\d+(?:-[A-Za-z0-9-]+)?$/;
  // Scores of a word found in a page's title, its text, or inside a longer word of either.
  const SCORE = { title: 15, text: 5, partialTitle: 7, partialText: 2, nameInside: 2 };
  // How much more a whole name found on a page counts than its words found apart.
  const PHRASE = 1.5;
  // Snippets: characters shown, and at most how many before the first word found.
  const SNIPPET_LENGTH = 240;
  const SNIPPET_BEFORE = 80;
  // The longest name, in query words, looked for in a query.
  const LONGEST_NAME = 24;
  const HAN = /\p{Script=Han}/u;
  const HAN_RUN = /^\p{Script=Han}+$/u;
  const WORD_CHAR = /[\p{L}\p{N}]/u;

  const tokenless = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
  const fold = (text) => (typeof editionFold === "function" ? editionFold(text) : text);
  const nameKey = (text) =>
    tokenless(fold(text)).toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  // Folded and lower-cased character by character: positions in it are positions in the text.
  const matchForm = (text) => Array.from(fold(text), (char) => {
    const lower = char.toLowerCase();
    return lower.length === char.length ? lower : char;
  }).join("");
  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const asList = (files) => (files === undefined ? [] : Array.isArray(files) ? files : [files]);
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

  // ------------------------------------------------------------------ planning a query

  /* The query's words as the index cuts them, Chinese runs one character a piece (so that a
   * name can start and end anywhere in a run): [{text, han}]. */
  const queryPieces = (query) => {
    const plain = tokenless(fold(query));
    const pieces = [];
    plain.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
      .filter((term) => term)
      .forEach((term) => term.split(/(\p{Script=Han}+)/u).filter((part) => part)
        .forEach((part) => {
          if (HAN_RUN.test(part)) Array.from(part).forEach((text) => pieces.push({ text, han: true }));
          else pieces.push({ text: part, han: false });
        }));
    return pieces;
  };
  // Pieces back to text: a space between words, none inside a Chinese run.
  const joinPieces = (pieces) => pieces.map((piece, i) =>
    (i && !(piece.han && pieces[i - 1].han) ? " " : "") + piece.text).join("");

  const searchPage = () => {
    const data = window.EDITION_NAMES || { keys: {}, names: [], pages: {} };
    const records = data.names || [];
    const pages = data.pages || {};
    const stemmer = new Stemmer();
    const index = () => Search._index;
    const known = (term) => has(index().terms, term) || has(index().titleterms, term);

    /* The index words of a text (a name, or the rest of a query): Latin words stemmed, stop
     * words and lone Chinese characters left out, Chinese runs cut into the index's words. */
    const indexWords = (text) => {
      const words = [];
      splitQuery(text).forEach((word) => {
        const lower = word.toLowerCase();
        if (HAN.test(lower)) {
          // A lone Han character (年 of 2014年) is no word of the index: it would find nothing.
          if (Array.from(lower).length > 1) words.push({ word: lower, term: lower, han: true });
        } else if (!stopwords.has(lower)) {
          words.push({ word: lower, term: stemmer.stemWord(lower), han: false });
        }
      });
      return words;
    };

    // Per record, the words of its names (Latin, lower case) and its Chinese names (folded).
    let nameParts = null;
    const partsOfNames = () => {
      if (nameParts === null) {
        nameParts = records.map((record) => ({
          words: new Set(record.names.flatMap((name) =>
            matchForm(tokenless(name)).split(/[^\p{L}\p{N}]+/u).filter((w) => w && !HAN.test(w)))),
          han: record.names.filter((name) => HAN.test(name)).map((name) => matchForm(name)),
        }));
      }
      return nameParts;
    };

    /* A record's way of matching a page: its index term, which the build gave every page that
     * mentions the entity or writes any of its names (a whole name: it ranks above the words
     * of a name found apart). */
    const recordAlternatives = (record, score) =>
      (record.term ? [{ terms: [stemmer.stemWord(record.term)], score: score * PHRASE }] : []);

    /* A word's slot: the word itself; when the index lacks it, the index's words containing it
     * and the registry's names containing it. */
    const wordSlot = ({ word, term, han }) => {
      const slot = {
        alternatives: [], phrases: [{ text: word, weight: 2 }], ids: [], highlight: [word],
      };
      if (!han && term !== word) slot.phrases.push({ text: term, weight: 1, prefix: true });
      if (known(term)) {
        slot.alternatives.push({ terms: [term], score: 1 });
        return slot;
      }
      // Inside longer words: Sphinx's partial match, for Chinese words of two characters too.
      if (han || term.length > 2) slot.alternatives.push({ inside: term, score: 1 });
      partsOfNames().forEach((parts, position) => {
        const inName = han ? parts.han.some((name) => name.includes(word)) : parts.words.has(word);
        if (!inName) return;
        const record = records[position];
        slot.alternatives.push(...recordAlternatives(record, SCORE.nameInside / SCORE.text));
        addRecord(slot, record);
      });
      return slot;
    };

    const addRecord = (slot, record) => {
      record.names.forEach((name) => {
        slot.phrases.push({ text: matchForm(name), weight: 3 });
        slot.highlight.push(name.toLowerCase());
      });
      if (record.id) slot.ids.push(record.id);
    };

    /* The query as slots, each with its ways of matching a page and the phrases a snippet
     * looks for. */
    const plan = (query) => {
      const pieces = queryPieces(query);
      const slots = [];
      let rest = [];
      const flush = () => {
        // What no name covers: its words, each a slot.
        const text = joinPieces(rest);
        rest = [];
        indexWords(text).forEach((word) => slots.push(wordSlot(word)));
      };
      for (let i = 0; i < pieces.length;) {
        let end = 0;
        let record = null;
        for (let j = Math.min(pieces.length, i + LONGEST_NAME); j > i && record === null; j--) {
          const key = nameKey(pieces.slice(i, j).map((piece) => piece.text).join(""));
          if (key && has(data.keys, key)) {
            record = records[data.keys[key]];
            end = j;
          }
        }
        if (record === null) {
          rest.push(pieces[i]);
          i += 1;
          continue;
        }
        flush();
        const typed = joinPieces(pieces.slice(i, end));
        const slot = {
          alternatives: recordAlternatives(record, 1), phrases: [], ids: [], highlight: [],
        };
        const words = indexWords(typed);
        if (words.length) slot.alternatives.push({ terms: words.map((w) => w.term), score: 1 });
        slot.phrases.push({ text: matchForm(typed), weight: 3 });
        // Its words found apart, as the plain words match a page.
        words.forEach((w) => slot.phrases.push({ text: w.word, weight: 1 }));
        slot.highlight.push(typed.toLowerCase());
        addRecord(slot, record);
        slots.push(slot);
        i = end;
      }
      flush();
      // The whole query, where a paragraph has it, makes the best snippet.
      slots.query = matchForm(joinPieces(pieces));
      return slots;
    };

    // ------------------------------------------------------------------ finding pages

    // file -> score of one index word on each page that holds it (title, text, or inside).
    const termScores = (term) => {
      const scores = new Map();
      const add = (files, score) => asList(files).forEach((file) => {
        if ((scores.get(file) || 0) < score) scores.set(file, score);
      });
      add(index().terms[term], SCORE.text);
      add(index().titleterms[term], SCORE.title);
      return scores;
    };
    const insideScores = (part) => {
      const scores = new Map();
      const add = (table, score) => Object.keys(table).forEach((term) => {
        if (term !== part && term.includes(part)) {
          asList(table[term]).forEach((file) => {
            if ((scores.get(file) || 0) < score) scores.set(file, score);
          });
        }
      });
      add(index().terms, SCORE.partialText);
      add(index().titleterms, SCORE.partialTitle);
      return scores;
    };

    // file -> the best score of a slot's alternatives on the pages it matches.
    const slotScores = (slot) => {
      const best = new Map();
      slot.alternatives.forEach((alternative) => {
        let scores;
        if (alternative.inside !== undefined) {
          scores = insideScores(alternative.inside);
        } else {
          // Every word of the alternative on the page; its score is their mean.
          const each = alternative.terms.map(termScores);
          scores = new Map();
          each[0].forEach((score, file) => {
            if (each.every((other) => other.has(file))) {
              scores.set(file, each.reduce((sum, other) => sum + other.get(file), 0) / each.length);
            }
          });
        }
        scores.forEach((score, file) => {
          const value = score * alternative.score;
          if ((best.get(file) || 0) < value) best.set(file, value);
        });
      });
      return best;
    };

    const group = (docname) => {
      if (pages.texts && docname.startsWith(pages.texts)) return 0;
      if (pages.generated && docname.startsWith(pages.generated)) return 2;
      return 1;
    };

    /* Pages matching every slot, as Sphinx's results ([docname, title, anchor, description,
     * score, file name, kind]), best last (Sphinx shows them from the end). */
    const pagesFor = (query, slots) => {
      if (!slots.length) return [];
      const { docnames, titles, filenames } = index();
      const perSlot = slots.map(slotScores);
      const phrase = matchForm(query.trim().replace(/\s+/g, " "));
      const results = [];
      perSlot[0].forEach((_score, file) => {
        if (!perSlot.every((scores) => scores.has(file))) return;
        let score = perSlot.reduce((sum, scores) => sum + scores.get(file), 0);
        // The whole query in the title: the text it names comes first.
        if (phrase && matchForm(titles[file]).includes(phrase)) score += SCORE.title;
        results.push([docnames[file], titles[file], "", null, score, filenames[file], "text"]);
      });
      results.sort((a, b) => group(b[0]) - group(a[0]) || a[4] - b[4]
        || (a[1].toLowerCase() < b[1].toLowerCase() ? 1 : -1));
      return results;
    };

    // ------------------------------------------------------------------ snippets

    /* A phrase's first place in a text (in its match form), whole words for Latin ones. */
    const findPhrase = (form, phrase) => {
      if (!phrase.text) return -1;
      const chars = Array.from(phrase.text);
      const latinStart = WORD_CHAR.test(chars[0]) && !HAN.test(chars[0]);
      const latinEnd = WORD_CHAR.test(chars[chars.length - 1]) && !HAN.test(chars[chars.length - 1]);
      let from = form.indexOf(phrase.text);
      while (from > -1) {
        const before = from > 0 ? form[from - 1] : "";
        const after = form[from + phrase.text.length] || "";
        const startOk = !latinStart || !before || !WORD_CHAR.test(before) || HAN.test(before);
        const endOk = phrase.prefix || !latinEnd || !after || !WORD_CHAR.test(after)
          || HAN.test(after);
        if (startOk && endOk) return from;
        from = form.indexOf(phrase.text, from + 1);
      }
      return -1;
    };

    /* The paragraphs a snippet may come from, the text's own first, then the page's other
     * paragraphs, list items and cells (an entity page's quotations, the editorial notes). */
    const snippetUnits = (main) => {
      main.querySelectorAll(CHROME).forEach((el) => el.remove());
      main.querySelectorAll("a, span, sup").forEach((el) => {
        if (el.isConnected && MARK_OR_ADDRESS.test(el.textContent)) el.remove();
      });
      main.querySelectorAll('a[href^="#"]').forEach((el) => {
        if (el.isConnected && NOTE_MARK.test(el.textContent)) el.remove();
      });
      const seen = new Set();
      const units = [];
      const add = (el, own) => {
        if (seen.has(el)) return;
        seen.add(el);
        // A field's value with its name ("Publisher: Caixin Weekly").
        const value = el.matches("dd") ? el : el.parentElement?.closest("dd");
        const name = value?.previousElementSibling;
        const label = name?.matches("dt") ? `${name.textContent.trim()} ` : "";
        const text = (label + el.textContent).replace(/\s+/g, " ").trim();
        if (text) units.push({ el, text, own });
      };
      main.querySelectorAll("[id]").forEach((block) => {
        if (!TEXT_BLOCK.test(block.id)) return;
        const paragraphs = block.matches("p") ? [block] : Array.from(block.querySelectorAll("p"));
        (paragraphs.length ? paragraphs : [block]).forEach((el) => add(el, true));
      });
      const inText = (el) => units.some((unit) => unit.own && unit.el.contains(el));
      main.querySelectorAll("p, li, dd, td, th").forEach((el) => {
        if (el.querySelector("p, li") || inText(el)) return;
        add(el, false);
      });
      return units;
    };

    // Whether one list of numbers sorts before another, the first number first.
    const ranksBelow = (a, b) => {
      const i = a.findIndex((value, k) => value !== b[k]);
      return i > -1 && a[i] < b[i];
    };

    const cut = (text, at) => {
      let start = Math.max(at - SNIPPET_BEFORE, 0);
      // Start and end at a space where one is near (Chinese has none: it is cut anywhere).
      if (start > 0) {
        const space = text.indexOf(" ", start);
        if (space > -1 && space < at && space - start < 20) start = space + 1;
      }
      let end = Math.min(start + SNIPPET_LENGTH, text.length);
      if (end < text.length) {
        const space = text.lastIndexOf(" ", end);
        if (space > start + SNIPPET_LENGTH - 30) end = space;
      }
      return (start > 0 ? "… " : "") + text.slice(start, end).trim()
        + (end < text.length ? " …" : "");
    };

    Search.makeSearchSummary = (htmlText, slots) => {
      const doc = new DOMParser().parseFromString(htmlText, "text/html");
      const main = articleOf(doc);
      const summary = document.createElement("p");
      summary.classList.add("context");
      if (!main) return summary;
      const units = snippetUnits(main);
      const list = Array.isArray(slots) ? slots : [];
      let best = null;
      units.forEach((unit, order) => {
        const form = matchForm(unit.text);
        let score = 0;
        let at = -1;
        list.forEach((slot) => {
          // A mention of the entity asked for counts as its name, whatever words it shows.
          const phrases = [...slot.phrases];
          slot.ids.forEach((id) => unit.el.querySelectorAll(
            `a[href$="#entity-${CSS.escape(id)}"], a[data-href$="#entity-${CSS.escape(id)}"]`,
          ).forEach((a) => phrases.push({ text: matchForm(a.textContent.trim()), weight: 3 })));
          let slotBest = 0;
          phrases.forEach((phrase) => {
            const found = findPhrase(form, phrase);
            if (found < 0) return;
            if (phrase.weight > slotBest) slotBest = phrase.weight;
            if (at < 0 || found < at) at = found;
          });
          score += slotBest;
        });
        const whole = list.length > 1 ? findPhrase(form, { text: slots.query }) : -1;
        if (whole > -1) {
          score += 1;
          at = whole;
        }
        // The text's own paragraphs first; among equals, one with words around the hit.
        const rank = [score, unit.own ? 1 : 0, Math.min(unit.text.length, 120), -order];
        if (best === null || ranksBelow(best.rank, rank)) best = { unit, at: score ? at : 0, rank };
      });
      summary.textContent = best === null
        ? (doc.title || "").trim() : cut(best.unit.text, Math.max(best.at, 0));
      // In the paragraph's language, so that Chinese is set and read as Chinese: the
      // language of the part that holds most of it (an entity page's quotation), else its own.
      if (best !== null) {
        const part = Array.from(best.unit.el.querySelectorAll("[lang]"))
          .find((el) => el.textContent.trim().length * 2 > best.unit.text.length);
        const lang = (part || best.unit.el.closest("[lang]"))?.getAttribute("lang");
        if (lang) summary.lang = lang;
      }
      return summary;
    };

    // ------------------------------------------------------------------ the search page

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

    Search.query = (query) => {
      const slots = plan(query);
      const results = pagesFor(query, slots);
      // Longest first: 张一鸣 is marked whole before 一鸣 inside it could be.
      const highlight = new Set(slots.flatMap((slot) => slot.highlight)
        .sort((a, b) => b.length - a.length));
      localStorage.setItem(STORE, JSON.stringify([...highlight]));
      _removeChildren(document.getElementById("search-progress"));
      // Snippets are cut around the query's words and every name of the entities asked for.
      show(results, results.length, slots, highlight);
    };

    /* Sphinx's display of the results, one at a time, each title in its text's language. */
    const show = (results, count, slots, highlight) => {
      if (!results.length) {
        _finishSearch(count);
        return;
      }
      const result = results.pop();
      _displayItem(result, slots, highlight);
      const link = Search.output.lastElementChild?.querySelector("a");
      const lang = (pages.languages || {})[result[0]];
      if (link && lang) link.lang = lang;
      window.setTimeout(() => show(results, count, slots, highlight), 5);
    };
    // The planner, for the tests of the search page.
    Search.editionPlan = plan;
  };

  if (typeof Search !== "undefined" && document.getElementById("search-results")) searchPage();
  else highlightPage();
})();

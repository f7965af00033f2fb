/* The edition's search page: the index loaded by need (edition/search_index.py).
 *
 * The page brings the manifest (window.EDITION_SEARCH_MANIFEST), the names of the registry
 * (window.EDITION_NAMES), the Traditional→Simplified fold (window.EDITION_FOLD) and the English
 * stemmer (window.Stemmer). A query loads only the term chunks of its words (a Chinese run: one
 * chunk per character, to cut it into the longest words the index knows), the postings of its
 * terms, then, ten results at a time, the fragment of each result's best paragraph: its text is
 * the snippet, its anchor the link (page.html#<slug>-p3). No page of the edition is fetched.
 *
 * A query is planned as slots, every one of which a page must match:
 * - a run of query words that is a name of a registry entity or search alias (any script,
 *   pinyin with or without tones and spaces) is one slot, matched by the page's plain words or
 *   by the entity's index term (every page that mentions it or writes any of its names);
 * - every other word is a slot of its own; a word the index lacks is matched through the
 *   registry's names that contain it (一鸣 finds Zhang Yiming, wherever the texts write him).
 * Matching is exact. Only when nothing matches is a word looked for inside the index's longer
 * words (一鸣 in 张一鸣), and the page says so.
 * Pages rank by group — the texts, then the edition's own pages, then the generated pages —
 * then by score (a word in a title counts more), then by the number of paragraphs that match.
 * Page text is untrusted: it is only ever put into the page as text (textContent).
 */
"use strict";
(async () => {
  const STORE = "edition_highlight_terms";
  const PAGE_SIZE = 10;
  const TYPING_DELAY = 180;
  // Scores of a word found in a page's title, its text, or inside a longer word of either.
  const SCORE = { title: 15, text: 5, partialTitle: 7, partialText: 2, nameInside: 2 };
  // How much more a whole name found on a page counts than its words found apart.
  const PHRASE = 1.5;
  // Snippets: characters shown, and at most how many before the first word found.
  const SNIPPET_LENGTH = 240;
  const SNIPPET_BEFORE = 80;
  // The longest name, in query words, looked for in a query; the longest word the segmenter
  // tries against the index, in characters.
  const LONGEST_NAME = 24;
  const LONGEST_WORD = 12;
  // Substring fallback: at most this many index words containing a query word.
  const MOST_INSIDE = 300;
  // Ids of a text's paragraphs and figures (<slug>-p12, <slug>-f2, <slug>-p8-zh-Hant).
  const TEXT_BLOCK = /-[pf]\d+(?:-[A-Za-z0-9-]+)?$/;
  const HAN = /\p{Script=Han}/u;
  const HAN_RUN = /^\p{Script=Han}+$/u;
  const WORD_CHAR = /[\p{L}\p{N}]/u;
  // The languages of the filter, by name.
  const LANGUAGES = { en: "English", "zh-Hans": "Chinese (Simplified)",
                      "zh-Hant": "Chinese (Traditional)" };

  // ------------------------------------------------------------------ text

  let foldMap = null;
  const fold = (text) => {
    if (foldMap === null) {
      foldMap = new Map();
      const data = window.EDITION_FOLD;
      if (data) {
        const to = Array.from(data.to);
        Array.from(data.from).forEach((char, i) => foldMap.set(char, to[i]));
      }
    }
    return Array.from(text, (char) => foldMap.get(char) || char).join("");
  };
  const toneless = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
  const nameKey = (text) => toneless(fold(text)).toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  // Folded and lower-cased character by character: positions in it are positions in the text.
  const matchForm = (text) => Array.from(fold(text), (char) => {
    const lower = char.toLowerCase();
    return lower.length === char.length ? lower : char;
  }).join("");
  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  /* The segmenter: a query folded, cut into words; runs of Chinese cut into the longest words
   * `known` holds (readers type no spaces between words). */
  const segment = (run, known) => {
    if (known(run)) return [run];
    const chars = Array.from(run);
    const words = [];
    let i = 0;
    while (i < chars.length) {
      let found = 0;
      for (let n = Math.min(LONGEST_WORD, chars.length - i); n > 1; n--) {
        if (known(chars.slice(i, i + n).join(""))) { found = n; break; }
      }
      if (found) { words.push(chars.slice(i, i + found).join("")); i += found; } else { i += 1; }
    }
    return words.length ? words : [run];
  };
  const splitQuery = (query, known) => {
    const plain = toneless(fold(query));
    const terms = plain.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
      .filter((term) => term);
    const result = [];
    terms.forEach((term) => {
      term.split(/(\p{Script=Han}+)/u).filter((part) => part).forEach((part) => {
        if (HAN_RUN.test(part)) result.push(...segment(part, known));
        else result.push(part);
      });
    });
    return result;
  };
  // The splitter, for the tests (a query and a function saying whether a word is indexed).
  window.EditionSearch = { splitQuery, fold };

  const manifest = window.EDITION_SEARCH_MANIFEST;
  const container = document.getElementById("edition-search");
  if (!manifest || !container) return;
  // The theme's icon script watches every change of the page and searches the whole changed
  // element for icons to draw: the list of results, at each "more" (a third of a second for
  // 477 results). The theme's icons are drawn by now; results have none.
  if (window.FontAwesome && typeof window.FontAwesome.noAuto === "function") {
    window.FontAwesome.noAuto();
  }

  // ------------------------------------------------------------------ loading by need

  const base = `${document.documentElement.dataset.content_root || ""}_search/`;
  const loaded = new Map();
  const waiting = new Map();
  const bytesLoaded = { files: 0 };
  window.editionSearchLoaded = (kind, key, data) => {
    const id = `${kind}:${JSON.stringify(key)}`;
    loaded.set(id, data);
    const pending = waiting.get(id);
    if (pending) pending.resolve(data);
  };
  /* A file of the index, as a script (it works from file:// too); once per file. */
  const load = (kind, key, path) => {
    const id = `${kind}:${JSON.stringify(key)}`;
    if (loaded.has(id)) return Promise.resolve(loaded.get(id));
    if (waiting.has(id)) return waiting.get(id).promise;
    const pending = {};
    pending.promise = new Promise((resolve, reject) => {
      pending.resolve = resolve;
      pending.reject = reject;
    });
    waiting.set(id, pending);
    const element = document.createElement("script");
    element.src = `${base}${path}?v=${manifest.build}`;
    element.async = true;
    element.onload = () => {
      element.remove();
      waiting.delete(id);
      bytesLoaded.files += 1;
      pending.resolve(loaded.get(id));
    };
    element.onerror = () => {
      element.remove();
      waiting.delete(id);
      pending.reject(new Error(`the search index could not be loaded (${path})`));
    };
    document.head.appendChild(element);
    return pending.promise;
  };

  const fnv1a = (text) => {
    let hash = 0x811c9dc5;
    for (const char of text) {
      hash ^= char.codePointAt(0);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  };
  // A Chinese word's chunk is chosen by its first two characters, any other word's by itself.
  // The Han ideographs of the Basic Multilingual Plane, by the build's ranges.
  const hanRanges = manifest.han || [];
  const chunkHan = (term) => {
    const code = term.codePointAt(0);
    return hanRanges.some(([low, high]) => code >= low && code <= high);
  };
  const chunkOf = (term) => {
    const key = chunkHan(term) ? Array.from(term).slice(0, 2).join("") : term;
    return fnv1a(key) % manifest.chunks.length;
  };
  const chunkFor = (term) => {
    const number = chunkOf(term);
    return load("t", number, `t/${number}.${manifest.chunks[number]}.js`);
  };
  const loadedChunk = (term) => loaded.get(`t:${chunkOf(term)}`) || {};
  const known = (term) => term !== "" && has(loadedChunk(term), term);

  /* A term's postings: doc id -> {title, units}. */
  const decoded = new Map();
  const decode = (flat) => {
    const pages = new Map();
    let doc = 0;
    for (let i = 0; i < flat.length;) {
      doc += flat[i++];
      let count = flat[i++];
      const title = count < 0;
      count = Math.abs(count);
      const units = [];
      let unit = 0;
      for (let k = 0; k < count; k++) {
        unit += flat[i++];
        units.push(unit);
      }
      pages.set(doc, { title, units });
    }
    return pages;
  };
  const postingsOf = async (term) => {
    if (decoded.has(term)) return decoded.get(term);
    const chunk = await chunkFor(term);
    let flat = chunk && has(chunk, term) ? chunk[term] : [];
    if (typeof flat === "string") flat = await load("p", term, flat);
    const pages = decode(flat || []);
    decoded.set(term, pages);
    return pages;
  };

  // ------------------------------------------------------------------ planning a query

  const data = window.EDITION_NAMES || { keys: {}, names: [] };
  const records = data.names || [];
  const stopwords = new Set(manifest.stopwords || []);
  const stemmer = typeof Stemmer === "function" ? new Stemmer() : { stemWord: (w) => w };

  /* The query's words as the index cuts them, Chinese runs one character a piece (so that a
   * name can start and end anywhere in a run): [{text, han}]. */
  const queryPieces = (query) => {
    const plain = toneless(fold(query));
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
  const joinPieces = (pieces) => pieces.map((piece, i) =>
    (i && !(piece.han && pieces[i - 1].han) ? " " : "") + piece.text).join("");

  /* The index words of a text: Latin words stemmed, stop words and lone Chinese characters
   * left out, Chinese runs cut into the index's words. */
  const indexWords = (text) => {
    const words = [];
    splitQuery(text, known).forEach((word) => {
      const lower = word.toLowerCase();
      if (HAN.test(lower)) {
        if (Array.from(lower).length > 1) words.push({ word: lower, term: lower, han: true });
      } else if (!stopwords.has(lower)) {
        words.push({ word: lower, term: stemmer.stemWord(lower), han: false });
      }
    });
    return words;
  };

  let nameParts = null;
  const partsOfNames = () => {
    if (nameParts === null) {
      nameParts = records.map((record) => ({
        words: new Set(record.names.flatMap((name) =>
          matchForm(toneless(name)).split(/[^\p{L}\p{N}]+/u).filter((w) => w && !HAN.test(w)))),
        han: record.names.filter((name) => HAN.test(name)).map((name) => matchForm(name)),
      }));
    }
    return nameParts;
  };

  const recordAlternatives = (record, score) =>
    (record.term ? [{ terms: [stemmer.stemWord(record.term)], score: score * PHRASE }] : []);

  const addRecord = (slot, record) => {
    record.names.forEach((name) => {
      slot.phrases.push({ text: matchForm(name), weight: 3 });
      slot.highlight.push(name.toLowerCase());
    });
  };

  const wordSlot = ({ word, term, han }) => {
    const slot = { alternatives: [], inside: null, phrases: [{ text: word, weight: 2 }],
                   highlight: [word] };
    if (!han && term !== word) slot.phrases.push({ text: term, weight: 1, prefix: true });
    // Inside longer words: only when nothing matches (the fallback).
    if (han || term.length > 2) slot.inside = term;
    if (known(term)) {
      slot.alternatives.push({ terms: [term], score: 1 });
      return slot;
    }
    partsOfNames().forEach((parts, position) => {
      const inName = han ? parts.han.some((name) => name.includes(word)) : parts.words.has(word);
      if (!inName) return;
      const record = records[position];
      slot.alternatives.push(...recordAlternatives(record, SCORE.nameInside / SCORE.text));
      addRecord(slot, record);
    });
    return slot;
  };

  /* Every chunk a query may need to be planned: in a run of Chinese, the chunk of each pair of
   * characters (the segmenter tries the words starting at each character); the chunk of each
   * other word, plain and stemmed. */
  const prefetch = (query) => {
    const wanted = new Set();
    const pieces = queryPieces(query);
    pieces.forEach((piece, i) => {
      if (piece.han) {
        const next = pieces[i + 1];
        if (next && next.han) wanted.add(piece.text + next.text);
      } else {
        const lower = piece.text.toLowerCase();
        wanted.add(lower);
        wanted.add(stemmer.stemWord(lower));
      }
    });
    return Promise.all(Array.from(wanted, (term) => chunkFor(term)));
  };

  const plan = (query) => {
    const pieces = queryPieces(query);
    const slots = [];
    let rest = [];
    const flush = () => {
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
      const slot = { alternatives: recordAlternatives(record, 1), inside: null, phrases: [],
                     highlight: [], record };
      const words = indexWords(typed);
      if (words.length) slot.alternatives.push({ terms: words.map((w) => w.term), score: 1 });
      slot.phrases.push({ text: matchForm(typed), weight: 3 });
      words.forEach((w) => slot.phrases.push({ text: w.word, weight: 1 }));
      slot.highlight.push(typed.toLowerCase());
      addRecord(slot, record);
      slots.push(slot);
      i = end;
    }
    flush();
    slots.query = matchForm(joinPieces(pieces));
    return slots;
  };

  // ------------------------------------------------------------------ finding pages

  /* doc -> {score, title, units: unit -> weight} of one alternative (every one of its terms
   * on the page). The units holding all its terms weigh its score; those holding only some,
   * less. */
  const alternativeScores = async (alternative) => {
    const each = await Promise.all(alternative.terms.map(postingsOf));
    const scores = new Map();
    each[0].forEach((_found, doc) => {
      if (!each.every((pages) => pages.has(doc))) return;
      let sum = 0;
      let title = true;
      const counts = new Map();
      each.forEach((pages) => {
        const found = pages.get(doc);
        sum += found.title ? SCORE.title : SCORE.text;
        title = title && found.title;
        found.units.forEach((unit) => counts.set(unit, (counts.get(unit) || 0) + 1));
      });
      const score = (sum / each.length) * alternative.score;
      const units = new Map();
      counts.forEach((count, unit) => units.set(unit, count === each.length ? score : score / 4));
      scores.set(doc, { score, title, units });
    });
    return scores;
  };

  /* The index's words that hold a part of a word: those holding its rarest character (one
   * file of the words by character), that hold it all. */
  const insideTerms = async (part) => {
    const letters = manifest.letters || {};
    const chars = Array.from(new Set(Array.from(part)));
    const rarest = chars.reduce((best, char) =>
      ((letters[char] ?? 0) < (letters[best] ?? 0) ? char : best), chars[0]);
    const number = fnv1a(rarest) % manifest.lexicon.length;
    const words = (await load("l", number, `l/${number}.${manifest.lexicon[number]}.js`)) || {};
    const found = [];
    for (const term of words[rarest] || []) {
      if (term !== part && term.includes(part)) found.push(term);
      if (found.length >= MOST_INSIDE) break;
    }
    return found;
  };

  /* doc -> {score, title, units}: the best of a slot's alternatives on each page. */
  const slotScores = async (slot, fallback) => {
    const best = new Map();
    const alternatives = [...slot.alternatives];
    if (fallback && slot.inside) {
      (await insideTerms(slot.inside)).forEach((term) => {
        alternatives.push({ terms: [term], score: SCORE.partialText / SCORE.text, inside: true });
      });
    }
    const found = await Promise.all(alternatives.map(alternativeScores));
    found.forEach((scores, k) => {
      const alternative = alternatives[k];
      scores.forEach((value, doc) => {
        let { score } = value;
        if (alternative.inside && value.title) score = SCORE.partialTitle;
        const previous = best.get(doc) || { score: 0, title: false, units: new Map() };
        best.set(doc, previous);
        if (score > previous.score) previous.score = score;
        previous.title = previous.title || value.title;
        value.units.forEach((weight, unit) => {
          previous.units.set(unit, Math.max(previous.units.get(unit) || 0, weight));
        });
      });
    });
    return best;
  };

  const groupOf = (doc) => (doc < manifest.groups[0] ? 0 : doc < manifest.groups[1] ? 1 : 2);

  /* The pages matching every slot, best first: [{doc, score, mass, units: unit -> weight}]
   * (a unit's weight: the sum over the slots of the weight it matches each with). */
  const rank = (perSlot) => {
    const results = [];
    if (!perSlot.length) return results;
    perSlot[0].forEach((_value, doc) => {
      if (!perSlot.every((scores) => scores.has(doc))) return;
      let score = 0;
      let allTitle = true;
      const units = new Map();
      perSlot.forEach((scores) => {
        const found = scores.get(doc);
        score += found.score;
        allTitle = allTitle && found.title;
        found.units.forEach((weight, unit) => units.set(unit, (units.get(unit) || 0) + weight));
      });
      // The whole query in a title: the text it names comes first.
      if (allTitle) score += SCORE.title;
      let mass = 0;
      units.forEach((weight) => { mass += weight; });
      results.push({ doc, score, mass, units });
    });
    results.sort((a, b) => groupOf(a.doc) - groupOf(b.doc) || b.score - a.score
      || b.mass - a.mass || a.doc - b.doc);
    return results;
  };

  /* The unit a result's snippet is cut from: the one that matches best (the units are
   * numbered a text's own paragraphs first, then its header and notes), the title only when
   * nothing else matches. */
  const bestUnit = (result) => {
    let best = null;
    result.units.forEach((weight, unit) => {
      const rankOf = [unit === 0 ? 0 : 1, weight];
      if (best === null || rankOf[0] > best.rank[0]
          || (rankOf[0] === best.rank[0] && rankOf[1] > best.rank[1] + 1e-9)
          || (rankOf[0] === best.rank[0] && Math.abs(rankOf[1] - best.rank[1]) < 1e-9
              && unit < best.unit)) {
        best = { unit, rank: rankOf };
      }
    });
    return best === null ? 0 : best.unit;
  };

  // ------------------------------------------------------------------ filters

  const filters = Array.from(container.querySelectorAll("select[data-filter]"));
  const filterValues = () => {
    const values = {};
    filters.forEach((select) => { if (select.value) values[select.dataset.filter] = select.value; });
    return values;
  };
  const fillFilters = async () => {
    let values = {};
    try {
      values = (await load("values", 0, manifest.values)) || {};
    } catch (error) {
      values = {};
    }
    filters.forEach((select) => {
      const name = select.dataset.filter;
      let options = [];
      if (name === "entity") {
        options = records.filter((record) => record.id)
          .map((record) => [record.id, record.names[0]])
          .sort((a, b) => a[1].localeCompare(b[1]));
      } else {
        options = (values[name] || []).map(([value, count]) =>
          [value, `${name === "language" ? LANGUAGES[value] || value : value} (${count})`]);
      }
      if (!options.length) {
        select.closest("label").hidden = true;
        return;
      }
      options.forEach(([value, label]) => {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = label;
        select.appendChild(option);
      });
    });
  };
  /* The docs each set filter lets through (null: no filter). */
  const allowedDocs = async (values) => {
    const sets = [];
    const facetNames = Object.keys(values).filter((name) => name !== "entity");
    if (facetNames.length) {
      const facets = await load("facets", 0, manifest.facets);
      facetNames.forEach((name) => sets.push(new Set(((facets || {})[name] || {})[values[name]] || [])));
    }
    if (values.entity) {
      const record = records.find((r) => r.id === values.entity);
      const term = record ? stemmer.stemWord(record.term) : "";
      sets.push(new Set(term ? (await postingsOf(term)).keys() : []));
    }
    if (!sets.length) return null;
    return sets.reduce((a, b) => new Set([...a].filter((doc) => b.has(doc))));
  };

  // ------------------------------------------------------------------ snippets

  const findPhrase = (form, phrase, from = 0) => {
    if (!phrase.text) return -1;
    const chars = Array.from(phrase.text);
    const latinStart = WORD_CHAR.test(chars[0]) && !HAN.test(chars[0]);
    const latinEnd = WORD_CHAR.test(chars[chars.length - 1]) && !HAN.test(chars[chars.length - 1]);
    let at = form.indexOf(phrase.text, from);
    while (at > -1) {
      const before = at > 0 ? form[at - 1] : "";
      const after = form[at + phrase.text.length] || "";
      const startOk = !latinStart || !before || !WORD_CHAR.test(before) || HAN.test(before);
      const endOk = phrase.prefix || !latinEnd || !after || !WORD_CHAR.test(after) || HAN.test(after);
      if (startOk && endOk) return at;
      at = form.indexOf(phrase.text, at + 1);
    }
    return -1;
  };

  const cut = (text, at) => {
    let start = Math.max(at - SNIPPET_BEFORE, 0);
    if (start > 0) {
      const space = text.indexOf(" ", start);
      if (space > -1 && space < at && space - start < 20) start = space + 1;
    }
    let end = Math.min(start + SNIPPET_LENGTH, text.length);
    if (end < text.length) {
      const space = text.lastIndexOf(" ", end);
      if (space > start + SNIPPET_LENGTH - 30) end = space;
    }
    const body = text.slice(start, end);
    const lead = body.length - body.trimStart().length;
    return { text: body.trim(), start: start + lead, before: start > 0, after: end < text.length };
  };

  /* The snippet as nodes: the words found marked, everything else text. */
  const snippetNodes = (text, slots, into) => {
    const form = matchForm(text);
    let at = -1;
    const phrases = slots.flatMap((slot) => slot.phrases);
    if (slots.length > 1) at = findPhrase(form, { text: slots.query });
    if (at < 0) {
      phrases.forEach((phrase) => {
        const found = findPhrase(form, phrase);
        if (found > -1 && (at < 0 || found < at)) at = found;
      });
    }
    const piece = cut(text, Math.max(at, 0));
    const marks = [];
    const pieceForm = form.slice(piece.start, piece.start + piece.text.length);
    phrases.filter((phrase) => phrase.text).forEach((phrase) => {
      let found = findPhrase(pieceForm, phrase);
      while (found > -1) {
        marks.push([found, found + phrase.text.length]);
        found = findPhrase(pieceForm, phrase, found + phrase.text.length);
      }
    });
    marks.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    if (piece.before) into.appendChild(document.createTextNode("… "));
    let position = 0;
    marks.forEach(([start, end]) => {
      if (start < position) return;
      into.appendChild(document.createTextNode(piece.text.slice(position, start)));
      const mark = document.createElement("mark");
      mark.textContent = piece.text.slice(start, end);
      into.appendChild(mark);
      position = end;
    });
    into.appendChild(document.createTextNode(piece.text.slice(position)));
    if (piece.after) into.appendChild(document.createTextNode(" …"));
  };

  // ------------------------------------------------------------------ the page

  const input = container.querySelector("#edition-search-query");
  const output = document.getElementById("search-results");
  const status = container.querySelector("#search-progress");
  let current = 0;  // the query being shown; a newer one stops an older one's display

  const say = (element, text) => { element.textContent = text; };

  const itemFor = async (result, slots, run) => {
    const unit = bestUnit(result);
    let fragment = null;
    let page = null;
    // A page's fragments are in files of manifest.fragments (search_index.py's FRAGMENT_GROUP);
    // unit 0, the page's title, stands in for a paragraph whose file is missing.
    for (const number of unit === 0 ? [0] : [unit, 0]) {
      const group = Math.floor(number / manifest.fragments);
      try {
        const data = await load("f", [result.doc, group], `f/${result.doc}/${group}.js`);
        fragment = data.u[number - group * manifest.fragments];
        page = data.d;
        if (fragment && page) break;
      } catch (error) {
        fragment = null;
      }
    }
    if (run !== current) return null;
    const item = document.createElement("li");
    if (!fragment || !page) {
      item.textContent = "(this result could not be loaded)";
      return item;
    }
    const link = document.createElement("a");
    const anchor = unit === 0 ? "" : fragment.a;
    link.href = `${document.documentElement.dataset.content_root || ""}${page.u}${anchor ? `#${anchor}` : ""}`;
    link.textContent = page.t;
    if (page.l) link.lang = page.l;
    item.appendChild(link);
    if (anchor && TEXT_BLOCK.test(anchor)) {
      const where = document.createElement("span");
      where.className = "edition-search-where";
      const number = anchor.match(/-([pf])(\d+)/);
      where.textContent = number ? ` ${number[1] === "p" ? "¶" : "fig. "}${number[2]}` : "";
      item.appendChild(where);
    }
    const context = document.createElement("p");
    context.className = "context";
    if (fragment.l) context.lang = fragment.l;
    snippetNodes(fragment.x || page.t, slots, context);
    item.appendChild(context);
    return item;
  };

  const showMore = async (state) => {
    const { results, slots, run } = state;
    const next = results.slice(state.shown, state.shown + PAGE_SIZE);
    state.shown += next.length;
    state.more.hidden = true;
    output.dataset.state = "loading";
    const items = await Promise.all(next.map((result) => itemFor(result, slots, run)));
    if (run !== current) return;
    items.forEach((item) => { if (item) state.list.appendChild(item); });
    const left = results.length - state.shown;
    state.more.hidden = left <= 0;
    say(state.more, `Show ${Math.min(left, PAGE_SIZE)} more (${state.shown} of ${results.length} shown)`);
    output.dataset.shown = String(state.shown);
    output.dataset.state = "done";
  };

  const describe = (query, values) => {
    const parts = [];
    if (query) parts.push(`“${query}”`);
    Object.entries(values).forEach(([name, value]) => {
      let shown = value;
      if (name === "entity") {
        const record = records.find((r) => r.id === value);
        shown = record ? record.names[0] : value;
      } else if (name === "language") {
        shown = LANGUAGES[value] || value;
      }
      parts.push(`${name}: ${shown}`);
    });
    return parts.join(", ");
  };

  const run = async (query, values) => {
    current += 1;
    const me = current;
    output.replaceChildren();
    output.dataset.state = "loading";
    delete output.dataset.total;
    const trimmed = query.trim();
    if (!trimmed && !Object.keys(values).length) {
      output.dataset.state = "idle";
      say(status, "");
      return;
    }
    say(status, "Searching…");
    let results = [];
    let fallback = false;
    let slots = [];
    try {
      const allowed = await allowedDocs(values);
      if (trimmed) {
        await prefetch(trimmed);
        if (me !== current) return;
        slots = plan(trimmed);
        const highlight = new Set(slots.flatMap((slot) => slot.highlight));
        try {
          localStorage.setItem(STORE, JSON.stringify([...highlight]
            .sort((a, b) => b.length - a.length)));
        } catch (error) {
          // No storage (a private window): the opened page is not highlighted.
        }
        const exact = await Promise.all(slots.map((slot) => slotScores(slot, false)));
        results = rank(exact);
        if (allowed) results = results.filter((result) => allowed.has(result.doc));
        if (!results.length && slots.some((slot) => slot.inside)) {
          fallback = true;
          const inside = await Promise.all(slots.map((slot) => slotScores(slot, true)));
          results = rank(inside);
          if (allowed) results = results.filter((result) => allowed.has(result.doc));
        }
      } else {
        results = [...allowed].sort((a, b) => a - b).map((doc) => ({ doc, score: 0,
          mass: 0, units: new Map([[1, 1]]) }));
        slots.query = "";
      }
    } catch (error) {
      if (me !== current) return;
      say(status, "");
      const problem = document.createElement("p");
      problem.className = "search-summary";
      problem.textContent = `The search could not run: ${error.message}.`;
      output.appendChild(problem);
      output.dataset.state = "done";
      return;
    }
    if (me !== current) return;
    say(status, "");
    const heading = document.createElement("h2");
    heading.textContent = "Search results";
    output.appendChild(heading);
    const summary = document.createElement("p");
    summary.className = "search-summary";
    const what = describe(trimmed, values);
    summary.textContent = results.length
      ? `${results.length} ${results.length === 1 ? "page" : "pages"} for ${what}.`
      : `Nothing found for ${what}.`;
    output.appendChild(summary);
    if (fallback) {
      const notice = document.createElement("p");
      notice.className = "edition-search-notice";
      notice.textContent = results.length
        ? "No page has these words exactly: these pages have them inside longer words."
        : "No page has these words, not even inside longer words.";
      output.appendChild(notice);
    }
    output.dataset.total = String(results.length);
    output.dataset.fallback = fallback ? "1" : "0";
    const list = document.createElement("ul");
    list.className = "search";
    output.appendChild(list);
    const more = document.createElement("button");
    more.type = "button";
    more.className = "edition-search-more";
    more.hidden = true;
    output.appendChild(more);
    const state = { results, slots, run: me, shown: 0, list, more };
    more.addEventListener("click", () => showMore(state));
    await showMore(state);
  };

  const fromAddress = () => {
    const params = new URL(window.location).searchParams;
    input.value = params.get("q") || "";
    filters.forEach((select) => {
      const value = params.get(select.dataset.filter);
      if (value && Array.from(select.options).some((option) => option.value === value)) {
        select.value = value;
      }
    });
  };
  const toAddress = () => {
    const url = new URL(window.location);
    const params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    Object.entries(filterValues()).forEach(([name, value]) => params.set(name, value));
    url.search = params.toString();
    history.replaceState(null, "", url);
  };

  let timer = null;
  const searchNow = () => {
    window.clearTimeout(timer);
    toAddress();
    run(input.value, filterValues());
  };
  const searchSoon = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(searchNow, TYPING_DELAY);
  };

  // The filters' values load beside the first query; an address naming a filter waits for them.
  const filling = fillFilters();
  const named = filters.some((select) =>
    new URL(window.location).searchParams.get(select.dataset.filter));
  if (named) await filling;
  fromAddress();
  const form = container.querySelector("form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    searchNow();
  });
  input.addEventListener("input", searchSoon);
  filters.forEach((select) => select.addEventListener("change", searchNow));
  if (filterValues() && Object.keys(filterValues()).length) {
    container.querySelector(".edition-search-filters").open = true;
  }
  // The planner and the loader's count, for the tests.
  window.EditionSearch.plan = async (query) => { await prefetch(query); return plan(query); };
  window.EditionSearch.loadedFiles = () => bytesLoaded.files;
  run(input.value, filterValues());
})();

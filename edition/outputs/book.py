"""The PDF as a book: reader-facing chapters, chapter openings, parallel columns, indices.

Sphinx's LaTeX builder assembles the whole edition into one document tree; post-transforms
(LaTeX only) then shape that tree into a book. :class:`MarkMentions`, before the references
are resolved, puts a label at every mention of an entity or a date; :class:`BookLayout` does
the rest:

- the pages for contributors and the per-entity pages stay on the web (``edition_book_omit``);
  links to them become plain text, so a name in running text is set as text, not as a link;
  the web's way on to other pages (related articles) is left out;
- an article opens with its title, its author and date and where it was published, instead of
  the web page's full header (what the editors supplied stays in square brackets); where the
  text stops short of its source (a paywall), the editors' note says so at the cut;
- the bilingual article is set in two aligned, ragged-right columns (paracol), each pair
  starting level, its number ¶N once per pair and both halves labelled as TEI names them;
- a figure whose image is on the web is a framed box with its caption, credit and a short link;
- the addresses of the sources' links, in footnotes, are shown without their scheme and may
  break after a slash, a dot or an ampersand;
- a Chinese title's last characters are held together (no line of one character);
- the book ends with three indices in two columns (companies and organisations, people,
  dates), each entry a name in its scripts and the pages of its mentions.

The LaTeX side (chapter style, running heads, notes and boxes, verbatim and footnote setting,
the index macros) is the package ``sphinxeditionbook``, package data in ``latex/`` that Sphinx
copies beside the .tex files (:func:`edition.outputs.pdf.use_latex_package`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any, NamedTuple, cast
from urllib.parse import parse_qs, urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.texescape import escape

from converters.common.dates import date_words
from converters.common.script import HAN_RANGES, char_class
from edition.article.frontmatter import get_article_meta
from edition.article.listings import omitted
from edition.article.record import ArticleMeta
from edition.article.text import authors_byline, date_qualifier, day_date
from edition.citation.robustlinks import robust_link
from edition.entities.domain import (
    LANGUAGE_CLASS,
    EntityDomain,
    chinese_labels,
    entity_domain,
    entity_sort_key,
    index_letter,
)
from edition.entities.related import related_articles
from edition.outputs.pdf import use_latex_package
from edition.security.safety import class_language

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from converters.common.registry import Entity

logger = logging.getLogger(__name__)

#: The LaTeX package of the book's layout (without ``.sty``; package data in ``latex/``):
#: unnumbered chapters opening with a large title, running heads with the edition's and the
#: article's titles, the opening, note and figure boxes, paracol, verbatim and notes, and the
#: index macros. ``\editionindexpages{label,...}`` prints the distinct pages of labels (in the
#: order given), each a link to the first label on that page.
BOOK_PACKAGE = "sphinxeditionbook"

#: Documents left out of the PDF (shell patterns on docnames): the contributor guide and the
#: generated pages of entities and the timeline, which the back-of-book indices replace.
DEFAULT_OMIT: tuple[str, ...] = ("contribute", "_generated/*")

#: The indices at the end of the book: title, and the registry type listed (``""``: dates).
INDICES: tuple[tuple[str, str], ...] = (
    ("Index of companies and organisations", "company"),
    ("Index of people", "person"),
    ("Index of dates", ""),
)

#: An entity gets one sub-entry per article only when it is mentioned in more places than
#: this, in more than one article: for fewer, a list of pages is easier to read.
SUB_ENTRY_THRESHOLD = 6

#: A LaTeX label the index may name: docnames and ids of the edition's own alphabet (a ``#``,
#: ``%`` or brace in a file name would end the macro's argument, so such places are left out).
SAFE_LABEL = re.compile(r"^[A-Za-z0-9_./:-]+$")

#: Characters after which an address shown in a footnote may break.
URL_BREAK_AFTER = re.compile(r"(?<=[/.&?=_-])")

#: Length of the file name kept in a figure's short link.
SHORT_LINK_NAME = 40

#: The attribute of a node that records the mentions it labels, as (kind, target) pairs.
MENTION = "edition_mentions"
#: The prefix of the ids of the labels put at mentions.
MENTION_ID = "edition-mention-"

#: What the editors say where a text stops short of its source, by the kind of the removal
#: that cut it (the ``removed`` list of the front matter).
CUT_NOTES: dict[str, str] = {
    "paywall": "the source stops here, where its paywall begins; the paywall notice is not "
               "reproduced.",
}

#: How many characters of a Chinese title are held together at its end: a line of one
#: character, alone under a full line, reads as a mistake.
TITLE_END_KEPT = 2
#: The end of a title held together: the last Han characters and any closing marks after them.
KEPT_END = re.compile(f"[{char_class(HAN_RANGES)}]{{{TITLE_END_KEPT}}}[^\\w\\s]{{0,3}}$")


class Place(NamedTuple):
    """A labelled place of the book where something is mentioned."""

    #: Position of the place in the book (document order, then order in the document).
    order: tuple[int, int]
    #: The document holding it.
    docname: str
    #: The LaTeX label of the place.
    label: str


def latex(text: str) -> str:
    """Text escaped for LaTeX (XeLaTeX: Unicode passes through)."""
    return escape(text, "xelatex")


def cjk_script(text: str, script: str) -> str:
    """Chinese text in the face of its script (Traditional text in the TC face)."""
    if script == "zh-Hant":
        return r"{\CJKfamily{tc}" + latex(text) + "}"
    return latex(text)


def readable_url(url: str) -> str:
    """An address as a reader writes it: no scheme, no ``www.``, no trailing slash."""
    text = re.sub(r"^[a-z]+://", "", url)
    text = text.removeprefix("www.")
    return text.rstrip("/") or url


def breakable(text: str) -> list[nodes.Node]:
    """Text with a LaTeX line-break opportunity after each slash, dot, ampersand, … ."""
    result: list[nodes.Node] = []
    for index, part in enumerate(URL_BREAK_AFTER.split(text)):
        if index:
            result.append(nodes.raw("", r"\allowbreak{}", format="latex"))
        if part:
            result.append(nodes.Text(part))
    return result


def kept_end(text: str) -> list[nodes.Node]:
    """Text whose last :data:`TITLE_END_KEPT` Han characters (and closing marks) stay together.

    Chinese breaks between any two characters, so a title can end on a line of one; the last
    characters go into a box (``editionkeep``), which the line cannot break. Other text is
    returned as it is.
    """
    match = KEPT_END.search(text)
    if match is None or match.start() == 0:
        return [nodes.Text(text)]
    return [nodes.Text(text[:match.start()]), nodes.raw("", r"\editionkeep{", format="latex"),
            nodes.Text(match.group()), nodes.raw("", "}", format="latex")]


def image_address(uri: str) -> str:
    """The address of the image itself (an image proxy's ``url=`` parameter unwrapped)."""
    query = parse_qs(urlsplit(uri).query)
    inner = query.get("url", [""])[0]
    return inner if inner else uri


def short_link(uri: str) -> str:
    """A short form of an image's address: its host and file name."""
    address = image_address(uri)
    if "://" not in address:
        address = "https://" + address
    parts = urlsplit(address)
    name = parts.path.rstrip("/").rpartition("/")[2][:SHORT_LINK_NAME]
    host = parts.netloc.removeprefix("www.")
    return f"{host}/…/{name}" if name else host


def splice(node: nodes.Node, new: list[nodes.Node]) -> None:
    """Put nodes in the place of one, without ``replace_self``'s copying of ids and classes."""
    parent = node.parent
    index = parent.index(node)
    parent[index:index + 1] = new


class MarkMentions(SphinxPostTransform):
    """Put a LaTeX label at every mention of an entity or a date: the index points there.

    A paragraph can run over a page break, so the page where a paragraph starts is not always
    the page that shows the name; the label sits just before the name itself. It runs before
    the references are resolved (10), while a mention still says what it mentions.
    """

    default_priority = 5
    builders = ("latex",)

    def run(self, **_kwargs: Any) -> None:
        """A target before each mention, recording its kind and target (:data:`MENTION`)."""
        for number, xref in enumerate(list(self.document.findall(addnodes.pending_xref))):
            if xref.get("refdomain") != EntityDomain.name or xref.parent is None:
                continue
            mention = (str(xref["reftype"]), str(xref["reftarget"]))
            holder: nodes.Element = xref
            while holder.parent is not None and not isinstance(holder, nodes.title):
                holder = holder.parent
            if isinstance(holder, nodes.title) and holder.parent is not None:
                # A label inside a title would be written again with the contents line: the
                # section's own label stands for a mention in its title.
                section: nodes.Element = holder.parent
                section[MENTION] = [*section.get(MENTION, []), mention]
                continue
            target = nodes.target("", "", ids=[f"{MENTION_ID}{number}"])
            target[MENTION] = [mention]
            xref.parent.insert(xref.parent.index(xref), target)


class BookLayout(SphinxPostTransform):
    """Shape the assembled LaTeX document into the edition's book (see the module)."""

    # After the references are resolved (10) and only-nodes processed (50), before remote
    # images are replaced (90) and Sphinx's LaTeX transforms (footnotes, 600).
    default_priority = 60
    builders = ("latex",)
    #: The documents in the book (set by :meth:`run`).
    included: set[str]

    def run(self, **_kwargs: Any) -> None:
        """Every step, in order: what is left out decides what stays a link."""
        patterns = list(self.config.edition_book_omit)
        for part in list(self.document.findall(addnodes.start_of_file)):
            if omitted(part["docname"], patterns) and part.parent is not None:
                part.parent.remove(part)
        included = [str(self.document.get("docname", ""))]
        included += [part["docname"] for part in self.document.findall(addnodes.start_of_file)]
        self.included = set(included)
        self.unlink_omitted(self.included)
        # The web's way on to other pages (filled later, on the web): a book has its contents
        # and its indices.
        for node in list(self.document.findall(related_articles)):
            splice(node, [])
        for part in list(self.document.findall(addnodes.start_of_file)):
            docname = part["docname"]
            for header in list(part.findall(nodes.container)):
                if "article-header" in header["classes"]:
                    splice(header, [self.opening(docname)])
                elif "related-articles" in header["classes"]:
                    splice(header, [])
            self.cut_notes(part, docname)
            for section in list(part.findall(nodes.section)):
                if "edition-citation" in section["classes"]:
                    splice(section, [self.citation(section)])
        self.parallel_columns()
        self.remote_figures()
        self.footnote_addresses()
        self.keep_title_ends()
        self.document += nodes.raw("", self.indices(included), format="latex")

    def unlink_omitted(self, included: set[str]) -> None:
        """Links to documents outside the book become their text."""
        for ref in list(self.document.findall(nodes.reference)):
            uri = str(ref.get("refuri", ""))
            if uri.startswith("%") and uri[1:].partition("#")[0] not in included:
                splice(ref, list(ref.children))

    def cut_notes(self, part: addnodes.start_of_file, docname: str) -> None:
        """Where the text stops short of its source, the editors say so (:data:`CUT_NOTES`).

        The note stands at the cut: after the last block of the text, before the citation.
        """
        meta = get_article_meta(self.env, docname) or ArticleMeta(docname)
        kinds = dict.fromkeys(entry.kind for entry in meta.removed)
        notes = [CUT_NOTES[kind] for kind in kinds if kind in CUT_NOTES]
        section = part.next_node(nodes.section)
        if not notes or section is None:
            return
        box = nodes.container(classes=["editors-note", "language-en"])
        for note in notes:
            box += nodes.paragraph("", f"[Editors’ note: {note}]")
        citation = next((s for s in section.findall(nodes.section)
                         if "edition-citation" in s["classes"]), None)
        if citation is not None and citation.parent is not None:
            citation.parent.insert(citation.parent.index(citation), box)
        else:
            section += box

    def opening(self, docname: str) -> nodes.Element:
        """Byline and provenance of an article, from its front matter."""
        meta = get_article_meta(self.env, docname) or ArticleMeta(docname)
        opening = nodes.container(classes=["article-opening", "language-en"])
        if meta.subtitle:
            opening += self.opening_subtitle(meta)
        opening += self.opening_byline(meta)
        para = self.opening_source(meta)
        if len(para.astext()):
            para += nodes.Text(".")
            source = nodes.container(classes=["article-source"])
            source += para
            opening += source
        return opening

    @staticmethod
    def opening_subtitle(meta: ArticleMeta) -> nodes.Element:
        """The subtitle, in the article's Chinese (its language class) when it has one."""
        languages = [tag for tag in meta.language if tag.startswith("zh")]
        inner = nodes.container(
            classes=[f"language-{languages[0].lower()}"] if languages else [])
        inner += nodes.paragraph("", "", *kept_end(meta.bracketed("subtitle", meta.subtitle)))
        return inner

    @staticmethod
    def opening_byline(meta: ArticleMeta) -> nodes.Element:
        """Authors and date, the date no more precise than a day."""
        date = day_date(meta)
        # a distributor's post is said to be one; an original's author is not the text's
        qualifier = date_qualifier(meta)
        byline = [authors_byline(meta), meta.bracketed("date", date)
                  + (f" ({qualifier})" if date and qualifier else "")]
        line = nodes.container(classes=["article-byline"])
        line += nodes.paragraph("", ", ".join(part for part in byline if part))
        return line

    def opening_source(self, meta: ArticleMeta) -> nodes.paragraph:
        """Where the article appeared, its addresses, and whether the editors supplied values.

        Without the closing full stop: an empty paragraph is left out (:meth:`opening`).
        """
        where = [meta.bracketed("publisher", meta.publisher)]
        if meta.column:
            where.append(f"column {meta.bracketed('column', meta.column)}")
        if meta.translator:
            where.append(f"translated by {meta.bracketed('translator', meta.translator)}")
        para = nodes.paragraph("", ", ".join(part for part in where if part))
        self.source_addresses(para, meta)
        if meta.editorial:
            self.editors_values_note(para)
        return para

    @staticmethod
    def source_addresses(para: nodes.paragraph, meta: ArticleMeta) -> None:
        """The source's address, then the original's (of a translation or a repost)."""
        url = meta.source_url
        if url:
            link = nodes.reference("", "", *breakable(readable_url(url)), refuri=url)
            para += [nodes.Text(". " if len(para) else ""), link]
        original = meta.original_url
        if original:
            link = nodes.reference("", "", *breakable(readable_url(original)), refuri=original)
            para += [nodes.Text(" (original: " if len(para) else "Original: "), link,
                     nodes.Text(")" if url else "")]

    def editors_values_note(self, para: nodes.paragraph) -> None:
        """What the square brackets mean, with a link to the method when it is in the book."""
        method = self.config.edition_method_page
        lead = ". Values" if len(para) else "Values"
        para += nodes.Text(f"{lead} in square brackets are the editors’: see ")
        if method in self.included:
            para += nodes.reference("", "Editorial method", refuri=f"%{method}")
        else:
            para += nodes.Text("the editorial method")

    def citation(self, section: nodes.section) -> nodes.Element:
        """The article's citation as one line: the code blocks are for the web page."""
        box = nodes.container(classes=["article-citation"])
        if section["ids"]:
            box += nodes.target("", "", ids=list(section["ids"]))
        for para in section.findall(nodes.paragraph):
            if "edition-citation-text" in para["classes"]:
                box += nodes.paragraph("", "Cite as: ", *[c.deepcopy() for c in para.children])
        return box

    def parallel_columns(self) -> None:
        """Set each run of parallel pairs in two columns, English left, Chinese right.

        The pair's label moves to its first half, which then starts with the pair's number
        (¶N, as on the web: once per pair); the second half is labelled as the TEI file names
        its paragraph, ``<label>-<language>``, so both columns can be pointed at.
        """
        for parent in {id(c.parent): c.parent for c in self.document.findall(nodes.container)
                       if "parallel" in c["classes"] and c.parent is not None}.values():
            children: list[nodes.Node] = []
            open_run = False
            for child in list(parent.children):
                halves = ([c for c in child.children if isinstance(c, nodes.Element)]
                          if isinstance(child, nodes.container) and "parallel" in child["classes"]
                          else [])
                # A pair is two halves, one per column; anything else is left as it is.
                if (isinstance(child, nodes.container) and len(halves) == 2
                        and all(isinstance(half, nodes.container) for half in halves)):
                    command = r"\switchcolumn*" if open_run else r"\begin{paracol}{2}"
                    self.label_halves(child, cast("list[nodes.container]", halves))
                    for number, half in enumerate(halves):
                        if number:
                            command = r"\switchcolumn"
                        children.append(nodes.raw(
                            "", command + "\n" + r"\editionparallelcolumn" + "\n",
                            format="latex"))
                        children.append(half)
                    open_run = True
                    continue
                if open_run and not (isinstance(child, nodes.target) and not child["ids"]):
                    children.append(nodes.raw("", "\\end{paracol}\n", format="latex"))
                    open_run = False
                children.append(child)
            if open_run:
                children.append(nodes.raw("", "\\end{paracol}\n", format="latex"))
            parent.children = []
            parent.extend(children)

    def label_halves(self, pair: nodes.container, halves: list[nodes.container]) -> None:
        """The pair's ids on its first half, ``<label>-<language>`` on the second."""
        ids = list(pair["ids"])
        first, second = halves
        first["ids"] = [*ids, *(i for i in first["ids"] if i not in ids)]
        language = next((class_language(str(c)[len(LANGUAGE_CLASS):])
                         for c in second["classes"] if str(c).startswith(LANGUAGE_CLASS)), "")
        if ids and language:
            own = f"{ids[0]}-{language}"
            if own not in second["ids"] and own not in self.document.ids:
                second["ids"].append(own)

    def remote_figures(self) -> None:
        """A figure whose image is remote: a framed box with caption, credit and link."""
        for figure in list(self.document.findall(nodes.figure)):
            image = next(iter(figure.findall(nodes.image)), None)
            if image is None or "://" not in str(image["uri"]):
                continue
            box = nodes.container(classes=["remote-figure"])
            if figure["ids"]:
                box += nodes.target("", "", ids=list(figure["ids"]))
            for child in figure.children:
                if isinstance(child, (nodes.caption, nodes.legend)):
                    box += nodes.paragraph("", "", *[c.deepcopy() for c in child.children])
            uri = str(image["uri"])
            box += nodes.paragraph(
                "", "The image, not reproduced here, is at ",
                # The link is the address the source gives; the text names the image itself.
                nodes.reference("", "", *breakable(short_link(uri)), refuri=uri),
                nodes.Text("."),
            )
            splice(figure, [box])

    def footnote_addresses(self) -> None:
        """Addresses in footnotes shown readably, with places to break the line."""
        for link in list(self.document.findall(robust_link)):
            # Its parts are running text: outside an inline element, Sphinx's writer sets a
            # link on a line of its own, and the line ends print as spaces ("( archived copy )").
            splice(link, [nodes.inline("", "", *list(link.children))])
        for footnote in self.document.findall(nodes.footnote):
            for ref in list(footnote.findall(nodes.reference)):
                uri = str(ref.get("refuri", ""))
                if "://" in uri and ref.astext() == uri:
                    ref.children = []
                    ref.extend(breakable(readable_url(uri)))

    def keep_title_ends(self) -> None:
        """Hold the last characters of each Chinese title together (:func:`kept_end`)."""
        for title in list(self.document.findall(nodes.title)):
            if not isinstance(title.parent, nodes.section):
                continue
            texts = list(title.findall(nodes.Text))
            last = texts[-1] if texts else None
            if last is not None and last.parent is not None:
                kept = kept_end(last.astext())
                if len(kept) > 1:
                    splice(last, kept)

    # -- indices

    def places(self) -> tuple[dict[str, tuple[tuple[int, int], str]],
                              dict[tuple[str, str], list[Place]]]:
        """Every id of the book (its position and label ``docname:id``), and every mention.

        Mentions are listed by (kind, target), each at the label :class:`MarkMentions` put
        before it (or its section's, for a mention in a title).
        """
        found: dict[str, tuple[tuple[int, int], str]] = {}
        mentions: dict[tuple[str, str], list[Place]] = defaultdict(list)
        count = 0

        def walk(node: nodes.Element, docname: str, number: int) -> None:
            nonlocal count
            for node_id in node["ids"]:
                count += 1
                label = f"{docname}:{node_id}"
                if SAFE_LABEL.match(label):
                    found.setdefault(label, ((number, count), docname))
            labelled = [f"{docname}:{i}" for i in node["ids"] if f"{docname}:{i}" in found]
            recorded: list[tuple[str, str]] = node.get(MENTION, []) if labelled else []
            for kind, target in recorded:
                mentions[(kind, target)].append(Place(found[labelled[0]][0], docname,
                                                      labelled[0]))
            for child in node.children:
                if isinstance(child, addnodes.start_of_file):
                    walk(child, child["docname"], number + 1 + len(found))
                elif isinstance(child, nodes.Element):
                    walk(child, docname, number)

        walk(self.document, str(self.document.get("docname", "")), 0)
        return found, mentions

    def indices(self, included: list[str]) -> str:
        """The three indices, as LaTeX."""
        domain = entity_domain(self.env)
        labels, mentioned = self.places()
        docs = set(included)

        def places_of(target: str, kind: str) -> list[Place]:
            # Each mention where it stands; an article's author and date at its opening.
            found = list(mentioned.get((kind, target), []))
            heads = ([(p.docname, p.anchor) for p in domain.published_on(target)]
                     if kind == "date" else
                     [(a.docname, a.anchor) for a in domain.authored_by(target)])
            found += [Place(labels[label][0], doc, label) for doc, anchor in heads
                      if doc in docs and (label := f"{doc}:{anchor}") in labels]
            return sorted(set(found))

        out: list[str] = []
        for title, entity_type in INDICES:
            groups: dict[str, list[str]] = defaultdict(list)
            if entity_type:
                for entity in sorted((e for e in domain.registry.values()
                                      if e.type == entity_type), key=entity_sort_key):
                    found = places_of(entity.id, "entity")
                    if found:
                        # How widely it is named: in paragraphs, as the web's index counts.
                        spread = len({(doc, anchor) for doc, anchor, _x, _d
                                      in domain.places_of(entity.id) if doc in docs})
                        groups[index_letter(entity.label)].extend(
                            self.entity_entry(domain, entity, found, spread))
            else:
                for iso in domain.dates():
                    found = places_of(iso, "date")
                    if found:
                        pages = ",".join(place.label for place in found)
                        groups[iso[:4]].append(
                            rf"\editionindexentry{{{latex(date_words(iso))}}}{{{pages}}}")
            if not groups:
                continue
            out += [rf"\chapter{{{latex(title)}}}", r"\begin{editionindex}"]
            for letter, lines in sorted(groups.items()):
                # Dates are grouped by year, which each entry already says: a space suffices.
                out.append(rf"\editionindexletter{{{latex(letter)}}}" if entity_type
                           else r"\editionindexgap")
                out += lines
            out.append(r"\end{editionindex}")
        return "\n" + "\n".join(out) + "\n"

    def entity_entry(self, domain: EntityDomain, entity: Entity, found: list[Place],
                     spread: int) -> list[str]:
        """An entity's entry: its names in their scripts, then pages or one line per article.

        ``spread`` is the number of paragraphs naming it: only an entity named in many
        paragraphs, of several articles, gets a line per article.
        """
        name = latex(entity.label)
        chinese = chinese_labels(entity)
        if chinese:
            # A name written alike in both scripts is set in the Simplified face, as the rest.
            hant = entity.labels.get("zh-Hant", "")
            scripts = {hant: "zh-Hant"} if hant != entity.labels.get("zh-Hans") else {}
            shown = [cjk_script(label, scripts.get(label, "zh-Hans"))
                     for label in chinese.split(" / ")]
            name += " (" + " / ".join(shown) + ")"
        by_doc: dict[str, list[Place]] = defaultdict(list)
        for place in found:
            by_doc[place.docname].append(place)
        # The registry id after each entry, as a comment: which entry is whose, in the .tex.
        if spread <= SUB_ENTRY_THRESHOLD or len(by_doc) < 2:
            return [rf"\editionindexentry{{{name}}}{{{','.join(p.label for p in found)}}}"
                    rf"% {entity.id}"]
        lines = [rf"\editionindexhead{{{name}}}% {entity.id}"]
        for doc, places in by_doc.items():
            title = domain.title_of(doc)
            language = domain.languages.get(doc, "")
            shown_title = cjk_script(title, "zh-Hant" if language == "zh-Hant" else "zh-Hans")
            lines.append(rf"\editionindexsub{{{shown_title}}}"
                         rf"{{{','.join(p.label for p in places)}}}% {entity.id}")
        return lines


def setup_book(app: Sphinx) -> None:
    """Register the book component."""
    app.add_post_transform(MarkMentions)
    app.add_post_transform(BookLayout)
    use_latex_package(app, BOOK_PACKAGE)

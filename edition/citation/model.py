"""Citation: every article page ends with how to cite it, in plain text and in BibTeX.

The citation is made from the article's record (its front matter) only — authors, title,
publisher, date, the source's URL — plus the page's address in the edition (``edition_baseurl``,
which defaults to ``html_baseurl``) and the edition's title (``edition_title``, default
``project``).

- The plain-text citation puts values the editors supplied (listed under ``editorial`` in the
  front matter: :meth:`edition.article.record.ArticleMeta.supplied`) in square brackets, as
  bibliographies mark supplied information.
- The files for reference managers (BibTeX here, RIS and CSL-JSON in
  :mod:`edition.citation.citable`) keep names and titles as they are and say in a note which
  values the editors supplied, with
  their reasons: a bracket inside a name or a title would be filed as part of it.
- Every file's address is the article's page in the edition; the source's own address is in a
  note.
- Names are credited in their roles: the text's authors, its translator, and — where the
  editors name them with the role ``original-author`` — the authors of the work the text
  translates or adapts, who are not the authors of its words.
- A text copied by a distributor (the ``distributor`` of the front matter, e.g. Nei.st) is
  dated by the distributor's post: that date is given as the post's, never as the date of
  publication, which the source does not state.

Paragraphs are cited by their ¶ anchor.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from pybtex.database import Person
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from converters.common.script import has_han
from converters.model import FRONT_MATTER_FIELDS
from edition.article.frontmatter import get_article_meta
from edition.article.record import bracketed
from edition.article.text import POSTED
from edition.security.escaping import bibtex_entry, bibtex_name, bibtex_text, bibtex_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from edition.article.record import ArticleMeta

logger = logging.getLogger(__name__)

#: Front-matter keys whose presence makes a page an article of the edition.
ARTICLE_KEYS = frozenset({"title", "label", "seed"})
#: Front-matter fields the citation is made of (those the schema gives a CSL variable): when
#: the editors supplied one, the citation says so.
CITED_FIELDS: frozenset[str] = frozenset(f.key for f in FRONT_MATTER_FIELDS if f.spec.csl)
#: How much of an ISO date each precision keeps when a citation shows it.
DATE_LENGTH = {"second": 10, "minute": 10, "day": 10, "month": 7, "year": 4}
#: Characters a BibTeX key may not contain.
KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.+-]+")
#: Heading of the citation section, and the suffix of its id (``<slug>-cite``).
HEADING = "Cite this article"
#: The citation files written beside each article page: suffix and name.
CITATION_FILES: tuple[tuple[str, str], ...] = (
    (".bib", "BibTeX"), (".ris", "RIS"), (".json", "CSL-JSON"))
ID_SUFFIX = "-cite"

#: Kinds of removed material that make the article a partial text, and the line that says so.
PARTIAL_TEXT: dict[str, str] = {
    "paywall": "Preview: the source stops where the publisher's paywall begins.",
}
#: Cited fields in words, in the order a note lists them.
FIELD_WORDS: dict[str, str] = {
    "authors": "author", "title": "title", "publisher": "publisher", "date": "date",
    "translator": "translator",
}


class Citation(NamedTuple):
    """What a citation of one article says, read from its record."""

    #: BibTeX key: the article's slug.
    key: str
    #: The authors of the text's words (editorial ones included).
    authors: tuple[str, ...]
    #: The authors of the work the text translates or adapts, as the editors name them.
    original_authors: tuple[str, ...]
    #: Those of the names above that the editors supplied rather than the source.
    editorial_authors: frozenset[str]
    #: The title, and the source's own subtitle (a dek: ``""`` when the editors supplied it).
    title: str
    deck: str
    #: Publisher, translator and date of publication (ISO, cut to its precision; ``""`` if
    #: unknown, and when the only date is a distributor's post).
    publisher: str
    translator: str
    date: str
    #: The distributor whose copy is the source, and the date of its post (ISO as stated),
    #: when that is the article's date.
    distributor: str
    posted: str
    #: Where the source was published, where its original (the text it translates) is, and
    #: where the edition shows it.
    source_url: str
    original_url: str
    page_url: str
    #: The edition's title.
    edition: str
    #: Front-matter fields whose values the editors supplied.
    editorial_fields: frozenset[str]
    #: Each cited value the editors supplied: field, value in words, their reason.
    reasons: tuple[tuple[str, str, str], ...]
    #: The line saying the text is partial (``""`` when the source is whole).
    partial: str
    #: The text's languages (BCP 47), main language first.
    languages: tuple[str, ...]

    def supplied(self, field: str, text: str) -> str:
        """``text`` in square brackets when the editors supplied ``field``."""
        return bracketed(text) if field in self.editorial_fields else text

    def paragraph_url(self, number: int = 1) -> str:
        """The address of the article's paragraph ``number`` (its ¶ anchor)."""
        return f"{self.page_url}#{self.key}-p{number}"

    @property
    def posted_day(self) -> str:
        """The day of the distributor's post (``""`` when the date is not a post's)."""
        return self.posted[:10]


#: A name a reference manager can take apart: two or more words of letters (a hyphen, an
#: apostrophe or a full stop inside a word), no Chinese characters. Anything else — a Chinese
#: name, an organisation with digits or signs, a stranger's text — is kept whole.
NAME_AND = re.compile(r"\band\b", re.IGNORECASE)
#: What may follow a word's first letter besides letters.
_NAME_SIGNS = frozenset("-'’.")


def _name_letter(char: str) -> bool:
    r"""A letter as ``[^\W\d_]`` means it: alphanumeric, not a decimal digit."""
    return char.isalnum() and not char.isdecimal()


def is_plain_name(name: str) -> bool:
    """Two or more words joined by single spaces, each a letter then letters or ``-'’.``.

    Written in Python: the regular expression ``W(?: W)+`` with ``W`` such a word backtracks
    over a run of signs in every way it can be split between words.
    """
    words = name.split(" ")
    return len(words) >= 2 and all(
        word and _name_letter(word[0])
        and all(_name_letter(char) or char in _NAME_SIGNS for char in word[1:])
        for word in words)


def name_parts(name: str) -> tuple[str, str] | None:
    """``(family, given)`` of a Western-order personal name, or ``None`` to keep it whole."""
    # "and" would be read as a particle (pybtex) or a separator (BibTeX): such a name stays whole
    if not is_plain_name(name) or has_han(name) or NAME_AND.search(name):
        return None
    person = Person(name)
    family = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    return (family, given) if family and given else None


def page_url(baseurl: str, docname: str, suffix: str = ".html") -> str:
    """The address of a page in the HTML edition (relative when no base URL is set)."""
    path = docname + suffix
    return f"{baseurl.rstrip('/')}/{path}" if baseurl else path


def partial_text(meta: ArticleMeta) -> str:
    """The line saying the article is a partial text (``""`` when the source is whole)."""
    for entry in meta.removed:
        if entry.kind in PARTIAL_TEXT:
            return PARTIAL_TEXT[entry.kind]
    return ""


def make_citation(meta: ArticleMeta, url: str, edition: str) -> Citation:
    """The citation of an article from its record (keyed by its slug)."""
    date = meta.date
    distributor = meta.posted_by
    posted = date if distributor else ""
    if distributor:
        date = ""
    if date:
        date = date[: DATE_LENGTH.get(meta.date_precision, 10)]
    reasons = tuple(
        (field, entry.text, entry.reason)
        for field, entry in ((f, meta.supplied(f)) for f in FIELD_WORDS)
        if entry is not None and field in CITED_FIELDS)
    return Citation(
        key=KEY_UNSAFE.sub("-", meta.slug).strip("-") or "article",
        authors=meta.text_authors,
        original_authors=meta.original_authors,
        editorial_authors=meta.editorial_authors,
        title=meta.title,
        deck=meta.dek,
        publisher=meta.publisher,
        translator=meta.translator,
        date=date,
        distributor=distributor,
        posted=posted,
        source_url=meta.source_url,
        original_url=meta.original_url,
        page_url=url,
        edition=edition,
        editorial_fields=meta.supplied_fields,
        reasons=reasons,
        partial=partial_text(meta),
        languages=meta.language,
    )


# --------------------------------------------------------------------------- notes


def _words(c: Citation, field: str) -> str:
    if field == "authors" and c.original_authors:
        return "author of the original"
    return FIELD_WORDS[field]


def editorial_note(c: Citation) -> str:
    """Which cited values the editors supplied (``""`` when the source states them all)."""
    fields = [_words(c, field) for field in FIELD_WORDS
              if field in c.editorial_fields and field in CITED_FIELDS]
    if not fields:
        return ""
    return "Supplied by the editors, not stated by the source: " + ", ".join(fields) + "."


def original_note(c: Citation) -> str:
    """Who wrote the work the text translates or adapts (``""`` when nobody is named)."""
    if not c.original_authors:
        return ""
    names = ", ".join(c.original_authors)
    return f"From a work by {names}; the text’s own words are not theirs."


def posted_note(c: Citation) -> str:
    """The distributor's date, said to be the post's (``""`` when the date is the source's)."""
    if not c.posted:
        return ""
    publication = c.publisher or "the publication"
    return (f"Dated {c.posted}: "
            + POSTED.format(distributor=c.distributor, publication=publication) + ".")


def citation_notes(c: Citation) -> list[str]:
    """The short notes every citation file carries (editorial values, roles, dates, extent)."""
    return [n for n in (editorial_note(c), original_note(c), posted_note(c), c.partial) if n]


def address_notes(c: Citation) -> list[str]:
    """The source's own address and its original's, each an http(s) address, as notes."""
    pairs = (("Source", c.source_url), ("Original", c.original_url))
    return [f"{name}: {url}." for name, url in pairs if bibtex_url(url)]


def reason_notes(c: Citation) -> list[str]:
    """The editors' reason for each cited value they supplied, one line each."""
    return [f"{_words(c, field).capitalize()} [{value}], supplied by the editors: {reason}"
            for field, value, reason in c.reasons if reason]


# --------------------------------------------------------------------------- plain text

#: What the citation says in place of the accessed date until the reader's browser fills it.
ACCESSED_PLACEHOLDER = "the date you read it"


def _names(c: Citation, names: tuple[str, ...]) -> str:
    return ", ".join(bracketed(a) if a in c.editorial_authors else a for a in names)


def citation_text(c: Citation, accessed: str = ACCESSED_PLACEHOLDER) -> str:
    """The citation as one line of text (author. “title.” publisher, date. URL. edition)."""
    parts = []
    if c.authors:
        parts.append(_names(c, c.authors) + ".")
    parts.append(f"“{c.supplied('title', c.title)}.”")
    where = ", ".join(p for p in (c.supplied("publisher", c.publisher),
                                  c.supplied("date", c.date) or "n.d.") if p)
    parts.append(where if where.endswith(".") else where + ".")
    if c.posted:
        parts.append(f"Posted by {c.distributor}, {c.posted_day}.")
    if c.original_authors:
        parts.append(f"From a work by {_names(c, c.original_authors)}.")
    if c.translator:
        parts.append(f"Translated by {c.supplied('translator', c.translator)}.")
    if c.source_url:
        parts.append(c.source_url + ".")
    parts.append(f"In {c.edition}, {c.page_url} (accessed {accessed}).")
    return " ".join(parts)


def citation_head(c: Citation) -> str:
    """The citation up to the edition's address (``… In <edition>, ``)."""
    text = citation_text(c)
    return text[: text.rindex(f"In {c.edition}, ")] + f"In {c.edition}, "


# --------------------------------------------------------------------------- BibTeX

#: The biblatex entry of a text in a named periodical, and of a text the edition alone offers.
BIBTEX_NEWSPAPER = "article"
BIBTEX_ONLINE = "online"


def bibtex_type(c: Citation) -> str:
    """``article`` (a newspaper article) when the publication is known, else ``online``."""
    return BIBTEX_NEWSPAPER if c.publisher else BIBTEX_ONLINE


def bibtex(c: Citation, *, reasons: bool = True) -> str:
    """The citation as a biblatex entry keyed by the article's slug.

    A newspaper's article is ``@article`` with ``entrysubtype = {newspaper}`` and its
    ``journaltitle``, as biblatex has it; a text without a stated publication is ``@online``.
    ``url`` is the edition's page; the notes (``note``, printed) say what the editors supplied
    and where the source is; ``annote`` (kept by Zotero as a note) gives their reasons, unless
    ``reasons`` is false (the page shows the reasons in its header already).
    """
    authors = [bibtex_name(a) for a in c.authors if bibtex_text(a)]
    translators: list[Person] = []
    if c.translator and bibtex_text(c.translator):
        # a translator may be an organisation (纽约时报中文网): one literal name
        translators.append(bibtex_name(c.translator, literal=True))
    # the title's own braces (not the text's, which bibtex_text spells as commands) keep its
    # capitals as written
    fields = [("title", "{" + bibtex_text(c.title) + "}")]
    if c.publisher:
        fields += [("entrysubtype", "newspaper"), ("journaltitle", bibtex_text(c.publisher))]
    fields += [("date", bibtex_text(c.date)), ("url", bibtex_url(c.page_url))]
    # without a published address (no base URL configured) the page's path is in the note
    where = f"In {c.edition}." if bibtex_url(c.page_url) else f"In {c.edition}, {c.page_url}."
    note = [where, *citation_notes(c), *address_notes(c)]
    fields.append(("note", bibtex_text(" ".join(note))))
    if reasons:
        fields.append(("annote", bibtex_text(" ".join(reason_notes(c)))))
    return bibtex_entry(c.key, bibtex_type(c), fields,
                        [("author", authors), ("translator", translators)])


# --------------------------------------------------------------------------- the section


class copy_button(nodes.Inline, nodes.Element):
    """A button copying the text of the element ``target`` (web edition only)."""


def citation_section(c: Citation) -> nodes.section:
    """The "Cite this article" section: plain text, BibTeX, files, and how to cite a paragraph."""
    section = nodes.section(ids=[c.key + ID_SUFFIX], classes=["edition-citation"])
    section["names"].append(nodes.fully_normalize_name(c.key + ID_SUFFIX))
    section += nodes.title(HEADING, HEADING)
    section += nodes.rubric("Plain text", "Plain text")
    # a paragraph, not a literal block: a citation is one long line that must wrap. The
    # address and the accessed date are marked so that the reader's browser can fill in the
    # date and make a paragraph's citation from the article's.
    text_id = c.key + "-cite-text"
    para = nodes.paragraph(classes=["edition-citation-text"], ids=[text_id])
    para += nodes.Text(citation_head(c))
    para += nodes.inline(c.page_url, c.page_url, classes=["edition-cite-where"])
    para += nodes.Text(" (accessed ")
    para += nodes.inline(ACCESSED_PLACEHOLDER, ACCESSED_PLACEHOLDER,
                         classes=["edition-accessed"])
    para += nodes.Text(").")
    section += para
    section += nodes.paragraph("", "", copy_button("", target=text_id, label="Copy citation"),
                               classes=["edition-copy-row"])
    section += nodes.rubric("BibTeX", "BibTeX")
    # the editors' reasons stand in the article's header: the block keeps to the citation, and
    # the downloadable file adds them (annote)
    entry = bibtex(c, reasons=False)
    bib_id = c.key + "-cite-bibtex"
    section += nodes.literal_block(entry, entry, language="bibtex", ids=[bib_id],
                                   classes=["edition-citation-bibtex"])
    section += nodes.paragraph("", "", copy_button("", target=bib_id, label="Copy BibTeX"),
                               classes=["edition-copy-row"])
    # the files exist in the web edition only (written beside the page after the build)
    files = addnodes.only(expr="html and not epub")
    downloads = nodes.paragraph(classes=["edition-citation-files"])
    downloads += nodes.Text("Download: ")
    for number, (suffix, name) in enumerate(CITATION_FILES):
        if number:
            downloads += nodes.Text(" · ")
        downloads += nodes.reference(name, name, refuri=c.key + suffix,
                                     classes=["edition-citation-file"])
    files += downloads
    section += files
    if c.editorial_fields & CITED_FIELDS:
        section += nodes.paragraph(
            "", "Square brackets mark what the editors supplied because the source does not "
            "state it; the article's metadata gives their reasons. The BibTeX entry and the "
            "files give the values without brackets and say in a note which are the editors'; "
            "the files add the reasons.")
    if c.posted:
        section += nodes.paragraph(
            "", f"The date is that of the post by {c.distributor}, whose copy is the source: "
            f"the source does not state when {c.publisher or 'the publication'} published the "
            "text, so the citation gives no date of publication (n.d.).")
    para = nodes.paragraph()
    example = c.paragraph_url(1)
    para += nodes.Text("To cite a paragraph, add its number ¶N and its address: the article's "
                       "address with the paragraph's anchor, ")
    para += nodes.reference(example, example, refuri=example)
    para += nodes.Text(f" for ¶1, #{c.key}-pN for ¶N. The number ¶N beside each paragraph "
                       "links to it; on the web its cite button copies the whole citation.")
    section += para
    return section


class AddCitation(SphinxTransform):
    """Append the citation section to each article page, from its front matter (the domain's)."""

    # after myst-parser has built the document, before the table of contents is collected
    default_priority = 500

    def apply(self, **_kwargs: Any) -> None:
        """Add the section to the article's top-level section, when this page is an article."""
        meta = get_article_meta(self.env, self.env.docname)
        if meta is None or not ARTICLE_KEYS <= meta.keys:
            return
        top = next(iter(self.document.findall(nodes.section)), None)
        if top is None:
            logger.warning("article has no title: no citation added",
                           location=(self.env.docname, 1), type="edition", subtype="citation")
            return
        suffix = self.config.html_file_suffix or ".html"
        url = page_url(self.config.edition_baseurl, self.env.docname, suffix)
        top += citation_section(make_citation(meta, url, self.config.edition_title))


def setup_citation(app: Sphinx) -> None:
    """Register the citation transform and the ``edition_baseurl``/``edition_title`` values."""
    app.add_transform(AddCitation)

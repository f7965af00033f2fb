"""Citation: every article page ends with how to cite it, in plain text and in BibTeX.

The citation is made from the article's front matter only — authors, title, publisher, date,
the source's URL — plus the page's address in the edition (``edition_baseurl``, which defaults
to ``html_baseurl``) and the edition's title (``edition_title``, default ``project``). Values the
editors supplied (listed under ``editorial`` in the front matter) are put in square brackets, as
bibliographies mark supplied information. Paragraphs are cited by their ¶ anchor.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from converters.model import FRONT_MATTER_FIELDS
from converters.values import as_list

from .escaping import bibtex_entry, bibtex_name, bibtex_text, bibtex_url
from .frontmatter import get_front_matter

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Front-matter keys whose presence makes a page an article of the edition.
ARTICLE_KEYS = frozenset({"title", "label", "seed"})
#: Front-matter fields the citation is made of (those the schema gives a part in citations):
#: when the editors supplied one, the citation puts its value in square brackets.
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


class Citation(NamedTuple):
    """What a citation of one article says, read from its front matter."""

    #: BibTeX key: the article's slug.
    key: str
    #: Authors as the citation names them (editorial ones included).
    authors: tuple[str, ...]
    #: Those of ``authors`` that the editors supplied rather than the source.
    editorial_authors: frozenset[str]
    #: Title and subtitle of the article.
    title: str
    subtitle: str
    #: Publisher, translator and date (ISO, cut to its precision; ``""`` if unknown).
    publisher: str
    translator: str
    date: str
    #: Where the source was published, and where the edition shows it.
    source_url: str
    page_url: str
    #: The edition's title.
    edition: str
    #: Front-matter fields whose values the editors supplied.
    editorial_fields: frozenset[str]

    def supplied(self, field: str, text: str) -> str:
        """``text`` in square brackets when the editors supplied ``field``."""
        return f"[{text}]" if text and field in self.editorial_fields else text

    def paragraph_url(self, number: int = 1) -> str:
        """The address of the article's paragraph ``number`` (its ¶ anchor)."""
        return f"{self.page_url}#{self.key}-p{number}"


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def page_url(baseurl: str, docname: str, suffix: str = ".html") -> str:
    """The address of a page in the HTML edition (relative when no base URL is set)."""
    path = docname + suffix
    return f"{baseurl.rstrip('/')}/{path}" if baseurl else path


def make_citation(front: dict[str, Any], slug: str, url: str, edition: str) -> Citation:
    """The citation of an article from its front matter."""
    entries = front.get("editorial") or []
    editorial = {e.get("field"): e.get("value") for e in entries if isinstance(e, dict)}
    authors = as_list(front.get("authors"))
    supplied = set(as_list(editorial.get("authors")))
    if not authors:
        authors = sorted(supplied)
    date = _text(front.get("date"))
    precision = _text(front.get("date_precision"))
    if date:
        date = date[: DATE_LENGTH.get(precision, 10)]
    return Citation(
        key=KEY_UNSAFE.sub("-", slug).strip("-") or "article",
        authors=tuple(authors),
        editorial_authors=frozenset(supplied & set(authors)),
        title=_text(front.get("title")),
        subtitle=_text(front.get("subtitle")),
        publisher=_text(front.get("publisher")),
        translator=_text(front.get("translator")),
        date=date,
        source_url=_text(front.get("source_url")),
        page_url=url,
        edition=edition,
        editorial_fields=frozenset(str(f) for f in editorial),
    )


#: What the citation says in place of the accessed date until the reader's browser fills it.
ACCESSED_PLACEHOLDER = "the date you read it"


def citation_text(c: Citation, accessed: str = ACCESSED_PLACEHOLDER) -> str:
    """The citation as one line of text (author. “title.” publisher, date. URL. edition)."""
    names = [f"[{a}]" if a in c.editorial_authors else a for a in c.authors]
    parts = []
    if names:
        parts.append(", ".join(names) + ".")
    title = c.supplied("title", c.title)
    if c.subtitle:
        title += ": " + c.supplied("subtitle", c.subtitle)
    parts.append(f"“{title}.”")
    where = ", ".join(p for p in (c.supplied("publisher", c.publisher),
                                  c.supplied("date", c.date) or "n.d.") if p)
    parts.append(where if where.endswith(".") else where + ".")
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


def bibtex(c: Citation) -> str:
    """The citation as a biblatex ``@online`` entry keyed by the article's slug."""
    # A name the editors supplied is one literal name in brackets: biblatex neither splits it
    # into given and family names nor reads a comma or "and" in it as a separator.
    authors = [bibtex_name(f"[{a}]" if a in c.editorial_authors else a,
                           literal=a in c.editorial_authors)
               for a in c.authors if bibtex_text(a)]
    # the title's own braces (not the text's, which bibtex_text spells as commands) keep its
    # capitals as written
    fields = [("title", "{" + bibtex_text(c.supplied("title", c.title)) + "}")]
    if c.subtitle:
        fields.append(("subtitle", "{" + bibtex_text(c.supplied("subtitle", c.subtitle)) + "}"))
    fields += [("organization", bibtex_text(c.publisher)),
               ("translator", bibtex_text(c.translator)),
               ("date", bibtex_text(c.date)),
               ("url", bibtex_url(c.source_url))]
    note = f"In {c.edition}, {c.page_url}"
    supplied = sorted(c.editorial_fields & CITED_FIELDS)
    if supplied:
        note += f". Supplied by the editors: {', '.join(supplied)}"
    fields.append(("note", bibtex_text(note)))
    return bibtex_entry(c.key, "online", fields, [("author", authors)])


def citation_section(c: Citation) -> nodes.section:
    """The "Cite this article" section: plain text, BibTeX, files, and how to cite a paragraph."""
    from .citable import copy_button

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
    entry = bibtex(c)
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
            "state it; the article's metadata gives their reasons.")
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
        front = get_front_matter(self.env, self.env.docname)
        if front is None or not ARTICLE_KEYS <= front.keys():
            return
        top = next(iter(self.document.findall(nodes.section)), None)
        if top is None:
            logger.warning("article has no title: no citation added",
                           location=(self.env.docname, 1), type="edition", subtype="citation")
            return
        slug = str(front.get("label") or Path(self.env.docname).name)
        suffix = self.config.html_file_suffix or ".html"
        url = page_url(self.config.edition_baseurl, self.env.docname, suffix)
        top += citation_section(make_citation(front, slug, url, self.config.edition_title))


def setup_citation(app: Sphinx) -> None:
    """Register the citation transform and the ``edition_baseurl``/``edition_title`` values."""
    app.add_transform(AddCitation)

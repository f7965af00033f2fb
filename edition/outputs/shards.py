"""One shard of an edition built in parts: the records it gives the others and takes from them.

An edition too large for one build is built as shards (``scripts/shards.py``), each an ordinary
Sphinx build of the edition's project in which every article is a document: the shard's own
articles in full, the others' as *stubs* — their front matter and their outline (title and
headings with their labels), nothing else. So every shard has the edition's table of contents,
sidebar, previous/next links, titles and front matter, but reads and writes only its own texts.

What a stub lacks is what the texts say: their mentions of entities and dates (for the related
articles, the date links of a page, the registers, the entity pages and the timeline) and their
leads (for the cards); its front matter, and so the article's record, is the text's own.
Each shard exports those records of its own articles (:data:`RECORDS_PATH` in its output
folder, at ``build-finished``); a build given the others' files takes them in place of its
stubs' own, as Sphinx takes the records of documents read by another process in a parallel
build: through each domain's ``clear_doc`` and ``merge_domaindata``. The records of a stub are
replaced when it is read (``doctree-read``, so that a page listing the articles, read after
them, sees them) and again after the reading (``env-updated``, before the entity pages are
made), for the stubs a build did not read again. A stub's doctree keeps its outline only: it is
never written.

The plan (``edition_shard_plan``, JSON beside ``conf.py``) names the shard, its own articles and
the records files of the others it takes (paths relative to the plan)::

    {"version": 1, "name": "shard-1", "own": ["articles/a", ...], "peers": ["../b.json"]}

A reference to a label that only another shard's text holds (an edition page citing a
paragraph: articles themselves may not hold references) is found in that shard's inventory,
which intersphinx loads (the driver maps every other shard's ``objects.inv``), and linked as the
standard domain links a label of the same build (:func:`resolve_held_elsewhere`): the shards
make one site, so the link is internal, and its text is the label's title.

A build without a plan is a whole build and none of this runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.util import logging

from edition.article.frontmatter import article_domain
from edition.entities.domain import Authorship, Mention, Publication, entity_domain
from edition.security.files import write_if_changed

if TYPE_CHECKING:
    from sphinx import addnodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Version of the plan's and the records file's layout.
FORMAT_VERSION = 1
#: Where a shard writes the records of its own articles, in its output folder.
RECORDS_PATH = "_shard/records.json"
#: Priority of the ``missing-reference`` handler: before intersphinx's own (500), which would
#: link the label as a page of another site.
RESOLVE_PRIORITY = 400
#: The display name an inventory gives a label without a title (a paragraph's).
UNTITLED = "-"
#: Priority of the ``env-updated`` handler: after edition.citation.changed (100) has noted what
#: was read, before the entity pages are made from the mentions (300).
TAKE_PRIORITY = 200


class ShardError(ValueError):
    """A plan or records file the build cannot use, in one sentence."""


@dataclass(frozen=True)
class ShardPlan:
    """What one shard holds in full, and whose records it takes."""

    #: The shard's name (the driver's, for messages).
    name: str
    #: Docnames of the articles this shard holds in full; every other article is a stub.
    own: frozenset[str]
    #: The records files of the other shards (none while the shards are first read).
    peers: tuple[Path, ...]


@dataclass(frozen=True)
class ArticleRecords:
    """What a shard tells the others of one of its articles: what its stub cannot say."""

    #: The article's docname.
    docname: str
    #: Its first full sentence(s), for cards.
    lead: str
    #: Its main language (BCP 47), as the entity domain keeps it (``""``: none).
    language: str
    #: Its mentions of entities and dates, in document order.
    mentions: tuple[Mention, ...]
    #: The registry people its front matter names as authors.
    authorships: tuple[Authorship, ...]
    #: Its date of publication, when its front matter gives one.
    publication: Publication | None


# --------------------------------------------------------------------------- the files


def read_plan(path: Path) -> ShardPlan:
    """The shard plan at ``path`` (:class:`ShardError` when it is not one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ShardError(f"{path}: not a readable JSON shard plan ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise ShardError(f"{path}: not a shard plan of version {FORMAT_VERSION}")
    name, own, peers = data.get("name"), data.get("own"), data.get("peers", [])
    if not isinstance(name, str) or not _strings(own) or not _strings(peers):
        raise ShardError(f"{path}: a plan needs a name and lists of docnames (own) and of "
                         "records files (peers)")
    return ShardPlan(name, frozenset(cast("list[str]", own)),
                     tuple(path.parent / peer for peer in cast("list[str]", peers)))


def _strings(value: Any) -> bool:
    """Whether a JSON value is a list of strings."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def records_json(records: Iterable[ArticleRecords], documents: dict[str, str]) -> str:
    """The records file of a shard: its articles' records, and every document's source file.

    The documents are what the driver names when it asks a build to write all but the stubs.
    """
    articles = {
        r.docname: {
            "lead": r.lead, "language": r.language,
            "mentions": [list(m) for m in r.mentions],
            "authorships": [list(a) for a in r.authorships],
            "publication": list(r.publication) if r.publication is not None else None,
        }
        for r in sorted(records, key=lambda r: r.docname)
    }
    return json.dumps({"version": FORMAT_VERSION, "articles": articles, "documents": documents},
                      ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def parse_records(text: str, where: str) -> list[ArticleRecords]:
    """The records of a records file (:class:`ShardError` when it is not one)."""
    try:
        data = json.loads(text)
        if data.get("version") != FORMAT_VERSION:
            raise ShardError(f"{where}: not a records file of version {FORMAT_VERSION}")
        return [
            ArticleRecords(
                docname, str(entry["lead"]), str(entry["language"]),
                tuple(Mention(*row) for row in entry["mentions"]),
                tuple(Authorship(*row) for row in entry["authorships"]),
                Publication(*entry["publication"]) if entry["publication"] else None,
            )
            for docname, entry in data["articles"].items()
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ShardError(f"{where}: not a shard's records file ({exc})") from None


# --------------------------------------------------------------------------- the domains


def records_of(env: BuildEnvironment, docname: str) -> ArticleRecords:
    """An article's records, as this build's domains hold them."""
    entities = entity_domain(env)
    return ArticleRecords(
        docname, article_domain(env).leads.get(docname, ""),
        entities.languages.get(docname, ""), tuple(entities.mentions.get(docname, ())),
        tuple(entities.authorships.get(docname, ())), entities.publications.get(docname))


def take_records(env: BuildEnvironment, records: Iterable[ArticleRecords]) -> None:
    """Put the records of articles read elsewhere in place of their stubs'.

    As a parallel read's records are merged: the entity domain forgets the document, then
    merges the other's data; the article domain keeps the stub's record (its front matter is
    the text's) and takes the lead.
    """
    taken = list(records)
    docnames = {r.docname for r in taken}
    entities = entity_domain(env)
    for docname in docnames:
        entities.clear_doc(docname)
    entities.merge_domaindata(docnames, {
        "mentions": {r.docname: list(r.mentions) for r in taken if r.mentions},
        "authorships": {r.docname: list(r.authorships) for r in taken if r.authorships},
        "languages": {r.docname: r.language for r in taken if r.language},
        "publications": {r.docname: r.publication for r in taken if r.publication},
    })
    article_domain(env).merge_domaindata(docnames, {
        "articles": {}, "leads": {r.docname: r.lead for r in taken}, "listing_pages": set(),
        "toctrees": {}})


# --------------------------------------------------------------------------- Sphinx


@dataclass
class _Shard:
    """The plan of a running build and the records it takes, by docname."""

    plan: ShardPlan
    taken: dict[str, ArticleRecords]


#: The shard each running application builds (none for a whole build).
_SHARDS: WeakKeyDictionary[Sphinx, _Shard] = WeakKeyDictionary()


def shard_of(app: Sphinx) -> _Shard | None:
    """The shard this build is (``None``: a whole build)."""
    return _SHARDS.get(app)


def load_plan(app: Sphinx) -> None:
    """Read the plan and the others' records (``builder-inited``).

    A file it cannot use is one error line, and the build fails.
    """
    _SHARDS.pop(app, None)
    if not app.config.edition_shard_plan:
        return
    path = Path(app.confdir, app.config.edition_shard_plan)
    try:
        plan = read_plan(path)
        taken: dict[str, ArticleRecords] = {}
        for peer in plan.peers:
            try:
                text = peer.read_text(encoding="utf-8")
            except OSError:
                raise ShardError(f"{path}: the records of a peer shard are missing: {peer}"
                                 ) from None
            for record in parse_records(text, str(peer)):
                if record.docname not in plan.own:
                    taken[record.docname] = record
    except ShardError as exc:
        logger.error("%s", exc, type="edition", subtype="shards")
        app.statuscode = 1
        return
    _SHARDS[app] = _Shard(plan, taken)


def outline_only(doctree: nodes.document) -> None:
    """Leave a stub's doctree its sections, their titles and targets, and nothing else.

    The stub is never written: what was made of it while it was read (its header, citation
    block, notes: most of a stub's doctree) would only be kept in memory until the build ends.
    """
    for parent in [doctree, *doctree.findall(nodes.section)]:
        for child in list(parent.children):
            if not isinstance(child, (nodes.section, nodes.title, nodes.target)):
                parent.remove(child)


def take_on_read(app: Sphinx, doctree: nodes.document) -> None:
    """A stub just read gets the records of its article, and keeps its outline (``doctree-read``).

    Every other handler has read the stub by then, and every domain processed it.
    """
    shard = shard_of(app)
    docname = app.env.docname
    if shard is None or docname in shard.plan.own or not entity_domain(app.env).is_article(
            docname):
        return
    if docname in shard.taken:
        take_records(app.env, [shard.taken[docname]])
    outline_only(doctree)


def take_after_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every stub of this build gets the records of its article (``env-updated``)."""
    shard = shard_of(app)
    if shard is not None:
        take_records(env, [r for d, r in shard.taken.items() if d in env.all_docs])
    return []


def label_held_elsewhere(env: BuildEnvironment, target: str) -> tuple[str, str] | None:
    """The address (from the site's root) and title of a label in another shard's inventory."""
    from sphinx.ext.intersphinx import InventoryAdapter

    labels = InventoryAdapter(env).main_inventory.get("std:label", {})
    item = labels.get(target) or labels.get(target.lower())
    if item is None:
        return None
    # the inventories are the shards of one site: each address is relative to its root
    parts = [part for part in item.uri.split("/") if part not in ("", ".")]
    return "/".join(parts), item.display_name


def resolve_held_elsewhere(app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref,
                           _contnode: nodes.TextElement) -> nodes.reference | None:
    """Link a ``{ref}`` to a label another shard holds as if it were here (``missing-reference``).

    The standard domain's link (internal, the label's title), not intersphinx's (a page of
    another site).
    """
    if shard_of(app) is None or node.get("refdomain") != "std" or node.get("reftype") != "ref":
        return None
    found = label_held_elsewhere(env, node["reftarget"])
    if found is None:
        return None
    address, title = found
    if node.get("refexplicit"):
        title = node.astext()
    elif title == UNTITLED:
        # as the standard domain says of a label without a title in the same build
        logger.warning("Failed to create a cross reference. A title or caption not found: %r",
                       node["reftarget"], location=node, type="ref", subtype="ref")
        raise NoUri
    page, _, anchor = address.partition("#")
    suffix = str(app.config.html_file_suffix or ".html")
    docname = page.removesuffix(suffix)
    uri = app.builder.get_relative_uri(node["refdoc"], docname)
    reference = nodes.reference("", "", internal=True, refuri=f"{uri}#{anchor}" if anchor else uri)
    reference += nodes.inline(title, title, classes=["std", "std-ref"])
    return reference


def write_records(app: Sphinx, exception: Exception | None) -> None:
    """Write the records of this shard's own articles for the others (``build-finished``)."""
    shard = shard_of(app)
    if exception is not None or shard is None:
        return
    own = sorted(d for d in shard.plan.own if d in app.env.all_docs)
    missing = sorted(shard.plan.own - set(own))
    if missing:
        logger.warning("shard %s: its plan names articles this build does not hold: %s",
                       shard.plan.name, ", ".join(missing[:5]), type="edition",
                       subtype="shards")
    srcdir = Path(app.srcdir)
    documents = {docname: Path(app.env.doc2path(docname)).relative_to(srcdir).as_posix()
                 for docname in sorted(app.env.found_docs)}
    write_if_changed(Path(app.outdir, RECORDS_PATH),
                     records_json((records_of(app.env, docname) for docname in own), documents))


def forget_plan(app: Sphinx, _exception: Exception | None) -> None:
    """Let the application's shard go once its build is over (``build-finished``)."""
    _SHARDS.pop(app, None)


def setup_shards(app: Sphinx) -> None:
    """Register the exchange of records between the shards of an edition built in parts."""
    app.connect("builder-inited", load_plan)
    # last: every domain has processed the stub (Sphinx's transform at priority 850 precedes
    # the event) and every other handler has read it
    app.connect("doctree-read", take_on_read, priority=950)
    app.connect("env-updated", take_after_reading, priority=TAKE_PRIORITY)
    app.connect("missing-reference", resolve_held_elsewhere, priority=RESOLVE_PRIORITY)
    app.connect("build-finished", write_records, priority=600)
    app.connect("build-finished", forget_plan, priority=950)

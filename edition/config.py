"""Every ``edition_*`` configuration value of the extension, declared once and validated.

As MyST-Parser declares its ``myst_*`` values: :class:`EditionConfig` is a dataclass whose
fields carry each value's help text, the kind of rebuild a change needs, the types Sphinx
checks and a validator. :func:`setup_config` registers them all as ``edition_<field>``; at
``config-inited`` :func:`validate_config` checks each value and, for a value it refuses, warns
with the value's name and uses the default instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging

from edition.citation.robustlinks import DEFAULT_SEEDS
from edition.outputs.book import DEFAULT_OMIT
from edition.outputs.downloads import DEFAULT_DOWNLOADS
from edition.outputs.pdf import DEFAULT_CJK_FONTS
from edition.security.safety import language_tag

logger = logging.getLogger(__name__)

#: Why a value is refused (``""``: accepted); given the value, after Sphinx's own type check.
Validator = Callable[[Any], str]


def string(value: Any) -> str:
    """A string."""
    return "" if isinstance(value, str) else f"must be a string, not {type(value).__name__}"


def strings(value: Any) -> str:
    """A list (or tuple) of strings."""
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return ""
    return "must be a list of strings"


def string_mapping(value: Any) -> str:
    """A mapping of strings to strings."""
    if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return ""
    return "must be a mapping of strings to strings"


def whole_number(value: Any) -> str:
    """A whole number, zero or more."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return ""
    return "must be a whole number, zero or more"


def optional_function(value: Any) -> str:
    """A function, or None."""
    return "" if value is None or callable(value) else "must be a function or None"


def boolean(value: Any) -> str:
    """True or False."""
    return "" if isinstance(value, bool) else "must be True or False"


def download_list(value: Any) -> str:
    """A list of (key, label, built file, icon) entries, four strings each."""
    if isinstance(value, (list, tuple)) and all(
            isinstance(entry, (list, tuple)) and len(entry) == 4
            and all(isinstance(part, str) for part in entry) for entry in value):
        return ""
    return "must be a list of (key, label, built file, icon) entries of four strings"


def language_tags(value: Any) -> str:
    """A list of the BCP 47 tags the edition knows."""
    problem = strings(value)
    if problem:
        return problem
    unknown = [tag for tag in value if language_tag(tag) is None]
    return f"holds language tags the edition does not know: {unknown}" if unknown else ""


def default_baseurl(config: Config) -> str:
    """``html_baseurl``."""
    return str(config.html_baseurl or "")


def default_title(config: Config) -> str:
    """``project``."""
    return str(config.project or "")


def default_generated_sources(config: Config) -> dict[str, str]:
    """Entity pages are edited in the registry; other generated pages have no file to edit."""
    generated = str(getattr(config, "edition_generated", "_generated")).strip("/")
    registry = str(getattr(config, "edition_registry", "_data/registry.yaml"))
    return {f"{generated}/entities/*": registry, f"{generated}/*": ""}


def _meta(rebuild: str, types: set[type], validator: Validator, description: str
          ) -> dict[str, Any]:
    """The metadata declaring a configuration value (as MyST-Parser's fields carry it)."""
    return {"rebuild": rebuild, "types": frozenset(types), "validator": validator,
            "help": description}


@dataclass
class EditionConfig:
    """The edition's configuration: each field is the value ``edition_<field>`` of ``conf.py``.

    A default that is a function is computed from the rest of the configuration.
    """

    # -- sources and folders
    articles: str = field(default="articles", metadata=_meta(
        "env", {str}, string, "Folder of the source dir holding the articles."))
    registry: str = field(default="_data/registry.yaml", metadata=_meta(
        "env", {str}, string,
        "The entity registry (YAML), relative to the configuration directory."))
    editorial: str = field(default="_data/editorial.yaml", metadata=_meta(
        "env", {str}, string,
        "The editorial decisions file (YAML), relative to the configuration directory."))
    seeds: str = field(default=DEFAULT_SEEDS, metadata=_meta(
        "env", {str}, string,
        "The folder of the seeds, relative to the configuration folder: the words of the "
        "sources' links are read from them."))
    # rebuild "": a function cannot be pickled with the environment, so Sphinx could not tell
    # a change (sphinx.ext.linkcode's linkcode_resolve is declared the same way)
    link_words: Callable[..., Any] | None = field(default=None, metadata=_meta(
        "", set(), optional_function,
        "Reads a seed's linked words for the source-link notes: (seed, editorial data) -> "
        "{slug: {address: words}}; docs/conf.py gives converters.seedlinks.linked_words."))
    generated: str = field(default="_generated", metadata=_meta(
        "env", {str}, string,
        "Folder of the source dir where entity and timeline pages are generated."))
    method_page: str = field(default="method", metadata=_meta(
        "env", {str}, string,
        "The page on editorial method that article headers link to ('' for none)."))
    # -- the web edition
    baseurl: Callable[[Config], str] | str = field(default=default_baseurl, metadata=_meta(
        "env", {str}, string, "The edition's address, for citations (default: html_baseurl)."))
    title: Callable[[Config], str] | str = field(default=default_title, metadata=_meta(
        "env", {str}, string, "The edition's title, for citations (default: project)."))
    downloads: list[tuple[str, ...]] = field(
        default_factory=lambda: [tuple(d) for d in DEFAULT_DOWNLOADS], metadata=_meta(
            "html", {list, tuple}, download_list,
            "Books linked from every page: (key, label, built file, icon)."))
    generated_sources: Callable[[Config], dict[str, str]] | dict[str, str] = field(
        default=default_generated_sources, metadata=_meta(
            "html", {dict}, string_mapping,
            "Glob of generated page names -> file to edit instead ('' hides the button)."))
    navigation_once: bool = field(default=True, metadata=_meta(
        "html", {bool}, boolean,
        "Serve the sidebar navigation once per build instead of writing it into every page "
        "(only while edition_speedups is on)."))
    related_max: int = field(default=5, metadata=_meta(
        "env", {int}, whole_number, "How many related articles an article page lists at most."))
    # -- an edition built in parts
    shard_plan: str = field(default="", metadata=_meta(
        "env", {str}, string,
        "The shard plan (JSON, relative to the configuration folder) when this build is one "
        "shard of an edition built in parts (scripts/shards.py); '' for a whole build."))
    # -- the books
    book_omit: list[str] = field(default_factory=lambda: list(DEFAULT_OMIT), metadata=_meta(
        "env", {list, tuple}, strings,
        "Documents (shell patterns on docnames) left out of the books, the PDF and the EPUB."))
    cjk_fonts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CJK_FONTS),
                                      metadata=_meta(
        "env", {dict}, string_mapping,
        "xeCJK family name → fontconfig family, for the PDF's Chinese faces."))
    font_cache: str = field(default="", metadata=_meta(
        "env", {str}, string,
        "Folder for faces copied out of font collections ('' = user cache)."))
    epub_languages: list[str] = field(
        default_factory=lambda: ["en", "zh-Hans", "zh-Hant"], metadata=_meta(
            "epub", {list}, language_tags,
            "Languages of the EPUB's texts, for its metadata (BCP 47)."))
    subtitle: str = field(default="", metadata=_meta(
        "env", {str}, string,
        "The edition's subtitle (its Chinese title), for the title page and the EPUB's cover."))
    cover_line: str = field(default="", metadata=_meta(
        "epub", {str}, string, "One line on the cover under the titles."))
    # -- the build
    speedups: bool = field(default=True, metadata=_meta(
        "", {bool}, boolean,
        "Install the build's speed code (edition/speedups/: garbage collector tuning, "
        "front matter by libyaml, the faster standard domain, the sidebar rendered once); "
        "False builds with Sphinx's and myst-parser's own mechanisms, to the same output. "
        "Read when the extension is set up: set it in conf.py or with -D, not in a setup()."))


#: The prefix of every configuration value the edition declares.
PREFIX = "edition_"


def config_fields() -> tuple[dataclasses.Field[Any], ...]:
    """The declared values, in declaration order."""
    return dataclasses.fields(EditionConfig)


def _default(item: dataclasses.Field[Any]) -> Any:
    """A field's default value (a fresh copy of a list or mapping)."""
    if item.default_factory is not dataclasses.MISSING:
        return item.default_factory()
    return item.default


def value_at_setup(config: Config, name: str) -> Any:
    """A value of :class:`EditionConfig` read while the extension is being set up.

    Sphinx 9 runs ``conf.py`` (``Config.read``) before it sets up any extension, and a value
    read from the configuration resolves, once registered, a ``-D`` override first (``"0"`` or
    ``"1"`` for a boolean), then ``conf.py``, then the default: so the value is known in
    ``setup()``. Not yet: what ``conf.py``'s own ``setup()`` or a ``config-inited`` handler
    sets. :func:`validate_config` has not run either, so a value it would refuse is taken as
    its default here too (it warns about the value at ``config-inited``).
    """
    item = next(item for item in config_fields() if item.name == name)
    default = _default(item)
    if callable(default):
        default = default(config)
    try:
        value = getattr(config, PREFIX + name)
    except ConfigError as exc:
        # a -D value Sphinx cannot convert ("false" for a boolean): one line, not a traceback,
        # and the default from now on (Sphinx would raise again at every reading)
        logger.warning("%s; the default %r is used instead", exc, default,
                       type="edition", subtype="config")
        setattr(config, PREFIX + name, default)
        return default
    return default if item.metadata["validator"](value) else value


def validate_config(_app: Sphinx, config: Config) -> None:
    """Check every ``edition_*`` value: one refused is a warning, and the default is used."""
    for item in config_fields():
        name = PREFIX + item.name
        value = getattr(config, name)
        problem = item.metadata["validator"](value)
        if problem:
            default = _default(item)
            if callable(default):
                default = default(config)
            logger.warning("%s %s; the default %r is used instead", name, problem, default,
                           type="edition", subtype="config")
            setattr(config, name, default)


def setup_config(app: Sphinx) -> None:
    """Register every ``edition_*`` value and its validation."""
    for item in config_fields():
        app.add_config_value(PREFIX + item.name, _default(item), item.metadata["rebuild"],
                             types=item.metadata["types"], description=item.metadata["help"])
    # Before the components' own config-inited handlers (which read the values).
    app.connect("config-inited", validate_config, priority=400)

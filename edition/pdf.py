r"""The PDF: Chinese typesetting with xeCJK, Simplified and Traditional faces, per-article language.

At ``builder-inited`` of the LaTeX builder this component writes ``sphinxedition.sty`` into the
output directory. The package loads xeCJK with the edition's CJK faces and defines
``\editionlanguage{tag}`` (emitted before the title of every page, :func:`insert_latex_language`)
and the environments Sphinx opens for containers classed ``language-…``.

The Noto CJK fonts come as collections: one file holds the Japanese, Korean, Simplified and
Traditional Chinese faces, sharing one CFF table whose name is the Japanese one. Asked for a
family name, XeTeX may open the wrong face, and even the right face is embedded under the
Japanese name. So each face the edition uses is copied once out of its collection into a
font cache, with the name its own ``name`` table gives it (``NotoSerifCJKsc-Regular``), and
xeCJK is pointed at those files: the PDF then says which faces it uses, and they are the
right ones.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path
from typing import NamedTuple

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from .files import destination, make_folder, write_if_changed
from .frontmatter import get_front_matter
from .safety import LANGUAGE_TAGS, language_tag
from .text import main_language

logger = logging.getLogger(__name__)

#: The LaTeX package this component writes (without ``.sty``).
PACKAGE = "sphinxedition"

#: xeCJK font families the package defines, and the fontconfig family of each. ``rm``, ``sf``
#: and ``tt`` are Simplified; ``tc…`` are the Traditional faces for Traditional text. The
#: monospaced families use the sans faces: Chinese characters are full width in both, and the
#: Mono faces share their collection's CFF table under a name of another length, which the
#: renaming cannot patch in place.
DEFAULT_CJK_FONTS: dict[str, str] = {
    "sc": "Noto Serif CJK SC",
    "scsans": "Noto Sans CJK SC",
    "scmono": "Noto Sans CJK SC",
    "tc": "Noto Serif CJK TC",
    "tcsans": "Noto Sans CJK TC",
    "tcmono": "Noto Sans CJK TC",
}

#: A face's PostScript name as a cached file is named after it (it reaches LaTeX too):
#: letters, digits, ``.``, ``_`` and ``-``, at most 63 characters, as PostScript allows.
FACE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")

#: Subtags that mark Chinese in Traditional characters (the script, or a region that writes it).
TRADITIONAL_SUBTAGS: frozenset[str] = frozenset({"hant", "tw", "hk", "mo"})
#: Languages other than Chinese set in the CJK faces with full-width punctuation.
CJK_LANGUAGES: frozenset[str] = frozenset({"ja", "ko"})


def language_setup(tag: str) -> tuple[str, str]:
    """The CJK faces (``sc``/``tc``) and punctuation (``CJK``/``Latin``) of a language tag."""
    parts = tag.lower().split("-")
    if parts[0] == "zh":
        return ("tc" if TRADITIONAL_SUBTAGS & set(parts[1:]) else "sc", "CJK")
    return ("sc", "CJK" if parts[0] in CJK_LANGUAGES else "Latin")


#: What each language tag of the allow-list does, by its lower-case form (as LaTeX receives
#: it): only these tags ever reach ``\editionlanguage``.
LANGUAGES: dict[str, tuple[str, str]] = {
    tag.lower(): language_setup(tag) for tag in sorted(LANGUAGE_TAGS)
}

#: Characters Chinese and English share, and their xeCJK classes in Chinese text.
SHARED_PUNCTUATION: dict[str, str] = {
    '"2018, "201C': "FullLeft",
    '"2019, "201D, "2014, "2026': "FullRight",
}


class Face(NamedTuple):
    """One face of a font file: the file and, for a collection, the face's index in it."""

    file: Path
    number: int


def find_face(family: str, style: str) -> Face | None:
    """The file and index fontconfig has for a family and style (``None`` if it has none)."""
    query = ["fc-list", "-f", "%{file}\t%{index}\t%{family}\t%{style}\n", f"{family}:style={style}"]
    try:
        listing = subprocess.run(
            query, capture_output=True, text=True, check=False, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in sorted(listing.splitlines()):
        parts = line.split("\t")
        if len(parts) == 4 and family in parts[2].split(",") and style in parts[3].split(","):
            return Face(Path(parts[0]), int(parts[1]))
    return None


def font_cache_dir() -> Path:
    """Where faces copied out of collections are kept between builds."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "edition-fonts"


def single_face(face: Face, cache: Path) -> Path:
    """A standalone font file for one face, named as the face names itself (cached)."""
    if face.file.suffix.lower() not in (".ttc", ".otc"):
        return face.file
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    stat = face.file.stat()
    key = hashlib.sha256(f"{face.file}:{face.number}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    font = TTFont(str(face.file), fontNumber=face.number, lazy=True,
                  recalcBBoxes=False, recalcTimestamp=False)
    # the name read from the font becomes a file name: one that is not a plain name is not used
    name = next((n for n in (font["name"].getDebugName(6), f"{face.file.stem}-{face.number}")
                 if n and FACE_NAME.fullmatch(n)), f"face-{face.number}")
    target = cache / f"{name}-{key.hexdigest()[:12]}.otf"
    if target.is_file():
        return target
    if make_folder(cache, folders=[cache]) is None or destination(
            target, folders=[cache]) is None:
        return face.file
    if "CFF " in font.reader.keys():
        # The collection's faces share one CFF table named after its first face. Faces of one
        # collection differ only in the language tag, so the name keeps its length and the
        # table can be patched in place, without recompiling 65,000 glyphs.
        data = font.reader["CFF "]
        shared = _cff_name(data)
        if shared and shared != name and len(shared) == len(name):
            table = DefaultTable("CFF ")
            table.data = data.replace(shared.encode("ascii"), name.encode("ascii"), 1)
            font["CFF "] = table
    partial = target.with_suffix(".part")
    font.save(str(partial))
    partial.replace(target)
    return target


def _cff_name(data: bytes) -> str:
    """The first font name of a CFF table (its Name INDEX follows the header)."""
    header_size = data[2]
    count = int.from_bytes(data[header_size:header_size + 2], "big")
    if not count:
        return ""
    offset_size = data[header_size + 2]
    offsets_at = header_size + 3

    def offset(i: int) -> int:
        start = offsets_at + i * offset_size
        return int.from_bytes(data[start:start + offset_size], "big")

    data_at = offsets_at + (count + 1) * offset_size - 1
    return data[data_at + offset(0):data_at + offset(1)].decode("ascii", "replace")


def font_spec(fontconfig_family: str, cache: Path) -> str:
    """The ``[options]{file}`` that loads a family (Regular and Bold) in xeCJK."""
    regular = find_face(fontconfig_family, "Regular")
    bold = find_face(fontconfig_family, "Bold")
    if regular is None:
        logger.warning("CJK font %r not found by fontconfig (install fonts-noto-cjk); "
                       "the PDF may lack Chinese characters", fontconfig_family,
                       type="edition", subtype="pdf")
        return f"{{{fontconfig_family}}}"
    regular_file = single_face(regular, cache)
    options = [f"Path={regular_file.parent}/"]
    if bold is not None:
        bold_file = single_face(bold, cache)
        if bold_file.parent == regular_file.parent:
            options.append(f"BoldFont={bold_file.name}")
    return f"[{', '.join(options)}]{{{regular_file.name}}}"


def package_text(fonts: dict[str, str], cache: Path) -> str:
    r"""The LaTeX package: xeCJK, the faces, ``\editionlanguage`` and the language classes."""
    lines = [
        r"\NeedsTeXFormat{LaTeX2e}",
        rf"\ProvidesPackage{{{PACKAGE}}}[2025/01/01 the edition's Chinese typesetting]",
        r"\RequirePackage{xeCJK}",
        # Spaces as the sources have them: kept between Chinese characters, none added between
        # Chinese and Latin letters (the web edition adds none either).
        r"\xeCJKsetup{CJKspace=true, CJKecglue={\hskip 0pt plus 0.08em}}",
    ]
    specs = {name: font_spec(family, cache) for name, family in fonts.items()}
    # The default faces (\rmfamily, \sffamily, \ttfamily) are the Simplified ones.
    for command, name in (("main", "sc"), ("sans", "scsans"), ("mono", "scmono")):
        if name in specs:
            lines.append(rf"\setCJK{command}font{specs[name]}")
    lines += [rf"\setCJKfamilyfont{{{name}}}{spec}" for name, spec in specs.items()]
    lines += [
        # Shared punctuation: Latin in English text, full width in Chinese text.
        r"\newcommand{\editionLatinPunctuation}{%",
        *(rf"  \xeCJKDeclareCharClass{{Default}}{{{chars}}}%" for chars in SHARED_PUNCTUATION),
        "}",
        r"\newcommand{\editionCJKPunctuation}{%",
        *(rf"  \xeCJKDeclareCharClass{{{cls}}}{{{chars}}}%"
          for chars, cls in SHARED_PUNCTUATION.items()),
        "}",
        r"\newcommand{\editionCJKfaces}[1]{%",
        r"  \renewcommand{\CJKrmdefault}{#1}%",
        r"  \renewcommand{\CJKsfdefault}{#1sans}%",
        r"  \renewcommand{\CJKttdefault}{#1mono}%",
        r"  \CJKfamily{#1}}",
        "% \\editionlanguage{tag}: the faces and punctuation of a language (lower-case BCP 47).",
        r"\newcommand{\editionlanguage}[1]{%",
        r"  \ifcsname edition@lang@#1\endcsname\csname edition@lang@#1\endcsname",
        r"  \else\csname edition@lang@zh-hans\endcsname\fi}",
    ]
    for tag, (faces, punctuation) in LANGUAGES.items():
        lines.append(rf"\expandafter\def\csname edition@lang@{tag}\endcsname"
                     rf"{{\editionCJKfaces{{{faces}}}\edition{punctuation}Punctuation}}")
    # The edition's own pages are in English; each page sets its language at its start.
    lines.append(r"\editionLatinPunctuation")
    lines += [
        "% Containers classed language-xx (the halves of a parallel pair) switch for their",
        "% extent only: an environment is a group, so faces and classes come back at its end.",
    ]
    for tag in LANGUAGES:
        lines.append(rf"\newenvironment{{sphinxclasslanguage-{tag}}}"
                     rf"{{\editionlanguage{{{tag}}}\rmfamily}}{{}}")
    lines += [
        r"\newenvironment{sphinxclassparallel}{\par\medskip}{\par\medskip}",
        # A figure of which the source keeps only the caption and credit.
        r"\newenvironment{sphinxclasstext-figure}"
        r"{\par\medskip\small\leftskip=2em\rightskip=2em}{\par\medskip}",
        # The article header: field names run in ("Date: 4 March 2025"), one field a line.
        r"\newenvironment{sphinxclassarticle-header}%",
        r"  {\par\small\renewcommand{\sphinxlineitem}[1]{\item[{##1:}]}}{\par\medskip}",
        r"\endinput",
    ]
    return "\n".join(line for line in lines if line) + "\n"


def write_package(app: Sphinx) -> None:
    """Write the package beside the .tex files when building LaTeX."""
    if app.builder.name != "latex":
        return
    outdir = Path(app.outdir)
    make_folder(outdir)
    if app.config.latex_engine != "xelatex":
        logger.warning("the edition's PDF needs latex_engine = 'xelatex' (Chinese text)",
                       type="edition", subtype="pdf")
        text = "\n".join([
            rf"\ProvidesPackage{{{PACKAGE}}}",
            r"\newcommand{\editionlanguage}[1]{}",
            r"\endinput",
        ]) + "\n"
    else:
        cache = Path(app.config.edition_font_cache or font_cache_dir())
        text = package_text(dict(app.config.edition_cjk_fonts), cache)
    write_if_changed(outdir / f"{PACKAGE}.sty", text)


def insert_latex_language(section: nodes.section, language: str) -> None:
    """Switch the PDF's Chinese faces and punctuation to a page's language, before its title.

    Every page sets its language, so an article in Traditional characters does not leave its
    faces to the page after it. The CJK face must be chosen before the chapter title is
    typeset, hence before the section.
    """
    # Only a tag of the allow-list reaches LaTeX: it is a command argument there.
    tag = (language_tag(language) or "en").lower()
    command = rf"\ifdefined\editionlanguage\editionlanguage{{{tag}}}\fi"
    parent = section.parent
    position = parent.index(section)
    # Before the title's targets too: LaTeX labels a target once only if a section follows it.
    while position and isinstance(parent[position - 1], nodes.target):
        position -= 1
    parent.insert(position, nodes.raw("", command, format="latex"))


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Tell LaTeX each page's language: an article's main language, else the edition's."""
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    meta = get_front_matter(app.env, app.env.docname)
    language = (main_language(meta) if meta else "") or app.config.language or "en"
    insert_latex_language(section, language)


def setup_pdf(app: Sphinx) -> None:
    """Register the PDF component."""
    app.add_latex_package(PACKAGE)
    app.connect("builder-inited", write_package)
    app.connect("doctree-read", on_doctree_read)

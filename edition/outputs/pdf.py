r"""The PDF: Chinese typesetting with xeCJK, Simplified and Traditional faces, per-article language.

The LaTeX package ``sphinxedition`` (``latex/sphinxedition.sty``, package data that Sphinx copies
beside the .tex files, :func:`use_latex_package`) loads xeCJK and defines
``\editionlanguage{tag}`` (emitted before the title of every page, :func:`insert_latex_language`)
and the environments Sphinx opens for containers classed ``language-…``. What depends on the
configuration is data the package reads from ``sphinxedition.cfg``, which this component writes
at ``builder-inited`` (:func:`configuration_text`): the faces of ``edition_cjk_fonts``, the
shared punctuation, the languages of the allow-list, one declaration a line. In Chinese text the
punctuation Chinese and English share is full width; :class:`LatinPunctuation` finds the marks
that belong to Latin text inside it (an apostrophe in China’s, the quotes of an English
citation) and sets them Latin (``\editionlatinmark``).

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
import re
import subprocess
from pathlib import Path
from typing import Any, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from converters.common.script import is_cjk, is_latin_letter
from edition.article.frontmatter import get_article_meta
from edition.security.files import destination, font_cache_dir, make_folder, write_if_changed
from edition.security.safety import LANGUAGE_TAGS, language_tag

logger = logging.getLogger(__name__)

#: The LaTeX package of the edition's Chinese typesetting (without ``.sty``).
PACKAGE = "sphinxedition"
#: Its configuration, written into the LaTeX output folder and read by the package.
CONFIGURATION = f"{PACKAGE}.cfg"
#: The folder of the edition's LaTeX packages (package data).
LATEX_FOLDER = Path(__file__).parent / "latex"

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
#: An xeCJK family name of ``edition_cjk_fonts`` (``sc``, ``tcsans``): letters only, as the
#: package makes command arguments and family names (``sc`` + ``sans``) of it.
FAMILY_NAME = re.compile(r"[A-Za-z]{1,32}")
#: A folder, a font file or a fontconfig family name, as sphinxedition.cfg may hold it: letters,
#: digits, ``_``, ``/``, ``.``, ``+``, ``-`` and spaces, nothing LaTeX or a key-value list reads as
#: markup (a brace, backslash, ``%``, ``#``, ``~``, a comma or ``=``).
FILE_NAME = re.compile(r"[\w/.+ -]{1,1000}")
#: A language tag as the package's command and environment names take it.
LATEX_TAG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

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

#: Punctuation Chinese and English share, and its xeCJK class in Chinese text: full width,
#: opening (‘ “) or closing (’ ” — …). In English text the same characters are Latin.
SHARED_PUNCTUATION: dict[str, str] = {
    "‘“": "FullLeft",
    "’”—…": "FullRight",
}

#: Every shared punctuation mark.
SHARED_MARKS = "".join(SHARED_PUNCTUATION)

#: The class of a shared mark that belongs to Latin text inside Chinese text.
LATIN_MARK = "latin-mark"

#: Quotation marks that open a quotation, and the mark that closes it.
QUOTE_PAIRS: dict[str, str] = {"“": "”", "‘": "’"}

#: Nodes whose text is never set as running text (code, LaTeX, a footnote's number).
UNTOUCHED_NODES = (nodes.FixedTextElement, nodes.literal, nodes.raw, nodes.comment,
                   nodes.footnote_reference, nodes.math)


def xecjk_chars(chars: str) -> str:
    """Characters as xeCJK lists them: ``"2018, "201C``."""
    return ", ".join(f'"{ord(char):04X}' for char in chars)


def _leaning(text: str, index: int, step: int) -> str:
    """What the mark at ``index`` leans on, looking one way past other shared marks.

    ``"cjk"`` (a Chinese character or full-width mark), ``"latin"`` (a letter, digit or Latin
    punctuation), ``"space"``, or ``""`` at the edge of the text.
    """
    index += step
    while 0 <= index < len(text) and text[index] in SHARED_MARKS:
        index += step
    if not 0 <= index < len(text):
        return ""
    char = text[index]
    if is_cjk(char):
        return "cjk"
    return "space" if char.isspace() else "latin"


def latin_marks(text: str) -> set[int]:
    """Positions of the shared marks of a Chinese text that belong to Latin text in it.

    An apostrophe between two Latin letters (China’s) is Latin. A quotation is Latin when
    the text outside it, on either side, is Latin or a space (an English title quoted in a
    Chinese sentence takes Chinese marks: 这些“TikTok难民”的); a quotation filling the whole
    text goes by its first character. Any other mark (a dash, an ellipsis, a lone quote) is
    Latin when nothing Chinese touches it and something Latin does.
    """
    latin: set[int] = set()
    opened: list[int] = []
    single: list[int] = []
    for index, char in enumerate(text):
        if char not in SHARED_MARKS:
            continue
        before, after = text[index - 1:index], text[index + 1:index + 2]
        if char == "’" and is_latin_letter(before) and is_latin_letter(after):
            latin.add(index)  # an apostrophe inside a word
        elif char in QUOTE_PAIRS:
            opened.append(index)
        elif opened and QUOTE_PAIRS[text[opened[-1]]] == char:
            start = opened.pop()
            outside = {_leaning(text, start, -1), _leaning(text, index, 1)}
            if outside == {""}:
                outside = {_leaning(text, start, 1)}
            if outside & {"latin", "space"}:
                latin.update((start, index))
        else:
            single.append(index)
    for index in [*single, *opened]:
        sides = {_leaning(text, index, -1), _leaning(text, index, 1)}
        if "cjk" not in sides and "latin" in sides:
            latin.add(index)
    return latin


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


class FaceFiles(NamedTuple):
    """Where xeCJK finds a family's faces: font files in a folder, or a fontconfig family."""

    #: The folder of the files, ending in ``/`` (``""``: :attr:`regular` is a family name).
    folder: str
    #: The regular face's file (or the fontconfig family name).
    regular: str
    #: The bold face's file, in the same folder (``""``: none).
    bold: str = ""


def face_files(fontconfig_family: str, cache: Path) -> FaceFiles:
    """The files that load a family (Regular and Bold) in xeCJK."""
    regular = find_face(fontconfig_family, "Regular")
    bold = find_face(fontconfig_family, "Bold")
    if regular is None:
        logger.warning("CJK font %r not found by fontconfig (install fonts-noto-cjk); "
                       "the PDF may lack Chinese characters", fontconfig_family,
                       type="edition", subtype="pdf")
        return FaceFiles("", fontconfig_family)
    regular_file = single_face(regular, cache)
    bold_name = ""
    if bold is not None:
        bold_file = single_face(bold, cache)
        if bold_file.parent == regular_file.parent:
            bold_name = bold_file.name
    return FaceFiles(f"{regular_file.parent}/", regular_file.name, bold_name)


def face_declaration(family: str, files: FaceFiles) -> str | None:
    r"""The line of ``sphinxedition.cfg`` that declares an xeCJK family (``\editionCJKface``).

    The values are names of files and folders, not text: escaping would change them, so each
    must be of :data:`FAMILY_NAME` or :data:`FILE_NAME`, else the family is left out, with a
    warning (nothing of a configuration value reaches LaTeX as code).
    """
    values = [files.folder, files.regular, files.bold]
    if not FAMILY_NAME.fullmatch(family) or not all(
            FILE_NAME.fullmatch(value) for value in values if value):
        logger.warning("CJK font %r (%s) has a name LaTeX cannot be given safely; left out",
                       family, ", ".join(value for value in values if value),
                       type="edition", subtype="pdf")
        return None
    return rf"\editionCJKface{{{family}}}{{{files.folder}}}{{{files.regular}}}{{{files.bold}}}"


def configuration_text(fonts: dict[str, str], cache: Path) -> str:
    r"""``sphinxedition.cfg``: the faces, the shared punctuation and the languages.

    Data for the package ``sphinxedition`` (``latex/sphinxedition.sty``), one declaration a
    line: an xeCJK family of each of ``fonts``, each class of :data:`SHARED_PUNCTUATION`, and
    the faces and punctuation of each tag of the allow-list (:data:`LANGUAGES`).
    """
    lines = [f"% {CONFIGURATION}: the configuration of the package {PACKAGE}, "
             "written by edition/outputs/pdf.py"]
    for family, fontconfig_family in fonts.items():
        line = face_declaration(family, face_files(fontconfig_family, cache))
        if line is not None:
            lines.append(line)
    lines += [rf"\editionsharedpunctuation{{{cls}}}{{{xecjk_chars(chars)}}}"
              for chars, cls in SHARED_PUNCTUATION.items()]
    lines += [rf"\editiondeclarelanguage{{{tag}}}{{{faces}}}{{{punctuation}}}"
              for tag, (faces, punctuation) in LANGUAGES.items() if LATEX_TAG.fullmatch(tag)]
    return "\n".join(lines) + "\n"


def use_latex_package(app: Sphinx, name: str) -> None:
    r"""Load a package of :data:`LATEX_FOLDER` in the preamble; Sphinx copies it beside the .tex.

    ``app.add_latex_package`` writes the ``\usepackage``; the file joins
    ``latex_additional_files``, which the LaTeX builder copies into its output folder.
    """
    app.add_latex_package(name)
    path = str(LATEX_FOLDER / f"{name}.sty")

    def add_file(_app: Sphinx, config: Config) -> None:
        files = list(config.latex_additional_files)
        if path not in files:
            config.latex_additional_files = [*files, path]

    app.connect("config-inited", add_file)


def write_configuration(app: Sphinx) -> None:
    """Write ``sphinxedition.cfg`` beside the .tex files (``builder-inited``, LaTeX only)."""
    if app.builder.name != "latex":
        return
    if app.config.latex_engine != "xelatex":
        # The package then only defines \editionlanguage, as a command that does nothing.
        logger.warning("the edition's PDF needs latex_engine = 'xelatex' (Chinese text)",
                       type="edition", subtype="pdf")
        return
    outdir = Path(app.outdir)
    make_folder(outdir)
    cache = Path(app.config.edition_font_cache or font_cache_dir())
    write_if_changed(outdir / CONFIGURATION,
                     configuration_text(dict(app.config.edition_cjk_fonts), cache))


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
    meta = get_article_meta(app.env, app.env.docname)
    language = (meta.main_language if meta else "") or app.config.language or "en"
    insert_latex_language(section, language)


def cjk_language(tag: str) -> bool:
    """Whether text in a language takes full-width punctuation (Chinese, Japanese, Korean)."""
    return LANGUAGES.get(tag.lower(), ("", "Latin"))[1] == "CJK"


def block_texts(block: nodes.Element) -> list[nodes.Text]:
    """The running text of a block, in order (code, LaTeX and footnote numbers left out)."""
    found: list[nodes.Text] = []

    def walk(node: nodes.Element) -> None:
        for child in node.children:
            if isinstance(child, nodes.Text):
                found.append(child)
            elif isinstance(child, nodes.Element) and not isinstance(child, UNTOUCHED_NODES):
                walk(child)

    walk(block)
    return found


def mark_latin_punctuation(block: nodes.Element) -> None:
    """Class the Latin marks of a Chinese block (:func:`latin_marks`) :data:`LATIN_MARK`.

    An inline node, not raw LaTeX: Sphinx moves footnote text out of its paragraph, and a raw
    node outside a paragraph is set on a line of its own.
    """
    texts = block_texts(block)
    whole = "".join(texts)
    marks = latin_marks(whole)
    offset = 0
    for text in texts:
        start, offset = offset, offset + len(text)
        inside = sorted(i - start for i in marks if start <= i < offset)
        if not inside or text.parent is None:
            continue
        pieces: list[nodes.Node] = []
        previous = 0
        for index in inside:
            if index > previous:
                pieces.append(nodes.Text(text[previous:index]))
            pieces.append(nodes.inline("", text[index], classes=[LATIN_MARK]))
            previous = index + 1
        if previous < len(text):
            pieces.append(nodes.Text(text[previous:]))
        parent = text.parent
        position = parent.index(text)
        parent[position:position + 1] = pieces


class LatinPunctuation(SphinxPostTransform):
    """Latin punctuation widths for Latin text inside Chinese text (an English title, China’s).

    In Chinese text the marks Chinese and English share are full width, which spreads an
    English word apart ("China’ s"); the marks that belong to Latin text are set Latin.
    """

    # After the book is laid out (its opening and notes are text too).
    default_priority = 70
    builders = ("latex",)

    def run(self, **_kwargs: Any) -> None:
        """Mark every block of Chinese text, page by page and container by container."""
        default = str(self.config.language or "en")

        def walk(node: nodes.Element, language: str) -> None:
            if isinstance(node, addnodes.start_of_file):
                meta = get_article_meta(self.env, node["docname"])
                language = (meta.main_language if meta else "") or default
            for cls in node["classes"]:
                if str(cls).startswith("language-"):
                    language = str(cls)[len("language-"):]
            if isinstance(node, UNTOUCHED_NODES):
                return
            if isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline):
                if cjk_language(language):
                    mark_latin_punctuation(node)
                return
            for child in list(node.children):
                if isinstance(child, nodes.Element):
                    walk(child, language)

        walk(self.document, default)


def setup_pdf(app: Sphinx) -> None:
    """Register the PDF component."""
    use_latex_package(app, PACKAGE)
    app.add_post_transform(LatinPunctuation)
    app.connect("builder-inited", write_configuration)
    app.connect("doctree-read", on_doctree_read)

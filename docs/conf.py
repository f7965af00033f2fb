"""Sphinx configuration of the edition: HTML (sphinx-book-theme), PDF (XeLaTeX + xeCJK), EPUB."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The extension (``edition``) and the converters live beside docs/, importable without install.
sys.path.insert(0, str(HERE.parent))

# -- The edition --------------------------------------------------------------------------------

from converters.common.markup import MYST_EXTENSIONS  # noqa: E402
from converters.seedlinks import linked_words  # noqa: E402
from edition.article.home import conf_names, latex_text  # noqa: E402

#: The title and the counts of texts and articles, from _data/edition.yaml and the seeds. A
#: data file the edition refuses leaves the titles empty here: the extension reports it at its
#: line and stops the build before anything is read (edition/article/home.py).
EDITION_NAMES = conf_names(HERE)
project = EDITION_NAMES["title_en"]
#: The edition's subtitle, in Chinese: shown on the title page and the EPUB's cover.
edition_subtitle = EDITION_NAMES["title_zh"]
author = "The editors"
copyright = "the editors (edition apparatus); each text, its author and publisher"
release = version = "0.1"
# A fixed date keeps every build of one version identical (no build-date noise).
today = "2025"
language = "en"

# The edition's own repository and address, set here only: the "edit this page" links, the
# repository button and the citations are made from these. A fork changes these lines.
EDITION_REPOSITORY = "https://github.com/china-internet-edition/edition"
EDITION_BRANCH = "main"
EDITION_BASEURL = "https://china-internet-edition.github.io/edition/"

extensions = ["myst_parser", "sphinx_design", "edition"]
# A source link's note repeats the words the source linked, read from its seed by the converters
# (the extension itself never imports them).
edition_link_words = linked_words
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "_data",
    "_import",  # the converters' last output, the base for re-importing edited articles
    "_static",
    "_templates",
    "Thumbs.db",
    ".DS_Store",
]
# The texts are reproduced with their own punctuation: no "smart" quote rewriting.
smartquotes = False
suppress_warnings: list[str] = []
nitpicky = False

# -- MyST ---------------------------------------------------------------------------------------

myst_enable_extensions = list(MYST_EXTENSIONS)
myst_heading_anchors = 3
# {{ title_en }}, {{ sources_en }}, {{ articles_en }} … on the home page (edition/article/home.py).
myst_substitutions = EDITION_NAMES
myst_footnote_transition = True

# -- The edition's extension --------------------------------------------------------------------

edition_registry = "_data/registry.yaml"
edition_method_page = "method"

# -- HTML ---------------------------------------------------------------------------------------

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["edition.css"]
html_theme_options = {
    # Footnotes (the links of the sources) become sidenotes in the margin.
    "use_sidenotes": True,
    "show_prev_next": True,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    # The sidebar lists the edition's pages, not the ~200 entity pages under their index: the
    # sidebar is rendered into every page, so a deeper one makes the build quadratic in pages.
    "max_navbar_depth": 1,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
    "show_toc_level": 2,
    # "Edit this page" opens the page's MyST source (edition/web/editlink.py redirects generated
    # pages to the file they are made from): the one link to the repository in the header,
    # where an editor looks for it; readers get no source-repository icon.
    "repository_url": EDITION_REPOSITORY,
    "repository_branch": EDITION_BRANCH,
    "path_to_docs": "docs",
    "use_edit_page_button": True,
    "use_repository_button": False,
}
# The edition's mark in the browser's tab (a 四 for the four texts, drawn once, in _static).
html_favicon = "_static/favicon.png"
html_last_updated_fmt: str | None = None
# The theme's colour mode before a reader picks one (left unset, its script logs an error).
html_context = {"default_mode": "auto"}

html_copy_source = True
html_show_sourcelink = True
# Sphinx's Chinese search uses jieba; the edition folds Traditional to Simplified and adds the
# registry's names to jieba's dictionary (edition/web/search.py writes it into the build directory).
html_search_language = "zh"
html_search_options: dict[str, str] = {}
html_baseurl = EDITION_BASEURL

# -- LaTeX / PDF --------------------------------------------------------------------------------

latex_engine = "xelatex"
latex_documents = [(root_doc, "edition.tex", project, author, "manual")]
latex_show_urls = "no"
latex_show_pagerefs = False
# The back-of-book indices (companies and organisations, people, dates) are the book
# component's (edition/outputs/book.py), with page numbers of every mention: not Sphinx's
# domain indices.
latex_domain_indices = False
# The books (the PDF and the EPUB) hold the reader's pages: the contributor guide and the
# generated entity and timeline pages stay on the web (the indices and registers replace them).
# The research data page documents files that are on the web (JSON, CSV, TEI): it stays there.
edition_book_omit = ["contribute", "data", "_generated/*"]


# Chinese typesetting (xeCJK, the Simplified and Traditional Noto faces, the per-language
# switches) is the extension's: the sphinxedition package (edition/outputs/latex/), configured
# by edition/outputs/pdf.py.

LATEX_TITLE_PAGE = r"""
\begin{titlepage}
  \centering
  \vspace*{0.18\textheight}
  {\sffamily\bfseries\Huge """ + latex_text(project) + r"""\par}
  \vspace{0.8em}
  {\sffamily\LARGE """ + latex_text(edition_subtitle) + r"""\par}
  \vspace{2.5em}
  {\large A digital edition of """ + latex_text(EDITION_NAMES["sources_en"]) + r""" sources on
   China’s internet industry, """ + latex_text(EDITION_NAMES["years"]) + r""",\par
   presented as """ + latex_text(EDITION_NAMES["articles_en"]) + r""" articles\par}
  \vfill
  {\large Edited by the editors of the edition\par}
  \vspace{1em}
  {\normalsize Version """ + release + ", " + today + r"""\par}
  \vspace{0.5em}
  {\small Texts: © their authors and publishers. Edition apparatus: the editors.\par}
\end{titlepage}
"""

# The Latin faces match the CJK ones: Noto Serif with Noto Serif CJK, Noto Sans with Noto Sans
# CJK (Debian's fonts-noto-core; the CJK faces are edition/outputs/pdf.py's).
LATEX_FONTS = r"""
\setmainfont{Noto Serif}
\setsansfont{Noto Sans}
\setmonofont{FreeMono}[Scale=0.9,
  Extension      = .otf,
  UprightFont    = *,
  ItalicFont     = *Oblique,
  BoldFont       = *Bold,
  BoldItalicFont = *BoldOblique,
]
"""

latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany,oneside",
    "maketitle": LATEX_TITLE_PAGE,
    # The contents list chapters: introduction, each article, the edition's pages and indexes.
    # The PDF's own metadata (hyperref is loaded after the preamble, hence AtBeginDocument).
    "preamble": r"\setcounter{tocdepth}{0}"
    + r"\AtBeginDocument{\hypersetup{pdftitle={" + latex_text(project) + r"}, pdfauthor={"
    + latex_text(author) + r"}, pdfsubject={A digital edition of "
    + latex_text(EDITION_NAMES["sources_en"]) + r" sources on China’s internet industry},"
    + r" pdflang={en}}}",
    "figure_align": "H",
    # -- The book (edition/outputs/book.py): Noto Serif to match Noto Serif CJK, no "Chapter N"
    # banner, no general index (the book's own three indices end it).
    "fontpkg": LATEX_FONTS,
    "fncychap": "",
    "printindex": "",
    # Chinese text breaks between any two characters; a little stretch avoids overfull lines.
    "sphinxsetup": "hmargin={2.5cm,2.5cm}, vmargin={2.5cm,2.5cm}",
}

# -- EPUB ---------------------------------------------------------------------------------------

epub_basename = "edition"  # build/epub/edition.epub, beside build/latex/edition.pdf
epub_title = project
epub_author = author
epub_publisher = "The editors"
epub_copyright = copyright
epub_language = "en"
# Sphinx writes the uid into the NCX as the book's identifier: the two must be the same.
epub_uid = "four-texts-china-internet"
epub_identifier = epub_uid
epub_scheme = ""
epub_show_urls = "no"
# The README's screenshots live in _static but are not part of the book.
SCREENSHOTS = sorted((HERE / "_static" / "screenshots").glob("*"))
epub_exclude_files = ["search.html", *(f"_static/screenshots/{path.name}" for path in SCREENSHOTS)]
epub_css_files = ["edition.css"]
epub_tocdepth = 2
# Sphinx's general index would be an empty page: the registers of companies, people and dates
# are the book's indices.
epub_use_index = False
# -- The EPUB as a book (edition/outputs/epub.py): navigation through every toctree (the home page's
# are hidden), complete metadata, a cover drawn at build time.
epub_tocscope = "includehidden"
epub_description = (
    "A digital edition of four sources on China’s internet industry, 2020–2025: a New York"
    " Times Chinese column, a Caixin Weekly report, a bilingual New York Times column, and four"
    " essays from one English-language source."
)
# The one author the sources name (the bilingual column's attribution to her is editorial).
epub_contributor = "Li Yuan (袁莉)"
edition_cover_line = "Four sources, seven texts, 2020–2025 · 中文 and English"
epub_cover = ("_static/edition-cover.svg", "epub-cover.html")

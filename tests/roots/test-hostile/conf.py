"""A hostile edition: every field a source or data file can carry holds a payload.

Each payload breaks out of an attribute and sets ``window.__pwned`` to its number (which
field it is in), and carries LaTeX commands (``\\input{/etc/hostname}``, ``\\write18``). The
browser and LaTeX tests build this project and check that none of it takes effect.
"""

from converters.common.markup import MYST_EXTENSIONS

extensions = ["myst_parser", "sphinx_design", "edition"]
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Hostile edition"
author = "The editors"
release = version = "0.1"
language = "en"
html_search_language = "zh"
exclude_patterns = ["_build", "_data"]
smartquotes = False

html_theme = "sphinx_book_theme"
html_theme_options = {
    "use_sidenotes": True,
    "home_page_in_toc": True,
    "repository_url": "https://github.com/example/edition",
    "repository_branch": "main",
    "path_to_docs": "docs",
    "use_edit_page_button": True,
    "use_repository_button": True,
    "use_download_button": True,
}
html_context = {"default_mode": "auto"}
html_baseurl = "https://example.com/edition/"
# _static holds a link to /etc/passwd and an HTML page with a script: neither is published.
html_static_path = ["_static"]

latex_engine = "xelatex"
latex_documents = [("index", "edition.tex", project, author, "manual")]

epub_basename = "edition"
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = author
epub_language = "en"
epub_uid = "hostile-edition"
epub_identifier = epub_uid
epub_scheme = ""
epub_exclude_files = ["search.html"]

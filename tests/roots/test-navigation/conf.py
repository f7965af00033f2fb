"""Navigation: nested, hidden and captioned toctrees, pages in folders, for the sidebar."""

extensions = ["myst_parser", "edition"]
project = "Navigation test"
html_theme = "sphinx_book_theme"
html_theme_options = {"home_page_in_toc": True, "show_navbar_depth": 1, "max_navbar_depth": 3}
exclude_patterns = ["_build"]

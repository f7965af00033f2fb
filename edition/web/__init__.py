"""The web edition: what a reader sees and uses in the browser.

Owns the search (``search``: index and query planning; ``search_pages``: what the generated
pages and names add), the reading view (``reading``, with its script and stylesheet in
``static/``), sidenotes (``sidenotes``), and the edit button (``editlink``). The sidebar
navigation is the theme's; rendering it once per build is a speed-up
(``edition/speedups/navigation.py``).
"""

"""Articles: what a page of ``docs/articles/`` is and how its own text is presented.

Owns the front matter (parsed and checked once per page: ``frontmatter``) and its typed record
(``record``: what the editors supplied, its brackets, the credit roles), the article header
(``header``), paragraph anchors and ¶ numbers (``anchors``), the listings of articles and their
cards (``listings``, ``teaser``, ``placeholders``), the edition's title and counts (``home``),
the words a value, date or language is shown in (``text``), Chinese text marked with its
language wherever it is printed (``chinese``) and the refusal of pages holding a
re-import's conflict markers (``conflicts``).
"""

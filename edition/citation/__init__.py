"""Citation: how an article and each paragraph of it are cited.

Owns the citation model (``model``: one article's reference, the formats it is written in),
the citable paragraphs, their cite control, head metadata and per-article citation files
(``citable``), the source links with their archived copies (``robustlinks``) and which
articles a build re-read, so that the per-article files (citations here, TEI and data in
``outputs``) follow them (``changed``).
"""

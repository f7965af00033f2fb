"""Outputs other than the web page: the books, TEI and the data.

Owns the PDF (``book``: layout of the printed edition, ``pdf``: XeLaTeX settings, with their
LaTeX packages in ``latex/``), the EPUB (``epub``, with the templates of its package files in
``epub3/``), the TEI files (``tei``), the data exports and
the research data page (``export``, ``data_page``), the books offered as downloads
(``downloads``), and images a book cannot show (``images``).
"""

"""Outputs other than the web page: the books, TEI and the data.

Owns the PDF (``book``: layout of the printed edition, ``pdf``: XeLaTeX settings, with the
LaTeX package in ``latex/``), the EPUB (``epub``), the TEI files (``tei``), the data exports and
the research data page (``export``, ``data_page``), the books offered as downloads
(``downloads``), and images a book cannot show (``images``).
"""

"""Entities and dates: who and what the texts name, and where.

Owns the ``ent`` domain with its roles and mentions (``domain``), the index kinds (``indices``),
the names readers type (``names``: pinyin), the generated entity pages and overview
(``pages``), the registers of the books and the web (``registers``, with the web page's template
in ``templates/``), the timeline (``timeline``) and the related articles (``related``).
"""

"""Build speed: code that makes the build faster and changes no output.

Owns the garbage collector's tuning (``gc_tuning``), the front matter read by libyaml
(``myst_yaml``) and the faster standard domain (``stddomain``). Each reaches into a library's
internals; all of them are switched on and off together by the ``edition_speedups`` setting, so
that an upgrade that breaks one can be met by turning them off (README, *Performance*).
"""

"""What both halves may import: the converters' and the extension's shared ground.

Script and language data, dates, values, validation, the strict YAML loader, the registry and
name matching, the allowlist and its gate, MyST markup and labels, the editorial and edition
data files and the retired-label model. Nothing here imports a reader, the pipeline or the
editors' tools; ``edition/`` imports only this package and :mod:`converters.model`.
"""

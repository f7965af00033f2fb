"""The trust boundary: what a page, a data file or a source may make the build do.

Owns the build's side of the allowlist (``boundary``: the gated renderer, node and file guards,
refusals that fail the build; the allowlist itself is data in ``converters.common.allowlist``,
shared with ``check``), the checks of values on their way into HTML, LaTeX or XML (``safety``),
confined output paths (``files``) and the escaping of exports (``escaping``).
"""

"""Reading an input file: bytes to a :class:`~converters.model.Source`, or one clear refusal."""

from __future__ import annotations

import hashlib
from pathlib import Path

from charset_normalizer import from_bytes

from .model import ConversionError, Source

#: Legacy encodings Chinese sources commonly arrive in; tried, in this order, when UTF-8 fails.
LEGACY_ENCODINGS: tuple[str, ...] = ("gb18030", "big5")

#: Share of C0 control characters (other than tab, newline, carriage return, form feed)
#: above which a file is treated as binary rather than text.
MAX_CONTROL_SHARE = 0.01


def load(path: Path) -> Source:
    """Read and decode a file; raise :class:`ConversionError` with a one-line reason."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ConversionError("is a directory, not a file") from None
    except FileNotFoundError:
        raise ConversionError("no such file") from None
    except OSError as exc:
        raise ConversionError(f"cannot read: {exc.strerror or exc}") from None
    return decode(path.name, raw)


def decode(name: str, raw: bytes) -> Source:
    """Decode raw bytes: UTF-8 (with or without BOM), else a detected GB18030 or Big5."""
    sha = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise ConversionError("empty file")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ConversionError(f"binary file (NUL byte at offset {nul})")
    try:
        text = raw.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        text, encoding = _decode_legacy(raw, exc)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > MAX_CONTROL_SHARE * len(text):
        raise ConversionError(f"binary file ({controls} control characters in {len(text)})")
    return Source(name=name, text=text.replace("\r\n", "\n").replace("\r", "\n"),
                  sha256=sha, encoding=encoding)


def _decode_legacy(raw: bytes, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    """Detect one of :data:`LEGACY_ENCODINGS` or refuse, naming the first bad byte."""
    best = from_bytes(raw, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is not None and best.encoding in LEGACY_ENCODINGS:
        try:
            return raw.decode(best.encoding), best.encoding
        except UnicodeDecodeError:
            pass
    bad = raw[utf8_error.start : utf8_error.start + 1].hex()
    raise ConversionError(
        f"not UTF-8 (byte 0x{bad} at offset {utf8_error.start}) "
        f"and not detectably {' or '.join(e.upper() for e in LEGACY_ENCODINGS)}"
    )

"""Reading an input file: bytes to a :class:`~converters.model.Source`, or one clear refusal."""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from charset_normalizer import from_bytes

from .model import ConversionError, Source

#: Legacy encodings Chinese sources commonly arrive in; tried, in this order, when UTF-8 fails.
LEGACY_ENCODINGS: tuple[str, ...] = ("gb18030", "big5")

#: Largest input read, in bytes (50 MiB: the largest real post is under 1 MB; at this size a
#: conversion stays under 1 GB of memory and a minute, see README "Limits"). Longer inputs and
#: endless ones (``/dev/zero``) are refused after reading one byte more than this.
MAX_INPUT_BYTES = 50 * 1024 * 1024

#: Byte order marks, longest first (UTF-32 LE's begins with UTF-16 LE's): a file that starts
#: with one is decoded by it before anything is guessed.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Share of C0 control characters (other than tab, newline, carriage return, form feed)
#: above which a file is treated as binary rather than text.
MAX_CONTROL_SHARE = 0.01
#: Those control characters.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def load(path: Path) -> Source:
    """Read and decode a file; raise :class:`ConversionError` with a one-line reason."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_INPUT_BYTES + 1)
    except IsADirectoryError:
        raise ConversionError("is a directory, not a file") from None
    except FileNotFoundError:
        raise ConversionError("no such file") from None
    except OSError as exc:
        raise ConversionError(f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise ConversionError(f"larger than {MAX_INPUT_BYTES:,} bytes, the limit of an input")
    return decode(path.name, raw)


def decode(name: str, raw: bytes) -> Source:
    """Decode raw bytes into a source.

    By their byte order mark (UTF-8, -16, -32) if they start with one, else UTF-8, else a
    detected GB18030 or Big5.
    """
    sha = hashlib.sha256(raw).hexdigest()
    if len(raw) > MAX_INPUT_BYTES:
        raise ConversionError(f"larger than {MAX_INPUT_BYTES:,} bytes, the limit of an input")
    bom = next(((mark, codec) for mark, codec in BOMS if raw.startswith(mark)), None)
    if bom is not None:
        mark, encoding = bom
        try:
            text = raw[len(mark):].decode(encoding)
        except UnicodeDecodeError as exc:
            raise ConversionError(f"starts with a {encoding.upper()} byte order mark but is not "
                                  f"{encoding.upper()} (offset {exc.start + len(mark)})") from None
        encoding = encoding.removesuffix("-le").removesuffix("-be")
    else:
        if not raw.strip():
            raise ConversionError("empty file")
        nul = raw.find(b"\x00")
        if nul >= 0:
            raise ConversionError(f"binary file (NUL byte at offset {nul})")
        try:
            text = raw.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding = _decode_legacy(raw, exc)
    if not text.strip():
        raise ConversionError("empty file")
    nul = text.find("\x00")
    if nul >= 0:
        raise ConversionError(f"binary file (NUL character at position {nul})")
    controls = len(CONTROL_CHARACTERS.findall(text))
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

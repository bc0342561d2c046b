"""Finding inputs on disk and turning their bytes into text, with errors that name the file."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import charset_normalizer

from newsparallax.errors import EmptyInput, InputError, InputTooLarge, UnreadableInput

# Metadata sidecars (ingest/metadata.py) are read with the file they describe.
SIDECAR_SUFFIX = ".meta.json"

# Share of control characters (other than whitespace) above which bytes are not text.
_MAX_CONTROL_SHARE = 0.05
_SNIFF_BYTES = 8192
# How much more "chaos" (charset-normalizer's mess score) windows-1252 may show and
# still be preferred to the detector's first choice.
_CHAOS_SLACK = 0.1


def find_files(paths: Iterable[str | Path], suffixes: Iterable[str]) -> Iterator[Path | InputError]:
    """Every file named, and every file with a known suffix below every folder named.

    A named file is always returned (its reader decides whether it can read it); inside
    folders, hidden files and unknown suffixes are skipped, and a folder that holds no
    readable file at all is reported as an error rather than silently yielding nothing.
    """
    known = tuple(suffixes)
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
        elif path.is_dir():
            found = 0
            skipped: set[str] = set()
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith(".") or name.lower().endswith(SIDECAR_SUFFIX):
                        continue  # hidden, or a sidecar read with its article
                    file = Path(root, name)
                    if name.lower().endswith(known):
                        found += 1
                        yield file
                    else:
                        skipped.add(file.suffix or name)
            if not found:
                detail = f" (skipped: {', '.join(sorted(skipped))})" if skipped else ""
                yield EmptyInput(
                    str(path),
                    f"folder holds no readable files{detail}; readable: {', '.join(known)}",
                )
        elif path.exists():
            yield InputError(str(path), "not a regular file or folder")
        else:
            yield InputError(str(path), "no such file or folder")


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing files larger than `max_bytes` without reading them."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    if size > max_bytes:
        raise InputTooLarge(
            str(path),
            f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit for one file; "
            "split it, or raise ingest.max_file_bytes in a settings file",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc


def decode_text(source: str, data: bytes, *, utf8_only: bool = False) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else a detected encoding.

    Args:
        source: named in errors.
        data: the file's bytes.
        utf8_only: formats whose specification requires UTF-8 (JSON) get no guessing.

    Raises:
        EmptyInput, UnreadableInput: naming the file and, for bad UTF-8, the first bad
            byte, instead of guessing and filling the store with mojibake.
    """
    if not data.strip():
        raise EmptyInput(source, "file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableInput(source, f"invalid UTF-16 at byte {exc.start}") from exc
    if looks_binary(data):
        raise UnreadableInput(source, "binary data, not text (an image, archive or document?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if not utf8_only:
        guessed = _detect_legacy_encoding(data)
        if guessed is not None:
            return guessed
    required = " (this format must be UTF-8)" if utf8_only else " and no other encoding fits"
    raise UnreadableInput(
        source,
        f"not valid UTF-8: first bad byte at offset {first_bad}{required}; "
        "re-save the file as UTF-8",
    )


def _detect_legacy_encoding(data: bytes) -> str | None:
    """The text in the encoding charset-normalizer finds most plausible.

    On short texts the detector cannot tell windows-1252 from its Central European
    and Baltic cousins (all decode "café" without error); legacy Western news pages
    are overwhelmingly windows-1252 (which WHATWG also uses for "latin-1"), so it wins
    whenever it reads about as cleanly as the detector's first choice.
    """
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    preferred = next(
        (m for m in matches if m.encoding == "cp1252" and m.chaos <= best.chaos + _CHAOS_SLACK),
        best,
    )
    if preferred.encoding.startswith("utf_8"):
        return None
    return str(preferred)


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control characters, in the first few kilobytes."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > _MAX_CONTROL_SHARE * len(head)

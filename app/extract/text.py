"""Bytes to clean article text: decoding, HTML to text, page furniture removal, sentence spans."""

from __future__ import annotations

from app.extract.types import RejectedFile

MAX_ARTICLE_BYTES = 5_000_000  # a news article is far smaller; bigger files are dumps, not articles
MIN_ARTICLE_CHARS = 40  # fewer letters than a headline cannot carry a dated event
MAX_CONTROL_RATIO = 0.01  # text files have almost no control characters; binaries have many


def decode_bytes(data: bytes, *, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """The file's text, or RejectedFile with a one-line reason."""
    if len(data) > max_bytes:
        raise RejectedFile(f"too large: {len(data):,} bytes (limit {max_bytes:,})")
    if not data.strip():
        raise RejectedFile("empty file")
    text = _decode(data)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if "\x00" in text or controls > MAX_CONTROL_RATIO * len(text):
        raise RejectedFile("binary data, not text")
    if sum(ch.isalpha() for ch in text) < MIN_ARTICLE_CHARS:
        raise RejectedFile(f"too little text (under {MIN_ARTICLE_CHARS} letters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise RejectedFile("binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Latin-1 decodes any byte, so only accept it when the bytes look like Western text.
    high = sum(1 for b in data if 0x80 <= b < 0xA0)
    if high:
        raise RejectedFile("not UTF-8 or Latin-1 text")
    return data.decode("latin-1")

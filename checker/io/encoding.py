"""Decode input bytes: UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"),
GBK / GB18030. ``--encoding`` overrides detection."""

from __future__ import annotations


class DecodeError(Exception):
    pass


def decode(data: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name). Raises DecodeError naming the file and the byte."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as e:
            raise DecodeError(f"{file}: cannot decode as {encoding}: {e}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", file, "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", file, "utf-16")
    sample = data[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        enc = _utf16_order(sample)
        return _strict(data, enc, file, enc)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_err:
        if b"\x00" in sample:  # GBK text holds no NUL byte; UTF-16 without a BOM does (Chinese-only text has few)
            enc = _utf16_order(sample)
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            line = data[: utf8_err.start].count(b"\n") + 1
            raise DecodeError(
                f"{file}:{line}: not UTF-8, UTF-16 or GBK/GB18030 text (byte {utf8_err.start}); "
                "give the encoding with --encoding") from None


def _utf16_order(sample: bytes) -> str:
    """UTF-16 without a BOM: ASCII (digits, commas, tabs, newlines) puts its NUL bytes
    at odd offsets in little-endian text and at even offsets in big-endian text."""
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    return "utf-16-le" if odd >= even else "utf-16-be"


def _strict(data: bytes, codec: str, file: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as e:
        raise DecodeError(f"{file}: looks like {name} but byte {e.start} is invalid: {e.reason}") from None


# ---------------------------------------------------------------------------------------------
# Files read as a stream (a million-row call log): one pass hashes the file and checks the
# encoding, a second pass decodes it line by line; neither holds the file in memory.

def sniff_bom(sample: bytes) -> tuple[str, str] | None:
    """(encoding name, codec) when a BOM or the NUL pattern of UTF-16 says it; None when
    the text is UTF-8 or GB18030."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "utf-16"
    if sample and sample.count(b"\x00") > len(sample) // 4:
        enc = _utf16_order(sample)
        return enc, enc
    return None


def scan_file(path: str, file: str, encoding: str | None = None) -> tuple[str, str, str, bytes]:
    """(sha256, encoding name, codec, first 64 KiB) of a file, in one streaming pass."""
    import codecs
    import hashlib

    h = hashlib.sha256()
    head = b""
    checker = None
    name = codec = encoding or ""
    utf8_ok = True
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 16)
            if not chunk:
                break
            h.update(chunk)
            if not head:
                head = chunk[: 1 << 16]
                if encoding:
                    try:
                        codecs.lookup(encoding)
                    except LookupError as e:
                        raise DecodeError(f"{file}: cannot decode as {encoding}: {e}") from None
                else:
                    bom = sniff_bom(head)
                    if bom:
                        name, codec = bom
                    else:
                        name = codec = "utf-8"
                        checker = codecs.getincrementaldecoder("utf-8")()
            if checker is not None and utf8_ok:
                try:
                    checker.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
        if checker is not None and utf8_ok:
            try:
                checker.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8_ok = False
    if not utf8_ok:
        name = codec = _utf16_order(head) if b"\x00" in head else "gb18030"
    return h.hexdigest(), name, codec, head

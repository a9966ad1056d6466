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
        enc = "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
        return _strict(data, enc, file, enc)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_err:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            line = data[: utf8_err.start].count(b"\n") + 1
            raise DecodeError(
                f"{file}:{line}: not UTF-8, UTF-16 or GBK/GB18030 text (byte {utf8_err.start}); "
                "give the encoding with --encoding") from None


def _strict(data: bytes, codec: str, file: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as e:
        raise DecodeError(f"{file}: looks like {name} but byte {e.start} is invalid: {e.reason}") from None

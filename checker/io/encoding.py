"""Decode input bytes: UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"),
GBK / GB18030. ``--encoding`` overrides detection."""

from __future__ import annotations


class DecodeError(Exception):
    pass


def decode(data: bytes, file: str, encoding: str | None = None,
           notes: list[str] | None = None) -> tuple[str, str]:
    """Return (text, encoding name). Raises DecodeError naming the file and the line.

    UTF-8 cut short (valid but for an incomplete character in its last 1–3 bytes: a
    download or copy stopped mid-file) is read as UTF-8 with the cut character as
    U+FFFD; ``notes`` gets a note saying so, and the row it ends is left to the row-level
    checks (rejected with its line when it no longer parses)."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError as e:
            raise DecodeError(f"{file}: cannot decode as {encoding}: {e}") from None
        except UnicodeDecodeError as e:
            if _utf8(encoding) and cut_utf8(data):
                return _cut(data, file, notes), encoding
            raise DecodeError(f"{file}:{_line_of(data, e.start, encoding)}: cannot decode as {encoding} "
                              f"(byte {e.start}: {e.reason}); give the right encoding with --encoding") from None
    if data.startswith(b"\xef\xbb\xbf"):
        if cut_utf8(data):
            return _cut(data[3:], file, notes), "utf-8-sig"
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
        if cut_utf8(data):
            return _cut(data, file, notes), "utf-8"
        if b"\x00" in sample:  # GBK text holds no NUL byte; UTF-16 without a BOM does (Chinese-only text has few)
            enc = _utf16_order(sample)
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
        mixed = _mixed(data, file, notes)
        if mixed is not None:
            return mixed
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError as gb_err:
            damaged = _damaged(data, file, notes)
            if damaged is not None:
                return damaged
            # the line named is where the file stops being what it started as: UTF-8 when it
            # held UTF-8 text before its first error, else GBK (a GBK file's first Chinese
            # character is already not UTF-8, so there UTF-8's first error says little)
            at = utf8_err.start if not data[: utf8_err.start].isascii() else gb_err.start
            line = data[:at].count(b"\n") + 1
            raise DecodeError(
                f"{file}:{line}: not UTF-8, UTF-16 or GBK/GB18030 text (byte {at}); "
                "give the encoding with --encoding") from None


# At most this many lines may hold bytes no encoding reads, with three lines of readable Chinese
# for each: a damaged byte in a bill is read around, a file in an unknown encoding (or a photo
# renamed .csv) is refused.
DAMAGED_LINES = 3


def _damaged(data: bytes, file: str, notes: list[str] | None) -> tuple[str, str] | None:
    """A UTF-8 or GBK/GB18030 file with a few lines holding bytes neither reads (a stray byte from a
    damaged download or a bad copy): those lines are read with U+FFFD for the bytes, in the file's
    encoding, and a note names them (a row that no longer parses is rejected with its line, like any
    other); None when more lines than that are unreadable."""
    lines = data.split(b"\n")
    utf8 = gbk = 0
    bad: list[int] = []
    for n, raw in enumerate(lines, 1):
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            utf8 += 1
            continue
        except UnicodeDecodeError:
            pass
        try:
            raw.decode("gb18030")
            gbk += 1
        except UnicodeDecodeError:
            bad.append(n)
    if not bad or len(bad) > DAMAGED_LINES or utf8 + gbk < 3 * len(bad):
        return None
    enc = "utf-8" if utf8 > gbk else "gb18030"
    out = []
    for raw in lines:
        try:
            out.append(raw.decode("utf-8") if utf8 and not gbk else raw.decode(enc))
        except UnicodeDecodeError:
            other = "gb18030" if enc == "utf-8" else "utf-8"
            try:
                out.append(raw.decode(other))
            except UnicodeDecodeError:
                out.append(raw.decode(enc, errors="replace"))
    if notes is not None:
        shown = ", ".join(map(str, bad))
        notes.append(f"{file}: {len(bad)} line(s) ({shown}) hold bytes that are not {enc.upper()} text (a damaged "
                     "byte?): read with \ufffd in their place; check them against the original")
    return "\n".join(out), enc


def _mixed(data: bytes, file: str, notes: list[str] | None) -> tuple[str, str] | None:
    """A file whose lines are in two encodings — a GBK line pasted into a UTF-8 batch, or
    the reverse — read line by line, each in its own encoding, with a note naming the
    lines in the minority one; None when the file is not so (no line outside ASCII is
    UTF-8, or some line is neither)."""
    lines = data.split(b"\n")
    utf8_lines, other = 0, []
    out = []
    for n, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8")
            if not raw.isascii() and not _reads_as_text(line):
                raise UnicodeDecodeError("utf-8", raw, 0, 1, "GBK bytes that happen to be valid UTF-8")
            out.append(line)
            if not raw.isascii():
                utf8_lines += 1
        except UnicodeDecodeError:
            try:
                out.append(raw.decode("gb18030"))
            except UnicodeDecodeError:
                return None
            other.append(n)
    if not utf8_lines or not other:
        return None
    if notes is not None:
        if len(other) <= utf8_lines:
            shown = ", ".join(map(str, other[:10])) + (" …" if len(other) > 10 else "")
            notes.append(f"{file}: {len(other)} line(s) ({shown}) are not UTF-8 like the rest of the file: read as "
                         "GBK/GB18030; check them, and save the file as UTF-8")
        else:
            notes.append(f"{file}: {utf8_lines} line(s) are UTF-8 in a GBK/GB18030 file: each line is read in its "
                         "own encoding; check them, and save the file in one encoding")
    return "\n".join(out), ("utf-8" if len(other) <= utf8_lines else "gb18030")


def _reads_as_text(line: str) -> bool:
    """Whether a line's non-ASCII characters are mostly what Chinese text holds (CJK,
    full-width forms, punctuation, emoji). GBK bytes can happen to be valid UTF-8 (业 为 之 位
    are two GBK bytes that form one UTF-8 character) and then read as Latin or Cyrillic
    letters: such a line is GBK, not UTF-8."""
    wide = [ch for ch in line if ord(ch) > 0x7F]
    ok = sum(1 for ch in wide if 0x2000 <= ord(ch) <= 0x2BFF or 0x2E80 <= ord(ch) <= 0x9FFF
             or 0xAC00 <= ord(ch) <= 0xD7AF or 0xF900 <= ord(ch) <= 0xFFEF or ord(ch) >= 0x1F000
             or ch in "\u00a0\u00b7\u00d7")
    return ok * 5 >= len(wide) * 4


def _utf8(encoding: str) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        return False


def cut_utf8(data: bytes) -> bool:
    """True when ``data`` is UTF-8 but for an incomplete sequence in its last 1–3 bytes."""
    import codecs

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    dec = codecs.getincrementaldecoder("utf-8")()
    try:
        dec.decode(data)  # an incomplete sequence at the end is held back, not an error
    except UnicodeDecodeError:
        return False
    pending = dec.getstate()[0]
    return 0 < len(pending) <= 3


def cut_note(file: str) -> str:
    return (f"{file}: the file ends in the middle of a character (an incomplete UTF-8 sequence in its last bytes: "
            "the file was cut short?); it is read as UTF-8 and the cut character is shown as \ufffd — check the "
            "last row")


def _cut(data: bytes, file: str, notes: list[str] | None) -> str:
    if notes is not None:
        notes.append(cut_note(file))
    return data.decode("utf-8", errors="replace")


def _line_of(data: bytes, start: int, codec: str) -> int:
    """The line byte ``start`` is on, counted in the text decoded before it."""
    return data[:start].decode(codec, errors="replace").count("\n") + 1


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
        raise DecodeError(f"{file}:{_line_of(data, e.start, codec)}: looks like {name} but byte {e.start} is "
                          f"invalid: {e.reason}; give the encoding with --encoding") from None


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


def scan_file(path: str, file: str, encoding: str | None = None) -> tuple[str, str, str, bytes, bool]:
    """(sha256, encoding name, codec, first 64 KiB, cut) of a file, in one streaming pass;
    ``cut`` is True for UTF-8 cut short in its last character (see ``decode``)."""
    import codecs
    import hashlib

    h = hashlib.sha256()
    head = b""
    checker = None
    name = codec = encoding or ""
    utf8_ok = True
    cut = False
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
                    if _utf8(encoding):
                        checker = codecs.getincrementaldecoder("utf-8")()
                else:
                    bom = sniff_bom(head)
                    if bom:
                        name, codec = bom
                    else:
                        name = codec = "utf-8"
                    if name in ("utf-8", "utf-8-sig"):
                        checker = codecs.getincrementaldecoder("utf-8")()
            if checker is not None and utf8_ok:
                try:
                    checker.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
        if checker is not None and utf8_ok:
            pending = checker.getstate()[0]
            cut = 0 < len(pending) <= 3  # valid UTF-8 but for an incomplete last character
    if not utf8_ok and not encoding and name == "utf-8":
        name = codec = _utf16_order(head) if b"\x00" in head else "gb18030"
    return h.hexdigest(), name, codec, head, cut


def line_of_error(path: str, codec: str) -> int | None:
    """The line of the first byte of a file ``codec`` cannot decode (None if none is)."""
    import codecs

    dec = codecs.getincrementaldecoder(codec)()
    line = 1
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 16)
            if not chunk:
                break
            try:
                line += dec.decode(chunk).count("\n")
            except UnicodeDecodeError as e:
                return line + chunk[:max(e.start, 0)].decode(codec, errors="replace").count("\n")
    return None

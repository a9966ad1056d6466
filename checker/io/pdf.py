"""PDF bills and chat exports: the text layer, laid out as on the page.

A 通话详单 PDF from a carrier's app or online hall, or a chat export printed to PDF,
holds its text as positioned runs. pypdf (imported only when a PDF is read) lays each
page out as plain text in its layout mode: one text line per printed line, a table's
columns kept apart by runs of spaces. That text then goes to the readers collcheck has
for text: a bill's table to the space-aligned table reader (checker.io.table's SPACES
delimiter: two or more spaces between cells), a chat or transcript to the pasted-text
and WeChat-text readers, exactly as if the user had copied the PDF's text into a file.

**Line numbers** (``line`` of an event or a rejected row) count the lines of that
extracted text, pages joined in order; a note says on which line each page starts, and
a rejected row's reason names its page and the line on that page (``page 2, line 14``).

pdfminer.six was tried first: it reads no text at all from the PDFs fpdf2 writes with
a CID-keyed OpenType font (it does not follow an embedded /Encoding CMap), and its
default layout groups a table by columns, not rows. pypdf's layout mode gives rows.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import replace

from checker.io.common import InputError, Item
from checker.model import RejectedRow


def pdf_text(data: bytes, name: str) -> tuple[str, list[int], list[str]]:
    """The text of every page, the line each page starts on (1-based) and the defects
    the PDF reader read past (a missing end-of-file marker: a file cut short?).
    Raises InputError for a PDF that cannot be opened, is locked with a password,
    has no text layer (a scan), or whose text cannot be decoded."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - a dependency
        raise InputError(f"{name}: reading a PDF needs pypdf (pip install pypdf)") from None
    defects = _Defects()
    log = logging.getLogger("pypdf")
    log.addHandler(defects)
    propagate, log.propagate = log.propagate, False  # pypdf's warnings become a note, not stderr noise
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypt(reader):
            raise InputError(f"{name}: a password-protected PDF; open it with its password and print or save it as "
                             "a PDF without one (or download the bill as CSV / XLSX), then scan that")
        pages = [_page_lines(page) for page in reader.pages]
    except InputError:
        raise
    except Exception as e:  # pypdf raises many kinds on a damaged file
        raise InputError(f"{name}: a PDF that cannot be read (damaged or cut short? {type(e).__name__}: {e}); "
                         "download it again, or copy its text into a .txt file and scan that") from None
    finally:
        log.removeHandler(defects)
        log.propagate = propagate
    if not pages:
        raise InputError(f"{name}: a PDF with no pages (damaged or cut short?); download it again")
    lines: list[str] = []
    starts: list[int] = []
    for page in pages:
        starts.append(len(lines) + 1)
        lines.extend(page)
    text_lines = [ln for ln in lines if ln.strip()]
    if not text_lines:
        raise InputError(f"{name}: a scanned PDF with no text: its {len(pages)} page(s) are images, with no text "
                         "layer to read. Download the bill as CSV, XLSX or a PDF made by the carrier's site (not a "
                         "scan or photo), or type or paste its text into a .txt file")
    if sum(_garbled(ln) for ln in text_lines) > len(text_lines) / 2:
        raise InputError(f"{name}: the PDF's text cannot be decoded cleanly (its characters come out one by one, "
                         "with spaces between them: the PDF's font encoding is not one the text extraction follows); "
                         "download the bill as CSV or XLSX, or copy its text into a .txt file and scan that")
    return "\n".join(lines) + "\n", starts, defects.seen


class _Defects(logging.Handler):
    """Collects what pypdf warns of while it reads one file."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage().strip()
        if msg and msg not in self.seen:
            self.seen.append(msg)


def _garbled(line: str) -> bool:
    """A line whose characters come out one by one, between NULs or spaces ('\\x002\\x000',
    '2 0 2 4 - 0 3'): a font whose two-byte codes the extraction reads byte by byte."""
    if sum(ch < " " and ch != "\t" for ch in line) >= 3:
        return True
    words = [w for w in line.split(" ") if w]
    return len(words) >= 5 and sum(len(w) == 1 for w in words) >= 0.8 * len(words)


def _decrypt(reader) -> bool:
    """Many bills are encrypted only against editing: they open with an empty password."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # a cipher pypdf cannot use without the cryptography package, or a bad key
        return False


# Radical code points some PDF fonts map common characters to (a bill's 通信⽅式 has KANGXI
# RADICAL SQUARE, not 方): read as the characters they print as, so headers match.
_RADICALS = {"\u2f3e": "户", "\u2ec5": "见", "\u2ec6": "角", "\u2ec9": "贝", "\u2ecb": "车", "\u2ed3": "长",
             "\u2ed4": "门", "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞", "\u2ede": "饣", "\u2ee2": "马",
             "\u2ee5": "鱼", "\u2ee9": "黄", "\u2eec": "齐", "\u2eee": "齿", "\u2ef0": "龙", "\u2ef3": "龟",
             "\u2ec4": "西", "\u2ed8": "青", "\u2ed9": "韦"}


def _unradical(text: str) -> str:
    """Kangxi radicals (U+2F00–U+2FD5) as the ideographs they stand for (NFKC), and the
    simplified radicals of _RADICALS."""
    import unicodedata

    if not any("\u2e80" <= ch <= "\u2fdf" for ch in text):
        return text
    return "".join(_RADICALS.get(ch) or (unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch)
                   for ch in text)


def _page_lines(page) -> list[str]:
    """A page's lines as laid out on it, without the blank lines that mirror vertical
    gaps (so each text line is one line) and with trailing spaces trimmed; radical code
    points read as the characters they print as (_unradical)."""
    text = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=False) or ""
    return [_unradical(ln.rstrip()) for ln in text.splitlines()]


def page_note(name: str, starts: list[int]) -> str:
    pages = len(starts)
    if pages == 1:
        where = "one page"
    else:
        shown = ", ".join(f"page {i} starts at line {s}" for i, s in enumerate(starts[1:6], 2))
        where = f"{pages} pages joined in order; {shown}{', …' if pages > 6 else ''}"
    return (f"{name}: read from the PDF's text layer ({where}); a line number is a line of the extracted text, and "
            "a rejected row's reason names its page and the line on that page")


def on_pages(items: Iterator[Item], starts: list[int]) -> Iterator[Item]:
    """The reader's items, a rejected row's reason starting with its page and line on the page."""
    import bisect

    for it in items:
        if isinstance(it, RejectedRow) and it.line:
            page = bisect.bisect_right(starts, it.line)
            it = replace(it, reason=f"page {page}, line {it.line - starts[page - 1] + 1}: {it.reason}")
        yield it

"""Word .docx files: the text of their paragraphs, read as a text file.

People paste a chat or a call's transcript into Word. A .docx is a ZIP archive whose
``word/document.xml`` holds the text: each ``<w:p>`` paragraph becomes one line, the
text of its ``<w:t>`` runs joined (``<w:tab/>`` a tab, ``<w:br/>`` / ``<w:cr/>`` a line
break); a table's row (``<w:tr>``) is one line, its cells joined by tabs, so a call log pasted into
Word as a table reads as the table it is. That text then goes to the readers collcheck has for text (chats, transcripts,
bills) exactly as if it had been copied into a .txt file; line numbers are lines of it.
No new dependency: zipfile and expat from the standard library. A DOCTYPE or entity
declaration (which Word never writes) is refused, as in checker.io.xmlbackup.

An old binary Word file (.doc) is refused with a message saying how to save it.
"""

from __future__ import annotations

import io
import zipfile
from xml.parsers import expat

from checker.io.common import InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_XML = 64 << 20  # document.xml larger than this uncompressed: not a pasted chat (or a ZIP bomb)


def is_docx(names: list[str]) -> bool:
    return "word/document.xml" in names


def doc_error(name: str) -> InputError:
    return InputError(f"{name}: an old Word document (.doc), which collcheck cannot read; open it in Word or WPS and "
                      "save it as .docx (Word 文档), or copy its text into a .txt file, then scan that")


def is_word_ole(data: bytes) -> bool:
    """An OLE2 compound file holding a WordDocument stream (an old .doc)."""
    return "WordDocument".encode("utf-16-le") in data[:1 << 20] or "WordDocument".encode("utf-16-le") in data


def docx_text(data: bytes, name: str) -> str:
    """The paragraphs of a .docx's main document, one per line."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        info = z.getinfo("word/document.xml")
        if info.file_size > MAX_XML:
            raise InputError(f"{name}: a Word document too large to read ({info.file_size >> 20} MB of text markup); "
                             "copy the chat's text into a .txt file and scan that")
        xml = z.read(info)
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError) as e:
        raise InputError(f"{name}: a damaged Word (.docx) file ({type(e).__name__}); open it in Word or WPS and save "
                         "it again, or copy its text into a .txt file") from None
    lines: list[str] = []
    cur: list[str] = []
    in_t = [False]
    depth = [0]  # nesting of <w:p> (a text box's paragraphs inside a paragraph)
    tables = [0]  # nesting of <w:tbl>: a table pasted into the document
    row: list[str] = []  # the outermost table's current row: its cells' texts so far
    cell: list[str] = []  # the paragraphs of the outermost table's current cell

    def start(tag: str, _attrs: dict) -> None:
        if tag == f"{W} tbl":
            tables[0] += 1
        elif tables[0] == 1 and tag == f"{W} tr":
            row.clear()
        elif tables[0] == 1 and tag == f"{W} tc":
            cell.clear()
        elif tag == f"{W} p":
            if depth[0] and cur:  # a paragraph inside another: the outer text so far is its own line
                lines.append("".join(cur))
                cur.clear()
            depth[0] += 1
        elif tag == f"{W} t":
            in_t[0] = True
        elif tag == f"{W} tab":
            cur.append("\t")
        elif tag in (f"{W} br", f"{W} cr"):
            (cell if tables[0] else lines).append("".join(cur))
            cur.clear()

    def end(tag: str) -> None:
        if tag == f"{W} tbl":
            tables[0] -= 1
        elif tables[0] == 1 and tag == f"{W} tc":
            row.append(" ".join(t for t in cell if t.strip()).replace("\t", " ").strip())
        elif tables[0] == 1 and tag == f"{W} tr":
            # a table row is one line, its cells joined by tabs: a call log or bill pasted into Word
            # is then read as the table it is (a TSV), never as one line per cell
            lines.append("\t".join(row))
        elif tag == f"{W} p":
            depth[0] -= 1
            (cell if tables[0] else lines).append("".join(cur))
            cur.clear()
        elif tag == f"{W} t":
            in_t[0] = False

    def chars(s: str) -> None:
        if in_t[0]:
            cur.append(s)

    def refuse(*_a) -> None:
        raise InputError(f"{name}: a Word document with a DOCTYPE or entity declaration, which Word never writes; "
                         "copy its text into a .txt file and scan that")

    p = expat.ParserCreate(namespace_separator=" ")
    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, chars
    p.StartDoctypeDeclHandler = p.EntityDeclHandler = refuse
    try:
        p.Parse(xml, True)
    except expat.ExpatError as e:
        raise InputError(f"{name}: a damaged Word (.docx) file (its text is not well-formed XML: {e}); open it in Word "
                         "or WPS and save it again, or copy its text into a .txt file") from None
    if cur:
        lines.append("".join(cur))
    text = "\n".join(ln.rstrip() for ln in lines).strip("\n")
    if not text.strip():
        raise InputError(f"{name}: a Word document with no text (a picture or a scan?); type or paste the chat's text "
                         "into it or into a .txt file, then scan that")
    return text + "\n"

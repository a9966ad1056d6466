"""HTML tables saved as ``.xls``: what the carriers' "导出 Excel" buttons (and many
phone-backup tools) actually download is an HTML page holding one ``<table>``, often
GBK with a ``charset=gb2312`` meta tag. Excel opens it; it is not a workbook.

Each ``<tr>`` is a row of its ``<td>`` / ``<th>`` cell texts; the header is found by
name among the first rows exactly as for CSV (preamble rows before it, such as a
``colspan`` title or 查询周期, are not data rows and may give the year). A **data
row** is a ``<tr>`` after the header with a non-blank cell; its line is the line the
``<tr>`` starts on. Rows then go through the same call-log / message row readers as
CSV, so totals, repeated headers and unreadable rows are handled the same way.

A page with no table may be a chat (MemoTrace's "导出 HTML" and pages like it): it is read by
checker.io.htmlchat as format ``wechat-html``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from checker.io.common import InputError, Item, ReadContext
from checker.io.table import (
    HEADER_SCAN,
    ORDER_SCAN,
    layout_from_columns,
    owner_hint,
    resolve_header,
    table_items,
    unknown_header_error,
)
from checker.io.times import export_day, year_hint

_HTML = re.compile(r"<(?:!doctype\s+html|html|table|tr)\b", re.IGNORECASE)


def looks_like_html(head: str) -> bool:
    """An HTML page or a bare table (not an XML backup)."""
    s = head.lstrip("\ufeff \t\r\n")
    return (s.startswith("<") and bool(_HTML.search(s[:4096]))
            and not re.search(r"<(?:smses|calls|(?:ss:)?workbook)\b", s[:4096], re.IGNORECASE))


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[int, list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self._end_row()
            self._row, self._line = [], self.getpos()[0]
        elif tag in ("td", "th"):
            if self._row is None:  # a cell outside any <tr>
                self._row, self._line = [], self.getpos()[0]
            self._end_cell()
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "table"):
            self._end_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            text = "".join(self._cell)
            self._row.append("\n".join(re.sub(r"[ \t\r\f\v\xa0]+", " ", p).strip() for p in text.split("\n")).strip())
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is not None:
            self.rows.append((self._line, self._row))
        self._row = None

    def close(self) -> None:
        super().close()
        self._end_row()


def read_html_table(text: str, ctx: ReadContext, kind: str | None) -> tuple[str, Iterator[Item]]:
    p = _Rows()
    p.feed(text)
    p.close()
    rows = p.rows
    if not rows:
        from checker.io.htmlchat import read_html_chat

        chat = read_html_chat(text, ctx)
        if chat is not None:  # a chat page (MemoTrace's HTML export and pages like it)
            return "wechat-html", chat
        raise InputError(f"{ctx.file}: an HTML page with no table and no chat messages; collcheck reads call logs "
                         "and messages as CSV, TSV, XLSX, XML, text, or a WeChat chat page exported as HTML. Save "
                         "the page's table as CSV or XLSX, or copy the chat's text into a .txt file")
    lay = None
    head = rows[:HEADER_SCAN]
    for i, (_line, cells) in enumerate(head):
        if len([c for c in cells if c.strip()]) < 2:
            continue
        lay = layout_from_columns(ctx.columns, cells, kind) if ctx.columns else resolve_header(cells, kind)
        if lay is not None:
            lay.header_line = head[i][0]
            lay.year = year_hint(" ".join(" ".join(c) for _ln, c in head[:i]))
            lay.anchor = export_day(" ".join(" ".join(c) for _ln, c in head[:i]))
            lay.owner = owner_hint("\n".join(" ".join(c) for _ln, c in head[:i]))
            start = i + 1
            break
    if lay is None:
        err = unknown_header_error(ctx.file, [c for _ln, c in head], "row")
        raise InputError(f"{err} (the file is an HTML table, e.g. a bill saved as .xls)")
    lay.learn_date_order((c for _ln, c in rows[start:start + ORDER_SCAN]), ctx.date_order)
    lay.learn_call_type((c for _ln, c in rows[start:start + HEADER_SCAN]), ctx)
    if start > 1:
        ctx.notes.append(f"{ctx.file}: {start - 1} table row(s) before the header on line {lay.header_line} are a "
                         "preamble, not data rows")
    return lay.kind, table_items(((ln, cells, ln) for ln, cells in rows[start:]), lay, ctx)

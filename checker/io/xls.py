"""Old binary Excel workbooks (.xls: BIFF8 in an OLE2 compound file), as 中国移动 /
联通 / 电信 online halls and phone-backup tools download them.

xlrd (imported only when such a file is read) gives each cell's value; every cell is
turned into the text a CSV export of it would hold, and the sheets go through the same
table reader as an XLSX workbook (checker.io.table.read_sheets): the same header
detection, preamble, call-log / message / WeChat tables and rejected rows, which name
the sheet and the row as Excel numbers it.

* a date cell (an Excel serial number with a date format) becomes its date and time in
  the workbook's date system (1900 or 1904), rounded to the second; a date with no time
  of day is a date, a time with no date (a serial below 1) is a time;
* a number is its digits: 13800138000.0 is ``13800138000``, 83.0 seconds ``83``;
* a number formatted as scientific (``0.00E+00``) is the text Excel shows, so a phone
  number shown as ``8.62E+12`` is rejected like the same text in a CSV: its digits are
  what the user sees, not what the bill said;
* a cell merged down over several rows (a bill converted from PDF writes each day's date
  once) is read on every row it covers, as in an XLSX workbook;
* an encrypted or damaged workbook is an InputError naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from checker.io.common import InputError, Item, ReadContext
from checker.io.table import _cell_text, fill_merged, read_sheets


def read_xls(data: bytes, ctx: ReadContext, kind: str | None) -> tuple[str, Iterator[Item]]:
    try:
        import xlrd
    except ImportError:  # pragma: no cover - a dependency
        raise InputError(f"{ctx.file}: reading an old Excel .xls file needs xlrd (pip install xlrd)") from None
    book = _open(xlrd, data, ctx.file)
    sheets = [(sh.name, _rows(xlrd, book, sh)) for sh in book.sheets()]
    return read_sheets(sheets, ctx, kind)


def _open(xlrd, data: bytes, name: str):
    errors: list[str] = []
    # formatting_info tells a number shown as 8.62E+12 from one shown with all its digits;
    # a workbook whose formatting records xlrd cannot follow is read again without them
    for formatting in (True, False):
        try:
            return xlrd.open_workbook(file_contents=data, formatting_info=formatting, logfile=_Quiet())
        except Exception as e:  # xlrd raises many kinds (XLRDError, CompDocError, struct.error …)
            if "encrypted" in str(e).lower():
                raise InputError(f"{name}: a password-protected (encrypted) .xls workbook; open it in Excel or WPS "
                                 "with its password, save it as .xlsx or CSV (UTF-8) and scan that") from None
            if "find workbook" in str(e).lower():
                raise InputError(f"{name}: an Office file that is not an Excel workbook (a Word .doc or a PowerPoint "
                                 "file?); give the call log or message export itself") from None
            errors.append(f"{type(e).__name__}: {e}")
    raise InputError(f"{name}: an old Excel .xls file that cannot be read (damaged or cut short? {errors[-1]}); "
                     "open it in Excel or WPS and save it as .xlsx or CSV (UTF-8), then scan that") from None


class _Quiet:
    """xlrd writes warnings about odd records to a log file; they are not the user's concern."""

    def write(self, _s: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def _rows(xlrd, book, sheet) -> Iterator[list[str]]:
    scientific = _scientific_formats(book)
    rows = ([_cell(xlrd, book, c, scientific) for c in sheet.row(r)] for r in range(sheet.nrows))
    return fill_merged(rows, merged_down(sheet))


def merged_down(sheet) -> dict[int, list[tuple[int, int]]]:
    """The sheet's cells merged down over several rows (a bill converted from PDF writes each
    day's date once, merged over that day's calls), as {first row: [(column, last row)]} with
    rows numbered from 1, as for an XLSX sheet (checker.io.table.fill_merged). xlrd reports
    merged ranges only for a workbook opened with formatting_info (read_xls tries that first);
    a range merged across columns only (a title) is not filled."""
    starts: dict[int, list[tuple[int, int]]] = {}
    for rlo, rhi, clo, _chi in getattr(sheet, "merged_cells", None) or ():
        if rhi - rlo > 1:  # xlrd's ranges are half-open: rows rlo .. rhi - 1
            starts.setdefault(rlo + 1, []).append((clo, rhi))
    return starts


def _scientific_formats(book) -> dict[int, int]:
    """{XF index: decimal places} for the number formats that show a number in
    scientific notation (``0.00E+00`` -> 2)."""
    if not getattr(book, "formatting_info", False) or not book.xf_list:
        return {}
    places = {}
    for key, fmt in book.format_map.items():
        m = re.search(r"0(?:\.(0*))?E\+", fmt.format_str or "", re.IGNORECASE)
        if m:
            places[key] = len(m.group(1) or "")
    return {i: places[xf.format_key] for i, xf in enumerate(book.xf_list) if xf.format_key in places}


def _cell(xlrd, book, cell, scientific: dict[int, int]) -> str:
    t, v = cell.ctype, cell.value
    if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if t == xlrd.XL_CELL_TEXT:
        return v
    if t == xlrd.XL_CELL_DATE:
        return _cell_text(_date(xlrd, v, book.datemode))
    if t == xlrd.XL_CELL_NUMBER:
        places = scientific.get(cell.xf_index)
        if places is not None:
            return f"{v:.{places}E}"
        return _cell_text(v)
    if t == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if v else "FALSE"
    if t == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(v, "#ERROR")
    return str(v)


def _date(xlrd, serial: float, datemode: int) -> datetime | time | float:
    """An Excel serial date as a datetime (a time for a serial below 1), rounded to the
    second; the number itself when it is no date (negative: the row is then rejected)."""
    if 0 <= serial < 1:
        secs = round(serial * 86400) % 86400
        return time(secs // 3600, secs // 60 % 60, secs % 60)
    try:
        dt = xlrd.xldate_as_datetime(serial, datemode)
    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
        return serial
    return (dt + timedelta(microseconds=500_000)).replace(microsecond=0)

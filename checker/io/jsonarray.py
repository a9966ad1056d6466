"""A JSON array of records, as export apps and scripts write them (``[{…}, {…}]``).

Two kinds, told apart by the records' keys:

* records in the batch contract (they carry ``channel``) are read exactly like JSONL lines;
* anything else is a table: the keys are its header, each object a row. A call-log or SMS
  app's export (``number`` / ``date`` in epoch milliseconds / ``duration`` / ``type``, or the
  Chinese column names) is then read by the same table reader as a CSV with those columns, and
  an unknown set of keys is the same "header not known, use --columns" error.

Each record's source line is the line its ``{`` is on, so findings and rejected rows point
into the file. A value that is an object or list is kept as JSON text; null is an empty cell.
An element that is not an object is a rejected row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from checker.io.common import InputError, Item, ReadContext
from checker.model import Source

_WS = " \t\r\n"


def _elements(text: str, file: str) -> Iterator[tuple[int, object]]:
    """(line, value) of each element of the top-level array, in order."""
    dec = json.JSONDecoder()
    i = 0
    n = len(text)
    line = 1

    def skip(i: int) -> int:
        while i < n and text[i] in _WS:
            i += 1
        return i

    def where(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    i = skip(text.find("[") + 1)
    last = 0
    if i < n and text[i] == "]":
        return
    while True:
        line += text.count("\n", last, i)
        last = i
        try:
            value, end = dec.raw_decode(text, i)
        except json.JSONDecodeError as e:
            raise InputError(f"{file}:{where(e.pos)}: not valid JSON ({e.msg}); expected a JSON array of "
                             "records") from None
        yield line, value
        i = skip(end)
        if i < n and text[i] == ",":
            i = skip(i + 1)
            continue
        if i < n and text[i] == "]":
            if skip(i + 1) < n:
                raise InputError(f"{file}:{where(skip(i + 1))}: text after the end of the JSON array")
            return
        raise InputError(f"{file}:{where(i)}: expected ',' or ']' in the JSON array"
                         + (" (the file ends early: cut short?)" if i >= n else ""))


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def read_json_array(text: str, ctx: ReadContext, kind: str | None = None) -> tuple[str, Iterator[Item]]:
    """(format read as, items) of a JSON array: ``jsonl`` for batch-contract records, else
    the table kind its keys make (calllog / messages / wechat-csv)."""
    elements = list(_elements(text.lstrip("\ufeff"), ctx.file))
    objects = [v for _line, v in elements if isinstance(v, dict)]
    if not elements:
        return "jsonl", iter(())
    if objects and sum("channel" in o for o in objects) * 2 >= len(objects):
        return "jsonl", _contract_items(elements, ctx)
    return _table(elements, objects, ctx, kind)


def _contract_items(elements: list[tuple[int, object]], ctx: ReadContext) -> Iterator[Item]:
    from checker.io.jsonl import RowError, record_to_event

    for k, (line, value) in enumerate(elements, 1):
        if not isinstance(value, dict):
            yield ctx.reject(line, f"element {k} is {type(value).__name__}, not a record object",
                             _cell(value)[:200])
            continue
        try:
            yield record_to_event(value, Source(ctx.file, line, ctx.sha256), ctx.tz, f"{ctx.file}:{line}")
        except RowError as e:
            yield ctx.reject(line, str(e), json.dumps(value, ensure_ascii=False)[:200])


def _table(elements: list[tuple[int, object]], objects: list[dict], ctx: ReadContext,
           kind: str | None) -> tuple[str, Iterator[Item]]:
    from checker.io.table import (
        COLUMN_KEYS,
        ORDER_SCAN,
        _columns_example,
        layout_from_columns,
        resolve_header,
        table_items,
    )

    header: list[str] = []
    seen: set[str] = set()
    for o in objects:
        for k in o:
            if k not in seen:
                seen.add(k)
                header.append(str(k))
    lay = layout_from_columns(ctx.columns, header, kind) if ctx.columns else resolve_header(header, kind)
    if lay is None:
        shown = ", ".join(repr(h) for h in header) or "none"
        raise InputError(f"{ctx.file}: a JSON array whose records' keys collcheck does not know ({shown}) and no "
                         f"'channel' key of the batch contract. Name them with --columns, e.g. --columns "
                         f"{_columns_example(header)} (fields: {', '.join(COLUMN_KEYS)})")
    lay.header_line = 0
    rows = [[_cell(o.get(k)) for k in header] for o in objects]
    lay.learn_date_order(rows[:ORDER_SCAN], ctx.date_order)
    lay.learn_call_type(rows[:500], ctx)

    def run(batch: list[tuple[int, dict]]) -> Iterator[Item]:
        if batch:
            yield from table_items(((line, [_cell(o.get(h)) for h in header], line) for line, o in batch), lay, ctx)

    def items() -> Iterator[Item]:
        batch: list[tuple[int, dict]] = []
        for k, (line, value) in enumerate(elements, 1):
            if isinstance(value, dict):
                batch.append((line, value))
                continue
            yield from run(batch)
            batch = []
            if isinstance(value, str) and value.startswith("\x00"):  # checker.io.ndjson_as_array's broken line
                yield ctx.reject(line, "not valid JSON (a line cut short or damaged); expected one JSON object per "
                                       "line", value[1:201])
                continue
            yield ctx.reject(line, f"element {k} is {type(value).__name__}, not a record object",
                             _cell(value)[:200])
        yield from run(batch)

    return lay.kind, items()

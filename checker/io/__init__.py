"""Readers: one per input format, chosen by sniffing the content (``--input-format``
overrides). Every row becomes an event, a rejected row or a filtered row, and the
per-file summary says how many of each, so nothing is lost silently."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import tzinfo

from checker.io.encoding import DecodeError, decode
from checker.io.jsonl import read_jsonl
from checker.io.pasted import read_pasted
from checker.model import Event, InputSummary, RejectedRow

FORMATS = ("jsonl", "transcript")


class InputError(Exception):
    """An input that cannot be read at all (exit 2, message names the file)."""


@dataclass
class ReadResult:
    events: list[Event]
    rejected: list[RejectedRow]
    summary: InputSummary
    notes: list[str] = field(default_factory=list)


def sniff(name: str, text: str) -> str:
    low = name.lower()
    if low.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    for line in text.splitlines():
        if line.strip():
            return "jsonl" if line.lstrip().startswith("{") else "transcript"
    return "transcript"


def read_input(name: str, data: bytes, tz: tzinfo, *, encoding: str | None = None,
               input_format: str | None = None, collector_speakers: tuple[str, ...] = ()) -> ReadResult:
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(f"{name}: the file is empty; expected a JSONL batch or a pasted transcript")
    try:
        text, enc = decode(data, name, encoding)
    except DecodeError as e:
        raise InputError(str(e)) from None
    text = text.lstrip("\ufeff")
    fmt = input_format or sniff(name, text)
    notes: list[str] = []
    lines = text.splitlines()
    rows = sum(1 for line in lines if line.strip())
    if fmt == "jsonl":
        unknown: set[str] = set()
        items = list(read_jsonl(iter(lines), name, sha, tz, unknown))
        if unknown:
            notes.append(f"{name}: ignored unknown field(s): {', '.join(sorted(unknown))}")
    elif fmt == "transcript":
        items = read_pasted(lines, name, sha, tz, collector_speakers, notes=notes)
    else:
        raise InputError(f"{name}: unknown input format {fmt!r}; expected one of {', '.join(FORMATS)}")
    events = [i for i in items if isinstance(i, Event)]
    rejected = [i for i in items if isinstance(i, RejectedRow)]
    summary = InputSummary(file=name, sha256=sha, format=fmt, encoding=enc, rows=rows, events=len(events),
                           filtered=rows - len(events) - len(rejected), rejected=tuple(rejected), notes=tuple(notes))
    return ReadResult(events, rejected, summary, notes)

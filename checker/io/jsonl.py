"""The batch contract reader: JSONL, one record per line.

A line that cannot be read becomes a RejectedRow (file, line, reason) — reported and
counted, never dropped. Blank lines are not rows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from typing import Any

from checker.model import CHANNELS, SPEAKERS, STATUSES, CallEvent, Event, MessageEvent, RejectedRow, Source, Utterance

KNOWN_FIELDS = {"id", "time", "channel", "direction", "from", "to", "speaker", "text", "duration_s",
                "status", "agent", "case", "labels", "note", "relation"}


# Put in the ``unknown`` set of read_numbered when some record has no id (not a field name).
NO_ID = "\x00no id"


class RowError(ValueError):
    pass


def parse_time(value: Any, tz: tzinfo) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # epoch seconds, or milliseconds when implausibly large
        secs = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(secs, tz)
    if not isinstance(value, str):
        raise RowError(f"time must be an ISO 8601 string, got {type(value).__name__}")
    try:
        t = datetime.fromisoformat(value.strip().replace(" ", "T", 1) if "T" not in value else value.strip())
    except ValueError as e:
        if "out of range" in str(e) or "must be in" in str(e):  # 2026-11-31, 25:00: written right, no such time
            raise RowError(f"time {value!r} is no real date and time ({e})") from None
        raise RowError(f"time {value!r} is not ISO 8601 (e.g. 2025-03-14T21:37:00+08:00)") from None
    return t if t.tzinfo else t.replace(tzinfo=tz)


def record_to_event(obj: dict[str, Any], source: Source, tz: tzinfo, default_id: str) -> Event:
    channel = obj.get("channel")
    if channel not in CHANNELS:
        raise RowError(f"channel is {channel!r}; expected one of {', '.join(CHANNELS)}")
    speaker = obj.get("speaker") or "unknown"
    if speaker not in SPEAKERS:
        raise RowError(f"speaker is {speaker!r}; expected one of {', '.join(SPEAKERS)}")
    direction = obj.get("direction")
    if direction not in (None, "in", "out"):
        raise RowError(f"direction is {direction!r}; expected in or out")
    text = obj.get("text")
    if text is not None and not isinstance(text, str):
        raise RowError("text must be a string")
    rid = obj.get("id")
    if rid is None or rid == "":
        rid = default_id
    labels = obj.get("labels")
    if labels is not None and (not isinstance(labels, list) or not all(isinstance(x, str) for x in labels)):
        raise RowError("labels must be a list of category ids")
    common = dict(
        id=str(rid), channel=channel, source=source, time=parse_time(obj.get("time"), tz),
        direction=direction, from_=_opt_str(obj.get("from")), to=_opt_str(obj.get("to")), speaker=speaker,
        text=text, agent=_opt_str(obj.get("agent")), case=_opt_str(obj.get("case")),
        labels=tuple(labels) if labels is not None else None,
        relation=_opt_str(obj.get("relation")),
    )
    if channel == "call":
        status = obj.get("status")
        if status not in (None, *STATUSES):
            raise RowError(f"status is {status!r}; expected one of {', '.join(STATUSES)}")
        dur = obj.get("duration_s")
        if dur is not None and (isinstance(dur, bool) or not isinstance(dur, (int, float)) or dur < 0):
            raise RowError(f"duration_s must be a non-negative number, got {dur!r}")
        return CallEvent(**common, duration_s=dur, status=status)
    if channel == "transcript":
        return Utterance(**common)
    return MessageEvent(**common)


def _opt_str(v: Any) -> str | None:
    return None if v is None else str(v)


def read_jsonl(lines: Iterator[str], file: str, sha256: str | None, tz: tzinfo,
               unknown: set[str] | None = None, first_line: int = 1) -> Iterator[Event | RejectedRow]:
    return read_numbered(enumerate(lines, first_line), file, sha256, tz, unknown)


def misplaced_words(obj: dict[str, Any]) -> str | None:
    """The unknown field holding a text record's words when it has no ``text`` (a QA export's
    ``content`` / ``message`` / ``asr_text``): such a record cannot be judged, so it is rejected
    with its line — not read as a record with nothing to judge, which only a note had said."""
    if obj.get("channel") not in ("sms", "wechat", "transcript") or obj.get("text"):
        return None
    for k, v in obj.items():
        # only a field named for words (an engine's or a tool's metadata — asr_engine: "xunfei", an
        # agent's name — is no message): content, message, msg, body, asr_text, sentence, 内容, 文本 …
        if (k not in KNOWN_FIELDS and isinstance(v, str) and len(v.strip()) >= 2 and not v.strip().isdigit()
                and _WORDS_FIELD.search(k)):
            return k
    return None


_WORDS_FIELD = re.compile(r"content|message|msg|body|sentence|utterance|transcri|words|said|speech|asr_?res|"
                          r"(?<![a-z])txt|text|内容|文本|消息|短信|话术|转写|识别", re.IGNORECASE)


def read_numbered(lines: Iterable[tuple[int, str]], file: str, sha256: str | None, tz: tzinfo,
                  unknown: set[str] | None = None) -> Iterator[Event | RejectedRow]:
    """Records of (line number, line) pairs — the lines a batch scan reads in full."""
    for lineno, line in lines:
        if not line.strip():
            continue
        src = Source(file, lineno, sha256)
        try:
            obj = json.loads(line)
        except ValueError as e:
            msg = e.msg.removesuffix(" at")  # ("Unterminated string starting at" + " at column 109")
            yield RejectedRow(file, lineno, f"not valid JSON ({msg} at column {e.colno})", line.rstrip("\n"))
            continue
        if not isinstance(obj, dict):
            yield RejectedRow(file, lineno, f"expected a JSON object, got {type(obj).__name__}", line.rstrip("\n"))
            continue
        if unknown is not None:
            unknown.update(k for k in obj if k not in KNOWN_FIELDS)
            if obj.get("id") in (None, ""):
                unknown.add(NO_ID)  # counted for a note: the record is named FILE:LINE
        words = misplaced_words(obj)
        if words is not None:
            yield RejectedRow(file, lineno, f"a {obj.get('channel')} record with no \"text\": its field \"{words}\" "
                              "holds the words (the batch contract reads them from \"text\"); not judged",
                              line.rstrip("\n"))
            continue
        try:
            yield record_to_event(obj, src, tz, f"{file}:{lineno}")
        except RowError as e:
            yield RejectedRow(file, lineno, str(e), line.rstrip("\n"))

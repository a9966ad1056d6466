"""WeChat chat history copied as text: blocks of a ``昵称 2024-03-05 21:13:02`` line
followed by the message lines.

A **data row** is one block: the nickname-and-time line and the lines after it up to
the next such line; it becomes one MessageEvent (channel ``wechat``) whose text is the
block's lines. A block with no message lines is rejected. Date divider lines
(``—— 2024-03-05 ——``) and a ``…的聊天记录`` title are not data rows; any other line
before the first nickname line is rejected, as it has no sender or time.

Nicknames are people's chosen names and say nothing about roles: ``我`` (and the other
labels that name the debtor) is the debtor; every other nickname is ``unknown`` unless
``--collector-speaker 张经理`` names the collector, and then the rest are the debtor's side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.io.common import Item, ReadContext, SpeakerLabels, make_message
from checker.io.times import TimeParser

HEADER = re.compile(r"^(?P<nick>\S.{0,40}?)\s+"
                    r"(?P<ts>\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?\s+\d{1,2}:\d{2}(?::\d{2})?)\s*$")
_DIVIDER = re.compile(r"^[\s—\-=─_~·]*\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?"
                      r"(?:\s*(?:星期|周)[一二三四五六日天])?[\s—\-=─_~·]*$")
_TITLE = re.compile(r"聊天记录|chat history", re.IGNORECASE)


def looks_like_wechat(lines: list[str]) -> bool:
    nonblank = [ln.strip() for ln in lines if ln.strip()][:6]
    return any(HEADER.match(ln) for ln in nonblank[:3]) and sum(bool(HEADER.match(ln)) for ln in nonblank) >= 1


def read_wechat_text(text: str, ctx: ReadContext) -> Iterator[Item]:
    parse_time = TimeParser(ctx.tz).parse
    speakers = SpeakerLabels(ctx.collector_speakers)
    block: tuple[int, str, str, str] | None = None  # line, nick, time text, header line
    body: list[str] = []
    seen_header = False

    def emit() -> Item:
        line, nick, ts, raw = block  # type: ignore[misc]
        msg = "\n".join(body).strip()
        if not msg:
            return ctx.reject(line, "a '昵称 时间' line with no message after it", raw)
        t = parse_time(ts)
        speaker = speakers.speaker(nick, named_only=True)
        direction = "out" if speaker == "debtor" else "in"
        return make_message(ctx, line, "wechat", t, direction, nick, speaker, msg)

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        m = HEADER.match(line)
        if m:
            ok = True
            try:
                parse_time(m.group("ts"))
            except ValueError:
                ok = False
            if ok:
                if block is not None:
                    yield emit()
                block, body, seen_header = (n, m.group("nick").strip(), m.group("ts"), raw), [], True
                continue
        if not line or _DIVIDER.match(line):
            if block is not None and body and not line:
                body.append("")
            continue
        if block is None:
            if not seen_header and _TITLE.search(line):
                continue
            yield ctx.reject(n, "a line before the first '昵称 2024-03-05 21:13:02' line: no sender or time", raw)
            continue
        body.append(line)
    if block is not None:
        yield emit()
    note = speakers.note(ctx.file, "WeChat nicknames")
    if note:
        ctx.notes.append(note)

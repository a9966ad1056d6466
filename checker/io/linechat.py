"""LINE's chat history saved as text ("Save chat" / 儲存聊天記錄), read as a WeChat-style chat
(format ``wechat-text``; the contract has no LINE channel, so its messages are ``wechat``):

    [LINE] 與速易借-王经理的聊天記錄          [LINE] Chat history with 速易借-王经理
    儲存日期：2025/03/23 10:00               Saved on: 2025/03/23, 10:00

    2025/03/15（六）                          Sat, 03/15/2025
    23:30<TAB>速易借-王经理<TAB>你个骗子…      11:30 PM<TAB>速易借-王经理<TAB>你个骗子…

A date line (``2025/03/15（六）``, ``2025.03.15 Saturday``, ``Sat, 03/15/2025`` — month first,
as LINE writes English dates; the weekday, when it disagrees, says the day comes first) dates
the lines below it. A **data row** is one ``CLOCK<TAB>NAME<TAB>TEXT`` line (the clock may be
``下午11:30`` or ``11:30 PM``); a message LINE wrote over several lines (in double quotes) is one
row, numbered by its first line. The name is the sender: ``--debtor NAME`` names the person's own,
``--collector-speaker NAME`` the collector. In a chat whose header names the other party (與 X
的聊天記錄 / Chat history with X) and that has two senders, the sender who is not X is the person
who saved it (never judged; a note says so), as in Telegram's personal chats. The header and
``Saved on:`` lines are not messages; a sticker or photo is filtered as "not text"; a line
under no date line has no time (a note says so). Never a call's transcript.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from checker.io.common import Filtered, Item, ReadContext, RowError, SpeakerLabels, make_message
from checker.io.times import TimeParser

_HEADER = re.compile(r"^\s*\ufeff?\[LINE\]\s*(?:與|与|和)?\s*(?P<a>.+?)\s*的聊天[記记]錄?录?\s*$"
                     r"|^\s*\ufeff?\[LINE\]\s*(?:Chat history (?:with|in)\s+)?(?P<b>.+?)\s*$", re.IGNORECASE)
_SAVED = re.compile(r"^\s*(?:Saved on|儲存日期|保存日期|储存日期|存檔日期)\s*[:：]", re.IGNORECASE)
_WD = r"(?:[一二三四五六日天]|(?:星期|週|周)[一二三四五六日天]|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
# 2025/03/15（六）, 2025.03.15 Saturday, 2025/03/15
_DATE_YMD = re.compile(rf"^\s*(?P<y>\d{{4}})[/.\-](?P<m>\d{{1,2}})[/.\-](?P<d>\d{{1,2}})\s*"
                       rf"(?:[(（]\s*(?P<w1>{_WD})\s*[)）]|(?P<w2>{_WD}))?\s*$", re.IGNORECASE)
# Sat, 03/15/2025 (month first, as LINE writes English dates)
_DATE_MDY = re.compile(rf"^\s*(?P<w>{_WD})\s*,?\s*(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{4}})\s*$",
                       re.IGNORECASE)
_CLOCK = r"(?:(?:上午|下午|早上|中午|晚上|凌晨|AM|PM)\s*)?\d{1,2}:\d{2}(?:\s*(?:AM|PM))?"
_MSG_TAB = re.compile(rf"^(?P<clock>{_CLOCK})\t(?P<name>[^\t]*)\t(?P<text>.*)$", re.IGNORECASE)
# an older export, or one retyped, with spaces instead of tabs: the name has no space in it
_MSG_SPACE = re.compile(rf"^(?P<clock>{_CLOCK})\s+(?P<name>\S+)\s+(?P<text>\S.*)$", re.IGNORECASE)
_NOT_TEXT = re.compile(r"^\s*\[(?:Sticker|Photo|Video|File|Voice message|Album|貼圖|贴图|照片|圖片|图片|影片|視訊|"
                       r"视频|檔案|文件|語音訊息|语音)\]\s*$", re.IGNORECASE)
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "mon": 0, "tue": 1, "wed": 2,
             "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def _weekday(w: str | None) -> int | None:
    if not w:
        return None
    w = w.strip().lower().lstrip("星期週周")
    return _WEEKDAYS.get(w[:3]) if w[:3] in _WEEKDAYS else _WEEKDAYS.get(w[:1])


def _date_line(line: str) -> date | None:
    m = _DATE_YMD.match(line)
    if m:
        try:
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            return None
    m = _DATE_MDY.match(line)
    if m:
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        wd = _weekday(m.group("w"))
        for mo, d in ((a, b), (b, a)):  # month first, unless the weekday says the day is
            try:
                got = date(y, mo, d)
            except ValueError:
                continue
            if wd is None or got.weekday() == wd:
                return got
    return None


def looks_like_line_chat(lines: list[str]) -> bool:
    """LINE's saved chat: a ``[LINE]`` header, or date lines with ``CLOCK<TAB>NAME<TAB>TEXT``
    lines under them making up most of the text."""
    nonblank = [ln for ln in lines[:200] if ln.strip()]
    if not nonblank:
        return False
    tabbed = sum(bool(_MSG_TAB.match(ln)) for ln in nonblank)
    dated = sum(_date_line(ln) is not None for ln in nonblank)
    if _HEADER.match(nonblank[0]) and nonblank[0].lstrip("\ufeff ").startswith("[LINE]"):
        return tabbed >= 1 or sum(bool(_MSG_SPACE.match(ln)) for ln in nonblank) >= 1
    return tabbed >= 1 and dated >= 1 and 2 * (tabbed + dated) >= len(nonblank) and _date_line(nonblank[0]) is not None


def read_line_chat(text: str, ctx: ReadContext) -> Iterator[Item]:
    lines = text.splitlines()
    speakers = SpeakerLabels(ctx.collector_speakers, ctx.debtor_speakers)
    # the chats in the file: (first line index, the other party the header names)
    sections: list[tuple[int, str | None]] = [(0, None)]
    for i, ln in enumerate(lines):
        m = _HEADER.match(ln) if ln.lstrip("\ufeff ").startswith("[LINE]") else None
        if m:
            sections.append((i, (m.group("a") or m.group("b") or "").strip() or None))
    rows: list[tuple[int, int, date | None, str, str, str]] = []  # (line, section, day, clock, name, text)
    filtered: list[Filtered] = []
    undated: list[int] = []
    unread: list[int] = []  # a clock that is no time of day (25:70)
    parser = TimeParser(ctx.tz)
    day: date | None = None
    sec = 0
    i = 0
    while i < len(lines):
        ln = lines[i].rstrip("\r")
        n = i + 1
        i += 1
        while sec + 1 < len(sections) and sections[sec + 1][0] < n:
            sec += 1
            day = None
        if not ln.strip() or ln.lstrip("\ufeff ").startswith("[LINE]") or _SAVED.match(ln):
            continue  # the export's header and its Saved on: line are not messages
        d = _date_line(ln)
        if d is not None:
            day = d
            continue
        m = _MSG_TAB.match(ln) or _MSG_SPACE.match(ln)
        if m is None:
            if rows and rows[-1][0] < n:  # a line of the message above (LINE wrote it over lines)
                r = rows[-1]
                rows[-1] = (r[0], r[1], r[2], r[3], r[4], f"{r[5]}\n{ln.strip()}")
            else:
                filtered.append(Filtered(n, "a line before the chat's first message, not a message"))
            continue
        body = m.group("text")
        if body.startswith('"') and not (len(body) > 1 and body.endswith('"')):
            # a message over several lines, in double quotes: up to the line that closes them
            parts = [body[1:]]
            while i < len(lines):
                nxt = lines[i].rstrip("\r")
                i += 1
                if nxt.endswith('"') and not nxt.endswith('""'):
                    parts.append(nxt[:-1])
                    break
                parts.append(nxt)
            body = "\n".join(parts)
        elif len(body) > 1 and body.startswith('"') and body.endswith('"'):
            body = body[1:-1]
        rows.append((n, sec, day, m.group("clock"), m.group("name").strip(), body.replace('""', '"').strip()))
    # a chat that names the other party and has two senders: the other sender saved it
    own: dict[int, str] = {}
    for s, (_start, other) in enumerate(sections):
        names = {r[4] for r in rows if r[1] == s and r[4]}
        if other and other in names and len(names) == 2 and not speakers.debtor_seen and not speakers.chosen:
            own[s] = next(iter(names - {other}))
    yield from filtered
    for n, s, d, clock, name, body in rows:
        if not body or _NOT_TEXT.match(body):
            yield Filtered(n, "a picture, voice message, sticker, file or transfer: not text")
            continue
        t = None
        if d is None:
            undated.append(n)
        else:
            try:  # the clock as the other readers read one (上午 / 下午 / AM / PM)
                t = parser.parse(f"{d.isoformat()} {clock}")
            except RowError:
                unread.append(n)
        chat = sections[s][1]
        if own.get(s) == name:
            speakers.seen.add(name)
            yield make_message(ctx, n, "wechat", t, "out", chat, "debtor", body)
            continue
        speaker = speakers.speaker(name, named_only=True) if name else "unknown"
        direction = "out" if speaker == "debtor" else "in"
        party = chat if direction == "out" else (name or chat)
        yield make_message(ctx, n, "wechat", t, direction, party, speaker, body)
    if own:
        shown = ", ".join(sorted(set(own.values())))
        ctx.notes.append(f"{ctx.file}: LINE chat(s) with one other party: the other sender ({shown}) is taken for "
                         "the person who saved the chat, and those messages are not judged; give --debtor NAME "
                         "to say otherwise")
    for note in speakers.notes(ctx.file, "LINE sender names"):
        if note and note not in ctx.notes:
            ctx.notes.append(note)
    if unread:
        ctx.notes.append(f"{ctx.file}: {len(unread)} LINE message(s) have a clock that is no time of day (line "
                         f"{unread[0]}); they are read without a time (no contact-hours finding)")
    if undated:
        ctx.notes.append(f"{ctx.file}: {len(undated)} LINE message(s) are under no date line (line {undated[0]}); "
                         "they are read without a time (no contact-hours finding)")

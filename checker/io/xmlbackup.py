"""Android backups as XML, the format of "SMS Backup & Restore" and the apps that copy it.

* calls: ``<calls><call number= duration= date= type= …/></calls>``; ``date`` in epoch
  milliseconds; ``type`` 1 incoming, 2 outgoing, 3 missed, 4 voicemail, 5 rejected,
  6 blocked, 7 answered elsewhere. 超级备份 (Super Backup) writes the same codes as
  ``<alllogs><log number= date= type= dur= name= time="2025年3月8日 上午8:30:00"/></alllogs>``:
  read alike (``dur`` the duration, ``name`` the saved contact; the epoch ``date`` is the time).
  Its messages are ``<allsms><sms address= date= type= body= name=/>`` and read as below.
* messages: ``<smses><sms address= date= type= body= …/><mms …><parts><part text=…/>
  </parts></mms></smses>``; ``type`` (``msg_box`` for MMS) 1 received, 2 sent,
  3 draft, 4 outbox, 5 failed, 6 queued — drafts and unsent messages are filtered.

A **data row** is one ``<call>``, ``<sms>`` or ``<mms>`` element. The parser is expat,
fed in chunks (constant memory); a DOCTYPE or entity declaration is refused, so no
entity can expand. The app writes emoji as UTF-16 surrogate pairs (``&#55357;&#56832;``)
which XML forbids; they are joined back into one character before parsing. A file that
breaks off (a backup killed mid-write) keeps every record before the break, and the
break is one rejected row naming its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from xml.parsers import expat

from checker.io.common import (
    Filtered,
    InputError,
    Item,
    ReadContext,
    RowError,
    call_factory,
    clean_number,
    make_message,
)
from checker.io.table import ANDROID_TYPES_TEXT, call_kind
from checker.io.times import TimeParser, parse_duration

_CHAR_REF = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);")
_SMS_UNSENT = {"3": "a draft (type 3), never sent", "4": "in the outbox (type 4), not sent",
               "5": "a message that failed to send (type 5)", "6": "a queued message (type 6), not sent"}


class _Refused(Exception):
    pass


def repair_char_refs(text: str) -> str:
    """Join surrogate-pair character references into one character; drop references to
    characters XML forbids (control characters in SMS bodies)."""
    if "&#" not in text:
        return text

    def value(ref: str) -> int:
        return int(ref[1:], 16) if ref[0] in "xX" else int(ref)

    out: list[str] = []
    pos = 0
    pending_high: int | None = None
    for m in _CHAR_REF.finditer(text):
        v = value(m.group(1))
        if m.start() != pos and pending_high is not None:
            out.append("\ufffd")
            pending_high = None
        out.append(text[pos:m.start()])
        pos = m.end()
        if 0xD800 <= v <= 0xDBFF:
            if pending_high is not None:
                out.append("\ufffd")
            pending_high = v
            continue
        if 0xDC00 <= v <= 0xDFFF:
            if pending_high is not None:
                out.append(chr(0x10000 + ((pending_high - 0xD800) << 10) + (v - 0xDC00)))
                pending_high = None
            else:
                out.append("\ufffd")
            continue
        if pending_high is not None:
            out.append("\ufffd")
            pending_high = None
        if v in (0x9, 0xA, 0xD) or 0x20 <= v <= 0xD7FF or 0xE000 <= v <= 0xFFFD or 0x10000 <= v <= 0x10FFFF:
            out.append(m.group(0))
        # else: a character XML cannot hold; dropped
    if pending_high is not None:
        out.append("\ufffd")
    out.append(text[pos:])
    return "".join(out)


def read_backup_xml(text: str, ctx: ReadContext, kind: str) -> Iterator[Item]:
    """``kind`` is 'calllog-xml' or 'sms-xml'."""
    text = repair_char_refs(text)
    parser = expat.ParserCreate(encoding="utf-8")  # the text is already decoded
    pending: list[Item] = []
    state = {"seen": 0, "mms": None, "last_line": 0, "k": 0}
    parse_time = TimeParser(ctx.tz).parse
    make = call_factory(ctx)

    def rid(line: int) -> str:
        if line == state["last_line"]:
            state["k"] += 1
            return f"{ctx.file}:{line}.{state['k']}"
        state["last_line"], state["k"] = line, 0
        return f"{ctx.file}:{line}"

    def refuse(*_args: object) -> None:
        raise _Refused("a DOCTYPE or entity declaration, which a backup export never has")

    def start(name: str, attrs: dict[str, str]) -> None:
        line = parser.CurrentLineNumber
        if name in ("smses", "calls", "alllogs") and str(attrs.get("count", "")).strip().isdigit():
            state["count"] = int(attrs["count"])  # how many records the backup says it holds
        if kind == "calllog-xml" and name in ("call", "log"):
            state["seen"] += 1
            pending.append(_call(attrs, line, ctx, parse_time, rid(line), make))
        elif kind == "sms-xml" and name == "sms":
            state["seen"] += 1
            pending.append(_sms(attrs, line, ctx, parse_time, rid(line)))
        elif kind == "sms-xml" and name == "mms":
            state["seen"] += 1
            state["mms"] = (line, attrs, [])
        elif name == "part" and state["mms"] is not None:
            if attrs.get("ct", "").startswith("text/plain") and attrs.get("text"):
                state["mms"][2].append(attrs["text"])

    def end(name: str) -> None:
        if name == "mms" and state["mms"] is not None:
            line, attrs, parts = state["mms"]
            state["mms"] = None
            pending.append(_mms(attrs, parts, line, ctx, parse_time, rid(line)))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    chunk = 1 << 16
    for i in range(0, len(text) + 1, chunk):
        piece = text[i:i + chunk]
        final = i + chunk >= len(text)
        try:
            parser.Parse(piece.encode("utf-8"), final)
        except _Refused as e:
            raise InputError(f"{ctx.file}: refused: {e}") from None
        except expat.ExpatError as e:
            yield from pending
            if state["seen"] == 0:
                raise InputError(f"{ctx.file}:{e.lineno}: not a readable XML backup ({expat.errors.messages[e.code]})"
                                 ) from None
            lines = text.splitlines()
            raw = lines[e.lineno - 1] if 0 < e.lineno <= len(lines) else ""
            lost = ""
            if state.get("count", 0) > state["seen"]:
                lost = (f"; the backup says it holds {state['count']} records and {state['seen']} were read: "
                        f"{state['count'] - state['seen']} are lost")
            yield ctx.reject(e.lineno, f"the XML breaks off here ({expat.errors.messages[e.code]}); nothing after "
                             f"line {e.lineno} can be read (was the backup cut short?){lost}", raw)
            return
        yield from pending
        pending.clear()
        if final:
            break
    if state.get("count") is not None and state["count"] != state["seen"] and state["seen"]:
        ctx.notes.append(f"{ctx.file}: the backup says it holds {state['count']} records (count=\"{state['count']}\") "
                         f"but {state['seen']} are in it: check that the export is complete")
    if state["seen"] == 0:
        root = "<calls><call …/> (or <alllogs><log …/>)" if kind == "calllog-xml" else "<smses><sms …/>"
        ctx.notes.append(f"{ctx.file}: the XML holds no {root} records")


def _epoch(value: str | None, parse_time) -> datetime:
    v = (value or "").strip()
    if not v:
        raise RowError("no date attribute")
    t = parse_time(v)
    if not isinstance(t, datetime):
        raise RowError(f"date '{v}' is not epoch milliseconds")
    return t


def _call(attrs: dict[str, str], line: int, ctx: ReadContext, parse_time, rid: str, make) -> Item:
    try:
        t = _epoch(attrs.get("date"), parse_time)
        code = (attrs.get("type") or "").strip()
        if not code:
            raise RowError(f"no type attribute; expected {ANDROID_TYPES_TEXT}")
        if not code.isdigit():
            raise RowError(f"call type '{code}' is not an Android call type ({ANDROID_TYPES_TEXT})")
        direction, status = call_kind(code)
        dur = parse_duration(attrs.get("duration") or attrs.get("dur") or "")
    except RowError as e:
        return ctx.reject(line, str(e), _raw("call", attrs))
    if status is None and direction == "in":
        status = "answered" if (dur or 0) > 0 else "missed"
    elif status is None and direction == "out" and dur:
        status = "answered"
    number = clean_number(attrs.get("number") or "")
    ctx.saw_name(number, attrs.get("contact_name") or attrs.get("name"))
    return make(line, rid, t, direction, number, dur, status)


def _sms(attrs: dict[str, str], line: int, ctx: ReadContext, parse_time, rid: str) -> Item:
    code = (attrs.get("type") or "").strip()
    if code in _SMS_UNSENT:
        return Filtered(line, _SMS_UNSENT[code])
    try:
        t = _epoch(attrs.get("date"), parse_time)
        if code not in ("1", "2"):
            raise RowError(f"message type '{code}' is not known; expected 1 received or 2 sent")
    except RowError as e:
        return ctx.reject(line, str(e), _raw("sms", attrs))
    direction = "in" if code == "1" else "out"
    ctx.saw_name(clean_number(attrs.get("address") or ""), attrs.get("contact_name") or attrs.get("name"))
    return make_message(ctx, line, "sms", t, direction, clean_number(attrs.get("address") or ""),
                        "unknown" if direction == "in" else "debtor", attrs.get("body") or None, rid)


def _mms(attrs: dict[str, str], parts: list[str], line: int, ctx: ReadContext, parse_time, rid: str) -> Item:
    box = (attrs.get("msg_box") or "").strip()
    if box in _SMS_UNSENT:
        return Filtered(line, _SMS_UNSENT[box].replace("type", "msg_box"))
    try:
        t = _epoch(attrs.get("date"), parse_time)
        if box not in ("1", "2"):
            raise RowError(f"MMS msg_box '{box}' is not known; expected 1 received or 2 sent")
    except RowError as e:
        return ctx.reject(line, str(e), _raw("mms", attrs))
    direction = "in" if box == "1" else "out"
    address = (attrs.get("address") or "").split("~")[0]
    return make_message(ctx, line, "sms", t, direction, clean_number(address),
                        "unknown" if direction == "in" else "debtor", "\n".join(parts) or None, rid)


def _raw(tag: str, attrs: dict[str, str]) -> str:
    return f"<{tag} " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + " />"

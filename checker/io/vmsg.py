"""SMS backups written as vMessage blocks (``.vmsg``: OPPO / realme / OnePlus 短信备份, vivo and
older Nokia / Samsung phones): one ``BEGIN:VMSG`` … ``END:VMSG`` block per message, the other
party in a ``BEGIN:VCARD`` inside it (``TEL:``, perhaps ``FN:`` / ``N:``), the folder in
``X-BOX:`` (INBOX received; SENDBOX / SENTBOX / SENT sent; OUTBOX / DRAFT / FAILED never sent) —
above the card, or (Huawei and MTK phones) inside the body with ``X-READ:`` / ``X-SIMID:`` /
``X-LOCKED:`` / ``X-TYPE:`` before its date — and in ``BEGIN:VBODY`` a ``Date:`` line and the
text (lines, or a ``Subject;ENCODING=QUOTED-PRINTABLE`` value).

A data row is a ``BEGIN:VMSG`` block: a message (channel ``sms``; received ``unknown``, sent
the debtor's and never judged), a filtered row (a draft, an unsent message) or a rejected
row (no text, a time that does not read, a block cut short).
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from datetime import datetime

from checker.io.common import Filtered, Item, ReadContext, RowError, clean_number, make_message
from checker.io.times import TimeParser

_RECEIVED = ("inbox", "receive", "received", "deliver")
_SENT = ("sendbox", "sentbox", "sent", "send", "submit")
_UNSENT = ("outbox", "draft", "drafts", "failed", "queued")


def looks_like_vmsg(head: str) -> bool:
    return head.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VMSG")


def _value(line: str) -> tuple[str, str, str]:
    """'TEL;TYPE=CELL:138…' -> ('TEL', 'TYPE=CELL', '138…')."""
    key, _, value = line.partition(":")
    name, _, params = key.partition(";")
    return name.strip().upper(), params.upper(), value


def read_vmsg(text: str, ctx: ReadContext) -> Iterator[Item]:
    parser = TimeParser(ctx.tz, order=None, given=ctx.date_order)
    lines = text.splitlines()
    i, n = 0, len(lines)
    untimed = 0
    while i < n:
        if lines[i].strip().upper() != "BEGIN:VMSG":
            i += 1
            continue
        first, depth, block = i + 1, 0, []
        i += 1
        while i < n and not (depth == 0 and lines[i].strip().upper() == "END:VMSG"):
            up = lines[i].strip().upper()
            if up == "BEGIN:VMSG":
                break  # a block cut short: the next one starts
            depth += up.startswith("BEGIN:") - up.startswith("END:")
            block.append(lines[i])
            i += 1
        closed = i < n and lines[i].strip().upper() == "END:VMSG"
        raw = "\n".join(lines[first - 1:i + 1])
        if closed:
            i += 1
        item = _block(block, first, raw, ctx, parser, closed)
        if not isinstance(item, (Filtered,)) and getattr(item, "time", "x") is None:
            untimed += 1
        yield item
    if untimed:
        ctx.notes.append(f"{ctx.file}: {untimed} message(s) have no Date: line; they are read without a time")


def _block(block: list[str], first: int, raw: str, ctx: ReadContext, parser: TimeParser, closed: bool) -> Item:
    number = name = box = stamp = None
    body: list[str] = []
    section = None
    qp = False
    for line in block:
        up = line.strip().upper()
        if up.startswith("BEGIN:"):
            section = up[6:]
            continue
        if up.startswith("END:"):
            section = None
            continue
        if section == "VBODY":
            key, params, value = _value(line)
            if key.startswith("X-") and not body:
                # Huawei / MTK phones write the folder and flags inside the body, above its Date:
                # (X-BOX:INBOX, X-READ:READ, X-SIMID:0, X-LOCKED:UNLOCKED, X-TYPE:SMS)
                if key == "X-BOX":
                    box = value.strip().lower()
                continue
            if key == "DATE" and stamp is None and not body:
                stamp = value.strip()
            elif key == "SUBJECT" and not body:
                qp = "QUOTED-PRINTABLE" in params
                body.append(value)
            elif qp and body and body[-1].endswith("="):
                body[-1] += "\n" + line
            else:
                body.append(line)
            continue
        key, params, value = _value(line)
        if section == "VCARD":
            if key in ("TEL", "EMAIL") and not number:
                number = value.strip()
            elif key in ("FN", "N") and not name:
                name = value.replace(";", " ").strip() or None
        elif key == "X-BOX":
            box = value.strip().lower()
    if not closed:
        return ctx.reject(first, "a message block (BEGIN:VMSG) with no END:VMSG: the file is cut short here", raw)
    if qp and body:
        text = quopri.decodestring("\n".join(body).replace("=\n", "").encode("latin-1", "replace")).decode(
            "utf-8", "replace")
    else:
        text = "\n".join(body)
    text = text.strip()
    if box and any(box.startswith(w) for w in _UNSENT):
        return Filtered(first, f"a message in the {box.upper()} folder (a draft or never sent)")
    if not text:
        return ctx.reject(first, "a message block with no text (BEGIN:VBODY … END:VBODY)", raw)
    if box and any(box.startswith(w) for w in _SENT):
        direction = "out"
    elif box is None or any(box.startswith(w) for w in _RECEIVED):
        direction = "in"
    else:
        return ctx.reject(first, f"folder X-BOX:{box.upper()} is not known; expected INBOX, SENDBOX or DRAFT", raw)
    t = None
    if stamp:
        try:
            t = parser.parse(stamp)
        except RowError as e:
            return ctx.reject(first, str(e), raw)
        if not isinstance(t, datetime):
            return ctx.reject(first, f"time '{stamp}' has no date and clock; expected e.g. 2025/03/05 21:40:02", raw)
    other = clean_number(re.sub(r"[\s-]", "", number or "")) or None
    if other and name:
        ctx.saw_name(other, name)
    return make_message(ctx, first, "sms", t, direction, other, "debtor" if direction == "out" else "unknown", text)

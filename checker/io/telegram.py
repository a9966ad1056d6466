"""Telegram Desktop's chat export (``result.json``, format ``telegram-json``): one JSON object
with the chat's ``name`` and ``type`` and its ``messages``, each with ``date`` (and
``date_unixtime``), ``from`` and ``text`` (a string, or a list of strings and ``{"type", "text"}``
pieces, joined).

A **data row** is one message; its line is the line its ``"id"`` is on. A service message (a
member joined, a message pinned) is filtered; a message with no text (a photo, a sticker) is
filtered as "not text". Who sent it: in a personal chat the other party is the chat's ``name``, so
a message from anyone else was sent by the person who exported the chat (the debtor's, never
judged); ``--debtor NAME`` names the person's own sender name in any chat. The time is
``date_unixtime`` when present (an instant), else ``date`` in the debtor's time zone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from checker.io.common import Filtered, InputError, Item, ReadContext, RowError, make_message
from checker.io.times import TimeParser

CHAT_TYPES = ("personal_chat", "private_group", "private_supergroup", "public_supergroup", "public_channel",
              "private_channel", "bot_chat", "saved_messages")
_SNIFF = re.compile(r'"type"\s*:\s*"(?:' + "|".join(CHAT_TYPES) + r')"')


def looks_like_telegram(head: str) -> bool:
    return '"messages"' in head and bool(_SNIFF.search(head[:8192]))


def _text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        return "".join(p if isinstance(p, str) else str(p.get("text", "")) for p in v if isinstance(p, (str, dict)))
    return ""


def read_telegram(text: str, ctx: ReadContext) -> Iterator[Item]:
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise InputError(f"{ctx.file}: a Telegram export that is not valid JSON ({e})") from None
    if isinstance(doc, dict) and "chats" in doc and "messages" not in doc:
        raise InputError(f"{ctx.file}: a Telegram export of all chats; export the one chat with the collector "
                         "(Export chat history, JSON) and give that result.json")
    if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
        raise InputError(f"{ctx.file}: not a Telegram chat export (no \"messages\" list)")
    chat = str(doc.get("name") or "").strip() or None
    personal = doc.get("type") == "personal_chat"
    me = {n.lower() for n in ctx.debtor_speakers}
    parser = TimeParser(ctx.tz)
    pos = 0
    for msg in doc["messages"]:
        if not isinstance(msg, dict):
            continue
        m = re.compile(r'"id"\s*:\s*' + re.escape(str(msg.get("id", "")))).search(text, pos)
        if m:
            pos = m.end()
        line = text.count("\n", 0, m.start()) + 1 if m else 1
        if msg.get("type") != "message":
            yield Filtered(line, "a Telegram service message (a member joined, a message pinned …), not a message")
            continue
        body = _text(msg.get("text")).strip()
        if not body:
            yield Filtered(line, "a picture, voice message, sticker, file or transfer: not text")
            continue
        t: datetime | None = None
        unix = msg.get("date_unixtime")
        if isinstance(unix, (str, int)) and str(unix).isdigit():
            t = datetime.fromtimestamp(int(unix), timezone.utc).astimezone(ctx.tz)
        elif msg.get("date"):
            try:
                parsed = parser.parse(str(msg["date"]))
            except (RowError, ValueError) as e:
                yield ctx.reject(line, str(e), body[:80])
                continue
            t = parsed if isinstance(parsed, datetime) else None
        sender = str(msg.get("from") or "").strip() or None
        if sender and sender.lower() in me:
            sent = True
        elif personal and chat and sender:
            sent = sender != chat
        else:
            sent = False
        direction = "out" if sent else "in"
        party = chat if sent else (sender or chat)
        yield make_message(ctx, line, "wechat", t, direction, party, "debtor" if sent else "unknown", body)

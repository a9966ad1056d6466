"""Telegram Desktop's chat export (``result.json``, format ``telegram-json``): one JSON object
with the chat's ``name`` and ``type`` and its ``messages``, each with ``date`` (and
``date_unixtime``), ``from`` and ``text`` (a string, or a list of strings and ``{"type", "text"}``
pieces, joined).

A **data row** is one message; its line is the line its ``"id"`` is on. A service message (a
member joined, a message pinned) is filtered, except a voice call (``"action": "phone_call"``),
read as a call: its ``actor`` called, ``duration_seconds`` is the talk time and
``discard_reason`` missed / busy an unanswered or declined call; a message with no text (a photo, a sticker) is
filtered as "not text". Who sent it: in a personal chat the other party is the chat's ``name``, so
a message from anyone else was sent by the person who exported the chat (the debtor's, never
judged); ``--debtor NAME`` names the person's own sender name in any chat. A chat with a relative
(the chat or the sender named 妈妈, 表哥 …) is a third party's, never judged. The export of all
chats ("Export Telegram data": ``chats.list`` and ``personal_information``) is read chat by chat,
the account's own messages told by its ``from_id``. The time is
``date_unixtime`` when present (an instant), else ``date`` in the debtor's time zone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any

from checker.io.common import Filtered, InputError, Item, ReadContext, RowError, make_call, make_message
from checker.io.pasted import is_family_label
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
    if isinstance(doc, dict) and "messages" not in doc and isinstance(doc.get("chats"), dict):
        # "Export Telegram data": every chat in chats.list, the account's own id in personal_information
        chats = [c for c in doc["chats"].get("list") or () if isinstance(c, dict)
                 and isinstance(c.get("messages"), list) and c.get("type") != "saved_messages"]
        if not any(c["messages"] for c in chats):
            raise InputError(f"{ctx.file}: a Telegram export of all chats with no chat messages in it")
        info = doc.get("personal_information") if isinstance(doc.get("personal_information"), dict) else {}
        own = f"user{info['user_id']}" if str(info.get("user_id") or "").isdigit() else None
        ctx.notes.append(f"{ctx.file}: a Telegram export of all chats: {len(chats)} chat(s) read"
                         + (" (your own messages by your account id)" if own else "")
                         + "; every other sender in every chat is judged as a possible collector (friends' and"
                         " family chats too, unless the chat's name is a kinship word such as 妈妈) — export only"
                         " the collectors' chats to leave the others out")
        pos = 0
        for chat_doc in chats:
            for item in _chat_messages(text, chat_doc, ctx, own, pos):
                if isinstance(item, int):
                    pos = item
                else:
                    yield item
        return
    if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
        raise InputError(f"{ctx.file}: not a Telegram chat export (no \"messages\" list)")
    for item in _chat_messages(text, doc, ctx, None, 0):
        if not isinstance(item, int):
            yield item


def _chat_messages(text: str, doc: dict, ctx: ReadContext, own: str | None, pos: int) -> Iterator[Item | int]:
    """One chat's messages; ``own`` is the account's ``from_id`` (user123) when the export
    names it; yields the search position it reached last."""
    chat = str(doc.get("name") or "").strip() or None
    personal = doc.get("type") == "personal_chat"
    me = {n.lower() for n in ctx.debtor_speakers}
    parser = TimeParser(ctx.tz)
    for msg in doc["messages"]:
        if not isinstance(msg, dict):
            continue
        m = re.compile(r'"id"\s*:\s*' + re.escape(str(msg.get("id", ""))) + r"\b").search(text, pos)
        if m:
            pos = m.end()
        line = text.count("\n", 0, m.start()) + 1 if m else 1
        call = msg.get("type") == "service" and msg.get("action") == "phone_call"
        if msg.get("type") != "message" and not call:
            yield Filtered(line, "a Telegram service message (a member joined, a message pinned …), not a message")
            continue
        body = _text(msg.get("text")).strip()
        if not body and not call:
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
                yield ctx.reject(line, str(e), body[:80] or "phone_call")
                continue
            t = parsed if isinstance(parsed, datetime) else None
        if call:  # a Telegram voice call: its caller is the "actor"
            yield _call(ctx, line, t, msg, chat, personal, me, own)
            continue
        sender = str(msg.get("from") or "").strip() or None
        sent = _sent_by_owner(sender, msg.get("from_id"), chat, personal, me, own)
        direction = "out" if sent else "in"
        party = chat if sent else (sender or chat)
        if sent:
            speaker = "debtor"
        elif (sender and is_family_label(sender)) or (personal and chat and is_family_label(chat)):
            speaker = "third_party"  # a relative's chat (妈妈, 表哥): never judged
        else:
            speaker = "unknown"
        yield make_message(ctx, line, "wechat", t, direction, party, speaker, body)
    yield pos


def _sent_by_owner(name: str | None, name_id: Any, chat: str | None, personal: bool, me: set[str],
                   own: str | None) -> bool:
    """Whether a message's sender (or a call's actor) is the person who exported the chat: a name
    given as theirs (``--debtor``), their own id, or — in a personal chat — anyone but the chat's
    other party."""
    if name and name.lower() in me:
        return True
    if own and name_id:
        return str(name_id) == own
    if personal and chat and name:
        return name != chat
    return False


def _call(ctx: ReadContext, line: int, t: datetime | None, msg: dict, chat: str | None, personal: bool,
          me: set[str], own: str | None) -> Item:
    """A Telegram call (a service message with "action": "phone_call"): the caller is its
    "actor"; "duration_seconds" is the talk time, "discard_reason" missed / busy an unanswered
    or declined call. A call in a relative's chat (妈妈, 表哥) is filtered, never judged."""
    actor = str(msg.get("actor") or "").strip() or None
    sent = _sent_by_owner(actor, msg.get("actor_id"), chat, personal, me, own)
    party = chat if sent else (actor or chat)
    if (party and is_family_label(party)) or (personal and chat and is_family_label(chat)):
        return Filtered(line, "a Telegram call with a relative (妈妈, 表哥 …), not a collector's")
    raw = msg.get("duration_seconds")
    dur = float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None
    reason = str(msg.get("discard_reason") or "").lower()
    if dur:
        status: str | None = "answered"
    elif sent:
        status, dur = None, 0.0
    else:
        status, dur = ("rejected" if reason == "busy" else "missed"), 0.0
    return make_call(ctx, line, t, "out" if sent else "in", party, dur, status)


# ---------------------------------------------------------------------------- the HTML export
# Telegram Desktop's default export (messages.html, messages2.html …): one div.message.default per
# message, with div.from_name (left out on a "joined" message: the sender above sent it too),
# div.pull_right.date.details whose title is the time (``05.03.2025 22:40:00 UTC+08:00``) and
# div.text; div.message.service holds a date line or an event.
_HTML_SNIFF = re.compile(r'class="message default clearfix|class="pull_right date details"')
_HTML_TIME = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                        r"(?:\s*UTC\s*([+-])(\d{1,2}):?(\d{2}))?\s*$")


def looks_like_telegram_html(text: str) -> bool:
    head = text[:200000]
    return "message default" in head and bool(_HTML_SNIFF.search(head)) and "from_name" in head


class _TelegramPage(HTMLParser):
    """The messages of a Telegram HTML page: (line, kind, sender or None, time title, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Any]] = []
        self.header: list[str] = []
        self._stack: list[tuple[str, frozenset[str]]] = []
        self._msg_depth: int | None = None
        self._capture: tuple[str, int] | None = None  # ("name" | "text" | "header", depth)
        self._buf: list[str] = []

    def _inside(self, *classes: str) -> bool:
        start = self._msg_depth or 0
        return any(c in cls for _t, cls in self._stack[start:] for c in classes)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("br",):
            if self._capture:
                self._buf.append("\n")
            return
        a = dict(attrs)
        cls = frozenset((a.get("class") or "").split())
        if tag in ("img", "meta", "link", "hr", "input"):
            return
        self._stack.append((tag, cls))
        depth = len(self._stack)
        if tag == "div" and "message" in cls and self._msg_depth is None:
            kind = "service" if "service" in cls else ("joined" if "joined" in cls else "message")
            self.rows.append([self.getpos()[0], kind, None, None, None, None])
            self._msg_depth = depth
            return
        if self._msg_depth is None:
            if tag == "div" and "text" in cls and "bold" in cls and self._inside_header():
                self._capture, self._buf = ("header", depth), []
            return
        row = self.rows[-1]
        if "date" in cls and "details" in cls and a.get("title"):
            row[3] = a["title"]
        elif (self._capture is None and self._inside("media_call")
              and not self._inside("reply_to", "forwarded")):
            # a voice call: div.media_call's title (Incoming call / Outgoing call) and status
            # (Missed, Declined, Busy, Cancelled, Success (95 seconds))
            if row[5] is None:
                row[5] = ["", ""]
            if "title" in cls:
                self._capture, self._buf = ("call_title", depth), []
            elif "status" in cls:
                self._capture, self._buf = ("call_status", depth), []
        elif self._capture is None and not self._inside("reply_to", "forwarded", "media_wrap"):
            # (a forwarded message's or a reply's own from_name is not this message's sender)
            if "from_name" in cls:
                self._capture, self._buf = ("name", depth), []
            elif "text" in cls or ("body" in cls and "details" in cls and row[1] == "service"):
                self._capture, self._buf = ("text", depth), []

    def _inside_header(self) -> bool:
        return any("page_header" in cls for _t, cls in self._stack)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":
            return
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                depth = i + 1
                if self._capture and self._capture[1] >= depth:
                    what = self._capture[0]
                    value = re.sub(r"[ \t]+", " ", "".join(self._buf)).strip()
                    value = "\n".join(p.strip() for p in value.split("\n")).strip()
                    if what == "header":
                        self.header.append(value)
                    elif what in ("call_title", "call_status"):
                        self.rows[-1][5][what == "call_status"] = value
                    elif what == "name":
                        self.rows[-1][2] = re.sub(r"\s+via\s+@\S+$", "", value).strip() or None
                    else:
                        self.rows[-1][4] = value
                    self._capture = None
                if self._msg_depth is not None and self._msg_depth >= depth:
                    self._msg_depth = None
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._buf.append(data)


_CALL_SECONDS = re.compile(r"\((\d+)\s*(?:seconds?|secs?|s|秒)\)", re.IGNORECASE)


def _html_call(ctx: ReadContext, line: int, t: datetime | None, sender: str | None, call: list[str],
               chat: str | None, personal: bool, me: set[str]) -> Item:
    """A voice call on a Telegram HTML page (div.media_call): "Incoming call" came from the other
    party, "Outgoing call" is the person's own; "Success (95 seconds)" answered with its talk
    time, Missed / Cancelled unanswered, Declined / Busy declined. A call with a relative is
    filtered, as in the JSON export."""
    title, status_text = call[0].lower(), call[1].lower()
    if "outgoing" in title or "呼出" in title or "去电" in title:
        sent = True
    elif "incoming" in title or "呼入" in title or "来电" in title:
        sent = False
    else:
        sent = bool(sender and sender.lower() in me) or bool(personal and sender and sender != chat)
    party = chat if sent or not sender or (personal and sender != chat) else sender
    if (party and is_family_label(party)) or (personal and chat and is_family_label(chat)):
        return Filtered(line, "a Telegram call with a relative (妈妈, 表哥 …), not a collector's")
    m = _CALL_SECONDS.search(status_text)
    dur = float(m.group(1)) if m else None
    if dur:
        status: str | None = "answered"
    elif sent:
        status, dur = None, 0.0
    elif any(w in status_text for w in ("declined", "busy", "拒绝", "忙")):
        status, dur = "rejected", 0.0
    else:
        status, dur = "missed", 0.0
    return make_call(ctx, line, t, "out" if sent else "in", party, dur, status)


def _html_time(title: str | None, tz: Any) -> datetime | None:
    m = _HTML_TIME.match(title or "")
    if not m:
        return None
    d, mo, y, h, mi, s, sign, oh, om = m.groups()
    zone = tz
    if sign:
        delta = timedelta(hours=int(oh), minutes=int(om))
        zone = timezone(delta if sign == "+" else -delta)
    try:
        t = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=zone)
    except ValueError:
        return None
    return t.astimezone(tz)


def read_telegram_html(text: str, ctx: ReadContext) -> Iterator[Item]:
    """Telegram Desktop's HTML export of one chat. A **data row** is one ``div.message`` (a
    service message — a date line, a member joined — is filtered); a joined message's sender is
    the sender of the message above it. Who sent it: ``--debtor NAME``; else, when the page's
    header names the chat and its messages have two senders, one of them that name, the other is
    the person who exported it (never judged), as in the JSON export of a personal chat. The
    time is the date's title, with its UTC offset when it has one, else in the debtor's zone."""
    page = _TelegramPage()
    page.feed(text)
    page.close()
    chat = page.header[0] if page.header else None
    senders: list[str] = []
    last: str | None = None
    for row in page.rows:
        if row[1] == "message":
            last = row[2]
        elif row[1] == "joined" and row[2] is None:
            row[2] = last
        if row[1] != "service" and row[2] and row[2] not in senders:
            senders.append(row[2])
    me = {n.lower() for n in ctx.debtor_speakers}
    personal = bool(chat) and len(senders) == 2 and chat in senders
    if personal and not me:
        ctx.notes.append(f"{ctx.file}: a Telegram chat with {chat}: the other sender "
                         f"({next(s for s in senders if s != chat)}) is taken for you and never judged; "
                         "--debtor NAME says otherwise")
    untimed = 0
    for line, kind, sender, title, body, call in page.rows:
        if kind == "service":
            yield Filtered(line, "a Telegram service message (a date, a member joined …), not a message")
            continue
        if call is not None and (call[0] or call[1]):
            yield _html_call(ctx, line, _html_time(title, ctx.tz), sender, call, chat, personal, me)
            continue
        if not body:
            yield Filtered(line, "a picture, voice message, sticker, file or transfer: not text")
            continue
        t = _html_time(title, ctx.tz)
        if t is None:
            untimed += 1
        if sender and sender.lower() in me:
            sent = True
        elif personal and sender:
            sent = sender != chat
        else:
            sent = False
        if sent:
            speaker = "debtor"
        elif (sender and is_family_label(sender)) or (personal and chat and is_family_label(chat)):
            speaker = "third_party"
        else:
            speaker = "unknown"
        party = chat if sent else (sender or chat)
        yield make_message(ctx, line, "wechat", t, "out" if sent else "in", party, speaker, body)
    if untimed:
        ctx.notes.append(f"{ctx.file}: {untimed} message(s) have no time that could be read; they are read "
                         "without a time (no contact-hours finding)")
    if me and not any(s.lower() in me for s in senders):
        ctx.notes.append(f"{ctx.file}: --debtor {', '.join(sorted(ctx.debtor_speakers))} does not occur as a label")

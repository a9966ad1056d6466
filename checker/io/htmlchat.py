"""WeChat chats saved as HTML pages (format ``wechat-html``): what MemoTrace / 留痕 and tools
like it write when one chooses "导出 HTML", and chat pages saved from a browser. Two shapes:

* **the messages as data** inside a script — ``const chatMessages = [ {...}, ... ]`` — one
  object per message, as JSON or as JavaScript object literals (unquoted keys, single-quoted
  strings). The fields are read by name: the text (``text`` / ``content`` / ``msg`` …, a voice
  message's ``voice_to_text``), who sent it (``is_send`` / ``isSend`` / ``IsSender`` …), the time
  (``timestamp`` / ``CreateTime`` in seconds or milliseconds since 1970, or ``str_time`` …), the
  sender's name (``displayname`` / ``nickname`` / ``talker`` …) and the kind (``type``: 1 text,
  49 / 57 a quoted reply; 10000 and 0 a system notice, filtered; a picture, voice without its text,
  video, sticker, file or transfer is filtered as "not text"). A **data row** is one object; its
  line is the line the object starts on.
* **the messages as rendered** — one element per message with a bubble (class ``bubble``, else
  ``msg-text`` / ``message-content`` / ``text`` …, the innermost one), inside an item whose class
  says its side (``item-right`` / ``right`` / ``send`` / ``self`` / ``me``: sent by the person who
  saved the page; ``item-left`` / ``left`` / ``receive`` / ``other``: received), with the sender's
  name (class ``nickname`` / ``displayname`` / ``name`` / ``sender``) and time (class ``time`` /
  ``date``) inside the item, or the time of the last centred time line above it. A **data row** is
  one bubble; its line is the line its element starts on. A centred line that is not a time
  (撤回了一条消息, 以下为新消息) is a filtered row, and so is a text box with no name and no side
  inside a centred notice (WechatExporter's ``div.msg.chat-notice``: 系统消息："王经理" 撤回了一条消息).

As in the export tables with IsSender: a message the person sent (the right side, ``is_send``) is
the debtor's and never judged; a received one is ``unknown`` (judged as the collector side)
unless ``--collector-speaker`` names its sender. With no side at all, the names are all there
is: ``--debtor NAME`` names the person's own, the others are never guessed (a note says so).
A page that holds neither shape is not a chat: the caller says so.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from html.parser import HTMLParser
from typing import Any

from checker.io.common import _CALL_NOTICE, Filtered, Item, ReadContext, RowError, SpeakerLabels, make_message
from checker.io.pasted import is_family_label
from checker.io.times import TimeParser

# ---------------------------------------------------------------------------- the data shape
_DATA = re.compile(r"\b(?:const|var|let)\s+(?:chatMessages|messages|msgs|chatData|chat_data|data)\s*=\s*\[")
_TEXT_KEYS = ("text", "content", "msg", "message", "strcontent", "displaycontent", "body")
_SEND_KEYS = ("issend", "issender", "isself", "ismine", "isme", "send", "self", "fromme")
_TIME_KEYS = ("timestamp", "createtime", "time", "strtime", "datetime", "date", "sendtime", "msgtime")
_NAME_KEYS = ("displayname", "nickname", "sendername", "sender", "talker", "name", "remark", "from")
_SYSTEM_TYPES = {"0", "10000", "10002"}
_QUOTE_TYPES = {"49"}  # 49 / sub_type 57: a reply quoting another message, its own text in text


def _key(k: str) -> str:
    return re.sub(r"[_\-\s]", "", k).lower()


class _JsError(ValueError):
    pass


_TOKEN = re.compile(r"""\s+|/\*.*?\*/|//[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[{}\[\]:,]|[^\s{}\[\]:,'"]+""",
                    re.S)


def _js_string(tok: str) -> str:
    body = tok[1:-1]
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            if n == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2:i + 6]):
                out.append(chr(int(body[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append({"n": "\n", "t": "\t", "r": "", "b": "", "f": ""}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _js_array(text: str, start: int) -> list[tuple[int, Any]]:
    """The objects of the array literal opening at ``text[start] == '['``, each with the line it
    starts on: JSON, or JavaScript literals (unquoted keys, single quotes, trailing commas,
    comments). Raises _JsError when it is neither."""
    pos, line = start + 1, text.count("\n", 0, start) + 1
    stack: list[Any] = [[]]
    keys: list[str | None] = [None]
    out: list[tuple[int, Any]] = []
    starts: list[int] = []

    def put(v: Any) -> None:
        top = stack[-1]
        if isinstance(top, list):
            top.append(v)
        else:
            k = keys[-1]
            if k is None:
                raise _JsError("a value without a key")
            top[k] = v
            keys[-1] = None

    pending_key: str | None = None
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise _JsError(f"unexpected {text[pos]!r}")
        tok = m.group()
        line += tok.count("\n")
        pos = m.end()
        if tok[0].isspace() or tok.startswith("/*") or tok.startswith("//"):
            continue
        if tok == "{":
            stack.append({})
            keys.append(None)
            starts.append(line)
            pending_key = None
        elif tok == "[":
            stack.append([])
            keys.append(None)
            starts.append(line)
        elif tok in "}]":
            v = stack.pop()
            keys.pop()
            first = starts.pop() if starts else line
            if len(stack) == 0:  # the array itself closed
                return out
            if len(stack) == 1 and isinstance(v, dict):
                out.append((first, v))
            else:
                put(v)
        elif tok == ",":
            pending_key = None
        elif tok == ":":
            if pending_key is None or not isinstance(stack[-1], dict):
                raise _JsError("a ':' out of place")
            keys[-1] = pending_key
            pending_key = None
        else:
            if tok[0] in "'\"":
                val: Any = _js_string(tok)
            elif tok in ("true", "false"):
                val = tok == "true"
            elif tok in ("null", "undefined"):
                val = None
            elif re.fullmatch(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", tok):
                val = float(tok) if re.search(r"[.eE]", tok) else int(tok)
            elif re.fullmatch(r"[A-Za-z_$][\w$]*", tok):
                val = tok
            else:
                raise _JsError(f"unexpected {tok[:20]!r}")
            if isinstance(stack[-1], dict) and keys[-1] is None:
                pending_key = str(val)
            elif len(stack) == 1:
                continue  # a bare value in the outer array: not a message
            else:
                put(val)
    raise _JsError("the array is not closed")


def _embedded(text: str) -> list[tuple[int, dict[str, Any]]] | None:
    """The message objects of a ``chatMessages = [...]`` script array (``[]`` for an export
    that holds none), or None when the page has no such array."""
    for m in _DATA.finditer(text):
        try:
            objs = _js_array(text, m.end() - 1)
        except _JsError:
            continue
        msgs = [(ln, {_key(str(k)): v for k, v in o.items()}) for ln, o in objs]
        if msgs and sum(any(k in o for k in _TEXT_KEYS) for _ln, o in msgs) * 2 >= len(msgs):
            return msgs
        if not msgs and "chatMessages" in m.group():
            return []
    return None


def _first(o: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for k in keys:
        if k in o and o[k] not in (None, ""):
            return o[k]
    return None


def _flag(v: Any) -> bool | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("1", "true", "yes", "是", "发送", "send", "sent"):
        return True
    if s in ("0", "false", "no", "否", "接收", "receive", "received"):
        return False
    return None


def _epoch(v: Any, tz: Any) -> datetime | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) and not (isinstance(v, str) and v.strip().isdigit()):
        return None
    n = float(v)
    if n > 1e11:  # milliseconds
        n /= 1000
    if not 9e8 < n < 4e9:
        return None
    return datetime.fromtimestamp(n, timezone.utc).astimezone(tz)


# ---------------------------------------------------------------------------- the rendered shape
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})
_SKIP = frozenset({"script", "style", "head", "template", "noscript", "svg"})
_BLOCK = frozenset({"div", "p", "li", "tr", "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5",
                    "h6", "blockquote", "pre", "table", "ul", "ol"})


# class names that are one word, never read by their parts (WechatExporter's text span is
# ``dont-break-out``: not the sent side)
_WHOLE = frozenset({"dont-break-out", "break-out", "word-break-out"})


@dataclass
class _Node:
    tag: str
    classes: frozenset[str]
    line: int
    parent: _Node | None = None
    children: list[Any] = field(default_factory=list)  # _Node or str

    def text(self) -> str:
        parts: list[str] = []

        def walk(n: _Node) -> None:
            for c in n.children:
                if isinstance(c, str):
                    parts.append(c)
                elif c.tag == "br":
                    parts.append("\n")
                elif c.tag not in _SKIP:
                    if c.tag in _BLOCK and parts and not parts[-1].endswith("\n"):
                        parts.append("\n")
                    walk(c)
        walk(self)
        return re.sub(r"[ \t\r\f\v]+", " ", "".join(parts)).strip()

    def walk(self) -> Iterator[_Node]:
        yield self
        for c in self.children:
            if isinstance(c, _Node):
                yield from c.walk()

    def tokens(self) -> set[str]:
        out: set[str] = set()
        for c in self.classes:
            out.add(c)
            if c not in _WHOLE:
                out.update(t for t in re.split(r"[-_]", c) if t)
        return out


class PageTree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", frozenset(), 1)
        self.title = ""
        self._stack = [self.root]
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = frozenset(c.lower() for c in (dict(attrs).get("class") or "").split())
        node = _Node(tag, classes, self.getpos()[0], self._stack[-1])
        self._stack[-1].children.append(node)
        if tag == "title":
            self._in_title = True
        if tag not in _VOID:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        classes = frozenset(c.lower() for c in (dict(attrs).get("class") or "").split())
        self._stack[-1].children.append(_Node(tag, classes, self.getpos()[0], self._stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        for i in range(len(self._stack) - 1, 0, -1):
            if self._stack[i].tag == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        self._stack[-1].children.append(data)


_BUBBLE = ("bubble",)
# (WechatExporter: a text in span.dont-break-out inside div.content-box, a picture in the box alone)
_CONTENT = frozenset({"dont-break-out", "content-box", "msg-text", "message-text", "msg-content", "message-content",
                      "chat-text", "text-content", "msgtext", "msgcontent", "content-text", "msg-body", "message-body"})
_RIGHT = frozenset({"right", "send", "sent", "sender", "self", "me", "mine", "out", "outgoing", "owner", "my"})
_LEFT = frozenset({"left", "receive", "received", "recv", "other", "others", "in", "incoming", "friend"})
_ITEM = frozenset({"item", "message", "msg", "chat-item", "message-item", "msg-item", "row", "chat-row", "entry"})
_NAME = ("nickname", "displayname", "display-name", "dspname", "nick", "sender-name", "username", "user-name",
         "name", "sender", "author")
# an element that names something other than the sender: a shared card's app (WechatExporter's
# span.app-name 聊天记录 under a forwarded chat record)
_NOT_A_NAME = frozenset({"app-name", "appname", "app-info", "appinfo", "app-icon"})
# a quoted message inside a reply (WechatExporter's span.refermsg 「王经理：…」): the words of the
# message quoted, not the sender's — never a bubble of its own
_QUOTED = frozenset({"refermsg", "refer-msg", "quote", "quoted", "reference", "reply-quote", "quote-msg"})
_TIMECLS = ("time", "date", "timestamp", "datetime")
_CENTER = frozenset({"center", "system", "sys", "notice", "tip", "system-msg"})
# a notice's own class words (not "center": a page's text-center may style every bubble)
_NOTICE = _CENTER - {"center"}


def _bubbles(root: _Node) -> list[_Node]:
    nodes = [n for n in root.walk() if any(b in c for c in n.classes for b in _BUBBLE)]
    if not nodes:
        nodes = [n for n in root.walk() if n.classes & _CONTENT and not n.classes & _QUOTED]
    # the innermost: a bubble holding another is a wrapper
    inner = set()
    for n in nodes:
        p = n.parent
        while p is not None:
            inner.add(id(p))
            p = p.parent
    return [n for n in nodes if id(n) not in inner]


def _item(n: _Node, count: dict[int, int]) -> _Node:
    """The element of one message around its bubble: the outermost ancestor (a few levels up)
    whose class names a side or a message item and that holds no other bubble — the
    ``div.msg.chat-left`` around WechatExporter's ``content-box``, the ``div.msg`` around a
    ``div.left`` and the ``div.time`` beside it."""
    p, best, found = n.parent, n.parent or n, False
    for _ in range(6):
        if p is None or p.tag in ("body", "#root") or count.get(id(p), 0) > 1:
            break
        toks = p.tokens()
        if toks & _RIGHT or toks & _LEFT or p.classes & _ITEM:
            best, found = p, True
        elif found and count.get(id(p), 0) == 1 and p.parent is not None and count.get(id(p.parent), 0) > 1:
            break  # a wrapper of the whole page holding only this message: not the item
        p = p.parent
    return best


def _side(n: _Node, item: _Node) -> str | None:
    p: _Node | None = n
    while p is not None:
        toks = p.tokens()
        if toks & _RIGHT and not toks & _LEFT:
            return "out"
        if toks & _LEFT and not toks & _RIGHT:
            return "in"
        if p is item:
            break
        p = p.parent
    return None


def _within(item: _Node, names: tuple[str, ...], skip: _Node) -> str | None:
    n = _within_node(item, names, skip)
    return n.text() if n is not None else None


def _within_node(item: _Node, names: tuple[str, ...], skip: _Node) -> _Node | None:
    for n in item.walk():
        if n is skip or n is item:
            continue
        if any(c == k or c.startswith(k + "-") or c.endswith("-" + k) for c in n.classes for k in names) and not any(
                "avatar" in c for c in n.classes) and not n.classes & _NOT_A_NAME and n.text():
            return n
    return None


def _beside_name(item: _Node, name: _Node | None, bubble: _Node) -> str | None:
    """The time written beside the sender's name (WechatExporter: ``<div class="nt-box"><span
    class="name-left">王经理</span> 2025-03-15 23:30:00</div>``): the text of the name's box
    without the name."""
    if name is None or name.parent is None or name.parent is item:
        return None
    box = name.parent
    if any(a is box for a in _ancestors(bubble)):
        return None
    rest = "".join(c for c in box.children if isinstance(c, str)).strip()
    return rest or None


def _rendered(text: str) -> tuple[str, list[tuple[int, str | None, str | None, str | None, str | None]]] | None:
    """(title, [(line, side, name, time text, message text or None for a centred line)])."""
    tree = PageTree()
    try:
        tree.feed(text)
        tree.close()
    except Exception:  # pragma: no cover - html.parser is lenient
        return None
    bubbles = _bubbles(tree.root)
    if not bubbles:
        return None
    ids = {id(b) for b in bubbles}
    count: dict[int, int] = {}  # bubbles under each element
    for b in bubbles:
        for a in _ancestors(b):
            count[id(a)] = count.get(id(a), 0) + 1
    items = {id(b): _item(b, count) for b in bubbles}
    item_ids = {id(i) for i in items.values()}
    out: list[tuple[int, str | None, str | None, str | None, str | None]] = []
    for n in tree.root.walk():
        if id(n) in ids:
            item = items[id(n)]
            name_node = _within_node(item, _NAME, n)
            name = name_node.text() if name_node is not None else None
            when = _within(item, _TIMECLS, n) or _beside_name(item, name_node, n)
            side = _side(n, item)
            if name is None and side is None and any(a.tokens() & _NOTICE for a in _up_to(n, item)):
                # a text box inside the app's centred notice (WechatExporter's div.msg.chat-notice:
                # 系统消息："王经理" 撤回了一条消息): no one's message, a centred line
                out.append((n.line, None, None, None, "\x00" + n.text()))
                continue
            out.append((n.line, side, name, when, n.text()))
        elif (id(n) not in item_ids and n.tokens() & _CENTER and not any(id(a) in ids for a in _ancestors(n))
              and n.text() and not any(isinstance(c, _Node) and c.tokens() & _CENTER for c in n.children)):
            out.append((n.line, None, None, None, "\x00" + n.text()))
    return tree.title.strip(), out


def _up_to(n: _Node, item: _Node) -> Iterator[_Node]:
    """``n`` and its ancestors up to ``item`` (included)."""
    p: _Node | None = n
    while p is not None:
        yield p
        if p is item:
            return
        p = p.parent


def _ancestors(n: _Node) -> Iterator[_Node]:
    p = n.parent
    while p is not None:
        yield p
        p = p.parent


# ---------------------------------------------------------------------------- reading
def _chat_name(title: str) -> str | None:
    t = re.sub(r"\s*[-–—|_]\s*(?:微信)?聊天记录.*$|^与\s*|\s*的聊天记录.*$", "", title or "")
    t = re.sub(r"^微信聊天记录\s*[-–—:：]?\s*", "", t).strip()
    return t or None


def read_html_chat(text: str, ctx: ReadContext) -> Iterator[Item] | None:
    """The messages of a chat page, or None when the page holds no chat."""
    from checker.io.telegram import looks_like_telegram_html, read_telegram_html

    if looks_like_telegram_html(text):  # Telegram Desktop's HTML export (messages.html)
        return read_telegram_html(text, ctx)
    data = _embedded(text)
    if data is not None:
        title = re.search(r"<title>(.*?)</title>", text, re.S | re.I)
        return _from_data(data, ctx, _chat_name(html.unescape(title.group(1))) if title else None)
    shown = _rendered(text)
    if shown is None:
        return None
    title, rows = shown
    return _from_rendered(rows, ctx, _chat_name(title))


def _from_data(rows: list[tuple[int, dict[str, Any]]], ctx: ReadContext, chat: str | None) -> Iterator[Item]:
    parser = TimeParser(ctx.tz, given=ctx.date_order)
    speakers = SpeakerLabels(ctx.collector_speakers, ctx.debtor_speakers)
    for line, o in rows:
        kind = str(o.get("type", o.get("msgtype", o.get("localtype", "1"))) or "1").strip()
        if kind in _SYSTEM_TYPES:
            yield Filtered(line, "a WeChat system notice, not a message")
            continue
        msg = _first(o, _TEXT_KEYS)
        if kind == "34":
            msg = o.get("voicetotext") or None  # a voice message: only its transcription is text
        elif kind == "50":  # a voice / video call: a call of unknown outcome unless its notice says how it went
            msg = msg if isinstance(msg, str) and _CALL_NOTICE.match(html.unescape(msg)) else "[语音通话]"
        elif kind not in ("1", *_QUOTE_TYPES) or (kind in _QUOTE_TYPES and str(o.get("subtype", "57")) != "57"):
            msg = None
        if not isinstance(msg, str) or not msg.strip():
            yield Filtered(line, "a picture, voice message, sticker, file or transfer: not text")
            continue
        msg = html.unescape(re.sub(r"<br\s*/?>", "\n", msg)).strip()
        raw_time = _first(o, _TIME_KEYS)
        t: datetime | None = _epoch(raw_time, ctx.tz)
        if t is None and isinstance(raw_time, str):
            try:
                parsed = parser.parse(raw_time)
            except (RowError, ValueError) as e:
                yield ctx.reject(line, str(e), f"{raw_time} {msg[:40]}")
                continue
            t = parsed if isinstance(parsed, datetime) else None
        name = _first(o, _NAME_KEYS)
        name = html.unescape(str(name)).strip() if name is not None else None
        sent = _flag(_first(o, _SEND_KEYS))
        yield _message(ctx, speakers, line, t, sent, name, chat, msg)
    _speaker_notes(ctx, speakers)  # after the last message: the labels seen are known


def _from_rendered(rows: list[tuple[int, str | None, str | None, str | None, str | None]], ctx: ReadContext,
                   chat: str | None) -> Iterator[Item]:
    parser = TimeParser(ctx.tz, given=ctx.date_order)
    speakers = SpeakerLabels(ctx.collector_speakers, ctx.debtor_speakers)
    last: datetime | None = None  # the last time read (a centred time line or an item's own)
    day: date | None = None
    unread: list[tuple[int, str]] = []  # a message's time that could not be read
    untimed: list[int] = []  # messages with no time on the page (none of their own, no time line above)
    for line, side, name, when, msg in rows:
        if msg is not None and msg.startswith("\x00"):  # a centred line: a time, or the app's notice
            t = _time(parser, msg[1:], day)
            if t is not None:
                last, day = t, t.date()
            else:
                yield Filtered(line, "a chat app's system line (撤回了一条消息 / 以下为新消息), not a message")
            continue
        t = _time(parser, when, day) if when else last
        if when and t is not None:
            last, day = t, t.date()
        if not msg:
            yield Filtered(line, "a picture, voice message, sticker, file or transfer: not text")
            continue
        if when and t is None:
            unread.append((line, when))  # the words are still read, without a time (said in a note)
        elif t is None:
            untimed.append(line)
        sent = None if side is None else side == "out"
        yield _message(ctx, speakers, line, t, sent, name, chat, msg)
    _speaker_notes(ctx, speakers)  # after the last message: the labels seen are known
    if unread:
        line, when = unread[0]
        ctx.notes.append(f"{ctx.file}: {len(unread)} message(s) show a time that could not be read (line {line}: "
                         f"'{when[:30]}'); they are read without a time (no contact-hours finding)")
    if untimed:
        ctx.notes.append(f"{ctx.file}: {len(untimed)} message(s) have no time on the page (line {untimed[0]}: no "
                         "time in the message and no time line above it); they are read without a time (no "
                         "contact-hours finding)")


def _time(parser: TimeParser, s: str | None, day: date | None) -> datetime | None:
    if not s:
        return None
    s = s.strip()
    try:
        t = parser.parse(s)
    except (RowError, ValueError):
        m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", s)
        if m and day is not None:
            return datetime.combine(day, time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)),
                                    parser.tz)
        return None
    return t if isinstance(t, datetime) else None


def _message(ctx: ReadContext, speakers: SpeakerLabels, line: int, t: datetime | None, sent: bool | None,
             name: str | None, chat: str | None, msg: str) -> Item:
    if sent is None:  # no side: the names are all there is (--debtor NAME is the person's own)
        speaker = speakers.speaker(name, named_only=True) if name else "unknown"
        direction = "out" if speaker == "debtor" else "in"
    elif sent:
        speaker, direction = "debtor", "out"
        if name:
            speakers.seen.add(name)
    else:
        direction = "in"
        if name and name in speakers.chosen:
            speaker = "collector"
        elif any(n and is_family_label(n) for n in (name, chat)):
            speaker = "third_party"  # a chat with a relative saved as 妈妈 / 表哥: never judged
        else:
            speaker = "unknown"
        if name:
            speakers.seen.add(name)
    party = chat if direction == "out" else (name or chat)
    return make_message(ctx, line, "wechat", t, direction, party, speaker, msg)


def _speaker_notes(ctx: ReadContext, speakers: SpeakerLabels) -> None:
    for note in speakers.notes(ctx.file, "WeChat nicknames"):
        if note and note not in ctx.notes:
            ctx.notes.append(note)

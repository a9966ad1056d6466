"""WeChat and QQ chat history copied or exported as text: blocks of a header line
followed by the message lines. Three header forms:

* ``昵称 2024-03-05 21:13:02`` (chat copied from WeChat for PC / Mac);
* ``2024-03-05 21:13:02 昵称`` (the TXT export of MemoTrace / 留痕 and tools like it);
* ``昵称 02-09 22:24`` (钉钉 / 企业微信: month-day, read as 2月9日, the year from a title such
  as ``2026年2月`` above);
* ``昵称 21:13`` or ``21:13 昵称`` under a date divider (``—— 2024-03-05 ——``,
  ``2024年3月5日 星期二``) that gives the day; a clock header is only read after a
  divider and in time order, so a message line like ``那就明天 10:00`` cannot start
  a block before an earlier one.

A header's time may be written as the apps show it (``王经理 2025/3/5 晚上10:15``, 钉钉's
``王经理 2025年3月5日 下午2:00``) or without a year (``王经理 3月5日 22:15``): that is in the
year of the last full date above it, else the first year the chat names; with none, the
message has no time (a note says so). A block from the sender 系统消息 / 系统提示 / system
(MemoTrace) is a filtered row, and so is a line such as ``王经理撤回了一条消息`` or ``以下为新消息``
between blocks: it ends the message above it, never part of its text — also when MemoTrace
stamps it like a header (``2025-10-01 22:35:00 "陈律师" 撤回了一条消息``: it is not a sender's block,
and it does not stop the file being taken for a chat). A reply's quotation of an earlier message
(``引用:陈律师:…`` under the reply) is left out of the reply's text: someone else's words.

A nickname holds no colon, so ``2024-03-05 21:13 张三：你好`` (a transcript line) is not
a header. A **data row** is one block: the header line and the lines after it up to
the next header; it becomes one MessageEvent (channel ``wechat``) whose text is the
block's lines. A block with no message lines is rejected. Date divider lines and a
``…的聊天记录`` title (or one typed above a copied chat: ``和王经理的微信聊天（电脑版复制的）``) are
not data rows; any other line before the first header is rejected, as it has no sender or time.

QQ's text export (``消息记录（此消息记录为文本格式，不支持重新导入）``) is read the same way:
its preamble — the title, ``====`` rule lines and the ``消息分组:…`` / ``消息对象:NAME``
lines between them, at the top and again before each further chat in an export of
several — is not data rows, and its blocks are ``2024-03-05 9:12:33 NAME`` headers
(a group member's ``NAME(QQ号)`` or ``NAME<mail>`` is read as ``NAME``). The
``消息对象`` is the other party of the chat: the debtor's own messages are addressed
to it, and when the chat has one other sender (the account that exported it) a note
says to give ``--debtor`` with that name. Nothing is inferred from it without that.

Nicknames are people's chosen names and say nothing about roles: ``我`` (and the other
labels that name the debtor) is the debtor; every other nickname is ``unknown`` unless
``--collector-speaker 张经理`` names the collector, and then the rest are the debtor's side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time

from checker.io.common import Filtered, Item, ReadContext, SpeakerLabels, make_message
from checker.io.pasted import SYSTEM_LABELS, SYSTEM_LINE
from checker.io.times import CHAT_STAMP, TimeParser, assumed_year, assumed_year_note, chat_year, combine

# The header's time as the apps write it: 2024-03-05 21:13:02, 2025/3/5 晚上10:15,
# 2025年3月5日 星期三 22:15, or 3月5日 22:15 without a year (the year the chat names, see read_wechat_text)
_TS = CHAT_STAMP
HEADER = re.compile(rf"^(?P<nick>\S.{{0,40}}?)\s+(?P<ts>{_TS})\s*$")
_NICK = r"[^\s:：][^:：]{0,40}?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
HEADER_TS_FIRST = re.compile(rf"^(?P<ts>{_TS})\s+(?P<nick>{_NICK})\s*$")
HEADER_CLOCK = re.compile(rf"^(?:(?P<nick>{_NICK})\s+(?P<clock>{_CLOCK})"
                          rf"|(?P<clock2>{_CLOCK})\s+(?P<nick2>{_NICK}))\s*$")
_DIVIDER = re.compile(r"^[\s—\-=─_~·]*(?P<day>\d{4}[-/年]\d{1,2}[-/月]\d{1,2}日?)"
                      r"(?:\s*(?:星期|周)[一二三四五六日天])?[\s—\-=─_~·]*$")
_TITLE = re.compile(r"聊天记录|chat history|^消息记录"
                    # 企业微信 会话记录 与 安和资产-陈主管 / 钉钉 单聊记录 导出 / 群聊记录
                    r"|会话记录|单聊记录|群聊记录|对话记录|^(?:企业微信|钉钉|飞书|微信|QQ)\s*(?:聊天|会话|消息)?\s*(?:导出|记录)",
                    re.IGNORECASE)
# a title someone typed above a chat they copied (和速易借王经理的微信聊天（电脑版多选复制的） / 与张经理的对话):
# the first line, before any header — not a data row, like 聊天记录
_TYPED_TITLE = re.compile(r"^.{0,30}(?:的|和|与|跟).{0,20}(?:微信|QQ|企业微信)?(?:聊天|对话)(?:记录|截图|内容)?"
                          r"\s*(?:[（(][^（()）]{0,24}[)）])?\s*$", re.IGNORECASE)
# QQ's text export: 消息记录（此消息记录为文本格式，不支持重新导入）, then ==== rule lines around
# 消息分组:我的好友 and 消息对象:NAME (again before each further chat in an export of several)
_QQ_RULE = re.compile(r"^={6,}$")
_QQ_META = re.compile(r"^(?P<key>消息分组|消息对象)\s*[:：]\s*(?P<value>.*?)\s*$")
_QQ_ID = re.compile(r"^(?P<name>.+?)\s*(?:[(（]\d{5,12}[)）]|[<(（][^<>()（）\s@]+@[^<>()（）\s]+[>)）])$")


def _is_qq(nonblank: list[str]) -> bool:
    """The preamble of QQ's text export: a ==== rule line and a 消息对象: line at the top."""
    top = nonblank[:8]
    return any(_QQ_RULE.match(ln) for ln in top) and any(
        (m := _QQ_META.match(ln)) is not None and m.group("key") == "消息对象" for ln in top)


_QQ_HEADER = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}:\d{2}\s+(?P<nick>\S.*?)\s*$")


def qq_owner(lines: list[str]) -> str | None:
    """The account that exported a QQ text export: in a chat between two (消息对象 and one other
    sender) the other sender is the exporter; when two or more such chats of the file have the
    same one, that nickname — else None (one chat, group chats only, or chats that disagree)."""
    senders: dict[str, set[str]] = {}
    other: str | None = None
    after_rule = False
    for raw in lines:
        line = raw.strip()
        meta = _QQ_META.match(line) if after_rule else None
        if meta and meta.group("key") == "消息对象":
            other = meta.group("value") or None
        if line:
            after_rule = bool(_QQ_RULE.match(line)) or (after_rule and meta is not None)
        h = _QQ_HEADER.match(line)
        if h and other is not None:
            senders.setdefault(other, set()).add(_qq_nick(h.group("nick")))
    pairs = [(o, nicks) for o, nicks in senders.items() if o in nicks and len(nicks) == 2]
    owners = {next(iter(nicks - {o})) for o, nicks in pairs}
    if len(owners) != 1 or len(pairs) < 2:
        return None  # one chat of two: their roles are read from what each says (SpeakerLabels.settle)
    owner = owners.pop()
    # the exporter takes part in every chat it exported and is no chat's 消息对象
    return owner if owner not in senders and all(owner in nicks for nicks in senders.values()) else None


def _qq_nick(nick: str) -> str:
    """A QQ group member's ``NAME(123456789)`` / ``NAME<a@qq.com>``: NAME."""
    m = _QQ_ID.match(nick)
    return m.group("name").strip() if m else nick


# 钉钉 / 企业微信 copies write a header's day as 02-09 (month-day, the year in a title above):
# read as 2月9日, a date without a year
_HEADER_MD = re.compile(r"^(?P<nick>[^\s:：][^:：]{0,40}?)\s+(?P<m>\d{1,2})-(?P<d>\d{1,2})\s+"
                        r"(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)\s*$")


def _month_day(line: str) -> str:
    m = _HEADER_MD.match(line)
    if not m or not (1 <= int(m.group("m")) <= 12 and 1 <= int(m.group("d")) <= 31):
        return line
    return f"{m.group('nick')} {int(m.group('m'))}月{int(m.group('d'))}日 {m.group('clock')}"


# MemoTrace's TXT writes a withdrawn message as a header line of its own, the time then the app's
# notice (2025-10-01 22:35:00 "陈律师" 撤回了一条消息): the app's line, not a sender's header
_STAMPED = re.compile(rf"^(?P<ts>{_TS})\s+(?P<rest>.+?)\s*$")


def _stamped_system(line: str) -> bool:
    """A time, then a chat app's system line (撤回了一条消息 …): not a message header."""
    m = _STAMPED.match(line)
    return m is not None and bool(SYSTEM_LINE.match(m.group("rest")))


# A reply that quotes an earlier message (MemoTrace's 引用:陈律师:…): the quoted words are not the sender's
_QUOTE_LINE = re.compile(r"^\s*「?引用」?\s*[:：]")


def looks_like_wechat(lines: list[str]) -> bool:
    nonblank = [_month_day(ln.strip()) for ln in lines if ln.strip() and not _stamped_system(ln.strip())][:24]
    if _is_qq(nonblank):  # QQ: the first line after the preamble is a header with a message line after it
        rest = [ln for ln in nonblank if not (_QQ_RULE.match(ln) or _QQ_META.match(ln) or _TITLE.search(ln))]
        return len(rest) >= 2 and bool(HEADER_TS_FIRST.match(rest[0]) or HEADER.match(rest[0])) and not (
            HEADER_TS_FIRST.match(rest[1]) or HEADER.match(rest[1]))
    nonblank = nonblank[:12]
    # a phone's call-recording text (小米 通话录音转文字: the number and the time, then 对方： / 我：
    # turns) has a header like a chat's, but its lines are labelled turns of one call
    body = [ln for ln in nonblank if not (HEADER.match(ln) or HEADER_TS_FIRST.match(ln))]
    turns = sum(bool(_TURN_LABEL.match(ln)) for ln in body)
    if turns >= 2 and turns * 2 >= len(body):
        return False
    # an ASR transcript under a dated title (通义听悟 | 催收电话 2025-03-12 20:59, or a phone's
    # 17012345678  2025年3月9日 21:00): one header-like line, then 发言人1 00:01 / 对方 00:02 blocks
    # whose stamps are offsets into the recording (the first starts at 00:), never a chat's messages
    offsets = [m for ln in body if (m := _OFFSET_HEAD.match(ln))]
    if (len(body) < len(nonblank) <= len(body) + 1 and len(offsets) >= 2 and offsets[0].group("ts").startswith("00:")
            and len(offsets) * 2 >= len(body) - 1):  # (a title line above: 通话录音转文字)
        return False
    if any(HEADER.match(ln) for ln in nonblank[:3]):
        return True
    if nonblank and (_TITLE.search(nonblank[0]) or _TYPED_TITLE.match(nonblank[0])) and not HEADER_TS_FIRST.match(
            nonblank[0]):
        nonblank = nonblank[1:]
    if not nonblank:
        return False
    # 2024-03-05 21:13:02 昵称 blocks: two or more headers, each followed by a message line
    heads = [bool(HEADER_TS_FIRST.match(ln)) for ln in nonblank]
    if heads[0] and sum(heads) >= 2 and not any(a and b for a, b in zip(heads, heads[1:], strict=False)):
        return True
    # a date divider, then 昵称 21:13 and a message line (not 说话人1 00:00:02: an ASR transcript's
    # block under the call's date, whose stamps are offsets into the recording)
    head = HEADER_CLOCK.match(nonblank[1]) if len(nonblank) >= 3 else None
    return (head is not None and bool(_DIVIDER.match(nonblank[0])) and not _ASR_LABEL.match(
        (head.group("nick") or head.group("nick2") or "").strip())
            and not HEADER_CLOCK.match(nonblank[2]) and not _DIVIDER.match(nonblank[2]))


_OFFSET_HEAD = re.compile(r"^[^\s:：\d\[【(（][^\s:：]{0,11}\s+"
                          r"[\[【(（]?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?[\]】)）]?$")
_TURN_LABEL = re.compile(r"^(?:对方|我|本人|客服|坐席|催收员|客户|机主)\s*[:：]")
_ASR_LABEL = re.compile(r"^(?:说话人|发言人|speaker[ _]?|spk[ _]?)\d+$", re.IGNORECASE)


def _header(line: str, parse_time, day: date | None, after: datetime | None, ctx: ReadContext
            ) -> tuple[str, datetime | None] | None:
    """(nickname, time) when ``line`` is a block header; the time is None for a date
    without a year in a chat that names no year."""
    for rx in (HEADER, HEADER_TS_FIRST):
        m = rx.match(line)
        if m:
            try:
                t = parse_time(m.group("ts"))
            except ValueError:
                if _yearless(m.group("ts")):
                    return m.group("nick").strip(), None
                continue
            if isinstance(t, datetime):
                return m.group("nick").strip(), t
    if day is None:
        return None
    m = HEADER_CLOCK.match(line)
    if not m:
        return None
    try:
        clock = parse_time(m.group("clock") or m.group("clock2"))
    except ValueError:
        return None
    if not isinstance(clock, time):
        return None
    t = combine(day, clock, ctx.tz)
    if after is not None and t < after:
        return None  # out of time order: a message line that ends with a clock
    return (m.group("nick") or m.group("nick2")).strip(), t


_PHONE_NICK = re.compile(r"^\+?[\d][\d \-]{3,}\d$")


def _yearless(ts: str) -> bool:
    """3月5日 22:15: a date without a year."""
    return bool(re.search(r"(?<![\d年])\d{1,2}\s*月\s*\d{1,2}\s*[日号]", ts)) and not re.search(r"\d{4}\s*[-/.年]", ts)


def read_wechat_text(text: str, ctx: ReadContext) -> Iterator[Item]:
    from checker.io.linechat import looks_like_line_chat, read_line_chat

    if looks_like_line_chat(text.splitlines()[:200]):
        yield from read_line_chat(text, ctx)
        return
    parser = TimeParser(ctx.tz)
    # a header without a year (3月5日 22:15) is in the year the chat names (a title, a full date above it)
    parser.year = named_year = chat_year("\n".join(text.splitlines()[:400]))
    assumed: list[int] = []  # the years assumed_year gave dates without a year (the chat names none)
    assumed_lines: list[int] = []  # the headers and date dividers read so

    def parse_time(ts: str):
        if parser.year is None and _yearless(ts):
            parser.year = assumed_year(ts)
            try:
                t = parser.parse(ts)
            finally:
                parser.year = None
            if isinstance(t, date):
                assumed.append(t.year)
            return t
        return parser.parse(ts)

    yearless: list[int] = []  # headers read in that year
    no_year: list[int] = []  # headers without a year in a chat that names none: no time
    lines = text.splitlines()
    qq = _is_qq([ln.strip() for ln in lines[:200] if ln.strip()])
    # a QQ export's own account (the one sender beside each chat's 消息对象) is the person's side:
    # not judged, unless an option says who is who
    owner = qq_owner(lines) if qq and not ctx.collector_speakers and not ctx.debtor_speakers else None
    speakers = SpeakerLabels(ctx.collector_speakers, ctx.debtor_speakers + ((owner,) if owner else ()))
    qq_other: str | None = None  # the 消息对象 of the chat being read (QQ)
    qq_senders: dict[str | None, list[str]] = {}  # 消息对象 -> the nicknames that sent messages in its chat
    after_rule = False  # the last non-blank line was a QQ ==== rule line
    # line, nick, time, header line, the chat's other party (QQ's 消息对象)
    block: tuple[int, str, datetime | None, str, str | None] | None = None
    body: list[str] = []
    seen_header = False
    day: date | None = None  # from the last date divider
    last: datetime | None = None

    items: list[tuple[str | None, Item]] = []  # (sender, item): a two-sender chat's roles are read at the end

    def emit() -> Item:
        line, nick, t, raw, other = block  # type: ignore[misc]
        # a reply's quotation of an earlier message (引用:陈律师:…) is left out: someone else's words
        own = [b for b in body if not _QUOTE_LINE.match(b)]
        msg = "\n".join(own if any(b.strip() for b in own) else body).strip()
        if nick.strip().lower() in SYSTEM_LABELS:  # MemoTrace's 系统消息 sender: the app's notice, no one's words
            return Filtered(line, "a system message (系统消息 / 系统提示), not a message of anyone's")
        if not msg:
            return ctx.reject(line, "a '昵称 时间' line with no message after it", raw)
        speaker = speakers.speaker(nick, named_only=True)
        direction = "out" if speaker == "debtor" else "in"
        party = other if direction == "out" and other and other != nick else nick
        # A sender that is a phone number (1069…, 138…): SMS pasted in the same blocks, not WeChat
        channel = "sms" if not qq and _PHONE_NICK.match(nick) else "wechat"
        return make_message(ctx, line, channel, t, direction, party, speaker, msg)

    for n, raw in enumerate(lines, 1):
        if items and (speakers.chosen or speakers.debtor_seen or len(speakers.ambiguous) > 2):
            yield from (it for _lab, it in items)  # no roles to read (an option says, or 3+ senders): stream on
            items.clear()
        line = _month_day(raw.strip())
        if qq and line:
            meta = _QQ_META.match(line) if after_rule else None
            if _QQ_RULE.match(line) or meta:  # the preamble of a chat: not a data row
                if meta and meta.group("key") == "消息对象":
                    qq_other = meta.group("value") or None
                after_rule = bool(_QQ_RULE.match(line))
                continue
            after_rule = False
        if line and _stamped_system(line):
            if block is not None:
                items.append((block[1], emit()))
                block = None
            items.append((None, Filtered(n, "a chat app's system line (撤回了一条消息 / 以下为新消息), not a message")))
            continue
        h = _header(line, parse_time, day, last if day is not None and last is not None and last.date() == day
                    else None, ctx) if line else None
        if h is not None:
            if block is not None:
                items.append((block[1], emit()))
            if h[1] is None:
                no_year.append(n)
            elif _yearless(line):
                (assumed_lines if parser.year is None else yearless).append(n)
            else:
                parser.year = h[1].year  # later headers without a year follow the last full date
            nick = _qq_nick(h[0]) if qq else h[0]
            block, body, seen_header = (n, nick, h[1], raw, qq_other), [], True
            if qq:
                senders = qq_senders.setdefault(qq_other, [])
                if nick not in senders:
                    senders.append(nick)
            last = h[1] or last
            continue
        if line and SYSTEM_LINE.match(line) and not (block is not None and block[1].lower() in SYSTEM_LABELS):
            # 王经理撤回了一条消息 / 以下为新消息 between blocks: the app's line, not the message above it
            if block is not None:
                items.append((block[1], emit()))
                block = None
            items.append((None, Filtered(n, "a chat app's system line (撤回了一条消息 / 以下为新消息), not a message")))
            continue
        dm = _DIVIDER.match(line) if line else None
        if dm:
            try:
                d = parse_time(dm.group("day"))
            except ValueError:
                d = None
            if isinstance(d, date) and not isinstance(d, datetime):
                day = d
                if parser.year is None and _yearless(dm.group("day")):
                    assumed_lines.append(n)
        if not line or dm:
            if block is not None and body and not line:
                body.append("")
            continue
        if block is None:
            if not seen_header and (_TITLE.search(line) or (not items and _TYPED_TITLE.match(line))):
                continue
            items.append((None, ctx.reject(n, "a line before the first '昵称 2024-03-05 21:13:02' line: no sender "
                                              "or time", raw)))
            continue
        body.append(line)
    if block is not None:
        items.append((block[1], emit()))
    yield from speakers.settle(items)
    if yearless:
        ctx.notes.append(f"{ctx.file}: {len(yearless)} header(s) with a date without a year (line {yearless[0]}) "
                         f"are read in the year the chat names ({named_year or 'from the full date above them'})")
    if assumed_lines:
        ctx.notes.append(assumed_year_note(ctx.file, f"{len(assumed_lines)} header(s) or date line(s) with a date",
                                           f"line {assumed_lines[0]}", assumed))
    if no_year:
        ctx.notes.append(f"{ctx.file}: {len(no_year)} header(s) with a date without a year (line {no_year[0]}) and "
                         "the chat names no year: those messages are read without a time (no contact-hours "
                         "finding); write the year (2025年3月5日 22:15) to have them timed")
    if owner:
        ctx.notes.append(f"{ctx.file}: a QQ chat export: {owner} sends in every chat beside its 消息对象, so "
                         f"{owner} is the account that exported it — read as your side (the debtor's) and not "
                         f"judged; every other sender is judged. If {owner} is the collector, give "
                         f"--collector-speaker {owner}.")
        speakers.debtors = speakers.debtors - {owner}  # not named by an option: no 'does not occur' note
    ctx.notes.extend(speakers.notes(ctx.file, "QQ nicknames" if qq else "WeChat nicknames"))
    if not speakers.chosen and not speakers.debtor_seen and not speakers.roles:
        for other, senders in qq_senders.items():
            owners = [s for s in senders if s != other]
            if other in senders and len(owners) == 1:  # a chat between two: the other sender exported it
                ctx.notes.append(f"{ctx.file}: a QQ chat export with {other} (消息对象); the other messages are "
                                 f"{owners[0]}'s, the account that exported the chat. If that is the debtor (you), "
                                 f"give --debtor {owners[0]} and those messages are not judged.")

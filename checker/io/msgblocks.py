"""SMS backups written as text, one message per block (``--input-format sms-text``):

* the text backups of OPPO / vivo / 华为 phones and backup apps: field lines ``发件人：…`` /
  ``收件人：…`` / ``时间：…`` / ``内容：…`` (also 发信人 / 收信人 / 号码 / 联系人 / 类型 / 日期 /
  短信内容, English From / To / Date / Body), blocks apart by a rule line (``-----``) or a blank
  line; the message may run over several lines after ``内容：``;
* iMazing's TXT export: a time line, then ``From: NAME (SMS)`` or ``To: NAME (iMessage)``,
  then the message up to the next time line with its From / To line.

A **data row** is one block (numbered by its first line); it becomes one MessageEvent
(channel ``sms``). Who sent it: a ``类型`` / Type field (接收 / 发送, received / sent) when
there is one; else a block with ``发件人`` / ``From:`` was received from that sender (``in``,
judged as ``unknown``) — unless the sender is the person themself (我, 本机, 自己, Me, or
``--debtor``'s number or name) — and a block with only ``收件人`` / ``To:`` was sent by the
person (``out``, the debtor's: never judged). A block without a time is kept without one (a
note says how many); one whose time cannot be read, or with no message, is rejected. A title
before the first block (``短信备份 共7条``, ``Messages with …``) and rule lines are not data
rows; any other line outside a block is rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from checker.io.common import Filtered, Item, ReadContext, RowError, clean_number, make_message
from checker.io.times import TimeParser

_FIELDS = {
    "sender": ("发件人", "发信人", "发送人", "发送方", "发件方", "来自", "from", "sender"),
    "recipient": ("收件人", "收信人", "接收人", "接收方", "收件方", "发送至", "发给", "to", "recipient"),
    "number": ("号码", "对方号码", "联系人号码", "手机号码", "电话", "电话号码", "number", "address", "phone"),
    "name": ("联系人", "姓名", "联系人姓名", "name", "contact"),
    "time": ("时间", "日期", "发送时间", "接收时间", "日期时间", "短信时间", "收发时间", "date", "time"),
    "text": ("内容", "短信内容", "正文", "信息内容", "消息内容", "短信", "body", "text", "message", "content"),
    "type": ("类型", "短信类型", "信息类型", "方向", "收发", "type", "box", "folder"),
}
_KEY = {alias: f for f, names in _FIELDS.items() for alias in names}
_FIELD = re.compile(r"^\s*(?P<key>[^\s:：]{1,6}|[A-Za-z]{2,10})\s*[:：]\s*(?P<value>.*?)\s*$")
_RULE = re.compile(r"^\s*[-=—_*~·─]{3,}\s*$")
_SERVICE = re.compile(r"\s*[(（](?:SMS|MMS|RCS|iMessage|短信|彩信|信息)[)）]\s*$", re.IGNORECASE)
# iMazing's party: ``NAME (NUMBER)`` — the number in brackets is the party (``16500001001
# (16500001001)``, ``+86 165 0000 1001 (+8616500001001)``, ``速易借 (1069012345678)``)
_NAME_NUMBER = re.compile(r"^(?P<name>.*?)\s*[(（](?P<number>\+?\d[\d \-]{2,}\d)[)）]$")
_NUMBERISH = re.compile(r"^\+?\d[\d \-]{2,}\d$")
# a phone's text backup: ``NAME NUMBER`` — the name saved for the number, a space, the number
# (``妈妈 13800001111``, ``速易借 1069012345678``, ``张三 +86 138 0000 1111``)
_NAME_SPACE_NUMBER = re.compile(r"^(?P<name>\S.*?)\s+(?P<number>\+?\d[\d \-]{3,}\d)$")
# iMazing's heading of each conversation in an export of several (``Messages with 速易借``)
_CHAT_HEADING = re.compile(r"^\s*(?:messages with|conversation with|与.{1,30}的(?:短信|信息|对话))\s*", re.IGNORECASE)
_TITLE = re.compile(r"备份|短信|信息|消息|导出|共\s*\d+\s*条|messages? with|conversation|export|backup", re.IGNORECASE)
# the person themself as an export names them in a sender or recipient field
SELF_NAMES = frozenset({"我", "本机", "自己", "本人", "me", "myself", "本机号码", "我的手机"})


def _party(value: str) -> tuple[str, str | None]:
    """A sender or recipient field as (the party, the name it is saved under): the number in
    brackets after a name (iMazing) or after a name and a space (``妈妈 13800001111``)
    — never the name's digits glued to the number's — with
    spaces and dashes dropped (``+86 165 0000 1001`` -> ``+8616500001001``, shown as
    16500001001); the name is None when it is only the number again."""
    from checker.io.table import number_key
    from checker.parties import shown_number

    value = _SERVICE.sub("", _SERVICE.sub("", value)).strip()
    m = _NAME_NUMBER.match(value)
    if m:
        number = shown_number(re.sub(r"[ \-]", "", m.group("number")))
        name = m.group("name").strip() or None
        if name and _NUMBERISH.match(name) and number_key(name) == number_key(number):
            name = None
        return number, name
    if _NUMBERISH.match(value):
        return shown_number(re.sub(r"[ \-]", "", value)), None
    m = _NAME_SPACE_NUMBER.match(value)
    if m and sum(ch.isdigit() for ch in m.group("number")) >= 5:
        return shown_number(re.sub(r"[ \-]", "", m.group("number"))), m.group("name").strip()
    return value, None


def _field(line: str) -> tuple[str, str] | None:
    m = _FIELD.match(line)
    if not m:
        return None
    f = _KEY.get(m.group("key").strip().lower())
    return (f, m.group("value")) if f else None


def _imazing_pair(lines: list[str], i: int, parse) -> bool:
    """Line i is a time and line i + 1 a ``From:`` / ``To:`` line (iMazing)."""
    if i + 1 >= len(lines):
        return False
    f = _field(lines[i + 1])
    if f is None or f[0] not in ("sender", "recipient") or _field(lines[i]):
        return False
    try:
        return isinstance(parse(lines[i].strip()), datetime)
    except (RowError, ValueError):
        return False


def looks_like_message_blocks(lines: list[str]) -> bool:
    """Two or more blocks of sender / recipient, time and content field lines (or a file that
    opens with one such block), or of iMazing's time line + From / To line."""
    from datetime import timezone

    head = [ln for ln in lines[:80]]
    keys = [f[0] for ln in head if (f := _field(ln))]
    if keys.count("text") >= 2 and keys.count("time") >= 2 and (keys.count("sender") + keys.count("recipient")
                                                                 + keys.count("number")) >= 2:
        return True
    # a backup of one message: its first lines are the sender / recipient, time and content fields
    first: list[str] = []
    for ln in (ln for ln in head if ln.strip()):
        f = _field(ln)
        if f is None:
            break
        first.append(f[0])
    if "text" in first and "time" in first and ("sender" in first or "recipient" in first):
        return True
    parse = TimeParser(timezone.utc).parse
    pairs = [i for i in range(len(head)) if _imazing_pair(head, i, parse)]
    # one message: its From / To line names the service, as iMazing writes it (From: X (SMS))
    return len(pairs) >= 2 or any(_SERVICE.search(head[i + 1]) for i in pairs)


def read_message_blocks(text: str, ctx: ReadContext) -> Iterator[Item]:
    from checker.io.vmsg import looks_like_vmsg, read_vmsg

    if looks_like_vmsg(text[:4096]):  # BEGIN:VMSG blocks: a .vmsg backup
        yield from read_vmsg(text, ctx)
        return
    from checker.io.mail import looks_like_email, read_email

    if looks_like_email(text[:8192].splitlines()):  # an .eml file: one e-mailed message
        yield from read_email(text, ctx)
        return
    from checker.io.table import message_direction, number_key

    parser = TimeParser(ctx.tz, order=None, given=ctx.date_order)
    lines = text.splitlines()
    me_number = number_key(ctx.debtor) if ctx.debtor else None
    me_names = {n.lower() for n in ctx.debtor_speakers}
    untimed = 0

    named: set[str] = set()  # --debtor names met in a sender or recipient field

    def is_me(value: str) -> bool:
        number, name = _party(value)
        if name is not None and is_me(name):
            return True
        v = number.strip()
        if v.lower() in me_names:
            named.add(v.lower())
            return True
        if v.lower() in SELF_NAMES:
            return True
        return me_number is not None and number_key(v) == me_number

    def block(first: int, fields: dict[str, str], body: list[str], raw: str) -> Item:
        nonlocal untimed
        msg = "\n".join(body).strip()
        if not msg:
            return ctx.reject(first, "a message block with no message (内容 / the lines after From: / To:)", raw)
        t = None
        if fields.get("time"):
            try:
                t = parser.parse(fields["time"])
            except RowError as e:
                return ctx.reject(first, str(e), raw)
            if not isinstance(t, datetime):
                return ctx.reject(first, f"time '{fields['time']}' has no date and clock; expected e.g. "
                                         "2025-03-05 21:12:00", raw)
        else:
            untimed += 1
        sender, recipient = fields.get("sender"), fields.get("recipient")
        direction: str | Filtered | None = None
        if fields.get("type"):
            try:
                direction = message_direction(fields["type"], False)
            except RowError as e:
                return ctx.reject(first, str(e), raw)
            if isinstance(direction, Filtered):
                return Filtered(first, direction.reason)
        if direction is None:
            if sender is not None:
                direction = "out" if is_me(sender) else "in"
            elif recipient is not None:
                direction = "in" if is_me(recipient) else "out"
            else:
                direction = "in"
        if direction == "out":
            other = recipient if recipient is not None and not is_me(recipient) else fields.get("number")
        else:
            other = sender if sender is not None and not is_me(sender) else fields.get("number")
        saved = None
        if other:
            other, saved = _party(other)
        other = clean_number(other or fields.get("number") or fields.get("name") or "") or None
        if saved and other:
            ctx.saw_name(other, saved)
        if fields.get("name") and fields.get("number"):
            ctx.saw_name(clean_number(fields["number"]), fields["name"])
        speaker = "debtor" if direction == "out" else "unknown"
        return make_message(ctx, first, "sms", t, direction, other, speaker, msg)

    imazing_parse = TimeParser(ctx.tz, given=ctx.date_order).parse

    def _pair_below(i: int) -> bool:
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        return _imazing_pair(lines, j, imazing_parse)
    first = 0  # line of the block being read (1-based), 0 outside a block
    fields: dict[str, str] = {}
    body: list[str] = []
    in_text = False  # the lines below belong to the message (after 内容：, or after From: / To:)
    start = 0
    seen_block = False
    gap = False  # a blank line since this block's message began
    i = 0
    while i < len(lines):
        line = lines[i]
        n = i + 1
        stripped = line.strip()
        pair = _imazing_pair(lines, i, imazing_parse)
        f = None if pair else _field(line)
        new_block = pair or (f is not None and f[0] != "text" and (not first or f[0] in fields or (
            body and gap)) and not (in_text and f[0] not in ("sender", "recipient", "time", "number")))
        if first and (new_block or _RULE.match(line)):
            yield block(first, fields, body, "\n".join(lines[start - 1:i]))
            first, fields, body, in_text, gap = 0, {}, [], False, False
        if pair:
            first, start, seen_block, gap = n, n, True, False
            fields = {"time": stripped}
            f2 = _field(lines[i + 1])
            fields[f2[0]] = _SERVICE.sub("", f2[1])  # type: ignore[index]
            in_text = True
            i += 2
            continue
        if _RULE.match(line) or not stripped:
            if first and in_text and not _RULE.match(line):
                body.append("")
                gap = bool(body)  # a field line after a blank line below a message starts the next block
            i += 1
            continue
        if f is not None and (not in_text or f[0] in ("sender", "recipient", "time", "number", "type", "name")):
            if not first:
                first, start, seen_block = n, n, True
            key, value = f
            if key == "text":
                in_text = True
                if value:
                    body.append(value)
            else:
                fields[key] = _SERVICE.sub("", value) if key in ("sender", "recipient") else value
                in_text = False if key != "text" and not body else in_text
            i += 1
            continue
        if _CHAT_HEADING.match(stripped) and (not first or gap or not body) and _pair_below(i):
            # iMazing's heading of the next conversation (Messages with 妈妈): the export's, not a message
            if first:
                yield block(first, fields, body, "\n".join(lines[start - 1:i]))
                first, fields, body, in_text, gap = 0, {}, [], False, False
            seen_block = True
            yield Filtered(n, "a conversation heading of the export (Messages with …), not a message")
        elif first and (in_text or not body):
            body.append(stripped)
            in_text = True
        elif not seen_block and _TITLE.search(stripped):
            pass  # a title above the first block
        else:
            yield ctx.reject(n, "a line outside any message block (no 发件人 / 收件人 / 时间 above it)", line)
        i += 1
    if first:
        yield block(first, fields, body, "\n".join(lines[start - 1:]))
    for name in ctx.debtor_speakers if ctx.debtor is None else ():  # beside a number: for the chats
        if name.lower() not in named:
            ctx.notes.append(f"{ctx.file}: --debtor {name} does not occur as a label")
    if untimed:
        ctx.notes.append(f"{ctx.file}: {untimed} message block(s) have no time (时间 / Date); they are read without "
                         "one (no contact-hours finding)")

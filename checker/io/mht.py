"""Web archives (``.mht`` / ``.mhtml``): a MIME message holding an HTML page. QQ's message
manager (``Saved by Tencent MsgMgr``) exports chats this way; browsers save pages so.

The HTML part is taken out (its transfer encoding and charset undone). A QQ export — a table
whose rows are ``日期: 2024-03-05`` day rows and message rows (the sender's name, then the clock,
then the message) under the ``消息记录`` / ``消息对象:NAME`` preamble — is turned into the text of
QQ's own text export (``2024-03-05 9:12:33 NAME`` header, then the message lines) and read by
checker.io.wechat exactly as that export is; the other party is the 消息对象 and the person's own
name is given with ``--debtor``. Any other page is read as an HTML page (its table, or a chat).
Line numbers are those of the converted text, one message row per header line.
"""

from __future__ import annotations

import email
import re
from email import policy

from checker.io.common import InputError

_MHT = re.compile(r"^(?:[\w-]+:.*\r?\n)*MIME-Version:", re.IGNORECASE)


def looks_like_mht(head: str) -> bool:
    s = head.lstrip("\ufeff \t\r\n")
    return bool(_MHT.match(s)) and "multipart/related" in s[:4096].lower()


def mht_html(text: str, file: str) -> str:
    """The HTML page inside the archive."""
    # parsed from bytes: a part sent as 7bit / 8bit then keeps its own bytes (UTF-8 as read)
    msg = email.message_from_bytes(text.encode("utf-8", "surrogateescape"), policy=policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            raw = part.get_payload(decode=True)
            if not isinstance(raw, bytes):
                continue
            charset = part.get_content_charset() or _meta_charset(raw) or "utf-8"
            for enc in (charset, "utf-8", "gb18030"):
                try:
                    return raw.decode(enc)
                except (LookupError, UnicodeDecodeError):
                    continue
    raise InputError(f"{file}: a web archive (.mht) with no HTML page inside; open it in a browser and copy the "
                     "chat's text into a .txt file")


def _meta_charset(raw: bytes) -> str | None:
    m = re.search(rb"charset=[\"']?([\w-]+)", raw[:2048], re.IGNORECASE)
    return m.group(1).decode("ascii") if m else None


def is_qq_export(html: str) -> bool:
    return "消息对象" in html and ("消息记录" in html or "日期:" in html or "日期：" in html)


_RULE = "=" * 64  # QQ's text export puts its preamble's fields between such lines
_DAY = re.compile(r"^日期\s*[:：]\s*(\d{4}-\d{1,2}-\d{1,2})\s*$")
_CLOCK = re.compile(r"^(?P<name>.+?)\s*(?P<clock>\d{1,2}:\d{2}:\d{2})\s*$")


def qq_text(html: str) -> str:
    """The QQ export's rows as QQ's text export writes them."""
    from checker.io.htmlchat import PageTree

    tree = PageTree()
    tree.feed(html)
    tree.close()
    out: list[str] = []
    day = ""
    for row in (n for n in tree.root.walk() if n.tag == "tr"):
        cells = [ln.strip() for ln in row.text().split("\n") if ln.strip()]
        if not cells:
            continue
        m = _DAY.match(cells[0])
        if m:
            day = m.group(1)
            continue
        # the sender's name and the clock, in one line (王经理12:14:00) or two, then the message
        head, body = _CLOCK.match(cells[0]), cells[1:]
        if head is None and len(cells) >= 2 and re.fullmatch(r"\d{1,2}:\d{2}:\d{2}", cells[1]):
            head, body = _CLOCK.match(f"{cells[0]} {cells[1]}"), cells[2:]
        if head and day and body:
            out.append(f"{day} {head.group('clock')} {head.group('name').strip()}")
            out.extend(body)
            out.append("")
            continue
        for cell in cells:  # the preamble: 消息记录 …, then 消息分组:… / 消息对象:NAME between rule lines
            if re.match(r"^消息(?:分组|对象)\s*[:：]", cell):
                out += [_RULE, cell, _RULE]
            else:
                out += [cell, ""]
    return "\n".join(out)

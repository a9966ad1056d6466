"""An e-mail saved as a file (``.eml``: Outlook, Foxmail, Thunderbird or a webmail's "download
message"): a collection notice sent by e-mail is one message. Read with the standard library's
``email`` parser: the sender from ``From:`` (its display name and address, RFC 2047 words
decoded), the time from ``Date:`` (its offset kept), the text from the first ``text/plain``
part (else the first ``text/html`` part without its tags), base64 or quoted-printable decoded,
with the ``Subject:`` line above it. A message from the person (``From:`` naming ``--debtor``)
is theirs and never judged; any other is ``unknown``, judged as the collector side.

The data row is the message (one per file); it is rejected, with a reason, when it has no text.
The batch contract has no e-mail channel: the message is an ``sms`` one (a written message).
"""

from __future__ import annotations

import email
import email.policy
import html
import re
from collections.abc import Iterator
from email.utils import parseaddr, parsedate_to_datetime

from checker.io.common import Item, ReadContext, make_message

_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9-]{1,40}):(?:\s|$)")


def looks_like_email(lines: list[str]) -> bool:
    """An RFC 822 header block first: From: and Date: or Subject: among header lines before the
    first blank line, every line a header or a folded continuation."""
    seen: set[str] = set()
    for line in lines[:80]:
        if not line.strip():
            break
        if line[:1] in " \t":
            continue
        m = _HEADER.match(line.lstrip("\ufeff"))
        if not m:
            return False
        seen.add(m.group(1).lower())
    return "from" in seen and bool({"date", "subject"} & seen) and len(seen) >= 3


def read_email(text: str, ctx: ReadContext) -> Iterator[Item]:
    msg = email.message_from_string(text.lstrip("\ufeff"), policy=email.policy.default)
    sender = str(msg.get("From", "") or "")
    name, addr = parseaddr(sender)
    subject = str(msg.get("Subject", "") or "").strip()
    body = ""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is not None:
        try:
            body = part.get_content()
        except (LookupError, ValueError):
            body = part.get_payload(decode=True).decode("utf-8", "replace")
        if part.get_content_subtype() == "html":
            body = html.unescape(re.sub(r"(?is)<(script|style)\b.*?</\1>|<[^>]+>", " ", body))
    body = "\n".join(ln.rstrip() for ln in body.strip().splitlines())
    words = "\n".join(x for x in (subject, body) if x)
    if not body.strip():
        yield ctx.reject(1, "an e-mail with no text (no text/plain or text/html part)", text[:500])
        return
    t = None
    if msg.get("Date"):
        try:
            t = parsedate_to_datetime(str(msg["Date"]))
        except (TypeError, ValueError):
            t = None
        if t is not None and t.tzinfo is None:
            t = t.replace(tzinfo=ctx.tz)
    if t is None:
        ctx.notes.append(f"{ctx.file}: the e-mail's Date: line is missing or does not read; it has no time")
    who = {w.lower() for w in (name, addr) if w}
    mine = bool(who & ({ctx.debtor.lower()} if ctx.debtor else set()) | who & {n.lower() for n in ctx.debtor_speakers})
    other = addr or name or None
    if name and addr:
        ctx.saw_name(addr, name)
    ctx.notes.append(f"{ctx.file}: an e-mail (From: {sender or '—'}) is read as one written message with its subject "
                     "and text")
    yield make_message(ctx, 1, "sms", t, "out" if mine else "in", None if mine else other,
                       "debtor" if mine else "unknown", words)

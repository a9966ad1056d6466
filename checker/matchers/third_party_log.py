"""The ``third_party_log`` matcher kind: a collector's call or message found in a
relative's or colleague's own phone log (``--third-party 母亲=FILE``).

Such records carry ``relation``; after ``--numbers`` filtering only contacts from
collector numbers remain, and each incoming one is a third-party contact, named with
the relation so the finding says whom the collector reached.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from checker.matchers.hours import CHANNEL_NAMES, STATUS_NAMES, _shown
from checker.model import CallEvent, Event, Explanation, Finding


def check(rule: Any, ev: Event, tz: tzinfo, compiled: Any) -> Finding | None:
    if not ev.relation or ev.channel not in rule.applies_to or ev.direction == "out":
        return None
    if ev.speaker in ("debtor", "third_party"):
        return None
    when = ev.time.astimezone(tz).strftime("%Y-%m-%d %H:%M") if ev.time else "时间不明"
    what = CHANNEL_NAMES.get(ev.channel, ev.channel)
    if isinstance(ev, CallEvent) and ev.status:
        what += f"（{STATUS_NAMES.get(ev.status, ev.status)}）"
    number = _shown(ev.from_) if ev.from_ else ""
    group = f"（{ev.collector_group}）" if ev.collector_group and ev.collector_group != number else ""
    if sum(ch.isdigit() for ch in number) >= 5:
        sender = f"催收号码 {number}{group} "
    elif number:
        sender = f"催收方 {number}{group} "  # a chat nickname (速易借-李专员), not a number
    else:
        sender = f"催收方{group}"  # a pasted chat or a record that names no sender
    evidence = f"{ev.relation}的手机 {when} 收到{sender}的{what}"
    if ev.text:
        evidence += f"：「{ev.text[:80]}」"
    f = compiled.finding(rule, ev, evidence, None, tz, Explanation((f"record from the log of: {ev.relation}",)))
    return f

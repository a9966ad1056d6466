"""The ``third_party_log`` matcher kind: a collector's call or message found in a
relative's or colleague's own phone log (``--third-party 母亲=FILE``).

Such records carry ``relation``; after ``--numbers`` filtering only contacts from
collector numbers remain, and each incoming one is a third-party contact, named with
the relation so the finding says whom the collector reached.

A message that only asks the relative to pass on a request to call back, apologises, or
refuses to tell them anything — with no word of the debt left once that courtesy is taken
out — is the one contact the industry rules allow (the debtor unreachable, a contact person
asked to pass on a call-back without being told of the debt: 自律公约第十四条, and the
rule's own message): the rule's ``match.courtesy`` and ``match.discloses`` lists decide it.
A call's content is unknown, so every collector's call stays a finding.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from functools import lru_cache
from typing import Any

from checker.matchers.hours import CHANNEL_NAMES, STATUS_NAMES, _shown
from checker.model import CallEvent, Event, Explanation, Finding


def incoming_collector(ev: Event) -> bool:
    """A record of a relative's log that a collector sent them (not one they sent or made)."""
    return bool(ev.relation) and ev.direction != "out" and ev.speaker not in ("debtor", "third_party")


@lru_cache(maxsize=16)
def _pattern(parts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


def courtesy_only(rule: Any, text: str) -> bool:
    """The message asks only for a call-back, apologises or withholds the debt: some
    ``courtesy`` wording is in it, and none of the ``discloses`` wording is left once it is
    taken out."""
    courtesy, discloses = rule.match.get("courtesy"), rule.match.get("discloses")
    if not courtesy or not discloses:
        return False
    flat = re.sub(r"\s+", "", text)
    rest, n = _pattern(tuple(courtesy)).subn("\x00", flat)
    return n > 0 and _pattern(tuple(discloses)).search(rest) is None


def check(rule: Any, ev: Event, tz: tzinfo, compiled: Any) -> Finding | None:
    if not incoming_collector(ev) or ev.channel not in rule.applies_to:
        return None
    if ev.text and courtesy_only(rule, ev.text):
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

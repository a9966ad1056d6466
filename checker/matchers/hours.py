"""The ``contact_hours`` matcher kind: contact inside a window of the debtor's local day.

One finding per offending event — a call transcript's turns are one event, the call
(``one_per_call``). Calls count when incoming (a missed or rejected call
is still a contact attempt); messages and utterances count when from the collector
side. Times without a zone were already placed in ``--tz`` by the readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import time, tzinfo
from functools import lru_cache
from typing import Any

from checker.model import CallEvent, Event, Explanation, Finding, Utterance

CHANNEL_NAMES = {"call": "来电", "sms": "短信", "wechat": "微信消息", "transcript": "通话"}
STATUS_NAMES = {"answered": "已接通", "missed": "未接", "rejected": "已拒接"}


@lru_cache(maxsize=64)
def _hhmm(s: str) -> time:
    h, m = s.split(":")
    return time(int(h), int(m))


def in_window(t: time, start: time, end: time) -> bool:
    """[start, end) on the clock, wrapping over midnight when start > end."""
    if start <= end:
        return start <= t < end
    return t >= start or t < end


def check(rule: Any, ev: Event, tz: tzinfo, compiled: Any) -> Finding | None:
    if ev.time is None or ev.channel not in rule.applies_to:
        return None
    if isinstance(ev, CallEvent) or ev.channel == "call":
        if ev.direction == "out" or ev.speaker in ("debtor", "third_party"):
            return None
    elif rule.speaker == "collector" and not ev.collector_side:
        return None
    local = ev.time.astimezone(tz)
    start, end = _hhmm(rule.match["start"]), _hhmm(rule.match["end"])
    if not in_window(local.time(), start, end):
        return None
    what = CHANNEL_NAMES.get(ev.channel, ev.channel)
    if isinstance(ev, CallEvent) and ev.status:
        what += f"（{STATUS_NAMES.get(ev.status, ev.status)}）"
    who = f"，号码 {ev.from_}" if ev.from_ else ""
    evidence = f"{local.strftime('%Y-%m-%d %H:%M:%S')}（{local.tzname() or tz}）{what}{who}"
    expl = Explanation((f"local time {local.strftime('%H:%M:%S')} in [{rule.match['start']}, {rule.match['end']})",))
    return compiled.finding(rule, ev, evidence, None, tz, expl)


_SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def one_per_call(findings: list[Finding], events: Iterable[Event]) -> list[Finding]:
    """One contact-hours finding per call: a transcript's turns that belong to one call
    (``Utterance.call``, set by the transcript readers) are one contact, not one each.

    The finding kept is the most severe (a call that runs past 22:00 is a night call), the
    earliest of those; it says how many of the call's turns fell in the window and when.
    Findings of events without a call (calls, messages, batch JSONL records) pass as they are.
    This runs on the findings of a whole scan (checker.pipeline.scan), after the engine.
    """
    call_of = {e.id: e.call for e in events if isinstance(e, Utterance) and e.call}
    if not call_of:
        return findings
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        call = call_of.get(f.record) if f.category == "contact.inconvenient_time" and f.span is None else None
        if call is not None:
            groups.setdefault(call, []).append(f)
    if not any(len(g) > 1 for g in groups.values()):
        return findings
    keep: dict[int, Finding] = {}
    drop: set[int] = set()
    for group in groups.values():
        chosen = max(group, key=lambda f: (_SEVERITY_RANK.get(f.severity, 0),
                                            -(f.time.timestamp() if f.time else 0)))
        best = chosen
        times = sorted(f.time for f in group if f.time)
        turns = len({f.record for f in group})
        if turns > 1 and times:
            span = f"{times[0].strftime('%H:%M:%S')}–{times[-1].strftime('%H:%M:%S')}"
            note = f"（同一通话，{span} 共 {turns} 句催收方一侧发言在此时段）"
            clause = (f"one call: {turns} collector-side turns in the window from {span}; one finding per call "
                      f"(records {', '.join(sorted({f.record for f in group}, key=_line_order))})")
            best = replace(best, evidence=best.evidence + note, message=best.message.replace(best.evidence,
                           best.evidence + note), explanation=replace(best.explanation, clauses=(
                               *best.explanation.clauses, clause)))
        for f in group:
            drop.add(id(f))
        keep[id(chosen)] = best
    return [keep.get(id(f), f) for f in findings if id(f) in keep or id(f) not in drop]


def _line_order(record: str) -> tuple[str, int]:
    head, _, tail = record.rpartition(":")
    return (head, int(tail)) if tail.isdigit() else (record, 0)

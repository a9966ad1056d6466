"""The contact ledger: per debtor-local day and collector group, across calls, SMS and
WeChat — attempts, connected calls, unanswered calls, messages and night contacts
(22:00–08:00). ``collcheck scan --ledger`` prints it; the report's charts read it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import time, timedelta, tzinfo
from typing import Any

from checker.matchers.hours import _shown, in_window
from checker.model import CallEvent, Event, Utterance

NIGHT = (time(22, 0), time(8, 0))


@dataclass
class LedgerRow:
    date: str
    group: str
    calls: int = 0
    connected: int = 0
    unanswered: int = 0
    messages: int = 0
    night: int = 0

    @property
    def attempts(self) -> int:
        return self.calls + self.messages

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "group": self.group, "attempts": self.attempts, "calls": self.calls,
                "connected": self.connected, "unanswered": self.unanswered, "messages": self.messages,
                "night": self.night}


def is_contact(ev: Event) -> bool:
    """A dated incoming contact from the collector side: what the ledger and the report's charts count."""
    if ev.time is None or ev.direction == "out" or not ev.collector_side and ev.channel != "call":
        return False
    if ev.channel == "call" and ev.speaker in ("debtor", "third_party"):
        return False
    # a transcript's turns are not contacts each: its call is (transcript_calls)
    return ev.channel != "transcript"


# A call log entry this close to a transcript's first turn is taken for the same call.
SAME_CALL = timedelta(minutes=5)


def transcript_calls(events: list[Event]) -> list[CallEvent]:
    """One connected incoming call per transcribed call (``Utterance.call``) that has a
    dated collector-side turn, so the counts agree with the contact-hours findings (one
    per call). A call the call log already holds (an incoming call within SAME_CALL of the
    transcript's first collector-side turn) is not counted twice. Batch records carry no
    call and are not counted here (their calls come as call records)."""
    firsts: dict[str, tuple[Utterance, Utterance]] = {}  # call -> (first collector-side turn, last turn)
    for ev in events:
        if not isinstance(ev, Utterance) or not ev.call or ev.time is None or ev.relation:
            continue
        seen = firsts.get(ev.call)
        if seen is None:
            if ev.collector_side:
                firsts[ev.call] = (ev, ev)
        elif ev.time > seen[1].time:  # type: ignore[operator]
            firsts[ev.call] = (seen[0], ev)
    if not firsts:
        return []
    logged = [e.time for e in events if isinstance(e, CallEvent) and e.time and is_contact(e)]
    out = []
    for first, last in firsts.values():
        t = first.time
        if any(abs(c - t) <= SAME_CALL for c in logged):  # type: ignore[operator]
            continue
        out.append(CallEvent(id=first.id, channel="call", source=first.source, time=t, direction="in",
                             speaker=first.speaker, duration_s=(last.time - t).total_seconds(),  # type: ignore[operator]
                             status="answered", agent=first.agent, case=first.case))
    return out


def build(events: list[Event], tz: tzinfo) -> list[LedgerRow]:
    rows: dict[tuple[str, str], LedgerRow] = {}
    events = [*events, *transcript_calls(events)]
    for ev in events:
        if not is_contact(ev):
            continue
        local = ev.time.astimezone(tz)
        group = ev.collector_group or (_shown(ev.from_) if ev.from_ else "未知号码")
        key = (local.date().isoformat(), group)
        row = rows.get(key) or rows.setdefault(key, LedgerRow(*key))
        if isinstance(ev, CallEvent):
            row.calls += 1
            status = ev.status or ("answered" if (ev.duration_s or 0) > 0 else "missed")
            if status == "answered":
                row.connected += 1
            else:
                row.unanswered += 1
        else:
            row.messages += 1
        if in_window(local.time(), *NIGHT):
            row.night += 1
    return [rows[k] for k in sorted(rows)]


def by_day(rows: list[LedgerRow]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        for k, v in r.to_dict().items():
            if isinstance(v, int):
                out[r.date][k] += v
    return {d: dict(v) for d, v in sorted(out.items())}


def write_table(rows: list[LedgerRow], out: Any) -> None:
    out.write(f"{'日期':<12}{'催收方':<20}{'接触':>6}{'来电':>6}{'接通':>6}{'未接通':>7}{'消息':>6}{'夜间':>6}\n")
    for r in rows:
        out.write(f"{r.date:<12}{r.group[:18]:<20}{r.attempts:>6}{r.calls:>6}{r.connected:>6}{r.unanswered:>7}"
                  f"{r.messages:>6}{r.night:>6}\n")

"""The ``contact_hours`` matcher kind: contact inside a window of the debtor's local day.

One finding per offending event, as the finding contract says: each collector-side turn
of a transcript in the window is one (the evidence report counts a transcribed call as one
contact: ``checker.ledger``). Calls count when incoming (a missed or rejected call
is still a contact attempt); messages and utterances count when from the collector
side. Times without a zone were already placed in ``--tz`` by the readers.
"""

from __future__ import annotations

from datetime import time, tzinfo
from functools import lru_cache
from typing import Any

from checker.model import CallEvent, Event, Explanation, Finding

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
        # direction is the debtor's side (out = dialled by the debtor), unless the record
        # says the collector made the call (a QA batch of outbound calls)
        if ev.speaker in ("debtor", "third_party") or (ev.direction == "out" and ev.speaker != "collector"):
            return None
    elif rule.speaker == "collector" and not ev.collector_side:
        return None
    local = ev.time.astimezone(tz)
    start, end = _hhmm(rule.match["start"]), _hhmm(rule.match["end"])
    if not in_window(local.time(), start, end):
        return None
    what = CHANNEL_NAMES.get(ev.channel, ev.channel)
    if type(ev).__name__ == "ChatCall":
        what = "微信通话"  # a voice / video call a chat export holds (checker.io.common.chat_call)
    if isinstance(ev, CallEvent) and ev.status:
        what += f"（{STATUS_NAMES.get(ev.status, ev.status)}）"
    if ev.relation:  # from a relative's own log (--third-party 母亲=FILE): whose phone it reached
        what = f"{ev.relation}的手机收到的{what}"
    who = ""
    if ev.from_:
        shown = _shown(ev.from_)
        # a WeChat nickname is a sender, not a number
        who = f"，号码 {shown}" if sum(ch.isdigit() for ch in shown) >= 5 else f"，发送人 {shown}"
    evidence = f"{local.strftime('%Y-%m-%d %H:%M:%S')}（{zone_label(local, tz)}）{what}{who}"
    expl = Explanation((f"local time {local.strftime('%H:%M:%S')} in [{rule.match['start']}, {rule.match['end']})",))
    return compiled.finding(rule, ev, evidence, None, tz, expl)


# China's one time zone under the names a tz database gives it: its abbreviation CST is also
# US Central time, so a complaint says 北京时间, as people in China write it
BEIJING_ZONES = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"})


def zone_label(local: Any, tz: tzinfo) -> str:
    """How a local time's zone is written in evidence: 北京时间 for China's zone, else its
    abbreviation (or the zone's name)."""
    if getattr(tz, "key", None) in BEIJING_ZONES:
        return "北京时间"
    return local.tzname() or str(tz)


_SHOWN: Any = None


def _shown(raw: str) -> str:
    """``checker.parties.shown_number``, imported on first use (a function-level import runs
    at every call: ~1 µs, against 0.07 µs for the work; a batch has hundreds of thousands of
    calls)."""
    global _SHOWN
    if _SHOWN is None:
        from checker.parties import shown_number

        _SHOWN = shown_number
    return _SHOWN(raw)

"""The ``contact_frequency`` matcher kind: more contacts on one local day than allowed.

``connected`` counts answered calls, ``unanswered`` missed + rejected, ``attempts``
all incoming calls. ``per: debtor`` counts across every collector number (the
standard counts an institution and all its agencies together; two NAMED collectors are two
institutions, see ``institution``); ``per: number`` counts
one collector's calls to the debtor's number — one calling number, or all numbers of
its collector group when rotating numbers are grouped (``checker.parties``). The finding
names every counted record and the day judged; its
``record`` is the first call over the limit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple

from checker.matchers.hours import _shown
from checker.model import CallEvent, Explanation, Finding, Source

COUNTS = {
    "connected": ("answered",),
    "unanswered": ("missed", "rejected"),
    "attempts": ("answered", "missed", "rejected"),
}
COUNT_NAMES = {"connected": "接通", "unanswered": "未接通的拨打", "attempts": "来电尝试"}


class CallStub(NamedTuple):
    """What the frequency rules and their findings need of a call: a plain tuple, cheap to
    send from a batch worker to the parent (a CallEvent with its Source costs several
    times more to pickle and unpickle, and a batch keeps every call)."""

    id: str
    time: datetime | None
    channel: str
    collector_group: str | None
    from_: str | None
    speaker: str
    agent: str | None
    case: str | None
    file: str
    line: int
    sha256: str | None

    @property
    def source(self) -> Source:
        return Source(self.file, self.line, self.sha256)

    @classmethod
    def of(cls, ev: CallEvent) -> CallStub:
        src = ev.source
        return cls(ev.id, ev.time, ev.channel, ev.collector_group, ev.from_, ev.speaker, ev.agent, ev.case,
                   src.file, src.line, src.sha256)


def _debtor_key(ev: CallEvent) -> str:
    # one number however it is written (+86 139 0000 7002, 0086…, 139-0000-7002): one debtor
    return (_shown(ev.to) if ev.to else None) or ev.case or "债务人"


def local_days(calls: list[CallEvent], tz: tzinfo) -> list[str | None]:
    """Each call's local date (ISO), computed once for all frequency rules."""
    memo: dict[Any, str] = {}
    out: list[str | None] = []
    for ev in calls:
        t = ev.time
        if t is None:
            out.append(None)
            continue
        # the local date depends only on the minute and the offset (zones with :30 or :45
        # offsets turn the date mid-hour)
        key = (t.year, t.month, t.day, t.hour, t.minute, t.utcoffset())
        day = memo.get(key)
        if day is None:
            day = memo[key] = t.astimezone(tz).date().isoformat()
        out.append(day)
    return out


def counted(calls: list[CallEvent], tz: tzinfo) -> list[tuple[CallEvent, str, str, str | None]]:
    """What every frequency rule needs of a call, computed once for all of them: (event,
    local date, debtor key, status) for incoming calls with a time (a call the record says the
    collector made counts whatever its direction says); a call without a status
    counts as answered when it lasted."""
    days = local_days(calls, tz)
    out = []
    for ev, day in zip(calls, days, strict=True):
        if day is None or ev.speaker in ("debtor", "third_party") or (ev.direction == "out"
                                                                   and ev.speaker != "collector"):
            continue
        status = ev.status or ("answered" if (ev.duration_s or 0) > 0 else None)
        out.append((ev, day, _debtor_key(ev), status))
    return out


# Calls a rule keeps in memory before its groups move to a temporary SQLite file on disk (a
# batch of millions of call records: a debtor's calls of a day may be anywhere in it, so they
# are all kept until the end; past this many, memory stays flat and the disk holds them).
SPILL_AT = 150_000


class CallGroups:
    """One rule's groups (local day, debtor, number) -> calls, filled as calls arrive (a
    batch scan adds each chunk's calls while the workers go on), judged at the end.

    Past ``SPILL_AT`` calls in memory the groups are written to a temporary SQLite database
    (stdlib ``sqlite3``, in the system's temp folder, removed when the groups are dropped) and
    memory is freed; ``over_limit`` then asks the database for the groups over the limit, and
    ``judge`` loads each group's calls when it comes to it — in the process that judges it,
    a forked worker included. The findings are the same either way (tests/test_batch.py)."""

    def __init__(self, rule: Any):
        m = rule.match
        self.rule = rule
        self.statuses = COUNTS[m["count"]]
        self.per_number = m["per"] == "number"
        self.groups: dict[tuple[str, str, str], list[CallEvent]] = defaultdict(list)
        self.kept = 0  # calls in self.groups
        self.seq = 0  # calls written to the database so far (their order of arrival)
        self.db_path: str | None = None
        self._db: Any = None
        self._db_pid = 0

    def add(self, base: list[tuple[CallEvent, str, str, str | None]]) -> None:
        self.merge(self.partial(base))

    def partial(self, base: list[tuple[CallEvent, str, str, str | None]]) -> dict[tuple[str, str, str], list]:
        """This rule's groups of some calls alone (a batch worker groups its chunk's calls,
        the parent merges the groups: fewer steps in the parent than one per call)."""
        statuses, channels, per_number = self.statuses, self.rule.applies_to, self.per_number
        groups: dict[tuple[str, str, str], list] = {}
        for ev, day, debtor, status in base:
            if status not in statuses or ev.channel not in channels:
                continue
            if per_number:
                number = ev.collector_group or (_shown(ev.from_) if ev.from_ else "未知号码")
            else:
                number = institution(ev.collector_group)
            key = (day, debtor, number)
            group = groups.get(key)
            if group is None:
                groups[key] = [ev]
            else:
                group.append(ev)
        return groups

    def merge(self, partial: dict[tuple[str, str, str], list]) -> None:
        """Add groups from ``partial`` (later calls after earlier ones, as they came)."""
        groups = self.groups
        n = 0
        for key, evs in partial.items():
            groups[key].extend(evs)
            n += len(evs)
        self.kept += n
        if self.kept > SPILL_AT:
            self._spill()

    # ------------------------------------------------------------------ on disk
    def _conn(self) -> Any:
        """This process's connection to the groups' database (a forked worker opens its own)."""
        import os
        import sqlite3

        if self._db is None or self._db_pid != os.getpid():
            self._db = sqlite3.connect(self.db_path)  # type: ignore[arg-type]
            self._db_pid = os.getpid()
        return self._db

    def _spill(self) -> None:
        """Move the groups in memory to the database, a call per row in plain columns (what
        CallStub holds; no pickling, which costs more than the insert)."""
        import os
        import tempfile
        import weakref

        if self.db_path is None:
            fd, self.db_path = tempfile.mkstemp(prefix="collcheck-calls-", suffix=".sqlite")
            os.close(fd)
            weakref.finalize(self, _remove_db, self.db_path, os.getpid())
            db = self._conn()
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE calls (day TEXT, debtor TEXT, number TEXT, seq INTEGER, id TEXT, time TEXT, "
                       "channel TEXT, grp TEXT, frm TEXT, speaker TEXT, agent TEXT, cas TEXT, file TEXT, line INTEGER, "
                       "sha TEXT)")
        db = self._conn()
        seq = self.seq
        rows = []
        for (day, debtor, number), evs in self.groups.items():
            for ev in evs:
                if type(ev) is not CallStub:
                    ev = CallStub.of(ev)
                t = ev.time
                rows.append((day, debtor, number, seq, *ev[:1], t.isoformat() if t else None, *ev[2:]))
                seq += 1
        db.executemany("INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.commit()
        self.seq = seq
        self.groups = defaultdict(list)
        self.kept = 0

    def _load(self, key: tuple[str, str, str]) -> list:
        cur = self._conn().execute("SELECT id, time, channel, grp, frm, speaker, agent, cas, file, line, sha "
                                   "FROM calls WHERE day = ? AND debtor = ? AND number = ? ORDER BY seq", key)
        fromiso = datetime.fromisoformat
        return [CallStub(r[0], fromiso(r[1]) if r[1] else None, *r[2:]) for r in cur]

    def over_limit(self) -> list[tuple[tuple[str, str, str], list[CallEvent] | None]]:
        """The groups over the rule's limit, in their output order (day, debtor, number).
        Groups kept on disk come without their calls (None): ``judge`` loads them."""
        limit = self.rule.match["max"]
        if self.db_path is None:
            return sorted((k, v) for k, v in self.groups.items() if len(v) > limit)
        if self.kept:
            self._spill()
        db = self._conn()
        db.execute("CREATE INDEX IF NOT EXISTS calls_key ON calls (day, debtor, number, seq)")
        cur = db.execute("SELECT day, debtor, number FROM calls GROUP BY day, debtor, number "
                         "HAVING COUNT(*) > ? ORDER BY day, debtor, number", (limit,))
        return [((day, debtor, number), None) for day, debtor, number in cur]

    def judge(self, groups: list[tuple[tuple[str, str, str], list[CallEvent]]], tz: tzinfo,
              compiled: Any) -> list[Finding]:
        """One finding per group over the limit (``groups`` from ``over_limit``, or a
        slice of it: a batch scan judges slices in parallel)."""
        rule, m = self.rule, self.rule.match
        out = []
        limit, count = m["max"], m["count"]
        label, per = COUNT_NAMES[count], m["per"]
        for key, evs in groups:
            day, _debtor, number = key
            evs = self._load(key) if evs is None else evs
            evs.sort(key=_time_id)
            over = evs[limit]
            senders = {e.from_ for e in evs}
            if not number and len(senders) == 1 and None not in senders:
                scope = f"催收号码 {_shown(next(iter(senders)))} "  # the pool held one number that day
            elif not number:
                scope = "所有催收号码合计"
            elif self.per_number:
                scope = f"催收方 {number} "
            else:
                scope = f"催收方 {number} 的所有号码合计"
            # a low-severity count is an advisory line, not a legal limit (the draft says so too); a
            # limit set only by rules not yet issued on that day (a 2026 guideline for 2025 calls) is a
            # reference line then, not the limit of the day, and the finding is an advisory
            early = _not_yet_issued(compiled, rule, day)
            if early:
                bound = f"（参考线 {limit} 次：所依据的规定当时尚未发布，不是当时的上限）"
            elif rule.severity == "low":
                bound = f"（提示线 {limit} 次，不是法定上限）"
            else:
                bound = f"（上限 {limit} 次）"
            evidence = f"{day} {scope}{label} {len(evs)} 次{bound}"
            expl = Explanation((f"count {count} per {per} on {day}: {len(evs)} > {limit}",))
            found = compiled.finding(rule, over, evidence, None, tz, expl, records=tuple(e.id for e in evs), day=day)
            out.append(replace(found, severity="low") if early else found)
        return out

    def findings(self, tz: tzinfo, compiled: Any) -> list[Finding]:
        return self.judge(self.over_limit(), tz, compiled)


# Words that name an agency working for a lender after the lender's name (橙意分期委外催收,
# 速易借（委外）, 花花贷-催收): the agency's numbers count with the lender's.
_AGENCY_SUFFIX = re.compile(r"(?:[\s\-—_·()（）]*(?:委外|外包|外呼|催收|催缴|贷后|合作机构|合作方|第三方|代理|"
                            r"律所|律师|法务|调解|资产管理|公司|中心|部门?|组|团队|机构)[\s()（）]*)+$")


_OUTSOURCED = re.compile(r"委外|外包")


def _not_yet_issued(compiled: Any, rule: Any, day: str) -> bool:
    """Whether every provision that sets the limit's number (the citations keyed ``*.frequency``: the
    standard's 3 connected calls, the 2026 guideline's 6 unanswered attempts) was not yet issued
    or in force on ``day``. The general ones a rule also cites (民法典第一千零三十三条, 不得频繁致电)
    set no number."""
    try:
        on = date.fromisoformat(day)
    except ValueError:
        return False
    cites = [c for c in compiled.citations(rule, on) if c.key.endswith(".frequency")]
    return bool(cites) and all(c.note and ("尚未发布" in c.note or "尚未施行" in c.note) for c in cites)


def institution(group: str | None) -> str:
    """The institution a ``per: debtor`` limit counts for. A NAMED collector — a numbers-file
    line with a name (速易借: 171…, 171…), or numbers joined by their messages' shared signature
    (【某某金融】) — is an institution, and two differently named lenders are counted apart (the
    standard's limit is per institution and its agencies); a name that is a lender's name plus
    agency words (橙意分期委外催收, 速易借（委外）) counts with that lender, and so does an agency
    named as working for it (鑫融花委外恒正资产, 恒正资产（鑫融花委外催收）). Every other number (an
    unnamed line, named by its own digits, or a number no list names) is pooled into one count:
    collcheck cannot tell whose it is, and the standard counts all of an institution's numbers
    together."""
    if not group or group[0].isdigit() or group[0] in "+(（":
        return ""
    m = _OUTSOURCED.search(group)
    if m and m.start() > 0:
        # the lender named before 委外 / 外包: 鑫融花委外恒正资产, 恒正资产（鑫融花委外催收） — an agency's
        # numbers count with the lender it works for, whatever else its name says
        before = group[:m.start()]
        cut = max(before.rfind("（"), before.rfind("("))
        if cut >= 0 and before.count(before[cut]) > before.count("）" if before[cut] == "（" else ")"):
            before = before[cut + 1:]
        lender = before.strip(" -—_·")
        if len(lender) >= 2:
            return lender
    name = _AGENCY_SUFFIX.sub("", group) or group
    # 鑫瑞资产（速易借委外） loses 委外） with the agency words: its bracket is closed again, so a
    # finding names 鑫瑞资产（速易借）, not 鑫瑞资产（速易借
    for left, right in (("（", "）"), ("(", ")")):
        if name.count(left) > name.count(right):
            name += right
    return name


def _remove_db(path: str, pid: int) -> None:
    import os

    if os.getpid() == pid:  # not in a forked worker that inherited the groups
        try:
            os.remove(path)
        except OSError:
            pass


def _time_id(e: Any) -> tuple:
    return (e.time, e.id)


def check(rule: Any, calls: list[CallEvent], tz: tzinfo, compiled: Any,
          base: list[tuple[CallEvent, str, str, str | None]] | None = None) -> list[Finding]:
    c = CallGroups(rule)
    c.add(counted(calls, tz) if base is None else base)
    return c.findings(tz, compiled)

"""The data model: events read from inputs, rejected rows, findings and citations.

Every stage passes these frozen dataclasses along; nothing downstream mutates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "contact.inconvenient_time",
    "contact.excessive_frequency",
    "contact.third_party",
    "disclosure.public_exposure",
    "impersonation.authority",
    "false_legal.document",
    "false_legal.consequence",
    "threat.violence",
    "threat.visit",
    "abuse.insult",
    "pressure.new_borrowing",
    "fees.excessive",
)
CHANNELS: tuple[str, ...] = ("call", "sms", "wechat", "transcript")
TEXT_CHANNELS: tuple[str, ...] = ("sms", "wechat", "transcript")
SPEAKERS: tuple[str, ...] = ("collector", "debtor", "third_party", "unknown")
# Records from these speakers are judged by collector-side rules: an exported inbox is
# mostly what others sent the person, so "unknown" counts as the collector side.
COLLECTOR_SIDE: frozenset[str] = frozenset({"collector", "unknown"})
DIRECTIONS: tuple[str, ...] = ("in", "out")
STATUSES: tuple[str, ...] = ("answered", "missed", "rejected")
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class Source:
    """Where a record came from: file name (as given), 1-based line or row, file hash."""

    file: str
    line: int
    sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "sha256": self.sha256}


@dataclass(frozen=True)
class Event:
    """One contact: a call, a message or a transcript utterance.

    ``time`` is timezone-aware or None. ``speaker`` is one of SPEAKERS.
    """

    id: str
    channel: str
    source: Source
    time: datetime | None = None
    direction: str | None = None
    from_: str | None = None
    to: str | None = None
    speaker: str = "unknown"
    text: str | None = None
    agent: str | None = None
    case: str | None = None
    labels: tuple[str, ...] | None = None
    # Set by checker.parties: the collector group the calling number belongs to (rotating
    # numbers of one collector share a group), and — for records read from a relative's or
    # colleague's own log (--third-party 母亲=FILE) — that person's relation to the debtor.
    collector_group: str | None = None
    relation: str | None = None

    @property
    def collector_side(self) -> bool:
        """Judged by collector-side rules: an explicit collector, or an unknown speaker
        unless the record says the debtor sent it (direction is from the debtor's side:
        ``in`` reached the debtor, ``out`` was sent or dialled by the debtor)."""
        if self.speaker == "collector":
            return True
        return self.speaker == "unknown" and self.direction != "out"


@dataclass(frozen=True)
class CallEvent(Event):
    """A call attempt. Missed and rejected calls are contact attempts too."""

    duration_s: float | None = None
    status: str | None = None


@dataclass(frozen=True)
class MessageEvent(Event):
    """An SMS or WeChat message."""


@dataclass(frozen=True)
class Utterance(Event):
    """One speaker turn of a call transcript.

    ``call`` names the call the turn belongs to, when the reader knows it: a pasted
    transcript, SRT / WebVTT or ASR JSON file is one call (a pasted file holding several
    calls, told apart by a gap in its times, is one call per stretch). The report counts a
    call once (checker.ledger); findings stay one per offending turn (the finding contract).
    Batch JSONL records carry no call: each record is its own contact.
    """

    call: str | None = None


@dataclass(frozen=True)
class RejectedRow:
    """An input row that could not be read: reported, never dropped."""

    file: str
    line: int
    reason: str
    raw: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class InputSummary:
    """What one input file gave: rows = events + filtered + rejected."""

    file: str
    sha256: str
    format: str
    encoding: str
    rows: int
    events: int
    filtered: int
    rejected: tuple[RejectedRow, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "format": self.format,
            "encoding": self.encoding,
            "rows": self.rows,
            "events": self.events,
            "filtered": self.filtered,
            "rejected": [r.to_dict() for r in self.rejected],
        }


@dataclass(frozen=True)
class Citation:
    """One cited provision, in the version in force on the conduct date."""

    key: str
    law: str
    article: str
    text: str
    status: str  # verbatim | secondary | paraphrase
    version: str
    effective: str | None = None
    until: str | None = None
    source: str = ""
    kind: str = "statute"
    note: str | None = None

    @property
    def quotable(self) -> bool:
        """Only verbatim or secondary-quoted wording may appear inside quotation marks."""
        return self.status in ("verbatim", "secondary")

    def to_dict(self) -> dict[str, Any]:
        d = {
            "key": self.key,
            "law": self.law,
            "article": self.article,
            "text": self.text,
            "status": self.status,
            "version": self.version,
            "effective": self.effective,
            "source": self.source,
            "kind": self.kind,
        }
        if self.until:
            d["until"] = self.until
        if self.note:
            d["note"] = self.note
        return d


@dataclass(frozen=True)
class Explanation:
    clauses: tuple[str, ...] = ()
    suppressed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"clauses": list(self.clauses), "suppressed": list(self.suppressed)}


@dataclass(frozen=True)
class Finding:
    """One violation found by one rule: the contract's Finding object."""

    rule: str
    category: str
    severity: str
    record: str
    evidence: str
    message: str
    citations: tuple[Citation, ...]
    source: Source | None = None
    time: datetime | None = None
    span: tuple[int, int] | None = None
    records: tuple[str, ...] | None = None
    date: str | None = None
    speaker: str | None = None
    agent: str | None = None
    case: str | None = None
    explanation: Explanation = field(default_factory=Explanation)

    def covered_records(self) -> tuple[str, ...]:
        return self.records if self.records else (self.record,)

    def to_dict(self, citations: Any = None) -> dict[str, Any]:
        """The finding contract's JSON object. ``citations`` stands in for the citation
        list when given (the JSONL writer splices in a cached encoding)."""
        d: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "record": self.record,
            "source": self.source.to_dict() if self.source else None,
            "time": self.time.isoformat() if self.time else None,
            "evidence": self.evidence,
            "span": list(self.span) if self.span else None,
            "message": self.message,
            "citations": [c.to_dict() for c in self.citations] if citations is None else citations,
            "explanation": self.explanation.to_dict(),
        }
        if self.records is not None:
            d["records"] = list(self.records)
        if self.date is not None:
            d["date"] = self.date
        for k in ("speaker", "agent", "case"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        return d

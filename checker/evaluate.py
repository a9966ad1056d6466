"""``collcheck eval``: findings against each record's ``labels`` (category ids).

Scoring is per record and category: a record's predicted categories are those of the
findings that cover it (an aggregate finding covers every record it names). Only
records that carry a ``labels`` list are scored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from checker.model import Event, Finding


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Evaluation:
    per_category: dict[str, Score] = field(default_factory=dict)
    micro: Score = field(default_factory=Score)
    records: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records, "micro": self.micro.to_dict(),
                "categories": {k: v.to_dict() for k, v in sorted(self.per_category.items())},
                "errors": self.errors}


def evaluate(events: list[Event], findings: list[Finding]) -> Evaluation:
    predicted: dict[str, set[str]] = defaultdict(set)
    rules_for: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in findings:
        for rid in f.covered_records():
            predicted[rid].add(f.category)
            rules_for[(rid, f.category)].append(f.rule)
    ev = Evaluation()
    for e in events:
        if e.labels is None:
            continue
        ev.records += 1
        gold = set(e.labels)
        pred = predicted.get(e.id, set())
        for cat in gold | pred:
            s = ev.per_category.setdefault(cat, Score())
            if cat in gold and cat in pred:
                s.tp += 1
                ev.micro.tp += 1
            elif cat in pred:
                s.fp += 1
                ev.micro.fp += 1
                ev.errors.append({"record": e.id, "type": "fp", "category": cat, "speaker": e.speaker,
                                  "rules": rules_for[(e.id, cat)], "text": e.text,
                                  "time": e.time.isoformat() if e.time else None})
            else:
                s.fn += 1
                ev.micro.fn += 1
                ev.errors.append({"record": e.id, "type": "fn", "category": cat, "speaker": e.speaker,
                                  "rules": [], "text": e.text,
                                  "time": e.time.isoformat() if e.time else None})
    return ev

"""QA summaries for compliance teams: findings counted per rule, category, severity,
agent and case, with rates per 1,000 records (``scan --summary``, ``collcheck summary``).

Rates need the number of records scanned — overall, and per agent / case for their own
rates; ``scan --summary`` knows them. ``collcheck summary FINDINGS.jsonl`` counts them from
the scanned batch with ``--batch BATCH.jsonl`` (``count_records``), or takes ``--records N``
(per-agent and per-case rates are then not available and are left empty).

Two counts per row, because one record can hold several findings: ``findings`` (every finding —
several rules of one category often agree on one sentence, and a night call's record and each
collector line of its transcript are each a finding, as the finding contract says) and
``flagged_records`` (the distinct records with at least one finding there: a violation rate per
1,000 records that never exceeds 1,000). The distinct records are kept as sets of record ids per
row: memory grows with the number of flagged records, not with the batch."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

DIMENSIONS = ("rule", "category", "severity", "agent", "case")


@dataclass
class Summary:
    records: int | None = None
    findings: int = 0
    counts: dict[str, Counter] = field(default_factory=lambda: {d: Counter() for d in DIMENSIONS})
    records_by: dict[str, Counter] = field(default_factory=lambda: {"agent": Counter(), "case": Counter()})
    flagged: dict[str, dict[str, set]] = field(default_factory=lambda: {d: {} for d in DIMENSIONS})
    flagged_all: set = field(default_factory=set)
    rejected: int | None = None  # rows the scan could not read (not records: not in any rate)

    def add(self, f: dict[str, Any]) -> None:
        self.findings += 1
        rec = f.get("record")
        if rec is not None:
            self.flagged_all.add(rec)
        for d in DIMENSIONS:
            v = f.get(d)
            if v is not None:
                self.counts[d][str(v)] += 1
                if rec is not None:
                    self.flagged[d].setdefault(str(v), set()).add(rec)

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for d in DIMENSIONS:
            counts = Counter(self.counts[d])
            for key in self.records_by.get(d, ()):  # an agent or case with records and no finding: 0
                counts.setdefault(key, 0)
            for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                base = self.records_by.get(d, Counter()).get(key) if d in self.records_by else self.records
                rate = round(n * 1000 / base, 2) if base else None
                flagged = len(self.flagged[d].get(key, ()))
                out.append({"dimension": d, "key": key, "findings": n, "records": base, "per_1000_records": rate,
                            "flagged_records": flagged,
                            "flagged_per_1000_records": round(flagged * 1000 / base, 2) if base else None})
        return out

    def to_dict(self) -> dict[str, Any]:
        flagged = len(self.flagged_all)
        return {"records": self.records, "findings": self.findings,
                "per_1000_records": round(self.findings * 1000 / self.records, 2) if self.records else None,
                "flagged_records": flagged,
                "flagged_per_1000_records": round(flagged * 1000 / self.records, 2) if self.records else None,
                "rejected_rows": self.rejected,
                "rows": self.rows()}


def count_records(paths: Any) -> tuple[int, dict[str, Counter], dict[str, int]]:
    """(records, records per agent and per case, lines left out per file) of JSONL batches,
    plain or gzip, counted as the scan counts them: a line is a record when the batch reader
    accepts it (checker.io.jsonl.record_to_event); a line the scan rejected (not JSON, a bad
    channel …) is left out and counted. A file with no record at all is a ValueError naming it
    (it is not the batch that was scanned)."""
    from datetime import timezone

    import msgspec

    from checker.batch import open_lines
    from checker.io.jsonl import RowError, misplaced_words, record_to_event
    from checker.model import Source

    total = 0
    by: dict[str, Counter] = {"agent": Counter(), "case": Counter()}
    left_out: dict[str, int] = {}
    decode = msgspec.json.Decoder(dict).decode
    for path in paths:
        found = 0
        for lineno, raw in enumerate(open_lines(path), 1):
            if not raw.strip():
                continue
            try:
                obj = decode(raw)
                if isinstance(obj, dict) and misplaced_words(obj) is not None:
                    raise ValueError("words in an unknown field: the scan rejects it")
                ev = record_to_event(obj, Source(path, lineno, None), timezone.utc, f"{path}:{lineno}")
            except (msgspec.DecodeError, msgspec.ValidationError, RowError, ValueError, TypeError):
                left_out[path] = left_out.get(path, 0) + 1
                continue
            found += 1
            for d in ("agent", "case"):
                v = getattr(ev, d)
                if v is not None:
                    by[d][v] += 1
        if not found:
            raise ValueError(f"{path}: no record of the batch contract in it (--batch takes the JSONL batch that "
                             f"was scanned)")
        total += found
    return total, by, left_out


def write(summary: Summary, fmt: str, out: Any) -> None:
    if fmt == "json":
        json.dump(summary.to_dict(), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    rows = summary.rows()
    if fmt == "csv":
        w = csv.DictWriter(out, fieldnames=["dimension", "key", "findings", "records", "per_1000_records",
                                            "flagged_records", "flagged_per_1000_records"])
        w.writeheader()
        w.writerows(rows)
        return
    flagged = len(summary.flagged_all)
    total = f"{summary.findings} findings"
    if summary.records:
        total += (f" in {summary.records} records ({summary.findings * 1000 / summary.records:.2f} per 1,000); "
                  f"{flagged} records flagged ({flagged * 1000 / summary.records:.2f} per 1,000)")
    else:
        total += f"; {flagged} records flagged"
    if summary.rejected:
        total += f"; {summary.rejected} row(s) rejected (not read, not in any count)"
    out.write(total + "\n")
    current = None
    for r in rows:
        if r["dimension"] != current:
            current = r["dimension"]
            out.write(f"\nby {current}{'':<{60 - len(current) - 3}} {'findings':>8} {'per 1000':>12} "
                      f"{'flagged':>8} {'per 1000':>12}\n")
        rate = f"{r['per_1000_records']:.2f}" if r["per_1000_records"] is not None else ""
        frate = f"{r['flagged_per_1000_records']:.2f}" if r["flagged_per_1000_records"] is not None else ""
        out.write(f"  {r['key']:<60} {r['findings']:>8} {rate:>12} {r['flagged_records']:>8} {frate:>12}\n")

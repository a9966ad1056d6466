"""QA summaries for compliance teams: findings counted per rule, category, severity,
agent and case, with rates per 1,000 records (``scan --summary``, ``collcheck summary``).

Rates need the number of records scanned — overall, and per agent / case for their own
rates; ``scan --summary`` knows them. ``collcheck summary FINDINGS.jsonl`` counts them from
the scanned batch with ``--batch BATCH.jsonl`` (``count_records``), or takes ``--records N``
(per-agent and per-case rates are then not available and are left empty)."""

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

    def add(self, f: dict[str, Any]) -> None:
        self.findings += 1
        for d in DIMENSIONS:
            v = f.get(d)
            if v is not None:
                self.counts[d][str(v)] += 1

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for d in DIMENSIONS:
            counts = Counter(self.counts[d])
            for key in self.records_by.get(d, ()):  # an agent or case with records and no finding: 0
                counts.setdefault(key, 0)
            for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                base = self.records_by.get(d, Counter()).get(key) if d in self.records_by else self.records
                rate = round(n * 1000 / base, 2) if base else None
                out.append({"dimension": d, "key": key, "findings": n, "records": base, "per_1000_records": rate})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records, "findings": self.findings,
                "per_1000_records": round(self.findings * 1000 / self.records, 2) if self.records else None,
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
    from checker.io.jsonl import RowError, record_to_event
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
        w = csv.DictWriter(out, fieldnames=["dimension", "key", "findings", "records", "per_1000_records"])
        w.writeheader()
        w.writerows(rows)
        return
    total = f"{summary.findings} findings"
    if summary.records:
        total += f" in {summary.records} records ({summary.findings * 1000 / summary.records:.2f} per 1,000)"
    out.write(total + "\n")
    current = None
    for r in rows:
        if r["dimension"] != current:
            current = r["dimension"]
            out.write(f"\nby {current}\n")
        rate = f"{r['per_1000_records']:.2f}/1000" if r["per_1000_records"] is not None else ""
        out.write(f"  {r['key']:<60} {r['findings']:>8} {rate:>12}\n")

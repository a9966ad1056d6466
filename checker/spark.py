"""Running the engine on Spark: a DataFrame of records in the batch contract in, a
DataFrame of findings in the finding contract out.

    from checker.spark import find_violations
    findings = find_violations(spark.read.json("s3://bucket/calls/*.jsonl"))

The pack is loaded once on the driver and broadcast; each Python worker compiles it once
(cached per process) and applies the same engine as the CLI per partition with
``mapInPandas``. Records are repartitioned by debtor (``to``, else ``case``) first, so
a debtor's calls meet in one partition and the frequency rules see all of them.

Optional columns ``source_file``, ``source_line`` and ``source_sha256`` say where a
record came from (as the CLI reports it); without them the source is the record id.
pyspark is an optional extra: ``pip install 'collcheck[spark]'``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

RECORD_FIELDS = ("id", "time", "channel", "direction", "from", "to", "speaker", "text", "duration_s",
                 "status", "agent", "case")
FINDING_FIELDS = ("rule", "category", "severity", "record", "time", "date", "evidence", "message", "agent",
                  "case", "json")

_COMPILED: dict[str, Any] = {}


def _schema() -> Any:
    from pyspark.sql.types import StringType, StructField, StructType

    return StructType([StructField(name, StringType(), True) for name in FINDING_FIELDS])


def _compiled(pack: Any) -> Any:
    key = f"{pack.name}:{pack.version}:{id(pack)}"
    if key not in _COMPILED:
        _COMPILED.clear()
        _COMPILED[key] = pack.compiled()
    return _COMPILED[key]


def _clean(v: Any) -> Any:
    """pandas gives NaN for missing values; the engine wants None."""
    if v is None:
        return None
    try:
        import math

        if isinstance(v, float) and math.isnan(v):
            return None
    except TypeError:
        pass
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def scan_records(rows: list[dict[str, Any]], pack: Any, tz: str) -> list[dict[str, Any]]:
    """The engine on a list of record dicts (one partition); rows that cannot be read
    become a finding-less, reported RejectedRow in the CLI — here they are skipped and
    counted by the caller through ``rejected_records``."""
    from checker.engine import scan, zone
    from checker.io.jsonl import RowError, record_to_event
    from checker.model import Source

    tzi = zone(tz)
    events = []
    for r in rows:
        rec = {k: _clean(r.get(k)) for k in RECORD_FIELDS if _clean(r.get(k)) is not None}
        line = _clean(r.get("source_line"))
        src = Source(str(_clean(r.get("source_file")) or rec.get("id", "spark")),
                     int(line) if line is not None else 0, _clean(r.get("source_sha256")))
        try:
            events.append(record_to_event(rec, src, tzi, str(rec.get("id", ""))))
        except RowError:
            continue
    out = []
    for f in scan(events, _compiled(pack), tzi):
        d = f.to_dict()
        out.append({"rule": f.rule, "category": f.category, "severity": f.severity, "record": f.record,
                    "time": d["time"], "date": f.date, "evidence": f.evidence, "message": f.message,
                    "agent": f.agent, "case": f.case, "json": json.dumps(d, ensure_ascii=False)})
    return out


def find_violations(df: Any, pack_name: str = "cn", tz: str | None = None, partitions: int | None = None) -> Any:
    """Findings for a DataFrame of batch-contract records (see module docstring)."""
    import pandas as pd
    from pyspark.sql import functions as F

    from checker.pack import load_pack

    pack = load_pack(pack_name)
    zone_name = tz or pack.timezone
    spark = df.sparkSession
    bpack = spark.sparkContext.broadcast(pack)
    cols = [c for c in (*RECORD_FIELDS, "source_file", "source_line", "source_sha256") if c in df.columns]
    key = F.coalesce(*([F.col("to")] if "to" in df.columns else []),
                     *([F.col("case")] if "case" in df.columns else []), F.lit(""))
    parts = partitions or spark.sparkContext.defaultParallelism
    keyed = df.select(*cols).repartition(parts, key)

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        p = bpack.value
        rows: list[dict[str, Any]] = []
        for b in batches:
            rows.extend(b.to_dict("records"))
        found = scan_records(rows, p, zone_name)
        yield pd.DataFrame(found, columns=list(FINDING_FIELDS))

    return keyed.mapInPandas(run, schema=_schema())

"""The Spark entry point gives the same findings as the CLI on the same records."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark", reason="pyspark is the optional [spark] extra")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    s = (SparkSession.builder.master("local[2]").appName("collcheck-test")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
         .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
         .getOrCreate())
    yield s
    s.stop()


def test_spark_findings_equal_cli(spark, tmp_path):
    import hashlib

    from gen_corpus import write

    from checker.spark import find_violations

    path = tmp_path / "batch.jsonl"
    write(str(path), records=10_000, seed=11)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    rows = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        rec = json.loads(line)
        rows.append({**{k: (str(v) if v is not None else None) for k, v in rec.items() if k != "duration_s"},
                     "duration_s": float(rec["duration_s"]) if "duration_s" in rec else None,
                     "source_file": str(path), "source_line": i, "source_sha256": sha})
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    cols = ["id", "time", "channel", "direction", "from", "to", "speaker", "text", "status", "agent", "case",
            "source_file", "source_sha256"]
    schema = StructType([StructField(c, StringType()) for c in cols]
                        + [StructField("duration_s", DoubleType()), StructField("source_line", LongType())])
    df = spark.createDataFrame([{c: r.get(c) for c in schema.fieldNames()} for r in rows], schema)
    got = sorted(r["json"] for r in find_violations(df).collect())

    p = subprocess.run([sys.executable, "-m", "checker", "scan", str(path), "--format", "jsonl"],
                       capture_output=True, cwd=ROOT, timeout=600)
    assert p.returncode == 1, p.stderr.decode()
    want = sorted(line for line in p.stdout.decode().splitlines() if line.strip())
    assert len(want) > 100
    assert got == want

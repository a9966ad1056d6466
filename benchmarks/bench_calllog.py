"""Benchmark: read a 1,000,000-row call-log CSV with the streaming reader.

    python benchmarks/bench_calllog.py                    # 1,000,000 rows, plain UTF-8 CSV
    python benchmarks/bench_calllog.py --style carrier    # GBK carrier bill, 上午/下午 times, 1分23秒
    python benchmarks/bench_calllog.py --rows 100000      # another size (peak RSS should not change)

Generates the file in a temporary folder (deterministic seed), then reads it in a child
process with ``checker.io.open_path`` — hashing, encoding check, sniffing, parsing,
one CallEvent per row, nothing kept — and reports rows per second and peak RSS. The
events are counted, not stored, so the RSS is what the reader itself needs; it stays
flat as the file grows. The temporary folder is removed afterwards (``--keep`` keeps it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBERS = [f"170{n:08d}" for n in range(1000, 1400)] + [f"021{n:08d}" for n in range(5000, 5100)]
PLAIN_TYPES = ["incoming", "incoming", "incoming", "missed", "rejected", "outgoing"]
CARRIER_TYPES = ["被叫", "被叫", "被叫", "被叫", "主叫"]


def generate(path: Path, rows: int, style: str, seed: int) -> None:
    """Write ``rows`` calls, one line at a time (the generator holds nothing either)."""
    rng = random.Random(seed)
    t = datetime(2024, 1, 1, 0, 0, 0)
    if style == "plain":
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write("start_time,number,type,duration\n")
            for _ in range(rows):
                t += timedelta(seconds=rng.randint(5, 90))
                typ = rng.choice(PLAIN_TYPES)
                dur = 0 if typ in ("missed", "rejected") else rng.randint(0, 600)
                f.write(f"{t:%Y-%m-%d %H:%M:%S},{rng.choice(NUMBERS)},{typ},{dur}\n")
        return
    with path.open("w", encoding="gbk", newline="") as f:
        f.write("中国移动 个人客户通话详单\r\n客户姓名：李**\r\n查询周期：2024年01月01日至2024年12月31日\r\n\r\n")
        f.write("起始时间,通信地点,通信方式,对方号码,通信时长,通信类型,套餐优惠,实收通信费(元)\r\n")
        for _ in range(rows):
            t += timedelta(seconds=rng.randint(5, 90))
            ap = "上午" if t.hour < 12 else "下午"
            dur = rng.randint(0, 600)
            d = f"{dur // 60}分{dur % 60}秒" if dur >= 60 else f"{dur}秒"
            f.write(f"{t.year}/{t.month}/{t.day} {ap}{t.hour % 12 or 12:02d}:{t:%M:%S},北京,"
                    f"{rng.choice(CARRIER_TYPES)},{rng.choice(NUMBERS)},{d},国内长途,,0.00\r\n")


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def read(path: str) -> dict:
    """The child: read the file, count the events, report time and memory."""
    sys.path.insert(0, str(ROOT))
    from zoneinfo import ZoneInfo

    from checker.io import open_path

    tz = ZoneInfo("Asia/Shanghai")
    baseline = _rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    reading = open_path(path, tz)
    n = 0
    for _ev in reading:
        n += 1
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    s = reading.summary()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": s.rows, "events": s.events, "rejected": len(s.rejected), "filtered": s.filtered,
            "format": s.format, "encoding": s.encoding, "seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
            "rows_per_s": round(s.rows / wall), "rows_per_cpu_s": round(s.rows / cpu),
            "baseline_rss_mb": round(baseline, 1),
            "peak_rss_mb": round(peak, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--style", choices=["plain", "carrier"], default="plain")
    ap.add_argument("--seed", type=int, default=20240305)
    ap.add_argument("--keep", action="store_true", help="keep the generated file")
    ap.add_argument("--read", metavar="FILE", help=argparse.SUPPRESS)  # the child process
    args = ap.parse_args()
    if args.read:
        print(json.dumps(read(args.read)))
        return
    tmp = Path(tempfile.mkdtemp(prefix="collcheck-bench-"))
    try:
        path = tmp / f"calllog-{args.style}-{args.rows}.csv"
        t0 = time.perf_counter()
        generate(path, args.rows, args.style, args.seed)
        gen = time.perf_counter() - t0
        size = path.stat().st_size / 2**20
        p = subprocess.run([sys.executable, __file__, "--read", str(path)], capture_output=True, text=True,
                           check=False)
        if p.returncode != 0:
            sys.exit(p.stderr)
        r = json.loads(p.stdout)
        print(f"file      {path.name}: {args.rows:,} rows, {size:.1f} MiB ({args.style}, generated in {gen:.1f} s)")
        print(f"read      {r['rows']:,} rows -> {r['events']:,} events, {r['rejected']} rejected, "
              f"{r['filtered']} filtered ({r['format']}, {r['encoding']})")
        print(f"time      {r['seconds']:.2f} s wall, {r['cpu_seconds']:.2f} s CPU, one core")
        print(f"speed     {r['rows_per_cpu_s']:,} rows per CPU second; {r['rows_per_s']:,} rows/s wall "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        print(f"memory    peak RSS {r['peak_rss_mb']:.1f} MiB (after imports, before reading: "
              f"{r['baseline_rss_mb']:.1f} MiB)")
        if r["rows"] != args.rows or r["events"] + r["rejected"] + r["filtered"] != r["rows"]:
            sys.exit("counts do not add up")
        if args.keep:
            print(f"kept      {path}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

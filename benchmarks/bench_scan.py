"""End-to-end scan benchmark for compliance batches (a script, not a timed test).

    python benchmarks/bench_scan.py [--mb 100] [--sample 3000] [--repeat 3] [--keep DIR]

Generates a deterministic JSONL corpus (benchmarks/gen_corpus.py: realistic QA traffic,
~5 % of utterances with rule vocabulary, lawful look-alikes included), then reports in one
run:

* end to end ``collcheck scan FILE --format jsonl --jobs 1`` and ``--jobs 2`` (median of
  ``--repeat`` runs each, as the machine's speed varies from run to run): wall time,
  MB/s of file, MB/s of transcript text (the UTF-8 bytes of the ``text`` fields), records/s,
  peak RSS of the scanning process, and that both outputs are byte-identical;
* the naive design on a sample: spaCy ``zh`` (jieba) on every utterance, then a
  PhraseMatcher over every pack literal;
* the ceiling: raw Aho-Corasick (the pack's literals) over the same text, with no NLP, no
  rules and no output — one pass over all text (pyahocorasick and ahocorasick-rs) and one
  call per utterance (pyahocorasick);
* start-up: ``collcheck scan -`` on one pasted line, median of 5 runs;
* the machine's own parallelism before and after the scans: two pure-Python loops at once
  against one alone — on shared virtual cores this is well below 2 and bounds ``--jobs 2``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))


def text_bytes(path: Path) -> tuple[int, int, list[str]]:
    n = size = 0
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            n += 1
            t = json.loads(line).get("text")
            if t:
                size += len(t.encode("utf-8"))
                texts.append(t)
    return n, size, texts


def run_scan(path: Path, jobs: int, out: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `collcheck scan` process."""
    cmd = [sys.executable, "-c",
           "import resource,sys;from checker.cli import main;"
           "sys.argv=['collcheck']+sys.argv[1:];"
           "import atexit;atexit.register(lambda: sys.stderr.write("
           "'RSS_KB %d\\n' % max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
           "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)));main()",
           "scan", str(path), "--format", "jsonl", "--jobs", str(jobs), "-o", str(out), "--quiet"]
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if p.returncode not in (0, 1):
        raise SystemExit(p.stderr.decode())
    rss = max((int(line.split()[1]) for line in p.stderr.decode().splitlines() if line.startswith("RSS_KB")),
              default=0)
    return wall, rss


def naive(texts: list[str]) -> float:
    """spaCy on every utterance, then a PhraseMatcher of every literal: seconds."""
    from spacy.matcher import PhraseMatcher

    from checker.nlp import nlp
    from checker.nlp.normalize import normalise
    from checker.pack import load_pack

    compiled = load_pack("cn").compiled()
    z = nlp()
    matcher = PhraseMatcher(z.vocab)
    lits = sorted(str(k) for k in compiled.automaton.keys())
    matcher.add("lit", list(z.tokenizer.pipe(lits)))
    z("预热")
    t = time.perf_counter()
    for text in texts:
        matcher(z(normalise(text)[0]))
    return time.perf_counter() - t


def ceiling(texts: list[str]) -> dict[str, float]:
    """Raw Aho-Corasick over the text with the pack's literals, no NLP, no rules, no
    output: seconds for one pass over all text joined (pyahocorasick, and ahocorasick-rs),
    and for one call per utterance (pyahocorasick)."""
    import ahocorasick_rs

    from checker.pack import load_pack

    automaton = load_pack("cn").compiled().automaton
    joined = "\n".join(texts)
    out = {}
    t = time.perf_counter()
    for _ in automaton.iter(joined):
        pass
    out["pyahocorasick, one pass"] = time.perf_counter() - t
    rs = ahocorasick_rs.AhoCorasick(list(automaton.keys()))
    t = time.perf_counter()
    rs.find_matches_as_indexes(joined, overlapping=True)
    out["ahocorasick-rs, one pass"] = time.perf_counter() - t
    t = time.perf_counter()
    for text in texts:
        for _ in automaton.iter(text):
            pass
    out["pyahocorasick, per utterance"] = time.perf_counter() - t
    return out


def _busy(_: int = 0) -> float:
    t = time.perf_counter()
    x = 0
    for i in range(8_000_000):
        x += i * i % 7
    return time.perf_counter() - t


def machine_parallelism() -> float:
    """What two processes get on this machine right now: two pure-Python loops at once
    against one alone (2.0 on two free cores; less when the cores are shared)."""
    import multiprocessing as mp

    one = min(_busy() for _ in range(2))
    with mp.get_context("fork").Pool(2) as pool:
        t = time.perf_counter()
        pool.map(_busy, [0, 1])
        two = time.perf_counter() - t
    return 2 * one / two


def startup() -> float:
    times = []
    for _ in range(6):
        t = time.perf_counter()
        line = "催收员:我们不会去你单位的,请放心\n".encode()
        subprocess.run([sys.executable, "-m", "checker", "scan", "-"], input=line, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times[1:])  # the first run warms the OS cache and jieba's


def main() -> None:
    from gen_corpus import write

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--sample", type=int, default=3000, help="utterances for the naive design")
    ap.add_argument("--keep", help="directory to keep the corpus and outputs in")
    ap.add_argument("--repeat", type=int, default=3, help="runs per --jobs value (the median is reported)")
    ap.add_argument("--vary", action="store_true",
                    help="the corpus with speech-to-text variation (nearly every text distinct; gen_corpus --vary)")
    a = ap.parse_args()
    d = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="collcheck-bench-"))
    d.mkdir(parents=True, exist_ok=True)
    corpus = d / ("corpus-vary.jsonl" if a.vary else "corpus.jsonl")
    if not corpus.exists() or corpus.stat().st_size < a.mb * 1024 * 1024 * 0.99:
        write(str(corpus), mb=a.mb, seed=7, vary=a.vary)
    size = corpus.stat().st_size
    records, tbytes, texts = text_bytes(corpus)
    mb, tmb = size / 2**20, tbytes / 2**20
    print(f"corpus: {mb:.1f} MB, {records:,} records, {tmb:.1f} MB of transcript text "
          f"({len(set(texts)) / max(len(texts), 1):.0%} of texts distinct), {os.cpu_count()} cores")
    print(f"machine: two pure-Python processes at once run {machine_parallelism():.2f}x one (the ceiling for --jobs 2)")
    results = {}
    for jobs in (1, 2):
        runs = [run_scan(corpus, jobs, d / f"out-{jobs}.jsonl") for _ in range(a.repeat)]
        wall = statistics.median(w for w, _ in runs)
        rss = max(r for _, r in runs)
        results[jobs] = wall
        print(f"scan --jobs {jobs}: {wall:.1f} s (median of {a.repeat}: "
              f"{', '.join(f'{w:.1f}' for w, _ in runs)})  {mb / wall:.1f} MB/s file  {tmb / wall:.2f} MB/s text  "
              f"{records / wall:,.0f} records/s  peak RSS {rss / 1024:.0f} MB")
    same = (d / "out-1.jsonl").read_bytes() == (d / "out-2.jsonl").read_bytes()
    print(f"--jobs 2 speed-up: {results[1] / results[2]:.2f}x; outputs identical: {same}")
    print(f"machine: two pure-Python processes at once run {machine_parallelism():.2f}x one (measured again)")
    sample = texts[: a.sample]
    sample_mb = sum(len(t.encode()) for t in sample) / 2**20
    nv = naive(sample)
    print(f"naive (spaCy on every utterance + PhraseMatcher), {len(sample):,} utterances: "
          f"{sample_mb / nv:.2f} MB/s text  -> end-to-end --jobs 1 is {(tmb / results[1]) / (sample_mb / nv):.1f}x")
    for name, ce in ceiling(texts).items():
        print(f"ceiling (raw Aho-Corasick, {name}): {tmb / ce:.1f} MB/s text  -> --jobs 1 reaches "
              f"{100 * (tmb / results[1]) / (tmb / ce):.0f} % of it")
    print(f"start-up (collcheck scan - on one line, median): {startup():.2f} s")
    print(f"peak RSS of this benchmark process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

"""Streaming batch scans: same findings for any --jobs, gzip, exact line numbers,
summaries."""

import gzip
import json
import re
import sys

from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
from gen_corpus import write  # noqa: E402


def test_jobs_do_not_change_output(tmp_path):
    f = tmp_path / "b.jsonl"
    write(str(f), records=3000, seed=3)
    outs = []
    for jobs in ("1", "2"):
        p = run_cli("scan", str(f), "--format", "jsonl", "--jobs", jobs)
        assert p.returncode == 1, p.stderr.decode()
        outs.append(p.stdout)
    assert outs[0] == outs[1] and outs[0].count(b"\n") > 50
    # the general (non-streaming) reader gives the same bytes
    p = run_cli("scan", str(f), "--format", "jsonl", "--encoding", "utf-8")
    assert p.stdout == outs[0]


def test_gzip_and_line_numbers_with_blank_and_bad_lines(tmp_path):
    lines = ['{"id": "a", "channel": "sms", "speaker": "collector", "text": "我是城东派出所的民警"}', "",
             "{broken", '{"id": "b", "channel": "sms", "speaker": "collector", "text": "我是城东派出所的民警"}']
    f = tmp_path / "b.jsonl.gz"
    f.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    p = run_cli("scan", str(f), "--format", "json")
    doc = json.loads(p.stdout)
    assert [x["source"]["line"] for x in doc["findings"]] == [1, 4]
    inp = doc["inputs"][0]
    assert inp["rows"] == 3 and inp["events"] == 2 and [r["line"] for r in inp["rejected"]] == [3]
    assert f"{f}:3:" in p.stderr.decode()


def test_summary_flag_and_command(tmp_path):
    f = tmp_path / "b.jsonl"
    write(str(f), records=2000, seed=5)
    out = tmp_path / "findings.jsonl"
    p = run_cli("scan", str(f), "--format", "jsonl", "-o", str(out), "--summary", "--quiet")
    err = p.stderr.decode()
    assert "per 1,000" in err and "by agent" in err and "by rule" in err
    n = sum(1 for line in out.read_text(encoding="utf-8").splitlines() if line.strip())
    p = run_cli("summary", str(out), "--records", "2000", "--format", "json")
    doc = json.loads(p.stdout)
    assert doc["findings"] == n and doc["records"] == 2000
    cats = {r["key"]: r["findings"] for r in doc["rows"] if r["dimension"] == "category"}
    assert sum(cats.values()) == n
    p = run_cli("summary", str(out), "--format", "csv")
    assert p.stdout.decode().splitlines()[0] == ("dimension,key,findings,records,per_1000_records,"
                                                 "flagged_records,flagged_per_1000_records")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nope\n", encoding="utf-8")
    p = run_cli("summary", str(bad))
    assert p.returncode == 2 and "bad.jsonl:1" in p.stderr.decode()
    # a gzipped findings file, as batches are gzipped (was an internal error)
    gz = tmp_path / "findings.jsonl.gz"
    gz.write_bytes(gzip.compress(out.read_bytes()))
    p = run_cli("summary", str(gz), "--records", "2000", "--format", "json")
    assert p.returncode == 0 and json.loads(p.stdout)["findings"] == n


def test_summary_of_a_small_batch_has_each_agents_own_rate(tmp_path):
    """A small batch takes the general reader; its --summary still rates each agent and case
    per 1,000 of their own records."""
    recs = [{"id": f"r{i}", "channel": "sms", "speaker": "collector", "agent": "A1" if i < 4 else "A2",
             "case": "C1", "text": "你再不还钱我们就上门" if i == 0 else "请按时还款"} for i in range(8)]
    f = tmp_path / "small.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    err = run_cli("scan", str(f), "--format", "jsonl", "-o", str(tmp_path / "o.jsonl"), "--summary").stderr.decode()
    agent_rows = err.split("by agent")[1].split("by case")[0]
    row = r"A1\s+(\d+)\s+(\d+\.\d+)\s+(\d+)\s+(\d+\.\d+)"  # findings, per 1000, flagged, per 1000
    assert re.search(row, agent_rows), agent_rows
    n, rate, flagged, frate = re.search(row, agent_rows).groups()
    assert float(frate) == round(int(flagged) * 1000 / 4, 2) and int(flagged) <= 4
    assert float(rate) == round(int(n) * 1000 / 4, 2)  # A1 has 4 records of the 8


def test_truncated_gzip_is_a_clear_error_after_the_findings_read(tmp_path):
    f = tmp_path / "b.jsonl"
    write(str(f), records=20000, seed=4)
    packed = gzip.compress(f.read_bytes())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    outs = []
    for jobs in ("1", "2"):
        p = run_cli("scan", str(cut), "--format", "jsonl", "--jobs", jobs)
        err = p.stderr.decode()
        assert p.returncode == 2 and "Traceback" not in err
        assert f"{cut}: the gzip data is cut short or damaged after line" in err
        outs.append(p.stdout)
    assert outs[0] == outs[1] and outs[0].count(b"\n") > 100


def test_finding_json_is_exactly_json_dumps_even_for_hostile_text():
    from checker.engine import zone
    from checker.io.jsonl import read_jsonl
    from checker.pack import cached_pack
    from checker.report.output import finding_json

    tz = zone("Asia/Shanghai")
    compiled = cached_pack("cn").compiled()
    texts = ['我是城东派出所的民警 "citations": "\\u0000citations\\u0000"',
             '我是城东派出所的民警 "citations": "\x00citations\x00"', "我是城东派出所的民警，你涉嫌诈骗"]
    lines = [json.dumps({"id": f"h{i}", "channel": "sms", "speaker": "collector", "text": t,
                         "time": "2025-03-14T23:00:00+08:00"}, ensure_ascii=False) for i, t in enumerate(texts)]
    found = [f for ev in read_jsonl(iter(lines), "f", None, tz) for f in compiled.scan_event(ev, tz)]
    assert len(found) >= 6
    for f in found * 2:  # the second time from the cache
        assert finding_json(f) == json.dumps(f.to_dict(), ensure_ascii=False)


def test_frequency_findings_judged_in_parallel_are_the_same(tmp_path, monkeypatch):
    """A large batch's frequency findings are judged in slices by forked workers; the
    slices' findings, joined in order, are those of one process (here every batch counts
    as large)."""
    from checker import batch
    from checker.pack import load_pack

    f = tmp_path / "b.jsonl"
    write(str(f), records=6000, seed=5)
    pack = load_pack("cn")
    monkeypatch.setattr(batch, "BLOCK_BYTES", 1 << 16)
    monkeypatch.setattr(batch, "PARALLEL_GROUPS", 1)

    def run(jobs, render):
        out = []
        for item in batch.scan_stream([str(f)], pack, pack.timezone, jobs, render=render):
            if isinstance(item, batch.Rendered):
                out.append(item.data.decode("utf-8"))
            elif not isinstance(item, batch.FileStats):
                out.append(batch.render_jsonl(item) + "\n")
        return "".join(out)

    one = run(1, False)
    freq = [x for x in map(json.loads, one.splitlines()) if "records" in x]
    assert len(freq) >= 5 and all(x["category"] == "contact.excessive_frequency" for x in freq)
    assert run(2, False) == one
    assert run(2, True) == one


def test_calls_kept_on_disk_give_the_same_findings(tmp_path, monkeypatch):
    """Past SPILL_AT calls a frequency rule's groups move to a temporary SQLite file (memory
    stays flat for batches of millions of calls): the findings are the same, in one process
    and judged in forked slices, and the file is removed afterwards."""
    import glob
    import tempfile

    from checker import batch
    from checker.matchers import frequency
    from checker.pack import load_pack

    f = tmp_path / "b.jsonl"
    write(str(f), records=6000, seed=7)
    pack = load_pack("cn")
    monkeypatch.setattr(batch, "BLOCK_BYTES", 1 << 16)

    def run(jobs):
        return "".join(batch.render_jsonl(x) + "\n" for x in batch.scan_stream([str(f)], pack, pack.timezone, jobs)
                       if not isinstance(x, batch.FileStats))

    in_memory = run(1)
    assert sum('"records"' in line for line in in_memory.splitlines()) >= 5
    monkeypatch.setattr(frequency, "SPILL_AT", 50)
    before = set(glob.glob(f"{tempfile.gettempdir()}/collcheck-calls-*"))
    assert run(1) == in_memory
    monkeypatch.setattr(batch, "PARALLEL_GROUPS", 1)
    assert run(2) == in_memory
    import gc

    gc.collect()
    assert set(glob.glob(f"{tempfile.gettempdir()}/collcheck-calls-*")) == before


def test_a_streamed_batch_notes_unknown_fields_and_missing_ids(tmp_path):
    """A batch read by the streaming path (gzip, a pool of workers) says what the general
    reader says: a misnamed field ("content" for "text") is ignored — so the record's words
    are not judged — and must not pass unnoticed; so must records without an id."""
    lines = [json.dumps({"id": f"r{i}", "channel": "sms", "speaker": "collector", "text": "您好，请按时还款"},
                        ensure_ascii=False) for i in range(3000)]
    lines.append(json.dumps({"id": "bad", "channel": "sms", "speaker": "collector",
                             "content": "明天就去你单位找你领导"}, ensure_ascii=False))
    lines.append(json.dumps({"channel": "sms", "speaker": "collector", "text": "你好"}, ensure_ascii=False))
    f = tmp_path / "qa.jsonl.gz"
    f.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    for jobs in ("1", "2"):
        p = run_cli("scan", str(f), "--format", "jsonl", "--jobs", jobs)
        err = p.stderr.decode()
        assert f"{f}: ignored unknown field(s): content" in err, err
        assert f"{f}: some records have no \"id\"" in err, err
        assert p.returncode == 0 and not p.stdout.strip()  # 您好，请按时还款 is lawful; "content" is not read
    quiet = run_cli("scan", str(f), "--format", "jsonl", "--quiet").stderr.decode()
    assert "unknown field" not in quiet


def test_summary_with_the_batch_rates_each_agent_as_scan_does(tmp_path):
    """`collcheck summary FINDINGS --batch BATCH` counts the batch's records per agent and
    case, so its rates are the ones `scan --summary` gives (it had only --records: no
    per-agent or per-case rate)."""
    f = tmp_path / "b.jsonl"
    write(str(f), records=2000, seed=7)
    gz = tmp_path / "b.jsonl.gz"
    gz.write_bytes(gzip.compress(f.read_bytes()))
    out = tmp_path / "findings.jsonl"
    run_cli("scan", str(f), "--format", "jsonl", "-o", str(out), "--quiet")
    p = run_cli("summary", str(out), "--batch", str(gz), "--format", "csv")
    rows = p.stdout.decode().splitlines()
    agents = [r.split(",") for r in rows if r.startswith("agent,")]
    assert agents and all(a[3] and a[4] for a in agents), rows[:12]  # records and a rate for each agent
    scan_summary = run_cli("scan", str(f), "--format", "jsonl", "-o", str(tmp_path / "o2.jsonl"), "--summary",
                           "--quiet").stderr.decode()
    table = run_cli("summary", str(out), "--batch", str(f)).stdout.decode()
    assert table.strip() == scan_summary.strip()
    both = run_cli("summary", str(out), "--batch", str(f), "--records", "5")
    assert both.returncode == 2 and "not both" in both.stderr.decode()
    # lines the scan rejected are no records here either: left out, with a note
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(f.read_bytes() + b'nope\n{"id": "x", "channel": "fax"}\n')
    p = run_cli("summary", str(out), "--batch", str(mixed))
    shown = p.stdout.decode()
    assert p.returncode == 0 and "; 2 row(s) rejected (not read, not in any count)" in shown.splitlines()[0]
    assert shown.replace("; 2 row(s) rejected (not read, not in any count)", "").strip() == table.strip()
    assert "mixed.jsonl: 2 line(s) are no record" in p.stderr.decode()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nope\n", encoding="utf-8")
    p = run_cli("summary", str(out), "--batch", str(bad))
    err = p.stderr.decode()
    assert p.returncode == 2 and "bad.jsonl: no record" in err and "Traceback" not in err


def _offset_calls_batch(path):
    """Calls to three debtors on one day, their times written with several offsets (and none),
    enough for the frequency rules to fire, between utterances."""
    offsets = ["+08:00", "+09:00", "Z", "-05:00", "", "+05:30"]
    lines = []
    for k in range(240):
        off = offsets[k % len(offsets)]
        hour = 10 + (k % 5)
        when = f"2024-03-05T{hour:02d}:{k % 60:02d}:00{off}"
        lines.append(json.dumps({"id": f"c{k}", "channel": "call", "time": when,
                                 "direction": "in", "from": f"0215888{k % 4:04d}", "to": f"1390000{k % 3:04d}",
                                 "speaker": "collector", "status": ("answered", "missed")[k % 2],
                                 "duration_s": 30 if k % 2 == 0 else 0}, ensure_ascii=False))
        lines.append(json.dumps({"id": f"u{k}", "channel": "sms", "time": "2024-03-05T10:00:00+08:00",
                                 "speaker": "collector", "text": "您好，提醒您按时还款"}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_chunks_calls_share_one_tzinfo_per_offset(tmp_path, monkeypatch):
    """A worker's call stubs carry one tzinfo instance per offset (pickle then writes it once
    per chunk, not once per call); the times are equal to those read."""
    from datetime import timezone

    from checker import batch
    from checker.pack import load_pack

    f = tmp_path / "b.jsonl"
    _offset_calls_batch(f)
    pack = load_pack("cn")
    batch._init_worker(pack, pack.timezone, True, False)
    (chunk,) = [c for c in batch._chunks([str(f)], {}) if c[2] == "chunk"]
    grouped = batch._scan_chunk(chunk)[3]
    stubs = [s for groups in grouped for calls in groups.values() for s in calls]
    assert len(stubs) >= 200
    zones = {id(s.time.tzinfo) for s in stubs if type(s.time.tzinfo) is timezone}
    offsets = {s.time.utcoffset() for s in stubs if type(s.time.tzinfo) is timezone}
    assert len(zones) == len(offsets) == 5
    from datetime import datetime

    from checker.engine import zone

    times = {json.loads(x)["id"]: json.loads(x)["time"] for x in f.read_text(encoding="utf-8").splitlines()}
    for s in stubs:
        read = datetime.fromisoformat(times[s.id])
        read = read if read.tzinfo else read.replace(tzinfo=zone(pack.timezone))
        assert s.time == read and s.time.utcoffset() == read.utcoffset() and s.time.isoformat() == read.isoformat()


def test_jobs_2_is_jobs_1_for_calls_from_several_offsets(tmp_path, monkeypatch):
    """Chunks of calls written with several offsets, judged by workers (some by offset in the
    file, some as bytes from a gzip file) and in one process: the same findings."""
    import gzip as gz

    from checker import batch
    from checker.pack import load_pack

    f = tmp_path / "b.jsonl"
    _offset_calls_batch(f)
    g = tmp_path / "b.jsonl.gz"
    g.write_bytes(gz.compress(f.read_bytes()))
    pack = load_pack("cn")
    monkeypatch.setattr(batch, "BLOCK_BYTES", 1 << 12)

    def run(path, jobs):
        return "".join(batch.render_jsonl(x) + "\n" for x in batch.scan_stream([str(path)], pack, pack.timezone, jobs)
                       if not isinstance(x, batch.FileStats))

    one = run(f, 1)
    assert one.count('"records"') >= 3
    assert run(f, 2) == one
    assert run(g, 2) == one.replace(str(f), str(g)).replace(batch._file_sha256(str(f)), batch._file_sha256(str(g)))


def test_a_plain_files_chunks_travel_by_offset(tmp_path):
    """For a pool, a plain file's blocks go as (offset, size) and the worker reads them; a
    gzip file's (and stdin's) as bytes; a file cut short meanwhile is a clear error."""
    import gzip as gz

    import pytest

    from checker import batch

    f = tmp_path / "b.jsonl"
    _offset_calls_batch(f)
    g = tmp_path / "b.jsonl.gz"
    g.write_bytes(gz.compress(f.read_bytes()))
    by_bytes = [c for c in batch._chunks([str(f)], {}) if c[2] == "chunk"]
    by_offset = [c for c in batch._chunks([str(f)], {}, by_offset=True) if c[2] == "chunk"]
    assert all(type(c[4]) is tuple for c in by_offset)
    assert [batch._read_at(str(f), *c[4]) for c in by_offset] == [c[4] for c in by_bytes]
    assert [c[3] for c in by_offset] == [c[3] for c in by_bytes]
    assert all(type(c[4]) is bytes for c in batch._chunks([str(g)], {}, by_offset=True))
    f.write_bytes(f.read_bytes()[:100])
    with pytest.raises(batch.BatchInputError, match="changed while"):
        batch._read_at(str(f), *by_offset[-1][4])


def test_a_few_thousand_frequency_groups_fork_no_pool(monkeypatch):
    """Below PARALLEL_GROUPS groups over a limit the parent judges them itself, also with
    --jobs 2 (a forked pool cost more than it saved below ~30,000 groups)."""
    from checker import batch

    class Groups:
        def __init__(self, n):
            self.n = n

        def over_limit(self):
            return [((str(i), "d", "n"), []) for i in range(self.n)]

        def judge(self, groups, tz, compiled):
            return [g[0][0] for g in groups]

    def no_fork():
        raise AssertionError("a pool was forked")

    monkeypatch.setattr(batch, "_context", no_fork)
    monkeypatch.setitem(batch._WORKER, "tz", None)
    monkeypatch.setitem(batch._WORKER, "compiled", None)
    assert len(list(batch._frequency_findings([Groups(12_000), Groups(8_000)], 2))) == 20_000
    assert batch.PARALLEL_GROUPS >= 20_000


def _repeating_batch(path):
    """A batch whose first 64 KiB chunk recurs in later chunks (the same texts, calls and
    broken rows again, with their own ids): what the warm-up teaches the parent recurs in the
    chunks the workers scan."""
    import random

    rng = random.Random(13)
    texts = ["您好，这里是某某金融，提醒您本期账单已出。", "我是城东派出所的民警，你涉嫌诈骗",
             "再不还钱就去你单位找你领导", "好的，我明天还。", "请您在今天下午五点前处理。",
             "你家人的电话我们都有，到时候别怪我们", "通知您备注的还款已到账"]
    block = []
    for i in range(300):
        k = rng.randrange(10)
        if k < 6:
            hour = rng.choice([9, 14, 22])
            rec = {"channel": rng.choice(["sms", "transcript", "wechat"]),
                   "speaker": rng.choice(["collector", "debtor"]), "text": rng.choice(texts),
                   "time": f"2025-03-{10 + i % 3:02d}T{hour:02d}:05:00+08:00"}
        elif k < 9:
            rec = {"channel": "call", "direction": "in", "from": f"1700000000{rng.randrange(3)}",
                   "to": f"1390000000{rng.randrange(2)}", "status": rng.choice(["answered", "missed"]),
                   "duration_s": rng.choice([0, 30]), "time": f"2025-03-10T{10 + i % 8:02d}:{i % 60:02d}:00+08:00"}
        else:
            block.append("{broken")
            continue
        block.append(rec)
    lines = []
    for rep in range(6):
        for i, rec in enumerate(block):
            lines.append(rec if isinstance(rec, str) else json.dumps({"id": f"r{rep}-{i}", **rec}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_jobs_2_with_a_warm_start_is_jobs_1(tmp_path, monkeypatch):
    """--jobs 2 scans the first chunk(s) in the parent and forks the pool only then, so the
    workers inherit the per-text verdicts and findings: the same bytes as --jobs 1 on a batch
    whose first chunk recurs later (texts, calls for the frequency rules, rejected rows), for
    any warm-up; the pool gets exactly the chunks after the warm-up, and a batch that ends
    within the warm-up forks no pool at all."""
    from checker import batch
    from checker.pack import load_pack

    f = tmp_path / "b.jsonl"
    _repeating_batch(f)
    pack = load_pack("cn")
    monkeypatch.setattr(batch, "BLOCK_BYTES", 1 << 14)
    pooled: list[int] = []
    real = batch._ordered

    def counting(fn, items, pool, jobs):
        items = list(items)
        pooled.append(len(items))
        yield from real(fn, iter(items), pool, jobs)

    monkeypatch.setattr(batch, "_ordered", counting)

    def run(jobs, warm=None):
        out, rejected = [], []
        for x in batch.scan_stream([str(f)], pack, pack.timezone, jobs, render=True, warm=warm):
            if isinstance(x, batch.FileStats):
                rejected = [(r.line, r.reason) for r in x.rejected]
                out.append(f"{x.rows} {x.events}\n")
            else:
                out.append(x.data.decode("utf-8") if isinstance(x, batch.Rendered) else batch.render_jsonl(x) + "\n")
        return "".join(out), rejected

    one, rejected = run(1)
    assert len(rejected) >= 60 and one.count('"records"') >= 3 and one.count("\n") > 100
    chunks = sum(1 for _ in batch._chunks([str(f)], {}, by_offset=True))  # with the file's "end"
    assert chunks > 8
    for warm in (None, 0, 1, 3):
        pooled.clear()
        assert run(2, warm) == (one, rejected)
        assert pooled == [chunks - (batch.WARM_CHUNKS if warm is None else warm)]
    pooled.clear()
    assert run(2, chunks) == (one, rejected) and pooled == []  # ended within the warm-up: no pool


def test_the_pools_worker_handler_waits_only_for_workers_and_state(tmp_path):
    """The pool's worker-handler thread does not wait on the results' pipe (where it spun
    while a result sat unread, 0.6-0.8 s of the parent's CPU per 100 MB): it still replaces a
    worker that died, and the pool still ends."""
    import os
    import time

    from checker import batch

    pool = batch._new_pool(2)
    try:
        assert pool._outqueue._reader not in pool._get_sentinels()
        assert pool.map(abs, range(-50, 0)) == list(range(50, 0, -1))
        before = {p.pid for p in pool._pool}
        pool.apply_async(os._exit, (0,))  # a worker ends in the middle of a task
        deadline = time.monotonic() + 20
        while not ({p.pid for p in pool._pool} - before and all(p.exitcode is None for p in pool._pool)):
            assert time.monotonic() < deadline, "a worker that ended was not replaced"
            time.sleep(0.05)
        assert len(pool._pool) == 2 and pool.map(abs, range(-5, 0)) == [5, 4, 3, 2, 1]
    finally:
        pool.terminate()
        pool.join()


def test_an_agent_with_records_and_no_finding_is_in_the_summary_with_zero(tmp_path):
    """A QA summary leaves no compliant agent out: an agent whose records gave no finding had not
    appeared at all (by agent listed only agents with findings); it is listed with 0 and its rate 0."""
    recs = [{"id": f"r{i}", "channel": "sms", "speaker": "collector", "agent": "A1" if i < 4 else "A101",
             "case": f"C{i % 2}", "text": "你再不还钱我们就上门" if i == 0 else "请按时还款"} for i in range(8)]
    f = tmp_path / "small.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    err = run_cli("scan", str(f), "--format", "jsonl", "-o", str(tmp_path / "o.jsonl"), "--summary").stderr.decode()
    agent_rows = err.split("by agent")[1].split("by case")[0]
    assert re.search(r"A101\s+0\s+0(?:\.0+)?\s+0\s+0(?:\.0+)?\n", agent_rows), agent_rows
    assert re.search(r"A1\s+[1-9]", agent_rows), agent_rows

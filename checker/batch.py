"""Streaming batch scans for compliance teams: JSONL (optionally gzip) read in blocks,
findings produced as the input goes by, all cores through a process pool.

Memory stays flat in the input size: the input is read in blocks of whole lines (~512 KiB),
each block is one chunk of work — the fast path (``checker.fastpath``) settles the records
that cannot produce a per-record finding, the engine reads the rest in full — and is then
dropped. Only call records are kept, with what the frequency rules need of them (local day,
debtor, status), and grouped per rule as chunks come back; the frequency rules judge the
groups at the end. Output order is deterministic and independent of ``jobs``: chunks come
back in input order, frequency findings are sorted. With ``render`` the workers also turn
their findings into JSONL lines, so the parent only writes them out. With more than one job
the parent scans the first chunk itself and forks the pool only then, so that the workers
inherit its warm per-text caches (``_warm_then_pool``).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import os
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timezone
from typing import Any

from checker.model import CallEvent, Finding, InputSummary, RejectedRow

BLOCK_BYTES = 1 << 19  # a chunk of work: ~512 KiB of lines (a few thousand records)

_WORKER: dict[str, Any] = {}


class BatchInputError(Exception):
    """An input that cannot be read to its end (the message names the file)."""


@dataclass
class FileStats:
    file: str
    rows: int = 0
    events: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    sha_hex: str = ""
    unknown: set[str] = field(default_factory=set)  # unknown field names; NO_ID when a record has no id

    def notes(self) -> list[str]:
        """What the general JSONL reader would note of these records (checker.io._jsonl_items)."""
        from checker.io.jsonl import NO_ID

        out = []
        if NO_ID in self.unknown:
            out.append(f"{self.file}: some records have no \"id\"; each is named by its file and line "
                       f"({self.file}:LINE)")
        fields = sorted(self.unknown - {NO_ID})
        if fields:
            out.append(f"{self.file}: ignored unknown field(s): {', '.join(fields)}")
        return out

    def summary(self, fmt: str = "jsonl", encoding: str = "utf-8") -> InputSummary:
        return InputSummary(file=self.file, sha256=self.sha_hex, format=fmt, encoding=encoding,
                            rows=self.rows, events=self.events, filtered=self.rows - self.events - len(self.rejected),
                            rejected=tuple(self.rejected), notes=tuple(self.notes()))


def open_lines(path: str) -> Iterator[bytes]:
    """Raw lines of a file (gzip by magic number), or of stdin for ``-``."""
    for block in open_blocks(path):
        yield from block.splitlines(keepends=True)


def open_blocks(path: str, size: int | None = None) -> Iterator[bytes]:
    """The bytes of a file (gzip by magic number) or of stdin (``-``) in blocks of about
    ``size`` bytes (``BLOCK_BYTES``, read when called: tests that set it get smaller chunks),
    each ending at a line break (the last one maybe not)."""
    import sys

    size = size or BLOCK_BYTES
    with (contextlib.nullcontext(sys.stdin.buffer) if path == "-" else open(path, "rb")) as raw:
        stream: Any = raw
        if path != "-":
            head = raw.read(2)
            raw.seek(0)
            if head == b"\x1f\x8b":
                stream = gzip.GzipFile(fileobj=raw)
        rest = b""
        done = 0
        while True:
            try:
                block = stream.read(size)
            except (EOFError, zlib.error, gzip.BadGzipFile) as e:
                lines = done + rest.count(b"\n")
                raise BatchInputError(f"{path}: the gzip data is cut short or damaged after line {lines} "
                                      f"({e}); the findings before it were written") from None
            if not block:
                break
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            rest = block[cut:]
            done += block.count(b"\n", 0, cut)
            yield block[:cut]
        if rest:
            yield rest


def _init_worker(pack: Any, tz_name: str, fast: bool = True, render: bool = False) -> None:
    """Compile the rules once per process (a forked worker inherits the parent's)."""
    from checker.engine import zone

    _WORKER["render"] = render
    if _WORKER.get("pack") is not pack:
        _WORKER["pack"] = pack
        _WORKER["compiled"] = pack.compiled()
        _WORKER.pop("fastpath", None)
        from checker.matchers.frequency import CallGroups

        _WORKER["groupers"] = [CallGroups(rule) for rule in _WORKER["compiled"].freq_rules]
    _WORKER["tz"] = zone(tz_name)
    if not fast:
        _WORKER["fastpath"] = None
    elif _WORKER.get("fastpath") is None or _WORKER["fastpath"].tz is not _WORKER["tz"]:
        from checker.fastpath import FastPath

        _WORKER["fastpath"] = FastPath(_WORKER["compiled"], _WORKER["tz"])


def looks_jsonl(path: str) -> bool:
    """A UTF-8 JSONL batch (plain or gzip) that the streaming scanner can take."""
    if path == "-":
        return False
    low = path.lower()
    try:
        if os.path.getsize(path) == 0:
            return False
        with open(path, "rb") as f:
            head = f.read(65536)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as g:
                head = g.read(65536)
            low = low[:-3] if low.endswith(".gz") else low
    except (OSError, EOFError):
        return False
    if not head.strip():
        return False  # gzip data that unpacks to nothing: the general reader says the file is empty
    head = head[: head.rfind(b"\n") + 1] or head
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    from checker.io import app_rows

    if app_rows(text):
        return False  # an export app's rows as JSON lines (no channel): the general reader takes them
    if text.startswith("\ufeff"):
        return False  # let the general reader handle a BOM
    if low.endswith((".jsonl", ".ndjson")):
        return True
    from checker.io import sniff

    return sniff(low, text) == "jsonl"


# file, sha256, "chunk" | "end", first line, the lines (or their (offset, size) in a plain file)
Chunk = tuple[str, str | None, str, int, bytes | tuple[int, int]]


def _scan_chunk(chunk: Chunk) -> tuple:
    """Scan one chunk → (file, kind, per-record findings, call records kept for the
    frequency rules, rejected rows, events read, rows read, records per agent and case,
    unknown field names and NO_ID for the file's notes).
    An "end" chunk only marks a file's end. The calls come as each frequency rule's groups
    of this chunk's calls.

    The fast path (checker.fastpath) settles the records that cannot produce a per-record
    finding; the rest are read in full, in input order."""
    from checker.io.jsonl import read_numbered
    from checker.matchers import frequency

    file, sha, kind, first, blob = chunk
    if kind == "end":
        return file, kind, [], [], [], 0, 0, None, None, set()
    if type(blob) is tuple:  # (offset, size) in a plain file: read here (see _chunks)
        blob = _read_at(file, *blob)
    compiled, tz, fast = _WORKER["compiled"], _WORKER["tz"], _WORKER.get("fastpath")
    lines = blob.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    rows = sum(1 for raw in lines if raw.strip())
    unknown: set[str] = set()
    if fast is not None:
        slow, fast_calls, events, agents, cases = fast.split(lines, file, sha, first)
        unknown.update(fast.unknown)
        fast.unknown.clear()
    else:
        slow, fast_calls, events, agents, cases = range(len(lines)), [], 0, Counter(), Counter()
    findings: list[Finding] = []
    calls: list[tuple[int, CallEvent]] = fast_calls
    rejected: list[RejectedRow] = []
    numbered = []
    not_utf8 = []
    for i in slow:
        try:
            numbered.append((first + i, lines[i].decode("utf-8")))
        except UnicodeDecodeError:
            # a batch is UTF-8: a line in another encoding (a GBK line pasted in) is rejected
            # with that reason, its text shown as GBK would read it
            not_utf8.append(RejectedRow(file, first + i, "not UTF-8 text (a JSONL batch is UTF-8; this line may be "
                                        "GBK / GB18030: save the file as UTF-8)",
                                        lines[i].decode("gb18030", errors="replace")[:500]))
    keep_calls = bool(compiled.freq_rules)
    items = list(read_numbered(numbered, file, sha, tz, unknown))
    compiled.prescore([it for it in items if not isinstance(it, RejectedRow)])
    for item in items:
        line = item.line if isinstance(item, RejectedRow) else item.source.line
        if isinstance(item, RejectedRow):
            rejected.append(item)
            continue
        events += 1
        if item.agent is not None:
            agents[item.agent] += 1
        if item.case is not None:
            cases[item.case] += 1
        findings.extend(compiled.scan_event(item, tz))
        if keep_calls and isinstance(item, CallEvent) and not item.relation:
            calls.append((line - first, item))
    if not_utf8:
        rejected = sorted([*rejected, *not_utf8], key=lambda r: r.line)
    if _WORKER.get("render") and findings:
        # one UTF-8 block per chunk: the parent writes it as it is
        findings = [Rendered("".join(render_jsonl(f) + "\n" for f in findings).encode("utf-8"),
                             len(findings))]  # type: ignore[list-item]
    if not keep_calls:
        calls = []
    elif fast_calls and len(calls) > len(fast_calls):
        calls.sort(key=lambda c: c[0])
    # what the frequency rules need of each call (its local day …) and the rules' groups of
    # this chunk's calls, made here in the worker: the parent only merges groups
    grouped = []
    if calls:
        counted = _stubs(frequency.counted([c for _i, c in calls], tz), _WORKER.setdefault("zones", {}))
        grouped = [g.partial(counted) for g in _WORKER["groupers"]]
    return file, kind, findings, grouped, rejected, events, rows, agents, cases, unknown


def _stubs(counted: list, zones: dict) -> list:
    """The calls as CallStubs, each time's fixed-offset tzinfo replaced by one shared instance
    per offset (``zones``: this process's, kept across chunks). Each time read from a string has
    a ``timezone`` object of its own, and pickle writes every distinct object out in full (a
    class reference and a timedelta each): with one instance per offset pickle memoises it, and
    a chunk's calls pickle in half the time and unpickle in a third less (the benchmark corpus's
    202 chunks, quiet machine: 0.55 → 0.29 s to pickle in the workers, 0.235 → 0.165 s to
    unpickle in the parent, whose CPU is what holds back ``--jobs 2``; 12.9 MB instead of 14.8).
    Comparing two times with the same tzinfo object also skips their offsets, which the
    frequency rules' sorting gains from. Two timezones of one offset are the same zone: nothing
    computed from the time changes (tests/test_batch.py).
    (A ``timezone`` can carry a name, which this would not keep; the readers never make one:
    ``fromisoformat`` and ``checker.io.times`` give unnamed offsets or ``timezone.utc``.)
    Inlined — no CallStub.of, no ``_replace``, no name check: a helper call per call cost the
    workers 3.3 µs a call, 0.4 s on the benchmark corpus, more than the pickling saved; this
    costs ~0.7 µs (``datetime.replace``)."""
    from checker.matchers.frequency import CallStub

    new = tuple.__new__
    out = []
    for ev, day, debtor, status in counted:
        t = ev.time
        if t is not None:
            tz = t.tzinfo
            if type(tz) is timezone:
                one = zones.get(tz)  # (timezones hash and compare by offset alone)
                if one is None:
                    zones[tz] = tz
                elif one is not tz:
                    t = t.replace(tzinfo=one)
        src = ev.source
        out.append((new(CallStub, (ev.id, t, ev.channel, ev.collector_group, ev.from_, ev.speaker, ev.agent,
                                   ev.case, src.file, src.line, src.sha256)), day, debtor, status))
    return out


@dataclass
class Rendered:
    """A chunk's per-record findings as JSONL, encoded (``scan_stream(render=True)``)."""

    data: bytes
    count: int


def render_jsonl(f: Finding) -> str:
    """One finding as its JSONL line (without the line break)."""
    global _FINDING_JSON
    if _FINDING_JSON is None:  # (imported on first use, once: an import statement costs ~1 µs a call)
        from checker.report.output import finding_json

        _FINDING_JSON = finding_json
    return _FINDING_JSON(f)


_FINDING_JSON: Any = None


def _file_sha256(path: str) -> str:
    """Hash first (a pass at disk speed), so every finding can carry its file's hash."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _chunks(paths: Iterable[str], stats: dict[str, FileStats], by_offset: bool = False) -> Iterator[Chunk]:
    """Each file's blocks as chunks of work, then its "end". With ``by_offset`` (a pool's
    workers get the chunks), a block of a plain file travels as its (offset, size): the
    worker reads those bytes itself instead of the parent pickling them down a pipe."""
    for path in paths:
        st = stats.setdefault(path, FileStats(path))
        st.sha_hex = _file_sha256(path)
        plain = by_offset and path != "-" and _is_plain(path)
        n = 0
        at = 0
        for block in open_blocks(path):
            yield path, st.sha_hex, "chunk", n + 1, ((at, len(block)) if plain else block)
            n += block.count(b"\n")
            at += len(block)
        yield path, st.sha_hex, "end", n, b""


def _is_plain(path: str) -> bool:
    """A regular file that is not gzip (its blocks are byte ranges of the file itself)."""
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as f:
            return f.read(2) != b"\x1f\x8b"
    except OSError:
        return False


def _read_at(path: str, offset: int, size: int) -> bytes:
    """``size`` bytes of a file from ``offset`` (a chunk that travelled by offset)."""
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(size)
    if len(data) != size:
        raise BatchInputError(f"{path}: the file changed while it was being scanned")
    return data


@contextlib.contextmanager
def _pool(jobs: int) -> Iterator[Any]:
    """A process pool of ``jobs`` workers (None for one job), ended on the way out."""
    if jobs <= 1:
        yield None
        return
    pool = _new_pool(jobs, initializer=_init_worker, initargs=_WORKER["initargs"])
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def _new_pool(jobs: int, **kw: Any) -> Any:
    """A process pool of ``jobs`` workers whose worker handler does not spin (see _pool_class)."""
    return _pool_class()(jobs, context=_context(), **kw)


@functools.lru_cache(maxsize=1)
def _pool_class() -> Any:
    from multiprocessing.pool import Pool  # (imported when a pool is made: start-up stays lean)

    class _QuietPool(Pool):
        """A ``multiprocessing.Pool`` whose worker-handler thread sleeps until a worker exits
        or the pool's state changes. The stock one also waits on the pipe the results come
        back on, and while a result sits there unread (until the result-handler thread has
        read all of it) ``wait`` returns at once: the handler spins, checking its workers and
        waiting again — 0.6–0.8 s of the parent's CPU on the benchmark corpus with --jobs 2
        (of ~2 s), and the GIL taken from the threads that do the work. It only needs to wake
        when a worker has ended (each worker's sentinel is still waited on, as before) or on a
        change of state (``close``/``terminate`` and an emptied task cache signal the change
        notifier, which is kept). Workers never exit by themselves here (no
        ``maxtasksperchild``), so there is nothing the outqueue could tell it."""

        def _get_sentinels(self) -> list:
            return [self._change_notifier._reader]

    return _QuietPool


def _context() -> Any:
    import multiprocessing as mp

    return mp.get_context("fork") if hasattr(os, "fork") else mp.get_context("spawn")


def _ordered(fn: Any, items: Iterator[Chunk], pool: Any, jobs: int) -> Iterator[Any]:
    """``map`` in order with at most ``jobs * 3`` chunks in flight (bounded memory)."""
    if pool is None:
        yield from map(fn, items)
        return
    from collections import deque

    window: deque = deque()
    it = iter(items)
    while True:
        try:
            item = next(it)
        except StopIteration:
            break
        except Exception:  # reading the input failed: what was read is still scanned
            while window:
                yield window.popleft().get()
            raise
        window.append(pool.apply_async(fn, (item,)))
        if len(window) >= jobs * 3:
            yield window.popleft().get()
    while window:
        yield window.popleft().get()


# Chunks the parent scans itself before it forks the pool (--jobs > 1). See _warm_then_pool.
WARM_CHUNKS = 1


def _warm_then_pool(chunks: Iterator[Chunk], jobs: int, warm: int) -> Iterator[tuple]:
    """_scan_chunk's results in input order: with ``jobs`` > 1 the first ``warm`` chunks are
    scanned here, in the parent, and only then is the pool forked for the rest (none at all
    when the input ends first: a small batch forks no processes).

    Why: what a process learns while scanning stays in it — the fast path's verdicts per text
    (``FastPath._text_candidates``), the engine's findings per text (``CompiledPack._scan_turn``),
    the rule expressions compiled on first use, jieba's dictionary, the citation and JSON caches.
    Forked after the warm-up, the workers inherit all of it copy-on-write instead of each
    learning it again: on the benchmark corpus (templated text, 202 chunks) the workers' CPU fell
    by ~1 s (8.7 → 7.6 s, medians; the parent's rose 0.4 s for the chunk it scans), their system time
    0.3 → 0.13 s, and each worker's private memory 89 → 40 MB (the pages it had to fill itself).
    One chunk is enough: its first chunk costs a process 0.19 s, a later one 0.03 s, and 2 or 4
    warm chunks measured the same as 1 for the workers while the parent's serial share grows.
    The results are those chunks' own, in order; nothing is judged twice. ``gc.freeze()`` before
    the fork keeps the inherited objects out of the workers' collections (a collection writes to
    every object it walks, which would copy their pages; not measured on its own: the numbers
    above are with it)."""
    import gc
    import itertools

    if jobs <= 1:
        yield from map(_scan_chunk, chunks)
        return
    it = iter(chunks)
    done = 0
    while done < warm:
        try:
            item = next(it)
        except StopIteration:
            return
        yield _scan_chunk(item)
        if item[2] == "chunk":
            done += 1
    try:
        first = next(it)
    except StopIteration:
        return
    gc.freeze()  # (the caller's _quiet_gc unfreezes at the end)
    with _pool(jobs) as pool:
        yield from _ordered(_scan_chunk, itertools.chain([first], it), pool, jobs)


# Below this many groups over a limit, the frequency findings are made in the parent, also
# with --jobs > 1. Forking pays late: a forked worker judges a group in ~1.4 times the CPU the
# parent does (each worker fills the citation and JSON caches again, and the calls it reads are
# copied on write), and the parent still unpickles every rendered finding. Measured on the
# 2-core machine with the benchmark corpus's 15,704 groups (and copies of them for more), fresh
# process each time, CPU seconds: 16,000 groups 0.66 in the parent alone against 0.17 + 0.95
# forked (wall about even on a quiet machine); 31,000: 1.08 against 0.35 + 1.44; 63,000: 2.08
# against 0.55 + 2.8. Forking gains some 15–20 % of this phase from about 30,000 groups when both
# cores are free, and loses whenever another process holds one (the old threshold, 2,000, made
# --jobs 2 slower than --jobs 1 here: 0.69 s against 0.39 s).
PARALLEL_GROUPS = 30_000


def _judge_slice(job: tuple[int, int, int]) -> list:
    """A forked worker's share of the frequency findings: groups ``lo:hi`` of rule ``k``
    (the groups were made before the fork, so only three numbers travel)."""
    k, lo, hi = job
    counter, groups = _WORKER["judging"][k]
    found = counter.judge(groups[lo:hi], _WORKER["tz"], _WORKER["compiled"])
    if _WORKER.get("render") and found:
        return [Rendered("".join(render_jsonl(f) + "\n" for f in found).encode("utf-8"), len(found))]
    return found


def _frequency_findings(counters: list, jobs: int) -> Iterator[Any]:
    """The frequency rules' findings, in order. A large batch's are made by ``jobs``
    processes forked now, each judging slices of the groups (on one core, or where processes
    are not forked, by this process)."""
    judging = [(c, c.over_limit()) for c in counters]
    total = sum(len(g) for _c, g in judging)
    if jobs <= 1 or total < PARALLEL_GROUPS or not hasattr(os, "fork"):
        for c, groups in judging:
            for lo in range(0, len(groups), 1000):  # a slice at a time: groups on disk load as judged
                yield from c.judge(groups[lo:lo + 1000], _WORKER["tz"], _WORKER["compiled"])
        return
    step = max(200, total // (jobs * 4))
    slices = [(k, lo, lo + step) for k, (_c, g) in enumerate(judging) for lo in range(0, len(g), step)]
    _WORKER["judging"] = judging
    try:
        pool = _new_pool(jobs)
        try:
            for part in pool.imap(_judge_slice, slices):
                yield from part
        finally:
            pool.terminate()
            pool.join()
    finally:
        _WORKER.pop("judging", None)


def scan_stream(paths: Iterable[str], pack: Any, tz_name: str, jobs: int = 1,
                progress: Any = None, records_by: dict[str, Counter] | None = None,
                fast: bool = True, render: bool = False,
                warm: int | None = None) -> Iterator[Finding | Rendered | FileStats]:
    """Per-record findings in input order, each file's FileStats after its last chunk,
    then the frequency findings over all files. ``fast=False`` reads every record in full
    (the reference the fast path is tested against). ``render=True`` gives each chunk's
    per-record findings as one ``Rendered`` block of JSONL, made in the workers (a parent
    that only writes them out is then no bottleneck for the pool). ``warm``: how many chunks
    the parent scans before it forks the pool (default ``WARM_CHUNKS``)."""
    from checker.matchers.frequency import CallGroups

    stats: dict[str, FileStats] = {}
    _WORKER["initargs"] = (pack, tz_name, fast, render)
    _init_worker(pack, tz_name, fast, render)
    # the frequency rules' groups, filled as chunks come back (while the workers go on)
    counters = [CallGroups(rule) for rule in _WORKER["compiled"].freq_rules]
    with _quiet_gc():
        # (a pool is forked after the first chunk, if there is more: see _warm_then_pool)
        for file, kind, findings, chunk_calls, rejected, events, rows, agents, cases, unknown in _warm_then_pool(
                _chunks(paths, stats, by_offset=jobs > 1), jobs, WARM_CHUNKS if warm is None else warm):
            st = stats[file]
            if kind == "end":
                yield st
                continue
            st.unknown |= unknown
            if records_by is not None:
                records_by.setdefault("agent", Counter()).update(agents)
                records_by.setdefault("case", Counter()).update(cases)
            st.events += events
            st.rows += rows
            st.rejected.extend(rejected)
            for counter, partial in zip(counters, chunk_calls, strict=False):  # none without calls
                counter.merge(partial)
            if progress is not None:
                progress(sum(s.rows for s in stats.values()),
                         sum(f.count if isinstance(f, Rendered) else 1 for f in findings))
            yield from findings
        yield from _frequency_findings(counters, jobs)


@contextlib.contextmanager
def _quiet_gc() -> Iterator[None]:
    """Fewer garbage-collector passes during a scan. The compiled pack (tens of thousands
    of phrases and sets) and the call records kept for the frequency rules are long-lived;
    with the default thresholds every full collection walks all of them again, which cost
    a fifth of a scan's time. The objects alive now are frozen (never scanned) and young
    collections run every 50,000 allocations instead of 700; the settings are restored
    afterwards. Forked workers inherit both."""
    import gc

    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()

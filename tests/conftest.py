import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pack():
    from checker.pack import load_pack

    return load_pack("cn")


def run_cli(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None, env: dict | None = None):
    """Run the real command line in a subprocess, as a user would."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "checker", *args], input=data, capture_output=True,
                          cwd=cwd or ROOT, env=e, timeout=300)


def scan_json(path: Path, *extra: str) -> dict:
    """`collcheck scan PATH --format json` through the real command line: the parsed output (exit 0
    or 1 — findings or none; anything else fails with the command's stderr)."""
    import json

    r = run_cli("scan", str(path), "--format", "json", *extra)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


# the contact-hours and connected-calls rules the call-log tests check finding by finding
NIGHT, EVENING = "cn.contact.inconvenient_time.night_22_08", "cn.contact.inconvenient_time.evening_21_22"
CONNECTED = "cn.contact.excessive_frequency.connected_calls_daily"


def flagged(out: dict, rule: str, start: int = 0, end: int = 16) -> list[str]:
    """The times (``time[start:end]``, T as a space) of ``rule``'s findings in a `scan --format
    json` output, sorted: which calls a rule flagged, for comparing with a ground truth."""
    return sorted(f["time"][start:end].replace("T", " ") for f in out["findings"] if f["rule"] == rule)


def read_both(path: Path, tz, **kw):
    """Read a fixture with the in-memory reader and the streaming one: they must agree and
    every row must be accounted for (read, filtered or rejected). Returns the in-memory result."""
    from checker.io import open_path, read_input

    res = read_input(path.name, path.read_bytes(), tz, **kw)
    s = res.summary
    assert s.events + s.filtered + len(s.rejected) == s.rows  # never a row lost
    reading = open_path(str(path), tz, name=path.name, **kw)  # the streaming reader agrees
    assert list(reading) == res.events and reading.summary() == s
    return res


def categories_by_text(scan, by_text: dict[str, str]) -> tuple[dict[str, frozenset], list]:
    """The round-trip tests' comparison: {source id: frozenset of finding categories} for the
    events of a scan whose text is a key of ``by_text`` (text -> source id), and the texts of
    events that match no source."""
    ev_src, stray = {}, []
    for ev in scan.events:
        sid = by_text.get((ev.text or "").strip())
        if sid is None:
            stray.append(ev.text)
        else:
            ev_src[ev.id] = sid
    cats: dict[str, set[str]] = {sid: set() for sid in ev_src.values()}
    for f in scan.findings:
        for rid in f.covered_records():
            if rid in ev_src:
                cats[ev_src[rid]].add(f.category)
    return {k: frozenset(v) for k, v in cats.items()}, stray


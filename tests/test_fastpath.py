"""The raw-line fast path of batch scans (checker.fastpath) must change nothing: the same
findings, rejected rows and counts as reading every record in full."""

import json
import sys
import unicodedata

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.batch import FileStats, scan_stream
from checker.engine import zone
from checker.fastpath import FastPath, prepare, quick_table
from checker.io.jsonl import read_jsonl
from checker.model import CallEvent, RejectedRow
from checker.pack import cached_pack

sys.path.insert(0, str(ROOT / "benchmarks"))
from gen_corpus import write  # noqa: E402

TZ = "Asia/Shanghai"


def _run(paths, fast):
    findings, stats, by = [], [], {}
    for item in scan_stream([str(p) for p in paths], cached_pack("cn"), TZ, 1, None, by, fast=fast):
        if isinstance(item, FileStats):
            stats.append(item.summary().to_dict())
        else:
            findings.append(item.to_dict())
    return findings, stats, by


EDGE = [
    # compatibility characters, traditional script, fillers, spaces inside phrases
    {"id": "e1", "channel": "sms", "speaker": "collector", "text": "我是城東派出所的民警，你涉嫌詐騙"},
    {"id": "e2", "channel": "wechat", "speaker": "unknown", "text": "ＳＢ，再不还钱就去你单位"},
    {"id": "e3", "channel": "transcript", "speaker": "collector", "text": "我 们 明 天 就 去 你 单 位 找 你 领 导"},
    {"id": "e4", "channel": "transcript", "speaker": "collector", "text": "打断 呃 你的腿"},
    {"id": "e5", "channel": "sms", "speaker": "collector", "text": "⼤家都会知道你欠钱不还，发到你公司群"},
    {"id": "e6", "channel": "sms", "speaker": "collector", "text": "cao ni ma 还钱"},
    {"id": "e7", "channel": "sms", "speaker": "collector", "text": "e\u0301 我们会联系你的家人"},
    {"id": "e8", "channel": "sms", "speaker": "debtor", "text": "你们再说要上门我就报警"},
    {"id": "e9", "channel": "sms", "speaker": "collector", "text": "我们不会上门，请放心"},
    # literals made of characters the quick form drops (emoji anchors), decoration inside words
    {"id": "e10", "channel": "wechat", "speaker": "collector", "text": "再不还钱🔪"},
    {"id": "e11", "channel": "wechat", "speaker": "collector", "text": "三天内不还，直接曝★光到你朋★友★圈"},
    # times: boundaries, offsets, space separator, fractions, naive, odd forms
    {"id": "t1", "channel": "sms", "speaker": "collector", "time": "2025-03-14T20:59:59+08:00", "text": "请还款"},
    {"id": "t2", "channel": "sms", "speaker": "collector", "time": "2025-03-14T21:00:00+08:00", "text": "请还款"},
    {"id": "t3", "channel": "sms", "speaker": "collector", "time": "2025-03-14T13:30:00Z", "text": "请还款"},
    {"id": "t4", "channel": "sms", "speaker": "collector", "time": "2025-03-14 22:15:00", "text": "请还款"},
    {"id": "t5", "channel": "sms", "speaker": "collector", "time": "2025-03-14T07:59:59.500+08:00", "text": "请还款"},
    {"id": "t6", "channel": "sms", "speaker": "collector", "time": "2025-03-14T12:30:00+05:30", "text": "请还款"},
    {"id": "t7", "channel": "sms", "speaker": "collector", "time": 1742000000, "text": "请还款"},
    {"id": "t8", "channel": "sms", "speaker": "collector", "time": "2025-03-14T10:61:00", "text": "请还款"},
    {"id": "t9", "channel": "sms", "speaker": "collector", "time": " 2025-03-14T10:00:00", "text": "请还款"},
    {"id": "t10", "channel": "sms", "speaker": "collector", "time": "", "text": "请还款"},
    {"id": "t11", "channel": "sms", "speaker": "collector", "time": "2025-02-30T10:00:00", "text": "请还款"},
    # calls: the frequency rules need every one of them
    *[{"id": f"c{i}", "channel": "call", "direction": "in", "from": "17000000001", "to": "13800000000",
       "time": f"2025-03-14T{9 + i % 10:02d}:0{i % 6}:00+08:00", "status": ["answered", "missed"][i % 2],
       "duration_s": 30 if i % 2 == 0 else 0, "agent": "A1", "case": "k1"} for i in range(12)],
    {"id": "c20", "channel": "call", "direction": "in", "from": "1700", "to": "1380", "status": "busy"},
    {"id": "c21", "channel": "call", "direction": "in", "from": "1700", "to": "1380", "duration_s": -1},
    {"id": "c22", "channel": "call", "direction": "in", "from": "1700", "to": "1380", "duration_s": True},
    {"id": "c23", "channel": "call", "direction": "in", "from": 1700, "to": "1380"},
    {"id": "c24", "channel": "call", "direction": "in", "from": "1700", "to": "1380", "relation": "母亲",
     "time": "2025-03-14T10:00:00+08:00"},
    # fields the full path rejects, ids it fills in, unknown fields it ignores
    {"id": "", "channel": "sms", "speaker": "collector", "text": "请还款", "extra": {"x": 1}},
    {"id": 7, "channel": "sms", "speaker": "collector", "text": "请还款"},
    {"id": "r1", "channel": "fax", "text": "请还款"},
    {"id": "r2", "channel": "sms", "speaker": "boss", "text": "请还款"},
    {"id": "r3", "channel": "sms", "speaker": "", "text": "请还款"},
    {"id": "r4", "channel": "sms", "direction": "sideways", "text": "请还款"},
    {"id": "r5", "channel": "sms", "text": 5},
    {"id": "r6", "channel": "sms", "text": "请还款", "labels": "threat.visit"},
    {"id": "r7", "channel": "sms", "text": "请还款", "labels": ["threat.visit"], "agent": "A2", "case": "k2"},
]


def _edge_file(tmp_path):
    f = tmp_path / "edge.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in EDGE]
    lines[3:3] = ["", "{not json", "[1, 2]", "   "]
    f.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b'{"id": "bad", "text": "\xff\xfe"}\r\n'
                  + b'{"id": "crlf", "channel": "sms", "speaker": "collector", "text": "\xe6\x88\x91"}\r\n')
    return f


def test_fast_path_changes_nothing_on_edge_records(tmp_path):
    f = _edge_file(tmp_path)
    fast, slow = _run([f], True), _run([f], False)
    assert fast == slow
    findings, stats, by = fast
    assert len(stats[0]["rejected"]) >= 10 and stats[0]["events"] > 30
    assert {x["record"] for x in findings} >= {"e1", "e3", "e4", "e10", "e11", "t2", "t3", "t4", "t5"}


def test_fast_path_changes_nothing_on_labelled_corpora_and_generated_batch(tmp_path):
    gen = tmp_path / "gen.jsonl"
    write(str(gen), records=6000, seed=11)
    corpus = ROOT / "corpus"
    paths = [gen, *sorted((corpus / "dev").glob("*.jsonl")), *sorted((corpus / "fresh").glob("*.jsonl"))]
    fast, slow = _run(paths, True), _run(paths, False)
    assert len(fast[0]) > 1000
    assert fast == slow


def test_fast_path_settles_most_routine_records(tmp_path):
    gen = tmp_path / "gen.jsonl"
    write(str(gen), records=4000, seed=2)
    fp = FastPath(cached_pack("cn").compiled(), zone(TZ))
    lines = gen.read_bytes().split(b"\n")[:-1]
    slow, calls, settled, _agents, _cases = fp.split(lines, str(gen), None, 1)
    assert settled + len(slow) == len(lines)
    assert len(slow) < 0.25 * len(lines)
    assert calls and all(isinstance(c, CallEvent) for _i, c in calls)


@pytest.mark.parametrize(("text", "slow"), [
    # a structural rule's common anchor (备注 / 通知 / 转到 / APP) in routine talk: its required
    # expression does not match, so the record is settled without reading it in full
    ("行 那我 先 给您 备注 一下 您 记得 按时 还款", False),
    ("您说的情况我已经记录了，会帮您提交减免申请，结果三个工作日内通知您。", False),
    ("还款可以通过官方APP或者对公账户，请不要转到个人账户。", False),
    # the same anchors where the expressions match go to the engine, which finds them
    ("再不还，我就把你微信备注改成老赖，发到你们公司群里", True),
    ("你妈那边我们上周已经去过电话了", True),
])
def test_required_expressions_are_checked_before_the_full_read(text, slow):
    tz = zone(TZ)
    compiled = cached_pack("cn").compiled()
    fp = FastPath(compiled, tz)
    line = json.dumps({"id": "x", "channel": "sms", "speaker": "collector", "text": text}, ensure_ascii=False)
    got, _calls, settled, _a, _c = fp.split([line.encode()], "f", None, 1)
    assert bool(got) is slow and settled == (0 if slow else 1)
    (ev,) = [e for e in read_jsonl(iter([line]), "f", None, tz) if not isinstance(e, RejectedRow)]
    assert bool(compiled.scan_event(ev, tz)) is slow


def test_a_spaced_literal_and_its_joined_form_wake_the_same_rules():
    """The quick form has no spaces, so 「c n m」 and 「cnm」 are one search key; a match must
    stand for both literals (which one it stood for depended on a set's order)."""
    from checker.fastpath import _gate_literals

    compiled = cached_pack("cn").compiled()
    fp = FastPath(compiled, zone(TZ))
    names = dict(zip(prepare(compiled).literal_keys, fp.literal_names, strict=True))
    lits = _gate_literals(compiled.text_rules)
    pairs = [(lit, lit.replace(" ", "")) for lit in lits if " " in lit and lit.replace(" ", "") in lits]
    assert pairs
    for spaced, joined in pairs:
        assert {spaced, joined} <= set(names[joined])


def test_quick_table_agrees_with_nfkc():
    table = quick_table()
    for ch in "ＡＢＣ，！？：　⼤⼈①ﬁ𝐬𝐛":
        want = unicodedata.normalize("NFKC", ch).lower().replace(" ", "")
        assert ch.lower().translate(table) == want, ch
    assert "繁體".translate(table) == "繁体"
    assert "打 呃 嗯断".translate(table) == "打断"


def _pieces():
    compiled = cached_pack("cn").compiled()
    lits = sorted(str(k) for k in compiled.rules_by_literal)
    noise = ["，", "　", " ", "呃", "嗯", "Ａ", "你", "我们", "不会", "吗", "了", "讲", "說", "們", "⼤", "\n",
             "★", "\u200b", "-", "⚡", "🔪", "/", "a"]
    return lits, noise


_LITS, _NOISE = _pieces()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_LITS), st.sampled_from(_NOISE)), min_size=1, max_size=8),
       st.sampled_from(["collector", "unknown", "debtor"]), st.sampled_from(["sms", "wechat", "transcript"]))
def test_records_left_to_the_fast_path_have_no_findings(parts, speaker, channel):
    """Whatever the fast path settles, the engine would have found nothing in."""
    text = "".join(parts)
    line = json.dumps({"id": "x", "channel": channel, "speaker": speaker, "text": text}, ensure_ascii=False)
    tz = zone(TZ)
    compiled = cached_pack("cn").compiled()
    fp = FastPath(compiled, tz)
    slow, _calls, settled, _a, _c = fp.split([line.encode()], "f", None, 1)
    if settled:
        (ev,) = [e for e in read_jsonl(iter([line]), "f", None, tz) if not isinstance(e, RejectedRow)]
        assert compiled.scan_event(ev, tz) == [], text


@pytest.mark.parametrize("zone_name", ["Asia/Shanghai", "America/New_York", "Australia/Lord_Howe",
                                       "Asia/Kathmandu", "Europe/London"])
def test_hour_classes_agree_with_minute_by_minute(zone_name):
    """An hour's class is worked out from its first local minute when the offset holds all
    hour; it must equal checking each of its 60 minutes (across DST switches, :30/:45 zones,
    fixed offsets and naive times)."""
    from datetime import datetime, timedelta

    from checker.fastpath import _MAYBE, _QUIET

    tz = zone(zone_name)
    fp = FastPath(cached_pack("cn").compiled(), tz)
    start = datetime(2025, 3, 8)
    seen = set()
    for h in range(24 * 40):  # early March to mid April: the northern spring switches
        t = start + timedelta(hours=h * 7 % (24 * 40))
        for tail in ("", "+08:00", "Z", "+05:45", "-04:00", "+10:30", "+07:59", "-00:01"):
            head = t.strftime("%Y-%m-%dT%H")
            got = fp._hour_class(head + tail, head, tail)
            t0 = datetime.fromisoformat(head + ":00:00" + tail)
            if t0.tzinfo is None:
                t0 = t0.replace(tzinfo=tz)
            want = _QUIET
            for m in range(60):
                if fp._in_window((t0 + timedelta(minutes=m)).astimezone(tz).time()):
                    want = _MAYBE
                    break
            assert got is want, (zone_name, head + tail)
            seen.add(got)
    assert seen == {_MAYBE, _QUIET}


# ---------------------------------------------------------------- verdicts kept per text
THREAT = "你出门小心点，我们的人知道你住哪"
ROUTINE = "好的，那我们约定周五下午五点前还款"


def _lines(*recs):
    return [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in recs]


@pytest.mark.parametrize("order", [("debtor", "collector"), ("collector", "debtor")])
def test_a_kept_verdict_is_per_text_channel_and_side(order):
    """The same text is settled for the debtor's side and read in full for the collector's,
    whichever chunk comes first; a routine text stays settled."""
    fp = FastPath(cached_pack("cn").compiled(), zone(TZ))
    for n, who in enumerate(order):
        lines = _lines({"id": f"a{n}", "channel": "transcript", "speaker": who, "text": THREAT},
                       {"id": f"b{n}", "channel": "transcript", "speaker": who, "text": ROUTINE},
                       {"id": f"c{n}", "channel": "sms", "speaker": who, "text": THREAT})
        slow, _calls, settled, _a, _c = fp.split(lines, "f", None, 1)
        assert slow == ([0, 2] if who == "collector" else []), (who, slow)
        assert settled == 3 - len(slow)
    # kept: the threat per channel and side, the lawful text per side
    assert sorted(fp._memo.items()) == sorted({
        (THREAT, "transcript", True): True, (THREAT, "sms", True): True,
        (THREAT, "transcript", False): False, (THREAT, "sms", False): False,
        (ROUTINE, "transcript", True): False, (ROUTINE, "transcript", False): False}.items())


def test_the_engine_fills_each_record_into_a_kept_result(tmp_path):
    """Findings on a text seen before carry the new record's id, time and day's citations;
    the debtor's side gets none; the kept results are not pickled with the compiled pack."""
    import pickle

    compiled = cached_pack("cn").compiled()
    tz = zone(TZ)
    recs = [{"id": "x1", "channel": "sms", "speaker": "collector", "time": "2025-03-14T10:00:00+08:00", "text": THREAT},
            {"id": "x2", "channel": "sms", "speaker": "collector", "time": "2026-05-02T11:00:00+08:00", "text": THREAT},
            {"id": "x3", "channel": "sms", "speaker": "debtor", "time": "2026-05-02T11:00:00+08:00", "text": THREAT}]
    events = list(read_jsonl(iter([json.dumps(r, ensure_ascii=False) for r in recs]), "f", None, tz))
    first = compiled.scan_event(events[0], tz)
    second = compiled.scan_event(events[1], tz)
    assert first and [f.record for f in second] == ["x2"] * len(first)
    assert [f.rule for f in second] == [f.rule for f in first]
    assert {f.time.isoformat() for f in second} == {"2026-05-02T11:00:00+08:00"}
    assert compiled.scan_event(events[2], tz) == []
    fresh = pickle.loads(pickle.dumps(compiled))
    assert "_memo" in compiled.__dict__ and "_memo" not in fresh.__dict__
    assert [f.to_dict() for f in fresh.scan_event(events[1], tz)] == [f.to_dict() for f in second]

"""What the transcript readers lose: the labelled utterances of corpus/dev/transcripts.jsonl (calls grouped
by ``case``; speakers collector / debtor / third_party; some calls with times) rendered, in code, into the
export shapes a QA team or a debtor has, read back with collcheck's own reader and scanned with the same
pack. Every utterance must get the same set of finding categories as when the same utterance is scanned
from a JSONL batch that says what the export can say.

The shapes (one test case each; every call is its own file unless said otherwise):

1. ``pasted``: a pasted transcript with labels, ``[2025-03-14 10:02:11] 坐席：…`` / ``客户：…`` (the
   time only where the corpus gives the call one), third parties as ``家属：…``;
2. ``xunfei`` (讯飞听见) blocks, ``说话人1 00:00:02`` then the turn's text and a blank line, and
   ``tingwu`` (通义听悟), ``发言人1  00:00:02`` — above the blocks a date line with the call's start
   (``2025-03-14 10:02``) when the call has a time; ``--collector-speaker 说话人1`` / ``发言人1``;
3. ``srt``: SRT cues whose text starts ``A:`` / ``B:`` (``--collector-speaker A``); ``srt_cn``: the same
   with ``说话人1：`` (``--collector-speaker 说话人1``); ``vtt``: WebVTT cues with voice tags ``<v 说话人1>``
   (``--collector-speaker 说话人1``);
4. ``whisper``: WhisperX JSON (``{"segments": [{"start", "end", "text", "speaker": "SPEAKER_00"}]}``,
   ``--collector-speaker SPEAKER_00``), and ``funasr``: FunASR JSON (``[{"key", "text",
   "sentence_info": [{"text", "start", "end", "spk"}]}]``, ms offsets, ``--collector-speaker 0``);
5. ``table_csv``: ONE transcript table for all calls, ``录音ID, 坐席工号, 角色 (坐席 / 客户), 开始时间, 文本``;
6. ``aliyun``: 阿里云 录音文件识别 (``{"Result": {"Sentences": [{"BeginTime", "EndTime", "Text",
   "ChannelId", "SpeakerId"}]}}``, ``--collector-speaker 1``), and ``tencent``: 腾讯云 (``{"Response":
   {"Data": {"ResultDetail": [{"FinalSentence", "StartMs", "EndMs", "SpeakerId"}]}}}``, ``--collector-speaker 0``).

What the shapes can carry, and how the reference JSONL is made to match (it is scanned in the same run,
with the same rules, never compared against stored numbers — the rules change):

* **Speaker.** Labels that say who spoke (``pasted``: 坐席 / 客户 / 家属; ``table_csv``: 坐席 / 客户) give
  ``collector`` / ``debtor`` / ``third_party``. The other shapes have ids that say nobody (说话人1, A,
  SPEAKER_00, spk 0, SpeakerId 1); the collector's id is given with ``--collector-speaker`` and, as the
  README says, every other id is then the debtor's side. Third parties get a **third id** (说话人3, C,
  SPEAKER_02, spk 2 …): the reference says ``debtor`` for them. A role column has no third role, so
  ``table_csv`` **drops** third-party turns.
* **Time.** Only 26 of the 59 calls have times (local Asia/Shanghai; the corpus also writes ``Z``). A
  pasted transcript gives each turn its clock time to the second where the call has one, else none. 讯飞 /
  通义 blocks give offsets: under the start date line (cut to the minute) each turn is that minute plus its
  offset, so the full time comes back; calls without a time have no date line, their made-up offsets
  (5 s apart) date nothing. SRT / WebVTT / Whisper / FunASR / 阿里云 / 腾讯云 give offsets only: no time,
  and the reference has none. A table always has a 开始时间: calls without a time get a made-up daytime
  (10:00 on weekdays from 2025-06-02, one call a day, turns 5 s apart) in the reference too.
* **Call grouping.** A file is one call (the pasted calls last minutes, never a 10-minute gap); the table
  groups its rows by 录音ID (the corpus ``case``). The batch JSONL has no calls (each record is its own
  contact), so findings cannot depend on them; the second test checks the grouping.
* **Agent.** Only the table has one: its 坐席工号 (the call's agent in the corpus, blank when it has none)
  is every row's agent there and in its reference.

Each utterance read back is matched to its source by its text (the corpus texts are unique); an utterance
the reader loses, or an event whose text changed, is a mismatch too.

A second test looks below the findings, at what each utterance keeps where the shape carries it: its
speaker (as the shape can say it), its local time (or none), its channel (``transcript``), its agent (the
table) and its call — every turn of a source call in one call, no two source calls in the same one."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import categories_by_text

from checker.pack import cached_pack
from checker.pipeline import run

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "dev" / "transcripts.jsonl"
TZ = ZoneInfo("Asia/Shanghai")
STEP = 5  # seconds between turns where the corpus gives no time


@dataclass(frozen=True)
class Turn:
    id: str
    case: str
    speaker: str  # collector / debtor / third_party
    time: datetime | None  # local (Asia/Shanghai), to the second; None when the call has no time
    offset: int  # seconds into the recording
    text: str


@dataclass(frozen=True)
class Call:
    case: str
    agent: str | None
    start: datetime | None  # the first turn's time
    made_up: datetime  # a start for shapes that always have one: the real one, else a made-up daytime
    turns: tuple[Turn, ...]


@cache
def calls() -> tuple[Call, ...]:
    recs = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_case: dict[str, list[dict]] = {}
    for r in recs:
        by_case.setdefault(r["case"], []).append(r)
    out, untimed = [], 0
    for case, rs in by_case.items():
        times = [datetime.fromisoformat(r["time"].replace("Z", "+00:00")).astimezone(TZ) if r.get("time") else None
                 for r in rs]
        assert all(times) or not any(times), case  # a call is timed throughout or not at all
        start = times[0].replace(microsecond=0) if times[0] else None
        if start is None:
            day = datetime(2025, 6, 2, 10, 0, tzinfo=TZ) + timedelta(days=untimed + 2 * (untimed // 5))
            untimed += 1
        turns = tuple(Turn(r["id"], case, r["speaker"], t.replace(microsecond=0) if t else None,
                           int((t - start).total_seconds()) if t else 1 + STEP * i, r["text"])
                      for i, (r, t) in enumerate(zip(rs, times, strict=True)))
        agents = {r["agent"] for r in rs if r.get("agent")}
        assert len(agents) <= 1, case
        out.append(Call(case, next(iter(agents), None), start, start or day, turns))
    return tuple(out)


def hms(seconds: float, sep: str = ",") -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


IDS = {"collector": 0, "debtor": 1, "third_party": 2}  # the ambiguous shapes' speaker ids, in order


# ------------------------------------------------- renderers: one call -> (file name, bytes, {turn id: line})


def pasted(call):
    label = {"collector": "坐席", "debtor": "客户", "third_party": "家属"}
    lines = {t.id: (f"[{t.time:%Y-%m-%d %H:%M:%S}] " if t.time else "") + f"{label[t.speaker]}：{t.text}"
             for t in call.turns}
    return f"{call.case}.txt", ("\n".join(lines.values()) + "\n").encode("utf-8"), lines


def _blocks(call, label: str, gap: str):
    head = f"{call.start:%Y-%m-%d %H:%M}\n\n" if call.start else ""
    base = call.start.second if call.start else 0  # offsets from the start cut to the minute
    lines = {t.id: f"{label}{IDS[t.speaker] + 1}{gap}{clock(t.offset + base)}\n{t.text}" for t in call.turns}
    return f"{call.case}.txt", (head + "\n\n".join(lines.values()) + "\n").encode("utf-8"), lines


def xunfei(call):
    return _blocks(call, "说话人", " ")


def tingwu(call):
    return _blocks(call, "发言人", "  ")


def _srt(call, label):
    lines = {t.id: f"{n}\n{hms(t.offset)} --> {hms(t.offset + STEP - 1)}\n{label(IDS[t.speaker])}{t.text}"
             for n, t in enumerate(call.turns, 1)}
    return f"{call.case}.srt", ("\n\n".join(lines.values()) + "\n").encode("utf-8"), lines


def srt(call):
    return _srt(call, lambda i: f"{'ABC'[i]}: ")


def srt_cn(call):
    return _srt(call, lambda i: f"说话人{i + 1}：")


def vtt(call):
    lines = {t.id: f"{hms(t.offset, '.')} --> {hms(t.offset + STEP - 1, '.')}\n<v 说话人{IDS[t.speaker] + 1}>{t.text}"
             for t in call.turns}
    return f"{call.case}.vtt", ("WEBVTT\n\n" + "\n\n".join(lines.values()) + "\n").encode("utf-8"), lines


def _dump(doc) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def whisper(call):
    segs = [{"id": n, "start": float(t.offset), "end": float(t.offset + STEP - 1), "text": t.text,
             "speaker": f"SPEAKER_{IDS[t.speaker]:02d}"} for n, t in enumerate(call.turns)]
    doc = {"text": "".join(t.text for t in call.turns), "segments": segs, "language": "zh"}
    return f"{call.case}.json", _dump(doc), {t.id: json.dumps(s, ensure_ascii=False)
                                             for t, s in zip(call.turns, segs, strict=True)}


def funasr(call):
    sents = [{"text": t.text, "start": t.offset * 1000, "end": (t.offset + STEP - 1) * 1000, "spk": IDS[t.speaker]}
             for t in call.turns]
    doc = [{"key": call.case, "text": "".join(t.text for t in call.turns), "sentence_info": sents}]
    return f"{call.case}.json", _dump(doc), {t.id: json.dumps(s, ensure_ascii=False)
                                             for t, s in zip(call.turns, sents, strict=True)}


def aliyun(call):
    sents = [{"BeginTime": t.offset * 1000, "EndTime": (t.offset + STEP - 1) * 1000, "Text": t.text,
              "ChannelId": 0, "SpeechRate": 200, "EmotionValue": 6.5, "SilenceDuration": 0,
              "SpeakerId": str(IDS[t.speaker] + 1)} for t in call.turns]
    doc = {"TaskId": f"task-{call.case}", "RequestId": f"req-{call.case}", "StatusCode": 21050000,
           "StatusText": "SUCCESS", "BizDuration": 1000 * (call.turns[-1].offset + STEP),
           "Result": {"Sentences": sents}}
    return f"{call.case}.json", _dump(doc), {t.id: json.dumps(s, ensure_ascii=False)
                                             for t, s in zip(call.turns, sents, strict=True)}


def tencent(call):
    sents = [{"FinalSentence": t.text, "SliceSentence": t.text, "StartMs": t.offset * 1000,
              "EndMs": (t.offset + STEP - 1) * 1000, "WordsNum": len(t.text), "SpeechSpeed": 4.2,
              "SpeakerId": IDS[t.speaker]} for t in call.turns]
    doc = {"Response": {"RequestId": f"req-{call.case}", "Data": {
        "TaskId": 1000 + int(call.case[1:]), "Status": 2, "StatusStr": "success",
        "Result": "\n".join(f"[{clock(t.offset)}] {t.text}" for t in call.turns), "ErrorMsg": "",
        "ResultDetail": sents, "AudioDuration": float(call.turns[-1].offset + STEP)}}}
    return f"{call.case}.json", _dump(doc), {t.id: json.dumps(s, ensure_ascii=False)
                                             for t, s in zip(call.turns, sents, strict=True)}


def _csv_line(row) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    return buf.getvalue().rstrip("\n")


def table_time(call: Call, t: Turn) -> datetime:
    return t.time or call.made_up + timedelta(seconds=t.offset)


def table_csv(all_calls):
    """All calls in one file (a renderer of the whole corpus, not of one call)."""
    role = {"collector": "坐席", "debtor": "客户"}
    lines = {t.id: _csv_line([c.case, c.agent or "", role[t.speaker], f"{table_time(c, t):%Y-%m-%d %H:%M:%S}",
                              t.text])
             for c in all_calls for t in c.turns if t.speaker != "third_party"}
    text = "\n".join(["录音ID,坐席工号,角色,开始时间,文本", *lines.values()]) + "\n"
    return [("转写明细.csv", text.encode("utf-8"))], lines


# ------------------------------------------------------------------ what each shape can say, as JSONL


@dataclass(frozen=True)
class Shape:
    render: object  # one call -> (name, bytes, lines); or, with whole=True, all calls -> ([(name, bytes)], lines)
    labels: bool  # its labels say who spoke; else ids, the collector named with --collector-speaker
    time: str  # "clock": the corpus time where the call has one; "none"; "always": a made-up one where it has none
    collector: str | None = None  # --collector-speaker
    drops_third: bool = False
    whole: bool = False  # one file for all calls
    agent: bool = False  # carries the call's agent


SHAPES = {
    "pasted": Shape(pasted, True, "clock"),
    "xunfei": Shape(xunfei, False, "clock", "说话人1"),
    "tingwu": Shape(tingwu, False, "clock", "发言人1"),
    "srt": Shape(srt, False, "none", "A"),
    "srt_cn": Shape(srt_cn, False, "none", "说话人1"),
    "vtt": Shape(vtt, False, "none", "说话人1"),
    "whisper": Shape(whisper, False, "none", "SPEAKER_00"),
    "funasr": Shape(funasr, False, "none", "0"),
    "table_csv": Shape(table_csv, True, "always", drops_third=True, whole=True, agent=True),
    "aliyun": Shape(aliyun, False, "none", "1"),
    "tencent": Shape(tencent, False, "none", "0"),
}


@cache
def rendered(fmt: str):
    """(inputs, {turn id: line}, [(call, turn)] carried) for one shape."""
    shape = SHAPES[fmt]
    if shape.whole:
        inputs, lines = shape.render(calls())
    else:
        inputs, lines = [], {}
        for c in calls():
            name, data, ls = shape.render(c)
            inputs.append((name, data))
            lines.update(ls)
    carried = [(c, t) for c in calls() for t in c.turns if t.id in lines]
    return inputs, lines, carried


def want_speaker(shape: Shape, t: Turn) -> str:
    return t.speaker if shape.labels else ("collector" if t.speaker == "collector" else "debtor")


def want_time(shape: Shape, c: Call, t: Turn) -> datetime | None:
    return table_time(c, t) if shape.time == "always" else None if shape.time == "none" else t.time


def reference(shape: Shape, carried) -> bytes:
    out = []
    for c, t in carried:
        rec = {"id": t.id, "channel": "transcript", "speaker": want_speaker(shape, t), "text": t.text}
        when = want_time(shape, c, t)
        if when:
            rec["time"] = when.isoformat()
        if shape.agent and c.agent:
            rec["agent"] = c.agent
        out.append(json.dumps(rec, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode("utf-8")


def categories(inputs, carried, collector: str | None = None):
    """{turn id: frozenset of finding categories} for the utterances read back, plus the texts of events
    that matched no utterance."""
    scan, _ = run(inputs, cached_pack("cn"), TZ, collector_speakers=(collector,) if collector else ())
    return categories_by_text(scan, {t.text.strip(): t.id for _, t in carried})


XFAIL: dict[str, str] = {}


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=XFAIL[f]))
                                 if f in XFAIL else f for f in SHAPES])
def test_export_keeps_findings(fmt):
    shape = SHAPES[fmt]
    inputs, lines, carried = rendered(fmt)
    turns = [t for c in calls() for t in c.turns]
    assert len(carried) == sum(not (shape.drops_third and t.speaker == "third_party") for t in turns) > 450
    want, stray_ref = categories([(f"reference_{fmt}.jsonl", reference(shape, carried))], carried)
    got, stray = categories(inputs, carried, shape.collector)
    assert not stray_ref and len(want) == len(carried)  # the reference itself keeps every utterance
    assert any(want.values())  # the corpus has findings to lose
    diffs = [f"{t.id} ({t.case}, {t.speaker}): {lines[t.id]!r}: reference {sorted(want[t.id])} read "
             f"{sorted(got[t.id]) if t.id in got else 'LOST'}" for _, t in carried if got.get(t.id) != want[t.id]]
    report = "\n".join(diffs[:15] + [f"events whose text matches no utterance: {stray[:5]!r}"] * bool(stray))
    assert not diffs and not stray, f"{fmt}: {len(diffs)} of {len(carried)} utterances differ\n{report}"


# what a reader loses without (yet) changing a finding: format -> the exact difference
EVENT_XFAIL: dict[str, str] = {}


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=EVENT_XFAIL[f]))
                                 if f in EVENT_XFAIL else f for f in SHAPES])
def test_export_keeps_speaker_time_and_call(fmt):
    from checker.io import read_input

    shape = SHAPES[fmt]
    inputs, lines, carried = rendered(fmt)
    by_text = {t.text: (c, t) for c, t in carried}
    events = []
    for name, data in inputs:
        events += read_input(name, data, TZ, collector_speakers=(shape.collector,) if shape.collector else ()).events
    assert sorted(e.text for e in events) == sorted(by_text)  # every utterance, its text unchanged
    diffs, call_of = [], {}
    for ev in events:
        c, t = by_text[ev.text]
        kept = {"speaker": ev.speaker, "time": ev.time, "channel": ev.channel}
        want = {"speaker": want_speaker(shape, t), "time": want_time(shape, c, t), "channel": "transcript"}
        if shape.agent:
            kept["agent"], want["agent"] = ev.agent, c.agent
        if kept != want:
            diffs.append(f"{t.id} ({t.case}): {lines[t.id]!r}: read {kept} want {want}")
        call_of.setdefault(c.case, set()).add(getattr(ev, "call", None))
    split = {case: sorted(map(str, v)) for case, v in call_of.items() if len(v) != 1 or None in v}
    owners: dict[str, list[str]] = {}
    for case, v in call_of.items():
        for call in v:
            owners.setdefault(str(call), []).append(case)
    merged = {call: cases for call, cases in owners.items() if len(cases) > 1}
    assert not diffs and not split and not merged, (
        f"{fmt}: {len(diffs)} of {len(events)} utterances differ\n" + "\n".join(diffs[:10])
        + f"\nsource calls split or without a call: {dict(list(split.items())[:5])}"
        + f"\ncalls holding several source calls: {dict(list(merged.items())[:5])}")

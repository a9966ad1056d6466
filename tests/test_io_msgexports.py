"""Message, chat and transcript exports an independent tester wrote (copied, some cut
down, into tests/fixtures/; invented names and numbers): who is the debtor in a WeChat
chat with family, direction columns named Kind / Status, a .csv whose header collcheck
does not know, one night call transcribed turn by turn, PyWxDump system notices and an
SRT cue with an invalid time."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from checker.io import InputError, read_input
from checker.ledger import build as ledger
from checker.pipeline import run as run_pipeline

FIX = Path(__file__).resolve().parent / "fixtures"
TZ = ZoneInfo("Asia/Shanghai")
MOM_CHAT = FIX / "wechat_text" / "mom_and_aqiang.txt"
NIGHT_CALL = FIX / "transcript" / "night_call_20250306.txt"
HOURS = "contact.inconvenient_time"


def _scan(*args: str) -> tuple[int, dict, str]:
    p = run_cli("scan", *args, "--format", "json", "-q")
    return p.returncode, json.loads(p.stdout or b"{}"), p.stderr.decode()


def _read(path: Path, **kw):
    return read_input(path.name, path.read_bytes(), TZ, **kw)


# --------------------------------------------------------------------------- 1. --debtor NICKNAME
def test_wechat_chat_without_a_collector_advises_both_options_and_never_family():
    res = _read(MOM_CHAT)
    assert {e.speaker for e in res.events} == {"unknown", "third_party"}  # 阿强 unknown, 妈妈 family
    note = next(n for n in res.notes if "do not say who is the collector" in n)
    assert "--collector-speaker 阿强" in note and "--debtor 阿强" in note
    assert "妈妈" not in note


def test_family_nicknames_are_never_suggested():
    text = MOM_CHAT.read_text("utf-8").replace("妈妈 ", "老妈 ").encode()
    res = read_input("chat.txt", text, TZ)
    note = next(n for n in res.notes if "do not say who is the collector" in n)
    assert "阿强" in note and "老妈" not in note


def test_debtor_nickname_makes_the_debtors_lines_unjudged():
    rc, doc, err = _scan(str(MOM_CHAT))
    assert rc == 1 and doc["findings"]  # read as 'unknown', 阿强's own words are judged: the note explains
    rc, doc, err = _scan(str(MOM_CHAT), "--debtor", "阿强")
    assert rc == 0 and doc["findings"] == [], err
    assert "do not say who is the collector" not in err
    res = _read(MOM_CHAT, debtor="阿强")
    assert {(e.from_ or e.to, e.speaker, e.direction) for e in res.events} == {
        ("阿强", "debtor", "out"), ("妈妈", "third_party", "in")}


def test_debtor_nickname_in_a_pasted_transcript_and_a_name_absent_from_the_file():
    text = "张经理：今晚不还钱就去你家。\n阿强：滚，别再打了。\n".encode()
    res = read_input("chat.txt", text, TZ, debtor="阿强")
    assert [e.speaker for e in res.events] == ["unknown", "debtor"]
    # 张经理 is no label a transcript knows: the whole line is read as unlabelled, judged text
    res = read_input("chat.txt", "催收员：今晚不还钱就去你家。\n阿强：滚。\n".encode(), TZ, debtor="小明")
    assert any("--debtor 小明 does not occur as a label" in n for n in res.notes)


def test_each_speaker_note_is_a_note_of_its_own(tmp_path):
    """An ambiguous-nickname note and a --debtor name absent from the chat are two notes, each
    on its own stderr line — not one run-on line."""
    chat = tmp_path / "chat.txt"
    chat.write_text("速借花 王经理 2025-03-05 21:12\n今天必须还款\n\nJoe 阿强 2025-03-05 21:13\n知道了\n", "utf-8")
    res = read_input("chat.txt", chat.read_bytes(), TZ, debtor="阿强")
    ambiguous = [n for n in res.notes if "do not say who is the collector" in n]
    absent = [n for n in res.notes if "--debtor 阿强 does not occur as a label" in n]
    assert len(ambiguous) == 1 and len(absent) == 1 and ambiguous != absent
    err = run_cli("scan", str(chat), "--debtor", "阿强", "--format", "json").stderr.decode()
    lines = [ln for ln in err.splitlines() if "阿强" in ln and "does not occur" in ln]
    assert lines == [f"collcheck: note: {chat}: --debtor 阿强 does not occur as a label"], err


def test_debtor_number_still_works_and_a_name_alone_cannot_tell_a_caller_callee_bill():
    bill = FIX / "caller_callee" / "two_numbers_every_row.csv"
    assert _read(bill, debtor="13912345678").summary.events == 3
    assert _read(bill, debtor="13912345678,阿强").summary.events == 3  # the number, beside a nickname
    with pytest.raises(InputError, match="Give your number with --debtor NUMBER"):
        _read(bill, debtor="阿强")


def test_web_page_passes_a_debtor_nickname():
    from starlette.testclient import TestClient

    from checker.web import app as web

    client = TestClient(web.create_app(8765, 1), base_url="http://127.0.0.1:8765")
    files = {"files": (MOM_CHAT.name, MOM_CHAT.read_bytes(), "text/plain")}
    judged = client.post("/check?lang=zh&fragment=1", data={"text": ""}, files=files)
    named = client.post("/check?lang=zh&fragment=1", data={"text": "", "debtor": "阿强"}, files=files)
    assert judged.status_code == named.status_code == 200
    assert "data-rule=" in judged.text and "data-rule=" not in named.text


# --------------------------------------------------------------------------- 2. direction columns
def test_kind_column_with_received_and_sent_is_the_direction():
    res = _read(FIX / "messages_csv" / "kind_received_sent.csv")
    assert [(e.source.line, e.direction, e.speaker) for e in res.events] == [
        (2, "in", "unknown"), (3, "out", "debtor"), (4, "in", "unknown")]
    assert not any("no direction column" in n for n in res.notes)


def test_status_column_with_received_and_sent_is_the_direction_and_other_statuses_are_noted():
    res = _read(FIX / "messages_csv" / "status_received_sent.csv")
    assert [(e.source.line, e.direction, e.speaker) for e in res.events] == [
        (2, "in", "unknown"), (3, "out", "debtor"), (4, None, "unknown")]
    assert any("1 message(s) whose 'Status' column says no direction ('Read')" in n for n in res.notes)


def test_a_messages_table_without_a_direction_column_says_every_message_is_taken_as_received():
    res = _read(FIX / "messages_csv" / "no_direction.csv")
    assert res.summary.events == 2 and {e.speaker for e in res.events} == {"unknown"}
    note = next(n for n in res.notes if "no direction column" in n)
    assert "every message is taken as received" in note and "--columns direction=" in note


# --------------------------------------------------------------------------- 3. unknown .csv header
def test_a_csv_with_an_unknown_header_is_an_error_naming_line_1_and_the_columns():
    p = run_cli("scan", str(FIX / "unknown_table" / "foo_bar_baz.csv"), "-q")
    err = p.stderr.decode()
    assert p.returncode == 2 and "Traceback" not in err
    assert "foo_bar_baz.csv" in err and "line 1: 'foo', 'bar', 'baz'" in err
    assert "--columns" in err and "--input-format" in err


def test_the_same_lines_as_txt_and_a_two_column_csv_still_read_as_text():
    data = (FIX / "unknown_table" / "foo_bar_baz.csv").read_bytes()
    assert read_input("notes.txt", data, TZ).summary.format == "transcript"
    assert read_input("foo.csv", data, TZ, input_format="transcript").summary.events == 3
    two = read_input("list.csv", "name,msg\n张经理,你好\n阿强,好的\n".encode(), TZ)
    assert two.summary.format == "transcript" and two.summary.events == 3


# --------------------------------------------------------------------------- 4. one finding per call
def test_a_transcribed_night_call_gives_a_finding_per_turn_and_is_one_night_contact():
    """The finding contract: one contact-hours finding per offending event — each collector
    turn of the night call, with its own line; the report counts the call once (below)."""
    rc, doc, err = _scan(str(NIGHT_CALL))
    hours = [f for f in doc["findings"] if f["category"] == HOURS]
    assert rc == 1 and [f["source"]["line"] for f in hours] == [1, 3, 5, 7, 9, 11, 13, 15], hours
    assert all(f["rule"] == "cn.contact.inconvenient_time.night_22_08" for f in hours)
    # the text findings of each turn stay
    assert {x["category"] for x in doc["findings"]} >= {"threat.visit", "abuse.insult", "pressure.new_borrowing"}


def test_the_report_counts_a_transcribed_call_once(tmp_path):
    from checker.pack import load_pack

    pack = load_pack("cn")
    run, _parties = run_pipeline([(NIGHT_CALL.name, NIGHT_CALL.read_bytes())], pack, TZ)
    from checker.pipeline import report_for

    totals = report_for(run).summary["totals"]
    assert totals["contacts"] == totals["calls"] == totals["night"] == 1
    assert sum(f.category == HOURS for f in run.findings) == 8  # one per turn, one contact
    assert [r.night for r in ledger(run.events, TZ)] == [1]


def test_a_call_log_entry_for_the_same_call_is_not_counted_twice():
    from checker.pack import load_pack
    from checker.pipeline import report_for

    log = "通话起始时间,对方号码,呼叫类型,通话时长\n2025-03-06 22:31:00,17012345678,被叫,160\n".encode()
    run, _ = run_pipeline([("calls.csv", log), (NIGHT_CALL.name, NIGHT_CALL.read_bytes())], load_pack("cn"), TZ)
    assert report_for(run).summary["totals"]["calls"] == 1


def test_turns_far_apart_in_one_file_are_separate_calls():
    res = _read(FIX / "transcript" / "two_calls_20250306.txt")
    assert [e.call for e in res.events] == ["two_calls_20250306.txt#1"] * 2 + ["two_calls_20250306.txt#2"] * 3
    rc, doc, _ = _scan(str(FIX / "transcript" / "two_calls_20250306.txt"))
    assert [f["source"]["line"] for f in doc["findings"] if f["category"] == HOURS] == [3, 5]


def test_batch_jsonl_utterances_keep_one_finding_per_record(tmp_path):
    rows = [{"id": f"u{i}", "time": f"2025-03-06T22:3{i}:00+08:00", "channel": "transcript",
             "speaker": "collector", "text": "请尽快还款"} for i in range(3)]
    p = tmp_path / "batch.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    rc, doc, _ = _scan(str(p))
    assert sorted(f["record"] for f in doc["findings"] if f["category"] == HOURS) == ["u0", "u1", "u2"]


# --------------------------------------------------------------------------- 5. PyWxDump system notices
def test_pywxdump_system_notices_are_filtered_and_counted():
    res = _read(FIX / "wechat_csv" / "pywxdump_system_notice.csv")
    s = res.summary
    assert (s.rows, s.events, s.filtered) == (7, 6, 1)
    assert 8 not in [e.source.line for e in res.events]
    assert any("1 row(s) filtered: a WeChat system notice" in n for n in res.notes)


# --------------------------------------------------------------------------- 6. SRT with an invalid time
def test_srt_timing_line_with_an_invalid_time_is_quoted_in_the_reason():
    res = _read(FIX / "srt" / "bad_time_ms1000.srt")
    assert res.summary.events == 3 and len(res.rejected) == 1
    r = res.rejected[0]
    assert r.line == 14
    assert "'00:00:38,1000 --> 00:00:42,500' has an invalid time" in r.reason
    assert "no '00:00:01,000" not in r.reason

"""The same call in two inputs (the phone's log and the carrier's bill) is counted once."""

from __future__ import annotations

import json
from datetime import timedelta, timezone
from pathlib import Path

from checker.pipeline import read_inputs

TZ = timezone(timedelta(hours=8))

PHONE = """号码,类型,日期,时长
17052318846,呼入,2026-10-20 08:35:27,00:02:09
17052318846,呼入,2026-10-20 08:36:10,00:00:30
13800138000,呼出,2026-10-20 12:31:00,00:13:45
""".encode()

BILL = """起始时间,通信方式,对方号码,通信时长
2026-10-20 08:35:40,被叫,17052318846,2分10秒
2026-10-20 08:36:20,被叫,17052318846,31秒
2026-10-20 12:31:20,被叫,13800138000,13分45秒
2026-10-20 12:40:00,主叫,13800138000,1分
2026-10-20 08:35:30,被叫,17052318846,5分0秒
""".encode()


def test_same_calls_in_two_files_are_counted_once():
    notes: list[str] = []
    events, sums = read_inputs([("phone.csv", PHONE), ("bill.csv", BILL)], TZ,
                               on_read=lambda r: notes.extend(r.notes))
    # phone's two calls a minute apart from one number both stay (one file); the bill's copies
    # of them are filtered; 12:31 主叫 vs 被叫 differ in direction; 5分0秒 differs in duration
    assert sums[0].events == 3 and sums[0].filtered == 0
    assert sums[1].events == 3 and sums[1].filtered == 2 and sums[1].rows == 5
    assert [e.source.file for e in events].count("bill.csv") == 3
    note = next(n for n in notes if "are also in" in n)
    assert note.startswith("2 call(s) in bill.csv are also in phone.csv: counted once")
    assert note in sums[1].notes


def test_one_file_twice_within_itself_is_not_merged():
    events, sums = read_inputs([("phone.csv", PHONE)], TZ)
    assert len(events) == 3 and sums[0].filtered == 0


def test_unknown_duration_matches_and_jsonl_is_not_deduplicated():
    log = "号码,类型,日期\n17052318846,呼入,2026-10-20 08:35:27\n".encode()
    events, sums = read_inputs([("phone.csv", PHONE), ("log.csv", log)], TZ)
    assert sums[1].events == 0 and sums[1].filtered == 1 and len(events) == 3
    batch = (b'{"id":"a","channel":"call","direction":"in","from":"17052318846",'
             b'"time":"2026-10-20T08:35:27+08:00","duration_s":129}\n')
    events, sums = read_inputs([("phone.csv", PHONE), ("b.jsonl", batch)], TZ)
    assert sums[1].events == 1 and len(events) == 4


def test_a_later_file_whose_calls_were_all_in_an_earlier_one_is_not_called_unreadable():
    """A bill whose every call is also in the phone's log, plus one malformed row, was read:
    its calls were counted once, not misread — no 'no row could be read' error (which would
    stop a report); the malformed row is still reported as rejected."""
    from checker.pipeline import unreadable_inputs

    bill = BILL.decode().splitlines()
    copy = "\n".join([bill[0], bill[1], "2026-13-20 08:36:20,被叫,17052318846,31秒"]) + "\n"
    _events, sums = read_inputs([("phone.csv", PHONE), ("bill.csv", copy.encode())], TZ)
    assert (sums[1].events, sums[1].filtered, len(sums[1].rejected)) == (0, 1, 1)
    assert unreadable_inputs(sums) == ()
    # a file that only held a bad row is still an input error
    _events, sums = read_inputs([("bad.csv", "\n".join([bill[0], "2026-13-20 08:36:20,被叫,1705,31秒"]).encode())], TZ)
    assert len(unreadable_inputs(sums)) == 1


SMS_XML = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="3">
  <sms address="17012345601" date="1772419203000" type="1" body="再不还钱，我们明天就派人上门找你。" readable_date="" />
  <sms address="17012345601" date="1772420121000" type="2" body="我15号一定还，别再打了。" readable_date="" />
  <sms address="17012345601" date="1772420400000" type="1" body="可以申请分期还款。" readable_date="" />
</smses>
""".encode()

# iMazing's message CSV: a sent message has no Sender ID; its Chat Session names the other party
IMAZING = ('"Chat Session","Message Date","Service","Type","Sender ID","Text"\n'
           '"17012345601","2026-03-02 10:40:03","SMS","Incoming","17012345601","再不还钱，我们明天就派人上门找你。"\n'
           '"17012345601","2026-03-02 10:55:21","SMS","Outgoing","","我15号一定还， 别再打了。"\n'
           '"17012345601","2026-03-02 21:30:00","SMS","Incoming","17012345601","今晚必须还。"\n').encode()


def test_the_same_messages_in_two_exports_are_counted_once():
    notes: list[str] = []
    events, sums = read_inputs([("sms.xml", SMS_XML), ("imazing.csv", IMAZING)], TZ,
                               on_read=lambda r: notes.extend(r.notes))
    assert (sums[0].events, sums[0].filtered) == (3, 0)
    # the received and the sent message (spaces aside) are in the XML too; 今晚必须还 is not
    assert (sums[1].rows, sums[1].events, sums[1].filtered) == (3, 1, 2)
    assert [e.text for e in events if e.source.file == "imazing.csv"] == ["今晚必须还。"]
    note = next(n for n in notes if "message(s) in" in n)
    assert note.startswith("2 message(s) in imazing.csv are also in sms.xml: counted once")


def test_a_sent_imazing_message_has_the_chat_session_as_its_other_party():
    from checker.io import read_input

    res = read_input("imazing.csv", IMAZING, TZ)
    sent = [e for e in res.events if e.direction == "out"]
    assert len(sent) == 1 and sent[0].to == "17012345601" and sent[0].speaker == "debtor"


def test_one_unreadable_input_among_several_does_not_stop_the_scan(tmp_path):
    from conftest import run_cli

    good = tmp_path / "calls.csv"
    good.write_text("号码,类型,日期,通话时长\n17012345601,来电,2025-03-05 22:30:00,35\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,备注一,备注二\n1,2,3\n", encoding="utf-8")
    out = tmp_path / "both.json"
    r = run_cli("scan", str(good), str(bad), "--format", "json", "-o", str(out))
    assert r.returncode == 2
    doc = json.loads(out.read_text(encoding="utf-8"))  # the readable file's output is written
    assert [Path(i["file"]).name for i in doc["inputs"]] == ["calls.csv"] and doc["findings"]
    err = r.stderr.decode()
    assert "bad.csv: the header is not one collcheck knows" in err and "Traceback" not in err
    # every input unreadable: still an error with no output
    r = run_cli("scan", str(bad), str(bad), "--format", "json")
    assert r.returncode == 2 and not r.stdout.strip()
    # an evidence report never passes over an input it could not read
    r = run_cli("report", str(good), str(bad), "-o", str(tmp_path / "r.html"))
    assert r.returncode == 2 and not (tmp_path / "r.html").exists() and "no report written" in r.stderr.decode()

"""Gaps a second independent tester found in call-log and batch inputs: a call status written
in the duration column (未接通), 已屏蔽 as a call type, a month's title line inside a bill,
calls with no number when --numbers is given, landlines whose leading 0 a numeric cell lost,
--quiet, a numbers file mixing mobiles and a 106 sender on one line, the text of JSONL call
records, outbound calls a QA batch marks as the collector's, FunASR speaker ids given to
--debtor and the --columns example of the unknown-header error. The inputs are written here,
with invented numbers."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import read_both, run_cli

from checker.io.common import debtor_names, debtor_number
from checker.parties import _split_numbers, shown_number

FIX = Path(__file__).resolve().parent / "fixtures"
TZ = ZoneInfo("Asia/Shanghai")
HEADER = "对方号码,呼叫类型,通话时间,通话时长\n"


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _scan(*args: str) -> tuple[int, dict, str]:
    p = run_cli("scan", *args, "--format", "json")
    return p.returncode, json.loads(p.stdout), p.stderr.decode()


def _night(doc: dict) -> list[str]:
    return sorted(f["time"][5:16].replace("T", " ") for f in doc["findings"]
                  if f["category"] == "contact.inconvenient_time")


def test_a_status_in_the_duration_column_is_a_missed_call(tmp_path):
    p = _write(tmp_path, "app.csv", HEADER + "13800138000,呼入,2024-03-12 10:00:00,1分05秒\n"
               "13800138000,呼入,2024-03-12 22:20:00,未接通\n"
               "13800138000,未接来电,2024-03-12 22:30:00,未接通\n"
               "13800138000,呼入,2024-03-12 23:00:00,拒接\n")
    res = read_both(p, TZ)
    assert res.rejected == []
    assert [(e.status, e.duration_s) for e in res.events] == [("answered", 65), ("missed", 0), ("missed", 0),
                                                              ("rejected", 0)]
    rc, doc, _ = _scan(str(p))
    assert _night(doc) == ["03-12 22:20", "03-12 22:30", "03-12 23:00"]


def test_a_word_in_the_duration_column_that_is_no_status_is_still_rejected(tmp_path):
    p = _write(tmp_path, "app.csv", HEADER + "13800138000,呼入,2024-03-12 10:00:00,很久\n")
    res = read_both(p, TZ)
    assert len(res.rejected) == 1 and "duration '很久'" in res.rejected[0].reason


def test_blocked_in_chinese_is_a_rejected_call(tmp_path):
    p = _write(tmp_path, "calls.csv", HEADER + "13800138000,已屏蔽,2024-03-12 10:00:00,0\n"
               "13800138000,骚扰拦截,2024-03-12 11:00:00,0\n")
    res = read_both(p, TZ)
    assert [(e.direction, e.status) for e in res.events] == [("in", "rejected"), ("in", "rejected")]


def test_a_month_title_inside_a_bill_is_filtered_not_rejected(tmp_path):
    p = _write(tmp_path, "bill.csv", HEADER + "13800138000,被叫,2024-03-30 10:00:00,60\n"
               "2024年04月通话详单\n" + HEADER + "13800138000,被叫,2024-04-01 10:00:00,60\n")
    res = read_both(p, TZ)
    assert res.rejected == [] and len(res.events) == 2 and res.summary.filtered == 2  # the title, the header
    rc, _doc, err = _scan(str(p), "--strict")
    assert rc == 0 and "a title line" in err


def test_with_numbers_a_call_without_a_number_is_not_judged(tmp_path):
    numbers = _write(tmp_path, "collectors.txt", "13800138000\n")
    p = _write(tmp_path, "calls.csv", HEADER + "13800138000,被叫,2024-03-26 10:00:00,60\n"
               "13800138000,被叫,2024-03-26 11:00:00,60\n13800138000,被叫,2024-03-26 12:00:00,60\n"
               ",被叫,2024-03-26 13:00:00,60\n私人号码,被叫,2024-03-26 23:10:00,60\n"
               "13900139000,被叫,2024-03-26 23:20:00,60\n")
    rc, doc, err = _scan(str(p), "--numbers", str(numbers))
    assert doc["findings"] == []  # three connected calls from the listed number: within the limit
    assert doc["inputs"][0]["filtered"] == 3 and doc["inputs"][0]["events"] == 3
    assert "2 incoming call(s) with no caller number" in err
    assert "1 incoming call(s) / message(s) from numbers not in the --numbers list" in err
    # without --numbers every incoming call is judged, the hidden ones too
    rc, doc, _ = _scan(str(p))
    assert _night(doc) == ["03-26 23:10", "03-26 23:20"]


def test_a_landline_that_lost_its_leading_zero_is_shown_with_it(tmp_path):
    assert shown_number("2188886666") == "02188886666"
    assert shown_number("+86 138 0013 8000") == "13800138000"
    assert shown_number("1069012345678") == "1069012345678"  # a 106 sender stays as written
    p = _write(tmp_path, "calls.csv", HEADER + "2188886666,被叫,2024-03-22 22:00:00,60\n")
    rc, doc, _ = _scan(str(p))
    assert doc["findings"][0]["evidence"].endswith("号码 02188886666")


def test_quiet_keeps_rejected_rows_but_no_notes(tmp_path):
    p = _write(tmp_path, "calls.csv", HEADER + "13800138000,被叫,2024-03-22 10:00:00,60\n"
               "13800138000,被叫,2024-03-22 25:00:00,60\n")
    loud = run_cli("scan", str(p), "--format", "json").stderr.decode()
    quiet = run_cli("scan", str(p), "--format", "json", "-q").stderr.decode()
    assert "collcheck: note:" in loud
    assert "collcheck: note:" not in quiet and "calls.csv:3:" in quiet


def test_a_numbers_line_may_mix_mobiles_and_a_106_sender():
    assert _split_numbers("17156781234 17156781235 1069012345678") == ["17156781234", "17156781235",
                                                                        "1069012345678"]
    assert _split_numbers("1069012345678 17156781234") == ["1069012345678", "17156781234"]
    assert _split_numbers("170 1234 5601") == ["170 1234 5601"]
    assert _split_numbers("0755 88881234") == ["0755 88881234"]


def _batch(tmp_path: Path, *records: dict) -> Path:
    return _write(tmp_path, "qa.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def test_the_text_of_a_call_record_is_judged_like_a_transcript(tmp_path):
    base = {"channel": "call", "time": "2024-04-01T10:00:00+08:00", "status": "answered", "duration_s": 45,
            "agent": "A007", "case": "C100"}
    p = _batch(tmp_path, {**base, "id": "r1", "speaker": "collector",
                          "text": "您好，提醒您账单已逾期5天，请今天内还款。"},
               {**base, "id": "r2", "speaker": "collector", "text": "你再不还，我们就去你单位找你领导谈谈。"},
               {**base, "id": "r3", "speaker": "debtor", "text": "再打电话我就去你们公司砸了！"})
    rc, doc, _ = _scan(str(p))
    assert {f["record"] for f in doc["findings"]} == {"r2"}  # not the lawful reminder, not the debtor
    assert "threat.visit" in {f["category"] for f in doc["findings"]}


def test_an_outbound_call_a_record_gives_to_the_collector_is_judged(tmp_path):
    base = {"channel": "call", "direction": "out", "status": "answered", "duration_s": 45}
    p = _batch(tmp_path, {**base, "id": "agent", "time": "2024-04-01T22:40:00+08:00", "speaker": "collector",
                          "agent": "A007"},
               {**base, "id": "debtor-dialled", "time": "2024-04-01T22:45:00+08:00"},
               *({**base, "id": f"c{i}", "time": f"2024-04-02T1{i}:00:00+08:00", "speaker": "collector"}
                 for i in range(4)))
    rc, doc, _ = _scan(str(p))
    assert [f["record"] for f in doc["findings"] if f["category"] == "contact.inconvenient_time"] == ["agent"]
    freq = [f for f in doc["findings"] if f["category"] == "contact.excessive_frequency"]
    assert freq and all(f["date"] == "2024-04-02" for f in freq)


def test_a_funasr_speaker_id_given_to_debtor_is_a_speaker_not_a_number():
    assert debtor_number("1") is None and debtor_names("1") == ("1",)
    assert debtor_number("13912345678") == "13912345678" and debtor_names("13912345678") == ()
    f = FIX / "funasr_json/call_20240413_1530.json"
    rc, doc, _ = _scan(str(f), "--debtor", "0")  # spk 0 is the collector here: --debtor 0 silences it
    assert doc["findings"] == []
    rc, doc, _ = _scan(str(f), "--debtor", "1")
    assert [f_["category"] for f_ in doc["findings"]] == ["contact.third_party"]


def test_the_columns_example_follows_the_header_words(tmp_path):
    p = _write(tmp_path, "unknown.csv", "发件号码,消息正文,接收日期,备注\n"
               "17156781234,明天去你单位找你,2024-03-12 22:15,无\n")
    r = run_cli("scan", str(p))
    err = r.stderr.decode()
    assert r.returncode == 2 and "--columns time=接收日期,number=发件号码,text=消息正文 " in err


# --------------------------------------------------------------------------- JSON arrays

CALLS_JSON = """[
  {"number": "+8613800138000", "date": "1709909100000", "duration": "95", "type": "1", "name": null},
  {"number": "+8617012345678", "date": "1709861400000", "duration": "0", "type": "3", "name": null},
  {"number": "+8613700001111", "date": "1709870400000", "duration": "300", "type": "2", "name": "妈妈"},
  "not a record",
  {"number": "075588881234", "date": "1709903700000", "duration": "0", "type": "5", "name": null}
]
"""


def test_a_json_array_export_is_read_as_the_table_its_keys_make(tmp_path):
    p = _write(tmp_path, "calls.json", CALLS_JSON)
    res = read_both(p, TZ)
    assert res.summary.format == "calllog"
    assert [(e.source.line, e.direction, e.status) for e in res.events] == [
        (2, "in", "answered"), (3, "in", "missed"), (4, "out", "answered"), (6, "in", "rejected")]
    assert [(r.line, r.reason) for r in res.rejected] == [(5, "element 4 is str, not a record object")]
    rc, doc, _ = _scan(str(p))
    assert _night(doc) == ["03-08 21:15", "03-08 22:45"]


def test_a_json_array_of_contract_records_reads_like_jsonl(tmp_path):
    recs = [{"id": "a1", "channel": "sms", "time": "2024-03-08T22:10:00+08:00", "text": "明天去你单位找你领导"},
            {"id": "a2", "channel": "fax", "text": "x"}]
    p = _write(tmp_path, "batch.json", json.dumps(recs, ensure_ascii=False, indent=1))
    res = read_both(p, TZ)
    assert [e.id for e in res.events] == ["a1"] and res.rejected[0].line == 8 and "channel" in res.rejected[0].reason
    rc, doc, _ = _scan(str(p))
    assert {f["record"] for f in doc["findings"]} == {"a1"}


def test_a_broken_or_unknown_json_array_is_a_clear_error(tmp_path):
    cut = _write(tmp_path, "cut.json", CALLS_JSON[:200])
    r = run_cli("scan", str(cut))
    assert r.returncode == 2 and "cut.json:3: not valid JSON" in r.stderr.decode()
    odd = _write(tmp_path, "odd.json", '[{"foo": 1, "bar": 2}]')
    r = run_cli("scan", str(odd))
    err = r.stderr.decode()
    assert r.returncode == 2 and "'foo', 'bar'" in err and "Traceback" not in err


def test_pasted_sms_blocks_whose_senders_are_numbers_are_sms(tmp_path):
    p = _write(tmp_path, "sms.txt", "1069012345678  2024-03-25 22:31:05\n【快借】您的借款已逾期，请尽快还款。\n\n"
               "王经理 2024-03-25 22:40:00\n在吗\n")
    res = read_both(p, TZ)
    assert [(e.channel, e.from_) for e in res.events] == [("sms", "1069012345678"), ("wechat", "王经理")]


def test_a_text_file_named_like_a_workbook_is_read_with_a_note(tmp_path):
    p = _write(tmp_path, "chat.xlsx", "催收员：明天上门找你\n我：别来\n")
    r = run_cli("scan", str(p), "--format", "json")
    assert "chat.xlsx: named like an Excel workbook but it is a text file; read as transcript" in r.stderr.decode()
    html = FIX / "carrier_bill/cmcc_202403_html.xls"  # a carrier's HTML "Excel": no such note
    assert "named like an Excel workbook" not in run_cli("scan", str(html), "--format", "json").stderr.decode()


def test_a_call_records_labelled_turns_are_judged_by_their_labels(tmp_path):
    text = "催收员：您好，这里是速借花。\n客户：你他妈的再打电话老子弄死你。\n催收员：你再不还我们就去你单位找你领导！"
    p = _batch(tmp_path, {"id": "c1", "channel": "call", "speaker": "collector", "time": "2026-11-27T10:00:00+08:00",
                          "text": text},
               {"id": "c2", "channel": "call", "speaker": "collector", "time": "2026-11-27T10:00:00+08:00",
                "text": "A：您好，您的账单逾期了。\nB：你他妈的再打电话老子弄死你。"})
    rc, doc, _ = _scan(str(p))
    assert doc["findings"] and {f["record"] for f in doc["findings"]} == {"c1"}  # A / B say nobody
    for f in doc["findings"]:  # spans point into the record's whole text, at the collector's turn
        assert text[f["span"][0]:f["span"][1]] == f["evidence"] and f["span"][0] > text.index("客户")


def test_one_debtor_number_however_written_is_one_debtor(tmp_path):
    tos = ["0086 139 0000 7009", "139-0000-7009", "+8613900007009", "13900007009"]
    p = _batch(tmp_path, *({"id": f"g{i}", "channel": "call", "speaker": "collector", "from": "01088660001",
                            "to": to, "time": f"2026-11-27T1{i}:00:00+08:00", "duration_s": 30,
                            "status": "answered"} for i, to in enumerate(tos)))
    rc, doc, _ = _scan(str(p))
    assert [f["date"] for f in doc["findings"] if f["rule"].endswith("connected_calls_daily")] == ["2026-11-27"]


def test_a_batch_record_without_an_id_is_named_by_its_line_with_a_note(tmp_path):
    p = _write(tmp_path, "noid.jsonl", '{"channel":"sms","speaker":"collector","text":"明天上门找你"}\n')
    rc, doc, err = _scan(str(p))
    assert {f["record"] for f in doc["findings"]} == {f"{p}:1"}
    assert 'some records have no "id"' in err


def test_a_numbers_line_without_a_name_is_named_by_its_numbers():
    from checker.parties import parse_numbers

    d = parse_numbers("17156781234 17156781235 17156781236\n速借花: 4001234567\n"
                      "13900000001,13900000002,13900000003,13900000004\n".encode(), "n.txt")
    assert d.groups["+8617156781235"] == "17156781234、17156781235、17156781236"
    assert d.groups["+864001234567"] == "速借花"
    assert d.groups["+8613900000004"] == "13900000001、13900000002 等 4 个号码"


def test_an_image_renamed_as_a_csv_is_named_as_an_image(tmp_path):
    png = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
    p = tmp_path / "photo.csv"
    p.write_bytes(png)
    r = run_cli("scan", str(p))
    assert r.returncode == 2 and "photo.csv: an image (PNG), not a call log" in r.stderr.decode()


def test_a_month_title_inside_a_bill_sets_the_year_of_the_rows_below(tmp_path):
    p = _write(tmp_path, "bill.csv", "2024年12月通话详单,,,\n起始时间,对方号码,呼叫类型,通话时长\n"
               "12-31 22:00:00,17012340001,被叫,60\n2025年01月通话详单,,,\n01-01 22:00:00,17012340001,被叫,60\n")
    res = read_both(p, TZ)
    assert [e.time.astimezone(TZ).strftime("%Y-%m-%d") for e in res.events] == ["2024-12-31", "2025-01-01"]


def test_a_preamble_period_across_new_year_dates_each_month(tmp_path):
    p = _write(tmp_path, "bill.csv", "查询时间段：2024年12月15日至2025年01月14日\n起始时间,对方号码,呼叫类型,通话时长\n"
               "12-30 22:00:00,17012340001,被叫,60\n01-02 22:00:00,17012340001,被叫,60\n")
    res = read_both(p, TZ)
    assert [e.time.astimezone(TZ).strftime("%Y-%m-%d") for e in res.events] == ["2024-12-30", "2025-01-02"]


def test_a_bill_copied_from_an_app_with_space_aligned_columns(tmp_path):
    text = ("中国移动 通话详单\n\n查询月份：2025年03月\n\n"
            "起始时间            通信地点      通信方式      对方号码            通信时长\n"
            "03-03 07:59:59      上海          被叫          17012340001         1分05秒\n"
            "03-03 12:00:00      上海          主叫          13800000000         30秒\n"
            "03-03 23:59:10      上海          被叫          02188886666         未接通\n")
    p = _write(tmp_path, "detail.txt", text)
    res = read_both(p, TZ)
    assert res.summary.format == "calllog" and res.rejected == []
    assert [(e.time.astimezone(TZ).strftime("%m-%d %H:%M"), e.direction, e.status) for e in res.events] == [
        ("03-03 07:59", "in", "answered"), ("03-03 12:00", "out", "answered"), ("03-03 23:59", "in", "missed")]


def test_wanshang_12_in_a_time_column_is_midnight(tmp_path):
    p = _write(tmp_path, "calls.csv", "号码,类型,日期,时间,时长\n17012340001,呼入,2025/3/27,晚上12:00,1分23秒\n"
               "17012340001,呼入,2025/3/27,中午12:00,1分23秒\n")
    res = read_both(p, TZ)
    assert [e.time.astimezone(TZ).strftime("%m-%d %H:%M") for e in res.events] == ["03-28 00:00", "03-27 12:00"]


def test_a_one_cell_sentence_with_a_bill_word_is_rejected_not_filtered_as_a_title(tmp_path):
    p = _write(tmp_path, "bill.csv", HEADER + "13800138000,被叫,2024-03-30 10:00:00,60\n我的账单还没出，明天再还\n")
    res = read_both(p, TZ)
    assert [r.line for r in res.rejected] == [3] and res.summary.filtered == 0

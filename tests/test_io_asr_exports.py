"""Transcripts of recorded calls as real tools export them: QA platforms' sentence tables,
ASR services' JSON results, 讯飞听见 / 飞书妙记 / 腾讯会议 text with a start time above
recording offsets, and a phone's call-recording text (小米 通话录音转文字).

Each case came from an outside tester who saved the same labelled calls in each shape and
compared the findings with the batch contract's; the expectations are what that reference
gives."""

from __future__ import annotations

import json
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from conftest import run_cli

from checker.io import read_input, sniff
from checker.model import Utterance

TZ = ZoneInfo("Asia/Shanghai")

QA_CSV = ("录音ID,坐席工号,被叫号码,角色,开始时间,文本\n"
          "R1,A1023,13912345678,坐席,2026-10-12 22:40:02,您好，这里是速易借客服，提醒您今天还款。\n"
          "R1,A1023,13912345678,客户,2026-10-12 22:40:08,你们上次说要上门，我都录音了。\n"
          "R1,A1023,13912345678,坐席,2026-10-12 22:40:12,今晚不还，明天我们就派人上门去你家找你。\n"
          "R2,B2001,13912345678,坐席,2026-10-13 10:15:02,您好，提醒您按时还款。\n"
          "R2,B2001,13912345678,客户,2026-10-13 10:15:06,\n")


def test_a_qa_sentence_table_is_read_as_a_transcript_with_roles_agents_and_calls():
    """录音ID / 坐席工号 / 被叫号码 / 角色 / 开始时间 / 文本: was read as a call log (the number
    column), its words silently passed over."""
    res = read_input("qa.csv", QA_CSV.encode(), TZ)
    assert res.summary.format == "transcript-table"
    assert all(isinstance(e, Utterance) for e in res.events)
    assert [(e.speaker, e.agent, e.call, e.time.strftime("%H:%M:%S")) for e in res.events] == [
        ("collector", "A1023", "qa.csv#R1", "22:40:02"), ("debtor", "A1023", "qa.csv#R1", "22:40:08"),
        ("collector", "A1023", "qa.csv#R1", "22:40:12"), ("collector", "B2001", "qa.csv#R2", "10:15:02")]
    assert res.summary.filtered == 1  # the empty sentence
    assert not res.rejected


def test_a_qa_table_judges_the_agents_words_and_never_the_customers(tmp_path):
    p = tmp_path / "qa.csv"
    p.write_text(QA_CSV, encoding="utf-8")
    r = run_cli("scan", str(p), "--format", "jsonl")
    found = [json.loads(line) for line in r.stdout.decode().splitlines() if line.startswith("{")]
    assert r.returncode == 1
    assert {f["record"] for f in found if f["category"] == "threat.visit"} == {f"{p}:4"}
    assert {f["record"] for f in found if f["category"] == "contact.inconvenient_time"} == {f"{p}:2", f"{p}:4"}
    assert all(f["speaker"] == "collector" for f in found)


def test_a_qa_workbook_with_a_b_roles_takes_collector_speaker():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["录音ID", "坐席工号", "通话开始时间", "声道", "角色", "开始时间(ms)", "文本"])
    ws.append(["R1", "A1", "2026-10-12 10:15:00", "左", "A", 2000, "再不还钱，我们就去你单位找你领导。"])
    ws.append(["R1", "A1", "2026-10-12 10:15:00", "右", "B", 8000, "你们敢去我单位我就报警。"])
    buf = BytesIO()
    wb.save(buf)
    res = read_input("qa.xlsx", buf.getvalue(), TZ)
    assert res.summary.format == "transcript-table"
    assert [e.speaker for e in res.events] == ["unknown", "unknown"]
    assert any("A, B do not say who is the collector" in n for n in res.notes)
    res = read_input("qa.xlsx", buf.getvalue(), TZ, collector_speakers=("A",))
    assert [e.speaker for e in res.events] == ["collector", "debtor"]
    assert res.events[0].time == datetime(2026, 10, 12, 10, 15, tzinfo=TZ)


def test_a_call_log_with_a_column_that_sounds_like_text_says_it_is_not_read():
    text = ("号码,类型,时间,时长,客户回复\n"
            "13800000001,呼入,2026-10-12 10:15:00,60,我下周还\n")
    res = read_input("log.csv", text.encode(), TZ)
    assert res.summary.format == "calllog"
    assert any("'客户回复' are not read" in n and "--columns" in n for n in res.notes)


XUNFEI = "说话人1 00:00:02\n您好，提醒您今天是还款日，请记得还款。\n\n说话人2 00:00:08\n好的。\n"


def test_an_offset_under_a_start_time_is_that_time_plus_the_offset():
    """A date line with a start time above 讯飞听见 blocks: 00:00:02 was read as two seconds
    past midnight (a false night contact)."""
    res = read_input("a.txt", ("2026-10-12 14:00\n\n" + XUNFEI).encode(), TZ, collector_speakers=("说话人1",))
    assert res.summary.format == "transcript"
    assert [(e.speaker, e.time) for e in res.events] == [
        ("collector", datetime(2026, 10, 12, 14, 0, 2, tzinfo=TZ)),
        ("debtor", datetime(2026, 10, 12, 14, 0, 8, tzinfo=TZ))]


def test_an_offset_under_a_date_alone_has_no_time_and_a_note():
    res = read_input("b.txt", ("2026-10-12\n\n" + XUNFEI).encode(), TZ, collector_speakers=("说话人1",))
    assert res.summary.format == "transcript"  # not a WeChat chat: 说话人1 is no nickname
    assert [e.time for e in res.events] == [None, None]
    assert any("offset into the recording" in n and "start time" in n for n in res.notes)


def test_feishu_header_gives_the_start_time_and_its_keywords_are_not_turns():
    text = ("2026年10月12日 下午 10:40|1分钟\n\n关键词:\n还款、逾期\n\n文字记录:\n"
            "说话人 1 00:02\n今晚不还，明天我们就派人上门去你家找你。\n\n说话人 2 00:08\n你们这是违法的。\n")
    res = read_input("f.txt", text.encode(), TZ, collector_speakers=("说话人 1",))
    assert [(e.speaker, e.time) for e in res.events] == [
        ("collector", datetime(2026, 10, 12, 22, 40, 2, tzinfo=TZ)),
        ("debtor", datetime(2026, 10, 12, 22, 40, 8, tzinfo=TZ))]
    assert res.summary.filtered == 3  # 关键词: / its value / 文字记录:


def test_tencent_meeting_labels_with_offsets_and_the_meeting_time():
    text = ("会议主题：催收回访录音\n会议时间：2026/10/12 22:40\n\n"
            "王专员(00:00:02): 今晚不还，明天我们就派人上门去你家找你。\n"
            "客户(00:00:08): 你们这是违法的。\n"
            "王专员（00:00:12）：那你今天就还。\n")
    res = read_input("t.txt", text.encode(), TZ)
    assert [(e.speaker, e.text[:4]) for e in res.events] == [("unknown", "今晚不还"), ("debtor", "你们这是"),
                                                              ("unknown", "那你今天")]
    assert any("王专员 do not say who is the collector" in n for n in res.notes)
    res = read_input("t.txt", text.encode(), TZ, collector_speakers=("王专员",))
    assert [(e.speaker, e.time.strftime("%H:%M:%S")) for e in res.events] == [
        ("collector", "22:40:02"), ("debtor", "22:40:08"), ("collector", "22:40:12")]
    assert res.summary.filtered == 1  # 会议主题


def test_a_phones_call_recording_text_is_one_call_with_its_turns():
    """小米 通话录音转文字: the number and start time, then 对方： / 我： turns — was read as one
    WeChat message from the number, the person's own words judged."""
    text = ("通话录音转文字\n171 5678 1234  2026-10-12 22:40\n\n"
            "对方：今晚不还，明天我们就派人上门去你家找你。\n"
            "我：你们上次说要打断我的腿，我都录音了。\n")
    assert sniff("x.txt", text) == "transcript"
    res = read_input("x.txt", text.encode(), TZ)
    assert [(e.speaker, e.time) for e in res.events] == [
        ("collector", datetime(2026, 10, 12, 22, 40, tzinfo=TZ)),
        ("debtor", datetime(2026, 10, 12, 22, 40, tzinfo=TZ))]


ALIYUN = {"TaskId": "t1", "StatusText": "SUCCESS", "Result": {"Sentences": [
    {"BeginTime": 2000, "EndTime": 5000, "Text": "今晚不还，明天我们就派人上门去你家找你。", "ChannelId": 0,
     "SpeakerId": "1"},
    {"BeginTime": 8000, "EndTime": 9000, "Text": "你们上次说要上门，我都录音了。", "ChannelId": 1, "SpeakerId": "2"}]}}
GENERIC = {"task_id": "r1", "sentences": [
    {"speaker": "0", "begin_time": 2000, "text": "今晚不还，明天我们就派人上门去你家找你。"},
    {"speaker": "1", "begin_time": 8000, "text": "你们上次说要上门，我都录音了。"}]}


def test_asr_service_results_with_a_sentence_list_are_read():
    """阿里云 Result.Sentences and a generic sentences list (pretty-printed or on one line)
    were read as JSONL and every line rejected."""
    for doc, who in ((ALIYUN, "1"), (GENERIC, "0")):
        for data in (json.dumps(doc, ensure_ascii=False, indent=2), json.dumps(doc, ensure_ascii=False)):
            assert sniff("r.json", data) == "asr-json"
            res = read_input("r.json", data.encode(), TZ)
            assert [e.speaker for e in res.events] == ["unknown", "unknown"] and not res.rejected
            assert any("do not say who is the collector" in n for n in res.notes)
            res = read_input("r.json", data.encode(), TZ, collector_speakers=(who,))
            assert [(e.speaker, e.text[:4]) for e in res.events] == [("collector", "今晚不还"), ("debtor", "你们上次")]


def test_a_bare_list_of_sentences_with_roles_and_offsets():
    data = json.dumps([{"speaker": "坐席", "begin_time": 100, "text": "明天我们就上门"},
                       {"speaker": "客户", "begin_time": 900, "text": "你们敢上门我就报警"}], ensure_ascii=False)
    assert sniff("l.json", data) == "asr-json"
    res = read_input("l.json", data.encode(), TZ)
    assert [e.speaker for e in res.events] == ["collector", "debtor"]

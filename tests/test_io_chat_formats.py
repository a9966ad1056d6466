"""QQ's text export and 讯飞听见 / 通义听悟 transcripts, two export formats an independent
tester found read wrongly (tests/fixtures/qq_text/, tests/fixtures/xunfei_text/: smaller,
rewritten versions of their exports, invented names and numbers).

* QQ: ``消息记录（此消息记录为文本格式，不支持重新导入）``, ``====`` lines around 消息分组 /
  消息对象, then ``2024-03-05 9:12:33 NAME`` blocks. Read as a chat export (one message a
  block, channel wechat), never as a pasted call transcript.
* 讯飞听见: ``说话人1 00:00:01`` on a line of its own, the turn's text below, a blank line.
  One turn a block; the labels are ambiguous (never guessed) until --collector-speaker /
  --debtor says who spoke."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import read_both, run_cli

from checker.io import read_input, sniff
from checker.model import MessageEvent, Utterance

FIX = Path(__file__).resolve().parent / "fixtures"
TZ = ZoneInfo("Asia/Shanghai")
QQ = FIX / "qq_text" / "kuaiyidai_li.txt"
XUNFEI = FIX / "xunfei_text" / "tingjian_liuwei.txt"
LI = "快易贷-李专员"  # the QQ chat's 消息对象 (the collector)
HOURS = "contact.inconvenient_time"

# QQ fixture: the header line of each message block, and who sent it
QQ_LINES = [9, 13, 16, 19, 22, 25]
QQ_SENDERS = [LI, "小峰", LI, "小峰", LI, LI]
# 讯飞听见 fixture: the first text line of each block
XUNFEI_LINES = [2, 5, 8, 12, 15]
XUNFEI_DEBTOR_LINE = 5  # 说话人2: 你们再逼我我就去你们公司闹 (the debtor's own words)


def _scan(*args: str) -> tuple[int, dict, str]:
    p = run_cli("scan", *args, "--format", "json", "-q")
    return p.returncode, json.loads(p.stdout or b"{}"), p.stderr.decode()


def _lines(doc: dict) -> dict[int, set[str]]:
    """finding categories by source line"""
    out: dict[int, set[str]] = {}
    for f in doc["findings"]:
        out.setdefault(f["source"]["line"], set()).add(f["category"])
    return out


def _line_of(event) -> int:
    return int(event.id.rsplit(":", 1)[1])


# =========================================================================== QQ text export
def test_qq_export_is_sniffed_as_a_chat_export():
    text = QQ.read_text("utf-8")
    assert sniff(QQ.name, text) == "wechat-text"
    # the preamble and a single message are enough
    one = "\n".join(text.splitlines()[:11]) + "\n"
    assert sniff("one.txt", one) == "wechat-text"
    assert read_input("one.txt", one.encode(), TZ).summary.events == 1


def test_qq_export_reads_one_message_per_block_with_the_header_time_and_sender():
    res = read_both(QQ, TZ)
    s = res.summary
    assert (s.format, s.rows, s.events, s.rejected) == ("wechat-text", 6, 6, ())
    assert all(isinstance(e, MessageEvent) and e.channel == "wechat" for e in res.events)
    assert [_line_of(e) for e in res.events] == QQ_LINES
    assert [e.from_ for e in res.events] == QQ_SENDERS  # no --debtor: every message is incoming
    assert [e.time for e in res.events] == [
        datetime(2024, 4, 8, 9, 5, 12, tzinfo=TZ), datetime(2024, 4, 8, 9, 20, 40, tzinfo=TZ),
        datetime(2024, 4, 8, 23, 5, 18, tzinfo=TZ), datetime(2024, 4, 8, 23, 9, 2, tzinfo=TZ),
        datetime(2024, 4, 9, 9, 10, 45, tzinfo=TZ), datetime(2024, 4, 9, 10, 30, tzinfo=TZ)]
    # a message over two lines stays one message; the preamble is no message's text
    assert res.events[0].text == "小峰您好，您在快易贷的借款已逾期5天。\n请今天内处理，也可以申请分期。"
    assert not any(w in e.text for e in res.events for w in ("消息对象", "消息分组", "====", "消息记录"))
    assert {e.speaker for e in res.events} == {"unknown"}  # nicknames are never guessed


def test_qq_debtor_option_marks_the_persons_own_messages_and_the_other_party_is_the_chat_partner():
    res = read_both(QQ, TZ, debtor="小峰")
    assert [(e.speaker, e.direction, e.from_, e.to) for e in res.events] == [
        ("unknown", "in", LI, None), ("debtor", "out", None, LI), ("unknown", "in", LI, None),
        ("debtor", "out", None, LI), ("unknown", "in", LI, None), ("unknown", "in", LI, None)]
    assert not any("QQ chat export" in n for n in res.notes)


def test_qq_without_debtor_note_names_the_exporting_account_and_both_options():
    res = read_input(QQ.name, QQ.read_bytes(), TZ)
    note = next(n for n in res.notes if "QQ chat export" in n)
    assert f"with {LI} (消息对象)" in note and "--debtor 小峰" in note
    assert any("do not say who is the collector" in n and f"--collector-speaker {LI}" in n for n in res.notes)


def test_qq_scan_with_debtor_judges_only_the_collectors_messages():
    rc, doc, err = _scan(str(QQ), "--debtor", "小峰")
    assert rc == 1, err
    inp = doc["inputs"][0]
    assert (inp["format"], inp["rows"], inp["events"], inp["rejected"]) == ("wechat-text", 6, 6, [])
    found = _lines(doc)
    assert set(found) == {16, 22}, found  # only 李专员's lines; never 小峰's (13, 19)
    assert HOURS in found[16] and "threat.visit" in found[16]  # 23:05 and 去你单位找你领导
    assert "abuse.insult" in found[22]  # 老赖，你就是个废物
    assert 25 not in found  # 依法向…人民法院提起诉讼 is lawful
    # without --debtor the person's own angry reply (19) is judged as well: the option is what stops it
    rc, doc, _ = _scan(str(QQ))
    assert 19 in _lines(doc)


def test_qq_report_counts_messages_not_calls():
    from checker.pack import load_pack
    from checker.pipeline import report_for
    from checker.pipeline import run as run_pipeline

    run, _ = run_pipeline([(QQ.name, QQ.read_bytes())], load_pack("cn"), TZ, debtor="小峰")
    totals = report_for(run).summary["totals"]
    assert totals["calls"] == totals["connected"] == 0
    assert totals["messages"] == 4 and totals["night"] == 1  # 李专员's four; 23:05 is the night one


QQ_TWO_CHATS = """消息记录（此消息记录为文本格式，不支持重新导入）

================================================================
消息分组:我的好友
================================================================
消息对象:快易贷-李专员
================================================================

2024-04-08 9:05:12 快易贷-李专员
请今天内处理。

2024-04-08 9:20:40 小峰
下周一定还。

================================================================
消息分组:我的群聊
================================================================
消息对象:同学群
================================================================

2024-04-09 20:01:02 老王(12345678)
周末聚会吗？

2024-04-09 20:03:10 小峰<xiaofeng@example.com>
好的。
"""


def test_qq_export_of_several_chats_and_group_member_numbers():
    res = read_input("qq_all.txt", QQ_TWO_CHATS.encode(), TZ, debtor="小峰")
    s = res.summary
    assert (s.format, s.rows, s.events, s.rejected) == ("wechat-text", 4, 4, ())
    assert [e.text for e in res.events] == ["请今天内处理。", "下周一定还。", "周末聚会吗？", "好的。"]
    # 老王(12345678) is 老王; 小峰<mail> is 小峰, the debtor, writing to each chat's 消息对象
    assert [(e.speaker, e.from_, e.to) for e in res.events] == [
        ("unknown", LI, None), ("debtor", None, LI), ("unknown", "老王", None), ("debtor", None, "同学群")]
    notes = read_input("qq_all.txt", QQ_TWO_CHATS.encode(), TZ).notes
    assert [n for n in notes if "QQ chat export" in n] == [next(n for n in notes if f"with {LI}" in n)]


# =========================================================================== 讯飞听见 / 通义听悟
def test_xunfei_blocks_are_one_turn_each_with_ambiguous_labels():
    res = read_both(XUNFEI, TZ)
    s = res.summary
    assert (s.format, s.rows, s.events, s.rejected) == ("transcript", 5, 5, ())
    assert all(isinstance(e, Utterance) and e.channel == "transcript" for e in res.events)
    assert [_line_of(e) for e in res.events] == XUNFEI_LINES
    assert res.events[2].text == "没钱就去借啊，找你朋友借，\n信用卡套现也得给我还上。"  # two lines, one turn
    assert not any(e.text.startswith("说话人") for e in res.events)
    # offsets are not clock times (as in SRT): no time, and the file is one call
    assert {e.time for e in res.events} == {None} and len({e.call for e in res.events}) == 1
    # never guessed, not even "the first speaker is the collector"
    assert {e.speaker for e in res.events} == {"unknown"}
    note = next(n for n in res.notes if "do not say who is the collector" in n)
    assert "说话人1, 说话人2" in note and "--collector-speaker 说话人1" in note and "--debtor 说话人1" in note


def test_xunfei_collector_speaker_makes_the_other_label_the_debtors_side():
    res = read_both(XUNFEI, TZ, collector_speakers=("说话人1",))
    assert [e.speaker for e in res.events] == ["collector", "debtor", "collector", "debtor", "collector"]
    assert not any("do not say who is the collector" in n for n in res.notes)
    rc, doc, err = _scan(str(XUNFEI), "--collector-speaker", "说话人1")
    found = _lines(doc)
    assert rc == 1 and XUNFEI_DEBTOR_LINE not in found, found  # 你们再逼我我就去你们公司闹: the debtor's
    assert "pressure.new_borrowing" in found[8] and 15 in found
    assert set(found) <= {2, 8, 15}
    # without the option the debtor's line is judged (read as 'unknown'): the option is what stops it
    rc, doc, _ = _scan(str(XUNFEI))
    assert "threat.visit" in _lines(doc)[XUNFEI_DEBTOR_LINE]


def test_xunfei_debtor_option_names_the_debtors_label():
    res = read_both(XUNFEI, TZ, debtor="说话人2")
    assert [e.speaker for e in res.events] == ["unknown", "debtor", "unknown", "debtor", "unknown"]
    rc, doc, _ = _scan(str(XUNFEI), "--debtor", "说话人2")
    found = _lines(doc)
    assert rc == 1 and XUNFEI_DEBTOR_LINE not in found and {8, 15} <= set(found)


def test_tingwu_fayanren_labels_minute_offsets_and_extra_spaces():
    text = ("发言人1 00:01\n您好，这里是快易贷贷后部门。\n\n"
            "发言人2   01:05\n嗯，你说。\n\n"
            "发言人1 [01:09]\n您的借款已逾期。\n")
    res = read_input("tingwu.txt", text.encode(), TZ)
    assert (res.summary.format, res.summary.rows) == ("transcript", 3)
    assert [(e.text, e.speaker) for e in res.events] == [
        ("您好，这里是快易贷贷后部门。", "unknown"), ("嗯，你说。", "unknown"), ("您的借款已逾期。", "unknown")]
    assert any("发言人1, 发言人2" in n for n in res.notes)
    res = read_input("tingwu.txt", text.encode(), TZ, collector_speakers=("发言人1",))
    assert [e.speaker for e in res.events] == ["collector", "debtor", "collector"]


def test_renamed_speakers_in_a_file_of_blocks_are_ambiguous_labels():
    text = "录音转写\n\n张经理 00:00:01\n你好，我是快易贷的张经理。\n\n刘伟 00:00:04\n你们再逼我我就去你们公司闹。\n"
    res = read_input("renamed.txt", text.encode(), TZ)
    # the export's title line is filtered (counted, not judged), not a turn
    assert [(e.text, e.speaker) for e in res.events] == [
        ("你好，我是快易贷的张经理。", "unknown"), ("你们再逼我我就去你们公司闹。", "unknown")]
    assert res.summary.filtered == 1
    assert any("张经理, 刘伟 do not say who is the collector" in n for n in res.notes)
    res = read_input("renamed.txt", text.encode(), TZ, collector_speakers=("张经理",))
    assert [e.speaker for e in res.events] == ["collector", "debtor"]


def test_a_label_line_with_no_text_is_rejected_not_dropped():
    text = "说话人1 00:00:01\n喂？\n\n说话人2 00:00:03\n\n说话人1 00:00:05\n听得到吗？\n"
    res = read_input("gap.txt", text.encode(), TZ)
    s = res.summary
    assert (s.rows, s.events, [r.line for r in s.rejected]) == (3, 2, [4])
    assert [e.text for e in res.events] == ["喂？", "听得到吗？"]


@pytest.mark.parametrize("text, events", [
    # notes that start each paragraph with a time of day: not speakers. A line that is only a time is a
    # date line (it dates the turns below it when a day is known), not a turn of its own
    ("下午 15:00\n他又打电话来\n\n晚上 22:47\n又来了\n", ["他又打电话来", "又来了"]),
    ("2024-04-08 10:00:01\n他又打电话来\n\n2024-04-08 22:47:00\n又来了\n", None),
    # line-based transcripts with 说话人1: labels are read as before
    ("说话人1：喂，你好\n说话人2：你说\n", ["喂，你好", "你说"]),
])
def test_lines_that_are_not_label_blocks_read_as_before(text, events):
    res = read_input("notes.txt", text.encode(), TZ, input_format="transcript")
    if events is not None:
        assert [e.text for e in res.events] == events
    assert not any("下午" in n or "2024-04-08" in n for n in res.notes)  # no time taken for a speaker
    assert all(e.speaker == "unknown" for e in res.events)


# =========================================================================== the other formats
@pytest.mark.parametrize("path, fmt, rows, events, speakers", [
    ("lawful/collector_and_debtor.txt", "transcript", 20, 20, {"collector", "debtor"}),
    ("text/sms_pasted.txt", "transcript", 5, 5, {"debtor", "unknown"}),
    ("transcript/call_ab_20240414.txt", "transcript", 5, 4, {"unknown"}),
    ("transcript/night_call_20250306.txt", "transcript", 16, 16, {"collector", "debtor", "third_party"}),
    ("transcript/two_calls_20250306.txt", "transcript", 5, 5, {"collector", "debtor"}),
    ("srt/call_20240412.srt", "srt", 6, 4, {"unknown"}),
    ("vtt/call_20240412.vtt", "vtt", 5, 4, {"collector", "debtor"}),
    ("wechat_text/date_dividers.txt", "wechat-text", 4, 3, {"debtor", "unknown"}),
    ("wechat_text/memotrace_export.txt", "wechat-text", 3, 3, {"debtor", "unknown"}),
    ("wechat_text/mom_and_aqiang.txt", "wechat-text", 16, 16, {"third_party", "unknown"}),
    ("wechat_text/wangjingli_copy.txt", "wechat-text", 5, 4, {"debtor", "unknown"}),
    ("whisper_json/call_20240413.json", "whisper-json", 5, 4, {"unknown"}),
    ("funasr_json/call_20240413_1530.json", "funasr-json", 5, 4, {"unknown"}),
])
def test_the_other_text_formats_still_read_as_before(path, fmt, rows, events, speakers):
    res = read_both(FIX / path, TZ)
    assert (res.summary.format, res.summary.rows, res.summary.events) == (fmt, rows, events)
    assert {e.speaker for e in res.events} == speakers
    assert not any("QQ chat export" in n for n in res.notes)

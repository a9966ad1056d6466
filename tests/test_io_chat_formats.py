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


def _scan_text(text: str) -> tuple[int, dict, str]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "chat.txt"
        f.write_text(text, encoding="utf-8")
        return _scan(str(f))


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
    # no option: 快易贷-李专员's name and words say it is the agency's side, 小峰's never do — 小峰's
    # messages are read as the person's own (sent, not judged), as with --debtor 小峰 (checker.roles)
    assert [(e.speaker, e.direction, e.from_, e.to) for e in res.events] == [
        ("collector", "in", LI, None), ("debtor", "out", None, LI), ("collector", "in", LI, None),
        ("debtor", "out", None, LI), ("collector", "in", LI, None), ("collector", "in", LI, None)]
    assert [e.time for e in res.events] == [
        datetime(2024, 4, 8, 9, 5, 12, tzinfo=TZ), datetime(2024, 4, 8, 9, 20, 40, tzinfo=TZ),
        datetime(2024, 4, 8, 23, 5, 18, tzinfo=TZ), datetime(2024, 4, 8, 23, 9, 2, tzinfo=TZ),
        datetime(2024, 4, 9, 9, 10, 45, tzinfo=TZ), datetime(2024, 4, 9, 10, 30, tzinfo=TZ)]
    # a message over two lines stays one message; the preamble is no message's text
    assert res.events[0].text == "小峰您好，您在快易贷的借款已逾期5天。\n请今天内处理，也可以申请分期。"
    assert not any(w in e.text for e in res.events for w in ("消息对象", "消息分组", "====", "消息记录"))
    # two nicknames neither of which says anything: never guessed
    plain = QQ.read_text("utf-8").replace(LI, "李华").replace("小峰您好，您在快易贷的借款已逾期5天。", "在吗")
    assert {e.speaker for e in read_input(QQ.name, plain.encode(), TZ).events} == {"unknown"}


def test_qq_debtor_option_marks_the_persons_own_messages_and_the_other_party_is_the_chat_partner():
    res = read_both(QQ, TZ, debtor="小峰")
    assert [(e.speaker, e.direction, e.from_, e.to) for e in res.events] == [
        ("unknown", "in", LI, None), ("debtor", "out", None, LI), ("unknown", "in", LI, None),
        ("debtor", "out", None, LI), ("unknown", "in", LI, None), ("unknown", "in", LI, None)]
    assert not any("QQ chat export" in n for n in res.notes)


def test_qq_without_debtor_note_names_the_exporting_account_and_both_options():
    # when neither name nor words tell the two apart, the note names the account that exported the chat
    plain = QQ.read_text("utf-8").replace(LI, "李华").replace("小峰您好，您在快易贷的借款已逾期5天。", "在吗")
    res = read_input(QQ.name, plain.encode(), TZ)
    note = next(n for n in res.notes if "QQ chat export" in n)
    assert "with 李华 (消息对象)" in note and "--debtor 小峰" in note
    assert any("do not say who is the collector" in n and "--collector-speaker 李华" in n for n in res.notes)
    # when they do, one note says whose messages were read as whose, and how to say otherwise
    res = read_input(QQ.name, QQ.read_bytes(), TZ)
    assert not any("QQ chat export" in n for n in res.notes)
    # (told by the name, or — since the agent's routine words count: 您…已逾期5天 — by the words)
    assert any((f"{LI}'s name reads as the lender's or agency's" in n or f"{LI} speaks for the company" in n)
               and f"{LI}'s lines are judged as the collector's" in n and "--collector-speaker 小峰" in n
               for n in res.notes)


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
    # without --debtor the roles read from the names give the same findings; --collector-speaker 小峰
    # (saying the reading is wrong) makes the person's own angry reply (19) judged
    rc, doc, _ = _scan(str(QQ))
    assert _lines(doc) == found
    rc, doc, _ = _scan(str(QQ), "--collector-speaker", "小峰")
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
def test_xunfei_blocks_are_one_turn_each_and_their_labels_roles_read_from_what_they_say():
    res = read_both(XUNFEI, TZ)
    s = res.summary
    assert (s.format, s.rows, s.events, s.rejected) == ("transcript", 5, 5, ())
    assert all(isinstance(e, Utterance) and e.channel == "transcript" for e in res.events)
    assert [_line_of(e) for e in res.events] == XUNFEI_LINES
    assert res.events[2].text == "没钱就去借啊，找你朋友借，\n信用卡套现也得给我还上。"  # two lines, one turn
    assert not any(e.text.startswith("说话人") for e in res.events)
    # offsets are not clock times (as in SRT): no time, and the file is one call
    assert {e.time for e in res.events} == {None} and len({e.call for e in res.events}) == 1
    # never guessed by position ("the first speaker is the collector"), but read from what each says:
    # 说话人1 asks for the debtor by name and names the lender, 说话人2 never does (checker.roles)
    assert [e.speaker for e in res.events] == ["collector", "debtor", "collector", "debtor", "collector"]
    note = next(n for n in res.notes if "do not say who is the collector" in n)
    assert "说话人1, 说话人2" in note and "说话人1 speaks as the agent" in note
    assert "--collector-speaker 说话人2" in note  # how to say it the other way round
    # the same call with neither speaker introducing anyone: ambiguous, judged as the collector side
    plain = XUNFEI.read_text(encoding="utf-8").replace("喂，刘伟是吧，我是快易贷的，你的钱到底还不还？",
                                                       "喂，钱到底还不还？")
    res = read_input("plain.txt", plain.encode(), TZ)
    assert {e.speaker for e in res.events} == {"unknown"}
    note = next(n for n in res.notes if "do not say who is the collector" in n)
    assert "--collector-speaker 说话人1" in note and "--debtor 说话人1" in note


def test_xunfei_collector_speaker_makes_the_other_label_the_debtors_side():
    res = read_both(XUNFEI, TZ, collector_speakers=("说话人1",))
    assert [e.speaker for e in res.events] == ["collector", "debtor", "collector", "debtor", "collector"]
    assert not any("do not say who is the collector" in n for n in res.notes)
    rc, doc, err = _scan(str(XUNFEI), "--collector-speaker", "说话人1")
    found = _lines(doc)
    assert rc == 1 and XUNFEI_DEBTOR_LINE not in found, found  # 你们再逼我我就去你们公司闹: the debtor's
    assert "pressure.new_borrowing" in found[8] and 15 in found
    assert set(found) <= {2, 8, 15}
    # without the option the roles read from what each says give the same findings; the option says
    # otherwise when the reading is wrong (here, wrongly, the debtor's line becomes the collector's)
    rc, doc, _ = _scan(str(XUNFEI))
    assert _lines(doc) == found
    rc, doc, _ = _scan(str(XUNFEI), "--collector-speaker", "说话人2")
    assert "threat.visit" in _lines(doc)[XUNFEI_DEBTOR_LINE] and 8 not in _lines(doc)


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
        ("您好，这里是快易贷贷后部门。", "collector"), ("嗯，你说。", "debtor"), ("您的借款已逾期。", "collector")]
    assert any("发言人1, 发言人2" in n and "发言人1 speaks as the agent" in n for n in res.notes)
    res = read_input("tingwu.txt", text.encode(), TZ, collector_speakers=("发言人1",))
    assert [e.speaker for e in res.events] == ["collector", "debtor", "collector"]


def test_renamed_speakers_in_a_file_of_blocks_are_ambiguous_labels():
    text = "录音转写\n\n张经理 00:00:01\n你好，我是快易贷的张经理。\n\n刘伟 00:00:04\n你们再逼我我就去你们公司闹。\n"
    res = read_input("renamed.txt", text.encode(), TZ)
    # the export's title line is filtered (counted, not judged), not a turn
    assert [(e.text, e.speaker) for e in res.events] == [
        ("你好，我是快易贷的张经理。", "collector"), ("你们再逼我我就去你们公司闹。", "debtor")]
    assert res.summary.filtered == 1
    assert any("张经理, 刘伟 do not say who is the collector; 张经理 speaks as the agent" in n for n in res.notes)
    quiet = text.replace("你好，我是快易贷的张经理。", "喂？")  # no one introduces anyone: never guessed
    assert {e.speaker for e in read_input("renamed.txt", quiet.encode(), TZ).events} == {"unknown"}
    res = read_input("renamed.txt", text.encode(), TZ, collector_speakers=("张经理",))
    assert [e.speaker for e in res.events] == ["collector", "debtor"]


_COPIED = ("发言人1 喂\n"
           "发言人2 喂您好是邓丽娟女士吧，我是速融钱包的贷后专员，您那笔借款今天逾期第十二天了\n"
           "发言人1 你们还有完没完！上周你们那个男的跟我说再不还就抓我去坐牢，说派出所已经在查我了\n"
           "发言人2 女士您先别激动，如果有同事这么说是不对的，借款逾期属于民事纠纷，不会因为这个坐牢\n"
           "发言人1 我下周五发工资，先还一千五\n")


def test_numbered_speakers_copied_with_a_space_are_turns_and_their_roles_are_read(tmp_path):
    """A transcript copied out of an ASR app as 发言人1 喂 (label, space, words; no colon): each line
    is that label's turn. 发言人2 asks for the debtor by name and names the lender, 发言人1 never does:
    发言人1's retold threat (line 3) is the debtor's and not judged; a note says so and how to say
    otherwise. The same file with --collector-speaker 发言人1 judges line 3 again."""
    f = tmp_path / "录音转文字.txt"
    f.write_text(_COPIED, encoding="utf-8")
    res = read_input(f.name, _COPIED.encode(), TZ)
    assert res.summary.format == "transcript"
    assert [(e.speaker, e.text[:2]) for e in res.events] == [
        ("debtor", "喂"), ("collector", "喂您"), ("debtor", "你们"), ("collector", "女士"), ("debtor", "我下")]
    note = next(n for n in res.notes if "do not say who is the collector" in n)
    assert "发言人2 speaks as the agent" in note and "--collector-speaker 发言人1" in note
    rc, doc, _ = _scan(str(f))
    assert rc == 0 and doc["findings"] == []
    rc, doc, _ = _scan(str(f), "--collector-speaker", "发言人1")
    assert rc == 1 and 3 in _lines(doc)
    # a line that starts with a word and a space is not a label: 他说 is part of the text
    res = read_input("n.txt", "他说 你们再不还就去你单位\n".encode(), TZ)
    assert [e.text for e in res.events] == ["他说 你们再不还就去你单位"]


def test_asr_json_and_subtitle_speakers_get_roles_from_what_they_say():
    """WhisperX's SPEAKER_00 / SPEAKER_01 and labelled SRT cues: when one speaker introduces the
    lender and the other never does, the other's retold threat is not judged; with no such cue,
    both stay 'unknown' as before."""
    segs = [("SPEAKER_01", "喂，你好，是王强先生吗？我是安信金融的，工号2231。"),
            ("SPEAKER_00", "是我。你们上次说再不还就去我单位闹，还要发到业主群里！"),
            ("SPEAKER_01", "这种说法是违规的，我们不会这么做。您的欠款可以申请分期。")]
    data = json.dumps({"segments": [{"start": i, "end": i + 1, "text": t, "speaker": sp}
                                    for i, (sp, t) in enumerate(segs)]}, ensure_ascii=False).encode()
    res = read_input("w.json", data, TZ)
    assert [e.speaker for e in res.events] == ["collector", "debtor", "collector"]
    assert any("SPEAKER_01 speaks as the agent" in n for n in res.notes)
    srt = "".join(f"{i + 1}\n00:00:0{i},000 --> 00:00:0{i},900\n{sp}：{t}\n\n" for i, (sp, t) in enumerate(
        [("A", segs[0][1]), ("B", segs[1][1]), ("A", segs[2][1])]))
    res = read_input("c.srt", srt.encode(), TZ)
    assert [e.speaker for e in res.events] == ["collector", "debtor", "collector"]
    rejected = srt.replace("00:00:01,000 --> 00:00:01,900", "00:00:01,000 --> 00:00:01,9000")
    res = read_input("c.srt", rejected.encode(), TZ)  # a bad cue is still reported, in its place
    assert [r.line for r in res.summary.rejected] == [6] and len(res.events) == 2
    quiet = data.replace("是王强先生吗？我是安信金融的，工号2231。".encode(), "喂？".encode()).replace(
        "您的欠款可以申请分期".encode(), "可以申请分期".encode())
    assert {e.speaker for e in read_input("w.json", quiet, TZ).events} == {"unknown"}


def test_a_two_sender_chat_export_reads_the_debtors_side_from_names_and_words():
    """A MemoTrace-style text export of a chat between a collector and the person, nicknames only,
    no --debtor: the sender whose name reads as an agency's (or who speaks as the agent) is the
    collector and the other the person, whose retold threats are not judged — with a note; a chat
    whose names and words say nothing stays all 'unknown' and judged, as before."""
    chat = ("速易借客服-小周 2025-03-05 10:00:00\n"
            "周先生您好，我是速易借的贷后专员，您的借款已逾期12天，请今天处理。\n\n"
            "阿强 2025-03-05 10:05:00\n你们的人上次打电话说再不还就去我单位找领导，还说要发到小区业主群，这合法吗？\n\n"
            "速易借客服-小周 2025-03-05 10:09:00\n如果有同事这样说是违规的，我们不会这么做。可以申请分期。\n")
    res = read_input("chat.txt", chat.encode(), TZ)
    assert res.summary.format == "wechat-text"
    assert [(e.speaker, e.direction) for e in res.events] == [("collector", "in"), ("debtor", "out"),
                                                              ("collector", "in")]
    assert res.events[1].to == "速易借客服-小周"
    assert any("速易借客服-小周 speaks as the agent" in n and "阿强's are read as the debtor's side" in n
               for n in res.notes)
    rc, doc, _ = _scan_text(chat)
    assert rc == 0 and doc["findings"] == []
    # the names say nothing, the words do: 小周 introduces the lender and states the debt, 阿强 answers
    # as a debtor does (你们的人 …)
    by_words = chat.replace("速易借客服-小周", "小周")
    assert [e.speaker for e in read_input("chat.txt", by_words.encode(), TZ).events] == [
        "collector", "debtor", "collector"]
    # nothing either way: never guessed, both judged (the retold threat too)
    neither = by_words.replace("周先生您好，我是速易借的贷后专员，您的借款已逾期12天，请今天处理。", "在吗").replace(
        "如果有同事这样说是违规的，我们不会这么做。可以申请分期。", "好的")
    res = read_input("chat.txt", neither.encode(), TZ)
    assert {e.speaker for e in res.events} == {"unknown"}
    assert _scan_text(neither)[1]["findings"]


def test_a_typed_chat_of_two_senders_reads_the_debtors_side_the_same_way():
    """A chat someone typed or pasted with each line's date and sender (2025-03-05 10:00 王经理：…) is
    messages; with two senders known by name only, the one whose name reads as an agency's is the
    collector and the other the person, whose retold threat is not judged."""
    chat = ("2025-03-05 10:00 鑫瑞金融-王经理：周先生，今天必须把3200处理了\n"
            "2025-03-05 10:03 周强：你们上次说再不还就去我单位找领导，还要发到业主群，这合法吗？\n"
            "2025-03-05 10:09 鑫瑞金融-王经理：那是别的同事说的，我们不会这么做，您今天先还一部分\n")
    res = read_input("typed.txt", chat.encode(), TZ)
    assert res.summary.format == "text" and all(isinstance(e, MessageEvent) for e in res.events)
    assert [(e.speaker, e.direction) for e in res.events] == [("collector", "in"), ("debtor", "out"),
                                                              ("collector", "in")]
    assert any("鑫瑞金融-王经理's name reads as the lender's or agency's" in n for n in res.notes)
    assert _scan_text(chat)[1]["findings"] == []
    neither = chat.replace("鑫瑞金融-王经理", "王华").replace("您今天先还一部分", "好的")
    assert {e.speaker for e in read_input("typed.txt", neither.encode(), TZ).events} == {"unknown"}
    assert _scan_text(neither)[1]["findings"]  # both judged, the retold threat too


def test_two_collectors_typed_into_one_file_are_never_a_conversation():
    """Two agencies' senders, two numbers, or a 'person' who never answers as a debtor does: the
    messages of two collectors typed into one file — neither is taken for the person."""
    from checker.roles import chat_roles

    said = "您好，您在我们平台的借款已逾期，请今天处理"
    assert chat_roles([("速易借-小王", said), ("花花贷客服", "还钱")]) == ({}, "", False)
    assert chat_roles([("17012345678", said), ("1069088812345", "还钱")]) == ({}, "", False)
    assert chat_roles([("小王", said), ("老李", "今天再不还就上门")]) == ({}, "", False)
    roles, _cue, _by = chat_roles([("小王", said), ("老李", "你们凭什么天天打")])
    assert roles == {"小王": "collector", "老李": "debtor"}
    typed = ("2025-03-05 10:00 速易借-小王：您的借款已逾期，今天必须处理\n"
             "2025-03-05 10:30 花花贷-老李：再不还我们就去你单位\n")
    assert {e.speaker for e in read_input("typed.txt", typed.encode(), TZ).events} == {"unknown"}


@pytest.mark.parametrize("text", [
    # a debtor calling back asks for the lender, or for an agent by title
    "A：喂，请问是安信消费金融吗？我是刘伟，我来问一下我那笔借款的事。\nB：分期个屁，明天就去你家，让你家人也跟着丢人。\n",
    "说话人1：喂，请问是王经理吗？\n说话人2：今天不还我们就把你照片发到你公司群里。\n",
    # a debtor retells what an agent asked, or repeats a staff number
    "说话人1：你们昨天一上来就问请问是刘伟吗，还说要去我单位。\n说话人2：不还钱我们就去你家，让你邻居都知道你是个骗子。\n",
    "A：你们那个工号HR207的上次说要去我单位。\nB：明天我们就去你单位，让你们老板开除你。\n",
    # a chat sender named like an agency (or with a title) who speaks as a debtor
    "小刘 2025-03-06 22:10:05\n不还明天就去你单位闹\n\n"
    "张经理 2025-03-06 22:12:30\n你们上次说要去我单位，我已经报警了\n",
    "李先生 2025-03-07 22:30:00\n张伟，你的钱到底还不还？不还明天就去你单位闹\n\n"
    "平安金融-张伟 2025-03-07 22:31:10\n我说了下个月还，你们上次就说要去单位闹，这是违法的\n",
    # a second tester's: a loan app asked for by name, a staff number read back, a debt stated, a
    # work line's greeting, a firm's owner speaking for it, a debtor with a title's nickname
    "A：喂，您好，请问是宜人贷吗？\nB：你欠的钱还不还？不还我就让人去你老家找你爸妈。\nA：我下周还。\n",
    "说话人1：喂，您上午给我打过电话，工号是HR207对吧？\n说话人2：想好了没有？今天不还，明天就给你单位领导打电话，"
    "说你是诈骗犯。\n说话人1：我不是诈骗犯。\n",
    "说话人1：喂，您好，我欠款一万二，想问下怎么还。\n说话人2：想好了没有？今天不还，明天就去你家找你。\n",
    "说话人1：您好，顺达物流客服中心，工号8023，很高兴为您服务。\n说话人2：钱到底还不还？不还我们就去你们公司门口拉横幅。\n"
    "说话人1：我现在在上班。\n",
    "说话人1：您好，我们公司这边最近资金紧张，麻烦您再宽限我们半个月。\n"
    "说话人2：你们就是骗子公司，下周之前不还，我们就去你们公司门口堵着。\n说话人1：您这样说不合适。\n",
    "2025-07-01 20:10 小王：钱呢？再不还我就去你家门口泼油漆，你全家都别想安生\n"
    "2025-07-01 20:15 张经理：您好，明天一早转给您\n",
])
def test_a_debtor_who_speaks_like_an_agent_is_never_taken_for_one(text):
    """An outside tester's files: the debtor's words hold what an agent says (请问是…吗, 工号, an agency
    name), the collector's do not. Nothing is guessed — both are judged, the collector's threat is
    found — rather than the debtor taken for the collector and the collector's words left unjudged."""
    res = read_input("t.txt", text.encode(), TZ)
    assert {e.speaker for e in res.events} == {"unknown"}
    assert not any("read as the debtor's side" in n for n in res.notes)
    assert _scan_text(text)[1]["findings"]  # the collector's threat is found (a wrong guess left none)


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
    ("transcript/call_ab_20240414.txt", "transcript", 5, 4, {"collector", "debtor"}),  # A asks for 李明
    ("transcript/night_call_20250306.txt", "transcript", 16, 16, {"collector", "debtor", "third_party"}),
    ("transcript/two_calls_20250306.txt", "transcript", 5, 5, {"collector", "debtor"}),
    ("srt/call_20240412.srt", "srt", 6, 4, {"unknown"}),
    ("vtt/call_20240412.vtt", "vtt", 5, 4, {"collector", "debtor"}),
    ("wechat_text/date_dividers.txt", "wechat-text", 4, 3, {"debtor", "unknown"}),
    ("wechat_text/memotrace_export.txt", "wechat-text", 3, 3, {"debtor", "unknown"}),
    ("wechat_text/mom_and_aqiang.txt", "wechat-text", 16, 16, {"third_party", "unknown"}),
    ("wechat_text/wangjingli_copy.txt", "wechat-text", 5, 4, {"debtor", "unknown"}),
    ("whisper_json/call_20240413.json", "whisper-json", 5, 4, {"unknown"}),
    ("funasr_json/call_20240413_1530.json", "funasr-json", 5, 4, {"collector", "debtor"}),  # 0 names the lender
])
def test_the_other_text_formats_still_read_as_before(path, fmt, rows, events, speakers):
    res = read_both(FIX / path, TZ)
    assert (res.summary.format, res.summary.rows, res.summary.events) == (fmt, rows, events)
    assert {e.speaker for e in res.events} == speakers
    assert not any("QQ chat export" in n for n in res.notes)

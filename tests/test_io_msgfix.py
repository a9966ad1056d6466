"""Message and chat shapes an independent tester fed the command line (round msg3): 12-hour and
Chinese dates in pasted lines and chat headers, carrier SMS bills, system senders and lines,
发件人 = 我, OPPO / vivo and iMazing text backups, date lines and silent fallbacks, typed chats
counted as messages rather than calls. The inputs are small ones written here, in the shapes
of the tester's files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from checker.io import read_input, sniff
from checker.io.pasted import dated_chat
from checker.model import MessageEvent, Utterance

TZ = ZoneInfo("Asia/Shanghai")
FIX = Path(__file__).resolve().parent / "fixtures"
HOURS = "contact.inconvenient_time"


def _read(name: str, text: str | bytes, **kw):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_input(name, data, TZ, **kw)


def _scan(tmp_path: Path, name: str, text: str | bytes, *args: str) -> tuple[int, dict, str]:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    r = run_cli("scan", str(p), *args, "--format", "json")
    return r.returncode, json.loads(r.stdout or b"{}"), r.stderr.decode()


def _totals(name: str, text: str | bytes) -> dict:
    from checker.pack import load_pack
    from checker.pipeline import report_for
    from checker.pipeline import run as run_pipeline

    data = text.encode("utf-8") if isinstance(text, str) else text
    run, _ = run_pipeline([(name, data)], load_pack("cn"), TZ)
    return report_for(run).summary["totals"]


# --------------------------------------------------------------------------- 1. dates in pasted lines
@pytest.mark.parametrize("line, hhmm", [
    ("2025/3/5 晚上11:06 我：你们这群王八蛋，你们等着坐牢吧", "2025-03-05 23:06"),
    ("2025年3月5日 23:06 我：你们这群王八蛋，你们等着坐牢吧", "2025-03-05 23:06"),
    ("[2025-03-05 下午11:06] 我：你们这群王八蛋，你们等着坐牢吧", "2025-03-05 23:06"),
    ("2025年3月5日 星期三 晚上11:06 我：你们这群王八蛋，你们等着坐牢吧", "2025-03-05 23:06"),
    ("2025/3/6 凌晨1:30 我：你们这群王八蛋，你们等着坐牢吧", "2025-03-06 01:30"),
])
def test_a_12_hour_or_chinese_date_prefix_reads_the_time_and_the_label(line, hhmm):
    res = _read("chat.txt", f"2025/3/5 下午9:12 对方：再不还就通知你紧急联系人了\n{line}\n")
    first, mine = res.events
    assert first.time.strftime("%Y-%m-%d %H:%M") == "2025-03-05 21:12" and first.speaker == "collector"
    assert mine.time.strftime("%Y-%m-%d %H:%M") == hhmm and mine.speaker == "debtor"
    assert mine.text == "你们这群王八蛋，你们等着坐牢吧"


def test_a_date_without_a_year_takes_the_year_the_file_names_with_a_note():
    res = _read("chat.txt", "2025年3月 支付宝聊天\n3月5日 23:05 对方：你就是个无赖\n3月5日 23:06 我：你才是\n")
    # (the title line is filtered, not read as a message: tests/test_io_readers8.py)
    assert [e.time.strftime("%Y-%m-%d %H:%M") for e in res.events] == ["2025-03-05 23:05", "2025-03-05 23:06"]
    assert any("without a year" in n and "2025" in n for n in res.notes)
    # a later year-less date follows the last full date above it
    res = _read("chat.txt", "2024-12-31 23:05 对方：你好\n1月1日 07:10 对方：还钱\n")
    assert res.events[1].time.strftime("%Y-%m-%d %H:%M") == "2025-01-01 07:10"  # past New Year


def test_a_date_without_a_year_in_a_file_that_names_none_is_read_in_this_year_and_noted(monkeypatch):
    # WeChat shows this year's dates without a year: the year of the day the file is read
    import checker.io.times as times

    monkeypatch.setattr(times, "TODAY", date(2026, 11, 29))
    res = _read("chat.txt", "3月5日 23:05 对方：你就是个无赖\n3月5日 23:06 我：你才是\n")
    assert [e.time.strftime("%Y-%m-%d %H:%M") for e in res.events] == ["2026-03-05 23:05", "2026-03-05 23:06"]
    assert [e.speaker for e in res.events] == ["collector", "debtor"]
    assert any("names no year" in n and "read in 2026" in n for n in res.notes)


def test_the_debtors_own_line_with_a_12_hour_date_is_never_judged(tmp_path):
    text = ("2025/3/5 下午11:05 对方：你好，请还款\n"
            "2025/3/5 晚上11:06 我：你们这群王八蛋，我要去法院告你们，你们等着坐牢吧\n")
    rc, doc, _ = _scan(tmp_path, "e.txt", text)
    assert rc == 1 and {f["source"]["line"] for f in doc["findings"]} == {1}
    assert [f["category"] for f in doc["findings"]] == [HOURS]


# --------------------------------------------------------------------------- 2. chat block headers
DINGTALK = ("王经理 2025/3/5 上午9:30\n阿强，你的借款已逾期。\n\n阿强 2025/3/5 上午9:45\n好的\n\n"
            "王经理 2025年3月5日 晚上10:15\n你不还钱我们就去你单位闹\n\n"
            "阿强 3月6日 09:00\n你们再骂我，我就报警说你们要打断我的腿\n")


def test_12_hour_and_year_less_chat_headers_are_a_wechat_text_export(tmp_path):
    assert sniff("dd.txt", DINGTALK) == "wechat-text"
    res = _read("dd.txt", DINGTALK, debtor="阿强")
    assert res.summary.format == "wechat-text"
    assert [(e.time.strftime("%m-%d %H:%M"), e.speaker) for e in res.events] == [
        ("03-05 09:30", "unknown"), ("03-05 09:45", "debtor"), ("03-05 22:15", "unknown"), ("03-06 09:00", "debtor")]
    assert not any("does not occur" in n for n in res.notes)  # --debtor 阿强 is used
    rc, doc, _ = _scan(tmp_path, "dd.txt", DINGTALK, "--debtor", "阿强")
    lines = {(f["source"]["line"], f["category"]) for f in doc["findings"]}
    assert (7, HOURS) in lines and not any(line == 10 for line, _c in lines)  # 阿强's words are not judged


def test_a_year_less_chat_header_in_a_chat_that_names_no_year_is_read_in_this_year(monkeypatch):
    import checker.io.times as times

    monkeypatch.setattr(times, "TODAY", date(2027, 1, 10))
    res = _read("h.txt", "王经理 3月5日 22:15\n你好，请还款\n\n阿强 3月5日 22:16\n你们这群王八蛋\n", debtor="阿强")
    assert res.summary.format == "wechat-text"
    assert [e.time.strftime("%Y-%m-%d %H:%M") for e in res.events] == ["2026-03-05 22:15", "2026-03-05 22:16"]
    assert [e.speaker for e in res.events] == ["unknown", "debtor"]
    assert any("names no year" in n and "read in 2026" in n for n in res.notes)


# --------------------------------------------------------------------------- 3. carrier SMS bills
CMCC = ("中国移动通信 短信/彩信详单\n客户姓名：阿强,手机号码：13912345678\n查询周期：2025年03月01日至2025年03月31日\n"
        "起始时间,通信地点,对方号码,通信方式,信息类型,业务名称,套餐,单价(元),费用(元)\n"
        "03-05 21:25:00,北京,17156781234,发送,短信,国内短信,,0.10,0.10\n"
        "03-05 23:05:10,北京,17156781234,接收,短信,国内短信,,0.00,0.00\n"
        "03-06 07:35:00,北京,1069012345678,接收,彩信,国内彩信,,0.00,0.00\n"
        + "".join(f"03-06 11:0{i}:00,北京,17156781234,接收,短信,国内短信,,0.00,0.00\n" for i in range(5))
        + "合计,,,,,,,,0.10\n").encode("gbk")
CTCC = ("中国电信 短信详单\n手机号码：13912345678\n查询时间：2025年03月\n"
        "序号,发送时间,主叫号码,被叫号码,业务类型,费用(元)\n"
        "1,2025-03-05 23:05:10,17156781234,13912345678,点对点短信,0.00\n"
        "2,2025-03-05 23:10:00,13912345678,17156781234,点对点短信,0.10\n"
        "3,2025-03-06 07:30:00,1069012345678,13912345678,点对点短信,0.00\n").encode("gbk")


def test_a_cmcc_sms_bill_is_messages_without_text_never_calls():
    res = _read("sms_bill.csv", CMCC)
    assert res.summary.format == "messages" and not res.rejected
    assert all(isinstance(e, MessageEvent) and e.channel == "sms" and e.text is None for e in res.events)
    assert [(e.time.strftime("%Y-%m-%d %H:%M"), e.direction) for e in res.events[:3]] == [
        ("2025-03-05 21:25", "out"), ("2025-03-05 23:05", "in"), ("2025-03-06 07:35", "in")]
    assert any("'通信方式' column says the rows are text messages" in n for n in res.notes)
    totals = _totals("sms_bill.csv", CMCC)
    assert totals["calls"] == totals["connected"] == totals["unanswered"] == 0 and totals["messages"] == 7


def test_five_sms_in_an_hour_are_no_connected_calls(tmp_path):
    rc, doc, _ = _scan(tmp_path, "sms_bill.csv", CMCC)
    assert rc == 1 and doc["inputs"][0]["format"] == "messages"
    assert not any("connected" in f["rule"] or "call" in f["rule"].split(".")[-1] for f in doc["findings"])
    assert {f["source"]["line"] for f in doc["findings"] if f["category"] == HOURS} == {6, 7}
    assert all("短信" in f["evidence"] for f in doc["findings"] if f["category"] == HOURS)


def test_a_ctcc_caller_callee_sms_bill_is_messages_directed_by_the_own_number():
    res = _read("ctcc.csv", CTCC)
    assert res.summary.format == "messages"
    assert [(e.direction, e.from_ or e.to) for e in res.events] == [
        ("in", "17156781234"), ("out", "17156781234"), ("in", "1069012345678")]
    assert _totals("ctcc.csv", CTCC)["calls"] == 0


def test_input_format_messages_reads_a_text_less_table_and_the_error_suggests_it(tmp_path):
    odd = "起始时间,对方号码,收发,费用\n2025-03-05 21:12:40,17156781234,MT,0\n2025-03-05 22:12:40,17156781234,MT,0\n"
    rc, doc, err = _scan(tmp_path, "odd.csv", odd)
    assert rc == 2 and "--columns" in err  # a value collcheck does not know: name the columns
    bill = odd.replace("MT", "接收").replace("收发", "呼叫类型")  # 接收 under a call-type header, no SMS column
    from checker.io.table import call_kind
    from checker.pipeline import unreadable_inputs

    with pytest.raises(ValueError, match="--input-format messages"):
        call_kind("接收")
    res = _read("bill.csv", bill, input_format="messages")
    assert res.summary.format == "messages" and len(res.events) == 2 and not res.rejected
    from checker.model import InputSummary, RejectedRow

    reason = "call type '接收' names a text message (received / sent, 短信), not a call; if the file holds " \
             "messages (a 短信 / 彩信详单), give --input-format messages"
    rejected = (RejectedRow("b.csv", 2, reason),)
    msg = unreadable_inputs([InputSummary("b.csv", "", "calllog", "utf-8", 1, 0, 0, rejected)])
    assert "--input-format messages" in msg[0] and "--columns" not in msg[0]


# --------------------------------------------------------------------------- 4. system senders and lines
MEMOTRACE = ("2025-03-05 21:05:00 速借花-王经理\n明天？你说了多少次明天了\n\n2025-03-05 21:06:00 系统消息\n"
             "\"速借花-王经理\"撤回了一条消息\n\n2025-03-05 22:11:00 阿强\n你们这样是违法的\n")
MERGED = ("王经理和阿强的聊天记录\n\n王经理 2025/3/5 21:48\n下周？你当我们是傻子？\n明天中午之前不还，\n"
          "我们就把你的照片发到你朋友圈\n\n王经理撤回了一条消息\n\n以下为新消息\n\n王经理 2025/3/5 22:16\n[图片]\n")


def test_a_system_sender_block_is_filtered_not_a_contact(tmp_path):
    res = _read("memo.txt", MEMOTRACE, debtor="阿强")
    assert res.summary.filtered == 1 and [e.source.line for e in res.events] == [1, 7]
    assert not any("系统消息" in n for n in res.notes if "do not say" in n)
    rc, doc, err = _scan(tmp_path, "memo.txt", MEMOTRACE, "--debtor", "阿强")
    assert [f["source"]["line"] for f in doc["findings"] if f["category"] == HOURS] == [1]
    assert "系统消息 looks like" not in err


def test_recall_and_new_message_lines_are_filtered_rows_of_their_own():
    res = _read("merged.txt", MERGED)
    first = res.events[0]
    assert first.text == "下周？你当我们是傻子？\n明天中午之前不还，\n我们就把你的照片发到你朋友圈"
    s = res.summary
    assert (s.rows, s.events, s.filtered, len(s.rejected)) == (4, 2, 2, 0)


def test_system_lines_in_pasted_text_are_filtered():
    res = _read("p.txt", "对方：你好请还款\n王经理撤回了一条消息\n系统消息：对方已开启朋友验证\n我：好的\n")
    assert [e.text for e in res.events] == ["你好请还款", "好的"] and res.summary.filtered == 2


# --------------------------------------------------------------------------- 5. 发件人 = 我
SENDER_COLS = ("时间,发件人,收件人,内容,服务\n"
               "2025-03-05 22:30:00,+86 171 5678 1234,我,今晚不还，明天我们就去你公司找你们老板,SMS\n"
               "2025-03-05 22:35:00,我,+86 171 5678 1234,你们这群畜生，再威胁我就报警，让警察抓你们坐牢,SMS\n"
               "2025-03-06 09:10:00,本机,+86 171 5678 1234,你们不是法院的，我会去12378投诉,iMessage\n")


@pytest.mark.parametrize("debtor", [None, "我"])
def test_a_sender_that_is_the_person_is_a_sent_message_never_judged(tmp_path, debtor):
    res = _read("aisi.csv", SENDER_COLS, debtor=debtor)
    assert [(e.direction, e.speaker) for e in res.events] == [("in", "unknown"), ("out", "debtor"), ("out", "debtor")]
    assert res.events[1].to == "+86 171 5678 1234"
    assert not any("does not occur as a label" in n or "no direction column" in n for n in res.notes)
    rc, doc, _ = _scan(tmp_path, "aisi.csv", SENDER_COLS, *(("--debtor", debtor) if debtor else ()))
    assert {f["source"]["line"] for f in doc["findings"]} == {2}


# --------------------------------------------------------------------------- 6. text backups in blocks
VIVO = ("短信备份 共3条\n" + "-" * 30 + "\n发件人：17156781234\n时间：2025-03-05 21:40:00\n"
        "内容：【速借花】请尽快还款。\n" + "-" * 30 + "\n收件人：17156781234\n时间：2025-03-05 21:50:00\n"
        "内容：你们再骚扰我家人，我就去派出所报警，告你们敲诈勒索\n"
        + "-" * 30 + "\n发件人：17156781234\n时间：2025-03-05 23:30:00\n内容：你报啊，我们在公安局有人。\n"
        "再不还就把你的身份证照片挂到网上\n" + "-" * 30 + "\n")
IMAZING = ("Messages with +86 171 5678 1234\n\n2025-03-05 09:30:12\nFrom: +86 171 5678 1234 (SMS)\n"
           "【速借花】您好，您的借款已逾期3天。\n\n2025-03-05 21:20:00\nTo: +86 171 5678 1234 (SMS)\n"
           "你们再骚扰我，我就去公安局报案，告你们诈骗\n\n2025-03-05 23:05:10\nFrom: +86 171 5678 1234 (iMessage)\n"
           "再不还钱明天就派人上门，\n让你全家不得安宁\n")


def test_oppo_vivo_field_blocks_are_messages_with_their_direction(tmp_path):
    assert sniff("vivo.txt", VIVO) == "sms-text"
    res = _read("vivo.txt", VIVO)
    s = res.summary
    assert (s.format, s.rows, s.events, len(s.rejected)) == ("sms-text", 3, 3, 0)
    assert [(e.source.line, e.time.strftime("%H:%M"), e.direction, e.speaker) for e in res.events] == [
        (3, "21:40", "in", "unknown"), (7, "21:50", "out", "debtor"), (11, "23:30", "in", "unknown")]
    assert res.events[2].text == "你报啊，我们在公安局有人。\n再不还就把你的身份证照片挂到网上"
    rc, doc, _ = _scan(tmp_path, "vivo.txt", VIVO)
    assert 7 not in {f["source"]["line"] for f in doc["findings"]}  # the debtor's 报警 / 敲诈勒索
    assert (11, HOURS) in {(f["source"]["line"], f["category"]) for f in doc["findings"]}


def test_imazing_txt_from_and_to_blocks(tmp_path):
    assert sniff("im.txt", IMAZING) == "sms-text"
    res = _read("im.txt", IMAZING)
    assert [(e.source.line, e.direction, e.channel) for e in res.events] == [(3, "in", "sms"), (7, "out", "sms"),
                                                                             (11, "in", "sms")]
    assert res.events[2].text == "再不还钱明天就派人上门，\n让你全家不得安宁"
    assert res.events[2].from_ == "17156781234"  # as a person in China writes it (round msg4)
    rc, doc, _ = _scan(tmp_path, "im.txt", IMAZING)
    lines = {f["source"]["line"] for f in doc["findings"]}
    assert 7 not in lines and 11 in lines


def test_a_block_whose_sender_is_the_person_or_the_debtor_number_is_sent():
    text = ("发件人：我\n收件人：17156781234\n时间：2025-03-05 21:50:00\n内容：别再打了\n\n"
            "发件人：13912345678\n收件人：17156781234\n时间：2025-03-05 21:51:00\n内容：我会投诉\n\n"
            "发件人：17156781234\n收件人：13912345678\n时间：2025-03-05 21:52:00\n内容：随便\n")
    res = _read("b.txt", text, debtor="13912345678")
    assert [e.direction for e in res.events] == ["out", "out", "in"]


def test_blocks_apart_by_blank_lines_keep_each_direction(tmp_path):
    """OPPO / vivo text backups with blank lines (no rule lines) between blocks: a 发件人 block
    after a 收件人 block is a new message — the collector's threat is judged, the person's own
    replies never are."""
    text = ("收件人：17012345601\n时间：2026-03-02 10:55:21\n内容：好的，我15号一定还。\n\n"
            "发件人：17012345601\n时间：2026-03-02 13:14:00\n内容：明天我们就派人上门找你。\n\n"
            "收件人：17012345601\n时间：2026-03-02 13:40:30\n内容：再打电话骚扰我就报警！\n滚\n")
    assert sniff("oppo.txt", text) == "sms-text"
    res = _read("oppo.txt", text)
    assert [(e.source.line, e.direction, e.speaker) for e in res.events] == [
        (1, "out", "debtor"), (5, "in", "unknown"), (9, "out", "debtor")]
    assert res.events[2].text == "再打电话骚扰我就报警！\n滚"
    rc, doc, _ = _scan(tmp_path, "oppo.txt", text)
    assert {(f["source"]["line"], f["category"]) for f in doc["findings"]} == {(5, "threat.visit")}


def test_a_backup_of_a_single_message_block_is_read_as_one():
    res = _read("one.txt", "收件人：17012345601\n时间：2026-03-02 13:40:30\n内容：再打电话骚扰我就报警！\n")
    assert res.summary.format == "sms-text"
    assert [(e.direction, e.speaker) for e in res.events] == [("out", "debtor")]


# --------------------------------------------------------------------------- 7. date lines, silent fallbacks
DOUYIN = ("星期三 21:12\n对方：你的借款已经逾期了，请尽快还款\n昨天 23:05\n对方：不还钱就等着我们上门吧\n"
          "昨天 23:10\n我：你们这是违法的\n今天\n对方：您好，请尽快还款。\n")


def test_relative_day_lines_are_not_turns_and_their_messages_are_undated_with_a_note():
    res = _read("douyin.txt", DOUYIN)
    assert [e.text for e in res.events] == ["你的借款已经逾期了，请尽快还款", "不还钱就等着我们上门吧",
                                            "你们这是违法的", "您好，请尽快还款。"]
    assert all(e.time is None for e in res.events) and res.summary.rows == 4
    assert [e.speaker for e in res.events] == ["collector", "collector", "debtor", "collector"]
    note = next(n for n in res.notes if "relative day" in n)
    assert "douyin.txt" in note and "4 line(s) give a relative day" in note


def test_a_date_line_dates_the_turns_below_it():
    res = _read("c.txt", "—— 2025-03-05 ——\n21:12 对方：你好请还款\n23:10 我：你们王八蛋\n\n"
                         "2025-03-06 07:40\n对方：再不还就上门\n")
    assert [e.time.strftime("%m-%d %H:%M") for e in res.events] == ["03-05 21:12", "03-05 23:10", "03-06 07:40"]
    assert res.summary.format == "text"


def test_a_dated_line_the_reader_cannot_read_is_noted_never_silent(tmp_path):
    rc, doc, err = _scan(tmp_path, "u.txt", "05/03/2025 21:12 对方：你好，请还款\n05/03/2025 23:12 对方：请还款\n")
    # 05/03/2025: day or month first? Nothing in the file says; the note names the option that does
    assert "u.txt: 2 line(s) begin with a date like 03/12/2024 whose order nothing in the file shows" in err
    assert "--date-order dmy" in err
    # a dashed year-last date (Android WhatsApp) is read the same way: the order is what is missing
    rc, doc, err = _scan(tmp_path, "u2.txt", "5-3-2025 21:12 对方：你好，请还款\n5-3-2025 21:13 对方：请还款\n")
    assert "u2.txt: 2 line(s) begin with a date like 03/12/2024 whose order nothing in the file shows" in err, err
    # a date no reader reads (two-digit year with dashes: 25-3-5 or 5-3-25?) is noted as unread
    rc, doc, err = _scan(tmp_path, "u3.txt", "5-3-25 21:12 对方：你好，请还款\n5-3-25 21:13 对方：请还款\n")
    assert "u3.txt: 2 line(s) begin with a date that was not read as a time" in err, err


def test_a_debtor_name_that_never_matches_is_noted_in_every_reader(tmp_path):
    _rc, _doc, err = _scan(tmp_path, "nolabel.txt", "2025/3/5 下午9:12 你好请还款\n", "--debtor", "阿强")
    assert "nolabel.txt: --debtor 阿强 does not occur as a label" in err
    calls = "通话起始时间,对方号码,呼叫类型,通话时长\n2025-03-06 22:31:00,17012345678,被叫,160\n"
    _rc, _doc, err = _scan(tmp_path, "calls.csv", calls, "--debtor", "阿强")
    assert "calls.csv: --debtor 阿强 does not occur as a label" in err
    _rc, _doc, err = _scan(tmp_path, "vivo.txt", VIVO, "--debtor", "阿强")
    assert "vivo.txt: --debtor 阿强 does not occur as a label" in err


# --------------------------------------------------------------------------- 8. typed chats are messages
TYPED = ("[2025-03-05 09:30] 对方：您好，您的花呗分期已逾期，请及时还款。\n"
         "[2025-03-05 21:12] 对方：再不还就通知你紧急联系人了\n"
         "[2025-03-05 21:20] 我：我明天还\n[2025-03-05 23:05] 对方：你就是个无赖，等着坐牢吧\n"
         "[2025-03-06 01:30] 对方：明天早上我们去你单位门口堵你\n[2025-03-06 12:10] 对方：建议你在别的平台借点钱\n")


def test_a_typed_chat_with_a_date_per_line_is_messages_not_calls(tmp_path):
    assert sniff("typed.txt", TYPED) == "text"
    res = _read("typed.txt", TYPED)
    assert all(isinstance(e, MessageEvent) and e.channel == "sms" for e in res.events)
    assert [e.direction for e in res.events] == ["in", "in", "out", "in", "in", "in"]
    totals = _totals("typed.txt", TYPED)
    assert totals["calls"] == totals["connected"] == 0 and totals["messages"] == 5
    rc, doc, _ = _scan(tmp_path, "typed.txt", TYPED)
    assert all("通话" not in f["evidence"] for f in doc["findings"] if f["category"] == HOURS)
    assert 3 not in {f["source"]["line"] for f in doc["findings"]}


def test_a_wrapped_line_of_a_typed_chat_continues_the_message_above():
    res = _read("typed.txt", "2025/3/5 晚上11:05 对方：等着\n2025/3/5 晚上11:06 我：你们这群王八蛋，\n"
                             "我要去法院告你们\n")
    # one message, at its time: the wrapped line is its text, not a record of its own without a time
    assert [(e.speaker, e.time is not None, e.text) for e in res.events] == [
        ("collector", True, "等着"), ("debtor", True, "你们这群王八蛋，\n我要去法院告你们")]


@pytest.mark.parametrize("path", ["transcript/night_call_20250306.txt", "transcript/two_calls_20250306.txt",
                                  "transcript/call_ab_20240414.txt"])
def test_a_call_transcript_with_dated_turns_seconds_apart_stays_a_call(path):
    text = (FIX / path).read_text("utf-8")
    assert sniff(path, text) == "transcript" and not dated_chat(text.splitlines())
    assert all(isinstance(e, Utterance) for e in _read(Path(path).name, text).events)


def test_the_demo_call_stays_a_call():
    demo = Path(__file__).resolve().parent.parent / "corpus" / "demo" / "call-2026-10-14.txt"
    assert sniff(demo.name, demo.read_text("utf-8")) == "transcript"


@pytest.mark.parametrize("lines, chat", [
    (["[2025-03-05 21:12:05] 对方：喂", "[2025-03-05 21:12:09] 我：你好", "[2025-03-05 21:12:30] 对方：还钱"], False),
    (["[2025-03-05 21:12] 对方：喂", "[2025-03-05 21:13] 我：你好"], True),  # to the minute: a chat app's
    (["[2025-03-05 09:00:00] 对方：还钱", "[2025-03-05 13:00:00] 对方：还钱", "[2025-03-05 18:00:00] 对方：还"], True),
    (["[00:00:01] 说话人1：喂", "[00:00:05] 说话人2：你好"], False),  # offsets
    (["对方：喂", "我：你好"], False),
])
def test_dated_chat(lines, chat):
    assert dated_chat(lines) is chat


def test_debtor_as_a_number_and_a_nickname_together_for_a_bill_and_a_chat(tmp_path):
    """A case with a 主叫 / 被叫 bill (needs the person's number) and a WeChat text copy (needs
    their nickname): --debtor given twice, or as NUMBER,NAME, serves both; neither file fails."""
    bill = tmp_path / "bill.csv"
    bill.write_text("起始时间,主叫号码,被叫号码,通话时长\n2026-03-02 22:30:00,17012345601,13912345678,35\n"
                    "2026-03-02 23:10:00,13912345678,17012345601,20\n", encoding="utf-8")
    chat = tmp_path / "chat.txt"
    chat.write_text("速易借-王经理 2026-03-02 10:30:00\n再拖下去明天就去你单位找你领导\n\n"
                    "阿强 2026-03-02 10:35:20\n你们说要来我家堵门，我已经报警了。\n", encoding="utf-8")
    for args in (("--debtor", "13912345678", "--debtor", "阿强"), ("--debtor", "13912345678,阿强")):
        r = run_cli("scan", str(bill), str(chat), *args, "--format", "json")
        assert r.returncode == 1, r.stderr.decode()
        doc = json.loads(r.stdout)
        got = {(Path(f["source"]["file"]).name, f["source"]["line"], f["category"]) for f in doc["findings"]}
        assert ("bill.csv", 2, HOURS) in got and not any(n == "bill.csv" and ln == 3 for n, ln, _c in got)
        assert ("chat.txt", 1, "threat.visit") in got and not any(n == "chat.txt" and ln == 4 for n, ln, _c in got)
        assert "does not occur as a label" not in r.stderr.decode()


def test_a_dingtalk_copy_with_month_day_headers_under_a_dated_title(tmp_path):
    text = ("2026年2月 钉钉聊天记录（王经理）\n\n王经理 02-09 22:24\n今天不还就上门\n"
            "阿强 02-09 22:25\n滚，别烦我，老子没钱。\n")
    res = _read("dd.txt", text, debtor="阿强")
    assert res.summary.format == "wechat-text"
    assert [(e.time.strftime("%Y-%m-%d %H:%M"), e.speaker) for e in res.events] == [
        ("2026-02-09 22:24", "unknown"), ("2026-02-09 22:25", "debtor")]
    rc, doc, _ = _scan(tmp_path, "dd.txt", text, "--debtor", "阿强")
    assert {(f["source"]["line"], f["category"]) for f in doc["findings"]} == {
        (3, HOURS), (3, "threat.visit")}  # the person's own 滚 is not judged


@pytest.mark.parametrize("text", [  # WhatsApp's text export, Chinese locale and iOS
    "2026/2/9 22:24 - 王经理: 今天不还就上门\n2026/2/9 22:25 - 阿强: 滚，别烦我，老子没钱。\n",
    "[2026/2/9 22:24:00] 王经理: 今天不还就上门\n[2026/2/9 22:25:10] 阿强: 滚，别烦我，老子没钱。\n",
])
def test_whatsapp_lines_keep_their_speakers(tmp_path, text):
    rc, doc, _ = _scan(tmp_path, "wa.txt", text, "--debtor", "阿强")
    assert {(f["source"]["line"], f["category"]) for f in doc["findings"]} == {(1, HOURS), (1, "threat.visit")}


def test_whatsapp_sender_names_are_split_from_the_text_whoever_they_name():
    """A sender WhatsApp writes after a dated stamp and a dash (or a bracketed stamp) is a
    name, not the start of the message — the text is judged without it, and a line after the
    debtor's own is not carried over as the debtor's."""
    text = "2026/2/9 22:24 - 王经理: 今天不还就上门\n2026/2/9 22:25 - 阿强: 滚\n2026/2/9 22:26 - 王经理: 等着\n"
    res = _read("wa.txt", text, debtor="阿强")
    assert [(e.speaker, e.text) for e in res.events] == [
        ("unknown", "今天不还就上门"), ("debtor", "滚"), ("unknown", "等着")]


def test_whatsapp_english_locale_dates():
    us = "[12/3/24, 10:02:11 PM] 王经理: 你等着\n[12/4/24, 8:02:11 AM] 王经理: 今天还钱\n"
    res = _read("wa.txt", us)
    assert [e.time.strftime("%Y-%m-%d %H:%M") for e in res.events] == ["2024-12-03 22:02", "2024-12-04 08:02"]
    assert any("month first" in n for n in res.notes), res.notes
    uk = "03/12/2024, 21:41 - 王经理: 今晚不还明天就去你单位\n15/12/2024, 09:00 - 王经理: 还钱\n"
    res = _read("wa.txt", uk)  # a day over 12 shows the order
    assert [e.time.strftime("%Y-%m-%d %H:%M") for e in res.events] == ["2024-12-03 21:41", "2024-12-15 09:00"]
    assert res.events[0].text == "今晚不还明天就去你单位"
    unsure = "03/12/2024, 21:41 - 王经理: 今晚不还明天就去你单位\n04/12/2024, 09:00 - 王经理: 还钱\n"
    res = _read("wa.txt", unsure)
    assert all(e.time is None for e in res.events)
    assert any("--date-order dmy" in n for n in res.notes), res.notes
    res = _read("wa.txt", unsure, date_order="dmy")
    assert [e.time.strftime("%m-%d %H:%M") for e in res.events] == ["12-03 21:41", "12-04 09:00"]


def test_whatsapp_dashed_and_dotted_year_last_dates():
    """Android's WhatsApp in some locales writes 05-03-2025 21:30 or 05.03.2025 21:30: read like the
    slashed form (a day over 12 tells the order, else --date-order), not left without a time."""
    for sep in "-.":
        text = (f"05{sep}03{sep}2025 21:30 - 速借客服: 今晚不还明天就去你单位找你领导\n"
                f"13{sep}03{sep}2025 09:10 - 速借客服: 您好，请尽快还款\n")
        res = _read("wa.txt", text)
        assert [e.time.strftime("%Y-%m-%d %H:%M") for e in res.events] == ["2025-03-05 21:30", "2025-03-13 09:10"]
        assert res.events[0].text == "今晚不还明天就去你单位找你领导"
        unsure = f"05{sep}03{sep}2025 21:30 - 速借客服: 还钱\n06{sep}03{sep}2025 09:10 - 速借客服: 还钱\n"
        res = _read("wa.txt", unsure)
        assert all(e.time is None for e in res.events) and any("--date-order" in n for n in res.notes), res.notes
        res = _read("wa.txt", unsure, date_order="mdy")
        assert [e.time.strftime("%m-%d") for e in res.events] == ["05-03", "06-03"]

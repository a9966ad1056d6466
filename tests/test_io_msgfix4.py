"""Message exports an independent tester fed the command line (round msg4): typed chats whose
labels name nobody (王经理, 16500001001) after a Chinese date and clock, wrapped lines of a dated
message, iMazing TXT parties and headings, WechatExporter (iOS) HTML pages, a chat page's
``div.time``, LINE's saved chats, and the note for chats with several senders. The inputs are
small ones written here, in the shapes of the tester's files."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from checker.io import read_input, sniff
from checker.model import MessageEvent, Utterance

TZ = ZoneInfo("Asia/Shanghai")


def _read(name: str, text: str, **kw):
    return read_input(name, text.encode("utf-8"), TZ, **kw)


def _scan(tmp_path: Path, name: str, text: str, *args: str) -> tuple[int, dict, str]:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    r = run_cli("scan", str(p), *args, "--format", "json")
    return r.returncode, json.loads(r.stdout or b"{}"), r.stderr.decode()


# --------------------------------------------------------------------------- 1. typed chat labels
@pytest.mark.parametrize("line", [
    "2025/3/4 上午7:40 王经理：你的账单逾期了，今天务必处理。",
    "3月4日 07:40 16500001001：你的账单逾期了，今天务必处理。",
    "2025年3月4日 07:40 速易借1069012345678：你的账单逾期了，今天务必处理。",
    "3月4日 07:40 橙意分期-李专员（微信）：你的账单逾期了，今天务必处理。",
])
def test_a_label_naming_nobody_after_a_date_is_unknown_not_the_line_above(line):
    text = f"2025年3月 聊天记录\n2025年3月3日 10:20 我：回，七点到\n{line}\n2025/3/4 上午9:00 妈妈：吃饭了吗\n"
    res = _read("typed.txt", text)
    assert sniff("typed.txt", text) == "text"
    ev = [e for e in res.events if e.time is not None]
    assert [(e.speaker, e.direction) for e in ev] == [("debtor", "out"), ("unknown", "in"), ("third_party", None)]
    assert ev[1].text == "你的账单逾期了，今天务必处理。" and ev[1].time.strftime("%m-%d %H:%M") == "03-04 07:40"
    assert any("do not say who is the collector" in n for n in res.notes)


def test_the_collector_is_judged_after_the_debtors_line(tmp_path):
    text = "2025年3月5日 22:30 花花贷：不还明天就去你单位找你领导。\n2025年3月5日 22:45 我：我下周发工资就还。\n" \
           "2025年3月6日 07:30 花花贷：今天还不还？\n"
    rc, doc, _ = _scan(tmp_path, "c.txt", text)
    lines = {f["source"]["line"] for f in doc["findings"]}
    assert rc == 1 and lines == {1, 3}


def test_a_timed_line_without_a_label_that_inherits_a_speaker_is_noted():
    text = "2025-03-05 21:00 我：好的\n2025-03-05 21:05 你再不还我们就上门\n2025-03-05 21:06 对方：等着\n"
    res = _read("t.txt", text)
    assert [e.speaker for e in res.events] == ["debtor", "debtor", "collector"]
    assert any("given the speaker of the labelled line above them" in n and "line 2" in n for n in res.notes)


# --------------------------------------------------------------------------- 2. wrapped lines
def test_a_wrapped_line_continues_the_dated_message_at_its_time():
    text = ("2025年3月10日 23:10 对方：最后通知：\n明天之前不还款，我们就把你的欠款信息发到你通讯录里的每一个人。\n"
            "2025年3月11日 14:00 对方：【花花贷】法院传票\n当事人：阿强\n")
    res = _read("m.txt", text)
    assert [(e.source.line, e.time.strftime("%d %H:%M")) for e in res.events] == [(1, "10 23:10"), (3, "11 14:00")]
    assert res.events[0].text.endswith("发到你通讯录里的每一个人。") and res.events[1].text.endswith("当事人：阿强")
    assert res.summary.rows == res.summary.events == 2


def test_one_dated_message_over_lines_is_a_message_not_a_call():
    text = "3月10日 23:10 对方：最后通知：\n明天之前不还款，我们就把你的欠款信息发到你通讯录里的每一个人。\n"
    assert sniff("m.txt", text) == "text"
    res = _read("m.txt", "2025年3月\n" + text)
    msgs = [e for e in res.events if e.time is not None]
    assert all(isinstance(e, MessageEvent) for e in res.events) and len(msgs) == 1 and "通讯录" in msgs[0].text


def test_a_call_transcript_keeps_its_unlabelled_lines_as_turns():
    text = "[2026-10-14 10:30:05] 对方：喂\n[2026-10-14 10:30:12] 我：你好\n还在吗\n"
    res = _read("call.txt", text)
    assert all(isinstance(e, Utterance) for e in res.events) and len(res.events) == 3


# --------------------------------------------------------------------------- 3. iMazing TXT
IMAZING = ("Messages with 16500001001\n\nMar 14, 2025 10:20:00 PM\nFrom: 16500001001 (16500001001) (SMS)\n\n"
           "晚上走路看着点，回电4008001234。\n\n----------------------------------------------------\n\n"
           "Messages with 花花贷\n\nMar 14, 2025 10:25:00 PM\nFrom: +86 165 0000 1002 (+8616500001002) (SMS)\n\n"
           "我们明天就去你单位。\n\nMar 14, 2025 10:30:00 PM\nTo: +86 165 0000 1002 (+8616500001002) (SMS)\n\n"
           "别再发了。\n\nMessages with 10086\n\nMar 15, 2025 9:00:00 AM\nFrom: 10086 (SMS)\n\n话费余额不足。\n")


def test_imazing_parties_headings_and_directions():
    assert sniff("im.txt", IMAZING) == "sms-text"
    res = _read("im.txt", IMAZING)
    s = res.summary
    assert (s.rows, s.events, s.filtered, len(s.rejected)) == (7, 4, 3, 0)  # three 'Messages with' headings
    assert [(e.direction, e.from_ or e.to) for e in res.events] == [
        ("in", "16500001001"), ("in", "16500001002"), ("out", "16500001002"), ("in", "10086")]


def test_a_one_block_imazing_file_is_still_imazing():
    text = "Mar 14, 2025 10:20:00 PM\nFrom: 速易借 (1069012345678) (SMS)\n\n小心点，晚上走路看着点。\n"
    assert sniff("one.txt", text) == "sms-text"
    res = _read("one.txt", text)
    assert [(e.from_, e.time.strftime("%H:%M")) for e in res.events] == [("1069012345678", "22:20")]


# --------------------------------------------------------------------------- 4 / 5. HTML chats
WXEXP = """<!doctype html><html><head><meta charset="utf-8"><title>速易借-王经理 - 微信聊天记录</title></head><body>
<div class="msg chat-left " msgid="1" msgtype="1">
  <div class="avatar-box"><img src="Portrait/a.jpg" class="avatar"></div>
  <div class="nt-box"><span class="name-left">速易借-王经理</span> 2025-03-15 23:30:00</div>
  <div class="content-box msg"><div class="triangle"></div>
    <span class="dont-break-out">明天不还款我们就上门找你。</span></div>
</div>
<div class="msg chat-right " msgid="2" msgtype="1">
  <div class="avatar-box"><img src="Portrait/me.jpg" class="avatar"></div>
  <div class="nt-box"><span class="name-right">阿强</span> 2025-03-15 23:40:00</div>
  <div class="content-box msg"><div class="triangle"></div>
    <span class="dont-break-out">你们上门我就报警。</span></div>
</div>
<div class="msg chat-left " msgid="3" msgtype="3">
  <div class="nt-box"><span class="name-left">速易借-王经理</span> 2025-03-16 08:00:00</div>
  <div class="content-box msg"><img src="Media/1.jpg"></div>
</div>
</body></html>"""


def test_wechatexporter_pages_are_read_as_a_wechat_chat(tmp_path):
    res = _read("wx.html", WXEXP)
    s = res.summary
    assert (s.format, s.rows, s.events, s.filtered) == ("wechat-html", 3, 2, 1)  # the picture is filtered
    assert [(e.direction, e.speaker, e.channel, e.time.strftime("%H:%M")) for e in res.events] == [
        ("in", "unknown", "wechat", "23:30"), ("out", "debtor", "wechat", "23:40")]
    assert res.events[0].from_ == "速易借-王经理" and res.events[0].text == "明天不还款我们就上门找你。"
    rc, doc, _ = _scan(tmp_path, "wx.html", WXEXP)
    assert rc == 1 and {f["record"].rsplit("/", 1)[-1] for f in doc["findings"]} == {res.events[0].id}


def test_a_time_div_inside_each_message_is_read_and_an_unreadable_one_is_noted():
    page = ('<html><body><div class="container">'
            '<div class="msg chat"><div class="time">2025-03-15 23:30:00</div><div class="left">'
            '<div class="content"><div class="name">王经理</div><div class="msg-text">上门找你</div></div></div></div>'
            '<div class="msg chat"><div class="time">昨天晚上</div><div class="left">'
            '<div class="content"><div class="name">王经理</div><div class="msg-text">等着</div></div></div></div>'
            '</div></body></html>')
    res = _read("c.html", page)
    assert [(e.time and e.time.strftime("%m-%d %H:%M"), e.text) for e in res.events] == [
        ("03-15 23:30", "上门找你"), (None, "等着")]
    assert any("could not be read" in n and "昨天晚上" in n for n in res.notes)


# --------------------------------------------------------------------------- 6. LINE
LINE_TW = ("[LINE] 與速易借-王经理的聊天記錄\n儲存日期：2025/03/23 10:00\n\n\n2025/03/15（六）\n"
           "23:30\t速易借-王经理\t你个骗子，不还钱全家死光。\n23:40\t阿强\t你说全家死光，我已经截图报警了。\n\n"
           "2025/03/16（日）\n下午2:05\t速易借-王经理\t\"还款流程：\n1. 打开APP\n2. 确认金额\"\n")
LINE_EN = ("[LINE] Chat history with 速易借-王经理\nSaved on: 2025/03/23, 10:00\n\nWed, 03/05/2025\n"
           "22:40\t速易借-王经理\t明天不还款，我们会给你的紧急联系人打电话。\n22:41\t速易借-王经理\t[Sticker]\n")


def test_line_zh_tw_export_is_a_chat_one_message_a_line():
    assert sniff("line.txt", LINE_TW) == "wechat-text"
    res = _read("line.txt", LINE_TW)
    assert [(e.source.line, e.time.strftime("%m-%d %H:%M"), e.direction, e.speaker, e.channel)
            for e in res.events] == [(6, "03-15 23:30", "in", "unknown", "wechat"),
                                     (7, "03-15 23:40", "out", "debtor", "wechat"),
                                     (10, "03-16 14:05", "in", "unknown", "wechat")]
    assert res.events[0].from_ == "速易借-王经理" and res.events[2].text == "还款流程：\n1. 打开APP\n2. 确认金额"
    assert not any("儲存日期" in (e.text or "") for e in res.events)
    assert any("阿强" in n and "not judged" in n for n in res.notes)


def test_line_english_export_and_debtor_name(tmp_path):
    res = _read("line_en.txt", LINE_EN)
    assert (res.summary.events, res.summary.filtered) == (1, 1)  # the sticker is not text
    assert res.events[0].time.strftime("%Y-%m-%d %H:%M") == "2025-03-05 22:40"  # month first, a Wednesday
    assert not any("Saved on" in (e.text or "") for e in res.events)
    res = _read("line.txt", LINE_TW, debtor="阿强")
    assert [e.speaker for e in res.events] == ["unknown", "debtor", "unknown"]
    rc, doc, _ = _scan(tmp_path, "line.txt", LINE_TW, "--debtor", "阿强")
    assert rc == 1 and 7 not in {f["source"]["line"] for f in doc["findings"]}


def test_line_clocks_are_read_as_the_other_readers_read_them():
    text = ("[LINE] Chat history with 王经理\nSaved on: 2025/03/23, 10:00\n\nSat, 03/15/2025\n"
            "11:30 PM\t王经理\t明天去你单位。\n12:05 AM\t王经理\t还钱\n25:70\t王经理\t快点\n")
    res = _read("line_pm.txt", text)
    assert [e.time and e.time.strftime("%H:%M") for e in res.events] == ["23:30", "00:05", None]
    assert any("no time of day" in n and "line 7" in n for n in res.notes)


# --------------------------------------------------------------------------- 7. several senders
def test_a_chat_with_several_senders_leads_with_debtor():
    text = ("2025-03-05 10:00:00 速易借-王经理\n你好\n\n2025-03-05 10:05:00 阿强\n好的\n\n"
            "2025-03-06 10:00:00 橙意分期-李专员\n还钱\n\n2025-03-06 10:10:00 小刘\n周末聚餐\n")
    res = _read("memo.txt", text)
    note = next(n for n in res.notes if "do not say who is the collector" in n)
    assert note.index("--debtor YOUR_NAME") < note.index("--collector-speaker")
    two = _read("two.txt", "2025-03-05 10:00:00 王华\n你好\n\n2025-03-05 10:05:00 阿强\n好的\n")
    note = next(n for n in two.notes if "do not say who is the collector" in n)
    assert note.index("--collector-speaker") < note.index("--debtor")
    # two senders, one of them named as an agent (王经理): read as the collector, with a note (checker.roles)
    two = _read("two.txt", "2025-03-05 10:00:00 王经理\n你好\n\n2025-03-05 10:05:00 阿强\n好的\n")
    assert [e.speaker for e in two.events] == ["collector", "debtor"]
    assert any("王经理's name reads as the lender's or agency's" in n for n in two.notes)

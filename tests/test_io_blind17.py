"""Exports an outside tester made in the seventeenth session, in the shapes the apps write, that
collcheck misread: a MemoTrace TXT chat with the app's withdrawal line stamped like a header, a
WechatExporter page's centred withdrawal notice, a 中国联通 bill's count line under its total, and a
QQ chat whose debtor stands up to a threat (你这是威胁，我已经截图报警了). Each test fails on the
code before its fix."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import run_cli

from checker.io import read_input, sniff
from checker.model import MessageEvent

TZ = ZoneInfo("Asia/Shanghai")
HOURS = "contact.inconvenient_time"


def _scan(path: Path, *args: str) -> tuple[dict, str]:
    p = run_cli("scan", str(path), *args, "--format", "json")
    return json.loads(p.stdout or b"{}"), p.stderr.decode()


def _by_line(doc: dict) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for f in doc["findings"]:
        out.setdefault(f["source"]["line"], set()).add(f["category"])
    return out


MEMOTRACE_TXT = """2025-10-01 10:00:00 陈律师
李强先生您好，我是花花贷委托的律师，您在花花贷的借款8,600元已逾期60天。

2025-10-01 10:05:12 阿强
我知道，现在失业了

2025-10-01 22:30:45 陈律师
失业不是理由，我们已经向你户籍地派出所报案了，你等着坐牢吧

2025-10-01 22:35:00 "陈律师" 撤回了一条消息

2025-10-02 08:30:00 阿强
你们这是违法的

2025-10-03 10:00:00 阿强
你说的报案是真的吗
引用:陈律师:失业不是理由，我们已经向你户籍地派出所报案了，你等着坐牢吧

2025-10-03 21:05:00 陈律师
你全家都不得好死
"""


def test_a_memotrace_withdrawal_line_stamped_like_a_header_is_the_apps_line(tmp_path):
    """MemoTrace TXT writes a withdrawn message as `TIME "NAME" 撤回了一条消息`. It had made the file
    fail the chat sniffing (read as plain text: every block an SMS, the debtor's reply judged, the
    withdrawal a night-time message). Now: a WeChat chat, the line filtered, the roles read."""
    f = tmp_path / "chat.txt"
    f.write_text(MEMOTRACE_TXT, encoding="utf-8")
    assert sniff(f.name, MEMOTRACE_TXT) == "wechat-text"
    res = read_input(f.name, f.read_bytes(), TZ)
    assert not res.rejected
    assert res.summary.filtered == 1
    msgs = [e for e in res.events if isinstance(e, MessageEvent)]
    assert len(msgs) == 6 and {m.channel for m in msgs} == {"wechat"}
    doc, err = _scan(f)
    lines = _by_line(doc)
    assert "撤回了一条消息" in err and "陈律师's lines are judged as the collector's" in err
    assert 10 not in lines  # the withdrawal line: no message at night
    assert {HOURS, "false_legal.consequence"} <= lines[7]
    assert 12 not in lines and 15 not in lines  # the debtor's replies, the quoted threat included
    assert {HOURS, "abuse.insult"} <= lines[19]


def test_a_quoted_message_in_a_reply_is_not_the_senders_words(tmp_path):
    """引用:NAME:… under a reply repeats an earlier message: with the roles given the other way
    round (so 阿强's lines are judged), the quotation of the threat is still not 阿强's."""
    f = tmp_path / "chat.txt"
    f.write_text(MEMOTRACE_TXT, encoding="utf-8")
    doc, _err = _scan(f, "--collector-speaker", "阿强")
    assert 15 not in _by_line(doc)
    res = read_input(f.name, f.read_bytes(), TZ)
    reply = next(e for e in res.events if e.text and e.text.startswith("你说的报案"))
    assert "坐牢" not in reply.text


WECHATEXPORTER = """<html><head><title>与 鑫瑞金融-赵专员 的聊天记录</title></head><body>
<div class="msg chat-left" msgid="1" msgtype="1">
<div class="nt-box"><span class="name-left">鑫瑞金融-赵专员</span> 2025-11-06 07:05:00</div>
<div class="content-box msg"><span class="dont-break-out">起床了没？钱呢？</span></div>
</div>
<div class="msg chat-notice" msgid="2">
<span class="dont-break-out">系统消息："鑫瑞金融-赵专员" 撤回了一条消息</span></div>
<div class="msg chat-right" msgid="3" msgtype="1">
<div class="nt-box"><span class="name-right">我</span> 2025-11-06 09:00:00</div>
<div class="content-box msg"><span class="dont-break-out">下午还</span></div>
</div>
</body></html>
"""


def test_a_wechatexporter_centred_notice_is_not_a_message(tmp_path):
    """WechatExporter puts the withdrawal notice in a div.msg.chat-notice around the same text box
    a message has: it had been read as the collector's message at the time above it (07:05), a
    second night-time contact."""
    f = tmp_path / "chat.html"
    f.write_text(WECHATEXPORTER, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    msgs = [e for e in res.events if isinstance(e, MessageEvent)]
    assert [m.text for m in msgs] == ["起床了没？钱呢？", "下午还"]
    assert res.summary.filtered == 1 and not res.rejected
    doc, _err = _scan(f)
    assert sum(1 for x in doc["findings"] if x["category"] == HOURS) == 1


def test_a_bills_count_line_under_its_total_is_filtered_not_rejected(tmp_path):
    """中国联通's export ends 合计 … then 共12条记录: a count line, filtered like the total (it had
    been rejected for having no time, so --strict failed the bill)."""
    head = "序号,起始时间,通话时长,呼叫类型,对方号码,通话地点,对方归属地,通话类型,基本通话费,总费用\n"
    rows = "".join(f"{i},2025-07-1{i} 0{i}:00:00,00:01:00,被叫,1718888000{i},广东广州,未知,本地通话,0.00,0.00\n"
                   for i in range(1, 4))
    f = tmp_path / "unicom.csv"
    f.write_text(head + rows + "合计,,00:03:00,,,,,,,0.00\n共3条记录,,,,,,,,,\n", encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert not res.rejected
    assert res.summary.filtered == 2 and len(res.events) == 3


def test_a_debtor_standing_up_to_a_threat_answers_as_a_debtor(tmp_path):
    """A QQ chat where the agent introduces the lender and the other only promises to pay part and
    says 你这是威胁，我已经截图报警了: the second is the debtor (their 07:30 reply is not judged)."""
    text = ("消息记录（此消息记录为文本格式，不支持重新导入）\n\n" + "=" * 64 + "\n消息分组:我的好友\n" + "=" * 64
            + "\n消息对象:小刘\n" + "=" * 64 + "\n\n"
            "2025-12-01 9:12:33 小刘\n您好，我是安信消费金融的刘专员，您的账单已逾期45天，请问什么时候可以处理？\n\n"
            "2025-12-01 9:20:10 强子\n这周五可以还一部分\n\n"
            "2025-12-06 7:02:11 小刘\n别装死，不还钱我就找人去你家门口泼油漆\n\n"
            "2025-12-06 7:30:00 强子\n你这是威胁，我已经截图报警了\n")
    f = tmp_path / "qq.txt"
    f.write_text(text, encoding="utf-8")
    doc, err = _scan(f)
    lines = _by_line(doc)
    assert "小刘's lines are judged as the collector's" in err
    assert {HOURS, "threat.violence"} <= lines[15]
    assert 18 not in lines


# ------------------------------------------------------------------ a second tester's exports
SUPER_CALLS = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<alllogs count="4">
  <log number="+8617012340001" time="2025年3月8日 上午8:30:00" date="1741393800000" type="2" name="" new="1" dur="45" />
  <log number="17012340001" time="2025年3月7日 下午11:10:33" date="1741360233000" type="1" name="" new="1" dur="95" />
  <log number="13800001111" time="2025年3月6日 下午1:00:00" date="1741237200000" type="1" name="妈妈" dur="300" />
  <log number="02158889999" time="2025年3月6日 上午6:55:00" date="1741215300000" type="3" name="" new="1" dur="0" />
</alllogs>
"""


def test_super_backup_call_log_xml_is_read_like_an_android_backup(tmp_path):
    """超级备份 writes <alllogs><log number date type dur name/>: it had been refused as an unknown
    XML file. The Android type codes, the epoch date, ``dur`` and the saved contact ``name`` apply."""
    f = tmp_path / "超级备份_通话记录.xml"
    f.write_text(SUPER_CALLS, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert res.summary.format == "calllog-xml" and not res.rejected
    calls = sorted(res.events, key=lambda e: e.time)
    assert [(c.direction, c.status, c.duration_s) for c in calls] == [
        ("in", "missed", 0), ("in", "answered", 300), ("in", "answered", 95), ("out", "answered", 45)]
    assert calls[2].time.isoformat() == "2025-03-07T23:10:33+08:00"
    doc, _err = _scan(f)
    night = {x["record"] for x in doc["findings"] if x["category"] == HOURS}
    assert len(night) == 2  # 23:10 and 06:55; the mother's call is her own (a saved contact)


def test_super_backup_sms_name_is_the_saved_contact(tmp_path):
    """超级备份's <sms … name="妈妈"/>: the mother's message is a saved contact's, not judged."""
    xml = ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<allsms count=\"2\">\n"
           '  <sms address="13800001111" date="1741348845000" type="1" body="儿子，今天又有人打电话到家里说你欠钱，'
           '快给我回电话" read="1" name="妈妈" />\n'
           '  <sms address="17012340001" date="1741441200000" type="1" body="今天必须还清，不然明天就去你公司找你领导" '
           'read="1" name="" />\n</allsms>\n')
    f = tmp_path / "超级备份_短信.xml"
    f.write_text(xml, encoding="utf-8")
    doc, _err = _scan(f)
    assert {x["source"]["line"] for x in doc["findings"]} == {4}


SCREENSHOTS = """23:07
.ll 5G 63
<
+86 170 1234 0007 >
短信/彩信
2025年3月20日 周四 下午9:15
李明你好，我是融信资产的，你在安心借的欠款已经逾期30天了，今天必须处理。
2025年3月20日 周四 下午11:05
你就是个废物，连这点钱都还不上
7:12
.ll 5G 58
<
+86 170 1234 0007 >
3月21日 周五 上午10:00
李先生您好，如需协商还款方案请回复本短信，我们将为您登记。
"""


def test_a_screenshots_status_bar_clock_is_not_a_message(tmp_path):
    """Text copied out of two screenshots: the second one's status-bar clock (7:12, then the
    signal line) had become a message at 07:12 — a night-time contact that never happened."""
    f = tmp_path / "短信截图_提取文字.txt"
    f.write_text(SCREENSHOTS, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    times = sorted(e.time.strftime("%m-%d %H:%M") for e in res.events)
    assert times == ["03-20 21:15", "03-20 23:05", "03-21 10:00"]
    assert res.summary.filtered == 9 and not res.rejected


def test_an_sms_apps_json_lines_are_read_as_its_rows_not_as_batch_records(tmp_path):
    """An Android SMS app's messages.ndjson (one message object a line, no ``channel``) had been
    taken for the batch contract and every row rejected. Its rows are read like a JSON array's:
    type 1 received / 2 sent / 5 failed (filtered), the epoch date, ``__display_name`` the saved
    contact — and the command line does not stream it as a batch."""
    from checker.batch import looks_jsonl

    rows = [
        {"_id": "100", "address": "+8617012340005", "date": "1743517865000", "type": "1",
         "body": "今晚12点前不处理，我们就把你的欠款信息发到你的朋友圈和通讯录所有人。"},
        {"_id": "101", "address": "+8617012340005", "date": "1743518417000", "type": "2", "body": "我明天中午前处理"},
        {"_id": "102", "address": "13900001111", "date": "1743589200000", "type": "1", "__display_name": "王伟",
         "body": "小李，你那个借钱的事情人家都打到我单位来了，你赶紧处理一下"},
        {"_id": "103", "address": "17012340006", "date": "1743590000000", "type": "5", "body": "未发出"},
    ]
    f = tmp_path / "messages-2025-04-05.ndjson"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    assert not looks_jsonl(str(f))
    res = read_input(f.name, f.read_bytes(), TZ)
    assert res.summary.format == "messages" and not res.rejected
    assert [(e.direction, e.speaker) for e in res.events] == [("in", "unknown"), ("out", "debtor"), ("in", "unknown")]
    assert res.summary.filtered == 1  # the failed send
    assert res.contact_names  # the friend's saved name, which the scan uses (below)
    doc, err = _scan(f)
    assert {x["source"]["line"] for x in doc["findings"]} == {1}, err
    # a batch of the contract's records stays a batch
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"id": "r1", "channel": "sms", "text": "你好"}) + "\n", encoding="utf-8")
    assert looks_jsonl(str(batch))


def test_whatsapps_iphone_export_is_a_chat_not_a_call_transcript(tmp_path):
    """WhatsApp on an iPhone stamps each message to the second ([2026/2/9 下午10:20:15] 王经理: …) and
    marks its notices with U+200E. Messages seconds apart in bursts had made it read as a call's
    transcript — each burst a phantom answered call. It is a chat (messages), its encryption
    notice filtered, the debtor's own messages not judged once the roles are read."""
    text = ("[2026/2/9 下午10:20:15] 王经理: \u200e消息和通话已进行端到端加密。\r\n"
            "[2026/2/9 下午10:20:15] 王经理: 李先生您好，我是鼎盛资产管理的王经理，受托处理您在Atome的逾期账单。\r\n"
            "[2026/2/9 下午10:21:40] 王经理: 今晚之内必须给我答复，否则我们会联系你通讯录里的所有人。\r\n"
            "[2026/2/9 下午10:30:02] 李明: 我在想办法，请不要联系我家人\r\n"
            "[2026/2/10 上午7:02:11] 王经理: \u200e未接语音通话\r\n"
            "[2026/2/10 上午7:06:30] 王经理: 再装死试试，废物\r\n")
    f = tmp_path / "_chat.txt"
    f.write_text(text, encoding="utf-8")
    assert sniff(f.name, text) == "text"
    res = read_input(f.name, f.read_bytes(), TZ)
    assert all(isinstance(e, MessageEvent) for e in res.events)
    assert res.summary.filtered == 1  # the encryption notice
    doc, err = _scan(f)
    lines = _by_line(doc)
    assert "王经理's lines are judged as the collector's" in err
    assert 4 not in lines  # 李明's own message at 22:30
    assert {HOURS, "abuse.insult"} <= lines[6]
    assert not any(x["category"] == "contact.excessive_frequency" for x in doc["findings"])


def test_a_title_typed_above_a_copied_wechat_chat_is_not_a_rejected_row(tmp_path):
    """WeChat PC's 多选复制 pasted under a title the person typed (和速易借王经理的微信聊天（电脑版多选复制的）):
    the title is not a data row — like a 聊天记录 title — rather than a rejected line."""
    text = ("和速易借王经理的微信聊天（电脑版多选复制的）\n\n"
            "速易借-王经理 2025/3/18 22:15\n李明，今天是最后期限了，你到底还不还？\n\n"
            "李明 2025/3/18 22:20\n我这周五还一部分\n")
    f = tmp_path / "微信电脑版复制.txt"
    f.write_text(text, encoding="utf-8")
    assert sniff(f.name, text) == "wechat-text"
    res = read_input(f.name, f.read_bytes(), TZ)
    assert not res.rejected and len(res.events) == 2


def test_a_batch_record_missing_its_channel_is_still_a_batch_record(tmp_path):
    """Only rows with none of the batch contract's keys are an app's rows: a batch whose records
    lack ``channel`` but carry ``speaker`` / ``case`` stays a batch, each row rejected with why."""
    from checker.batch import looks_jsonl

    f = tmp_path / "qa.jsonl"
    f.write_text("\n".join(json.dumps({"id": f"r{i}", "speaker": "collector", "case": "k1", "text": "请还款"})
                           for i in range(3)) + "\n", encoding="utf-8")
    assert looks_jsonl(str(f))
    res = read_input(f.name, f.read_bytes(), TZ)
    assert len(res.rejected) == 3 and all("channel" in r.reason for r in res.rejected)

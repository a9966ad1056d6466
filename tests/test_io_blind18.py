"""Exports in the shapes phones and apps write that collcheck misread, found by outside testers in
the eighteenth session (and gaps the seventeenth session's testers left): WhatsApp senders whose
saved names hold a space. Each test fails on the code before its fix."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import run_cli

from checker.io import read_input

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


def test_whatsapp_senders_whose_names_hold_a_space_are_senders(tmp_path):
    """WhatsApp writes the name saved in the phone (Ming Li, 王经理 鼎盛). A name with a space had
    not been read as a sender: every line was text without a label, the debtor's own messages
    judged (a night-time finding for Ming Li's reply) and the collector's name quoted as evidence.
    Now both are senders, the roles read from what they say."""
    text = ("[2026/2/9 下午10:20:15] 王经理 鼎盛: \u200e消息和通话已进行端到端加密。\r\n"
            "[2026/2/9 下午10:20:15] 王经理 鼎盛: 李先生您好，我是鼎盛资产管理的王经理，受托处理您的逾期账单。\r\n"
            "[2026/2/9 下午10:21:40] 王经理 鼎盛: 今晚之内必须给我答复，否则我们会联系你通讯录里的所有人\r\n"
            "[2026/2/9 下午10:30:02] Ming Li: 我在想办法，请不要联系我家人\r\n"
            "[2026/2/10 上午7:06:30] 王经理 鼎盛: 再装死试试，废物\r\n"
            "[2026/2/10 下午2:00:00] Ming Li: 我问了朋友: 下周能借到\r\n")
    f = tmp_path / "_chat.txt"
    f.write_text(text, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert res.summary.filtered == 1 and not res.rejected
    assert [e.text for e in res.events][-1] == "我问了朋友: 下周能借到"
    assert all("王经理 鼎盛:" not in e.text for e in res.events)
    doc, err = _scan(f)
    lines = _by_line(doc)
    assert "王经理 鼎盛's lines are judged as the collector's" in err
    assert 4 not in lines and 6 not in lines  # Ming Li's own messages
    assert {HOURS, "contact.third_party"} <= lines[3]
    assert {HOURS, "abuse.insult"} <= lines[5]
    assert all("王经理 鼎盛:" not in x["evidence"] for x in doc["findings"])


def test_an_iphone_sms_db_query_is_read_without_columns(tmp_path):
    """A query of an iPhone's sms.db (DB Browser for SQLite: date converted to local time, handle.id,
    message.is_from_me) had been refused for its header. Its date_local is the time, handle.id the
    other party's number and is_from_me the direction: the person's own messages are not judged."""
    text = ("date_local,text,id,is_from_me,service\n"
            "2025-05-10 21:15:02,您好，这里是恒信资产，受托处理您在借呗的逾期账单。,+8617155550001,0,SMS\n"
            "2025-05-10 21:20:44,知道了，我下周还，别再半夜打了,+8617155550001,1,SMS\n"
            "2025-05-10 22:30:10,明天再不还，我们直接上门，顺便跟你爸妈好好聊聊。,+8617155550001,0,SMS\n"
            "2025-05-11 12:00:00,妈，我这边没事,+8613900001111,1,iMessage\n")
    f = tmp_path / "sms_query.csv"
    f.write_text(text, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert not res.rejected and len(res.events) == 4
    assert [e.direction for e in res.events] == ["in", "out", "in", "out"]
    assert res.events[0].from_ == "+8617155550001"
    doc, _err = _scan(f)
    lines = _by_line(doc)
    assert set(lines) == {2, 4}
    assert {HOURS, "threat.visit", "contact.third_party"} <= lines[4]


def test_an_id_column_elsewhere_is_not_a_number(tmp_path):
    """Only beside is_from_me is an id column the other party: a message table's own row id stays
    unread (its 1, 2, 3 are not phone numbers)."""
    text = ("id,时间,号码,内容\n"
            "1,2025-05-10 22:30:10,17155550001,明天再不还，我们直接上门\n")
    f = tmp_path / "msgs.csv"
    f.write_text(text, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert res.events[0].from_ == "17155550001"

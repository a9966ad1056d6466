"""Phone and chat-app databases (SQLite) are read like a workbook: Android mmssms.db and
calllog.db, an iPhone's sms.db and CallHistory.storedata, WeChat's decrypted EnMicroMsg.db
and MSG.db. Other databases and damaged files are clear errors."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from checker.io import InputError, open_path, read_input
from checker.io.sqlite import attributed_text
from checker.model import CallEvent, MessageEvent

TZ = ZoneInfo("Asia/Shanghai")
NIGHT = datetime(2025, 3, 5, 13, 30, tzinfo=timezone.utc)  # 21:30 in Shanghai
MS = int(NIGHT.timestamp() * 1000)
APPLE = NIGHT - datetime(2001, 1, 1, tzinfo=timezone.utc)


def _db(tmp_path: Path, name: str, ddl: str, inserts: list[tuple[str, list[tuple]]]) -> bytes:
    path = tmp_path / name
    con = sqlite3.connect(path)
    con.executescript(ddl)
    for sql, rows in inserts:
        con.executemany(sql, rows)
    con.commit()
    con.close()
    return path.read_bytes()


def _android_sms(tmp_path: Path) -> bytes:
    return _db(tmp_path, "mmssms.db",
               "create table sms(_id integer primary key, thread_id int, address text, date int, type int, body text)",
               [("insert into sms(_id, address, date, type, body) values (?, ?, ?, ?, ?)", [
                   (1, "13912345678", MS, 1, "再不还钱明天就去你单位找你领导"),
                   (2, "13912345678", MS + 60_000, 2, "我下周还"),
                   (3, "13912345678", MS + 90_000, 3, "一条没发出去的草稿"),
                   (4, "95588", MS - 36_000_000, 1, "【某银行】您的账单已出，请按时还款。"),
               ])])


def test_android_sms_database(tmp_path):
    data = _android_sms(tmp_path)
    r = read_input("mmssms.db", data, TZ)
    assert r.summary.sha256 == hashlib.sha256(data).hexdigest()
    assert [e.source.line for e in r.events] == [2, 3, 5]  # line 1 is the column names; the draft is line 4
    assert all(isinstance(e, MessageEvent) and e.channel == "sms" for e in r.events)
    first, reply, bank = r.events
    assert first.time.astimezone(TZ).strftime("%Y-%m-%d %H:%M") == "2025-03-05 21:30"
    assert first.direction == "in" and first.text.startswith("再不还钱") and first.from_ == "13912345678"
    assert reply.direction == "out" and reply.speaker == "debtor"
    assert bank.time.astimezone(TZ).hour == 11
    assert r.summary.filtered == 1 and r.summary.rows == 4
    assert any("table sms" in n and "row-id order" in n for n in r.notes), r.notes


def test_android_call_log_database(tmp_path):
    data = _db(tmp_path, "calllog.db",
               "create table calls(_id integer primary key, number text, date int, duration int, type int, name text)",
               [("insert into calls values (?, ?, ?, ?, ?, ?)", [
                   (1, "13912345678", MS, 35, 1, None),
                   (2, "13912345678", MS + 600_000, 0, 3, None),
                   (3, "13800000001", MS - 36_000_000, 120, 2, "妈妈"),
               ])])
    r = read_input("calllog.db", data, TZ)
    calls = r.events
    assert all(isinstance(e, CallEvent) for e in calls) and len(calls) == 3
    assert (calls[0].direction, calls[0].status, calls[0].duration_s) == ("in", "answered", 35)
    assert calls[1].direction == "in" and calls[1].status == "missed"
    assert calls[2].direction == "out" and r.contact_names.get("13800000001") == {"妈妈"}


def test_iphone_messages_database_reads_text_and_attributed_body(tmp_path):
    words = "我们已经联系你老婆了".encode()
    blob = (b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84\x84\x08NSObject"
            b"\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+" + bytes([len(words)]) + words + b"\x86\x84\x02iI")
    assert attributed_text(blob) == "我们已经联系你老婆了"
    ns = int(APPLE.total_seconds() * 1e9)
    data = _db(tmp_path, "sms.db",
               "create table handle(ROWID integer primary key, id text); create table message(ROWID integer primary "
               "key, text text, attributedBody blob, handle_id int, date int, is_from_me int)",
               [("insert into handle values (?, ?)", [(1, "+8613912345678")]),
                ("insert into message values (?, ?, ?, ?, ?, ?)", [
                    (1, "再不还就让你全家知道", None, 1, ns, 0),
                    (2, None, blob, 1, ns + 60 * 10**9, 0),
                    (3, "别联系我家人", None, 1, ns + 120 * 10**9, 1),
                ])])
    r = read_input("sms.db", data, TZ)
    texts = [(e.direction, e.text) for e in r.events]
    assert texts == [("in", "再不还就让你全家知道"), ("in", "我们已经联系你老婆了"), ("out", "别联系我家人")]
    assert r.events[0].time.astimezone(TZ).strftime("%H:%M") == "21:30"


def test_iphone_call_history(tmp_path):
    secs = APPLE.total_seconds()
    data = _db(tmp_path, "CallHistory.storedata",
               "create table ZCALLRECORD(Z_PK integer primary key, ZADDRESS blob, ZDATE real, ZDURATION real, "
               "ZORIGINATED int, ZANSWERED int)",
               [("insert into ZCALLRECORD values (?, ?, ?, ?, ?, ?)", [
                   (1, b"13912345678", secs, 42.4, 0, 1),
                   (2, b"13912345678", secs + 600, 0.0, 0, 0),
                   (3, "13800000001", secs + 900, 10.0, 1, 1),
               ])])
    r = read_input("CallHistory.storedata", data, TZ)
    got = [(e.direction, e.status, e.duration_s) for e in r.events]
    assert got[0] == ("in", "answered", 42) and got[1][:2] == ("in", "missed") and got[2][0] == "out"
    assert r.events[1].time.astimezone(TZ).strftime("%H:%M") == "21:40"


def test_wechat_android_database_names_and_groups(tmp_path):
    data = _db(tmp_path, "EnMicroMsg.db",
               "create table message(msgId integer primary key, type int, isSend int, createTime int, talker text, "
               "content text); create table rcontact(username text, conRemark text, nickname text)",
               [("insert into rcontact values (?, ?, ?)", [("wxid_abc", "催收王经理", "王经理"),
                                                          ("wxid_mom", "妈", "")]),
                ("insert into message values (?, ?, ?, ?, ?, ?)", [
                    (1, 1, 0, MS, "wxid_abc", "今晚不还，明天我们的人就到你家门口"),
                    (2, 1, 1, MS + 60_000, "wxid_abc", "你别去我家"),
                    (3, 10000, 0, MS + 90_000, "wxid_abc", "你已添加了王经理"),
                    (4, 1, 0, MS + 120_000, "123@chatroom", "wxid_mom:\n儿子你欠钱了？"),
                ])])
    r = read_input("EnMicroMsg.db", data, TZ)
    assert [e.channel for e in r.events] == ["wechat"] * 3 and r.summary.filtered == 1
    first, mine, group = r.events
    assert first.from_ == "催收王经理" and first.direction == "in"
    assert mine.speaker == "debtor" and mine.direction == "out"
    assert group.from_ == "妈" and group.text == "儿子你欠钱了？"


def test_wechat_windows_database(tmp_path):
    data = _db(tmp_path, "MSG0.db",
               "create table MSG(localId integer primary key, Type int, IsSender int, CreateTime int, StrTalker text, "
               "StrContent text)",
               [("insert into MSG values (?, ?, ?, ?, ?, ?)", [
                   (1, 1, 0, MS // 1000, "wxid_abc", "你个老赖，等着坐牢吧"),
                   (2, 1, 1, MS // 1000 + 60, "wxid_abc", "我会还的"),
               ])])
    r = read_input("MSG0.db", data, TZ)
    assert [(e.direction, e.text) for e in r.events] == [("in", "你个老赖，等着坐牢吧"), ("out", "我会还的")]
    assert r.events[0].time.astimezone(TZ).strftime("%H:%M") == "21:30"


def test_unknown_and_damaged_databases_are_clear_errors(tmp_path):
    other = _db(tmp_path, "notes.db", "create table notes(id int, body text)", [])
    with pytest.raises(InputError) as e:
        read_input("notes.db", other, TZ)
    assert "its tables: notes" in str(e.value) and "mmssms.db" in str(e.value)
    with pytest.raises(InputError) as e:
        read_input("EnMicroMsg.db", b"SQLite format 3\x00" + b"\x00" * 80, TZ)
    assert "decrypted" in str(e.value)
    with pytest.raises(InputError) as e:
        read_input("mmssms.db", _android_sms(tmp_path), TZ, input_format="transcript")
    assert "SQLite database cannot be read as transcript" in str(e.value)


def test_database_on_the_command_line(tmp_path):
    _android_sms(tmp_path)
    path = tmp_path / "mmssms.db"
    streamed = list(open_path(str(path), TZ))
    assert [e.source.line for e in streamed] == [2, 3, 5]
    p = run_cli("scan", str(path), "--format", "jsonl")
    err = p.stderr.decode()
    assert p.returncode == 1 and "Traceback" not in err, err
    out = p.stdout.decode()
    assert "contacted_workplace" in out and "mmssms.db:2" in out and "inconvenient_time" in out


def test_write_ahead_log_databases_are_read(tmp_path):
    """Phones keep their databases in WAL mode; an in-memory copy reads them the same."""
    path = tmp_path / "wal.db"
    con = sqlite3.connect(path)
    con.execute("pragma journal_mode=wal")
    con.execute("create table sms(_id integer primary key, address text, date int, type int, body text)")
    con.execute("insert into sms values (1, '13912345678', ?, 1, '不还钱就把你的欠款发到朋友圈曝光')", (MS,))
    con.commit()
    con.close()
    data = path.read_bytes()
    assert data[18:20] == b"\x02\x02"
    r = read_input("mmssms.db", data, TZ)
    assert [e.text for e in r.events] == ["不还钱就把你的欠款发到朋友圈曝光"]


def test_an_encrypted_or_damaged_database_says_so(tmp_path):
    import os

    noise = os.urandom(8192)
    with pytest.raises(InputError) as e:
        read_input("EnMicroMsg.db", noise, TZ)
    assert "encrypted" in str(e.value) and "decrypted first" in str(e.value)
    path = tmp_path / "EnMicroMsg.db"
    path.write_bytes(noise)
    with pytest.raises(InputError) as e:
        open_path(str(path), TZ)
    assert "encrypted" in str(e.value)
    with pytest.raises(InputError) as e:  # a copy cut short: damaged, not encrypted
        read_input("mmssms.db", _android_sms(tmp_path)[:1100], TZ)
    assert "damaged" in str(e.value) and "decrypted" not in str(e.value), str(e.value)


def test_iphone_group_events_and_reactions_are_filtered(tmp_path):
    ns = int(APPLE.total_seconds() * 1e9)
    data = _db(tmp_path, "sms.db",
               "create table handle(ROWID integer primary key, id text); create table message(ROWID integer primary "
               "key, text text, handle_id int, date int, is_from_me int, item_type int, associated_message_type int)",
               [("insert into handle values (?, ?)", [(1, "+8613912345678")]),
                ("insert into message values (?, ?, ?, ?, ?, ?, ?)", [
                    (1, "再不还就让你全家知道", 1, ns, 0, 0, 0),
                    (2, None, 1, ns + 10**9, 0, 1, 0),  # a member added to a group
                    (3, "Loved “别联系我家人”", 1, ns + 2 * 10**9, 0, 0, 2000),  # a tapback
                ])])
    r = read_input("sms.db", data, TZ)
    assert [e.text for e in r.events] == ["再不还就让你全家知道"]
    assert r.summary.filtered == 2 and r.summary.rows == 3


def test_wechat_cards_groups_family_and_pictures(tmp_path):
    card = ("<msg><appmsg><title>关于张三的法院传票</title><des>法院传票已经下达，三日内不还将冻结你的银行卡</des>"
            "</appmsg></msg>")
    data = _db(tmp_path, "EnMicroMsg.db",
               "create table message(msgId integer primary key, type int, isSend int, createTime int, talker text, "
               "content text); create table rcontact(username text, conRemark text, nickname text)",
               [("insert into rcontact values (?, ?, ?)", [("wxid_abc", "", "速易借王经理"), ("wxid_mom", "妈妈", ""),
                                                          ("55@chatroom", "", "")]),
                ("insert into message values (?, ?, ?, ?, ?, ?)", [
                    (1, 49, 0, MS, "wxid_abc", card),
                    (2, 1, 0, MS + 60_000, "wxid_mom", "儿子，今天有人打电话说你欠了钱"),
                    (3, 3, 0, MS + 90_000, "wxid_abc", "<msg><img/></msg>"),
                    (4, 1, 0, MS + 120_000, "55@chatroom", "没有前缀的群消息"),
                ])])
    r = read_input("EnMicroMsg.db", data, TZ)
    card_ev, mom, picture, group = r.events
    assert card_ev.text == "关于张三的法院传票：法院传票已经下达，三日内不还将冻结你的银行卡"
    assert mom.speaker == "third_party"  # a contact saved as 妈妈 is never judged
    assert picture.text == "[图片]" and picture.time is not None  # a contact at its time, with a placeholder
    assert group.from_ == "群聊 55@chatroom"


def test_a_picture_placeholder_is_no_sender_signature():
    from checker.parties import _SIGNATURE

    assert [m.group(1) for m in _SIGNATURE.finditer("[图片] 【速易借】请还款 [语音]")] == ["速易借"]


def test_windows_group_messages_name_their_sender(tmp_path):
    data = _db(tmp_path, "MSG0.db",
               "create table MSG(localId integer primary key, Type int, IsSender int, CreateTime int, StrTalker text, "
               "StrContent text, BytesExtra blob)",
               [("insert into MSG values (?, ?, ?, ?, ?, ?, ?)", [
                   (1, 1, 0, MS // 1000, "17943247346@chatroom", "已经联系了你单位领导",
                    b"\x1a\x10\x08\x01\x12\x0cwxid_coll02x"),
                   (2, 1, 0, MS // 1000 + 5, "17943247346@chatroom", "大家好", b""),
               ])])
    r = read_input("MSG0.db", data, TZ)
    assert [e.from_ for e in r.events] == ["wxid_coll02x", "群聊 17943247346@chatroom"]

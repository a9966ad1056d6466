"""Phone and chat-app databases (SQLite files) that hold messages or calls.

A helper with a phone backup often has the database itself rather than an export: Android's
``mmssms.db`` (table ``sms``) and ``calllog.db`` / ``contacts2.db`` (table ``calls``), an
iPhone backup's ``sms.db`` (``message`` + ``handle``) and ``CallHistory.storedata``
(``ZCALLRECORD``), WeChat's decrypted ``EnMicroMsg.db`` (Android: ``message`` + ``rcontact``)
or ``MSG.db`` (Windows: ``MSG``). Each known table is turned into a sheet of cell texts — a
header the table readers know and one row per database row, in the table's row-id order — and
read by :func:`checker.io.table.read_sheets` like a workbook: the same columns, Android type
codes, drafts and failed messages filtered with a count, WeChat system notices and non-text
kinds. Line N of such an input is the (N-1)th row of that table in row-id order (the header
is line 1); a note says so. The database is copied into memory and only read (nothing is
written beside it; Python 3.10, which cannot load a database from memory, goes through a
temporary file), and no other table is read.
"""

from __future__ import annotations

import html
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from checker.io.common import InputError, ReadContext

MAGIC = b"SQLite format 3\x00"
NOT_A_MESSAGE = "非消息事件"  # a direction the message reader filters: an app's event row, not a message
_APPLE_EPOCH = datetime(2001, 1, 1, tzinfo=timezone.utc)


def _wechat_name(name: str) -> bool:
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return base.startswith(("enmicromsg", "msg", "micromsg")) and base.endswith(".db")


def _connect(data: bytes, name: str) -> sqlite3.Connection:
    if len(data) > 20 and data[18:20] == b"\x02\x02":
        # a database in write-ahead-log mode (what phones keep): the header says so, and an
        # in-memory copy cannot open a log; marked as a rollback-journal file it reads the same
        # (what was still in a -wal file beside it is not in these bytes)
        data = data[:18] + b"\x01\x01" + data[20:]
    con = sqlite3.connect(":memory:")
    try:
        if hasattr(con, "deserialize"):
            con.deserialize(data)
        else:  # pragma: no cover - Python 3.10: no in-memory load; copy through a temporary file
            import os
            import tempfile

            fd, path = tempfile.mkstemp(suffix=".db")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                disk = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                disk.backup(con)
                disk.close()
            finally:
                os.unlink(path)
        con.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError as e:
        con.close()
        if _wechat_name(name):
            raise InputError(f"{name}: an SQLite database collcheck cannot open ({e}); if it is WeChat's "
                             f"EnMicroMsg.db or MSG.db it must be decrypted first") from None
        raise InputError(f"{name}: a damaged SQLite database ({e}; cut short?); copy it from the backup "
                         f"again") from None
    return con


def encrypted_database_error(name: str, data: bytes) -> InputError | None:
    """An InputError for a file named like a database that is not one and does not read as
    text — an encrypted database (WeChat's EnMicroMsg.db / MSG.db as the phone keeps them,
    SQLCipher) — else None."""
    low = name.lower()
    if not (low.endswith((".db", ".sqlite", ".sqlite3", ".storedata")) or _wechat_name(name)):
        return None
    head = data[:4096]
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
            return None
        except UnicodeDecodeError:
            pass
    hint = ("WeChat's EnMicroMsg.db and MSG.db are encrypted on the phone and must be decrypted first"
            if _wechat_name(name) else "an encrypted database must be decrypted first")
    return InputError(f"{name}: not a readable database (an encrypted one?); {hint}")


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {row[1].lower() for row in con.execute(f'pragma table_info("{table}")')}


def _local(when: datetime | None, ctx: ReadContext) -> str:
    return when.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M:%S") if when else ""


def _stamp(value: Any, ctx: ReadContext, apple: bool) -> str:
    """A stored time → local time text (empty when there is none): Unix seconds or
    milliseconds, or (``apple``) seconds — older iOS — or nanoseconds since 2001-01-01 UTC.
    A value that is no number is passed on as written (the reader says if it is no time)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "" if value in (None, "") else str(value)
    if v <= 0:
        return ""
    if apple:
        return _local(_APPLE_EPOCH + timedelta(seconds=v / 1e9 if v > 1e11 else v), ctx)
    return _local(datetime.fromtimestamp(v / 1000 if v > 1e11 else v, timezone.utc), ctx)


def _epoch(value: Any, ctx: ReadContext) -> str:
    return _stamp(value, ctx, apple=False)


def _apple(value: Any, ctx: ReadContext) -> str:
    return _stamp(value, ctx, apple=True)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def attributed_text(blob: bytes | None) -> str:
    """The plain text in an iPhone message's ``attributedBody`` (an archived NSAttributedString;
    iOS 16 and later often leave ``text`` empty): the first string after the NSString class
    marker, stored as a length — one byte, or 0x81 + two bytes little-endian, or 0x82 + four —
    and UTF-8 bytes. Empty when the blob does not have that shape."""
    if not blob:
        return ""
    at = blob.find(b"NSString")
    if at < 0:
        return ""
    plus = blob.find(b"+", at)
    if plus < 0 or plus + 1 >= len(blob):
        return ""
    i = plus + 1
    n = blob[i]
    i += 1
    if n == 0x81:
        n, i = int.from_bytes(blob[i:i + 2], "little"), i + 2
    elif n == 0x82:
        n, i = int.from_bytes(blob[i:i + 4], "little"), i + 4
    return blob[i:i + n].decode("utf-8", errors="replace")


# A layout: (what it holds, the tables it needs, the columns the main table needs, rows)
Rows = Callable[[sqlite3.Connection, ReadContext], Iterator[list[str]]]


def _android_sms(con: sqlite3.Connection, ctx: ReadContext) -> Iterator[list[str]]:
    yield ["address", "date", "type", "body"]
    for address, date, kind, body in con.execute("select address, date, type, body from sms order by _id"):
        yield [_text(address), _epoch(date, ctx), _text(kind), _text(body)]


def _android_calls(con: sqlite3.Connection, ctx: ReadContext) -> Iterator[list[str]]:
    name = "name" if "name" in _columns(con, "calls") else "''"
    yield ["number", "date", "duration", "type", "name"]
    for number, date, duration, kind, who in con.execute(
            f"select number, date, duration, type, {name} from calls order by _id"):
        yield [_text(number), _epoch(date, ctx), _text(duration), _text(kind), _text(who)]


def _ios_sms(con: sqlite3.Connection, ctx: ReadContext) -> Iterator[list[str]]:
    cols = _columns(con, "message")
    body = "m.attributedBody" if "attributedbody" in cols else "NULL"
    # group events (item_type 1–6: a member added, the name changed) and tapbacks
    # (associated_message_type 2000–3005: a reaction to another message) are no messages
    item = "m.item_type" if "item_type" in cols else "0"
    tapback = "m.associated_message_type" if "associated_message_type" in cols else "0"
    yield ["时间", "号码", "方向", "内容"]
    for text, blob, date, mine, handle, kind, assoc in con.execute(
            f"select m.text, {body}, m.date, m.is_from_me, h.id, {item}, {tapback} from message m "
            f"left join handle h on h.ROWID = m.handle_id order by m.ROWID"):
        if (kind not in (None, 0, "0")) or (assoc not in (None, 0, "0")):
            yield [_apple(date, ctx), _text(handle), NOT_A_MESSAGE, ""]  # filtered by the reader, counted
            continue
        words = _text(text) or attributed_text(blob if isinstance(blob, bytes) else None)
        yield [_apple(date, ctx), _text(handle), "发送" if str(mine) == "1" else "接收", words.replace("\ufffc", "")]


def _ios_calls(con: sqlite3.Connection, ctx: ReadContext) -> Iterator[list[str]]:
    cols = _columns(con, "ZCALLRECORD")
    name = "ZNAME" if "zname" in cols else "NULL"
    yield ["时间", "号码", "时长", "类型", "姓名"]
    for address, date, duration, originated, answered, who in con.execute(
            f"select ZADDRESS, ZDATE, ZDURATION, ZORIGINATED, ZANSWERED, {name} from ZCALLRECORD order by Z_PK"):
        if str(originated) == "1":
            kind = "呼出"
        elif str(answered) == "1":
            kind = "呼入"
        else:
            kind = "未接"
        try:
            secs = str(round(float(duration or 0)))
        except (TypeError, ValueError):
            secs = _text(duration)
        yield [_apple(date, ctx), _text(address), secs, kind, _text(who)]


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_DES = re.compile(r"<des>(.*?)</des>", re.S)
_WXID = re.compile(rb"wxid_[0-9A-Za-z_\-]{4,40}")


def _app_message(kind: str, content: str) -> tuple[str, str]:
    """A WeChat app message (type 49: a shared link, file or card) as text: its title and
    description, which is what the chat shows — else the row as it is."""
    if kind != "49" or "<title>" not in content:
        return kind, content
    parts = [html.unescape(m.group(1)).strip() for rx in (_TITLE, _DES) for m in [rx.search(content)] if m]
    words = "：".join(p for p in parts if p)
    return ("1", words) if words else (kind, content)


def _group_name(talker: str, names: dict[str, str]) -> str:
    """A group chat's name as the person saved it, else 群聊 and its id (never a number)."""
    return names.get(talker) or f"群聊 {talker}"


def _wechat_android(con: sqlite3.Connection, ctx: ReadContext) -> Iterator[list[str]]:
    names: dict[str, str] = {}
    if "rcontact" in _tables(con):
        cols = _columns(con, "rcontact")
        remark = "conRemark" if "conremark" in cols else "''"
        nick = "nickname" if "nickname" in cols else "''"
        for user, rem, nk in con.execute(f"select username, {remark}, {nick} from rcontact"):
            shown = _text(rem).strip() or _text(nk).strip()
            if user and shown:
                names[_text(user)] = shown
    yield ["CreateTime", "IsSender", "Type", "Talker", "StrContent"]
    for kind, mine, created, talker, content in con.execute(
            "select type, isSend, createTime, talker, content from message order by msgId"):
        talker, content = _text(talker), _text(content)
        shown = names.get(talker, talker)
        if talker.endswith("@chatroom"):
            shown = _group_name(talker, names)
            if str(mine) != "1" and ":\n" in content[:80]:
                who, content = content.split(":\n", 1)  # a group message: the member's id, then the text
                shown = names.get(who, who)
        kind_text, content = _app_message(_text(kind), content)
        yield [_epoch(created, ctx), _text(mine), kind_text, shown, content]


def _wechat_pc(con: sqlite3.Connection, ctx: ReadContext) -> Iterator[list[str]]:
    extra = "BytesExtra" if "bytesextra" in _columns(con, "MSG") else "NULL"
    yield ["CreateTime", "IsSender", "Type", "Talker", "StrContent"]
    for kind, mine, created, talker, content, blob in con.execute(
            f"select Type, IsSender, CreateTime, StrTalker, StrContent, {extra} from MSG order by localId"):
        talker = _text(talker)
        shown = talker
        if talker.endswith("@chatroom"):
            # a group message's sender is kept in BytesExtra (a protobuf): its wxid, when written so
            found = _WXID.search(blob) if isinstance(blob, bytes) and str(mine) != "1" else None
            shown = found.group(0).decode() if found else _group_name(talker, {})
        kind_text, words = _app_message(_text(kind), _text(content))
        yield [_epoch(created, ctx), _text(mine), kind_text, shown, words]


LAYOUTS: list[tuple[str, str, set[str], Rows]] = [
    ("an Android SMS database", "sms", {"address", "date", "type", "body"}, _android_sms),
    ("an Android call-log database", "calls", {"number", "date", "duration", "type"}, _android_calls),
    ("an iPhone messages database", "message", {"text", "date", "is_from_me", "handle_id"}, _ios_sms),
    ("an iPhone call history", "ZCALLRECORD", {"zaddress", "zdate", "zduration", "zoriginated", "zanswered"},
     _ios_calls),
    ("a WeChat (Android) message database", "message", {"type", "issend", "createtime", "talker", "content"},
     _wechat_android),
    ("a WeChat (Windows) message database", "MSG", {"type", "issender", "createtime", "strtalker", "strcontent"},
     _wechat_pc),
]


def _tables(con: sqlite3.Connection) -> dict[str, str]:
    return {name.lower(): name for (name,) in con.execute("select name from sqlite_master where type = 'table'")}


def read_sqlite(data: bytes, ctx: ReadContext, kind: str | None) -> tuple[str, Iterator[Any]]:
    """The known tables of a phone or chat database, read as workbook sheets."""
    from checker.io.table import read_sheets

    con = _connect(data, ctx.file)
    tables = _tables(con)
    sheets = []
    for what, table, needs, rows in LAYOUTS:
        real = tables.get(table.lower())
        if real is None or not needs <= _columns(con, real):
            continue
        try:
            cells = list(rows(con, ctx))
        except sqlite3.DatabaseError as e:
            raise InputError(f"{ctx.file}: {what} whose table {real} cannot be read ({e})") from None
        ctx.notes.append(f"{ctx.file}: {what} (table {real}): line N is its row N-1 in row-id order, "
                         f"line 1 being the column names")
        sheets.append((real, iter(cells)))
        break  # one table per database: the first layout that fits
    con.close()
    if not sheets:
        shown = ", ".join(sorted(tables.values())[:12]) or "none"
        raise InputError(f"{ctx.file}: an SQLite database without a table collcheck knows (its tables: {shown}); "
                         f"expected Android mmssms.db (sms) or calllog.db / contacts2.db (calls), an iPhone "
                         f"backup's sms.db (message) or CallHistory.storedata (ZCALLRECORD), or WeChat's decrypted "
                         f"EnMicroMsg.db (message) or MSG.db (MSG)")
    return read_sheets(sheets, ctx, kind)

"""Tables: call logs and message exports as CSV / TSV / XLSX / old .xls (checker.io.xls),
and the space-aligned text of a carrier bill copied from an app or taken from a PDF.

Covers phone call-log exports with English or Chinese headers, carrier itemised bills
(通信地点, 通信方式, 对方号码, 起始时间, 通信时长, 费用) with preamble lines before the
header, Android call-log CSV (epoch milliseconds, type codes 1 incoming, 2 outgoing,
3 missed, 5 rejected), SMS CSV exports and WeChat CSV exports. The header is found by
name within the first ``HEADER_SCAN`` lines; ``--columns time=…,number=…`` names the
columns when the header is not one we know.

A **data row** is a row after the header with at least one non-blank cell: for a call
log one physical line (a call log never has a line break inside a cell, so a stray
quote cannot swallow the lines after it); for messages one CSV record (a quoted SMS
body may hold line breaks); for a workbook (XLSX, .xls) one worksheet row. Lines before the header (a
carrier bill's preamble), the header and blank rows are not data rows.
Every data row becomes an event, a RejectedRow (the line, the raw text, why), or a
Filtered row: a repeated header (a multi-page bill), a total line (合计 / 小计) or a count
line under it (共12条记录), an
unsent draft, a WeChat system notice.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from typing import Any

from checker.io.common import (
    _CALL_NOTICE,
    Filtered,
    InputError,
    Item,
    ReadContext,
    RowError,
    SpeakerLabels,
    call_factory,
    clean_number,
    make_call,
    make_message,
)
from checker.io.times import (
    TimeParser,
    combine,
    date_order,
    export_day,
    order_note,
    order_open,
    parse_duration,
    year_hint,
    year_span,
)
from checker.model import CallEvent, Source

HEADER_SCAN = 40
# Rows read ahead (and held) to learn the month / day order of year-last dates when the first
# HEADER_SCAN rows do not tell: a log sorted by time shows no day over 12 before the 13th.
ORDER_SCAN = 5000
DELIMITERS = (",", "\t", ";", "|")
# Columns aligned with runs of spaces (a carrier app's 通话详单 copied into a text file): two or more
# spaces (or a tab) between cells; one space stays inside a cell (03-05 07:58:12).
SPACES = "  "
_SPACE_RUN = re.compile(r"[ \t\u3000]{2,}|\t")
# Columns kept apart by one space (a bill's text copied out of a PDF viewer): read only under a known
# call-log header of four or more names whose rows, a date and its clock joined back into one cell
# (2025-03-03 07:59:59, 03-03 07:59:59), have as many cells as the header (see _single_space_layout).
SPACE1 = " "
_DATE_CELL = re.compile(r"(?:\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}|(?:\d{4}年)?\d{1,2}月\d{1,2}日")
_CLOCK_CELL = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_SPACE_ANY = re.compile(r"[ \t\u3000]+")


def _split_single(line: str) -> list[str]:
    """The cells of a one-space-separated line, a date cell and the clock after it joined; a
    line with no clock (a title, a page marker 第1页 共2页, a total) is one cell, as in
    space-aligned text."""
    if not _CLOCK_CELL.search(line):
        words = line.split()
        if len(words) >= 4 and sum(header_key(w)[0] in _ALIAS for w in words) >= 3:
            return words  # the header again, on the next page of the bill: a repeated header row
        return [line.strip()] if line.strip() else []
    tokens = _SPACE_ANY.split(_GLUED_TIME.sub(r"\1 ", line).strip()) if line.strip() else []
    cells: list[str] = []
    for tok in tokens:
        if cells and _CLOCK_CELL.fullmatch(tok) and _DATE_CELL.fullmatch(cells[-1]):
            cells[-1] += " " + tok
        else:
            cells.append(tok)
    return cells

# Headers of a status column that asks whether the call was taken (是否接听: 是 / 否), as people type it
YES_NO_STATUS = ("是否接听", "是否接通", "是否已接", "是否接起", "是否接听电话", "有没有接", "接没接", "answered",
                 "isanswered", "wasanswered")

# Header names, compared after header_key(): lower case, no spaces / underscores /
# dashes / dots / slashes, a trailing unit in brackets split off. Earlier names win
# when a header has several (呼叫类型 主叫/被叫 beats 通话类型 本地/漫游).
FIELDS: dict[str, tuple[str, ...]] = {
    "time": ("通话起始时间", "起始时间", "通话开始时间", "开始时间", "呼叫开始时间", "呼叫时间", "起呼时间",
             "通信起始时间", "通信时间", "来电时间", "拨打时间", "拨打接听时间", "通话时间", "发生时间", "日期时间",
             "通话日期时间",
             # a security app's blocked-call log (骚扰拦截 / 拦截记录): every row is a blocked incoming call
             "拦截时间", "来电拦截时间", "拦截日期时间",
             "时间", "接收时间", "发送时间", "收发时间", "短信时间", "消息时间", "聊天时间", "createtime", "strtime",
             "msgtime", "starttime", "start", "calltime", "callstart", "datetime", "timestamp", "时间戳", "time",
             "messagedate", "sentdate", "receiveddate",
             # iMazing in Chinese (消息日期 is its Message Date)
             "消息日期", "信息日期", "短信日期",
             # a query of an iPhone's sms.db that converts its Apple-epoch date to local time
             "datelocal", "localdate", "localtime", "localdatetime", "datetimelocal"),
    "date": ("通话日期", "起始日期", "呼叫日期", "通信日期", "发送日期", "日期", "calldate", "date", "day"),
    "number": ("对方号码", "对端号码", "对方电话", "对方手机号", "通话号码", "来电号码", "号码", "电话号码", "电话",
               "手机号码", "手机号", "联系电话", "联系人号码", "发件人号码", "发送号码", "发信号码", "number",
               "phonenumber", "phone", "phoneno", "othernumber", "remotenumber", "address", "呼叫号码", "senderid",
               "发送者id", "发件人id", "发送方id", "通话对象",
               # an outbound dialler's record: the collector's number the customer saw
               "外显号码", "主显号码", "外呼号码", "显示号码", "去电显示号码",
               # an iPhone's sms.db: chat.chat_identifier is the other party's number
               "chatidentifier"),
    "name": ("姓名", "联系人", "联系人姓名", "名称", "备注", "备注名", "昵称", "微信昵称", "发送人", "发送者",
             "发件人", "发言人", "name", "contact", "contactname", "displayname", "cachedname", "nickname", "sender",
             "sendername",
             "remark", "talker", "发送者姓名", "发件人姓名", "发送者名称", "发送方姓名",
             # PyWxDump's chat id column: the other party when no name column says more
             "strtalker",
             # a security app's mark on a number (疑似催收 / 骚扰电话 / 快递送餐): what people call it
             "标记", "标记类型", "号码标记", "标记内容", "拦截类型"),
    "direction": ("呼叫类型", "通信方式", "呼叫方式", "通话方式", "通话方向", "呼叫方向", "方向", "来去电", "收发类型",
                  "收发", "收发方向", "短信类型", "信息类型", "issender", "isfromme", "issend",
                  "是否发送", "direction", "calltype",
                  "calldirection", "msgbox", "folder", "box", "类型", "type", "通话类型", "通话类别", "呼叫类别",
                  "类别", "kind", "messagekind",
                  "messagedirection", "msgdirection", "inout", "sentreceived", "收发状态", "信箱", "文件夹",
                  # a column someone typed by hand: 情况 with 接了 / 没接 / 挂了 / 我打的
                  "情况", "接听情况", "通话情况", "来电情况",
                  # … and 方式 with 电话 / 短信 / 微信: how the collector made contact (see _typed_call)
                  "方式", "联系途径", "催收方式"),
    "status": ("通话状态", "接听状态", "接通状态", "呼叫结果", "状态", "结果", "callstatus", "status", "result",
               "disposition",
               # a column typed by hand that answers a question: 是否接听 是 / 否
               *YES_NO_STATUS),
    "duration": ("通话时长", "通信时长", "呼叫时长", "时长", "通话时间长度", "持续时间", "通话秒数", "duration",
                 "durations", "billsec", "callduration", "seconds", "length",
                 # JSON exports name the unit in the key: durationSeconds, duration_sec, callDurationSecs
                 "durationseconds", "durationsecs", "durationsec", "durationinseconds", "calldurationseconds",
                 "calldurationsecs", "calldurationsec"),
    "text": ("短信内容", "消息内容", "信息内容", "聊天内容", "内容", "正文", "消息", "短信", "strcontent", "body",
             "text", "content", "message", "msg", "messagetext",
             # a QA platform's or ASR service's sentences (质检 / 转写 exports)
             "文本", "文本内容", "识别文本", "识别内容", "识别结果", "转写文本", "转写内容", "转写结果", "转写",
             "对话内容", "通话内容", "语音文本", "语句", "句子", "话术内容", "asrtext", "asrresult",
             "transcript", "transcription", "sentence", "utterance",
             # a sheet someone typed by hand: what was said or what happened (内容/情况: 接了，说要找我爸妈)
             "内容情况", "情况内容", "内容备注", "内容说明", "说了什么", "对方说了什么"),
    "debtor": ("本机号码", "本方号码", "本机", "用户号码", "机主号码", "我的号码", "本机电话", "ownnumber",
               "mynumber",
               # … and the customer it called: each row's debtor
               "客户号码", "客户手机号", "客户电话", "客户手机", "债务人号码", "债务人电话", "借款人号码",
               "被叫客户号码", "customernumber", "customerphone", "debtornumber", "debtorphone"),
    # 主叫号码 / 被叫号码 bills name both parties instead of a call type: the user's own number
    # (--debtor, the preamble's 本机号码, or the number in every row) tells the direction
    "caller": ("主叫号码", "主叫方号码", "主叫电话", "主叫号", "主叫方", "主叫", "callingnumber", "callernumber",
               "callingparty", "caller", "callerid", "fromnumber"),
    "callee": ("被叫号码", "被叫方号码", "被叫电话", "被叫号", "被叫方", "被叫", "callednumber", "calleenumber",
               "calledparty", "callee", "tonumber"),
    # A transcript table (one sentence of a recorded call per row): who said it, and which
    # call and agent it belongs to. Read only beside a text column; otherwise ignored.
    "role": ("角色", "说话角色", "说话人角色", "发言角色", "角色类型", "说话方", "说话人", "讲话人", "role",
             "speakerrole", "speaker", "spk", "speakerid"),
    "call": ("录音id", "录音编号", "录音文件id", "录音流水号", "通话id", "通话编号", "通话流水号", "会话id",
             "对话id", "callid", "recordid", "recordingid", "sessionid", "conversationid"),
    "agent": ("坐席工号", "坐席id", "坐席编号", "坐席号", "坐席", "客服工号", "催收员工号", "员工工号", "工号",
              "agentid", "agentno", "agent", "staffid"),
}
# the fields only a transcript table reads
TRANSCRIPT_ONLY = ("role", "call", "agent")
# text columns that hold what was said on a call (not a message's words): beside a call id or an
# agent's id and without a role column, each row is one whole call (resolve_header)
CALL_TEXT = frozenset({"通话内容", "通话文本", "对话内容", "对话文本", "录音文本", "录音内容", "录音转写", "通话转写",
                       "转写文本", "转写内容", "转写结果", "转写", "识别文本", "识别内容", "识别结果", "语音文本",
                       "会话内容", "会话文本", "asrtext", "asrresult", "transcript", "transcription"})
COLUMN_KEYS = tuple(FIELDS)
_ALIAS = {alias: f for f, names in FIELDS.items() for alias in names}
WECHAT_MARKERS = frozenset({"issender", "issend", "strcontent", "talker", "talkerid", "微信号", "微信昵称", "wxid",
                            "createtime", "strtime", "nickname"})
_UNIT_MINUTES = ("分", "分钟", "min", "minutes", "mins")
_UNIT_MS = ("毫秒", "ms")
# a day's subtotal in a month's bill names its day first: 2025-03-05 小计, 03月05日合计, 本日小计
_TOTAL_DAY = (r"(?:(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|本日|当日|每日|本月|当月)\s*[（(]?\s*")
_TOTAL = re.compile(rf"^\s*(?:本页|{_TOTAL_DAY})?(?:合计|小计|总计|共计|总共|汇总|total|subtotal|sum)\b"
                    rf"|^\s*(?:{_TOTAL_DAY})?(?:合计|小计|总计|共计)"
                    # a count line under a bill (中国联通: 共12条记录 / 总共 12 条 / 记录数：12)
                    r"|^\s*(?:本页)?(?:共|总共)\s*[:：]?\s*\d+\s*(?:条|笔|次|通|个)(?:记录|通话|数据|短信)?\s*$"
                    r"|^\s*(?:记录数|记录条数|总条数|总记录数)\s*[:：]?\s*\d+\s*条?\s*$", re.IGNORECASE)


_PAGE = re.compile(r"^\s*(?:第\s*\d+\s*页|共\s*\d+\s*页|page\s+\d+)", re.IGNORECASE)
# A note someone typed under (or above) a table they made in WPS / Excel: 注：以上记录根据手机抄录 /
# 整理人：李娜 / 以上共58条. Only as a row's one filled cell, and only with its marker and colon (注意… or
# 说明… in a message cut out of its columns stays a rejected row).
_NOTE_LINE = re.compile(r"^\s*(?:(?:注|备注|附注|注释)\s*[:：]"
                        r"|(?:整理人|整理者|制表人|制表|填表人|记录人|统计人|抄录人|数据来源|导出时间|打印时间|制表时间"
                        r"|整理时间|notes?"
                        # a bill page's footer (中国电信: 温馨提示：以上信息仅供参考，以实际账单为准)
                        r"|温馨提示|友情提示|特别提示|重要提示|免责声明)\s*[:：]"
                        r"|以上(?:记录|数据|内容|通话|短信|信息|共))", re.IGNORECASE)
# A month's title between a bill's sections: 2024年04月通话详单 / 通话记录（4月）/ Call history
_TITLE = re.compile(r"详单|清单|账单|话单|通话记录|通信记录|通话明细|call (?:log|history|details)|statement",
                    re.IGNORECASE)


def header_key(cell: object) -> tuple[str, str]:
    """(name, unit) of a header cell: '通话时长(秒)' -> ('通话时长', '秒')."""
    c = str(cell or "").strip().strip("\ufeff\"'").strip()
    unit = ""
    m = re.match(r"^(.*?)\s*[（(\[【]\s*([^）)\]】]*)\s*[）)\]】]\s*$", c)
    if m and m.group(1):
        c, unit = m.group(1), m.group(2).strip().lower()
    return re.sub(r"[\s_\-./:：]", "", c).lower(), unit


@dataclass
class Layout:
    """Which column holds what, found from the header or given by --columns."""

    kind: str  # "calllog" | "messages" | "wechat-csv"
    index: dict[str, int]
    header: list[str]
    header_line: int  # 0 when the table has no header row
    delimiter: str = ","
    units: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    anchor: date | None = None  # the export day a preamble names: 今天 / 昨天 / 星期二 count from it
    year_span: tuple[int, int, int] | None = None  # a preamble's period across a new year (times.year_span)
    date_order: str | None = None  # 'mdy' / 'dmy' for dates like 3/5/2024, from the first rows
    order_guessed: bool = False
    owner: str | None = None  # the user's own number as the preamble names it (本机号码：139…)
    blocked: bool = False  # a security app's blocked-call log (拦截时间): a row without a call type is blocked
    named: bool = False  # the columns come from --columns: the user's word, never second-guessed
    spans: list[tuple[int, int]] | None = None  # where a space-aligned header's cells are on its line
    whole_calls: bool = False  # a transcript table with one whole recorded call per row (no role column)

    def learn_call_type(self, rows: Iterable[list[str]], ctx: ReadContext) -> None:
        """A call log's call-type column that holds charge types (通话类型: 本地通话, 国内长途,
        漫游) says what the call cost, not who called: it is dropped, with a note, so the
        rows are not rejected for it. A direction column (通话方式 主叫 / 被叫) ranks before
        it in FIELDS; a 主叫号码 / 被叫号码 pair then gives the direction.
        A carrier's 短信 / 彩信详单 (no text column, a header like a call log's) becomes a
        message table first (message_bill_column)."""
        rows = list(rows)
        if self.kind == "calllog" and not self.named:
            col = message_bill_column(self, rows)
            if col is not None:
                self.kind = "messages"
                ctx.notes.append(f"{ctx.file}: the '{col}' column says the rows are text messages (短信 / 彩信, "
                                 "接收 / 发送), not calls: read as messages without their text, each a contact at "
                                 "its time (never a call)")
                return
        yi = self.index.get("direction")
        if self.kind != "calllog" or self.named or yi is None:
            return
        yi = self._direction_with_call_types(rows, yi, ctx)
        head = header_key(self.header[yi])[0] if yi < len(self.header) else ""
        charges: list[str] = []
        for cells in rows:
            if yi >= len(cells) or not cells[yi].strip():
                continue
            v = cells[yi].strip()
            if header_key(v)[0] == head or _TOTAL.match(next(c for c in cells if c.strip())):
                continue
            if not is_charge_type(v):
                if _FORWARDED.fullmatch(v) and "caller" in self.index and "callee" in self.index:
                    continue  # 呼转 among 本地 / 长途 in a 主叫号码 / 被叫号码 bill: a service, like a charge
                return  # a direction, a missed call or junk: the column is read as the call type
            if v not in charges:
                charges.append(v)
        if not charges:
            return
        del self.index["direction"]
        name = _column(self, yi) or f"column {yi + 1}"
        shown = "、".join(charges[:4])
        if "caller" in self.index and "callee" in self.index:
            how = (f"the '{_column(self, self.index['caller'])}' / '{_column(self, self.index['callee'])}' columns "
                   "give the direction")
        else:
            how = ("there is no direction column (主叫 / 被叫), so every call is read as incoming; name the "
                   "direction column with --columns direction=COLUMN if the file has one")
        ctx.notes.append(f"{ctx.file}: the '{name}' column holds charge types ({shown}), not the call direction, so "
                         f"it is not read as the call type; {how}")

    def _direction_with_call_types(self, rows: list[list[str]], yi: int, ctx: ReadContext) -> int:
        """The call-type column. A header may have two columns named like one (爱思助手's 通话方式
        holds 电话 / FaceTime音频, the service; its 通话类型 holds 呼入 / 未接): when the first
        rows of the chosen column name no call type and no charge at all, and another such
        column's do, that one is the call type (with a note); otherwise the choice stands."""
        def kinds(col: int) -> tuple[int, int]:  # (values read as a call type, values that are not)
            good = bad = 0
            head = header_key(self.header[col])[0] if col < len(self.header) else ""
            for cells in rows:
                if col >= len(cells) or not cells[col].strip() or header_key(cells[col])[0] == head:
                    continue
                if _TOTAL.match(next(c for c in cells if c.strip())):
                    continue
                try:
                    call_kind(cells[col])
                    good += 1
                except RowError:
                    if _CHARGE.search(cells[col]):
                        return good, -1  # a charge type: learn_call_type's case
                    bad += 1
            return good, bad

        good, bad = kinds(yi)
        if good and bad == 0 and "status" not in self.index:
            col = self._direction_beside_status(rows, yi)
            if col is not None:
                self.index["direction"], self.index["status"] = col, yi
                ctx.notes.append(f"{ctx.file}: the '{_column(self, yi)}' column says only how calls went (e.g. "
                                 f"'{next(c[yi] for c in rows if yi < len(c) and c[yi].strip())}') and the "
                                 f"'{_column(self, col)}' column says who called (主叫 / 被叫): that column gives "
                                 "the direction, so a 未接通 on a 被叫 row is a missed incoming call")
                return col
        if good or bad <= 0:
            return yi
        for col, cell in enumerate(self.header):
            if col == yi or _ALIAS.get(header_key(cell)[0]) != "direction":
                continue
            g, b = kinds(col)
            if g and b == 0:
                self.index["direction"] = col
                ctx.notes.append(f"{ctx.file}: the '{_column(self, yi)}' column holds no call type (e.g. "
                                 f"'{next(c[yi] for c in rows if yi < len(c) and c[yi].strip())}'); the "
                                 f"'{_column(self, col)}' column is read as the call type")
                return col
        return yi

    def _direction_beside_status(self, rows: list[list[str]], yi: int) -> int | None:
        """A bill with both a call-type column of statuses only (呼叫类型: 未接通 / 已接通, no 主叫 or
        被叫 in any row) and another column of directions only (通信方式: 主叫 / 被叫): that other
        column, whose word decides the direction (a bare 未接通 would be read as the person's own
        call otherwise)."""
        def values(col: int) -> list[str]:
            head = header_key(self.header[col])[0] if col < len(self.header) else ""
            return [c[col].strip() for c in rows if col < len(c) and c[col].strip()
                    and header_key(c[col])[0] != head and not _TOTAL.match(next(x for x in c if x.strip()))]

        mine = values(yi)
        if not mine or any(says_direction(v) for v in mine):
            return None
        for col, cell in enumerate(self.header):
            if col == yi or col in self.index.values() or _ALIAS.get(header_key(cell)[0]) != "direction":
                continue
            theirs = values(col)
            if not theirs or not all(says_direction(v) for v in theirs):
                continue
            try:
                for v in theirs:
                    call_kind(v)
            except RowError:
                continue
            return col
        return None

    def learn_date_order(self, rows: Iterable[list[str]], given: str | None = None) -> None:
        """The month / day order of year-last dates, from the time and date cells of the
        first rows (see checker.io.times.date_order)."""
        if given:  # --date-order: the user's word, not the rows'
            return
        values = self._date_values(rows)
        self.date_order, self.order_guessed = date_order(values)

    def _date_values(self, rows: Iterable[list[str]]) -> list[str]:
        cols = [c for c in (self.index.get("time"), self.index.get("date")) if c is not None]
        return [cells[c] for cells in rows for c in cols if c < len(cells)]

    def order_open(self, rows: Iterable[list[str]], given: str | None = None) -> bool:
        """More rows than ``rows`` could tell the date order (times.order_open); never with
        --date-order."""
        return not given and order_open(self._date_values(rows))

    @property
    def width(self) -> int:
        """Cells a row needs: a call log does not read the name column, so a row that
        stops before it is still a call."""
        used = [c for f, c in self.index.items() if not (self.kind == "calllog" and f == "name")]
        return max(used) + 1


def resolve_header(cells: list[str], kind: str | None = None) -> Layout | None:
    """A Layout when ``cells`` is a header we know, else None."""
    keys = [header_key(c) for c in cells]
    found: dict[str, tuple[int, int]] = {}  # field -> (alias rank, column)
    for col, (k, _unit) in enumerate(keys):
        f = _ALIAS.get(k)
        if f is None:
            continue
        rank = FIELDS[f].index(k)
        if f not in found or rank < found[f][0]:
            found[f] = (rank, col)
    index = {f: col for f, (_r, col) in found.items()}
    if "time" not in index and "date" in index:
        index["time"] = index.pop("date")
    if "time" not in index:
        return None
    names = {k for k, _u in keys}
    if "text" in index and keys[index["text"]][0] == "transcription" and "duration" in index and (
            {"voicemailuri", "presentation", "numbertype", "geocodedlocation"} & names):
        # Android's calls table (contacts2.db / calllog.db as CSV): its transcription is a voicemail's,
        # mostly empty — a call log, not a message table
        index.pop("text")
    if "number" not in index and "isfromme" in names and "id" in names:
        # a query of an iPhone's sms.db (… handle.id, message.is_from_me …): handle.id is the other
        # party's number or address; an id column anywhere else is a row's own id and not read
        index["number"] = [k for k, _u in keys].index("id")
    if "text" in index and "role" in index and not (names & WECHAT_MARKERS) and kind in (None, "transcript-table"):
        # sentences of recorded calls with who said each: 录音ID, 坐席工号, 角色, 开始时间, 文本
        units = {f: keys[col][1] for f, col in index.items() if keys[col][1]}
        return Layout("transcript-table", index, list(cells), 0, units=units)
    said = [col for col, (k, _u) in enumerate(keys) if k in CALL_TEXT]
    if (said and "role" not in index and not (names & WECHAT_MARKERS) and kind in (None, "transcript-table")
            and ("call" in index or "agent" in index)):
        # a QA platform's call list with each call's whole transcript in one cell: 通话ID, 坐席工号,
        # 客户号码, 开始时间, 通话文本 (坐席：… 客户：…) — one call per row, its turns told apart by
        # the labels in the text, as in a pasted transcript
        index["text"] = index["text"] if index.get("text") in said else said[0]
        units = {f: keys[col][1] for f, col in index.items() if keys[col][1]}
        return Layout("transcript-table", index, list(cells), 0, units=units, whole_calls=True)
    for f in TRANSCRIPT_ONLY:
        index.pop(f, None)
    if kind == "transcript-table":
        return None
    if "text" in index:
        detected = "wechat-csv" if names & WECHAT_MARKERS else "messages"
        if kind == "calllog":
            return None
    else:
        if not ({"number", "duration", "direction", "status", "caller", "callee"} & index.keys()):
            return None
        # --input-format messages: an SMS bill has no text column (but no talk time either)
        detected = "messages" if kind == "messages" and "duration" not in index else "calllog"
        if kind == "wechat-csv" or (kind == "messages" and detected == "calllog"):
            return None
    if kind == "wechat-csv" or (kind == "messages" and detected == "wechat-csv"):
        detected = kind
    units = {f: keys[col][1] for f, col in index.items() if keys[col][1]}
    lay = Layout(detected, index, list(cells), 0, units=units)
    if detected == "calllog" and "拦截" in keys[index["time"]][0]:
        # 360 / 腾讯手机管家 / 华为 骚扰拦截 exports: a row is a call the app blocked (an incoming attempt); their
        # 类型 column says what the number is marked as (疑似催收 / 骚扰电话), not how the call went
        lay.blocked = True
        yi = index.get("direction")
        if yi is not None and keys[yi][0] in ("类型", "type", "类别"):
            index.pop("direction")
            index.setdefault("name", yi)
    return lay


def parse_columns(spec: str | dict[str, str] | None) -> dict[str, str] | None:
    """``time=起呼时刻,number=对端,direction=类别,duration=秒数`` (names or 1-based numbers)."""
    if spec is None or isinstance(spec, dict):
        return spec
    out: dict[str, str] = {}
    for part in re.split(r"[,，;；]", spec):
        if not part.strip():
            continue
        if "=" not in part:
            raise InputError(f"--columns {spec!r}: expected FIELD=COLUMN pairs, e.g. "
                             "time=开始时间,number=号码,direction=类型,duration=时长")
        k, v = (x.strip() for x in part.split("=", 1))
        k = k.lower()
        if k not in FIELDS:
            raise InputError(f"--columns: unknown field {k!r}; expected {', '.join(COLUMN_KEYS)}")
        out[k] = v
    if "time" not in out and "date" not in out:
        raise InputError("--columns must name the time column, e.g. --columns time=开始时间,number=号码")
    return out


def layout_from_columns(columns: dict[str, str], cells: list[str] | None, kind: str | None) -> Layout | None:
    """The layout --columns gives: column names looked up in ``cells`` (a header row), or
    1-based column numbers (then the table has no header row: ``cells`` is None)."""
    cols = dict(columns)
    if "time" not in cols:
        cols["time"] = cols.pop("date")
    numeric = all(v.isdigit() for v in cols.values())
    if numeric:
        if cells is not None:
            return None
        index = {f: int(v) - 1 for f, v in cols.items()}
        if min(index.values()) < 0:
            raise InputError("--columns: column numbers start at 1")
        header: list[str] = []
    else:
        if cells is None:
            return None
        keys = [header_key(c)[0] for c in cells]
        index = {}
        for f, v in cols.items():
            want = header_key(v)[0]
            if v.isdigit() and int(v) >= 1:
                index[f] = int(v) - 1
            elif want in keys:
                index[f] = keys.index(want)
            else:
                return None
        header = list(cells)
    # a call id or an agent's id beside the text and no role: one whole call per row
    whole = (kind in (None, "transcript-table") and "text" in index and "role" not in index
             and ("call" in index or "agent" in index))
    if whole:
        kind = "transcript-table"
    if kind is None:
        kind = ("transcript-table" if "role" in index else "messages") if "text" in index else "calllog"
    if kind == "transcript-table" and not whole and not ("role" in index and "text" in index):
        raise InputError("--input-format transcript-table needs a role column (who spoke: 坐席 / 客户, agent / "
                         "customer) and a text column: name them with --columns role=COLUMN,text=COLUMN; a table "
                         "with one whole call per row and no role column is read as one call per row when --columns "
                         "also names its call id or agent column (call=通话ID or agent=坐席工号)")
    units = {}
    if header:
        units = {f: header_key(header[c])[1] for f, c in index.items() if c < len(header) and header_key(header[c])[1]}
    return Layout(kind, index, header, 0, units=units, named=True, whole_calls=whole)


# ---------------------------------------------------------------------------------------------
# The user's own number: 主叫号码 / 被叫号码 bills

_OWNER = re.compile(r"(?:本机号码|手机号码|用户号码|机主号码|本机|服务号码|计费号码)\s*[:：]?\s*"
                    r"(\+?[\d][\d \-]{5,}\d)(?![\d*＊])")
PAIR_SCAN = 500  # rows looked at to find the number in every row


def owner_hint(text: str) -> str | None:
    """The user's own number a bill's preamble names (本机号码：13912345678); a masked
    number (139****5678) is not one."""
    m = _OWNER.search(text)
    return clean_number(m.group(1)) if m else None


@lru_cache(maxsize=8192)
def number_key(cell: str) -> str | None:
    """A number compared across the 主叫 and 被叫 columns: normalised (+86 / 0086 /
    spaces / a landline's 0 written or not), None for an empty or unknown number or one
    Excel turned into scientific notation."""
    from checker.parties import normalise_number

    if _SCIENTIFIC.match(cell):
        return None
    n = clean_number(cell)
    if n is None or sum(ch.isdigit() for ch in n) < 5:
        return None
    return normalise_number(n)


def _infer_owner(rows: Iterator[tuple[int, list[str] | None, int]], lay: Layout, ctx: ReadContext,
                 where: str) -> tuple[str, str, Iterator[tuple[int, list[str] | None, int]]]:
    """The user's number as the one number in every row (in the 主叫 or the 被叫 column)
    among the first PAIR_SCAN rows, or an InputError saying to give --debtor."""
    ci, ei = lay.index["caller"], lay.index["callee"]
    buf: list[tuple[int, list[str] | None, int]] = []
    common: set[str] | None = None
    raw: dict[str, str] = {}
    for row in rows:
        buf.append(row)
        cells = row[1]
        if cells is not None and len(cells) > max(ci, ei):
            keys = set()
            for c in (cells[ci], cells[ei]):
                k = number_key(c)
                if k:
                    keys.add(k)
                    raw.setdefault(k, clean_number(c) or c)
            if keys:
                common = keys if common is None else common & keys
        if len(buf) >= PAIR_SCAN:
            break
    names = f"'{_column(lay, ci) or 'caller'}' and '{_column(lay, ei) or 'callee'}'"
    at = f"{ctx.file}:{lay.header_line}: " if lay.header_line else f"{ctx.file}: "
    if common and len(common) == 1:
        owner = next(iter(common))
        ctx.notes.append(f"{ctx.file}: {where}no call-type column; {raw[owner]} is in every row, so it is taken as "
                         f"your own number: a call is outgoing when the {names.split(' and ')[0]} column holds it, "
                         "else incoming (give --debtor NUMBER if that is wrong)")
        return owner, raw[owner], _chain(buf, rows)
    if common:
        found = " and ".join(sorted(raw[k] for k in common)[:3])
        why = f"{found} are both in every row"
    else:
        why = "no number is in every row"
    raise InputError(f"{at}{where}the table has {names} columns but no call-type column, and {why}, so collcheck "
                     "cannot tell which calls were made to you; expected your own number in one of the two columns "
                     "of every row. Give your number with --debtor NUMBER")


# ---------------------------------------------------------------------------------------------
# Finding the header

# A clock to the second run into the next column's Chinese text, as a PDF's text layer
# can give it ("2026-10-20 07:05:27湖南衡阳"): unambiguous, so the cells are split there.
_GLUED_TIME = re.compile(r"(?<![\d:])(\d{1,2}:\d{2}:\d{2})(?=[\u3400-\u9fff])")


def unglue(line: str) -> str:
    """A space-aligned line with a time glued to the CJK text after it set apart (_GLUED_TIME)."""
    return _GLUED_TIME.sub(r"\1  ", line) if ":" in line else line


def _split(line: str, delim: str) -> list[str]:
    if delim == SPACES:
        return _SPACE_RUN.split(unglue(line).strip())
    if delim == SPACE1:
        return _split_single(line)
    try:
        return next(csv.reader([line], delimiter=delim))
    except (csv.Error, StopIteration):
        return []


def find_layout_in_lines(head: list[str], ctx: ReadContext, kind: str | None) -> Layout | None:
    """The header among the first lines of a delimited text (and its delimiter)."""
    columns = ctx.columns
    for i, line in enumerate(head):
        if not line.strip():
            continue
        for delim in (*DELIMITERS, SPACES):
            if delim not in line:
                continue
            cells = _split(line, delim)
            if len(cells) < 2:
                continue
            lay = layout_from_columns(columns, cells, kind) if columns else resolve_header(cells, kind)
            if lay is not None:
                lay.header_line, lay.delimiter = i + 1, delim
                if delim == SPACES:
                    lay.spans = cell_spans(line)
                lay.year = year_hint("".join(head[:i]))
                lay.anchor = export_day("".join(head[:i]))
                lay.year_span = year_span("".join(head[:i]))
                lay.owner = owner_hint("".join(head[:i]))
                return lay
    lay = _single_space_layout(head, kind) if not columns and kind in (None, "calllog") else None
    if lay is not None:
        return lay
    if columns:
        delim = tabular_delimiter(head) or ","
        lay = layout_from_columns(columns, None, kind)
        if lay is not None:
            lay.delimiter = delim
            lay.year = year_hint("".join(head[:5]))
            return lay
    delim = tabular_delimiter(head)
    if delim is not None and kind in (None, "calllog"):
        guessed = guess_call_columns([_split(ln, delim) for ln in head if ln.strip()], ctx)
        if guessed is not None:
            lay = guessed[0]
            lay.delimiter = delim
            ctx.notes.append(headerless_note(ctx.file, guessed[1]))
            return lay
    return None


def _single_space_layout(head: list[str], kind: str | None) -> Layout | None:
    """A call log whose header and rows are kept apart by single spaces (a carrier bill's text
    copied out of a PDF viewer: ``序号 通话起始时间 通话时长 呼叫类型 对方号码 …`` above
    ``1 2025-03-03 07:59:59 00:00:35 被叫 17012340001 …``): the header must name four or more
    columns and be read as a call log with a time and a number, and most of the dated lines
    below it must have exactly as many cells (a date and its clock one cell). None otherwise —
    a list of calls without a header is never guessed."""
    for i, line in enumerate(head):
        cells = line.split()
        if len(cells) < 4 or any(ch.isdigit() for ch in line.split("(")[0]):
            continue
        lay = resolve_header(cells, kind)
        if lay is None or lay.kind != "calllog" or "number" not in lay.index:
            continue
        rows = [_split_single(ln) for ln in head[i + 1:] if _CLOCK_CELL.search(ln)][:20]
        if len(rows) < 2 or sum(len(r) == len(cells) for r in rows) * 2 <= len(rows):
            return None
        lay.header_line, lay.delimiter = i + 1, SPACE1
        lay.year = year_hint("".join(head[:i]))
        lay.anchor = export_day("".join(head[:i]))
        lay.year_span = year_span("".join(head[:i]))
        lay.owner = owner_hint("".join(head[:i]))
        return lay
    return None


def cell_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a space-aligned line."""
    spans, pos = [], 0
    for m in _SPACE_RUN.finditer(line.rstrip("\r\n")):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    end = len(line.rstrip("\r\n"))
    if end > pos:
        spans.append((pos, end))
    return spans


def place_cells(line: str, spans: list[tuple[int, int]]) -> list[str] | None:
    """The cells of a space-aligned row that has fewer cells than its header (a blank cell
    is only spaces, so splitting on runs of spaces shifts the cells after it), each put
    under the header cell it overlaps most (or the nearest one). None when that is not
    clear: a cell under no header cell's column, or two cells under one."""
    cells: list[str | None] = [None] * len(spans)
    for s, e in cell_spans(line):
        def score(h: tuple[int, int], s: int = s, e: int = e) -> tuple[int, int]:
            overlap = min(e, h[1]) - max(s, h[0])
            return overlap, -abs((s + e) - (h[0] + h[1]))

        best = max(range(len(spans)), key=lambda i: score(spans[i]))
        if score(spans[best])[0] <= 0 and not _between(s, e, spans, best):
            return None
        if cells[best] is not None:
            return None
        cells[best] = line[s:e]
    return [c or "" for c in cells]


def _between(s: int, e: int, spans: list[tuple[int, int]], i: int) -> bool:
    """A cell that overlaps no header cell but lies within column i: after the end of
    header cell i - 1 and before the start of header cell i + 1."""
    left = spans[i - 1][1] if i else -1
    right = spans[i + 1][0] if i + 1 < len(spans) else 1 << 30
    return left <= s and e <= right


def tabular_delimiter(head: list[str]) -> str | None:
    """The delimiter when the first lines look like a table (the same number of cells,
    at least three, on most lines), whatever the header says."""
    lines = [ln for ln in head if ln.strip()][:20]
    if len(lines) < 2:
        return None
    for delim in DELIMITERS:
        cells = [_split(ln, delim) for ln in lines]
        width, n = Counter(len(c) for c in cells).most_common(1)[0]
        if width < 3 or n < max(2, int(0.6 * len(lines))):
            continue
        # a table of calls or messages has dates and numbers on most rows; prose with commas does not
        rows = [ln for ln, c in zip(lines, cells, strict=True) if len(c) == width]
        if sum(sum(ch.isdigit() for ch in ln) >= 4 for ln in rows) >= len(rows) / 2:
            return delim
    return None


def unknown_header_error(file: str, rows: list[list[str]], what: str = "line") -> InputError:
    """An InputError that shows the columns found and suggests --columns."""
    best: list[str] = []
    where = 0
    for i, cells in enumerate(rows, 1):
        cells = [c.strip() for c in cells]
        if len([c for c in cells if c]) > len([c for c in best if c]):
            best, where = cells, i
    if not best or len([c for c in best if c]) < 2:
        return InputError(f"{file}: no call-log or message header found in the first {HEADER_SCAN} {what}s; "
                          "name the columns with --columns time=COLUMN,number=COLUMN,direction=COLUMN,duration=COLUMN")
    shown = ", ".join(repr(c) for c in best if c)
    eg = _columns_example([c for c in best if c])
    return InputError(f"{file}: the header is not one collcheck knows; columns found on {what} {where}: {shown}. "
                      f"Name them with --columns, e.g. --columns {eg} (names or 1-based column numbers; fields: "
                      f"{', '.join(COLUMN_KEYS)}), or, if the file is not a call log or message table, give its "
                      f"format with --input-format (e.g. transcript or text)")


_GUESS = (("time", ("时间", "日期", "time", "date")), ("number", ("号码", "电话", "手机", "发件", "收件", "number",
                                                                 "phone", "address", "sender")),
          ("text", ("内容", "正文", "消息", "短信", "text", "body", "message")),
          ("direction", ("类型", "方向", "方式", "type", "direction", "kind")),
          ("duration", ("时长", "duration", "秒")))


def _columns_example(names: list[str]) -> str:
    """A --columns example built from the header words that say what a column holds (发件号码 ->
    number, 消息正文 -> text); fields no column name suggests keep a COLUMN placeholder."""
    used: set[str] = set()
    parts = []
    for key, words in _GUESS:
        col = next((c for c in names if c not in used and any(w in c.lower() for w in words)), None)
        if col is not None:
            used.add(col)
            parts.append(f"{key}={col}")
    if not any(p.startswith("time=") for p in parts):
        parts.insert(0, "time=COLUMN")
    if len(parts) < 2:
        parts.append("number=COLUMN")
    return ",".join(parts)


# ---------------------------------------------------------------------------------------------
# Rows: (line, cells, last line) from delimited text or from a worksheet

def delimited_rows(lines: Iterable[str], delim: str, first_line: int) -> Iterator[tuple[int, list[str] | None, int]]:
    """Rows of delimited text with the physical line each starts and ends on (a quoted
    cell may hold a line break: an SMS body). A row the csv module cannot read comes as
    (line, None, line) so it can be rejected."""
    if delim in (SPACES, SPACE1):  # no quoting in space-aligned text: one row per line
        yield from line_rows(lines, delim, first_line)
        return
    reader = csv.reader(lines, delimiter=delim)
    base = first_line - 1
    last = base
    nxt = reader.__next__
    while True:
        try:
            row = nxt()
        except StopIteration:
            return
        except csv.Error:
            start, last = last + 1, base + reader.line_num
            yield start, None, last
            continue
        start, last = last + 1, base + reader.line_num
        yield start, row, last


def line_rows(lines: Iterable[str], delim: str, first_line: int,
              spans: list[tuple[int, int]] | None = None) -> Iterator[tuple[int, list[str] | None, int]]:
    """Rows of a call log: one per physical line. A call log never has a cell with a
    line break, so a stray quote cannot swallow the lines after it (one bad row, not a
    lost file). The fast path splits lines without quotes; the csv module reads the rest.
    A space-aligned row with fewer cells than its header has a blank cell: its cells are
    put under the header cells they stand below (``spans``, see place_cells)."""
    n = first_line - 1
    if delim == SPACE1:
        for line in lines:
            n += 1
            yield n, _split_single(line), n
        return
    if delim == SPACES:
        for line in lines:
            n += 1
            line = unglue(line)
            cells = _split(line, delim) if line.strip() else []
            if spans and 1 < len(cells) < len(spans):
                cells = place_cells(line.rstrip("\r\n"), spans) or cells
            yield n, cells, n
        return
    for line in lines:
        n += 1
        if '"' in line:
            yield n, _split(line, delim), n
        else:
            yield n, line.rstrip("\r\n").split(delim), n


# ---------------------------------------------------------------------------------------------
# Call logs

_ANDROID_CALL_TYPES = {"1": ("in", None), "2": ("out", None), "3": ("in", "missed"), "4": ("in", "missed"),
                       "5": ("in", "rejected"), "6": ("in", "rejected"), "7": ("in", "answered")}
ANDROID_TYPES_TEXT = "1 incoming, 2 outgoing, 3 missed, 4 voicemail, 5 rejected, 6 blocked, 7 answered elsewhere"
_IN_WORDS = ("被叫", "呼入", "来电", "打入", "接听", "已接",
             "接了", "接起",  # (接了 / 我打的: typed by hand)
             "incoming", "inbound", "received", "another device",
             "elsewhere", "externally", "其他设备")
_OUT_WORDS = ("主叫", "呼出", "去电", "拨出", "拨打", "已拨",
              "我打", "我拨", "打出", "回拨",
              "outgoing", "outbound", "dialed", "dialled")
_MISSED_WORDS = ("未接", "没接", "没有接",
                 "未应答", "无应答", "无人接听", "响铃", "missed", "no answer", "noanswer", "voicemail",
                 "语音信箱", "未通", "busy", "占线", "关机", "无法接通", "不在服务区", "失败", "failed", "响一声",
                 "unanswered", "not answered",
                 # a dialler's results for a call that did not connect: an attempt all the same
                 "空号", "停机", "欠费", "呼叫失败", "号码错误")
_REJECT_WORDS = ("拒接", "拒绝", "拒听", "被拒", "拦截", "屏蔽", "rejected", "declined", "blocked", "refused")
_ANSWER_WORDS = ("已接", "接通", "接听", "接了", "接起", "answered", "connected", "completed", "成功", "正常")
_FORWARD_WORDS = ("呼转", "转移", "forward")
# A phone's own word for an outgoing call that never connected: 未接通 / 未拨通 (OPPO, vivo, MIUI), 已取消 /
# Cancelled (iPhone: the person hung up before an answer). Without an incoming word (被叫未接通, 来电未接通)
# it is the person's own attempt — never a collector's missed call.
_OUT_UNCONNECTED = ("未接通", "未拨通", "未打通", "已取消", "取消", "cancelled", "canceled", "呼叫失败", "拨号失败",
                    "拨打失败", "call failed")
# 已挂断 / 已挂 / 挂断 (the person hung up a ringing call) without a direction word: a rejected incoming
# call, a contact attempt like 拒接 — answered when it has talk time. 对方已挂断 is the other side
# hanging up the person's own call (_OTHER_SIDE); with a direction column (主叫 / 被叫) that decides.
_HANG_UP = ("挂断", "已挂", "挂机", "挂了", "我挂", "hung up", "hang up")
# A call type that says what the other side did (对方已拒接, 对方无人接听, 对方正忙, 对方关机): the
# person called and the other side did not take it — never a rejected or missed incoming call.
_OTHER_SIDE = ("对方", "被叫方", "the other party", "callee")
CALL_TYPES_TEXT = "主叫, 被叫, 未接, 拒接, 呼入, 呼出 or an Android code 1/2/3/5"
# What a carrier bill's 通话类型 / 通信类型 says a call cost: 本地通话, 国内长途, 漫游被叫 is a
# direction too (被叫), so a charge type is one of these words and no direction word.
_CHARGE = re.compile(r"本地|长途|漫游|国内|国际|省内|省际|市话|市内|区内|区间|港澳台|异地|同城|网内|网间|"
                     r"\blocal\b|long[ -]?distance|roaming|domestic|international", re.IGNORECASE)


# a forwarded call as a bill's 通话类型 names it beside the charge types (中国电信: 本地, 国内长途, 呼转)
_FORWARDED = re.compile(r"\s*(?:呼转|呼叫转移|呼叫前转|前转|来电转接|转接)(?:通话|呼叫)?\s*")


def is_charge_type(value: str) -> bool:
    """'本地通话', '国内长途', '漫游': a charge type, which says nothing of who called."""
    if not _CHARGE.search(value):
        return False
    try:
        call_kind(value)
    except RowError:
        return True
    return False


def call_kind(value: str) -> tuple[str | None, str | None]:
    """(direction, status) a call-type cell says: 被叫 -> (in, None), 未接 -> (in, missed)."""
    s = value.strip().lower()
    if not s:
        return None, None
    if s in _ANDROID_CALL_TYPES:
        return _ANDROID_CALL_TYPES[s]
    if s in ("in", "i"):
        return "in", None
    if s in ("out", "o"):
        return "out", None
    missed = any(w in s for w in _MISSED_WORDS)
    rejected = any(w in s for w in _REJECT_WORDS) or any(w in s for w in _HANG_UP)
    is_out = any(w in s for w in _OUT_WORDS)
    is_in = any(w in s for w in _IN_WORDS) or any(w in s for w in _FORWARD_WORDS)
    if not is_in and any(w in s for w in _OUT_UNCONNECTED):
        is_out = True
    if (s.startswith(_OTHER_SIDE) and (missed or rejected or "忙" in s)
            and not any(w in s for w in ("来电", "呼入", "打入", "incoming"))):
        # 对方已拒接 / 对方无人接听 / 对方正忙: the person's own call that the other side did not take
        is_out, is_in, missed = True, False, True
    if not (missed or rejected or is_out or is_in):
        if s.isdigit():
            raise RowError(f"call type '{value.strip()}' is not an Android call type ({ANDROID_TYPES_TEXT})")
        if s in _MSG_DIRECTIONS or _MSG_KIND.search(s):  # a 短信详单 read as a call log
            raise RowError(f"call type '{value.strip()}' names a text message (received / sent, 短信), not a call; "
                           "if the file holds messages (a 短信 / 彩信详单), give --input-format messages")
        if _CHARGE.search(s):
            raise RowError(f"call type '{value.strip()}' is a charge type (本地 / 长途 / 漫游), not who called; "
                           f"expected e.g. {CALL_TYPES_TEXT}. Name the direction column with --columns "
                           "direction=COLUMN")
        raise RowError(f"call type '{value.strip()}' is not known; expected e.g. {CALL_TYPES_TEXT}")
    direction = "out" if is_out and not is_in else "in"
    if rejected:
        status = "rejected"
    elif missed:
        status = "missed"
    elif direction == "in" and any(w in s for w in _ANSWER_WORDS):
        status = "answered"
    else:
        status = None
    if direction == "out" and status is not None and status != "answered":
        status = None  # an unanswered outgoing call is the debtor's own attempt, not a missed call
    return direction, status


def _hung_up(cells: list[str], *cols: int | None) -> bool:
    """A call-type or status cell that says the person hung up (已挂断), not that they declined."""
    for c in cols:
        if c is not None and c < len(cells):
            v = cells[c].strip().lower()
            if any(w in v for w in _HANG_UP) and not any(w in v for w in _REJECT_WORDS):
                return True
    return False


# A cell that says who called (主叫 / 被叫, 呼入 / 呼出) — not only how the call went.
_DIRECTION_ONLY = ("被叫", "呼入", "来电", "打入", "主叫", "呼出", "去电", "拨出", "incoming", "outgoing",
                   "inbound", "outbound")


def says_direction(value: str) -> bool:
    s = value.strip().lower()
    return s in ("in", "out", "i", "o") or any(w in s for w in _DIRECTION_ONLY)


_YES = frozenset(("是", "是的", "y", "yes", "true", "1", "√", "✓", "✔", "接了", "有", "对"))
_NO = frozenset(("否", "不是", "n", "no", "false", "0", "×", "✗", "✘", "x", "没接", "没有", "无", "未接"))


def yes_no_status(value: str) -> str | None:
    """A 是否接听 cell: 是 -> answered, 否 -> missed; any other word as a status column's."""
    s = value.strip().lower()
    if s in _YES:
        return "answered"
    if s in _NO:
        return "missed"
    return call_status(value)


def call_status(value: str) -> str | None:
    s = value.strip().lower()
    if not s:
        return None
    if any(w in s for w in _REJECT_WORDS):
        return "rejected"
    if any(w in s for w in _HANG_UP):  # 对方已挂断 on an incoming call: the caller gave up before an answer
        return "missed" if s.startswith(_OTHER_SIDE) else "rejected"
    if any(w in s for w in _MISSED_WORDS) or any(w in s for w in _OUT_UNCONNECTED):
        return "missed"
    if any(w in s for w in _ANSWER_WORDS):
        return "answered"
    raise RowError(f"call status '{value.strip()}' is not known; expected e.g. 已接通, 未接通, 拒接")


def _duration_unit(lay: Layout) -> float:
    u = lay.units.get("duration", "")
    if u in _UNIT_MINUTES:
        return 60.0
    if u in _UNIT_MS:
        return 0.001
    return 1.0


class RowClassifier:
    """What a data row that is not an event is: a repeated header or a total line
    (filtered), or a rejected row whose reason says why."""

    def __init__(self, lay: Layout, ctx: ReadContext, where: str = ""):
        self.header = [header_key(c)[0] for c in lay.header]
        self.lay, self.ctx, self.where = lay, ctx, where

    def classify(self, line: int, cells: list[str] | None, last: int, reason: str) -> Item | None:
        if cells is None:
            return self.ctx.reject(line, f"{self.where}not a readable table row ({reason})", "")
        if not any(c.strip() for c in cells):
            return None  # a blank row is not a data row
        if self.header and [header_key(c)[0] for c in cells[:len(self.header)]] == self.header:
            return Filtered(line, "a repeated header row")
        first = next(c for c in cells if c.strip())
        if _TOTAL.match(first):
            return Filtered(line, "a total line (合计 / 小计)")
        if _PAGE.match(first) and len([c for c in cells if c.strip()]) == 1:
            return Filtered(line, "a page marker (第1页 共2页)")
        if _is_title(first) and len([c for c in cells if c.strip()]) == 1:
            return Filtered(line, "a title line inside the table (a month's 通话详单 heading)")
        if _NOTE_LINE.match(first) and len([c for c in cells if c.strip()]) == 1:
            return Filtered(line, "a note line under the table (注：… / 温馨提示：… / 整理人：…)")
        if last > line:
            reason += f" (this row runs over lines {line}–{last}: a quoted cell with no closing quote?)"
        return self.ctx.reject(line, self.where + reason, self.lay.delimiter.join(cells))


def call_items(rows: Iterable[tuple[int, list[str] | None, int]], lay: Layout, ctx: ReadContext,
               where: str = "", rid_prefix: str = "") -> Iterator[Item]:
    """Call-log rows -> CallEvent / Filtered / RejectedRow. The hot path of a
    million-row log: column indices in locals, call types and statuses cached by
    value, ISO times on a fast path, events built by call_factory."""
    ix = lay.index
    ti, di, ni = ix["time"], ix.get("date"), ix.get("number")
    yi, si, ui, bi = ix.get("direction"), ix.get("status"), ix.get("duration"), ix.get("debtor")
    ci, ei, mi = ix.get("caller"), ix.get("callee"), ix.get("name")
    saw_name = ctx.saw_name
    # 主叫 / 被叫 columns: without a call type the user's number says the direction; with one,
    # they give the other party's number when there is no 对方号码 column
    pair = ci is not None and ei is not None and (yi is None or ni is None)
    owner = owner_raw = None
    neither = 0
    cname, ename = (_column(lay, ci) or "caller", _column(lay, ei) or "callee") if pair else ("", "")
    if pair and yi is None:
        # a --debtor name (a chat nickname, given for the chats beside this bill) cannot tell a
        # bill's direction: the bill's own number is then found as if no --debtor was given
        owner_raw = ctx.debtor or lay.owner
        if owner_raw is not None:
            owner = number_key(owner_raw)
            if owner is None:
                raise InputError(f"{ctx.file}: --debtor {owner_raw!r} is not a phone number; expected e.g. "
                                 "13912345678")
            how = "--debtor" if ctx.debtor else "the lines above the header"
            ctx.notes.append(f"{ctx.file}: {where}no call-type column; your number {owner_raw} (from {how}) says "
                             f"the direction: outgoing when it is in the '{cname}' column, "
                             "else incoming")
        elif bi is None:
            owner, owner_raw, rows = _infer_owner(iter(rows), lay, ctx, where)
    width = lay.width
    parser = TimeParser(ctx.tz, lay.year, _column(lay, ti), lay.date_order, ctx.date_order)
    parser.guessed = lay.order_guessed
    parser.span = lay.year_span
    parser.anchor = lay.anchor
    parse_time = parser.parse
    kinds: dict[str, tuple[str | None, str | None]] = {}
    statuses: dict[str, str | None] = {}
    status_of = (yes_no_status if si is not None and lay.header and si < len(lay.header)
                 and header_key(lay.header[si])[0] in YES_NO_STATUS else call_status)
    durations: dict[str, float | None] = {}  # '1分23秒' -> 83: a log has a few hundred distinct values
    unit = _duration_unit(lay)
    classify = RowClassifier(lay, ctx, where).classify
    make = call_factory(ctx)
    file = ctx.file
    datetime_ = datetime
    hw = len(lay.header) if lay.header else 1 << 30
    longer: list[int] = []  # rows with more filled cells than the header: read, and said in a note
    worded: list[int] = []  # rows whose duration is words (约两分钟): read with no duration, said in a note
    single = lay.delimiter == SPACE1
    for line, cells, last in rows:
        if cells is None or len(cells) < width or (single and len(cells) > hw):
            if cells is not None and not any(cells):
                continue  # blank line
            _title_year(cells, parser)
            why = (_short_row(cells, lay, width) if cells is None or len(cells) <= hw else
                   f"the row has {len(cells)} cells and the header on line {lay.header_line} has {hw}: with one "
                   "space between cells, a cell with a space in it cannot be told apart; download the bill's "
                   "XLSX / CSV")
            item = classify(line, cells, last, why)
            if item is not None:
                yield item
            continue
        try:
            t = parse_time(cells[ti])
            if type(t) is not datetime_:
                t = _complete_time(t, cells, di, ti, parse_time, ctx)
            if yi is not None:
                v = cells[yi]
                kind = kinds.get(v)
                if kind is None:
                    kind = call_kind(v)
                    if len(kinds) < 4096:  # a column of junk cannot grow the cache without limit
                        kinds[v] = kind
                direction, status = kind
            else:
                direction = status = None
            if si is not None:
                v = cells[si]
                st = statuses[v] if v in statuses else status_of(v)
                if len(statuses) < 4096:
                    statuses[v] = st
                if st is not None:
                    status = st
            if ui is not None:
                v = cells[ui]
                dur = durations.get(v)
                if dur is None:
                    try:
                        dur = _duration_cell(v, unit)
                    except RowError:
                        if not _WORDED_DURATION.search(v):
                            raise
                        dur = None  # 约两分钟: the call stands (its time and number); its length is unknown
                        worded.append(line)
                    if len(durations) < 4096 and dur is not None:
                        durations[v] = dur
                if type(dur) is tuple:
                    # 未接通 / 拒接 written in the duration column: no talk time, and a status
                    dur, said = dur
                    if status is None or status == "answered":
                        status = said
            else:
                dur = None
            number = table_number(cells[ni]) if ni is not None else None
            debtor = table_number(cells[bi]) if bi is not None else None
            if pair:
                caller, callee = cells[ci], cells[ei]
                if direction is None:
                    me = owner
                    if bi is not None and debtor:
                        me = number_key(debtor) or owner
                    if me is None:
                        raise RowError("no call type and no own number in the row to tell the direction; "
                                       "give your number with --debtor NUMBER")
                    ck = number_key(caller)
                    if ck is None and number_key(callee) is None:
                        raise RowError(f"no number in the '{cname}' or '{ename}' column")
                    if ck == me:
                        direction, other = "out", callee
                    else:
                        direction, other = "in", caller
                        if number_key(callee) != me:
                            neither += 1
                    if debtor is None:
                        debtor = owner_raw
                else:
                    other = callee if direction == "out" else caller
                if ni is None:
                    number = table_number(other)
            if mi is not None and mi < len(cells) and cells[mi]:
                saw_name(number, cells[mi])  # a saved contact's name (not a model field: see ReadContext)
        except RowError as e:
            _title_year(cells, parser)
            item = classify(line, cells, last, str(e))
            if item is not None:
                yield item
            continue
        if direction is None and lay.blocked:
            direction, status = "in", status or "rejected"  # a blocked call: an incoming attempt, rejected
        if status is None and dur is not None:
            if dur > 0:
                status = "answered"
            elif direction == "in":
                status = "missed"  # an incoming call of 0 seconds with no type was not answered
        elif status == "rejected" and dur and direction == "in" and _hung_up(cells, yi, si):
            status = "answered"  # 已挂断 with talk time: answered, then hung up
        if len(cells) > hw and any(c.strip() for c in cells[hw:]):
            longer.append(line)
        # the person's own number a bill's preamble states (手机号码：138…): whose calls these are
        yield make(line, f"{file}:{rid_prefix}{line}" if rid_prefix else None, t, direction, number, dur, status,
                   debtor or lay.owner)
    if worded:
        shown = ", ".join(str(n) for n in worded[:5]) + (" …" if len(worded) > 5 else "")
        ctx.notes.append(f"{ctx.file}: {where}{len(worded)} row(s) give the duration in words (line {shown}): read "
                         "as calls whose length is unknown (counted as attempts, not as connected calls, unless "
                         "their type says answered); check those rows")
    if longer:
        shown = ", ".join(str(n) for n in longer[:5]) + (" …" if len(longer) > 5 else "")
        ctx.notes.append(f"{ctx.file}: {where}{len(longer)} row(s) have more cells than the header on line "
                         f"{lay.header_line} (line {shown}): read by the header's columns, the extra cells are not "
                         "read; check those rows")
    note = order_note(ctx.file, parser)
    if note and note not in ctx.notes:
        ctx.notes.append(note)
    note = relative_note(ctx.file, parser, where)
    if note:
        ctx.notes.append(note)
    if neither:
        ctx.notes.append(f"{ctx.file}: {where}{neither} row(s) have your number in neither the '{cname}' nor the "
                         f"'{ename}' column (a forwarded call?); they are read as incoming calls from the '{cname}' "
                         "number")
    # --debtor as a name only: a call log has no speaker names to match it (given beside a number,
    # the name is for the chats in the same case, and the number is what a call log uses)
    for name in ctx.debtor_speakers if ctx.debtor is None else ():
        note = f"{ctx.file}: --debtor {name} does not occur as a label"
        if note not in ctx.notes:
            ctx.notes.append(note)


def _is_title(cell: str) -> bool:
    """A section heading (2025年01月通话详单, Call history – March 2024): short, a bill word and a
    month or year in it. A one-cell row that is a sentence (我的账单还没出) stays a rejected row,
    so a message cut out of its columns is reported, not filtered."""
    cell = cell.strip()
    # (or the bill's own title repeated with a page number over the next page: …客户详单（语音通信） 第2页)
    return (len(cell) <= 30 and bool(_TITLE.search(cell))
            and bool(re.search(r"\d{4}|\d{1,2}\s*月|年|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
                               r"|第\s*\d+\s*页|page\s*\d+", cell, re.I)))


def _title_year(cells: list[str] | None, parser: TimeParser) -> None:
    """A month's title inside a bill (2025年01月通话详单) sets the year of the 01-03 rows below it."""
    filled = [c for c in cells or () if c.strip()]
    if len(filled) == 1 and _is_title(filled[0]):
        year = year_hint(filled[0])
        if year:
            parser.year, parser.span = year, None


# a duration written in words (约两分钟, 两分多钟, 半小时, 不到一分钟): no number collcheck can trust, but
# clearly a duration — the row is a call of unknown length, not a misread row
_WORDED_DURATION = re.compile(r"[一二两三四五六七八九十半几多]\s*(?:个)?\s*(?:分钟|分|秒钟|秒|小时|钟头)"
                              r"|不到|约|大概|左右")


def _duration_cell(value: str, unit: float) -> float | tuple[float, str | None] | None:
    """A duration cell's seconds; a cell that holds a call status instead (未接通, 拒接,
    无人接听: some phone and app exports write it where the talk time would be) is
    (0, that status), or (None, 'answered') for 已接通 without a time."""
    try:
        return parse_duration(value, unit)
    except RowError:
        try:
            status = call_status(value)
        except RowError:
            status = None
        if status is None:
            raise
        return (0, status) if status != "answered" else (None, status)


_SCIENTIFIC = re.compile(r"^\s*[=\"']*\d(?:\.\d+)?[eE]\+?\d+[\"']*\s*$")


def table_number(cell: str) -> str | None:
    """The other party's number as clean_number gives it; a number Excel has shown in
    scientific notation (8.61701E+12) has lost its digits and is an error, not a number."""
    if cell.isdigit():
        return cell
    if _SCIENTIFIC.match(cell):
        raise RowError(f"number '{cell.strip()}' is in scientific notation (Excel rounded it; its last digits are "
                       "lost); export again with the number column formatted as text")
    return clean_number(cell)


def relative_note(file: str, parser: TimeParser, where: str = "") -> str | None:
    """How many times were relative days (今天 / 昨天 / 星期二) dated from the export day."""
    if not parser.relative:
        return None
    return (f"{file}: {where}{parser.relative} time(s) written as a relative day (今天 / 昨天 / 前天 / 星期二) are "
            f"dated from the export day {parser.anchor} that the lines above the header name")


def _column(lay: Layout, col: int) -> str | None:
    return lay.header[col].strip() if col < len(lay.header) else None


def _short_row(cells: list[str] | None, lay: Layout, width: int) -> str:
    if cells is None:
        return "the csv module cannot read it"
    if lay.header:
        return f"the row has {len(cells)} cell(s); the header on line {lay.header_line} has {len(lay.header)}"
    return f"the row has {len(cells)} cell(s); --columns needs {width}"


def _complete_time(t: datetime | time | date, cells: list[str], di: int | None, ti: int,
                   parse_time, ctx: ReadContext) -> datetime:
    """A clock needs the date column; a date alone needs a clock."""
    if isinstance(t, time):
        if di is None or di == ti:
            raise RowError(f"time '{cells[ti].strip()}' has no date; expected e.g. 2024/3/5 下午 9:13, "
                           "or a date column")
        if not cells[di].strip():
            raise RowError(f"time '{cells[ti].strip()}' has no date and the date column is empty")
        d = parse_time(cells[di])
        if isinstance(d, datetime):
            d = d.date()
        if not isinstance(d, date):
            raise RowError(f"date '{cells[di].strip()}' is not a date; expected e.g. 2024/3/5")
        if t.hour == 12 and any(w in cells[ti] for w in ("晚", "夜里", "夜间", "半夜")):
            # 晚上12:00 is midnight, as in a full date-time cell: 00:00 of the next day
            d, t = d + timedelta(days=1), t.replace(hour=0)
        return combine(d, t, ctx.tz)
    raise RowError(f"time '{cells[ti].strip()}' has a date but no clock time; expected e.g. 2024/3/5 7:58")


# ---------------------------------------------------------------------------------------------
# Messages (SMS exports, WeChat CSV)

_MSG_IN = frozenset({"1", "in", "inbox", "received", "receive", "incoming", "接收", "收到", "收件", "收件箱", "已接收",
                     "收信", "收", "对方", "下行", "传入", "0:issender", "false:issender", "否:issender"})
_MSG_OUT = frozenset({"2", "out", "sent", "send", "outgoing", "发送", "已发送", "发出", "发件", "发件箱", "发信", "发",
                      "我", "上行", "传出", "1:issender", "true:issender", "是:issender"})
_MSG_UNSENT = {"3": "a draft (type 3), never sent", "草稿": "a draft, never sent", "draft": "a draft, never sent",
               "4": "in the outbox (type 4), not sent", "outbox": "in the outbox, not sent",
               "5": "a message that failed to send (type 5)", "failed": "a message that failed to send",
               "发送失败": "a message that failed to send", "6": "a queued message (type 6), not sent",
               "queued": "a queued message, not sent", "待发送": "a queued message, not sent",
               # checker.io.sqlite: an iPhone's group event or reaction (tapback) row
               "非消息事件": "an app's event row (a group change, a reaction), not a message"}
_MSG_UNSENT_WORDS = ("草稿", "失败", "待发送", "未发送", "发送中", "draft", "failed", "queued", "unsent", "outbox")
_MSG_OUT_WORDS = ("发送", "发出", "已发", "发件", "发信", "传出", "sent", "outgoing")
_MSG_IN_WORDS = ("接收", "收到", "收件", "已收", "收信", "传入", "received", "incoming", "inbox")
_WECHAT_SYSTEM = frozenset({"10000", "10002"})
_WECHAT_NON_TEXT = {"3": "[图片]", "34": "[语音]", "43": "[视频]", "47": "[表情]", "48": "[位置]", "42": "[名片]",
                    "50": "[语音通话]"}  # a voice / video call: a call of unknown outcome unless its text says


# A typed sheet's contact type (方式 / 联系途径): 电话 is a call, 短信 / 信息 / 微信 a message
_TYPED_HEADS = frozenset({"方式", "联系途径", "催收方式"})
_TYPED_CALL = re.compile(r"电话|打电话|来电话|来电|语音电话|通话|电话催收|打来电话")
_TYPED_MESSAGE = re.compile(r"短信|信息|消息|微信|微信消息|发短信|发信息")
_TYPED_MISSED = re.compile(r"^\s*(?:没接|未接|没有接|漏接|没听到|无人接听|没人接)")
_TYPED_REJECTED = re.compile(r"^\s*(?:拒接|挂了|挂断|直接挂|拒绝|按掉)")
_TYPED_ANSWERED = re.compile(r"^\s*(?:接了|接通|已接|接听|接起)")


def _typed_call(note: str) -> tuple[str, str | None, None]:
    """(direction, status, seconds) of a typed sheet's call row: incoming, its outcome from the
    words its note begins with (没接 / 拒接 / 接了), unknown otherwise."""
    if _TYPED_MISSED.match(note):
        return "in", "missed", None
    if _TYPED_REJECTED.match(note):
        return "in", "rejected", None
    if _TYPED_ANSWERED.match(note):
        return "in", "answered", None
    return "in", None, None


def message_direction(value: str, issender: bool) -> str | None | Filtered:
    s = value.strip().lower()
    if not s:
        return None
    key = f"{s}:issender" if issender else s
    if key in _MSG_OUT:
        return "out"
    if key in _MSG_IN:
        return "in"
    if s in _MSG_UNSENT and not issender:
        return Filtered(0, _MSG_UNSENT[s])
    if not issender:  # a phrase: 收到的短信, 已发送短信, 发送失败, Incoming SMS
        if any(w in s for w in _MSG_UNSENT_WORDS):
            return Filtered(0, f"not a sent or received message ({value.strip()})")
        out = any(w in s for w in _MSG_OUT_WORDS)
        inc = any(w in s for w in _MSG_IN_WORDS)
        if out != inc:
            return "out" if out else "in"
    raise RowError(f"message type '{value.strip()}' is not known; expected e.g. 接收 / 发送, received / sent, "
                   "or 1 (received) / 2 (sent)")


# A carrier's 短信 / 彩信详单: a type column whose values all name a message, or a direction column
# whose values are a message's (接收 / 发送) — a call log says 主叫 / 被叫 and 通话 / 语音
_MSG_KIND = re.compile(r"短信|彩信|sms|mms|点对点|信息", re.IGNORECASE)
_CALL_KIND = re.compile(r"通话|语音|呼叫|主叫|被叫|呼入|呼出|来电|去电|call|voice", re.IGNORECASE)
_MSG_TYPE_HEADS = frozenset({"信息类型", "业务类型", "通信类型", "短信类型", "消息类型", "业务名称", "通信方式", "类型",
                             "业务", "type", "servicetype", "service"})
_MSG_DIRECTIONS = frozenset({"接收", "发送", "收", "发", "上行", "下行", "接收短信", "发送短信", "收信", "发信"})
# the person themself in a sender / recipient column (发件人 = 我)
_SELF_NAMES = frozenset({"我", "本机", "自己", "本人", "me", "myself", "本机号码", "我的手机"})
_RECIPIENT_HEADS = ("收件人", "收件人号码", "收信人", "接收人", "接收方", "接收号码", "收件方", "to", "recipient",
                    "recipients", "receiver")
# The conversation a message belongs to (iMazing's Chat Session): the other party when the row's
# own number cell is empty (a sent message has no Sender ID)
_SESSION_HEADS = ("chatsession", "conversation", "thread", "会话", "会话对象", "对话", "聊天对象", "聊天会话", "聊天")


def message_bill_column(lay: Layout, rows: list[list[str]]) -> str | None:
    """The column that makes a table read as a call log a message table without text (a
    carrier's 短信 / 彩信详单): a 信息类型 / 业务类型 / 通信方式 / 类型 … column whose values
    all name a message (短信, 彩信, 点对点短信, SMS, MMS) and never a call, or the direction
    column whose values are all 接收 / 发送 / 上行 / 下行. None when no column says so."""
    keys = [header_key(c)[0] for c in lay.header]
    yi = lay.index.get("direction")
    for col, key in enumerate(keys):
        if col != yi and key not in _MSG_TYPE_HEADS:
            continue
        values = [cells[col].strip() for cells in rows if col < len(cells) and cells[col].strip()
                  and header_key(cells[col])[0] != key and not _TOTAL.match(next(c for c in cells if c.strip()))]
        if not values:
            continue
        if col == yi and all(v.lower() in _MSG_DIRECTIONS for v in values):
            return lay.header[col].strip()
        if all(_MSG_KIND.search(v) and not _CALL_KIND.search(v) for v in values):
            return lay.header[col].strip()
    return None


def _recipient_column(lay: Layout) -> int | None:
    keys = [header_key(c)[0] for c in lay.header]
    return next((i for i, k in enumerate(keys) if k in _RECIPIENT_HEADS), None)


def _is_self(value: str, names: set[str] | frozenset[str], number: str | None) -> bool:
    v = value.strip()
    return bool(v) and (v.lower() in names or (number is not None and number_key(v) == number))


def _family_name(name: str) -> bool:
    from checker.io.pasted import is_family_label

    return is_family_label(name)


def _remark_column(header: list[str] | None, name_col: int | None) -> int | None:
    """A WeChat table's 备注 / Remark column beside the nickname column it reads as the name:
    the name the person saved the contact under (妈妈 beside the nickname 刘桂芳)."""
    for i, cell in enumerate(header or ()):
        if i != name_col and header_key(cell)[0] in ("remark", "备注", "备注名", "conremark"):
            return i
    return None


def _call_in_messages(cells: list[str], yi: int, ui: int | None,
                      lay: Layout) -> tuple[str, str | None, float | None] | None:
    """(direction, status, seconds) of a message table's row whose type cell names a call
    (来电 / 去电 / 未接 / 拒接 / 拦截: a sheet someone typed from screenshots, calls and messages
    in one table); None when the cell is not a call's type."""
    try:
        direction, status = call_kind(cells[yi])
    except RowError:
        return None
    if direction is None:
        return None
    dur = None
    if ui is not None and ui < len(cells) and cells[ui].strip():
        got = _duration_cell(cells[ui], _duration_unit(lay))
        if isinstance(got, tuple):
            dur, status = got[0], status or got[1]
        else:
            dur = got
    if status is None and dur is not None:
        status = "answered" if dur > 0 else ("missed" if direction == "in" else None)
    return direction, status, dur


def message_items(rows: Iterable[tuple[int, list[str] | None, int]], lay: Layout, ctx: ReadContext,
                  where: str = "", rid_prefix: str = "") -> Iterator[Item]:
    ix = lay.index
    wechat = lay.kind == "wechat-csv"
    channel = "wechat" if wechat else "sms"
    ti, di, ni, mi = ix["time"], ix.get("date"), ix.get("number"), ix.get("name")
    yi, xi = ix.get("direction"), ix.get("text")
    ri = _remark_column(lay.header, mi) if wechat else None
    issender = (yi is not None and header_key(lay.header[yi])[0] in ("issender", "isfromme", "issend", "是否发送")
                if lay.header else False)
    # no direction column: a Status column may say Received / Sent (else it says nothing of it)
    from_status = yi is None and ix.get("status") is not None
    if from_status:
        yi = ix["status"]
    undirected: Counter[str] = Counter()  # Status values that name no direction
    calls: Counter[str] = Counter()  # rows whose type is a call's (来电 / 未接), read as calls
    typed_calls: Counter[str] = Counter()  # a typed sheet's 方式 = 电话 rows, read as calls
    # a hand-typed sheet's 方式 / 联系途径 column (电话 / 短信): only there is 电话 with words a call
    typed_type = (not wechat and yi is not None and bool(lay.header)
                  and header_key(lay.header[yi])[0] in _TYPED_HEADS)
    # 主叫号码 / 被叫号码 (an SMS bill): the user's own number tells sent from received
    ci, ei = ix.get("caller"), ix.get("callee")
    pair = yi is None and ci is not None and ei is not None
    owner = None
    if pair:
        owner_raw = ctx.debtor or lay.owner
        if owner_raw is None:
            owner, owner_raw, rows = _infer_owner(iter(rows), lay, ctx, where)
        else:
            owner = number_key(owner_raw)
            ctx.notes.append(f"{ctx.file}: {where}your number {owner_raw} (from "
                             f"{'--debtor' if ctx.debtor else 'the lines above the header'}) says who sent each "
                             f"message: you, when it is in the '{_column(lay, ci)}' column, else the other party")
    # no direction column, a sender column (发件人 / From): 我 / 本机 / Me, or --debtor, is the person themself
    to_col = _recipient_column(lay) if yi is None and not pair and not wechat and mi is not None else None
    si = next((i for i, c in enumerate(lay.header or ()) if header_key(c)[0] in _SESSION_HEADS and i != ni), None)
    own_names = {n.lower() for n in ctx.debtor_speakers} | _SELF_NAMES
    own_number = number_key(ctx.debtor) if ctx.debtor else None
    by_sender = 0  # rows whose direction the sender / recipient columns gave
    # a WeChat export with IsSender keeps the message kind (1 text, 3 image, 10000 system) in Type
    wtype = None
    if wechat and lay.header:
        keys = [header_key(c)[0] for c in lay.header]
        if issender and "type" in keys:
            wtype = keys.index("type")
        elif issender and "typename" in keys:  # PyWxDump: 文本 / 图片 / 系统通知 in type_name
            wtype = keys.index("typename")
    width = lay.width
    parser, classify, speakers = _row_tools(lay, ctx, where)
    parse_time = parser.parse
    for line, cells, last in rows:
        short = _short_items(line, cells, last, lay, width, classify)
        if short is not None:
            yield from short
            continue
        try:
            t = parse_time(cells[ti])
            if type(t) is not datetime:
                t = _complete_time(t, cells, di, ti, parse_time, ctx)
            try:
                direction = message_direction(cells[yi], issender) if yi is not None else None
            except RowError:
                kind = cells[yi].strip()
                if from_status:
                    direction = None  # a Status such as 已读: no direction, taken as received (noted below)
                    undirected[cells[yi].strip()] += 1
                elif typed_type and _TYPED_CALL.fullmatch(kind):
                    # a typed sheet's 方式 = 电话: a call, its outcome from the words beside it (接了 / 没接)
                    direction = _typed_call(cells[xi] if xi is not None and xi < len(cells) else "")
                    typed_calls[kind] += 1
                elif typed_type and _TYPED_MESSAGE.fullmatch(kind):
                    direction = None  # 方式 = 短信: a message, received (what the sheet lists came in)
                    undirected[kind] += 1
                elif wechat or (xi is not None and xi < len(cells) and cells[xi].strip()):
                    raise
                else:  # a sheet typed from screenshots, calls and messages in one table: 来电 / 未接 with no text
                    call = _call_in_messages(cells, yi, ix.get("duration"), lay)
                    if call is None:
                        raise
                    direction = call
            number = table_number(cells[ni]) if ni is not None else None
            if number is None and si is not None and len(cells) > si:
                number = table_number(cells[si])
            if pair:
                sent = owner is not None and number_key(cells[ci]) == owner
                direction = "out" if sent else "in"
                if ni is None:
                    number = table_number(cells[ei] if sent else cells[ci])
        except RowError as e:
            item = classify(line, cells, last, str(e))
            if item is not None:
                yield item
            continue
        if isinstance(direction, Filtered):
            yield Filtered(line, direction.reason)
            continue
        if isinstance(direction, tuple):
            if not typed_calls[cells[yi].strip()]:
                calls[cells[yi].strip()] += 1
            rid = f"{ctx.file}:{rid_prefix}{line}" if rid_prefix else None
            yield make_call(ctx, line, t, direction[0], number, direction[2], direction[1], rid=rid)
            continue
        text = cells[xi].strip().replace("\r\n", "\n") if xi is not None else ""
        if wtype is not None and len(cells) > wtype:
            kind = cells[wtype].strip()
            if kind in _WECHAT_SYSTEM or "系统" in kind:
                yield Filtered(line, "a WeChat system notice, not a message")
                continue
            if kind == "50" and _CALL_NOTICE.match(text):
                pass  # a call whose notice says how it went ([语音通话] 通话时长 00:35): read as such a call
            elif kind.isdigit() and kind != "1":  # PyWxDump's named kinds keep their content (引用消息 holds text)
                text = _WECHAT_NON_TEXT.get(kind, "")
        name = cells[mi].strip() if mi is not None else ""
        if yi is None and not pair and not wechat and name:
            to = cells[to_col].strip() if to_col is not None and to_col < len(cells) else ""
            if _is_self(name, own_names, own_number):  # 发件人 = 我: the person sent it
                direction, name, by_sender = "out", to, by_sender + 1
                speakers.seen.add(cells[mi].strip())
            elif to and _is_self(to, own_names, own_number):
                direction, by_sender = "in", by_sender + 1
                speakers.seen.add(to)
        if name and number and not wechat:
            ctx.saw_name(number, name)
        if direction == "out":
            speaker = "debtor"
        elif wechat and name and direction is None:
            # no IsSender column: the nickname is all there is; 我 is the debtor, others are never guessed
            speaker = speakers.speaker(name, named_only=True)
            direction = "out" if speaker == "debtor" else "in"
        elif wechat and name and name in speakers.chosen:
            speaker = "collector"
        elif wechat and ((name and _family_name(name)) or (ri is not None and ri < len(cells)
                                                            and _family_name(cells[ri]))):
            speaker = "third_party"  # a chat with a contact saved as 妈妈 / 老婆 / 表哥: never judged
        else:
            speaker = "unknown"
        rid = f"{ctx.file}:{rid_prefix}{line}" if rid_prefix else None
        yield make_message(ctx, line, channel, t, direction, number or name or None, speaker, text or None, rid)
    how = ("; if a column says whether a message was received or sent (e.g. 类型 / Type / Folder with 接收 / 发送 or "
           "Received / Sent), name it with --columns direction=COLUMN")
    if yi is None and not pair and not by_sender and not (wechat and mi is not None):
        ctx.notes.append(f"{ctx.file}: the message table has no direction column (received / sent), so every "
                         f"message is taken as received and judged as the collector side{how}")
    elif undirected:
        shown = ", ".join(f"'{v}'" for v, _k in undirected.most_common(3))
        ctx.notes.append(f"{ctx.file}: {sum(undirected.values())} message(s) whose '{lay.header[yi]}' column says "
                         f"no direction ({shown}) are taken as received and judged as the collector side{how}")
    if typed_calls and yi is not None:
        shown = ", ".join(f"'{v}'" for v, _k in typed_calls.most_common(3))
        ctx.notes.append(f"{ctx.file}: {where}{sum(typed_calls.values())} row(s) whose '{lay.header[yi]}' column says "
                         f"{shown} are read as incoming calls, answered / missed / rejected as their "
                         f"'{lay.header[xi] if xi is not None else ''}' cell begins (接了 / 没接 / 拒接); what it says "
                         "beside that is your own account of the call and is not judged as the collector's words")
    if calls and yi is not None:
        shown = ", ".join(f"'{v}'" for v, _k in calls.most_common(3))
        ctx.notes.append(f"{ctx.file}: {where}{sum(calls.values())} row(s) with no text whose '{lay.header[yi]}' "
                         f"column names a call ({shown}) are read as calls, not messages")
    for note in (*speakers.notes(ctx.file, "WeChat nicknames"), order_note(ctx.file, parser),
                 relative_note(ctx.file, parser, where)):
        # an SMS table matched by the number: a --debtor nickname given beside it is for the chats
        if note and note not in ctx.notes and not (ctx.debtor and not wechat and note.startswith(
                f"{ctx.file}: --debtor ") and note.endswith("does not occur as a label")):
            ctx.notes.append(note)


def _row_tools(lay: Layout, ctx: ReadContext, where: str) -> tuple[TimeParser, Any, SpeakerLabels]:
    """What a message or transcript table reads its rows with: the time parser (the column's
    date order), the classifier of rows that cannot be read, the speaker labels."""
    parser = TimeParser(ctx.tz, lay.year, _column(lay, lay.index["time"]), lay.date_order, ctx.date_order)
    parser.guessed = lay.order_guessed
    parser.anchor = lay.anchor
    return parser, RowClassifier(lay, ctx, where).classify, SpeakerLabels(ctx.collector_speakers, ctx.debtor_speakers)


def _short_items(line: int, cells: list[str] | None, last: int, lay: Layout, width: int,
                 classify: Any) -> list[Item] | None:
    """None for a row with every column; else what a short or empty row gives (nothing for an
    empty one, its rejection or filtering otherwise)."""
    if cells is not None and len(cells) >= width:
        return None
    if cells is not None and not any(cells):
        return []
    item = classify(line, cells, last, _short_row(cells, lay, width))
    return [item] if item is not None else []


def table_items(rows: Iterable[tuple[int, list[str] | None, int]], lay: Layout, ctx: ReadContext,
                where: str = "", rid_prefix: str = "") -> Iterator[Item]:
    note = unread_text_note(lay, ctx.file)
    if note and note not in ctx.notes:
        ctx.notes.append(note)
    if lay.kind == "calllog":
        return call_items(rows, lay, ctx, where, rid_prefix)
    if lay.kind == "transcript-table":
        return transcript_items(rows, lay, ctx, where, rid_prefix)
    return message_items(rows, lay, ctx, where, rid_prefix)


_TEXTISH = re.compile(r"文本|内容|正文|转写|识别|对话|话术|留言|回复|备注内容|text|content|message|transcript|sentence")
# a phone's mark on a number (Huawei's mark_content 骚扰电话 / 催收, 标记内容): what people call the number,
# never what was said — not offered as a text column
_MARKISH = re.compile(r"mark|标记|tag|标签")


def unread_text_note(lay: Layout, file: str) -> str | None:
    """A note naming the columns of a table read without its words — a call log whose
    header also has a column that sounds like text (客户回复, 通话文本 …) — so nothing a
    user meant to be judged is passed over in silence."""
    if lay.kind != "calllog" or not lay.header:
        return None
    used = set(lay.index.values())
    cols = [str(c).strip() for i, c in enumerate(lay.header)
            if i not in used and str(c).strip() and _TEXTISH.search(header_key(c)[0])
            and not _MARKISH.search(header_key(c)[0])]
    if not cols:
        return None
    shown = ", ".join(f"'{c}'" for c in cols)
    return (f"{file}: read as a call log; the column(s) {shown} are not read. If one holds what was said or written, "
            f"name it with --columns (e.g. --columns text={cols[0]},time=…) so its words are judged")


def transcript_items(rows: Iterable[tuple[int, list[str] | None, int]], lay: Layout, ctx: ReadContext,
                     where: str = "", rid_prefix: str = "") -> Iterator[Item]:
    """A transcript table: one sentence of a recorded call per row, as QA platforms and ASR
    services export them (录音ID, 坐席工号, 角色, 开始时间, 文本). The role column says who spoke:
    坐席 / 客服 / 催收员 are the collector, 客户 / 用户 the debtor; A / B, 说话人1 or 0 / 1 say
    nobody and are read as 'unknown' until --collector-speaker (or --debtor) names one, as in a
    pasted transcript. Rows of one call id are one call (one contact in the report).

    A QA platform's call list may instead hold each call's whole transcript in one cell (通话ID,
    坐席工号, 客户号码, 开始时间, 通话文本 with 坐席：… 客户：… inside; ``lay.whole_calls``): a row is
    then one call, its record's speaker unknown, and the engine judges the collector's turns
    and never the customer's, by the labels in the text."""
    from checker.io.common import make_utterance

    ix = lay.index
    ti, di, xi, ri = ix["time"], ix.get("date"), ix["text"], ix.get("role")
    ci, ai = ix.get("call"), ix.get("agent")
    width = lay.width
    parser, classify, speakers = _row_tools(lay, ctx, where)
    for line, cells, last in rows:
        short = _short_items(line, cells, last, lay, width, classify)
        if short is not None:
            yield from short
            continue
        text = cells[xi].strip().replace("\r\n", "\n")
        if not text and not lay.whole_calls:
            yield Filtered(line, "a sentence row with no text (silence or a non-speech segment)")
            continue
        try:
            t = parser.parse(cells[ti])
            if type(t) is not datetime:
                t = _complete_time(t, cells, di, ti, parser.parse, ctx)
        except RowError as e:
            item = classify(line, cells, last, str(e))
            if item is not None:
                yield item
            continue
        if lay.whole_calls:
            # the row is a call: its record counts for the daily limits and its time for the contact
            # hours (a call with no transcript — unanswered, or not transcribed — is only that)
            record = _whole_call(ctx, line, cells, lay, t, bool(text))
            yield record
            if not text:
                continue
            ctx.second_events += 1
        # one whole call per row (lay.whole_calls): nobody is named for the row; the engine tells
        # the turns apart by the labels in its text (坐席：… 客户：…), as in a pasted transcript
        speaker = speakers.speaker(cells[ri]) if ri is not None else "unknown"
        call = cells[ci].strip() if ci is not None and cells[ci].strip() else None
        if call is None and lay.whole_calls:
            call = f"row{line}"
        u = make_utterance(ctx, line, t, speaker, text, f"{ctx.file}:{rid_prefix}{line}" if rid_prefix else None,
                           f"{ctx.file}#{call}" if call else None)
        agent = cells[ai].strip() if ai is not None and cells[ai].strip() else None
        if agent is not None:
            u = replace(u, agent=agent)
        if lay.whole_calls and record.to:
            u = replace(u, to=record.to)  # the customer the call reached
        yield u
    for note in (*speakers.notes(ctx.file),
                 order_note(ctx.file, parser), relative_note(ctx.file, parser, where)):
        if note and note not in ctx.notes:
            ctx.notes.append(note)


def _whole_call(ctx: ReadContext, line: int, cells: list[str], lay: Layout, t: datetime, said: bool) -> CallEvent:
    """The call a QA call list's row records (``lay.whole_calls``): made by the agent to the customer
    (客户号码), so the frequency rules count it per customer and day and the contact-hours rules judge
    its time once, as a call record of the batch contract is judged; its id is the call's own (通话ID)
    when the list has one, so findings name it. Answered when its transcript holds words or its
    duration is over zero (or as its status column says), else an unanswered attempt. The words are
    the row's transcript (an Utterance of the same line, judged turn by turn)."""
    ix = lay.index

    def cell(field: str) -> str:
        i = ix.get(field)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    customer = cell("debtor") or cell("callee") or cell("number")  # 客户号码 / 被叫号码 / 号码
    try:
        number = table_number(customer) if customer else None
    except RowError:
        number = None
    duration: float | None = None
    status: str | None = None
    if cell("duration"):
        try:
            d = _duration_cell(cell("duration"), _duration_unit(lay))
        except RowError:
            d = None
        if isinstance(d, tuple):
            duration, status = d
        else:
            duration = d
    if cell("status"):
        try:
            status = call_status(cell("status")) or status
        except RowError:
            pass
    if status is None:
        status = "answered" if said or (duration or 0) > 0 else "missed"
    call_id = cell("call")
    ev = CallEvent(id=call_id or f"{ctx.file}:{line}:call", channel="call", source=Source(ctx.file, line, ctx.sha256),
                   time=t, direction="in", to=number, speaker="collector", duration_s=duration, status=status)
    agent = cell("agent")
    return replace(ev, agent=agent) if agent else ev


# ---------------------------------------------------------------------------------------------
# Sources

def read_delimited(lines: Iterator[str], ctx: ReadContext, kind: str | None) -> tuple[Layout, Iterator[Item]]:
    """Find the header in the first lines, then stream the rest: constant memory in the
    file's size (``lines`` may be an open text file)."""
    head = []
    for line in lines:
        head.append(line)
        if len(head) >= HEADER_SCAN:
            break
    lay = find_layout_in_lines(head, ctx, kind)
    if lay is None:
        delim = tabular_delimiter(head) or ","
        raise unknown_header_error(ctx.file, [_split(ln, delim) for ln in head])
    if lay.header_line == 0:
        # --columns by number: a first line with no digit in the time column is a header
        for i, ln in enumerate(head):
            if ln.strip():
                cells = _split(ln, lay.delimiter)
                ti = lay.index["time"]
                if ti < len(cells) and not any(ch.isdigit() for ch in cells[ti]):
                    lay.header_line, lay.header = i + 1, cells
                break
    first = [_split(ln, lay.delimiter) for ln in head[lay.header_line:]]
    if lay.order_open(first, ctx.date_order):  # read ahead (held in memory) until a day over 12 tells
        more = list(islice(lines, ORDER_SCAN))
        head += more
        first += [_split(ln, lay.delimiter) for ln in more]
    lay.learn_date_order(first, ctx.date_order)
    lay.learn_call_type(first, ctx)
    pre = [ln for ln in head[:max(lay.header_line - 1, 0)] if ln.strip()]
    if pre:
        ctx.notes.append(f"{ctx.file}: {len(pre)} line(s) before the header on line {lay.header_line} are a "
                         "preamble, not data rows")
    rest = _chain(head[lay.header_line:], lines)
    if lay.kind == "calllog":
        rows = line_rows(rest, lay.delimiter, lay.header_line + 1, lay.spans)
    else:
        rows = delimited_rows(rest, lay.delimiter, lay.header_line + 1)
    return lay, table_items(rows, lay, ctx)


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _cell_text(v: object) -> str:
    """A worksheet cell as the text a CSV export would hold. A date-typed cell at exactly
    midnight is written as a date: it is a date column, and reading it as a 00:00 call
    would invent a night contact."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, datetime):
        if v.microsecond >= 500_000:  # a serial a hair under the second (07:59:59.9999 is 08:00:00)
            v = v + timedelta(microseconds=1_000_000 - v.microsecond)
        if v.hour == v.minute == v.second == 0:
            return v.strftime("%Y-%m-%d")
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, timedelta):
        return str(int(v.total_seconds()))
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def read_xlsx(data: bytes, ctx: ReadContext, kind: str | None) -> tuple[str, Iterator[Item]]:
    """An XLSX workbook's sheets, read by read_sheets."""
    import io
    import zipfile

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency
        raise InputError(f"{ctx.file}: reading XLSX needs openpyxl (pip install openpyxl)") from None
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as e:
        raise InputError(f"{ctx.file}: not a readable XLSX workbook ({type(e).__name__}: {e})") from None
    except Exception as e:  # openpyxl raises many kinds on a damaged workbook
        raise InputError(f"{ctx.file}: not a readable XLSX workbook ({type(e).__name__}: {e})") from None

    def cells(ws) -> Iterator[list[str]]:
        rows = ([_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True))
        return fill_merged(rows, _merged_down(wb, ws))

    return read_sheets([(ws.title, cells(ws)) for ws in wb.worksheets], ctx, kind)


def fill_merged(rows: Iterable[list[str]], starts: dict[int, list[tuple[int, int]]]) -> Iterator[list[str]]:
    """A sheet's rows (numbered from 1) with each cell merged down (``starts``: {first row:
    [(column, last row)]}) read on every row it covers, as Excel shows it — XLSX and old .xls
    alike. A covered cell that holds a value of its own keeps it."""
    fill: dict[int, tuple[int, str]] = {}  # column -> (last row of its merged cell, the value)
    for r, out in enumerate(rows, 1):
        for col, (last, value) in list(fill.items()):
            if r > last:
                del fill[col]
                continue
            out += [""] * (col + 1 - len(out))
            if not out[col].strip():
                out[col] = value
        for col, last in starts.get(r, ()):
            if col < len(out) and out[col].strip():
                fill[col] = (last, out[col])
        yield out


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _merged_down(wb: Any, ws: Any) -> dict[int, list[tuple[int, int]]]:
    """A sheet's merged cells that span rows — a bill converted from PDF writes each day's
    date once, merged down over that day's calls — as {first row: [(column, last row)]}.
    Excel shows the merged value on every row the cell covers, so each of those rows is read
    with it (only its first column: a title merged across columns stays one cell). The
    read-only workbook does not load merged ranges: they are read from the sheet's XML."""
    try:
        xml = wb._archive.read(ws._worksheet_path)
    except Exception:  # not an openpyxl read-only sheet, or no such part: nothing merged
        return {}
    starts: dict[int, list[tuple[int, int]]] = {}
    for c1, r1, _c2, r2 in _MERGE_REF.findall(xml):
        if int(r2) > int(r1):
            starts.setdefault(int(r1), []).append((_column_number(c1), int(r2)))
    return starts


def read_sheets(sheets: list[tuple[str, Iterator[list[str]]]], ctx: ReadContext,
                kind: str | None) -> tuple[str, Iterator[Item]]:
    """The tables of a workbook (XLSX or old .xls), each sheet as (title, rows of cell
    texts as a CSV export would hold them). Every sheet with a header we know is read;
    a sheet without one is skipped with a note (a cover sheet), and a workbook with none
    is an InputError listing the columns. Rows are numbered as the spreadsheet numbers
    them; when the workbook has several sheets a rejected row's reason names its sheet."""
    found = []
    first_rows: list[list[str]] = []
    blank = True
    for title, rows in sheets:
        head: list[list[str]] = []
        try:
            for cells in rows:
                head.append(cells)
                if len(head) >= HEADER_SCAN:
                    break
        except InputError:
            raise
        except Exception as e:  # a damaged sheet: the readers raise many kinds
            raise InputError(f"{ctx.file}: sheet '{title}' cannot be read ({type(e).__name__}: {e})") from None
        if not first_rows:
            first_rows = head
        if any(c.strip() for r in head for c in r):
            blank = False
        lay = None
        for i, cells in enumerate(head):
            if len([c for c in cells if c.strip()]) < 2:
                continue
            lay = layout_from_columns(ctx.columns, cells, kind) if ctx.columns else resolve_header(cells, kind)
            if lay is not None:
                lay.header_line = i + 1
                lay.year = year_hint(" ".join(" ".join(r) for r in head[:i]))
                lay.anchor = export_day(" ".join(" ".join(r) for r in head[:i]))
                lay.owner = owner_hint("\n".join(" ".join(r) for r in head[:i]))
                break
        if lay is None and ctx.columns:
            lay = layout_from_columns(ctx.columns, None, kind)
        if lay is None and not ctx.columns and kind in (None, "calllog"):
            guessed = guess_call_columns(head, ctx)
            if guessed is not None:
                lay = guessed[0]
                ctx.notes.append(headerless_note(ctx.file, guessed[1], f"sheet '{title}': " if len(sheets) > 1 else ""))
        if lay is not None:
            if lay.order_open(head[lay.header_line:], ctx.date_order):
                try:
                    head += list(islice(rows, ORDER_SCAN))
                except InputError:
                    raise
                except Exception as e:
                    raise InputError(f"{ctx.file}: sheet '{title}' cannot be read ({type(e).__name__}: {e})") from None
            lay.learn_date_order(head[lay.header_line:], ctx.date_order)
            lay.learn_call_type(head[lay.header_line:], ctx)
        if lay is None:
            if any(c.strip() for r in head for c in r):
                ctx.notes.append(f"{ctx.file}: sheet '{title}' has no call-log or message header; not read")
            continue
        found.append((title, lay, head, rows))
    if not found and blank:
        names = ", ".join(f"'{t}'" for t, _r in sheets)
        raise InputError(f"{ctx.file}: the workbook holds no data: its sheet(s) {names} are empty; export the call "
                         "log or messages again")
    if not found:
        raise unknown_header_error(ctx.file, first_rows, "row")
    kinds = list(dict.fromkeys(lay.kind for _t, lay, _h, _r in found))
    if len(kinds) > 1:
        # a workbook someone made of their calls on one sheet and their messages on another: each
        # sheet is read as the table it is (its events carry their own channel), with a note
        what = {"calllog": "a call log", "messages": "a message table", "wechat-csv": "a WeChat chat table",
                "transcript-table": "a transcript table"}
        ctx.notes.append(f"{ctx.file}: the sheets hold different tables, each read as its own: "
                         + ", ".join(f"sheet '{t}' {what.get(lay.kind, lay.kind)}" for t, lay, _h, _r in found))
    return "+".join(kinds), _sheet_items(found, ctx, len(sheets) > 1)


def _sheet_items(sheets: list, ctx: ReadContext, several: bool) -> Iterator[Item]:
    for n, (title, lay, head, it) in enumerate(sheets):
        where = f"sheet '{title}': " if n or several else ""
        prefix = f"{title}!" if n else ""  # record ids of the first sheet read stay FILE:ROW

        def rows(title=title, lay=lay, head=head, it=it) -> Iterator[tuple[int, list[str] | None, int]]:
            r = lay.header_line
            for cells in head[lay.header_line:]:
                r += 1
                yield r, cells, r
            while True:
                try:
                    cells = next(it)
                except StopIteration:
                    return
                except Exception as e:  # a damaged sheet part-way through
                    raise InputError(f"{ctx.file}: sheet '{title}' cannot be read after row {r} "
                                     f"({type(e).__name__}: {e})") from None
                r += 1
                yield r, cells, r

        yield from table_items(rows(), lay, ctx, where, prefix)


# ---------------------------------------------------------------------------------------------
# A call log without its header row: rows copied into a new sheet or file

_NUMBER_CELL = re.compile(r"^(?:\+?\d[\d \-]{3,}\d|未知号码|隐藏号码|私人号码|unknown|private)$", re.IGNORECASE)
_DURATION_CELL = re.compile(r"^(?:\d{1,6}(?:\.0)?|\d{1,2}:\d{2}(?::\d{2})?|(?:\d+\s*(?:小时|时|分钟?|秒)\s*)+)$")


def guess_call_columns(rows: list[list[str]], ctx: ReadContext) -> tuple[Layout, str] | None:
    """A call log whose first rows are data, not a header (the collectors' rows copied into a new
    workbook): each column is named by what its cells hold — a date and time, a phone number, a call
    type (呼入 / 未接 / 拒接), a duration. A column is told when at least two of the first rows' cells
    and all but one in ten of them (at least one) hold that kind of value: a damaged row among them
    is then read and rejected like any other, not the reason the whole file is refused. Only when a
    time, a number and a call type are each told by one column alone; else None (and the
    unknown-header error stands). Returns the layout and how the columns were read, for a note."""
    rows = [r for r in rows if sum(1 for c in r if c.strip()) >= 3][:40]
    if len(rows) < 2:
        return None
    width = max(len(r) for r in rows)
    parser = TimeParser(ctx.tz)
    spare = max(1, len(rows) // 10) if len(rows) >= 3 else 0

    def every(col: int, test) -> bool:
        good = sum(1 for r in rows if col < len(r) and r[col].strip() and test(r[col].strip()))
        return good >= 2 and len(rows) - good <= spare

    def is_time(v: str) -> bool:
        try:
            t = parser.parse(v)
        except Exception:
            return False
        return isinstance(t, datetime)

    def is_type(v: str) -> bool:
        try:
            return call_kind(v) != (None, None) and not v.strip().isdigit()
        except RowError:
            return False

    found: dict[str, list[int]] = {"time": [], "number": [], "direction": [], "duration": []}
    for col in range(width):
        if every(col, is_time):
            found["time"].append(col)
        elif every(col, lambda v: bool(_NUMBER_CELL.match(v))):
            found["number"].append(col)
        elif every(col, is_type):
            found["direction"].append(col)
        elif every(col, lambda v: bool(_DURATION_CELL.match(v))):
            found["duration"].append(col)
    if any(len(found[f]) != 1 for f in ("time", "number", "direction")) or len(found["duration"]) > 1:
        return None
    cols = {f: str(c[0] + 1) for f, c in found.items() if c}
    lay = layout_from_columns(cols, None, "calllog")
    if lay is None:
        return None
    said = {"time": "time", "number": "number", "direction": "call type", "duration": "duration"}
    how = ", ".join(f"{said[f]} column {int(c)}" for f, c in cols.items())
    return lay, how


def headerless_note(file: str, how: str, where: str = "") -> str:
    return (f"{file}: {where}no header row; the columns were told by their values ({how}) and every row is read "
            "as a call. If they are misread, add the header row or name the columns with --columns")

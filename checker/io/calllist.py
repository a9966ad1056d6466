"""Call evidence written as text (format ``call-list``): what a debtor has when the phone's own
call log is gone or holds nothing useful.

* **A recordings folder listed** (``ls`` / ``ls -l`` / Windows ``dir`` output, or the bare file
  names): each line naming an audio file whose name holds a number and a start time is one
  answered call — ``13800001111_20250304_071502.m4a``, ``通话录音@张三(13800001111)_20250304071502.amr``,
  ``2025-03-04 07-15-02 +86 138 0000 1111.mp3``, ``Call@+8613800001111(0304071502).m4a``. The time
  is the name's (the call's start), never the listing's modification time (its end); a name
  without a year (``(0304071502)``) takes the year of the ``ls -l`` / ``dir`` date on its line, or of
  a line above the list naming one (``2025年 通话录音``), else it is rejected. A name does not say who
  dialled: the call is read as incoming unless the name says 呼出 / 去电 / out, and a note says so.
* **A security app's blocked-call list copied from the screen** (360手机卫士, 腾讯手机管家, 小米 /
  华为 / OPPO / vivo 骚扰拦截): a number (or 未知号码), its mark (疑似催收 · 已被2381人标记), its
  归属地 and the time it was blocked, one call per block of lines or per line. A call in a list
  that says 拦截 is a blocked incoming call (rejected).
* **A call list read from screenshots** (OCR or retyped): a name or number (``95188123(3)`` for
  three calls in a row), its 归属地, then ``昨天 21:43 呼入 1分钟`` / ``周三 07:40 未接`` /
  ``3月4日 09:00``. 今天 / 昨天 / 周三 count from the day a line above names (``截图时间：2025-03-23``,
  ``导出时间：…``); a date without a year takes that day's year or a year a title names. Without
  one such a row is rejected with what to add. A group of N calls shows only the latest one's
  time: that call is read, and the N-1 others are rejected rows with that reason.

A data row is a recording's file line or one call's entry (its first line); a listing's own
lines (``total 25440``, ``<DIR>``, ``个文件``) and lines above the first call are not data rows
but counted as filtered when they come after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from checker.io.common import Filtered, Item, ReadContext, RowError, make_call
from checker.io.times import TimeParser, export_day, parse_duration, year_hint

_AUDIO = r"\.(?:m4a|mp3|amr|aac|wav|3gp|3gpp|ogg|opus|awb|flac|3ga)"
_AUDIO_NAME = re.compile(rf"\S.*?{_AUDIO}\b", re.IGNORECASE)
_AUDIO_END = re.compile(rf"{_AUDIO}\s*$", re.IGNORECASE)
# the columns `ls -l` and `dir` write before a name (their date is the file's last change: the call's end)
_LS = re.compile(r"^[-dlcbps][-rwxsStTl]{9}[.@+]?\s+\d+\s+\S+\s+\S+\s+[\d,.]+[KMG]?\s+"
                 r"(?:(?P<y>\d{4})-\d{2}-\d{2}\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s+[+-]\d{4})?"
                 r"|[A-Za-z]{3}\s+\d{1,2}\s+(?:(?P<y2>\d{4})|\d{1,2}:\d{2})|\d{1,2}月\s*\d{1,2}\s+(?:\d{4}|\d{1,2}:\d{2}))"
                 r"\s+(?P<name>.+)$")
_DIR = re.compile(r"^(?P<y>\d{4})[/-](?P<mo>\d{1,2})[/-](?P<d>\d{1,2})\s+(?:上午|下午)?\s*\d{1,2}:\d{2}(?:\s*[AP]M)?"
                  r"\s+[\d,]+\s+(?P<name>.+)$", re.IGNORECASE)
_LS_DAY = re.compile(r"(?<!\d)(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})")
# a start time in a file name: 20250304_071502, 20250304071502, 2025-03-04 07-15-02; (0304071502)
_NAME_TIME = re.compile(r"(?<!\d)(?P<y>20\d{2})[-_.]?(?P<mo>\d{2})[-_.]?(?P<d>\d{2})[ _T-]?"
                        r"(?P<h>\d{2})[-_.:]?(?P<mi>\d{2})[-_.:]?(?P<s>\d{2})(?!\d)")
_NAME_NOYEAR = re.compile(r"[(（_-](?P<mo>[01]\d)(?P<d>[0-3]\d)(?P<h>[0-2]\d)(?P<mi>[0-5]\d)(?P<s>[0-5]\d)[)）_.]")
_PHONE = re.compile(r"(?<![\d])(?:(?:\+|00)?86[\s-]?)?(?:1[3-9]\d(?:[\s-]?\d{4}){2}|0\d{2,3}[\s-]?\d{7,8}"
                    # a landline as an iPhone shows it: 021 6078 1234
                    r"|0\d{2}[\s-]?\d{4}[\s-]\d{4}|0\d{3}[\s-]?\d{3,4}[\s-]\d{4}"
                    r"|400[\s-]?\d{3}[\s-]?\d{4}|95\d{3,6}|1\d{4}|10\d{3,6})(?![\d])")
_HIDDEN = re.compile(r"未知号码|隐藏号码|私人号码|无号码|未知来电|号码未知|unknown|private number", re.IGNORECASE)
_OUT = re.compile(r"呼出|去电|拨出|已拨|outgoing|(?<![a-z])out(?![a-z])", re.IGNORECASE)
_IN = re.compile(r"呼入|来电|已接|incoming|(?<![a-z])in(?![a-z])", re.IGNORECASE)
# a time on a call list's line: a full date, 3月4日, 今天 / 昨天 / 前天 / 周三, then a clock
_DAY = (r"20\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}\s*月\s*\d{1,2}\s*日"
        r"|\d{1,2}[-/]\d{1,2}(?=\s)|今天|昨天|前天|(?:星期|周|礼拜)[一二三四五六日天]")
_WHEN = re.compile(rf"(?P<day>{_DAY})?\s*(?:星期[一二三四五六日天]\s*)?(?P<ap>上午|下午|凌晨|早上|晚上|中午|傍晚)?\s*"
                   rf"(?P<clock>(?<![\d:：])[0-2]?\d[:：][0-5]\d(?:[:：][0-5]\d)?)(?![\d:：])")
_HEADER = re.compile(r"(?:导出|备份|生成|截图|截屏)(?:时间|日期)|export", re.IGNORECASE)
# a form's field that holds a time (首次骚扰时间：2025-04-01 06:55 / 举报时间：… in a 12321 complaint):
# no number on its line, so not a call
_FIELD = re.compile(r"^[^\d:：]{1,12}(?:时间|日期)\s*[:：]")
_MARK_COUNT = re.compile(r"已?被?\s*\d+\s*(?:人|位用户|个用户)\s*标记|\d+\s*人标记")
_GROUP = re.compile(r"[(（]\s*(\d{1,3})\s*[)）]\s*$")
_LIST_WORDS = re.compile(r"拦截|骚扰|标记|响一声|截图|截屏|通话记录|最近通话|来电记录|未接来电|归属地")
_BLOCK_WORDS = re.compile(r"拦截|屏蔽|黑名单|blocked", re.IGNORECASE)
_LOCATION = re.compile(r"移动|联通|电信|广电|归属地|^未知$|^未知归属地$|^(?:北京|上海|天津|重庆|香港|澳门)$|省|市$"
                       r"|^(?:河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|"
                       r"云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆)")
# a speaker's label (催收员：… / [2025-03-06 22:31:05] 我：…): a chat or transcript, never a call list
_LABEL = re.compile(r"(?:^|[\s\]】])[^\s：:\d\[\]【】]{1,12}(?:：|:\s)\s*\S")


def _recording(line: str) -> str | None:
    """The file name on a listing's line, when it names an audio file."""
    s = line.strip()
    if not _AUDIO_END.search(s):
        return None
    m = _LS.match(s) or _DIR.match(s)
    name = m.group("name") if m else s
    return re.split(r"[/\\]", name)[-1].strip()


def _listing_year(line: str) -> int | None:
    m = _LS.match(line.strip())
    if m:
        y = m.group("y") or m.group("y2")
        return int(y) if y else None
    m = _DIR.match(line.strip())
    return int(m.group("y")) if m else None


def looks_like_call_list(lines: list[str]) -> bool:
    """A recordings listing (three or more audio file names with a number and a time, most of the
    lines that name a file), or a blocked-call / screenshot call list (three or more calls: a time
    line with a number on it or just above it, in a text that says what it is — 拦截, 标记,
    通话记录, 归属地 — and has no chat labels)."""
    rec = [n for n in (_recording(ln) for ln in lines) if n]
    nonblank = [ln.strip() for ln in lines if ln.strip()]
    labels = sum(1 for ln in nonblank if _LABEL.search(ln) and not _HEADER.search(ln) and "归属地" not in ln
                 and not _recording(ln))
    if labels * 10 > len(nonblank):
        return False  # a chat or transcript (王经理：…), whatever file names it mentions
    if len(rec) >= 3:
        timed = sum(1 for n in rec if (_NAME_TIME.search(n) or _NAME_NOYEAR.search(n)) and _number(_strip_time(n)))
        return timed * 2 > len(rec) and timed >= 3
    if call_cards(lines) is not None:
        return True
    if not nonblank or not _LIST_WORDS.search("\n".join(nonblank[:40])):
        return False
    calls = odd = 0
    last: int | None = None  # the previous time line
    one_line = False  # it held its own number (17012340001  疑似催收  3月6日 16:16)
    for i, ln in enumerate(nonblank):
        w = None if _HEADER.search(ln) else _WHEN.search(ln)
        if w is None:
            continue
        rest = ln[:w.start()] + " " + ln[w.end():]
        if not _call_tail(ln[w.end():]):
            odd += 1  # words after the time that are no call's (拦截短信: 17012340001 2025-03-04 21:40 明天去你家)
        near = [rest] + nonblank[max(0, i - 3):i]
        if any(_number(x) or _HIDDEN.search(x) for x in near):
            calls += 1
        elif last is None and not any(_call_line(x) for x in nonblank[:i] if not _HEADER.search(x)):
            continue  # a clock above the list naming no caller (a screenshot's status bar): no call
        if last is not None:
            # between two calls a list has only the next call's number, mark and 归属地 — never a
            # message's words (a chat copied as '17012340001 2025-03-04 07:40:00' headers, then text)
            gap = nonblank[last + 1:i]
            if (one_line and gap) or len(gap) > 4 or not all(_call_line(x) for x in gap):
                odd += 1
        last, one_line = i, bool(_number(rest) or _HIDDEN.search(rest))
    return calls >= 3 and odd * 10 <= calls


_MARK_WORDS = re.compile(r"疑似|骚扰|诈骗|推销|广告|快递|外卖|送餐|中介|保险|标记|拦截|响一声|催收|贷款|金融|客服")


_PROVINCES = ("河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|"
              "贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|北京|上海|天津|重庆|香港|澳门")
# an 归属地 anywhere on a line: a province and its city (广东深圳), a place before its carrier (深圳 移动)
_LOCATION_WORDS = re.compile(rf"(?:{_PROVINCES})[\u4e00-\u9fff]{{0,3}}|[\u4e00-\u9fff]{{2,4}}\s*(?=移动|联通|电信|广电)"
                             r"|移动|联通|电信|广电|归属地|未知")
# what may follow a call's time on its line: how it went, how long, what the number is marked as, where
_TAIL_WORDS = re.compile(r"呼入|呼出|来电|去电|已接|未接|拒接|已拒接|拦截|已拦截|响一声|响\d+声|未接通|已接通|"
                         r"接通|挂断|已挂断|通话|时长|分钟|分|秒|小时|\d+|[:：()（）·|,，/\-\s]|"
                         + _MARK_WORDS.pattern + r"|电话|号码|人|位|用户|被|已|次|条")


def _call_tail(x: str) -> bool:
    """Whether the words after a call's time are a call's (呼入 1分钟 / 响一声 / 疑似催收 / 广东深圳 移动),
    not a message's text: no Chinese word is left once those are taken out."""
    left = _TAIL_WORDS.sub("", _LOCATION_WORDS.sub("", x))
    return not re.search(r"[\u4e00-\u9fff]", left)


def _call_line(x: str) -> bool:
    """A line an entry of a call list holds besides its time: a number, 未知号码, a mark, an 归属地,
    or a short name (妈妈, 张三(3)); not a sentence."""
    if re.search(r"[，。！？!?；;]", x):
        return False
    return bool(_number(x) or _HIDDEN.search(x) or _LOCATION.search(x) or _MARK_COUNT.search(x)
                or _MARK_WORDS.search(x) or len(re.sub(r"\s", "", _GROUP.sub("", x))) <= 8)


def _strip_time(name: str) -> str:
    return _NAME_NOYEAR.sub(" ", _NAME_TIME.sub(" ", name))


# a landline after +86 drops its 0: +86 21 6123 0000 is 02161230000
_INTL_LANDLINE = re.compile(r"(?<![\d])(?:\+|00)86[\s-]?([2-9]\d{1,2}(?:[\s-]?\d){7,8})(?![\d])")


def _number(text: str) -> str | None:
    text = _MARK_COUNT.sub(" ", text)
    m = _INTL_LANDLINE.search(text)
    if m:
        return "0" + re.sub(r"[\s-]", "", m.group(1))
    m = _PHONE.search(text)
    if not m:
        return None
    n = re.sub(r"[\s-]", "", m.group(0))
    n = re.sub(r"^(?:\+86|0086)", "", n)
    if len(n) == 13 and n.startswith("86") and n[2] == "1":
        n = n[2:]
    return n


# A bill copied from a carrier's app one call per card (中国移动 app: the time; 被叫 / 主叫 and the other
# number; the place and the charge; the duration), the cards apart by blank lines. The time comes first
# and the number below it, where a phone's call list has them the other way round.
_CARD_OUT = re.compile(r"主叫|呼出|去电|拨出")
_CARD_IN = re.compile(r"被叫|呼入|来电|呼转")


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    out: list[list[tuple[int, str]]] = []
    cur: list[tuple[int, str]] = []
    for i, raw in enumerate(lines, 1):
        if raw.strip() and cur and _WHEN.fullmatch(raw.strip()):
            out.append(cur)  # a time line starts a card, blank line or not (a title right above it)
            cur = []
        if raw.strip():
            cur.append((i, raw.strip()))
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def _is_card(block: list[tuple[int, str]]) -> bool:
    if not 2 <= len(block) <= 6 or _WHEN.fullmatch(block[0][1]) is None:
        return False
    rest = [x for _n, x in block[1:]]
    return (sum(1 for x in rest if _number(x) or _HIDDEN.search(x)) == 1
            and any(_CARD_OUT.search(x) or _CARD_IN.search(x) for x in rest)
            and not any(_WHEN.search(x) or re.search(r"[，。！？!?；;]", x) for x in rest))


def call_cards(lines: list[str]) -> list[list[tuple[int, str]]] | None:
    """The cards of a bill copied one call per card: three or more, and every block after the
    first card a card too but for a footer; None otherwise."""
    blocks = _blocks(lines)
    first = next((k for k, b in enumerate(blocks) if _is_card(b)), None)
    if first is None:
        return None
    after = blocks[first:]
    cards = [b for b in after if _is_card(b)]
    footers = [b for b in after if not _is_card(b) and all(_CARD_FOOTER.match(x) for _n, x in b)]
    if len(cards) < 3:
        # one or two cards (a bill copied for the night's calls only): every block after the first
        # card is a card or the bill's count line, and each card has its duration
        if len(after) != len(cards) + len(footers) or not all(any(_CARD_DURATION.search(x) for _n, x in b[1:])
                                                                 for b in cards):
            return None
        return blocks
    if len(after) - len(cards) > max(1, len(cards) // 10):
        return None
    return blocks


# a bill's own count or total line below its cards (共46条记录, 合计 12 条): filtered, not a call
_CARD_FOOTER = re.compile(r"^\s*(?:共\s*\d+\s*条(?:记录|通话)?|合计[:：]?\s*\d*\s*(?:条|次|分钟|元)?[^，。]{0,20})\s*$")
_CARD_DURATION = re.compile(r"^\s*(?:\d+\s*(?:小时|时))?\s*(?:\d+\s*分)?\s*\d+\s*秒\s*$"
                            r"|^\s*\d{1,2}:\d{2}(?::\d{2})?\s*$")


def _card_items(blocks: list[list[tuple[int, str]]], ctx: ReadContext) -> Iterator[Item]:
    whole = "\n".join(x for b in blocks for _n, x in b)
    anchor = export_day(whole)
    first = next(k for k, b in enumerate(blocks) if _is_card(b))
    year = anchor.year if anchor else None
    for b in blocks[:first]:
        for _n, x in b:
            year = year or (year_hint(x) if not _WHEN.search(x) else None)
    parser = TimeParser(ctx.tz, year=year)
    parser.anchor = anchor
    for k, b in enumerate(blocks):
        if k < first:
            for n, _x in b:
                yield Filtered(n, "a title line above the bill's calls (its month, the person's own number)")
            continue
        if not _is_card(b):
            if all(_CARD_FOOTER.match(x) for _n, x in b):
                for n, _x in b:
                    yield Filtered(n, "a total or count line of the bill (共46条记录 / 合计), not a call")
                continue
            for n, x in b:
                yield ctx.reject(n, "not a call: a call of this bill is a time line, then 主叫 / 被叫 with the "
                                    "number, the place and the duration", x)
            continue
        lineno, head = b[0]
        rest = [x for _n, x in b[1:]]
        words = " ".join(rest)
        try:
            t = parser.parse(head.replace("：", ":"))
        except (RowError, ValueError) as e:
            yield ctx.reject(lineno, str(e), " | ".join(x for _n, x in b))
            continue
        if not isinstance(t, datetime):
            yield ctx.reject(lineno, f"'{head}' is not a day and a time", " | ".join(x for _n, x in b))
            continue
        number = next((_number(x) for x in rest if _number(x)), None)
        out = bool(_CARD_OUT.search(words))
        m = re.search(r"(\d+\s*小时)?\s*(\d+\s*分钟?)?\s*(\d+\s*秒)", words) or re.search(r"\d+\s*分钟", words)
        dur = parse_duration(m.group(0).replace(" ", "")) if m else None
        status = "missed" if re.search(r"未接|未接通", words) else "answered" if dur else None
        yield make_call(ctx, lineno, t, "out" if out else "in", number, dur if status == "answered" else None,
                        status)


def read_call_list(text: str, ctx: ReadContext) -> Iterator[Item]:
    lines = text.splitlines()
    rec = [_recording(ln) for ln in lines]
    if sum(1 for n in rec if n) >= 3:
        yield from _recordings(lines, rec, ctx)
    elif (cards := call_cards(lines)) is not None:
        yield from _card_items(cards, ctx)
    else:
        yield from _entries(lines, ctx)


def _recordings(lines: list[str], rec: list[str | None], ctx: ReadContext) -> Iterator[Item]:
    first = next(i for i, n in enumerate(rec) if n)
    head_year = year_hint("\n".join(ln for ln, n in zip(lines, rec, strict=True)
                                    if not n and not _DIR.match(ln.strip())))
    assumed = 0
    for i, (ln, name) in enumerate(zip(lines, rec, strict=True)):
        lineno = i + 1
        if not ln.strip() or i < first:
            continue  # the listing's heading (`$ ls -l`, ` D:\\… 的目录`): not a data row
        if name is None:
            yield Filtered(lineno, "a line of the listing that names no recording (total, <DIR>, 个文件)")
            continue
        try:
            m = _NAME_TIME.search(name)
            if m:
                y = int(m["y"])
            else:
                m = _NAME_NOYEAR.search(name)
                if m is None:
                    raise RowError(f"recording '{name}': no start time in the file name (expected e.g. "
                                   "13800001111_20250304_071502.m4a or 通话录音@张三(13800001111)_20250304071502.amr)")
                y = _listing_year(ln)
                if y is not None:
                    ld = _LS_DAY.search(ln)
                    if ld and (int(m["mo"]), int(m["d"])) > (int(ld["mo"]), int(ld["d"])):
                        y -= 1  # a call in December listed (changed) in January
                else:
                    y = head_year
                if y is None:
                    raise RowError(f"recording '{name}': the file name gives the day without a year "
                                   f"({m.group(0).strip('()（）_.')}); list the folder with `ls -l` or `dir` (their "
                                   "dates carry the year) or write the year on a line above the list (2025年 通话录音)")
            try:
                t = datetime(y, int(m["mo"]), int(m["d"]), int(m["h"]), int(m["mi"]), int(m["s"]), tzinfo=ctx.tz)
            except ValueError:
                raise RowError(f"recording '{name}': '{m.group(0)}' is not a date and time") from None
            rest = name[:m.start()] + " " + name[m.end():]
            number = _number(rest)
            if number is None:
                raise RowError(f"recording '{name}': no phone number in the file name")
        except RowError as e:
            yield ctx.reject(lineno, str(e), ln.strip())
            continue
        label = re.search(r"@([^@()（）\d+][^()（）]*?)\s*[(（]", name)
        if label:
            ctx.saw_name(number, label.group(1))  # 通话录音@妈妈(136…): the name the phone saved
        direction = "out" if _OUT.search(rest) else "in"
        if direction == "in" and not _IN.search(rest):
            assumed += 1
        yield make_call(ctx, lineno, t, direction, number, None, "answered")
    if assumed:
        ctx.notes.append(f"{ctx.file}: {assumed} call recording(s) are read from their file names as answered "
                         "incoming calls at the time in the name; a file name does not say who dialled, so remove "
                         "the recordings of your own calls to a collector's number (or rename them with 呼出) before "
                         "scanning")


def _entries(lines: list[str], ctx: ReadContext) -> Iterator[Item]:
    whole = "\n".join(lines)
    anchor = export_day(whole)
    blocked_list = bool(_BLOCK_WORDS.search("\n".join(lines[:10])))
    parser = TimeParser(ctx.tz, year=anchor.year if anchor else None)
    parser.anchor = anchor
    pending: list[tuple[int, str]] = []
    started = False
    unknown_type = 0
    for i, raw in enumerate(lines):
        ln = raw.strip()
        lineno = i + 1
        if not ln:
            continue
        if _HEADER.search(ln) and not started:
            continue  # 导出时间 / 截图时间: what dates the list, not a call
        if _FIELD.match(ln) and not _number(ln) and not _HIDDEN.search(ln):
            if started:
                yield Filtered(lineno, "a form's time field (首次骚扰时间：…), not a call")
            continue
        if not started and parser.year is None:
            y = year_hint(ln) if not _WHEN.search(ln) else None
            if y:
                parser.year = y
        w = _WHEN.search(ln)
        if w is None:
            pending.append((lineno, ln))
            continue
        # one call: the lines since the last call (its number, mark and 归属地) and this time line
        rest = ln[:w.start()] + " " + ln[w.end():]
        if _number(rest) or _HIDDEN.search(rest):  # a call on one line: 17012340001 疑似催收 3月6日 16:16
            if started:
                for it in _orphans(pending):
                    yield ctx.reject(it[0], it[1], it[2]) if len(it) == 3 else Filtered(*it)
            pending = []
        elif not started and not any(_call_line(x) for _n, x in pending):
            # a clock with nothing above it naming a caller: a screenshot's status bar (22:10 over
            # 5G 87), not a call
            yield Filtered(lineno, "a clock above the list that names no caller (a screenshot's status bar)")
            pending = []
            continue
        elif not started:
            heads = [k for k, (_n, x) in enumerate(pending) if _number(x) or _HIDDEN.search(x)]
            if heads:
                start = heads[-1]
            else:
                names = [k for k, (_n, x) in enumerate(pending) if not _LOCATION.search(x)]
                start = names[-1] if names else len(pending)
            pending = pending[start:]
        started = True
        block = pending + [(lineno, ln)]
        pending = []
        first_line = block[0][0]
        texts = [x for _n, x in block[:-1]] + [rest]
        try:
            number = None
            hidden = False
            head = ""
            for x in texts:
                number = _number(x)
                if number:
                    head = x
                    break
                if _HIDDEN.search(x):
                    hidden, head = True, x
                    break
            if number is None and not hidden and len(block) > 1:
                head = texts[0]  # a saved contact's name (妈妈): no number on the screen
            group = _GROUP.search(head.strip()) if head else None
            words = " ".join(texts)
            stamp = w.group(0).strip().replace("：", ":")
            if w["day"] is None and not re.search(r"\d{4}", w.group(0)):
                if anchor is None:
                    raise RowError(f"'{w.group(0).strip()}' has a clock but no day: a phone's call list shows only "
                                   "the clock for today's calls; write the day the list was taken on a line above it "
                                   "(截图时间：2025-03-23 22:10)")
                stamp = f"{anchor.isoformat()} {stamp}"  # today's call: the day the list was taken
            try:
                t = parser.parse(stamp)
            except RowError:
                raise
            except ValueError as e:
                raise RowError(str(e)) from None
            if not isinstance(t, datetime):
                raise RowError(f"'{w.group(0).strip()}' is not a day and a time")
            if anchor and t.date() > anchor and not re.search(r"\d{4}", w.group(0)):
                t = t.replace(year=t.year - 1)  # 12月30日 on a list taken on 1月3日: last year's
        except RowError as e:
            msg = str(e)
            if "relative day" in msg:
                msg = (f"'{w.group(0).strip()}' is a relative day, which cannot be put on the calendar without the "
                       "day the list was taken: write it on a line above the list (截图时间：2025-03-23 22:10)")
            elif "year" in msg or re.search(r"月\s*\d{1,2}\s*日", w.group(0)) and parser.year is None:
                msg = (f"'{w.group(0).strip()}' has no year: write the day the list was taken on a line above it "
                       "(截图时间：2025-03-23 or 导出时间：…) or a title naming the year (2025年3月 骚扰拦截记录)")
            yield ctx.reject(first_line, msg, " | ".join(x for _n, x in block))
            continue
        if _OUT.search(words):
            direction, status = "out", "answered"
            if re.search(r"未接通|未接听|无应答|取消", words):
                status = "missed"
        elif _BLOCK_WORDS.search(words) or re.search(r"响一声|已拒接|拒接|挂断", words) or blocked_list:
            direction, status = "in", "rejected"
        elif re.search(r"未接|响铃", words):
            direction, status = "in", "missed"
        elif _IN.search(words) or re.search(r"(?<![未没])接通|接听了?\s*\d", words):
            # 呼入 / 已接, or 接通 2分钟 as a complaint's typed list says it
            direction, status = "in", "answered"
        else:
            direction, status = "in", None
            unknown_type += 1
        dur = None
        m = re.search(r"(\d+\s*小时)?\s*(\d+\s*分钟?)?\s*(\d+\s*秒)", words) or re.search(r"\d+\s*分钟", words)
        if m and status == "answered":
            dur = parse_duration(m.group(0).replace(" ", ""))
        yield make_call(ctx, first_line, t, direction, number, dur, status)
        if group:
            k = int(group.group(1))
            for j in range(2, k + 1):
                yield ctx.reject(first_line, f"call {j} of the {k} grouped as '{head.strip()}': a call list shows "
                                 "only the latest call's time of a group; open the group on the phone and copy each "
                                 "call's time", head.strip())
    if started:
        for it in _orphans(pending):
            yield ctx.reject(it[0], it[1], it[2]) if len(it) == 3 else Filtered(*it)
    if parser.relative:
        ctx.notes.append(f"{ctx.file}: {parser.relative} call(s) written as 今天 / 昨天 / a weekday are dated from "
                         f"the day the list names ({anchor.isoformat() if anchor else '?'})")
    if unknown_type:
        ctx.notes.append(f"{ctx.file}: {unknown_type} call(s) whose entry says neither 呼入 / 呼出 nor 未接 / 拦截 "
                         "(a screenshot's arrow icons are lost in OCR) are read as incoming calls of unknown outcome")


# a day with no clock under an entry (昨天 ⓘ / 星期五 / 2025/3/14): how a phone's call list shows the
# calls before today
_DAY_NO_CLOCK = re.compile(r"^\s*(?P<day>昨天|前天|(?:星期|周|礼拜)[一二三四五六日天]"
                           r"|(?:20\d{2}/)?\d{1,2}/\d{1,2}(?:/\d{2,4})?|(?:20\d{2}年)?\d{1,2}月\d{1,2}日|20\d{2}-\d{1,2}-\d{1,2})\s*[ⓘⒾi>›]?\s*$")


def _orphans(pending: list[tuple[int, str]]) -> Iterator[tuple]:
    """Lines between calls (or after the last) that no time line closes: a number is a call
    without a time (rejected), anything else a line that names no call (filtered). A number
    whose entry shows only a day (昨天 ⓘ / 星期五 / 2025/3/14) says so."""
    for k, (lineno, ln) in enumerate(pending):
        if _number(ln) or _HIDDEN.search(ln):
            day = next((m["day"] for _n, x in pending[k + 1:k + 4] if (m := _DAY_NO_CLOCK.match(x))), None)
            if day:
                yield (lineno, f"'{ln}': the list shows only the day ({day}), not the time of the call — a phone's "
                               "call list gives the clock for today's calls only; open the entry (ⓘ) on the phone "
                               "and copy each call's time", ln)
                continue
            yield (lineno, f"'{ln}' has no time on its line or below it", ln)
        else:
            yield (lineno, "a line between or after the calls that names no call")

"""Pasted transcripts and message text with speaker labels.

Each non-blank line is one record, id ``FILE:LINE`` (``stdin:LINE``). A line may start
with a time (``[10:02:11]``, ``2025-03-14 10:02``) and a speaker label followed by a
colon. Labels that say who spoke (催收员, 客服, 对方, 我, 本人, 妈妈 …) map to a speaker;
labels that do not (A / B, 说话人1, SPEAKER_00, 甲 / 乙) are ambiguous: they are never
guessed by position — not even "the first speaker is the collector". In a transcript spoken
by exactly two of them, the roles are read from what each says (``checker.roles``: the label
that introduces a lender, gives a 工号, asks for the debtor by name or states the debt, when
the other never does, is the collector's) and a note says which and why; otherwise they are
read as ``unknown`` (judged as collector side, as an inbox export would be) with a note
saying so. ``--collector-speaker LABEL`` names the collector's label (the other ambiguous
labels are then the debtor's side). Lines without a label continue the previous speaker. A
numbered speaker copied out of an ASR app with a space instead of the colon (``发言人1 喂``)
is a label at a line's start.

ASR transcripts as 讯飞听见 and 通义听悟 export them put the label on a line of its own
with the offset into the recording, the turn's text on the lines below and a blank line
after it (``说话人1 00:00:01`` / ``发言人2  00:01:23``, then ``喂，你好``). When a file
has such blocks, each block — the label line and the lines up to the next blank or
label line — is **one** data row and one turn, with that label (ambiguous labels as
above), id ``FILE:LINE`` of its first text line. The offset is not a clock time, so the
turn carries no time (as with SRT cues and ``[00:01:23]`` clock times); a label line
with a date (``说话人1 2024-03-05 10:00:01``) gives the turn its time, and a date line with
a start time above the blocks (``2026-10-12 14:00``) gives each turn that time plus its
offset (a date line without a time gives none: an offset is never read as a clock). A label that names
nobody (a speaker renamed ``张经理``) starts a block only when the whole file is blocks —
every paragraph after an optional title starts with a label line — and is ambiguous.

A transcript file is one call (``Utterance.call``), unless its times jump by more than
``CALL_GAP``: then each stretch is a call of its own.

**Times.** A line's time may be written as a chat app shows it: ``2025/3/5 晚上11:06``,
``2025年3月5日 23:06``, ``[2025-03-05 下午11:06]``, ``3月5日 23:06`` (no year: the first year
the file names anywhere, or the year of the last full date above it; with none, the line has no
time and a note says so). A line holding only a date (``2025年3月5日``, ``2025-03-05 21:12``)
or a day (``昨天``, ``星期三 21:12``) is a **date line**, not a data row: it gives the time of the
turns below it (a clock-only ``21:12 对方：…`` below a day line is on that day). A relative day
cannot be put on the calendar: the turns under it have no time, and a note says so. A line
that begins with a date that is not read (``05/03/2025 21:12``) is noted, never silently undated.
System lines (``撤回了一条消息``, ``以下为新消息``, a ``系统消息：`` label) are filtered.

**Chats, not calls** (``dated_chat``). A pasted text whose turns carry a calendar date is
messages someone copied from a chat, not a call's transcript (a transcript carries offsets
like ``00:01:23``, clock times or no time), unless its times say it is a call: to the second,
in stretches of several turns each less than ``CALL_GAP`` apart. ``sniff`` reads such a
text as ``text`` (one message per line, channel ``sms``; a wrapped line without a label or
time continues the message above it), so the report counts messages, not connected calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from checker.io.common import Filtered, RowError
from checker.io.times import (
    CHAT_STAMP,
    DAY_ONLY,
    RELATIVE_DAY,
    RELATIVE_STAMP,
    STAMP_CLOCK,
    TimeParser,
    assumed_year,
    assumed_year_note,
    chat_year,
    combine,
    date_order,
    order_note,
)
from checker.model import Event, RejectedRow, Source, Utterance
from checker.roles import NUMBERED_LABEL, chat_roles, turn_roles

COLLECTOR_LABELS = {"催收员", "催收", "催收人员", "催收专员", "客服", "坐席", "对方", "业务员", "专员", "工作人员",
                    "法务", "律师", "调解员", "外访员", "来电方", "催收方", "贷后", "collector", "agent", "caller"}
DEBTOR_LABELS = {"我", "本人", "客户", "债务人", "借款人", "持卡人", "用户", "自己", "debtor", "me", "customer"}
THIRD_PARTY_LABELS = {"家属", "母亲", "妈妈", "我妈", "父亲", "爸爸", "我爸", "老婆", "妻子", "丈夫", "老公", "同事",
                      "朋友", "领导", "第三方", "亲戚", "third_party",
                      # family as chat nicknames: never suggested as the collector or the debtor
                      "老妈", "老爸", "妈咪", "爹", "娘", "哥哥", "姐姐", "弟弟", "妹妹", "爷爷", "奶奶",
                      "外公", "外婆", "姥姥", "姥爷", "媳妇", "岳母", "岳父", "婆婆", "公公"}
# A name that is only a kinship word, as people save and label relatives (表哥, 堂姐, 二姨, 大伯, 我妈,
# 舅妈): whole names only, so 快递小哥 or 客服小姐 are not relatives
_KIN_NAME = re.compile(
    r"^(?:我的?)?(?:"
    r"哥哥|姐姐|弟弟|妹妹|爸爸?|妈妈?|老爸|老妈|叔叔|伯伯|舅舅|姑姑|婶婶|姨妈|姨父|姑父|舅妈|伯母|嫂子|姐夫|妹夫|"
    r"弟媳|爷爷|奶奶|外公|外婆|姥姥|姥爷|老公|老婆|媳妇|爱人|儿子|女儿|闺女|岳父|岳母|公公|婆婆|父亲|母亲|丈夫|妻子|"
    r"[表堂](?:哥哥?|姐姐?|弟弟?|妹妹?|叔|伯|舅|姑|姨|嫂)|"
    r"[大二三四五六七小幺](?:姨|叔|舅|姑|伯|婶|爷|姨妈|舅妈)|[大二三四五](?:哥|姐|嫂|嫂子))$"
    # one kinship character only after 我 (我哥, 我姐, 我舅): alone, 哥 or 姐 may be anyone
    r"|^我的?(?:哥|姐|弟|妹|叔|伯|舅|姑|姨|嫂)$")


def is_family_label(label: str) -> bool:
    """A speaker label or chat name that says a relative or someone close (妈妈, 同事, 表哥, 二姨):
    a third party, never judged."""
    s = label.strip()
    return s in THIRD_PARTY_LABELS or s.lower() in THIRD_PARTY_LABELS or bool(_KIN_NAME.match(s))


_AMBIGUOUS = re.compile(r"^(?:[A-Za-z]|[甲乙丙丁]|说话人\s*\d+|发言人\s*\d+|角色\s*\d+|"
                        r"speaker[\s_]*\d+|spk[\s_]*\d+)$", re.IGNORECASE)
# A turn's time before its label: a full date as chat apps write it, a relative day, or a clock
_LINE = re.compile(
    r"^\s*(?:[\[【(（]?\s*"
    rf"(?P<ts>{CHAT_STAMP}|{RELATIVE_DAY}|{STAMP_CLOCK})\s*[\]】)）]?\s*(?:[-–—]\s+)?)?"  # WhatsApp: 22:25 - 阿强:
    # (a sender's number may be longer than a name: 1069055512345, a 106 short-message code)
    r"(?P<label>[^:：\s()（）]{1,12}|\+?\d[\d\-]{11,20}\d|[Ss]peaker[ _]?\d+|SPEAKER[ _]\d+)"
    r"(?:\s*[(（](?P<off>\d{1,2}:\d{2}(?::\d{2})?)[)）])?\s*[:：]\s*(?P<text>.*)$")
# an ASR app's numbered speaker, a space and the turn's words on one line (发言人1 喂您好), no colon
# (its "ts" group never matches: the line is read like a _LINE match without a time)
_SPACE_LINE = re.compile(rf"^\s*(?P<ts>(?!x)x)?(?P<label>{NUMBERED_LABEL})[ \t]+(?P<text>[^\s\d:：].*)$")
# a chat app's text export line: a full stamp in brackets, or followed by a dash, then the sender
_EXPORT_LINE = re.compile(rf"^\s*(?:\[\s*{CHAT_STAMP}\s*\]\s*|{CHAT_STAMP}\s*[-–—]\s+)"
                          # (a 【签名】 heads a message, not a sender's name: 【XX银行】温馨提示：…)
                          r"(?P<label>[^:：\s()（）\[\]【】]{1,24})\s*[:：]")
# a chat app's export line whose sender's name holds spaces (WhatsApp writes the name saved in the
# phone: Ming Li, 王经理 鼎盛): the stamp in brackets or followed by a dash, a name of two to four
# words, a colon and a space. Only a name heading two or more such lines is taken for a sender
# (a message's own words may hold a space and a colon).
_EXPORT_SPACED = re.compile(rf"^[\s\u200e\u200f]*(?:\[\s*(?P<ts>{CHAT_STAMP})\s*\]\s*|(?P<ts2>{CHAT_STAMP})\s*[-–—]\s+)"
                            r"(?P<label>[^:：\s()（）\[\]【】]{1,20}(?: [^:：\s()（）\[\]【】]{1,20}){1,3})"
                            r":\s(?P<text>.*)$")
# a typed chat's line: a date and clock (2025/3/4 上午7:40, 3月4日 07:40, bracketed or not), then
# whoever sent it (王经理, 16500001001, 速易借1069012345678) and a colon; a 【签名】 is not a sender
_STAMP_LABEL = re.compile(rf"^\s*[\[【(（]?\s*(?P<ts>{CHAT_STAMP})\s*[\]】)）]?\s*(?:[-–—]\s+)?"
                          # (a note of where it was sent after the name: 李专员（微信）)
                          r"(?P<label>[^:：\s()（）\[\]【】]{1,24}(?:[(（][^:：\s()（）]{1,8}[)）])?)\s*[:：]\s*"
                          r"(?P<text>.*)$")
# a clock alone, then whoever sent the line and a colon (07:30 16500001001：…, 21:12 王经理：…)
_CLOCK_LABEL = re.compile(rf"^\s*[\[【(（]?\s*(?:{STAMP_CLOCK})\s*[\]】)）]?\s+"
                          r"(?P<label>[^:：\s()（）\[\]【】]{1,24})\s*[:：]\s*\S")
_NUMBER_LABEL = re.compile(r"^\+?\d[\d\-]{3,}\d$")
# a time and text with no label (a relative day only with its clock: 今天 alone is a word of the text)
_TS_ONLY = re.compile(rf"^\s*[\[【(（]?\s*(?P<ts>{CHAT_STAMP}|{RELATIVE_STAMP}|{STAMP_CLOCK})"
                      r"\s*[\]】)）]?\s+(?P<text>.*)$")
# a line that is only a date, a day or a time: it dates the turns below it
_DATE_LINE = re.compile(r"^[\s\[【(（—\-=─_~·]*"
                        # an export's header word (腾讯会议 会议时间：…) or the other party's number (小米
                        # 通话录音: 171 5678 1234  2026-10-12 22:40) before the date
                        r"(?:(?:会议时间|录音时间|通话时间|开始时间|录制时间|日期|时间)\s*[:：]\s*"
                        r"|(?P<number>\+?\d[\d \-]{6,}\d)\s{2,})?"
                        rf"(?P<ts>{CHAT_STAMP}|{RELATIVE_DAY}|{DAY_ONLY}|{STAMP_CLOCK})"
                        # 飞书妙记: 2026年10月12日 下午 10:40|1分钟
                        r"(?:\s*[|｜]\s*(?:\d+\s*(?:小时|分钟|分|秒)\s*)+)?"
                        # 腾讯会议: 会议时间：2025/03/14 10:30:00-10:31:20 (GMT+08:00) 中国标准时间 - 北京 — the
                        # start, the end (not needed: each turn has its offset) and the zone the times are in
                        r"(?:\s*[-–~～至]\s*\d{1,2}:\d{2}(?::\d{2})?)?"
                        r"(?:\s*[(（]\s*(?:GMT|UTC)\s*(?P<zone>[+-]\d{1,2}:?\d{2})\s*[)）])?"
                        r"(?:\s*中国标准时间(?:\s*[-–]\s*北京)?)?"
                        r"[\s\]】)）—\-=─_~·]*$")
# a transcript export's own title and header lines, not anyone's words
_TITLE_LINE = re.compile(r"^\s*(?:通话录音转文字|通话录音|录音转文字|录音转写|通话转写|转写结果|文字记录|"
                         r"智能纪要|章节速览|关键词|会议主题|会议名称|参会人|发言人列表)\s*"
                         # 小米's 通话录音  17012345678: the title and the other party's number
                         r"(?:[:：].*|\s(?P<number>\+?\d[\d \-]{4,}\d))?$")
_RELATIVE = re.compile(rf"^{RELATIVE_DAY}$")
# a title line's own date and clock at its end: 通义听悟 | 催收电话 2025-03-07 21:35
_TITLE_TIME = re.compile(r"(?<!\d)(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s+(?:[上下]午\s*)?"
                         r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)\s*$")
_SECONDS = re.compile(r"\d:\d{2}:\d{2}")
_OFFSET_STAMP = re.compile(r"\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?")  # an ASR offset: hours, minutes and seconds
# a date at the start of a line that the stamps above do not read (05/03/2025 21:12, Mar 5 21:12)
_DATEISH = re.compile(r"^\s*[\[【(（]?\s*(?:\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}(?!\d)|"
                      # 2025年3月9日 then a clock of some kind (傍晚6点, 13时): a message's time, never a title
                      r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
                      r"(?:\s*[(（]?(?:星期|周|礼拜)[一二三四五六日天][)）]?)?\s*(?:[上下中早晚凌傍夜清][午上晨间里]?)?\s*"
                      r"\d{1,2}\s*[:：时点]|"
                      r"\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}|"
                      r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?!\d))", re.IGNORECASE)
# a heading between the chats of a compilation someone pasted together: 【和“宏利金融-赵经理”的聊天】,
# ——与大哥的聊天记录——, 和妈妈的对话: in brackets or rules, or alone after a blank line (chat_heading)
_CHAT_HEADING = re.compile(r"^\s*(?P<open>[【\[(（<《]|[—\-=#*─]{2,})?\s*(?:和|与|跟)\s*"
                           r"[“\"「『]?[^\s“”\"「」『』]{1,24}?[”\"」』]?"
                           r"\s*的\s*(?:微信|短信|QQ)?\s*(?:聊天|对话)(?:记录|内容|截图)?\s*"
                           r"(?P<close>[】\])）>》]|[—\-=#*─]{2,})?\s*[:：]?\s*$")


def chat_heading(line: str, after_blank: bool) -> bool:
    """Whether ``line`` heads the next chat of a pasted compilation (not a message's words)."""
    m = _CHAT_HEADING.match(line)
    return m is not None and (after_blank or bool(m.group("open") and m.group("close")))


# what a chat app writes itself: not a message of anyone's
SYSTEM_LABELS = frozenset({"系统消息", "系统提示", "系统通知", "系统", "system", "system message"})
SYSTEM_LINE = re.compile(r"^[\s—\-=─_~·]*(?:[\"“]?[^\s，。,！？!?\"“”]{1,16}[\"”]?\s*撤回了一条消息|以下[为是]新消息|"
                         r"以上是打招呼的内容|你已添加了[^，。,]{1,20}，现在可以开始聊天了。?|"
                         r"[\"“][^\"“”]{1,20}[\"”]邀请[\"“][^\"“”]{1,60}[\"”]加入了群聊)[\s—\-=─_~·]*$")

# A phone screenshot's top, as text recognition copies it: the status bar's clock alone on a line,
# then the signal / network / battery line (.ll 5G 58, 4G 86%, WiFi 100%); then the chat's header —
# a back arrow, the thread's number or name with its chevron, the app's 短信/彩信 / iMessage label
_BAR_CLOCK = re.compile(r"^\s*\d{1,2}:\d{2}\s*$")
_BAR_SIGNAL = re.compile(r"^[\s.·•'lIı|il▂▃▄▅▆▇█📶📡🔋]*"
                         r"(?:(?:[2-5]G\+?|LTE|HD|VoLTE|Wi-?Fi|WLAN)\b[\s.·%\d📶📡🔋⚡]*|\d{1,3}\s*%)\s*$",
                         re.IGNORECASE)
_BAR_HEAD = re.compile(r"^\s*(?:[<‹〈]|[<‹〈]?\s*[+＋]?[\d\s\-()（）*]{7,}\s*[>›〉]|短信/彩信|短信|彩信|信息|iMessage|"
                       r"[<‹〈]?\s*\S{1,16}\s*[>›〉]"
                       # a chat app's title bar: the back arrow, the other party's name, the menu dots
                       r"|[<‹〈]\s*\S[^\n]{0,30}?(?:\s*(?:···|…|\.\.\.|⋯))?)\s*$")
_WECHAT_CHROME = re.compile(r"^\s*按住\s*说话\s*$|^\s*[<‹〈]\s*\S.{0,30}?\s*(?:···|⋯)\s*$")
# a chat app's own lines in a screenshot's text: the unread marker and the voice-input bar
_APP_CHROME = re.compile(r"^\s*[—\-─=_]*\s*以下(?:为|是)新消息\s*[—\-─=_]*\s*$|^\s*按住\s*说话\s*$")


def _screenshot_chrome(lines: list[str]) -> set[int]:
    """Line numbers (1-based) of a phone screenshot's status bar and chat header in a text copied
    out of screenshots: a clock alone whose next non-blank line is a signal / battery line, that line,
    and the header lines right after them (a back arrow, the thread's number and chevron, 短信/彩信)."""
    out: set[int] = set()
    nonblank = [(i, ln) for i, ln in enumerate(lines, 1) if ln.strip()]
    for k, (i, ln) in enumerate(nonblank[:-1]):
        if _BAR_CLOCK.match(ln) and _BAR_SIGNAL.match(nonblank[k + 1][1]):
            out.update((i, nonblank[k + 1][0]))
            for j, nxt in nonblank[k + 2:k + 6]:
                if not _BAR_HEAD.match(nxt):
                    break
                out.add(j)
    return out


# what a chat app writes in a sender's line of its text export (WhatsApp on an iPhone puts the
# encryption notice under the chat's name): not anyone's words
APP_NOTICE = re.compile(r"^[\s\u200e\u200f]*(?:Messages and calls are end-to-end encrypted|"
                        r"Messages to this (?:chat|group) and calls are now secured with end-to-end encryption|"
                        r"消息和通话已进行端到端加密|Your security code with .{1,40} changed|"
                        r"您与.{1,40}的安全码已更改)",
                        re.IGNORECASE)

# 讯飞听见 / 通义听悟 blocks: a line holding only a speaker label and an offset (or a time)
_BLOCK_HEAD = re.compile(
    r"^\s*(?P<label>(?:说话人|发言人)\s*\d+|[Ss]peaker[ _]?\d+|SPEAKER[ _]\d+|(?![\d\[【(（])[^:：\s]{1,12})\s+"
    r"[\[【(（]?(?P<ts>(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)[\]】)）]?\s*$")
# words that put a note's line on a day, never a speaker: 下午 15:00 / 周二 22:47 then text is not a block
_NOT_A_NAME = re.compile(r"^(?:今天|明天|昨天|前天|后天|上午|下午|晚上|早上|早晨|凌晨|中午|傍晚|夜里|半夜|"
                         r"(?:周|星期|礼拜)[一二三四五六日天])$")

# Turns further apart than this are taken for two calls pasted into one file (no one pauses
# a call for ten minutes; two calls an hour apart are two contacts).
CALL_GAP = timedelta(minutes=10)


class _Spaced:
    """An _EXPORT_SPACED match read like a _LINE match (its stamp in one group, no offset)."""

    __slots__ = ("_m",)

    def __init__(self, m: re.Match):
        self._m = m

    def group(self, name: str):
        if name == "ts":
            return self._m.group("ts") or self._m.group("ts2")
        return self._m.group(name)

    def groupdict(self) -> dict:
        return {"ts": self.group("ts"), "label": self._m.group("label"), "text": self._m.group("text")}


def speaker_for(label: str, collector_labels: frozenset[str]) -> str | None:
    """The speaker a label names, 'ambiguous' when it names nobody, None if not a label."""
    low = label.strip().lower()
    if label in collector_labels or low in collector_labels:
        return "collector"
    if label in COLLECTOR_LABELS or low in COLLECTOR_LABELS:
        return "collector"
    if label in DEBTOR_LABELS or low in DEBTOR_LABELS:
        return "debtor"
    if is_family_label(label):
        return "third_party"
    if _AMBIGUOUS.match(label.strip()):
        return "ambiguous"
    return None


def _block_names(lines: list[str]) -> frozenset[str]:
    """The labels of a file that is all 讯飞听见-style blocks: after an optional title, every
    paragraph starts with a ``LABEL 00:00:01`` line, and at least two have text under it.
    Empty otherwise: then only labels that are known or ambiguous start a block."""
    paras: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paras[-1].append(line)
        elif paras[-1]:
            paras.append([])
    paras = [p for p in paras if p]
    if paras and not _BLOCK_HEAD.match(paras[0][0]):
        paras = paras[1:]  # a title
    heads = [_BLOCK_HEAD.match(p[0]) for p in paras]
    if not all(heads) or sum(len(p) > 1 and not _BLOCK_HEAD.match(p[1]) for p in paras) < 2 or any(
            m and _NOT_A_NAME.match(m.group("label").strip()) for m in heads):
        return frozenset()
    return frozenset(m.group("label").strip() for m in heads if m)


def _offset(ts: str) -> timedelta:
    """A block's offset into the recording: HH:MM:SS, or MM:SS (飞书妙记), fractions dropped."""
    parts = [int(p) for p in re.split(r"[.,]", ts)[0].split(":")]
    h, m, sec = ([0] * (3 - len(parts)) + parts)[-3:]
    return timedelta(hours=h, minutes=m, seconds=sec)


def _next_year(t: datetime) -> datetime:
    """A date without a year read in the year of the dates above it, but earlier than them:
    the chat went on past New Year (12月31日 … 1月1日)."""
    try:
        return t.replace(year=t.year + 1)
    except ValueError:  # 2月29日
        return t


class _Stamps:
    """The times of one pasted file's stamps: full dates, dates without a year (read in the
    year the file names), a date line above the turns, relative days (no time); what
    could not be dated is remembered for the notes."""

    def __init__(self, lines: list[str], tz: tzinfo, given: str | None = None):
        self.tz = tz
        # year-last dates (WhatsApp in an English locale: 12/3/24, 9:41 PM): the order the
        # file's own stamps show (a day over 12), else month first with an AM/PM clock, else
        # --date-order (``given``); unread, with a note, when nothing says
        heads = [m.group("ts").strip() for m in map(_LINE.match, lines[:2000]) if m and m.group("ts")]
        order, _guessed = date_order(heads)
        self.parser = TimeParser(tz, order=order, given=given)
        self.parser.guessed = _guessed
        self.year = chat_year("\n".join(lines[:400]))  # the first year the file names
        self.named_year = self.year
        self.day: date | None = None  # from the last date line
        self.last: datetime | None = None  # the last time read: 1月1日 after 12月31日 is in the next year
        self.yearless: list[tuple[int, str]] = []  # read in the year the file names
        self.no_year: list[tuple[int, str]] = []  # a date without a year, and no year in the file
        self.assumed: list[tuple[int, str, int]] = []  # such a date read in the year assumed_year gives
        self.relative: list[tuple[int, str]] = []  # turns under (or led by) a relative day
        self.relative_days: list[tuple[int, str]] = []  # the relative days (昨天, 星期三 21:12)
        self.unread: list[tuple[int, str]] = []  # a line that begins with a date that was not read
        self.offsets_undated: list[int] = []  # blocks with an offset under a date line without a start time

    def _parse(self, ts: str, lineno: int) -> tuple[datetime | date | time | None, bool, bool]:
        """(what a stamp parses to or None, is it a date without a year, was its year assumed):
        a date without a year takes the year above it, or — in a file that names no year —
        the year assumed_year gives (WeChat's dates of this year); one that cannot be read is
        remembered for the notes."""
        yearless = bool(re.match(r"\d{1,2}\s*月", ts))
        assumed = yearless and self.year is None
        self.parser.year = assumed_year(ts) if assumed else self.year
        try:
            return self.parser.parse(ts), yearless, assumed
        except RowError:
            if yearless:
                self.no_year.append((lineno, ts))
            return None, yearless, assumed

    def time(self, ts: str | None, lineno: int) -> datetime | None:
        """The time a stamp gives, or None (an offset, a clock with no day, a relative day)."""
        if not ts:
            return None
        ts = ts.strip().split(",")[0] if re.search(r":\d{2},\d+$", ts.strip()) else ts.strip()
        if _RELATIVE.match(ts):
            self.relative.append((lineno, ts))
            self.relative_days.append((lineno, ts))
            return None
        t, yearless, assumed = self._parse(ts, lineno)
        if t is None:
            return None
        if isinstance(t, datetime):
            if assumed:
                self.assumed.append((lineno, ts, t.year))
            elif yearless:
                self.yearless.append((lineno, ts))
                if self.last is not None and t < self.last - timedelta(days=1):
                    t = _next_year(t)
            else:
                self.year = t.year  # later dates without a year follow the last full one
            self.last = t
            # a clock alone on a later line (12:00 我：…) is on this line's day, as under a date line
            self.day = t.date()
            return t
        if isinstance(t, time):
            return combine(self.day, t, self.tz) if self.day is not None else None
        return None

    def date_line(self, ts: str, lineno: int) -> datetime | None | bool:
        """A line that is only a date, a day or a clock: the time it gives the turns below
        it; False for a relative day (its turns have no time)."""
        ts = ts.strip()
        if _RELATIVE.match(ts):
            self.day = None
            self.relative_days.append((lineno, ts))
            return False
        t, yearless, assumed = self._parse(ts, lineno)
        if t is None:
            self.day = None
            return None
        if isinstance(t, (datetime, date)) and assumed:
            self.assumed.append((lineno, ts, t.year))
        if isinstance(t, datetime):
            self.day = t.date()
            if not yearless:
                self.year = t.year
            elif not assumed:
                self.yearless.append((lineno, ts))
            return t
        if isinstance(t, date):
            self.day = t
            if not yearless:
                self.year = t.year
            return None
        if isinstance(t, time) and self.day is not None:
            return combine(self.day, t, self.tz)
        return None

    def notes(self, file: str) -> list[str]:
        out = [n for n in (order_note(file, self.parser),) if n]
        if self.yearless:
            line, ts = self.yearless[0]
            out.append(f"{file}: {len(self.yearless)} date(s) without a year (line {line}: '{ts}') are read in "
                       f"{self.named_year or self.year}, the year the file names")
        if self.assumed:
            line, ts, _y = self.assumed[0]
            out.append(assumed_year_note(file, f"{len(self.assumed)} date(s)", f"line {line}: '{ts}'",
                                         (y for _l, _t, y in self.assumed)))
        if self.no_year:
            line, ts = self.no_year[0]
            out.append(f"{file}: {len(self.no_year)} date(s) without a year (line {line}: '{ts}') and the file "
                       "names no year: those lines are read without a time (no contact-hours finding); write the "
                       "year (2025年3月5日 22:15) to have them timed")
        if self.relative_days:
            line, ts = self.relative_days[0]
            out.append(f"{file}: {len(self.relative_days)} line(s) give a relative day (line {line}: '{ts}') that "
                       f"cannot be put on the calendar: the {len(self.relative)} line(s) under them are read without "
                       "a time (no contact-hours finding); write the date (2025-03-05 21:12) to have them timed")
        if self.offsets_undated:
            out.append(f"{file}: {len(self.offsets_undated)} turn(s) carry an offset into the recording (line "
                       f"{self.offsets_undated[0]}) under a date line without a start time: they are read without "
                       "a time (no contact-hours finding); write the call's start time above them (2026-10-12 "
                       "14:00) to have them timed")
        if self.unread:
            line, text = self.unread[0]
            if (re.match(r"\s*\[?\s*(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}([-.])\d{1,2}\1\d{4})\b", text)
                    and self.parser.given is None):
                # 03/12/2024, 21:41: nothing in the file says whether the day or the month is first
                out.append(f"{file}: {len(self.unread)} line(s) begin with a date like 03/12/2024 whose order "
                           f"nothing in the file shows (line {line}: '{text[:30]}'); they are read without a time. "
                           "Give --date-order dmy (day first, 3 December) or mdy (month first, 12 March)")
            else:
                out.append(f"{file}: {len(self.unread)} line(s) begin with a date that was not read as a time (line "
                           f"{line}: '{text[:30]}'); they are read without a time. Write dates as 2025-03-05 21:12 "
                           "(or give --input-format if the file is not a transcript or typed chat)")
        return out


def dated_chat(lines: list[str]) -> bool:
    """A pasted text that is a chat someone copied, not a call's transcript: date lines
    between its turns (two or more), or turns with a calendar date (their own, or a clock
    under a date line) that are not a call's — to the minute only, or with most stretches
    (turns less than CALL_GAP apart) a single turn. A call transcript's turns come seconds
    apart (``[2026-10-14 10:30:05] 对方：…``) or carry offsets (``[00:01:23]``)."""
    if _screenshot_chrome(lines[:40]):
        return True  # a phone screenshot's text (its status bar and chat title): messages, not a call
    stamps = _Stamps(lines, timezone.utc)
    day_lines = 0
    times: list[datetime] = []
    seconds = False
    others = 0  # turns with a label and no time of their own
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if "\u200e" in line or APP_NOTICE.search(line):
            # WhatsApp's export (the left-to-right marks it writes before notices and attachments,
            # its encryption notice): a chat, whatever its stamps' seconds say
            return True
        dm = _DATE_LINE.match(line)
        if dm:
            if not re.fullmatch(STAMP_CLOCK, dm.group("ts").strip()):
                day_lines += 1
            stamps.date_line(dm.group("ts"), lineno)
            continue
        m = _LINE.match(line) or _TS_ONLY.match(line)
        t = stamps.time(m.group("ts"), lineno) if m and m.group("ts") else None
        if t is not None:
            times.append(t)
            seconds = seconds or bool(_SECONDS.search(m.group("ts")))  # type: ignore[union-attr]
        elif m and m.group("ts") is None and speaker_for(m.group("label") or "", frozenset()) is not None:
            others += 1
    if day_lines >= 2:
        return True
    if len(times) == 1 and not seconds and not others and day_lines == 0:
        # one message typed with its date (3月10日 23:10 对方：…), perhaps wrapped over lines: not a call
        return True
    if len(times) < 2:
        return False
    if not seconds:
        return True
    stretches = [1]
    for a, b in zip(times, times[1:], strict=False):
        if abs(b - a) > CALL_GAP:
            stretches.append(1)
        else:
            stretches[-1] += 1
    return 2 * sum(n == 1 for n in stretches) >= len(stretches)


def read_pasted(lines: Iterable[str], file: str, sha256: str | None, tz: tzinfo,
                collector_labels: Iterable[str] = (), channel: str = "transcript",
                notes: list[str] | None = None, event: type[Event] = Utterance,
                carry_speaker: bool = True, debtor_labels: Iterable[str] = (), order: str | None = None
                ) -> list[Event | RejectedRow | Filtered]:
    """``carry_speaker``: a line without a label continues the previous speaker (a
    transcript turn wrapped over lines); False for message text, one message a line —
    except in a dated chat, where a line with neither label nor time is a message wrapped
    over lines. ``debtor_labels``: labels --debtor names (the debtor's own name in the
    transcript). ``order``: --date-order for year-last dates (3/5/2024)."""
    from checker.io.common import ambiguous_note, roles_note

    chosen = frozenset(collector_labels)
    debtors = frozenset(d.strip() for d in debtor_labels if d.strip())
    lines = [raw.rstrip("\r\n") for raw in lines]
    names = _block_names(lines)  # labels of a file made of blocks, which may name anyone
    # 腾讯会议's 王专员(00:00:02): lines: a label with an offset is a speaker's, whoever it names
    with_offset = [m.group("label").strip() for m in map(_LINE.match, lines[:400]) if m and m.group("off")]
    if len(with_offset) >= 2:
        names = names | frozenset(with_offset)
    # WhatsApp's text export (2026/2/9 22:24 - 王经理: … / [2026/2/9 22:24:00] 王经理: …): the label
    # after a dated stamp and its dash or bracket is the sender's name, whoever it names
    exported = [m.group("label").strip() for m in map(_EXPORT_LINE.match, lines[:400]) if m]
    if len(exported) >= 2:
        names = names | frozenset(exported)
    spaced = [m.group("label") for m in map(_EXPORT_SPACED.match, lines[:400]) if m]
    spaced_names = frozenset(lb for lb in spaced if spaced.count(lb) >= 2)
    names = names | spaced_names
    # a typed chat's lines (2025/3/4 上午7:40 王经理：… / 3月4日 07:40 16500001001：…): the label after a
    # date and clock is whoever sent the line — a name, a number, a lender — read as ambiguous, never
    # folded into the text and given the speaker of the labelled line above it
    stamped = [m.group("label").strip() for m in map(_STAMP_LABEL.match, lines[:2000]) if m]
    if len(stamped) >= 2:
        names = names | frozenset(stamped)
    else:  # one dated message: a number after its date and clock is its sender all the same
        names = names | frozenset(lb for lb in stamped if _NUMBER_LABEL.match(lb))
    # messages copied by hand under date lines (2025年3月4日, then 07:30 16500001001：…): the label after
    # a clock alone is a sender too when it is a number, or when it heads two or more such lines —
    # never the text of the labelled line above it (a collector's message read as the debtor's)
    clocked = [m.group("label").strip() for m in map(_CLOCK_LABEL.match, lines[:2000]) if m]
    names = names | frozenset(lb for lb in clocked if _NUMBER_LABEL.match(lb) or clocked.count(lb) >= 2)
    chat = event is not Utterance and dated_chat(lines[:400])
    if chat:
        carry_speaker = True
    stamps = _Stamps(lines, tz, order)

    def speaker_of(label: str) -> str | None:
        if label.strip() in debtors and label.strip() not in chosen:
            return "debtor"
        sp = speaker_for(label, chosen)
        return "ambiguous" if sp is None and label.strip() in names else sp

    def block_head(line: str) -> re.Match[str] | None:
        m = _BLOCK_HEAD.match(line)
        return m if m and speaker_of(m.group("label").strip()) is not None else None

    heads = [i for i, line in enumerate(lines) if block_head(line)]
    with_text = [i for i in heads if i + 1 < len(lines) and lines[i + 1].strip() and not block_head(lines[i + 1])]
    blocks = len(with_text) >= 2 or (len(heads) == 1 and len(with_text) == 1)
    # [00:00:01.450] 说话人1：… in a call's transcript: the stamps before the labels are offsets into
    # the recording (they start at 00:00 and only grow), not clocks — under a start time above
    # (2025-03-11 07:59:00) a turn is at that time plus its offset, never at the day's 00:00:01
    clocks = [m.group("ts").strip() for ln in lines
              if (m := _LINE.match(ln)) and m.group("ts") and re.fullmatch(STAMP_CLOCK, m.group("ts").strip())]
    offset_stamps = (not chat and len(clocks) >= 2 and all(_OFFSET_STAMP.fullmatch(c) for c in clocks)
                     and _offset(clocks[0]) < timedelta(minutes=1)
                     and all(_offset(a) <= _offset(b) for a, b in zip(clocks, clocks[1:], strict=False)))
    # (line, label, time, text, raw line, time of its own or from a date line) or a Filtered row
    parsed: list[tuple[int, str | None, datetime | None, str, str] | Filtered] = []
    title_number: str | None = None  # 小米's 通话录音  17012345678: the number the recorded call was with
    ambiguous: list[str] = []
    skip_to = 0
    current_time: datetime | None = None  # the time the last date line gives
    under_relative = False  # below a relative day: the turns have no time
    fresh = False  # the last non-blank line was a date line: the next turn takes its time
    started = False  # a turn has been read: title lines come only before the first
    # a phone screenshot's text (its status bar and title): the bubbles the person did not mark
    # as their own (我：…) are the other party's, each — never the speaker of the line above
    chrome = _screenshot_chrome(lines)
    if chrome:
        carry_speaker = False
        if channel == "sms" and any(_WECHAT_CHROME.search(ln) for ln in lines[:400]):
            channel = "wechat"  # WeChat's own lines (按住 说话, the title's ···): its messages, not SMS
    for lineno, line in enumerate(lines, 1):
        if lineno <= skip_to or not line.strip():
            continue
        if chrome and _APP_CHROME.match(line):
            chrome.add(lineno)
        if lineno in chrome:
            parsed.append(Filtered(lineno, "a phone screenshot's status bar or chat header (its clock, signal, "
                                           "the thread's name), not a message"))
            continue
        if not started and (tm := _TITLE_LINE.match(line)):
            if tm.group("number"):
                title_number = re.sub(r"[ \-]", "", tm.group("number"))  # the other party of the recorded call
            parsed.append(Filtered(lineno, "a title or header line of the transcript export, not anyone's words"))
            continue
        bm = block_head(line) if blocks else None
        if blocks and bm is None and not started and not _DATE_LINE.match(line):
            # 飞书妙记's 关键词 and their values above the first block: the export's, not a turn; a
            # title that ends with the call's date and clock (通义听悟 | 催收电话 2025-03-07 21:35)
            # dates the blocks below it as a date line would
            tt = _TITLE_TIME.search(line)
            if tt and current_time is None:
                got = stamps.date_line(tt.group(1), lineno)
                if isinstance(got, datetime):
                    current_time, fresh = got, True
            parsed.append(Filtered(lineno, "a header line above the transcript's first turn, not anyone's words"))
            continue
        if bm is not None:  # 说话人1 00:00:01, then the turn's text up to a blank or the next label line
            started = True
            end = lineno
            while end < len(lines) and lines[end].strip() and not block_head(lines[end]):
                end += 1
            skip_to = end
            label = bm.group("label").strip()
            if speaker_of(label) == "ambiguous" and label not in ambiguous and label not in chosen:
                ambiguous.append(label)
            body = [ln.strip() for ln in lines[lineno:end]]
            ts = bm.group("ts")
            if re.match(r"\d{4}", ts):  # 说话人1 2024-03-05 10:00:01: the turn's own time
                t = stamps.time(ts, lineno)
            else:
                # an offset into the recording (00:01:23, or 01:23 as 飞书妙记 writes it), never a
                # clock: a start time above (2026-10-12 14:00) plus the offset, else no time
                t = current_time + _offset(ts) if current_time is not None else None
                if t is None and stamps.day is not None:
                    stamps.offsets_undated.append(lineno)
            parsed.append((lineno + 1 if body else lineno, label, t, "\n".join(body),
                           "\n".join(lines[lineno - 1:end])))
            continue
        dm = _DATE_LINE.match(line)
        if dm:  # a date line: not a turn, it dates the turns below it
            zone = dm.group("zone")
            got = stamps.date_line(f"{dm.group('ts')} GMT{zone}" if zone else dm.group("ts"), lineno)
            under_relative = got is False
            current_time = got if isinstance(got, datetime) else None
            fresh = True
            continue
        if SYSTEM_LINE.match(line):
            parsed.append(Filtered(lineno, "a chat app's system line (撤回了一条消息 / 以下为新消息), not a message"))
            continue
        if chat and chat_heading(line, lineno == 1 or not lines[lineno - 2].strip()):
            parsed.append(Filtered(lineno, "a heading between the chats of a compilation (和…的聊天), not a message"))
            fresh = False
            continue
        m = _LINE.match(line)
        if not (m and speaker_of(m.group("label")) is not None):
            sm = _STAMP_LABEL.match(line)
            if sm and speaker_of(sm.group("label")) is not None:
                m = sm  # a sender's name longer than a label (速易借1069012345678：)
            elif spaced_names and (xm := _EXPORT_SPACED.match(line)) and xm.group("label") in spaced_names:
                m = _Spaced(xm)  # [2026/2/9 下午10:20:15] 王经理 鼎盛: … (a saved name with a space)
            elif not blocks and (spm := _SPACE_LINE.match(line)):
                m = spm  # 发言人1 喂您好: a numbered speaker without a colon
        label = ts = None
        text = line.strip()
        if m and m.group("label").strip().lower() in SYSTEM_LABELS:
            parsed.append(Filtered(lineno, "a system message (系统消息), not anyone's words"))
            continue
        if m and speaker_of(m.group("label")) is not None and APP_NOTICE.match(m.group("text")):
            parsed.append(Filtered(lineno, "a chat app's notice (end-to-end encryption, a security code), "
                                           "not anyone's words"))
            continue
        off = None
        if m and speaker_of(m.group("label")) is not None:
            label, ts, text = m.group("label").strip(), m.group("ts"), m.group("text").strip()
            off = m.groupdict().get("off")
            if offset_stamps and ts and re.fullmatch(STAMP_CLOCK, ts.strip()):
                off, ts = ts.strip(), None
            if speaker_of(label) == "ambiguous" and label not in ambiguous and label not in chosen:
                ambiguous.append(label)
        else:
            tm = _TS_ONLY.match(line)
            if tm:
                ts, text = tm.group("ts"), tm.group("text").strip()
        if (chat and label is None and ts is None and not started and current_time is None and not under_relative
                and not _DATEISH.match(line)):
            # a typed chat's own title above its first date line (3月份收到的短信（从手机抄的）): no one's message
            parsed.append(Filtered(lineno, "a title line above the chat's first date, not a message"))
            continue
        if (chat and label is None and ts is None and not fresh and parsed
                and not isinstance(parsed[-1], Filtered) and not _DATEISH.match(line)
                # (in a screenshot's text a blank line parts two bubbles: each is a message)
                and not (chrome and not lines[lineno - 2].strip())):
            # a message wrapped over lines in a typed chat: the text of the message above it, at its time
            p0 = parsed[-1]
            parsed[-1] = (p0[0], p0[1], p0[2], f"{p0[3]}\n{text}" if p0[3] else text, f"{p0[4]}\n{line}")
            continue
        started = True
        t = stamps.time(ts, lineno)
        if off is not None and ts is None:
            # 王专员(00:00:02): an offset into the recording, after the start time above (会议时间：…)
            t = current_time + _offset(off) if current_time is not None else None
            if t is None and stamps.day is not None:
                stamps.offsets_undated.append(lineno)
        elif ts is None and (label is not None or fresh or chrome):
            # a turn below a date line is at that line's time (in a screenshot every bubble below the
            # centred time is: the app shows one time for a run of bubbles)
            t = current_time
            if under_relative:
                stamps.relative.append((lineno, text[:20]))
        elif t is None and _DATEISH.match(line):
            stamps.unread.append((lineno, line.strip()))
        fresh = False
        parsed.append((lineno, label, t, text, line))
    # One call's turns spoken by two labels that name nobody (说话人1 / 2, A / B): the label that
    # speaks as the agent does, when the other never does, is the collector's and the other the
    # debtor's (checker.roles) — said in a note, with the option that says otherwise
    # (in a typed chat, 2025/3/5 22:15 王经理：…, a sender's name may tell too: 速易借客服-小周)
    roles: dict[str, str] = {}
    why, by_name = "", False
    # (a --debtor nickname this file never uses says nothing of its labels: 说话人1 / 说话人2 are still read)
    present = debtors & {p[1].strip() for p in parsed if not isinstance(p, Filtered) and p[1] is not None}
    if not chosen and not present and len(ambiguous) == 2:
        turns = [(p[1], p[3]) for p in parsed if not isinstance(p, Filtered) and p[1] is not None]
        if all(speaker_of(lab) == "ambiguous" for lab, _t in turns):
            if event is Utterance:
                roles, why = turn_roles(turns)
            else:
                roles, why, by_name = chat_roles([(lab.strip(), t) for lab, t in turns])
    if notes is not None:
        if roles:
            notes.append(roles_note(file, "speaker labels", ambiguous, roles, why, by_name))
        elif ambiguous and not chosen:
            notes.append(ambiguous_note(file, "speaker labels", ambiguous, bool(present)))
        labels = {p[1] for p in parsed if not isinstance(p, Filtered)}
        for option, given in (("--collector-speaker", chosen), ("--debtor", debtors)):
            missing = sorted(c for c in given if c not in labels)
            if missing:
                notes.append(f"{file}: {option} {', '.join(missing)} does not occur as a label")
        notes.extend(stamps.notes(file))
    out: list[Event | RejectedRow | Filtered] = []
    current = "unknown"
    inherited: list[tuple[int, str]] = []  # lines with a time of their own and no label, given the speaker above
    calls = 1  # a transcript file is one call; a gap of more than CALL_GAP between turns starts another
    last: datetime | None = None
    for p in parsed:
        if isinstance(p, Filtered):
            out.append(p)
            continue
        lineno, label, t, text, line = p
        if label is not None:
            sp = speaker_of(label)
            if sp == "ambiguous":
                sp = roles.get(label.strip()) or ("debtor" if chosen else "unknown")
            current = sp or "unknown"
        elif not carry_speaker:
            current = "unknown"
        elif t is not None and current != "unknown":
            inherited.append((lineno, current))
        if not text:
            out.append(RejectedRow(file, lineno, "a speaker label with no text after it", line))
            continue
        if t is not None:
            if last is not None and abs(t - last) > CALL_GAP:
                calls += 1
            last = t
        extra: dict[str, str] = {}
        if event is Utterance:
            extra["call"] = f"{file}#{calls}"
            if title_number and current in ("unknown", "collector"):
                # the other party's turns came from the number the recording's title names: --numbers
                # ties the call to its collector and the report shows the number
                extra["from_"], extra["direction"] = title_number, "in"
        elif current in ("debtor", "collector", "unknown"):
            extra["direction"] = "out" if current == "debtor" else "in"  # a message the debtor sent, or got
        if (event is not Utterance and label is not None and current in ("unknown", "collector")
                and _NUMBER_LABEL.match(label)):
            extra["from_"] = label  # a message headed by its sender's number: --numbers can tie it to a collector
        out.append(event(id=f"{file}:{lineno}", channel=channel, source=Source(file, lineno, sha256),
                         time=t, speaker=current, text=text, **extra))
    if notes is not None and inherited:
        spoken = sorted({sp for _l, sp in inherited})
        notes.append(f"{file}: {len(inherited)} line(s) with a time of their own but no speaker label (line "
                     f"{inherited[0][0]}) are given the speaker of the labelled line above them "
                     f"({', '.join(spoken)}); a debtor's or third party's line is not judged. Write the sender "
                     "before each message (2025-03-05 21:12 对方：…) to have each line read as its sender's")
    return out

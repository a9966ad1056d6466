"""Times and durations as phones, carriers and backup apps write them.

Times: ISO 8601 (``2024-03-05 07:58:00``, with or without an offset), ``2024/3/5 7:58``,
``2024.3.5 7:58``, ``2024年3月5日 07:58:00``, ``2024年3月5日7时58分``, 12-hour forms
(``2024/3/5 下午 9:13``, ``9:13 PM``), a clock alone (``下午 9:13``: the date comes from
another column), a date without a year (``03-05 07:58``: the year comes from the bill's
preamble), compact ``20240305075800``, epoch seconds or milliseconds, Excel serial days,
a weekday before the date or after the clock (``2024年3月5日 星期二 15:07``,
``2024-03-05 15:07 周二``), English forms (``Mar 5, 2024 at 3:07 PM``, Java's
``Tue Mar 05 15:07:12 CST 2024``, CST read as local time) and dates with the year last
(``3/5/2024 7:40 AM``, iPhone tools in an English locale). Month / day order of a
year-last date is never guessed from one ambiguous value: a day over 12 in the column
says it (the table readers look at the first rows), else a 12-hour AM/PM clock means
the US order (month first, said in a note), else the row is rejected saying why.
``--date-order dmy|mdy|ymd`` says the order instead: every slashed date is read that
way (``ymd`` also reads a two-digit year first, ``24/03/05``), and a date that cannot
be is rejected, never read in another order.
Naive times are local to ``--tz``; epoch and offset-carrying times are converted.

Durations: ``83``, ``83秒``, ``00:01:23``, ``01:23``, ``1分23秒``, ``1小时2分3秒``, ``1m23s``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from checker.io.common import RowError

EXAMPLE = "2024/3/5 7:58"

# A phone's or a person's word for the part of the day before a 12-hour clock: 凌晨 / 早 / 早上 are
# the morning (12 is 0), 中午 is noon (12 stays 12, 1 is 13), 下午 / 傍晚 / 晚 / 晚上 / 夜里 / 夜间 the
# afternoon and night (an hour under 12 gains 12; 晚上12:05 / 夜里12:05 is 00:05 of the next day).
_AM = frozenset({"上午", "早上", "早晨", "清晨", "凌晨", "早", "am"})
_PM = frozenset({"下午", "晚上", "晚间", "傍晚", "夜里", "夜间", "晚", "pm"})
_NIGHT = ("晚上", "晚间", "夜里", "夜间", "晚")  # 12 o'clock after one of these is midnight at the day's end
_NOON = frozenset({"中午"})
_AMPM = r"上午|下午|早上|早晨|清晨|中午|晚上|晚间|凌晨|傍晚|夜里|夜间|早|晚|[AaPp]\.?[Mm]\.?"

_CLOCK = (rf"(?:(?P<ap>{_AMPM})\s*)?"
          # (a time typed by hand: 9点15, 9点, 9点钟, 9点半 — the hour alone is on the hour)
          r"(?P<h>\d{1,2})\s*(?:[:：时点]\s*(?P<mi>\d{1,2})|点\s*(?P<half>半)|点钟?|时(?!\d))"
          r"(?:\s*分\s*(?:(?P<s1>\d{1,2})\s*秒)?|\s*[:：]\s*(?P<s2>\d{1,2})(?:[.,]\d+)?)?"
          rf"(?:\s*(?P<ap2>{_AMPM}))?"
          r"(?:\s*(?:UTC|GMT)?\s*(?P<off>Z|[+-]\d{1,2}(?::?\d{2})?))?")
_DATE = (r"(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?"
         r"(?:\s*[（(]?(?:星期|周|礼拜)[一二三四五六日天][)）]?)?")
_DATE_CLOCK = re.compile(rf"^\s*{_DATE}(?:(?:\s*(?:T|\s)\s*|\s*(?={_AMPM})|(?<=[日号)）]))\s*{_CLOCK})?\s*$")
_CLOCK_ONLY = re.compile(rf"^\s*{_CLOCK}\s*$")
_YEAR_LAST = re.compile(rf"^\s*(?P<a>\d{{1,2}})\s*(?P<sep>[/.\-])\s*(?P<b>\d{{1,2}})\s*(?P=sep)\s*"
                        rf"(?P<y>\d{{4}}|\d{{2}})(?:\s*,?\s*(?:at\s+|T)?{_CLOCK})?\s*$", re.IGNORECASE)
_WEEKDAY = (r"(?:(?:星期|周|礼拜)[一二三四五六日天]|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)")
_WEEKDAY_HEAD = re.compile(rf"^\s*[(（]?{_WEEKDAY}[)）]?(?:\s*,\s*|\s+|(?=\d))(?=\d|[a-z])", re.IGNORECASE)
_WEEKDAY_TAIL = re.compile(rf"(?<=\d)\s*[(（]?{_WEEKDAY}[)）]?\s*$", re.IGNORECASE)
_CST = re.compile(r"(?<=\d)\s+CST(?=\s|$)")
_AT = re.compile(r"(?<=\d),?\s+at\s+(?=\d)", re.IGNORECASE)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})[T ]?(\d{2})(\d{2})(\d{2})?$")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_UNIX = datetime(1970, 1, 1, tzinfo=timezone.utc)
_APPLE = datetime(2001, 1, 1, tzinfo=timezone.utc)
_ENGLISH_FORMATS = ("%b %d, %Y %I:%M:%S %p", "%b %d, %Y %I:%M %p", "%d %b %Y %H:%M:%S", "%d %b %Y %H:%M",
                    "%a %b %d %H:%M:%S %Y", "%B %d, %Y %I:%M:%S %p", "%B %d, %Y %I:%M %p", "%b %d %H:%M:%S %Y",
                    "%b %d, %Y %H:%M:%S", "%b %d, %Y %H:%M", "%B %d, %Y %H:%M:%S", "%B %d, %Y %H:%M",
                    "%d %B %Y %H:%M:%S", "%d %B %Y %H:%M", "%b %d, %Y", "%B %d, %Y")

# The English forms again with the commas taken out (iPhone / Google exports write 'Mar 5 2025 at
# 7:40:12 PM', 'Mar 5, 2025 at 7:40 PM', '5 Mar 2025 19:40', '5 March 2025, 7:40 pm').
_ENGLISH_PLAIN = tuple(f"{d} {c}".strip() for d in ("%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y")
                       for c in ("%I:%M:%S %p", "%I:%M %p", "%H:%M:%S", "%H:%M", ""))
_ENGLISH_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?=[\s,\d]|[-/]\d{4})",
                            re.IGNORECASE)
# 03-Mar-2025 / 3/Mar/2025 (an Android call-log app's, a spreadsheet's dd-MMM-yyyy): the day and a
# four-digit year around the month, so it is read as 3 Mar 2025
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})[-/]([A-Za-z]{3,9}\.?)[-/](\d{4})\b")


def _english_plain(s: str) -> str | None:
    """'Mar 5, 2025 7:40 p.m.' -> 'Mar 5 2025 7:40 PM' (for _ENGLISH_PLAIN); None without an
    English month name."""
    if not _ENGLISH_MONTH.search(s):
        return None
    t = _DAY_MONTH_YEAR.sub(r"\1 \2 \3", s)
    t = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", t)
    t = re.sub(r"\b([AaPp])\.?\s*[Mm]\.?(?=\s*$)", lambda m: m[1].upper() + "M", t)
    t = re.sub(r"\bSept\b", "Sep", t, flags=re.IGNORECASE)
    t = re.sub(r"\s*,\s*|\s+", " ", t).strip()
    return re.sub(r"\b(\w{3})\.(?=\s)", r"\1", t)


_fromiso = datetime.fromisoformat
_MINUTE_SECONDS = tuple(timedelta(seconds=i) for i in range(3600))


_CLOCK_PART = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])")
_DATE_PART = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}|\d{1,2}[-/.月]\d{1,2}")


def not_a_date(s: str) -> RowError:
    m = _CLOCK_PART.search(s)
    if (m and _DATE_PART.search(s[:m.start()])
            and (int(m[1]) > 23 or int(m[2]) > 59 or (m[3] is not None and int(m[3]) > 59))):
        # the date reads, the clock does not (2026-11-24 25:99:00): say which part is wrong
        return RowError(f"time '{s}': the clock {m.group(0)} is out of range (hours 0–23, minutes and seconds "
                        "0–59)")
    return RowError(f"time '{s}' is not a date; expected e.g. {EXAMPLE}")


class TimeParser:
    """Parse one column's time strings. ``parse`` returns an aware datetime, or a bare
    ``time`` (a clock without a date) or ``date`` (a date without a clock) for the
    caller to combine with another column. ``year`` fills dates written without one."""

    def __init__(self, tz: tzinfo, year: int | None = None, column: str | None = None,
                 order: str | None = None, given: str | None = None):
        self.tz = tz
        self.year = year
        self.span: tuple[int, int, int] | None = None  # year_span of the preamble
        self.order = order  # 'mdy' / 'dmy' for year-last dates, when the column says which
        self.given = given  # --date-order dmy / mdy / ymd: the user's word, never overruled by a row
        if given in ("dmy", "mdy"):
            self.order = given
        self.guessed = False  # the order came from an AM/PM clock, not from a day over 12
        self.empty = f"no time: the '{column}' column is empty" if column else "the time is empty"
        self._heads: dict[str, datetime] = {}  # '2024/3/5 上午07' -> that hour, aware
        # The day a phone's relative days (今天 / 昨天 / 前天 / 星期二) count from: the export day a
        # call log's preamble names (export_day). Without one such a time is rejected.
        self.anchor: date | None = None
        self.relative = 0  # times dated from the anchor

    def parse(self, s: str) -> datetime | time | date:
        # Cache by format: a string ending in ':MM:SS' whose head (date, 上午/下午, hour)
        # was parsed before is that hour plus a table timedelta, whatever the format
        # (2024-03-05 07:58:12, 2024/3/5 上午07:58:12, 03-05 07:58:12). A sorted log has
        # dozens of calls an hour, so most rows skip the parser.
        if len(s) > 8 and s[-3] == ":" and s[-6] == ":":
            base = self._heads.get(s[:-6])
            if base is not None:
                mm, ss = s[-5:-3], s[-2:]
                if mm.isdigit() and ss.isdigit():
                    m, sec = int(mm), int(ss)
                    if m < 60 and sec < 60:
                        return base + _MINUTE_SECONDS[m * 60 + sec]
        t = self._parse(s)
        if type(t) is datetime and len(s) > 8 and s[-3] == ":" and s[-6] == ":":
            mm, ss = s[-5:-3], s[-2:]
            if mm.isdigit() and ss.isdigit() and int(mm) == t.minute and int(ss) == t.second:
                if len(self._heads) > 4096:
                    self._heads.clear()
                self._heads[s[:-6]] = t.replace(minute=0, second=0, microsecond=0)
        return t

    def _parse(self, s: str) -> datetime | time | date:
        # Fast path: ISO 8601 with a clock, the clean-export case of a million-row log.
        if len(s) >= 16 and s[4] == "-" and s[10] in " T":
            try:
                dt = _fromiso(s)
            except ValueError:
                pass
            else:
                return dt.replace(tzinfo=self.tz) if dt.tzinfo is None else dt
        s = s.strip()
        if not s:
            raise RowError(self.empty)
        if s.isdigit():
            return self._digits(s)
        if s[0] in _RELATIVE_FIRST:
            m = _RELATIVE_ROW.match(s)
            if m:
                return self._relative(s, m)
        m = _DATE_CLOCK.match(s)
        if m:
            return self._date_clock(s, m)
        m = _CLOCK_ONLY.match(s)
        if m:
            h, mi, sec = self._clock(s, m)
            if h >= 24:
                raise not_a_date(s)
            return time(h, mi, sec)
        if re.fullmatch(r"\d{5}\.\d+", s):  # Excel serial day with a time fraction
            # rounded to the second, as Excel shows it: 45719.3333333333 is 08:00:00, not 07:59:59
            t = _EXCEL_EPOCH + timedelta(days=float(s), microseconds=500_000)
            return t.replace(microsecond=0, tzinfo=self.tz)
        m = _YEAR_LAST.match(s)
        if m:
            return self._year_last(s, m)
        cleaned = _AT.sub(" ", _CST.sub("", _WEEKDAY_TAIL.sub("", _WEEKDAY_HEAD.sub("", s))))
        if cleaned != s and cleaned.strip():
            try:
                return self._parse(cleaned)
            except RowError:
                raise not_a_date(s) from None
        for fmt in _ENGLISH_FORMATS:
            try:
                return datetime.strptime(s, fmt).replace(tzinfo=self.tz)
            except ValueError:
                continue
        plain = _english_plain(s)
        if plain:  # Mar 5 2025 7:40:12 PM, 5 March 2025, 7:40 pm: the same forms without their commas
            for fmt in _ENGLISH_PLAIN:
                try:
                    return datetime.strptime(plain, fmt).replace(tzinfo=self.tz)
                except ValueError:
                    continue
        try:
            dt = _fromiso(s)
        except ValueError:
            raise not_a_date(s) from None
        if ":" not in s:
            return dt.date()
        return dt.replace(tzinfo=self.tz) if dt.tzinfo is None else dt

    def _digits(self, s: str) -> datetime | date:
        n = len(s)
        if n in (10, 13):  # epoch seconds / milliseconds (Android backups)
            secs = int(s) / 1000 if n == 13 else int(s)
            try:
                return datetime.fromtimestamp(secs, self.tz)
            except (OverflowError, OSError, ValueError):
                raise not_a_date(s) from None
        if n in (18, 19):
            # nanoseconds: 19 digits since 1970 (Unix), 18 digits since 2001-01-01 UTC — the iPhone's
            # sms.db / chat.db `date` (Apple's epoch; 18 digits from 2004 to 2032), as a SQLite
            # browser exports it
            base = _UNIX if n == 19 else _APPLE
            try:
                return (base + timedelta(microseconds=int(s) // 1000)).astimezone(self.tz)
            except (OverflowError, ValueError):
                raise not_a_date(s) from None
        m = _COMPACT.match(s)
        try:
            if m:
                y, mo, d, h, mi, sec = (int(x) if x else 0 for x in m.groups())
                return datetime(y, mo, d, h, mi, sec, tzinfo=self.tz)
            if n == 8:
                return date(int(s[:4]), int(s[4:6]), int(s[6:]))
            if n == 5:  # Excel serial day without a time
                return (_EXCEL_EPOCH + timedelta(days=int(s))).date()
        except ValueError:
            pass
        raise not_a_date(s)

    def _year_last(self, s: str, m: re.Match) -> datetime | date:
        """3/5/2024 7:40 AM (US) or 05/03/2024 07:40 (most of the world); with
        --date-order ymd, 24/03/05 (a two-digit year first)."""
        if self.given is not None:
            return self._given_order(s, m)
        a, b, y = int(m["a"]), int(m["b"]), m["y"]
        if len(y) == 2:
            if m["sep"] != "/":
                raise not_a_date(s)
            if self.order == "ymd":  # the column's dates have a two-digit year first (date_order)
                if len(m["a"]) != 2:
                    raise RowError(f"time '{s}' does not put the year first, but this column's other dates "
                                   "do; the file mixes date orders")
                try:
                    return self._with_clock(s, m, date(2000 + a, b, int(y)))
                except ValueError:
                    raise not_a_date(s) from None
            if a > 12 >= b and _year_first_possible(m) and self.order != "dmy":
                raise RowError(f"time '{s}' could be 20{m['a']}-{b:02d}-{int(y):02d} (year first, as Chinese "
                               f"phones write it) or 20{y}-{b:02d}-{a:02d} (day first), and the file's other "
                               "dates do not tell; say which with --date-order ymd or --date-order dmy")
            y = "20" + y
        if a == 0 or b == 0 or (a > 12 and b > 12):
            raise not_a_date(s)
        order = "dmy" if a > 12 else "mdy" if b > 12 else None
        if order is not None:
            if self.order is not None and self.order != order:
                first = "day" if order == "dmy" else "month"
                raise RowError(f"time '{s}' puts the {first} first, but this column's other dates do not; "
                               "the file mixes date orders")
            self.order = self.order or order
            if self.guessed and order == self.order:
                self.guessed = False  # a later date confirms the order guessed from the AM/PM clock
        else:
            order = self.order
            if order is None:
                if not (m["ap"] or m["ap2"]):
                    raise RowError(f"time '{s}' could be {_MONTHS[b - 1]} {a} or {_MONTHS[a - 1]} {b}, and no "
                                   "date in the file has a day over 12 to tell; say which with --date-order dmy "
                                   "(day first) or --date-order mdy (month first)")
                order, self.order, self.guessed = "mdy", "mdy", True
        mo, d = (a, b) if order == "mdy" else (b, a)
        try:
            day = date(int(y), mo, d)
        except ValueError:
            raise not_a_date(s) from None
        return self._with_clock(s, m, day)

    def _given_order(self, s: str, m: re.Match) -> datetime | date:
        """A slashed date read in the order --date-order gives; a date that cannot be
        read that way is rejected saying so, never read in another order."""
        a, b, y, order = m["a"], m["b"], m["y"], self.given
        names = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}
        wrong = RowError(f"time '{s}' is not a {names[order]} date (--date-order {order})")
        if order == "ymd":
            if len(y) != 2 or len(a) != 2:
                raise RowError(f"time '{s}' has the year last, not first (--date-order ymd); expected e.g. "
                               "24/03/05 7:58 or 2024/3/5 7:58")
            year, mo, d = 2000 + int(a), int(b), int(y)
        else:
            if len(y) == 2:
                y = "20" + y
            year = int(y)
            mo, d = (int(a), int(b)) if order == "mdy" else (int(b), int(a))
        try:
            day = date(year, mo, d)
        except ValueError:
            raise wrong from None
        return self._with_clock(s, m, day)

    def _with_clock(self, s: str, m: re.Match, day: date) -> datetime | date:
        if m["h"] is None:
            return day
        h, mi, sec = self._clock(s, m)
        if h > 23:
            raise not_a_date(s)
        off = m["off"]
        return datetime(day.year, day.month, day.day, h, mi, sec, tzinfo=_offset(off, s) if off else self.tz)

    def _relative(self, s: str, m: re.Match) -> datetime:
        """昨天 21:05 as a phone's call list shows recent calls: dated from ``anchor``. 今天 is
        the anchor day, 昨天 / 前天 one / two days before, a weekday the latest such day before
        昨天 (a list shows the last week's calls by their weekday)."""
        word = m["rel"]
        if self.anchor is None:
            raise RowError(f"time '{s}' is a relative day ({word}), which cannot be put on the calendar without the "
                           "day the list was exported; export the call log again with full dates, or write the "
                           "export day above the header (导出时间：2025-03-31)")
        back = _RELATIVE_BACK.get(word)
        if back is None:  # a weekday: 2 to 7 days before the anchor (today's weekday is a week ago)
            back = (self.anchor.weekday() - min(_WEEKDAYS.index(word[-1]), 6)) % 7 or 7
            if back == 1:
                raise RowError(f"time '{s}' names yesterday's weekday, which a call list shows as 昨天; the day "
                               f"cannot be told from the export day {self.anchor.isoformat()}")
        h, mi, sec = self._clock(s, m)
        if h >= 24:
            raise not_a_date(s)
        self.relative += 1
        return combine(self.anchor - timedelta(days=back), time(h, mi, sec), self.tz)

    def _clock(self, s: str, m: re.Match) -> tuple[int, int, int]:
        h, mi = int(m["h"]), int(m["mi"]) if m["mi"] else 30 if m["half"] else 0
        sec = int(m["s1"] or m["s2"] or 0)
        ap = (m["ap"] or m["ap2"] or "").lower().replace(".", "")
        if ap:
            if h > 12 and ap in _AM:
                raise RowError(f"time '{s}' says {ap} but the hour is {h}; expected e.g. 上午 7:58 or 下午 9:13")
            if ap in _AM and h == 12:
                h = 0
            elif ap in _PM and h < 12:
                h += 12
            elif ap in _NOON and h < 11:
                h += 12
        if mi > 59 or sec > 59:
            raise not_a_date(s)
        return h, mi, sec

    def _date_clock(self, s: str, m: re.Match) -> datetime | date:
        y = m["y"]
        if y is None:
            if self.year is None:
                raise RowError(f"time '{s}' has no year and the file does not say which; expected e.g. {EXAMPLE}, "
                              "or a line above the header that names the year (2025年3月)")
            year = self.year
            if self.span is not None:
                first, month, last = self.span
                year = first if int(m["mo"]) >= month else last
        else:
            year = int(y)
        try:
            day = date(year, int(m["mo"]), int(m["d"]))
        except ValueError:
            raise not_a_date(s) from None
        if m["h"] is None:
            return day
        h, mi, sec = self._clock(s, m)
        extra = timedelta(0)
        if h == 24 or (h == 12 and (m["ap"] or m["ap2"] or "") in _NIGHT):
            h, extra = 0, timedelta(days=1)  # 24:00 / 晚上12点 is midnight at the end of the day
        if h > 23:
            raise not_a_date(s)
        off = m["off"]
        if off:
            return datetime(day.year, day.month, day.day, h, mi, sec, tzinfo=_offset(off, s)) + extra
        return datetime(day.year, day.month, day.day, h, mi, sec, tzinfo=self.tz) + extra


def _offset(off: str, s: str) -> tzinfo:
    if off == "Z":
        return timezone.utc
    sign = -1 if off[0] == "-" else 1
    digits = off[1:].replace(":", "")
    hh, mm = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if hh > 14 or mm > 59:
        raise not_a_date(s)
    return timezone(sign * timedelta(hours=hh, minutes=mm))


def combine(day: date, clock: time, tz: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, clock.hour, clock.minute, clock.second, tzinfo=tz)


def date_order(values: list[str]) -> tuple[str | None, bool]:
    """(order, guessed) of the year-last dates among a column's first values: 'dmy' when
    a first number is over 12, 'mdy' when a second one is; when none says, 'mdy' if the
    clocks are 12-hour (AM/PM: the US order), guessed; None when there are no such
    dates or they disagree."""
    orders = set()
    ampm = False
    year_last = False
    firsts, lasts = set(), set()  # two-digit-year dates with a first number over 12: 25/03/05
    for v in values:
        m = _YEAR_LAST.match(v or "")
        if not m:
            continue
        year_last = True
        a, b = int(m["a"]), int(m["b"])
        if a > 12 >= b and _year_first_possible(m):
            firsts.add(a)
            lasts.add(m["y"])
        elif a > 12 >= b:
            orders.add("dmy")
        elif b > 12 >= a:
            orders.add("mdy")
        if m["ap"] or m["ap2"]:
            ampm = True
    if firsts:
        # 25/03/05 is 2025-03-05 as Chinese phones write it, or 25 March 2005: the column
        # tells when one of its two outer numbers stays put (the year) while the other
        # moves from row to row (the day), or when the first is over 31
        if max(firsts) > 31 or (len(firsts) <= 2 < len(lasts)):
            orders.add("ymd")
        elif len(lasts) <= 2 < len(firsts):
            orders.add("dmy")
        else:
            return None, False
    if len(orders) == 1:
        return orders.pop(), False
    if not orders and year_last and ampm:
        return "mdy", True
    return None, False


def _year_first_possible(m: re.Match) -> bool:
    """Whether a slashed date with a two-digit year last could as well be a two-digit year
    first (25/03/05: 2025-03-05): its first number is two digits and a year of this century
    before it, its last a day."""
    return (m["sep"] == "/" and len(m["y"]) == 2 and len(m["a"]) == 2 and 1 <= int(m["y"]) <= 31
            and int(m["b"]) <= 12)


def order_open(values: list[str]) -> bool:
    """Whether more rows could tell the month / day order of these year-last dates: there are
    such dates and none of them said (or only an AM/PM clock guessed) which comes first. A
    month of calls sorted by time has no day over 12 until its 13th: the first rows alone
    cannot tell."""
    order, guessed = date_order(values)
    return (order is None or guessed) and any(_YEAR_LAST.match(v or "") for v in values)


# A chat line's or block header's date and clock as people copy them from an app (the pasted
# and WeChat-text readers): 2025-03-05 21:12(:03), 2025/3/5 晚上11:06, 2025年3月5日 星期三 22:15,
# 3月5日 22:15 (no year: chat_year says which), 2025/3/5 9:12 PM. TimeParser reads them all.
_STAMP_DAY = (r"(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
              # WhatsApp in an English locale: 12/3/24, 9:41 PM (month or day first: TimeParser decides);
              # Android's WhatsApp in some locales writes 05-03-2025 21:30 or 05.03.2025 (four-digit year)
              r"|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}),?|\d{1,2}-\d{1,2}-\d{4},?|\d{1,2}\.\d{1,2}\.\d{4},?)"
              r"(?:\s*[(（]?(?:星期|周|礼拜)[一二三四五六日天][)）]?)?")
STAMP_CLOCK = (rf"(?:(?:{_AMPM})\s*)?\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[.,]\d+)?"
               r"(?:\s*(?:[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?")
# a clock typed by hand after a date (2025年3月9日13时05分, 2025年3月9日晚上11点40分, 2025年3月6日上午8点,
# 3月9日 9点半): read only after a date, never alone, and not 8点前 / 8点之前 / 8点到10点 (a deadline or
# a span in the text, not the message's time)
TYPED_CLOCK = (rf"(?:(?:{_AMPM})\s*)?\d{{1,2}}\s*[时点]\s*(?:\d{{1,2}}(?:\s*分(?:\s*\d{{1,2}}\s*秒)?)?|半|钟)?"
               r"(?![\d分前后左以之到至许多])")
CHAT_STAMP = rf"{_STAMP_DAY}(?:\s*T\s*|\s+|(?<=[日号)）])|(?=(?:{_AMPM})))\s*(?:{STAMP_CLOCK}|{TYPED_CLOCK})"
# A day people write instead of a date (抖音 / 微信 show them for recent messages): it cannot be
# put on the calendar, so the messages under it have no time.
_RELATIVE_WORD = r"(?:今天|昨天|前天|(?:星期|周|礼拜)[一二三四五六日天])"
RELATIVE_DAY = rf"{_RELATIVE_WORD}(?:\s*{STAMP_CLOCK})?"
RELATIVE_STAMP = rf"{_RELATIVE_WORD}\s*{STAMP_CLOCK}"  # 昨天 23:05: a relative day with its clock
# A call log's time cell written as a phone's list shows recent calls (TimeParser._relative)
_RELATIVE_ROW = re.compile(rf"^\s*(?P<rel>{_RELATIVE_WORD})\s*{_CLOCK}\s*$", re.IGNORECASE)
_RELATIVE_FIRST = frozenset("今昨前星周礼")
_RELATIVE_BACK = {"今天": 0, "昨天": 1, "前天": 2}
_WEEKDAYS = "一二三四五六日天"  # Monday first, as date.weekday(); 日 and 天 are both Sunday
# A call log's preamble naming when the list was exported: 导出时间：2025-03-31 22:00, 备份日期 2025年3月31日,
# Exported on 2025-03-31
_EXPORT_DAY = re.compile(r"(?:(?:导出|备份|生成|截图|截屏)(?:时间|日期)|export(?:ed)?(?:\s+(?:on|at|date|time))?)"
                         r"\s*[:：]?\s*"
                         r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", re.IGNORECASE)


def ymd(m: re.Match[str] | None) -> date | None:
    """The date a match's first three groups (year, month, day) name; None when there is no match or
    no such day."""
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def export_day(text: str) -> date | None:
    """The day a call log's preamble says it was exported (导出时间：2025-03-31 22:00), from which its
    relative days (今天 / 昨天 / 星期二) count."""
    return ymd(_EXPORT_DAY.search(text))
# A line that is only a day, as a chat shows above the messages of that day
DAY_ONLY = _STAMP_DAY


def chat_year(text: str) -> int | None:
    """The year a chat names anywhere (a title 2025年3月, a dated line), for its dates written
    without one (3月5日 22:15): the first year in it, as a bill's preamble gives the year of its
    03-05 rows. None when it names no year."""
    return year_hint(text)


# The day a file is read. WeChat shows the dates of the current year without a year
# (10月22日 晚上10:15), so in a file that names no year such a date is in the year of this
# day. None: the real date; a test sets it (checker.io.times.TODAY = date(2026, 11, 29)).
TODAY: date | None = None


def today() -> date:
    return TODAY or date.today()


def assumed_year(ts: str, on: date | None = None) -> int | None:
    """The year of a date without a year (3月5日 22:15) in a file that names none: the year
    of the day the file is read (``on``, else today()), or the year before when the date
    would lie after that day."""
    m = re.search(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})", ts)
    if not m:
        return None
    day = on or today()
    return day.year if (int(m.group(1)), int(m.group(2))) <= (day.month, day.day) else day.year - 1


def assumed_year_note(file: str, what: str, where: str, years: Iterable[int]) -> str:
    """The note for ``what`` (dates / headers) without a year read in the year(s) assumed_year gave."""
    ys = sorted(set(years))
    shown = " and ".join(str(y) for y in ys)
    return (f"{file}: {what} without a year ({where}) and the file names no year: read in {shown} (WeChat shows "
            "this year's messages without a year; the year is that of the day the file was read"
            + (", the year before for a date later than that day)" if len(ys) > 1 or ys[0] != today().year else ")")
            + "; write the year (2025年3月5日 22:15) if that is wrong")


def order_note(file: str, parser: TimeParser) -> str | None:
    if parser.guessed and parser.given is None:
        return (f"{file}: dates like 3/5/2024 are read month first (March 5), the US order that goes with an "
                "AM/PM clock; no date in the file has a day over 12 to confirm it; --date-order dmy reads them "
                "day first")
    return None


DATE_ORDERS = ("dmy", "mdy", "ymd")


def check_date_order(value: str | None) -> str | None:
    """--date-order's value, or a RowError-free ValueError naming the choices."""
    if value is None or not value.strip():
        return None
    v = value.strip().lower()
    if v not in DATE_ORDERS:
        raise ValueError(f"--date-order {value!r}: expected one of {', '.join(DATE_ORDERS)}")
    return v


def year_span(text: str) -> tuple[int, int, int] | None:
    """(first year, its month, last year) when a bill's preamble names a period that crosses a
    new year (查询时间段：2024年12月15日至2025年01月14日): rows written 01-03 07:58 then belong to
    the later year, 12-30 to the earlier."""
    found = [(int(m.group(1)), int(m.group(2))) for m in
             re.finditer(r"(20\d{2})\s*(?:年|[-/.])\s*(\d{1,2})(?!\d)", text)]
    found = [(y, mo) for y, mo in found if 1 <= mo <= 12]
    if len(found) >= 2 and found[-1][0] > found[0][0]:
        return found[0][0], found[0][1], found[-1][0]
    return None


def year_hint(text: str) -> int | None:
    """The year a carrier bill's preamble names (账单月份：2024年03月, 2024-03-01至2024-03-31),
    for rows written as 03-05 07:58."""
    m = re.search(r"(20\d{2})\s*(?:年|[-/.]\s*\d{1,2}(?:\D|$))", text)
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------------------------------------
# Durations

_DUR_CLOCK = re.compile(r"^(?:(\d+)\s*[:：])?(\d{1,3})\s*[:：]\s*(\d{1,2})(?:\.\d+)?$")
_DUR_WORDS = re.compile(
    r"^(?:(?P<h>\d+)\s*(?:小时|时|h|hr|hrs|hour|hours)\s*)?"
    r"(?:(?P<m>\d+)\s*(?:分钟|分|m|min|mins|minute|minutes|′|')\s*)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*(?:秒钟|秒|s|sec|secs|second|seconds|″|\")?)?$", re.IGNORECASE)
DURATION_EXAMPLE = "83, 00:01:23 or 1分23秒"
# a duration in Chinese numerals (一分钟, 两分三十秒, 半小时, 一个半小时 are exact; 约两分钟 is not, see
# checker.io.table): hours, minutes, seconds up to 99
_CN_NUM = "零一二两三四五六七八九十"
_DUR_CN = re.compile(rf"^(?:(?P<h>[{_CN_NUM}]+|半)\s*(?:个)?(?P<hh>半)?\s*(?:小时|钟头)\s*)?"
                     rf"(?:(?P<m>[{_CN_NUM}]+|半)\s*(?:分钟|分)\s*)?"
                     rf"(?:(?P<s>[{_CN_NUM}]+)\s*(?:秒钟|秒)\s*)?$")


def _cn_number(s: str) -> int | None:
    """一 … 九十九 (两 for 二, 十五 / 二十 / 二十五); None for anything else."""
    digits = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
    if s in digits:
        return digits[s]
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = 1 if tens == "" else digits.get(tens)
        o = 0 if ones == "" else digits.get(ones)
        if t is not None and o is not None and len(tens) <= 1 and len(ones) <= 1:
            return t * 10 + o
    return None


def _cn_duration(s: str) -> int | None:
    m = _DUR_CN.match(s)
    if not m or not any(m.group(k) for k in ("h", "m", "s")):
        return None
    total = 0
    for key, unit in (("h", 3600), ("m", 60), ("s", 1)):
        v = m.group(key)
        if v is None:
            continue
        if v == "半":
            total += unit // 2
            continue
        n = _cn_number(v)
        if n is None:
            return None
        total += n * unit
    if m.group("hh"):
        total += 1800  # 一个半小时
    return total


def parse_duration(s: str, unit: float = 1.0) -> float | None:
    """Seconds, or None for an empty cell. ``unit`` scales bare numbers (a 时长(分钟)
    column holds minutes)."""
    if s.isdigit():
        return int(s) * unit if unit != 1.0 else int(s)
    s = s.strip()
    if not s or s in ("-", "--", "—", "/"):
        return None
    try:
        v = float(s)
    except ValueError:
        pass
    else:
        if v < 0 or v != v or v == float("inf"):
            raise RowError(f"duration '{s}' is not a duration; expected e.g. {DURATION_EXAMPLE}")
        v *= unit
        return int(v) if v == int(v) else v
    m = _DUR_CLOCK.match(s)
    if m:
        h, mi, sec = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        if sec < 60 and (m.group(1) is None or mi < 60):
            return h * 3600 + mi * 60 + sec
    m = _DUR_WORDS.match(s)
    if m and any(m.group(k) for k in ("h", "m", "s")):
        total = int(m["h"] or 0) * 3600 + int(m["m"] or 0) * 60 + float(m["s"] or 0)
        return int(total) if total == int(total) else total
    cn = _cn_duration(s)
    if cn is not None:
        return cn  # (words carry their own unit, whatever the column's)
    raise RowError(f"duration '{s}' is not a duration; expected e.g. {DURATION_EXAMPLE}")

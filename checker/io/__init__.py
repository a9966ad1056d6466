"""Readers: one per input format, chosen by sniffing the content (``--input-format``
overrides). Every data row becomes an event, a rejected row or a filtered row, and the
per-file summary says how many of each, so nothing is lost silently.

What a **data row** is depends on the format (each reader's docstring says it exactly):

* JSONL: a non-blank line; pasted transcripts, plain text: a non-blank line that is not a
  date line (only a date, a day or a clock: it dates the lines below it);
* call-log tables (CSV / TSV, carrier bills, Android CSV): a line after the header with
  a non-blank cell; XLSX and old .xls: a worksheet row after the header with a non-blank
  cell (rows numbered as the spreadsheet numbers them);
* PDF bills and chats: the text layer laid out as on the page (checker.io.pdf), read as
  the text format it holds; lines are lines of that extracted text, pages joined in order;
* message tables (SMS / WeChat CSV): a CSV record after the header with a non-blank
  cell (a quoted message may run over several lines);
* for every table, lines before the header (a carrier bill's preamble), the header and
  blank rows are not data rows;
* XML backups: a ``<call>``, ``<sms>`` or ``<mms>`` element;
* HTML tables (a carrier bill "Excel" download that is really HTML): a ``<tr>`` after
  the header with a non-blank cell;
* SRT / WebVTT: a cue (WebVTT's header, NOTE and STYLE blocks are not data rows);
* Whisper JSON: a segment; FunASR JSON: a ``sentence_info`` entry;
* WeChat copied text: a ``昵称 2024-03-05 21:13:02`` block (a …聊天记录 title and date
  dividers are not data rows; a system line such as 撤回了一条消息 is a filtered row);
* SMS text backups (checker.io.msgblocks): a ``发件人：`` / ``From:`` block (a title and
  rule lines are not data rows).

Each data row yields exactly one item, so ``rows == events + filtered + rejected``.

``read_input`` reads bytes already in memory (the command line); ``open_bytes`` is the
same as a lazy ``Reading``. ``open_path`` streams a file from disk: a call-log CSV of any
size is read in constant memory, and its summary is complete once the iteration ends.
A caller that filters rows (e.g. calls not from a collector number) passes ``keep``: a
row deliberately filtered is counted in ``filtered``, like a reader's own filtered rows.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timezone, tzinfo

from checker.io.common import InputError, Item, ReadContext, chat_call, debtor_names, debtor_number
from checker.io.encoding import DecodeError, cut_note, decode, line_of_error, scan_file
from checker.io.formats import FORMATS as FORMAT_HELP
from checker.io.formats import INPUT_FORMATS, STREAMING_FORMATS, TABLE_FORMATS
from checker.model import Event, InputSummary, MessageEvent, RejectedRow

FORMATS = INPUT_FORMATS
__all__ = ["FORMATS", "FORMAT_HELP", "InputError", "ReadResult", "Reading", "open_path", "read_input", "sniff"]

Keep = Callable[[Event], "str | None"]


@dataclass
class ReadResult:
    events: list[Event]
    rejected: list[RejectedRow]
    summary: InputSummary
    notes: list[str] = field(default_factory=list)
    contact_names: dict[str, set[str]] = field(default_factory=dict)  # see ReadContext.contact_names


class Reading:
    """One input being read. Iterate it for its events; rejected rows collect in
    ``rejected``; ``summary()`` is complete once the iteration has ended.

    ``keep(event)`` may return a reason to filter an event out (e.g. not from a collector
    number): the row is then counted in ``filtered``, never silently dropped.
    """

    def __init__(self, ctx: ReadContext, fmt: str, encoding: str, items: Iterable[Item],
                 keep: Keep | None = None, closer: Callable[[], None] | None = None):
        self.ctx, self.format, self.encoding = ctx, fmt, encoding
        self._items = items
        self._keep = keep
        self._closer = closer
        self.rejected: list[RejectedRow] = []
        self.filtered: Counter[str] = Counter()
        self.events = 0
        self.done = False

    @property
    def notes(self) -> list[str]:
        return self.ctx.notes

    @property
    def contact_names(self) -> dict[str, set[str]]:
        """The names the export gives numbers (complete once the iteration has ended)."""
        return self.ctx.contact_names

    def __iter__(self) -> Iterator[Event]:
        keep = self._keep
        rejected = self.rejected.append
        n = 0
        calls = 0
        # A chat export's call notices become calls; a batch record (JSONL, the contract) says its
        # own channel, and is read the same by every path (the batch fast path reads it too)
        chats = self.format not in ("jsonl", "json")
        try:
            for it in self._items:
                if chats and type(it) is MessageEvent and it.text:
                    call = chat_call(it)  # [语音通话] 通话时长 00:35: a call, never text
                    if call is not None:
                        it, calls = call, calls + 1
                if isinstance(it, Event):
                    if keep is not None:
                        why = keep(it)
                        if why:
                            self.filtered[why] += 1
                            continue
                    n += 1
                    yield it
                elif isinstance(it, RejectedRow):
                    rejected(it)
                else:
                    self.filtered[it.reason] += 1
        except UnicodeDecodeError as e:
            raise InputError(f"{self.ctx.file}: cannot decode as {self.encoding} (byte {e.start} of a chunk: "
                             f"{e.reason}); give the encoding with --encoding") from None
        finally:
            self.events += n
            self.close()
            if calls:
                self.ctx.notes.append(
                    f"{self.ctx.file}: {calls} voice / video call notice(s) in the chat ([语音通话] 通话时长 …, "
                    "语音通话 已取消, 视频通话 已拒绝) are read as calls: from the other party an incoming call at "
                    "that time (answered with a duration, rejected for 拒绝, missed for 取消 / 未接听), counted for "
                    "contact hours and frequency; their words are never judged as a message")
        self.done = True
        for reason, k in sorted(self.filtered.items(), key=lambda x: -x[1]):
            self.ctx.notes.append(f"{self.ctx.file}: {k} row(s) filtered: {reason}")

    def close(self) -> None:
        if self._closer is not None:
            self._closer()
            self._closer = None

    def summary(self) -> InputSummary:
        filtered = sum(self.filtered.values())
        rows = self.events - self.ctx.second_events + filtered + len(self.rejected)
        return InputSummary(file=self.ctx.file, sha256=self.ctx.sha256 or "", format=self.format,
                            encoding=self.encoding, rows=rows,
                            events=self.events, filtered=filtered, rejected=tuple(self.rejected),
                            notes=tuple(self.ctx.notes))


# ---------------------------------------------------------------------------------------------
# Sniffing

HTML_TABLE = "html-table"  # sniffed only: read as the table inside (calllog / messages / wechat-csv)
MHT = "mht"  # sniffed only: a web archive; read as the page inside (a QQ export as QQ's text export)
_SRT_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->")


# keys only the batch contract has: a JSON line holding any is a batch record, whatever else it lacks
_CONTRACT_KEYS = frozenset({"channel", "speaker", "direction", "duration_s", "agent", "case", "labels"})


def app_rows(text: str) -> bool:
    """JSON lines that are an export app's rows, not batch records: the first lines are objects
    and none carries the batch contract's ``channel`` (an Android SMS app's messages.ndjson:
    ``{"address", "date", "type", "body", …}`` a line). Read like a JSON array of such rows."""
    objs, broken = [], 0
    for ln in text.lstrip("\ufeff").splitlines():
        if not ln.strip():
            continue
        try:
            obj = json.loads(ln)
        except ValueError:
            broken += 1  # a damaged line: rejected alone when the others are an app's rows
            if broken > 2:
                return False
            continue
        if not isinstance(obj, dict) or _CONTRACT_KEYS & obj.keys():
            return False  # a batch record (or one missing its channel: rejected as such, with the reason)
        objs.append(obj)
        if len(objs) >= 5:
            break
    return bool(objs)


BROKEN_LINE = "\x00"  # marks a JSON line that did not parse, kept in the array as a string


def ndjson_as_array(text: str) -> str:
    """JSON lines as one JSON array with every record on the line it was on (blank lines kept).
    A line that is not valid JSON becomes a marked string in its place, so the array reader
    rejects that row alone (with its line) instead of refusing the whole file."""
    lines = text.lstrip("\ufeff").split("\n")
    last = max((i for i, ln in enumerate(lines) if ln.strip()), default=-1)
    out = []
    for i, ln in enumerate(lines):
        ln = ln.rstrip("\r")
        if ln.strip():
            try:
                json.loads(ln)
            except ValueError:
                ln = json.dumps(BROKEN_LINE + ln.strip(), ensure_ascii=False)
        out.append(ln + ("," if ln.strip() and i < last else ""))
    return "[" + "\n".join(out) + "]"


def sniff(name: str, text: str, columns: Mapping[str, str] | None = None) -> str:
    """The format of a decoded text, from its content (and a .jsonl name)."""
    from checker.io.msgblocks import looks_like_message_blocks
    from checker.io.pasted import dated_chat
    from checker.io.table import HEADER_SCAN, find_layout_in_lines, tabular_delimiter
    from checker.io.wechat import looks_like_wechat

    low = name.lower()
    if low.endswith((".jsonl", ".ndjson")):
        return "json" if app_rows(text[: 1 << 16]) else "jsonl"
    head = text[: 1 << 16]
    s = head.lstrip("\ufeff \t\r\n")
    from checker.io.mht import looks_like_mht

    if looks_like_mht(s):
        return MHT
    if s.startswith("<"):
        from checker.io.htmltable import looks_like_html

        if looks_like_html(s):
            return HTML_TABLE
        if re.search(r"<smses\b|<sms\b|<mms\b", head):
            return "sms-xml"
        if re.search(r"<calls\b|<call\b|<alllogs\b", head):  # (<alllogs><log …/>: 超级备份's call log)
            return "calllog-xml"
        return "xml"
    if s.startswith("WEBVTT"):
        return "vtt"
    if s.upper().startswith("BEGIN:VMSG"):
        return "sms-text"  # a .vmsg SMS backup (checker.io.vmsg)
    from checker.io.mail import looks_like_email

    if looks_like_email(text[:8192].splitlines()):
        return "sms-text"  # an e-mail saved as .eml (checker.io.mail)
    if s.startswith("{") or re.match(r"\[\s*[{\]]", s):
        return _sniff_json(s)
    lines = head.splitlines()[:HEADER_SCAN]
    nonblank = [ln for ln in lines if ln.strip()]
    if nonblank and (_SRT_TIMING.match(nonblank[0]) or (
            nonblank[0].strip().isdigit() and len(nonblank) > 1 and _SRT_TIMING.match(nonblank[1]))):
        return "srt"
    from checker.io.linechat import looks_like_line_chat

    if not columns and looks_like_line_chat(lines):
        return "wechat-text"  # LINE's saved chat (checker.io.linechat): a chat, never a transcript
    ctx = ReadContext(name, None, timezone.utc, columns=dict(columns) if columns else None)
    lay = find_layout_in_lines(lines, ctx, None)
    if lay is not None and (lay.header_line or columns):
        return lay.kind
    from checker.io.calllist import looks_like_call_list

    if looks_like_call_list(head.splitlines()[:400]):
        return "call-list"  # recordings listed, a blocked-call list, a screenshot's call list (checker.io.calllist)
    if looks_like_message_blocks(lines):
        return "sms-text"
    if looks_like_wechat(lines):
        return "wechat-text"
    if tabular_delimiter(lines) or _named_table(name, lines):
        return "calllog"  # a table whose header we do not know: the reader says which columns it found
    # a typed chat with a date on its lines is messages, not a call's transcript (pasted.dated_chat)
    return "text" if dated_chat(head.splitlines()[:200]) else "transcript"


_BILL_TIME = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*\d{1,2}:\d{2}"
                        r"|(?<!\d)\d{1,2}[-/]\d{1,2}\s+\d{1,2}:\d{2}")
_BILL_NUMBER = re.compile(r"(?<![\d*])(?:\+?86)?(?:1[3-9]\d{9}|0\d{9,11})(?![\d*])")
_BILL_CALL = re.compile(r"主叫|被叫|呼入|呼出|来电|去电|未接|拒接|通话|\d+\s*秒|\d+\s*分"
                        r"|(?<![\d:])\d{1,2}:\d{2}:\d{2}(?![\d:])")


def bill_lines(text: str) -> int:
    """How many lines of a text look like an itemised bill's rows: a date with a time and,
    apart from them, a phone number and a call type or duration (主叫 / 被叫, 2分18秒,
    00:02:18), with no speaker label (a chat line's ``对方：``). 0 when fewer than five
    lines, or fewer than half the lines with a date, are: a text of mostly such lines is a
    bill whose table was not recognised, never a transcript."""
    dated = rows = 0
    for line in text.splitlines()[:2000]:
        m = _BILL_TIME.search(line)
        if not m:
            continue
        dated += 1
        rest = line[:m.start()] + "  " + re.sub(r"^:\d{2}", "", line[m.end():])
        if "：" in rest or re.search(r"[^\d\s]:", rest):
            continue
        if _BILL_NUMBER.search(rest) and _BILL_CALL.search(rest):
            rows += 1
    return rows if rows >= 5 and rows * 2 >= dated else 0


def refuse_bill(ctx: ReadContext, fmt: str, text: str, pdf: bool) -> None:
    """An InputError for a text sniffed as a transcript or chat that is a bill's rows
    (bill_lines): read as a transcript it would give no findings, a silent all-clear."""
    if fmt not in ("transcript", "text"):
        return
    n = bill_lines(text)
    if n:
        what = "PDF" if pdf else "file"
        how = "" if pdf else (", or name the columns with --columns "
                              "time=COLUMN,number=COLUMN,direction=COLUMN,duration=COLUMN")
        typed = "" if pdf else (". If the calls were typed or copied by hand, one per line (2025-04-01 06:55 "
                                "17012340001 未接), give --input-format call-list")
        raise InputError(f"{ctx.file}: this {what} looks like an itemised call bill ({n} lines with a date, a time and "
                         "a phone number), but collcheck could not read it as a table (no header row it knows, or "
                         "columns that run together); it was not read as a transcript. Download the Excel (XLSX) or "
                         f"CSV version of the bill and scan that{how}{typed}")


def _named_table(name: str, lines: list[str]) -> bool:
    """A file named .csv / .tsv whose lines split into the same three or more cells: a
    table, even without dates or numbers in it. Read as one, its unknown header is an
    error that shows the columns, rather than each line being judged as transcript text.
    (Two columns stay text: a pasted ``name,message`` list reads fine line by line.)"""
    import csv

    if not name.lower().endswith((".csv", ".tsv")):
        return False
    rows = [ln for ln in lines if ln.strip()][:20]
    if len(rows) < 2:
        return False
    for delim in ("\t", ",", ";", "|"):
        try:
            widths = [len(r) for r in csv.reader(rows, delimiter=delim)]
        except csv.Error:
            continue
        width, n = Counter(widths).most_common(1)[0]
        if width >= 3 and n >= max(2, int(0.8 * len(widths))):
            return True
    return False


def _sniff_json(s: str) -> str:
    from checker.io.telegram import looks_like_telegram

    if s.startswith("{") and looks_like_telegram(s):
        return "telegram-json"
    first = s.split("\n", 1)[0].strip()
    try:
        obj = json.loads(first)
    except ValueError:
        obj = None
    if isinstance(obj, dict) and not ({"segments", "sentence_info"} & obj.keys()):
        from checker.io.asrjson import sentence_list

        # one line holding a whole ASR result (阿里云's compact JSON), not a batch record
        if sentence_list(obj) is not None:
            return "asr-json"
        return "json" if app_rows(s) else "jsonl"
    if '"sentence_info"' in s:
        return "funasr-json"
    if '"segments"' in s:
        return "whisper-json"
    from checker.io.asrjson import looks_like_asr_sentences

    if looks_like_asr_sentences(s):
        return "asr-json"
    if s.startswith("["):
        return "json"  # an array of records: the batch contract's, or an export app's rows
    return "jsonl"


_IMAGES = ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"))


def _refuse_encrypted(name: str, head: bytes) -> None:
    """An InputError for a file named like a database that neither is one nor reads as text
    (an encrypted WeChat database, as the phone keeps it)."""
    if head and name.lower().endswith((".db", ".sqlite", ".sqlite3", ".storedata")):
        from checker.io.sqlite import encrypted_database_error

        err = encrypted_database_error(name, head)
        if err is not None:
            raise err


def archive_files(data: bytes) -> list[str]:
    """The files a ZIP archive holds, by their names without the folders, as a person would
    find them after unzipping: no folders, no Mac resource forks (__MACOSX/, ._x) or .DS_Store.
    A name a Chinese Windows wrote in GBK (no UTF-8 flag) is shown in Chinese, not as mojibake."""
    import zipfile

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []
    names = []
    for info in infos:
        n = info.filename
        if not info.flag_bits & 0x800:
            raw = n.encode("cp437", errors="replace")
            for codec in ("utf-8", "gb18030"):
                try:
                    n = raw.decode(codec)
                    break
                except UnicodeDecodeError:
                    continue
        base = n.rstrip("/").rsplit("/", 1)[-1]
        if info.is_dir() or n.startswith("__MACOSX/") or base.startswith(".") or not base:
            continue
        names.append(base)
    return names


def _gunzip(name: str, data: bytes) -> tuple[bytes, str]:
    """A gzip file's content, whatever its name (a batch saved as .jsonl, a log as .csv.gz), and a
    note ("" when whole). Data cut short (a download stopped) gives what was unpacked before the
    cut, with a note naming the last line read: the line the cut falls in is left to the
    row-level checks (rejected with its line when it no longer parses), and the scan ends with
    exit 2 once its output is written (``checker.pipeline.unreadable_inputs``), as a streamed
    batch does. Damaged data before anything could be unpacked is an InputError."""
    import zlib

    out: list[bytes] = []
    rest = data
    note = ""
    size = 0
    while rest:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            # unpacked a block at a time, within UNPACK_LIMIT (a small file that unpacks to gigabytes —
            # damaged or made so — must not take the machine's memory)
            piece = d.decompress(rest, 1 << 24)
            while True:
                size += len(piece)
                if size > UNPACK_LIMIT:
                    raise InputError(f"{name}: gzip data that unpacks to more than {UNPACK_LIMIT >> 20} MiB; a "
                                     "batch that large is scanned streamed when given as .jsonl.gz, other "
                                     "files unpack it first")
                out.append(piece)
                if d.eof or not d.unconsumed_tail:
                    break
                piece = d.decompress(d.unconsumed_tail, 1 << 24)
        except zlib.error as e:
            if not out or not any(out):
                raise InputError(f"{name}: damaged gzip data ({e}); nothing could be unpacked") from None
            note = f"{e}"
            break
        if not d.eof:
            note = "no end-of-stream marker"
            break
        rest = d.unused_data  # a file of several gzip members (cat a.gz b.gz) holds them all
        if rest[:2] != b"\x1f\x8b":
            break
    text = b"".join(out)
    if note:
        note = (f"{name}: {GZIP_CUT} {_lines(out)} ({note}): the lines before it are read, the rest of the file "
                "is lost (was the download or copy stopped?); the line the cut falls in is rejected if it no longer "
                "parses")
    return text, note


# The most a gzip input read in memory may unpack to (a streamed JSONL batch has no such limit).
UNPACK_LIMIT = 1 << 30
# (the words the streaming reader uses too: checker.batch.open_blocks)
GZIP_CUT = "the gzip data is cut short or damaged after line"


def _lines(parts: list[bytes]) -> int:
    return sum(p.count(b"\n") for p in parts)


def _container(data: bytes, name: str) -> str | None:
    """'xlsx' or 'xls' for a workbook, 'pdf' for a PDF, 'docx' for a Word document, 'sqlite' for
    a phone's or chat app's database; an
    InputError for binary files collcheck cannot read (an old Word .doc among them)."""
    if data.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            raise InputError(f"{name}: a damaged ZIP / XLSX file") from None
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        from checker.io.docx import is_docx

        if is_docx(names):
            return "docx"
        inside = archive_files(data)
        if inside:
            shown = ", ".join(inside[:6]) + (f" and {len(inside) - 6} more" if len(inside) > 6 else "")
            raise InputError(f"{name}: a ZIP archive holding {shown}; unzip it and give those files")
        raise InputError(f"{name}: a ZIP archive, not a workbook; unzip it and give the files inside")
    if data.startswith(b"SQLite format 3\x00"):
        return "sqlite"  # a phone's or chat app's database (checker.io.sqlite)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        from checker.io.docx import doc_error, is_word_ole

        if name.lower().endswith((".doc", ".dot", ".wps")) or is_word_ole(data):
            raise doc_error(name)
        return "xls"  # an OLE2 compound file: an old Excel workbook (read_xls says if it is not one)
    image = next((kind for magic, kind in _IMAGES if data.startswith(magic)), None)
    if image is None and data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        image = "HEIC"
    if image is None and data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        image = "WebP"
    if image:
        raise InputError(f"{name}: an image ({image}), not a call log or message export. collcheck reads the text "
                         "of exports (CSV, XLSX, XML, JSON, TXT); for a screenshot, type or paste its text into the "
                         "text box or a .txt file")
    if data[:1024].lstrip(b"\x00\t\r\n ").startswith(b"%PDF-"):
        return "pdf"
    return None


# ---------------------------------------------------------------------------------------------
# Reading

def read_input(name: str, data: bytes, tz: tzinfo, *, encoding: str | None = None,
               input_format: str | None = None, collector_speakers: tuple[str, ...] = (),
               columns: str | Mapping[str, str] | None = None, keep: Keep | None = None,
               debtor: str | None = None, date_order: str | None = None) -> ReadResult:
    """Read one input held in memory. Raises InputError (naming the file) when the
    input cannot be read at all. ``debtor`` is the user's own number (--debtor), which
    tells the direction of a 主叫号码 / 被叫号码 bill's calls; ``date_order`` (dmy / mdy
    / ymd) reads slashed dates in that order."""
    reading = open_bytes(name, data, tz, encoding=encoding, input_format=input_format,
                         collector_speakers=collector_speakers, columns=columns, keep=keep, debtor=debtor,
                         date_order=date_order)
    events = list(reading)
    return ReadResult(events, reading.rejected, reading.summary(), list(reading.notes), reading.contact_names)


def open_bytes(name: str, data: bytes, tz: tzinfo, *, encoding: str | None = None,
               input_format: str | None = None, collector_speakers: tuple[str, ...] = (),
               columns: str | Mapping[str, str] | None = None, keep: Keep | None = None,
               debtor: str | None = None, date_order: str | None = None) -> Reading:
    from checker.io.table import parse_columns

    _check_format(input_format)
    sha = hashlib.sha256(data).hexdigest()  # (of the file as given, compressed or not)
    unpacked: str | None = None
    if data[:2] == b"\x1f\x8b":
        data, unpacked = _gunzip(name, data)
    if not data.strip():
        raise InputError(f"{name}: the file is empty; expected a call log, messages, a transcript or a JSONL batch"
                         + (" (its gzip data unpacks to nothing)" if unpacked is not None else ""))
    ctx = ReadContext(name, sha, tz, tuple(collector_speakers), parse_columns(columns), debtor=_debtor(debtor),
                      date_order=_date_order(date_order), debtor_speakers=debtor_names(debtor))
    if unpacked:
        ctx.notes.append(unpacked)
    container = _container(data, name)
    if container is None:
        _refuse_encrypted(name, data[:4096])
    if container in ("xlsx", "xls", "sqlite"):  # a binary container: --encoding does not apply
        fmt = input_format if input_format in TABLE_FORMATS else None
        what = "an SQLite database" if container == "sqlite" else f"an {container.upper()} workbook"
        if input_format and fmt is None:
            raise InputError(f"{name}: {what} cannot be read as {input_format}; it holds a "
                             f"table (--input-format calllog, messages or wechat-csv)")
        if container == "sqlite":
            from checker.io.sqlite import read_sqlite as read_book
        elif container == "xls":
            from checker.io.xls import read_xls as read_book
        else:
            from checker.io.table import read_xlsx as read_book

        kind, items = read_book(data, ctx, fmt)
        return Reading(ctx, kind, container, items, keep)
    if container == "pdf":
        return _pdf_reading(ctx, data, input_format, keep)
    if container == "docx":  # a Word document's paragraphs, read as the text they hold (SHA-256 of the .docx)
        from checker.io.docx import docx_text

        text = docx_text(data, name)
        fmt = input_format or sniff(name, text, ctx.columns)
        if not input_format:
            refuse_bill(ctx, fmt, text, pdf=False)
        return _reading(ctx, fmt, "docx", text, None, keep)
    try:
        text, enc = decode(data, name, encoding, ctx.notes)
    except DecodeError as e:
        raise InputError(str(e)) from None
    text = text.lstrip("\ufeff")
    fmt = input_format or sniff(name, text, ctx.columns)
    if not input_format:
        refuse_bill(ctx, fmt, text, pdf=False)
    _misnamed_note(ctx, fmt)
    return _reading(ctx, fmt, enc, text, None, keep)


def _pdf_reading(ctx: ReadContext, data: bytes, input_format: str | None, keep: Keep | None) -> Reading:
    """A PDF's text layer (checker.io.pdf), read as the text it holds: a bill's
    space-aligned table, a chat or a transcript, sniffed like a text file. The SHA-256
    is the PDF's own."""
    from checker.io.pdf import on_pages, page_note, pdf_text

    text, starts, defects = pdf_text(data, ctx.file)
    fmt = input_format or sniff(ctx.file, text, ctx.columns)
    if not input_format:
        refuse_bill(ctx, fmt, text, pdf=True)
    if fmt in ("jsonl", "json", "calllog-xml", "sms-xml", "xml", HTML_TABLE):
        raise InputError(f"{ctx.file}: a PDF whose text reads as {fmt}; give the original {fmt} file instead")
    ctx.notes.append(page_note(ctx.file, starts))
    if defects:
        ctx.notes.append(f"{ctx.file}: the PDF has defects that were read past ({'; '.join(defects[:3])}); if rows "
                         "are missing, the file may be cut short: download it again")
    reading = _reading(ctx, fmt, "pdf", text, None, keep)
    reading._items = on_pages(iter(reading._items), starts)
    return reading


def _misnamed_note(ctx: ReadContext, fmt: str) -> None:
    """A note when a file named like a workbook is text: what it was read as instead."""
    # (a carrier's "Excel" download that is an HTML table is a known case, read as such)
    if ctx.file.lower().endswith((".xlsx", ".xlsm", ".xls")) and fmt != HTML_TABLE:
        ctx.notes.append(f"{ctx.file}: named like an Excel workbook but it is a text file; read as {fmt} "
                         "(if that is wrong, give --input-format)")


def open_path(path: str, tz: tzinfo, *, name: str | None = None, encoding: str | None = None,
              input_format: str | None = None, collector_speakers: tuple[str, ...] = (),
              columns: str | Mapping[str, str] | None = None, keep: Keep | None = None,
              debtor: str | None = None, date_order: str | None = None) -> Reading:
    """Read a file from disk. Call-log and message tables and JSONL are streamed: memory
    stays constant in the file's size. Other formats are read whole (they are small)."""
    from checker.io.table import parse_columns

    _check_format(input_format)
    name = name or path
    try:
        with open(path, "rb") as f:
            first = f.read(4096)
    except OSError as e:
        raise InputError(f"{name}: cannot read: {e.strerror}") from None
    if not first.startswith(b"SQLite format 3\x00"):
        _refuse_encrypted(name, first)
    try:
        sha, enc, codec, head, cut = scan_file(path, name, encoding)
    except DecodeError as e:
        raise InputError(str(e)) from None
    except OSError as e:
        raise InputError(f"{name}: cannot read: {e.strerror}") from None
    if not head.strip():
        raise InputError(f"{name}: the file is empty; expected a call log, messages, a transcript or a JSONL batch")
    if head.startswith(b"PK\x03\x04") or _container(head[:16], name):
        with open(path, "rb") as f:
            return open_bytes(name, f.read(), tz, encoding=encoding, input_format=input_format,
                              collector_speakers=collector_speakers, columns=columns, keep=keep, debtor=debtor,
                              date_order=date_order)
    ctx = ReadContext(name, sha, tz, tuple(collector_speakers), parse_columns(columns), debtor=_debtor(debtor),
                      date_order=_date_order(date_order), debtor_speakers=debtor_names(debtor))
    head_text = head.decode(codec, errors="ignore").lstrip("\ufeff")
    fmt = input_format or sniff(name, head_text, ctx.columns)
    if fmt not in STREAMING_FORMATS or fmt == HTML_TABLE or _html(fmt, head_text):
        with open(path, "rb") as f:
            return open_bytes(name, f.read(), tz, encoding=encoding, input_format=input_format or
                              (fmt if fmt != HTML_TABLE else None),
                              collector_speakers=collector_speakers, columns=columns, keep=keep, debtor=debtor,
                              date_order=date_order)
    _misnamed_note(ctx, fmt)
    if cut:  # UTF-8 cut short inside its last character: that character reads as U+FFFD
        ctx.notes.append(cut_note(name))
    errors = "replace" if cut else "strict"
    f = open(path, encoding=codec, newline="", errors=errors)  # noqa: SIM115 - closed by the Reading
    try:
        if codec in ("utf-8", "utf-8-sig", "gb18030") and f.read(1) != "\ufeff":
            f.seek(0)
        return _reading(ctx, fmt, enc, None, _decoded_lines(f, path, name, codec), keep, closer=f.close)
    except UnicodeDecodeError as e:  # the first read decodes a whole chunk
        f.close()
        raise _decode_error(path, name, codec, e) from None
    except BaseException:
        f.close()
        raise


def _decoded_lines(f: io.TextIOBase, path: str, name: str, codec: str) -> Iterator[str]:
    """The lines of a text stream; a byte the codec cannot decode is an InputError naming
    the line it is on (the stream decodes ahead in chunks, so the line is found from the
    file's bytes)."""
    try:
        yield from f
    except UnicodeDecodeError as e:
        raise _decode_error(path, name, codec, e) from None


def _decode_error(path: str, name: str, codec: str, e: UnicodeDecodeError) -> InputError:
    line = line_of_error(path, codec)
    at = f"{name}:{line}" if line else name
    return InputError(f"{at}: cannot decode as {codec} ({e.reason}); give the right encoding with --encoding")


def _html(fmt: str, text: str) -> bool:
    """A table format given for an HTML page: read the table inside it."""
    if fmt not in TABLE_FORMATS:
        return False
    from checker.io.htmltable import looks_like_html

    return looks_like_html(text[:4096])


def _debtor(number: str | None) -> str | None:
    """--debtor when it is a number; a name is the debtor's speaker name (debtor_names)."""
    return debtor_number(number)


def _date_order(order: str | None) -> str | None:
    from checker.io.times import check_date_order

    try:
        return check_date_order(order)
    except ValueError as e:
        raise InputError(str(e)) from None


def _check_format(fmt: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _reading(ctx: ReadContext, fmt: str, enc: str, text: str | None, stream: Iterable[str] | None,
             keep: Keep | None, closer: Callable[[], None] | None = None) -> Reading:
    """The items of one decoded input: ``text`` in memory, or ``stream`` (tables, JSONL)."""
    name = ctx.file
    if fmt == MHT:
        from checker.io.mht import is_qq_export, mht_html, qq_text

        page = mht_html(text or "", name)
        if is_qq_export(page):
            from checker.io.wechat import read_wechat_text

            return Reading(ctx, "wechat-text", enc, read_wechat_text(qq_text(page), ctx), keep)
        text, fmt = page, HTML_TABLE
    if fmt == HTML_TABLE or (text is not None and _html(fmt, text)):
        from checker.io.htmltable import read_html_table

        kind, items = read_html_table(text or "", ctx, fmt if fmt in TABLE_FORMATS else None)
        return Reading(ctx, kind, enc, items, keep)
    if fmt == "xml" and re.search(r"<(?:ss:)?Workbook\b|urn:schemas-microsoft-com:office:spreadsheet",
                                  (text or "")[:8192]):
        raise InputError(f"{name}: an Excel 2003 XML spreadsheet, not a backup; open it in Excel or WPS and save it "
                         "as .xlsx or CSV (UTF-8), then scan that")
    if fmt == "xml":
        raise InputError(f"{name}: an XML file that is not an SMS Backup & Restore (<smses>) or call-log (<calls>) "
                         "backup, nor 超级备份's (<allsms> / <alllogs>); give --input-format if it is one")
    if fmt in TABLE_FORMATS:
        from checker.io.table import read_delimited

        lines = stream if stream is not None else io.StringIO(text or "", newline="")
        lay, items = read_delimited(iter(lines), ctx, fmt)
        return Reading(ctx, lay.kind, enc, items, keep, closer)
    if fmt == "jsonl":
        from checker.io.jsonl import read_jsonl

        unknown: set[str] = set()
        lines = (ln.rstrip("\r\n") for ln in stream) if stream is not None else iter((text or "").splitlines())
        return Reading(ctx, fmt, enc, _jsonl_items(read_jsonl(lines, name, ctx.sha256, ctx.tz, unknown), unknown, ctx),
                       keep, closer)
    if text is None:
        text = "".join(stream) if stream is not None else ""
        if closer:
            closer()
    if fmt in ("transcript", "text"):
        from checker.io.pasted import read_pasted

        if fmt == "text":
            items = read_pasted(text.splitlines(), name, ctx.sha256, ctx.tz, ctx.collector_speakers,
                                channel="sms", notes=ctx.notes, event=MessageEvent, carry_speaker=False,
                                debtor_labels=ctx.debtor_speakers, order=ctx.date_order)
        else:
            items = read_pasted(text.splitlines(), name, ctx.sha256, ctx.tz, ctx.collector_speakers,
                                notes=ctx.notes, debtor_labels=ctx.debtor_speakers, order=ctx.date_order)
        return Reading(ctx, fmt, enc, items, keep)
    if fmt == "json":
        from checker.io.jsonarray import read_json_array

        if not text.lstrip("\ufeff \t\r\n").startswith("["):  # JSON lines of an app's rows (see app_rows)
            text = ndjson_as_array(text)
        kind, items = read_json_array(text, ctx, None)
        return Reading(ctx, kind, enc, items, keep)
    if fmt in ("calllog-xml", "sms-xml"):
        from checker.io.xmlbackup import read_backup_xml

        return Reading(ctx, fmt, enc, read_backup_xml(text, ctx, fmt), keep)
    if fmt in ("srt", "vtt"):
        from checker.io.subtitles import read_subtitles

        return Reading(ctx, fmt, enc, read_subtitles(text, ctx, fmt), keep)
    if fmt == "whisper-json":
        from checker.io.asrjson import read_whisper

        return Reading(ctx, fmt, enc, read_whisper(text, ctx), keep)
    if fmt == "funasr-json":
        from checker.io.asrjson import read_funasr

        return Reading(ctx, fmt, enc, read_funasr(text, ctx), keep)
    if fmt == "asr-json":
        from checker.io.asrjson import read_asr_sentences

        return Reading(ctx, fmt, enc, read_asr_sentences(text, ctx), keep)
    if fmt == "wechat-text":
        from checker.io.wechat import read_wechat_text

        return Reading(ctx, fmt, enc, read_wechat_text(text, ctx), keep)
    if fmt == "telegram-json":
        from checker.io.telegram import read_telegram

        return Reading(ctx, fmt, enc, read_telegram(text or "", ctx), keep)
    if fmt == "wechat-html":
        from checker.io.htmlchat import read_html_chat

        chat = read_html_chat(text, ctx)
        if chat is None:
            raise InputError(f"{name}: no chat messages found in this HTML page (no chatMessages data and no "
                             "message bubbles)")
        return Reading(ctx, fmt, enc, chat, keep)
    if fmt == "call-list":
        from checker.io.calllist import read_call_list

        return Reading(ctx, fmt, enc, read_call_list(text, ctx), keep)
    if fmt == "sms-text":
        from checker.io.msgblocks import read_message_blocks

        return Reading(ctx, fmt, enc, read_message_blocks(text, ctx), keep)
    raise InputError(f"{name}: unknown input format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _jsonl_items(items: Iterator[Event | RejectedRow], unknown: set[str], ctx: ReadContext) -> Iterator[Item]:
    from checker.io.jsonl import NO_ID

    yield from items
    if NO_ID in unknown:
        unknown.discard(NO_ID)
        ctx.notes.append(f"{ctx.file}: some records have no \"id\"; each is named by its file and line "
                         f"({ctx.file}:LINE)")
    if unknown:
        ctx.notes.append(f"{ctx.file}: ignored unknown field(s): {', '.join(sorted(unknown))}")

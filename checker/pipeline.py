"""The scan pipeline without a user interface: read inputs, resolve the parties, scan,
build the report. The command line (``checker.cli``) and the web page (``checker.web``)
call these same functions; each interface only decides where the bytes come from and
how notes and errors are shown to its user.

Errors are exceptions a user can read (``InputError``, ``PartiesError``), never printed
here: the CLI turns them into ``collcheck: …`` and exit 2, the web page into a message.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any, NamedTuple

from checker.io import GZIP_CUT, InputError, ReadResult, read_input
from checker.io.formats import TABLE_FORMATS
from checker.model import CallEvent, Event, InputSummary, MessageEvent
from checker.parties import (
    Directory,
    Exempted,
    Suspect,
    assign,
    group_by_signature,
    is_service_number,
    normalise_number,
    saved_contacts,
    suspects,
)

__all__ = ["Parties", "ScanRun", "numbers_entry", "read_inputs", "report_for", "resolve_parties", "run", "scan",
           "unreadable_inputs"]


class ScanRun(NamedTuple):
    pack: Any
    compiled: Any
    tz: Any
    events: list
    summaries: list
    findings: list
    unreadable: tuple[str, ...] = ()  # an error per input of which no row could be read (unreadable_inputs)


@dataclass(frozen=True)
class Parties:
    """Events annotated with their collector group (non-collectors filtered out when a
    numbers list was given), the summaries with those rows counted as filtered, and —
    when no numbers list was given — how many incoming numbers are judged as possible
    collectors and which of them look like collection numbers (for a note to the user)."""

    events: list[Event]
    summaries: list[InputSummary]
    judged_numbers: int = 0
    suspects: tuple[Suspect, ...] = ()
    exempted: Exempted | None = None  # saved contacts and service numbers not judged (no numbers list)

    def exempt_note(self) -> tuple[int, int, tuple[str, ...], tuple[str, ...]] | None:
        """(events from saved contacts, their numbers, a few of their names, the service
        numbers) when some incoming contacts were not judged, else None."""
        ex = self.exempted
        if not ex or not (ex.contacts or ex.service):
            return None
        names = tuple(n for n, _k in ex.contacts.most_common(5))
        return sum(ex.contacts.values()) + sum(ex.service.values()), len(ex.numbers) + len(ex.service), names, \
            tuple(sorted(ex.service))

    def unlisted_note(self) -> str | None:
        """With a numbers list: what was left out as not listed, for a note; else None."""
        ex = self.exempted
        if not ex or not (ex.unlisted or ex.no_number or ex.relatives_own):
            return None
        parts = []
        if ex.relatives_own:
            parts.append(f"{ex.relatives_own} message(s) in a relative's or colleague's own chat (--third-party) from "
                         "senders not named as collectors (the people in it; name a collector's sender with "
                         "--collector-speaker)")
        if ex.unlisted:
            parts.append(f"{ex.unlisted} incoming call(s) / message(s) from numbers not in the --numbers list")
        if ex.no_number:
            parts.append(f"{ex.no_number} incoming call(s) with no caller number (hidden, private or an empty "
                         "cell: they cannot be tied to a listed number)")
        return " and ".join(parts) + " are not judged (counted as filtered)"


def read_inputs(inputs: Iterable[tuple[str, bytes]], tz: tzinfo, *, encoding: str | None = None,
                input_format: str | None = None, collector_speakers: tuple[str, ...] = (),
                columns: str | Mapping[str, str] | None = None,
                on_read: Callable[[ReadResult], None] | None = None, debtor: str | None = None,
                date_order: str | None = None,
                on_error: Callable[[str, InputError], None] | None = None) -> tuple[list[Event], list[InputSummary]]:
    """Read each ``(name, data)`` in turn; ``on_read`` sees each file's result (notes,
    rejected rows) as soon as it is read. Raises InputError naming the file — unless
    ``on_error`` is given: it is then told of each input that cannot be read, and the rest
    are read. ``debtor`` and ``date_order`` are --debtor and --date-order (see
    checker.io.read_input)."""
    events: list[Event] = []
    summaries: list[InputSummary] = []
    calls = SameContacts()
    for name, data in inputs:
        try:
            res = read_input(name, data, tz, encoding=encoding, input_format=input_format,
                             collector_speakers=collector_speakers, columns=columns, debtor=debtor,
                             date_order=date_order)
        except InputError as e:
            if on_error is None:
                raise
            on_error(name, e)
            continue
        calls.filter(res)
        if on_read is not None:
            on_read(res)
        events.extend(res.events)
        summaries.append(res.summary)
    return events, summaries


SAME_CALL_SECONDS = 60  # start times of one call in two files (a phone's log and the carrier's bill) differ by less
SAME_CALLS_NOTE = " are also in "  # the note SameContacts leaves (unreadable_inputs looks for it)
SAME_DURATION_SECONDS = 5  # and their durations (when both are known) by at most this


class SameContacts:
    """The same call read from two different inputs — the phone's own call log and the
    carrier's bill, say — is counted once. Calls in different files with the same
    normalised other-party number and direction whose start times lie within
    SAME_CALL_SECONDS (and whose durations, when both are known, within
    SAME_DURATION_SECONDS) are one call: the first file's event is kept, the later file's
    row is counted as filtered for that file (never silently dropped), and a note names
    both files and how many. Calls within one file are never merged (a log can hold two
    calls a minute apart from one number), nor are a JSONL batch's records.

    Messages likewise: the same inbox exported twice (an SMS backup XML and the phone's own
    CSV) or one chat in two exports — the same other party (number or nickname), direction
    and text (spaces aside), sent within SAME_CALL_SECONDS — is one message, counted once."""

    def __init__(self) -> None:
        # (number, direction) -> [(time, duration, file)] of the files read so far
        self._index: dict[tuple[str, ...], list[tuple[datetime, float | None, str]]] = {}

    @staticmethod
    def _key(e: Event) -> tuple[str, ...] | None:
        if e.time is None or e.agent:
            return None
        other = e.to if e.direction == "out" else e.from_
        if isinstance(e, MessageEvent):
            text = re.sub(r"\s+", "", e.text or "")
            party = (normalise_number(other) or other.strip()) if other else ""
            return ("msg", party, e.direction or "in", text) if text else None
        if not isinstance(e, CallEvent):
            return None
        number = normalise_number(other) if other else ""
        return (number, e.direction or "in") if number else None

    def filter(self, res: ReadResult) -> None:
        """Drop from ``res`` (events, summary, notes) the calls an earlier input holds."""
        if res.summary.format == "jsonl":
            return
        file = res.summary.file
        used: set[tuple[tuple[str, ...], int]] = set()
        dups: Counter[str] = Counter()
        mdups: Counter[str] = Counter()
        kept: list[Event] = []
        for e in res.events:
            key = self._key(e)
            match = self._match(key, e, used) if key else None
            if match is None:
                kept.append(e)
            elif key[0] == "msg":  # type: ignore[index]
                mdups[match] += 1
            else:
                dups[match] += 1
        for e in kept:  # added after the whole file is checked: calls within one file are not compared
            key = self._key(e)
            if key:
                self._index.setdefault(key, []).append((e.time, getattr(e, "duration_s", None), file))  # type: ignore[attr-defined]
        if not dups and not mdups:
            return
        notes = [f"{k} call(s) in {file}{SAME_CALLS_NOTE}{first}: counted once (the same number, direction and start "
                 f"time within {SAME_CALL_SECONDS} seconds; those rows of {file} are counted as filtered)"
                 for first, k in dups.items()]
        notes += [f"{k} message(s) in {file}{SAME_CALLS_NOTE}{first}: counted once (the same sender or recipient, "
                  f"direction and text, sent within {SAME_CALL_SECONDS} seconds; those rows of {file} are counted "
                  "as filtered)" for first, k in mdups.items()]
        n = sum(dups.values()) + sum(mdups.values())
        res.events = kept
        res.notes.extend(notes)
        res.summary = replace(res.summary, events=res.summary.events - n, filtered=res.summary.filtered + n,
                              notes=(*res.summary.notes, *notes))

    def _match(self, key: tuple[str, str], e: Event, used: set) -> str | None:
        dur = getattr(e, "duration_s", None)
        for i, (t, d, f) in enumerate(self._index.get(key, ())):
            # an export that writes minutes only (上午9:05) holds a call that began in that minute:
            # its window is widened by the minute's 59 seconds
            window = SAME_CALL_SECONDS + (59 if (t.second == 0 or e.time.second == 0) else 0)  # type: ignore[union-attr]
            if (key, i) in used or abs((t - e.time).total_seconds()) > window:  # type: ignore[operator]
                continue
            if d is not None and dur is not None and abs(d - dur) > SAME_DURATION_SECONDS:
                continue
            used.add((key, i))
            return f
        return None


def resolve_parties(events: list[Event], summaries: list[InputSummary], directory: Directory, debtor: str | None,
                    third_party: Sequence[tuple[str, list[Event], list[InputSummary]]] = (),
                    contact_names: Mapping[str, set[str]] | None = None) -> Parties:
    """Collector numbers, groups and third-party logs (see checker.parties).

    ``directory`` holds the collector numbers (``Directory()`` when none were given);
    ``third_party`` is ``(relation, events, summaries)`` per relative's or colleague's log;
    ``contact_names`` the names the exports give numbers (ReadResult.contact_names): with
    no numbers list, incoming contacts from saved contacts and service numbers are not
    judged (see checker.parties).
    """
    from checker.io.common import _debtor_parts, _is_phone, debtor_number

    # every number --debtor gives is the person's (two SIMs): one debtor for the frequency rules
    own = [n for n in (normalise_number(p) for p in _debtor_parts(debtor) if _is_phone(p)) if n]
    debtor = debtor_number(debtor)  # a name (--debtor 阿强) is a speaker name, read by the readers
    if not own:
        # no --debtor: the one number the inputs say the person's (a bill's 本机号码 / preamble, a log's
        # own-number column) is the debtor of the rows that do not say it — a phone's log beside a
        # bill is one person's, and its calls count with the bill's for the daily limits
        tos = {normalise_number(e.to) for e in events
               if e.to and e.direction != "out" and e.speaker not in ("debtor", "third_party") and not e.agent}
        tos.discard(None)
        if len(tos) == 1:
            own = [tos.pop()]
    directory = Directory(dict(directory.groups), own[0] if own else None, directory.given,
                          frozenset(own[1:]))
    rel_events: list[Event] = []
    for relation, evs, sums in third_party:
        rel_events.extend(replace(e, relation=relation.strip(), speaker="unknown" if e.speaker == "unknown" else
                                  e.speaker) for e in evs)
        summaries = [*summaries, *sums]
    directory = group_by_signature(events, directory)
    judged, sus = 0, ()
    contacts = {} if directory.given else saved_contacts(dict(contact_names or {}), events)
    exempted = Exempted()
    # The suspects note is for a person's phone exports, where a friend's call must not count
    # as a collector's; a compliance batch names its agents and is the collector's own record.
    exports = [e for e in events if not e.agent]
    if not directory.given and exports:
        # (a relative's or the debtor's own line in a chat, 妈妈 / 二姨 in a family group, is never judged)
        numbers = {normalise_number(e.from_) for e in exports
                   if e.from_ and e.direction != "out" and e.speaker not in ("debtor", "third_party")}
        numbers = {n for n in numbers if n in directory.groups or not (n in contacts or is_service_number(n))}
        if numbers and any(e.channel in ("call", "sms", "wechat") for e in exports):
            judged = len(numbers)
            sus = tuple(sorted((x for x in suspects(exports) if x.number in numbers),
                               key=lambda x: (-len(x.reasons), x.number)))
    kept, filtered = assign([*events, *rel_events], directory, contacts, exempted)
    if filtered:
        summaries = [replace(s_, events=s_.events - filtered.get(s_.file, 0),
                             filtered=s_.filtered + filtered.get(s_.file, 0)) for s_ in summaries]
    return Parties(kept, summaries, judged, sus, exempted if exempted else None)


def unreadable_inputs(summaries: Iterable[InputSummary]) -> tuple[str, ...]:
    """An error message for each input of which no data row could be read: every row was
    rejected (filtered rows such as a 合计 line aside). Such a file is an input error (exit
    2), not "no findings": its rows were most likely misread as a whole (a column collcheck
    took for another), so the message names the first reason and, for a table, suggests --columns
    (unless the reason names the option that fixes it: --input-format messages for a 短信详单 read as
    calls; an e-mail, a .vmsg backup or a chat has no columns to name). Pass
    the summaries as the readers made them, before the parties stage filters any event."""
    out = []
    for s_ in summaries:
        cut = next((n for n in s_.notes if GZIP_CUT in n), None)
        if cut is not None:  # a gzip file cut short: what was read is judged, the rest is lost (exit 2)
            out.append(cut.split("): ", 1)[0] + "); the findings before it were written")
            continue
        if s_.events or not s_.rejected or any(SAME_CALLS_NOTE in n for n in s_.notes):
            continue  # rows were read: a file whose calls all came in an earlier file too is no misread
        first = s_.rejected[0]
        msg = (f"{s_.file}: no row could be read: all {len(s_.rejected)} data row(s) were rejected (the first, "
               f"line {first.line}: {first.reason})")
        table = any(k in TABLE_FORMATS for k in (s_.format or "").split("+"))
        if table and "--columns" not in first.reason and "--input-format" not in first.reason:
            msg += (". If collcheck misread the columns, name them with --columns "
                    "time=COLUMN,number=COLUMN,direction=COLUMN,duration=COLUMN")
        out.append(msg)
    return tuple(out)


def scan(pack: Any, tz: tzinfo, events: list[Event], summaries: list[InputSummary],
         unreadable: tuple[str, ...] = ()) -> ScanRun:
    """Run the rules; ``unreadable`` (see unreadable_inputs) travels with the result."""
    from checker.engine import scan as run_scan

    compiled = pack.compiled()
    findings = list(run_scan(events, compiled, tz))
    return ScanRun(pack, compiled, tz, events, summaries, findings, unreadable)


def run(inputs: Iterable[tuple[str, bytes]], pack: Any, tz: tzinfo, *, directory: Directory | None = None,
        debtor: str | None = None, collector_speakers: tuple[str, ...] = (), encoding: str | None = None,
        input_format: str | None = None, on_read: Callable[[ReadResult], None] | None = None,
        date_order: str | None = None,
        on_error: Callable[[str, InputError], None] | None = None) -> tuple[ScanRun, Parties]:
    """Read, resolve the parties and scan: the whole pipeline for inputs held in memory.
    ``on_error``: see ``read_inputs`` (an input that cannot be read is passed over, and the
    rest are read and scanned)."""
    names: dict[str, set[str]] = {}

    def read(res: ReadResult) -> None:
        merge_names(names, res.contact_names)
        if on_read is not None:
            on_read(res)

    events, summaries = read_inputs(inputs, tz, encoding=encoding, input_format=input_format,
                                    collector_speakers=collector_speakers, on_read=read, debtor=debtor,
                                    date_order=date_order, on_error=on_error)
    parties = resolve_parties(events, summaries, directory or Directory(), debtor, contact_names=names)
    return scan(pack, tz, parties.events, parties.summaries, unreadable_inputs(summaries)), parties


def merge_names(into: dict[str, set[str]], names: Mapping[str, set[str]]) -> None:
    """Add one input's contact names (ReadResult.contact_names) to those of the others."""
    for number, ns in names.items():
        into.setdefault(number, set()).update(ns)


def numbers_entry(file: str, data: bytes, name: str | None = None) -> dict[str, Any]:
    """The numbers list's line in the report's evidence manifest."""
    import os

    return {"file": file, "name": name or os.path.basename(file), "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}


def report_for(run: ScanRun, *, debtor: str | None = None, directory: Directory | None = None,
               numbers: dict[str, Any] | None = None, redact: bool = False, redact_names: tuple[str, ...] = (),
               report_name: str = "report", sizes: dict[str, int] | None = None,
               generated: datetime | None = None, left_out: list[dict[str, Any]] | None = None) -> Any:
    """The evidence report (checker.report.model.Report) for a scan run; ``generated``
    fixes its generation time (the same inputs and time give the same bytes); ``left_out``
    lists inputs given but not read (see checker.report.model.build)."""
    from checker.report.model import build

    return build(run.findings, run.events, run.summaries, run.pack, run.tz, debtor=debtor,
                 collector_groups=dict(directory.groups) if directory else {}, numbers_file=numbers, redact=redact,
                 redact_names=redact_names, report_name=report_name, sizes=sizes, generated=generated,
                 left_out=left_out)

"""The raw-line fast path of batch scans: settle, for a chunk of JSONL lines at once, which
records cannot produce a per-record finding, so that only the others are read in full.

Most records of a compliance batch are routine utterances in office hours. For those the
full path — ``json.loads``, an event dataclass, the contact-hour rules, normalisation, the
prefilter — costs tens of microseconds and finds nothing. This module decides the same
thing for a whole chunk with a few C-speed passes:

1. **Decode** each line into a typed ``msgspec`` struct of the batch contract's fields.
   Anything unusual — not JSON, a field of an unexpected type, an unknown channel or
   speaker, a call record, a record from a third party's own log, a time that is not plain
   ISO 8601 — is left to the full path, which reads (or rejects) it exactly as before.
2. **Hours**: a time string is classified by its hour (``YYYY-MM-DDTHH`` plus the offset):
   once per distinct hour, every minute of that hour is placed in the scan's time zone and
   checked against every contact-hour window of the pack. A record whose hour lies wholly
   outside every window cannot fire an hour rule; any other goes the full way.
3. **Text**: the texts of the chunk are joined with NUL separators, lower-cased and put
   through one ``str.translate`` table that does per character what normalisation does —
   NFKC for every character it changes, traditional → simplified, spaces, hesitation fillers
   (呃/嗯), zero-width characters and decoration (★, →, emoji …) dropped — then ASR-fixed;
   one Aho-Corasick pass of the prefilter's key literals marks the records that hold any of
   them. The joined form drops at least what normalisation drops, so it finds every key
   literal the full path would find (it may find more, which only costs time). Texts with
   combining marks (NFKC composes them with the character before, which a table cannot do)
   or with a dropped character that some literal uses (an emoji anchor such as 🔪) always
   take the full path.
4. **Patterns**: a woken text goes on only if some pattern of a rule that judges it has
   every literal it needs (an anchor, each required word list) in the joined form; when
   every such pattern also requires regular expressions, the text is normalised exactly as
   the engine normalises it and goes on only if one pattern's expressions all match. The
   slot-based rules key on common words (备注, 通知, 转到); this stage keeps routine
   sentences holding them from being read in full.

A text's verdict from steps 3 and 4 is kept (per text, channel and side) for the rest of
the scan, so a text repeated in later chunks is not searched again.

Everything else — records with a candidate hour, a key literal, a call — is read by
the full path in input order, so the findings, rejected rows and counts are the same as
reading every line in full (tests/test_batch.py checks this on generated corpora).
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
import unicodedata
from collections import Counter
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

import msgspec

from checker.engine import holds_labels, other_turns_removed
from checker.io.jsonl import KNOWN_FIELDS, NO_ID, misplaced_words
from checker.model import SPEAKERS, STATUSES, CallEvent, Source
from checker.nlp.normalize import COMBINING as _COMBINING
from checker.nlp.normalize import DOTTED, normalise


class _Record(msgspec.Struct, rename={"from_": "from"}, forbid_unknown_fields=True):
    """The batch contract's fields with the types the fast path accepts. A record with an
    unknown field fails this decoder: its field names are noted (``FastPath.unknown``, for
    the file's note, as the full path notes them) and it is decoded again by ``_AnyRecord``,
    which ignores them as the full path does."""

    id: str | None = None
    time: str | None = None
    channel: str | None = None
    direction: str | None = None
    from_: str | None = None
    to: str | None = None
    speaker: str | None = None
    text: str | None = None
    agent: str | None = None
    case: str | None = None
    labels: list[str] | None = None
    relation: str | None = None
    duration_s: int | float | None = None
    status: str | None = None


class _AnyRecord(_Record, forbid_unknown_fields=False):
    """The same fields, unknown ones ignored."""


_FAST_CHANNELS = frozenset({"sms", "wechat", "transcript", "call"})
_SPEAKERS = frozenset({None, *SPEAKERS})
_DIRECTIONS = frozenset({None, "in", "out"})
_STATUSES = frozenset({None, *STATUSES})
_ERRORS = (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError)
_MAYBE, _QUIET = True, False
_UNSEEN = object()
# The call events built here fill the frozen dataclasses' __dict__ directly (their
# generated __init__ costs more than the rest of the record); this holds only while the
# model has exactly these fields and no __post_init__ — otherwise the fast path stands down.
_PLAIN_MODEL = (
    [f.name for f in dataclasses.fields(CallEvent)] == [
        "id", "channel", "source", "time", "direction", "from_", "to", "speaker", "text", "agent", "case",
        "labels", "collector_group", "relation", "duration_s", "status"]
    and [f.name for f in dataclasses.fields(Source)] == ["file", "line", "sha256"]
    and not hasattr(CallEvent, "__post_init__") and not hasattr(Source, "__post_init__"))
_HOUR_SPAN = timedelta(minutes=59)
_MMSS = frozenset(f":{m:02d}:{s:02d}" for m in range(60) for s in range(60))
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_DROPPED = " \t\r\n呃嗯"  # dropped by normalisation (spaces between Chinese, fillers)
# the verdicts kept across chunks (FastPath._text_candidates): texts up to this many
# characters, at most this many
_MEMO_TEXT = 300
_MEMO_SIZE = 50_000


def _collector_side(r: Any) -> bool:
    """A decoded record is judged as the collector's side (the full path's Event.collector_side)."""
    return r.speaker == "collector" or (r.speaker in (None, "unknown") and r.direction != "out")


class FastPath:
    """Per compiled pack and time zone: the decoder, the hour classes seen so far, and the
    quick-text translation table."""

    def __init__(self, compiled: Any, tz: tzinfo):
        from checker.matchers.hours import _hhmm

        self.compiled = compiled
        self.tz = tz
        self.decode = msgspec.json.Decoder(_Record).decode
        self._decode_any = msgspec.json.Decoder(_AnyRecord).decode
        # what the fast path saw of the records it settled, for the file's notes (the full
        # path's read_numbered collects the same for the records it reads): unknown field
        # names, and NO_ID when some record has no id. The caller takes and clears it.
        self.unknown: set[str] = set()
        self.windows = [(_hhmm(r.match["start"]), _hhmm(r.match["end"])) for r in compiled.hour_rules]
        self.hours: dict[str, Any] = {}
        self.window_minutes = bytes(self._in_window(time(m // 60, m % 60)) for m in range(1440))
        prep = prepare(compiled)
        self.table, self.unsafe, self.fixes = prep.table, prep.unsafe, prep.fixes
        # The chunk-level passes use ahocorasick-rs (several times faster than pyahocorasick
        # on long strings): the prefilter's key literals, and every literal of every text rule,
        # also without its spaces (the quick form has none), to check the rules' literal gates.
        import ahocorasick_rs

        self.key_literals = prep.key_literals
        self.prefilter = ahocorasick_rs.AhoCorasick(prep.key_literals) if prep.key_literals else None
        self.literal_names = prep.literal_names
        self.literals = ahocorasick_rs.AhoCorasick(prep.literal_keys) if prep.literal_keys else None
        self.needs_bmp = re.compile(prep.needs_bmp)
        self.needs_astral = re.compile(prep.needs_astral) if prep.needs_astral else None
        self._eligible: dict[tuple[str, bool], frozenset[int]] = {}
        # may_fire depends only on the set of literals present, the channel and the side:
        # routine sentences repeat the same few literal sets, so the verdicts are kept.
        self._verdicts: dict[tuple, bool | tuple] = {}
        self.fix_asr = compiled.lex.fix_asr
        # (text, channel, collector side) → whether it may fire (see _text_candidates)
        self._memo: dict[tuple, bool] = {}

    # ------------------------------------------------------------------ hours
    def _hour_class(self, key: str, head: str, tail: str) -> bool | None:
        """_QUIET when no minute of this hour is inside any window, _MAYBE otherwise, None
        when the string is not one the full path would read the same way."""
        try:
            t0 = datetime.fromisoformat(head.replace(" ", "T", 1) + ":00:00" + tail)
        except ValueError:
            cls = None
        else:
            if t0.tzinfo is None:
                t0 = t0.replace(tzinfo=self.tz)
            cls = _QUIET
            l0 = t0.astimezone(self.tz)
            if (l0.utcoffset() == (t0 + _HOUR_SPAN).astimezone(self.tz).utcoffset()
                    and not l0.second and not l0.microsecond):
                # one offset all hour long: its local minutes are 60 consecutive ones
                base, inside = l0.hour * 60 + l0.minute, self.window_minutes
                if any(inside[(base + k) % 1440] for k in range(60)):
                    cls = _MAYBE
            else:  # the offset changes within this hour (a DST switch): minute by minute
                for m in range(60):
                    local = (t0 + timedelta(minutes=m)).astimezone(self.tz).time()
                    if self._in_window(local):
                        cls = _MAYBE
                        break
        if len(self.hours) > 100_000:
            self.hours.clear()
        self.hours[key] = cls
        return cls

    def _in_window(self, local: time) -> bool:
        return any((s <= local < e) if s <= e else (local >= s or local < e) for s, e in self.windows)

    def hour_is_quiet(self, s: str) -> bool:
        """No contact-hours rule can fire at this time string (and the full path reads it
        the same way): its ``:MM:SS`` is well formed and its hour class is quiet."""
        if s[13:19] not in _MMSS:
            return False
        key = s[:13] + s[19:]
        cls = self.hours.get(key, _UNSEEN)
        if cls is _UNSEEN:
            cls = self._hour_class(key, s[:13], s[19:])
        return cls is _QUIET

    # ------------------------------------------------------------------ text rules
    def eligible(self, channel: str, collector_side: bool) -> frozenset[int]:
        """Indexes of the text rules that judge records of this channel and side."""
        key = (channel, collector_side)
        out = self._eligible.get(key)
        if out is None:
            out = self._eligible[key] = frozenset(
                i for i, tr in enumerate(self.compiled.text_rules)
                if channel in tr.rule.applies_to and (tr.rule.speaker != "collector" or collector_side))
        return out

    def may_fire(self, keys: set[str], channel: str, collector_side: bool) -> bool | tuple:
        """Whether a rule that judges this record, woken by one of its key literals, has a
        pattern whose literals (``keys``: those in the record's quick form) all occur: an
        anchor phrase with every part present, and every required ``any`` condition with
        such a phrase. A necessary condition for the rule to fire, as the engine checks it.

        False when no pattern passes; True when one that passes needs nothing more; else
        the passing patterns' required regular expressions, one tuple per pattern: the
        text can fire only if, for one of them, every expression matches its normalised
        form (see ``_regex_stage``). Verdicts are cached by literal set, channel and side."""
        key = (frozenset(keys), channel, collector_side)
        known = self._verdicts.get(key)
        if known is not None:
            return known
        if len(self._verdicts) > 200_000:
            self._verdicts.clear()
        verdict = self._verdicts[key] = self._may_fire(key[0], channel, collector_side)
        return verdict

    def _may_fire(self, keys: frozenset[str], channel: str, collector_side: bool) -> bool | tuple:
        by_literal = self.compiled.rules_by_literal
        woken: set[int] = set()
        for lit in keys:
            idx = by_literal.get(lit)
            if idx:
                woken.update(idx)
        woken &= self.eligible(channel, collector_side)
        rules = self.compiled.text_rules
        needs: dict[tuple[int, ...], tuple] = {}
        for i in woken:
            tr = rules[i]
            pats = tr.patterns
            for j in tr.candidates(keys):  # the patterns whose first gate is hit
                p = pats[j]
                if any(g.isdisjoint(keys) for g in p.gates):
                    continue
                if not p.anchors_present(keys):
                    continue
                if all(c.phrases_present(keys) for c in p.require if c.kind == "any" and c.phrases):
                    rxs = tuple(c.regex for c in p.require if c.kind == "regex")
                    if not rxs:
                        return True
                    needs.setdefault(tuple(id(rx) for rx in rxs), rxs)
        return tuple(needs.values()) if needs else False

    def _regex_stage(self, text: str, plans: tuple) -> bool:
        """Whether some pattern's required regular expressions all match the text's
        normalised form — the form the engine matches them on (``normalise`` and the ASR
        fixes), so this is exact, not an approximation: the engine finds no hit for a
        required expression that does not match anywhere in it. Most routine sentences that
        hold a structural rule's common anchor (备注, 通知, 转到 …) stop here."""
        norm = self.fix_asr(normalise(text)[0])
        return any(all(rx.search(norm) for rx in rxs) for rxs in plans)

    # ------------------------------------------------------------------ chunk
    def split(self, lines: list[bytes], file: str, sha: str | None, first: int) -> tuple:
        """Settle what can be settled of a chunk → (indexes of the lines the full path must
        read, in order; call events built here as (index, CallEvent) for the frequency rules;
        records settled here; their agent and case counts)."""
        if not _PLAIN_MODEL:  # pragma: no cover - the model grew fields or a __post_init__
            return list(range(len(lines))), [], 0, Counter(), Counter()
        new, set_attr = object.__new__, object.__setattr__
        decode = self.decode
        slow: list[int] = []
        quiet: list[tuple[int, Any]] = []
        text_at: list[int] = []
        texts: list[str] = []
        calls: list[tuple[int, Any]] = []
        hours = self.hours
        hour_class = self._hour_class
        tz = self.tz
        for i, raw in enumerate(lines):
            try:
                r = decode(raw)
            except _ERRORS:
                r = self._lenient(raw)
                if r is None:
                    if raw.strip():
                        slow.append(i)
                    continue
            if not r.id:
                self.unknown.add(NO_ID)
            ch = r.channel
            t = r.time
            if t:  # hour_is_quiet, inlined: this runs for every record
                if t[13:19] not in _MMSS:
                    slow.append(i)
                    continue
                key = t[:13] + t[19:]
                cls = hours.get(key, _UNSEEN)
                if cls is _UNSEEN:
                    cls = hour_class(key, t[:13], t[19:])
                if cls is not _QUIET:
                    slow.append(i)
                    continue
            if (ch not in _FAST_CHANNELS or r.relation is not None or r.speaker not in _SPEAKERS
                    or r.direction not in _DIRECTIONS):
                slow.append(i)
                continue
            if ch == "call":
                d = r.duration_s
                if r.text or r.status not in _STATUSES or (d is not None and (isinstance(d, bool) or d < 0)):
                    slow.append(i)
                    continue
                if t:
                    when = datetime.fromisoformat(t if "T" in t else t.replace(" ", "T", 1))
                    if when.tzinfo is None:
                        when = when.replace(tzinfo=tz)
                else:
                    when = None
                src = new(Source)
                set_attr(src, "__dict__", {"file": file, "line": first + i, "sha256": sha})
                ev = new(CallEvent)
                set_attr(ev, "__dict__", {
                    "id": r.id or f"{file}:{first + i}", "channel": "call", "source": src, "time": when,
                    "direction": r.direction, "from_": r.from_, "to": r.to, "speaker": r.speaker or "unknown",
                    "text": None, "agent": r.agent, "case": r.case,
                    "labels": tuple(r.labels) if r.labels is not None else None,
                    "collector_group": None, "relation": None, "duration_s": d, "status": r.status})
                calls.append((i, ev))
            elif r.text:
                if ch == "transcript" and holds_labels(r.text) and other_turns_removed(r.text):
                    slow.append(i)  # a whole exchange: the engine judges its turns one by one
                    continue
                text_at.append(len(quiet))
                texts.append(r.text)
            quiet.append((i, r))
        if texts:
            for k in self._text_candidates(texts, [quiet[j][1] for j in text_at]):
                slow.append(quiet[text_at[k]][0])
                quiet[text_at[k]] = (-1, None)
        settled = [r for i, r in quiet if i >= 0]
        agents = Counter([r.agent for r in settled if r.agent is not None])
        cases = Counter([r.case for r in settled if r.case is not None])
        n = len(settled)
        slow.sort()
        return slow, calls, n, agents, cases

    def _lenient(self, raw: bytes) -> Any:
        """A record that failed the strict decoder: when it only has unknown fields, those
        are noted and it is decoded without them; else None (the full path reads it)."""
        try:
            obj = msgspec.json.decode(raw)
        except _ERRORS:
            return None
        if not isinstance(obj, dict):
            return None
        extra = [k for k in obj if k not in KNOWN_FIELDS]
        if not extra or misplaced_words(obj) is not None:
            return None  # a wrong type, not an unknown field; or words in an unknown field (rejected)
        try:
            r = self._decode_any(raw)
        except _ERRORS:
            return None
        self.unknown.update(extra)
        return r

    def _model_candidates(self, big: str, recs: list[Any]) -> set[int]:
        """Indexes of the texts on which a model rule (the statistical second opinion) reaches
        its threshold: the whole chunk is scored at once, with the same exact integer sums as
        the engine's one text at a time (checker.matchers.model)."""
        import numpy as np

        compiled = self.compiled
        from checker.matchers.model import undot

        forms = [undot(f) if "." in f else f for f in big.lower().translate(pack_fold(compiled)[0]).split("\x00")]
        if len(forms) != len(recs):  # pragma: no cover - the table never makes or drops NUL
            return set(range(len(recs)))
        # which rules may judge a text depends only on the channel it is judged as and its side:
        # the texts are grouped by those two, and each group gets its rules' columns
        groups: dict[tuple[str, bool], list[int]] = {}
        for k, r in enumerate(recs):
            groups.setdefault(("transcript" if r.channel == "call" else r.channel, _collector_side(r)), []).append(k)
        fires: set[int] = set()
        for name, model in compiled.models.items():
            plan = [(r, col, th) for r, n, col, th in compiled.model_plan if n == name]
            cols = {key: [(col, th) for r, col, th in plan
                          if key[0] in r.applies_to and (key[1] or r.speaker != "collector")]
                    for key in groups}
            judged = [k for key, ks in groups.items() if cols[key] for k in ks]
            if not judged:
                continue
            # each distinct text once (scripted lines recur in a QA batch); a text's score does
            # not depend on its neighbours, so this is exact
            distinct = list(dict.fromkeys(forms[k] for k in judged))
            rows = model.logits(distinct)
            # the engine reads the texts sent to it right after this chunk: it takes their
            # scores from here (the same numbers it would compute) instead of again one by one
            compiled.model_cache[name] = dict(zip(distinct, rows, strict=True))
            where = {f: i for i, f in enumerate(distinct)}
            for key, ks in groups.items():
                if not cols[key]:
                    continue
                sub = rows[[where[forms[k]] for k in ks]]
                hit = np.zeros(len(ks), dtype=bool)
                for col, th in cols[key]:
                    hit |= sub[:, col] >= th
                fires.update(ks[j] for j in np.flatnonzero(hit).tolist())
        return fires

    def _text_candidates(self, texts: list[str], recs: list[Any]) -> set[int]:
        """Indexes of the texts that may fire a text rule or a model rule (or need composing
        NFKC). A text's verdict depends only on the text, its channel and whether it is the
        collector's side, so verdicts are kept across chunks (short texts; the memo is
        emptied when full) and each distinct text of a chunk is searched once: a QA batch
        repeats its scripted lines thousands of times. A kept verdict that a text may fire
        only sends it to the full path, which is exact; one that it cannot was computed for
        that very text."""
        memo = self._memo
        out: set[int] = set()
        todo: dict[tuple, list[int]] = {}
        for k, (t, r) in enumerate(zip(texts, recs, strict=True)):
            key = (t, r.channel, _collector_side(r))
            v = memo.get(key)
            if v is None:
                todo.setdefault(key, []).append(k)
            elif v:
                out.add(k)
        if not todo:
            return out
        first = [ks[0] for ks in todo.values()]
        found = self._search([texts[k] for k in first], [recs[k] for k in first])
        if len(memo) + len(todo) > _MEMO_SIZE:
            memo.clear()
        for j, (key, ks) in enumerate(todo.items()):
            hit = j in found
            if len(key[0]) <= _MEMO_TEXT:
                memo[key] = hit
            if hit:
                out.update(ks)
        return out

    def _search(self, texts: list[str], recs: list[Any]) -> set[int]:
        """_text_candidates for distinct texts: the chunk-level passes."""
        big = "\x00".join(texts)
        if big.count("\x00") != len(texts) - 1:  # a text holds NUL itself: judge each alone
            return set(range(len(texts)))
        out: set[int] = set()
        for rx in (_COMBINING, self.unsafe, DOTTED):  # DOTTED: 法.院 is joined only by normalisation
            if rx is not None and rx.search(big):
                starts = _starts(texts)
                for m in rx.finditer(big):
                    out.add(bisect.bisect_right(starts, m.start()) - 1)
        if self.compiled.model_plan:
            out |= self._model_candidates(big, recs)
        if self.prefilter is None:
            return out
        quick = big.lower()
        if len(quick) != len(big):
            return set(range(len(texts)))
        marks = [m.start() for m in self.needs_bmp.finditer(quick)]
        if self.needs_astral is not None and _ASTRAL.search(quick):
            marks += [m.start() for m in self.needs_astral.finditer(quick)]
        if marks:
            pieces = quick.split("\x00")
            starts = _starts(pieces)
            for k in {bisect.bisect_right(starts, at) - 1 for at in marks}:
                pieces[k] = pieces[k].translate(self.table)
            quick = "\x00".join(pieces)
        for ch in _DROPPED:
            if ch in quick:
                quick = quick.replace(ch, "")
        for wrong, right in self.fixes:
            if wrong in quick:
                quick = quick.replace(wrong, right)
        pieces = quick.split("\x00")
        if len(pieces) != len(texts):  # pragma: no cover - NUL cannot come from the table or fixes
            return set(range(len(texts)))
        qstarts = _starts(pieces)
        woke = sorted({bisect.bisect_right(qstarts, start) - 1
                       for _i, start, _e in self.prefilter.find_matches_as_indexes(quick)} - out)
        if not woke or self.literals is None:
            return out
        # every literal in the woken texts: one overlapping pass over them all (a call per
        # text would cost more than the search), each match assigned to its text
        sub = [pieces[k] for k in woke]
        ends = list(itertools.accumulate(len(p) + 1 for p in sub))  # end (exclusive, with its NUL)
        found: list[set[str]] = [set() for _ in sub]
        names = self.literal_names
        j = 0
        for i, start, _e in self.literals.find_matches_as_indexes("\x00".join(sub), overlapping=True):
            if start >= ends[j] or (j and start < ends[j - 1]):  # matches come in order; if not, look up
                j = bisect.bisect_right(ends, start)
            found[j].update(names[i])
        for k, keys in zip(woke, found, strict=True):
            r = recs[k]
            plan = self.may_fire(keys, r.channel, _collector_side(r)) if keys else False
            if plan is True or (plan and self._regex_stage(texts[k], plan)):
                out.add(k)
        return out


@dataclasses.dataclass
class Prepared:
    """What a FastPath derives from the compiled pack alone: kept on the compiled pack and in
    an on-disk cache entry of its own (``prepare``); only the automata are built per process."""

    table: dict[int, str | None]
    unsafe: Any
    fixes: list[tuple[str, str]]
    key_literals: list[str]
    literal_keys: list[str]
    literal_names: list[tuple[str, ...]]
    needs_bmp: str
    needs_astral: str | None


def prepare(compiled: Any) -> Prepared:
    """The pack-derived part of a FastPath (computed once per compiled pack).

    Computing it for the CN pack takes ~0.3 s (the literal sets, the quick table's filter, two
    character classes); its pickle (~2 MB) loads in ~0.03 s. So it is cached on disk beside the
    compiled pack's entry and under its key (``checker.pack.read_derived``: a change to a rule
    or to the code makes a new entry, COLLCHECK_NO_CACHE=1 turns it off, an unreadable entry is
    rebuilt). It is a separate entry, read only here — when a batch scan builds its FastPath —
    because in the pack's own entry it would cost every one-line scan the unpickling. The entry
    also holds the full quick table (``pack_fold``), which the model stage and the engine use.
    The two Aho-Corasick automata are not cached: ahocorasick-rs automata cannot be pickled,
    and its other implementations build no faster (the DFA five times slower)."""
    cached = getattr(compiled, "_fast_prepared", None)
    if cached is not None:
        return cached
    from checker.pack import read_derived, write_derived

    pack = getattr(compiled, "pack", None)
    entry = read_derived(pack, "fastpath") if pack is not None else None
    if (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], dict)
            and isinstance(entry[1], Prepared)):
        fold, prep = entry
        if getattr(compiled, "_fold", None) is None:
            compiled._fold = (fold, prep.unsafe)
    else:
        prep = _prepare(compiled)
        if pack is not None:
            write_derived(pack, "fastpath", (pack_fold(compiled)[0], prep))
    compiled._fast_prepared = prep
    return prep


def _prepare(compiled: Any) -> Prepared:
    table, unsafe = pack_fold(compiled)
    fixes = [(wrong.replace(" ", ""), right) for wrong, right in compiled.lex.asr_fixes]
    fixes = [(w, r) for w, r in fixes if w]
    keys = sorted(compiled.rules_by_literal)
    # A literal is searched as written and without its spaces (the quick form has none);
    # a match stands for every literal that reads so (「n m s l」 and 「nmsl」 alike), so
    # that which rules it wakes does not depend on the order of a set.
    lits: dict[str, set[str]] = {}
    for lit in _gate_literals(compiled.text_rules):
        lits.setdefault(lit, set()).add(lit)
        lits.setdefault(lit.replace(" ", ""), set()).add(lit)
    # Of the quick table, only the entries that can make or break a literal matter: those
    # mapping to a character some literal uses, and deletions. A text with none of them
    # needs no translation at all (most simplified-Chinese text).
    used = set("".join(lits)) | set("".join(w for w, _r in fixes))
    table = {k: v for k, v in table.items() if not v or any(ch in used for ch in v)}
    # Two classes: Python's regex engine scans a BMP-only class with a bitmap, but falls
    # back to a slow list as soon as the class holds an astral character.
    wanted = sorted(k for k in table if chr(k) not in _DROPPED)
    astral = [k for k in wanted if k >= 0x10000]
    return Prepared(
        table, unsafe, fixes, [k.replace(" ", "") for k in keys], list(lits), [tuple(sorted(v)) for v in lits.values()],
        _char_class([k for k in wanted if k < 0x10000]), _char_class(astral) if astral else None)


def pack_fold(compiled: Any) -> tuple[dict[int, str | None], Any]:
    """The quick table for a pack, and a regex of the characters it drops that the pack's
    literals use (a 🔪 anchor; a dropped character must not hide a literal): texts holding
    one are not quick-checked but normalised in full. Cached on the compiled pack."""
    cached = getattr(compiled, "_fold", None)
    if cached is not None:
        return cached
    table = quick_table(compiled._t2s)
    used = set(compiled.literal_chars)
    used.update("".join(w for w, _r in compiled.lex.asr_fixes))
    # (spaces are no conflict: the automata also hold every literal without its spaces)
    conflict = sorted(ch for ch in used if ord(ch) in table and not table[ord(ch)] and not ch.isspace())
    unsafe = re.compile("[" + "".join(re.escape(ch) for ch in conflict) + "]") if conflict else None
    compiled._fold = (table, unsafe)
    return compiled._fold


def quick_table(t2s: dict[int, str] | None = None) -> dict[int, str | None]:
    """One ``str.translate`` table that does, character by character, what normalisation
    does to a lower-cased text: NFKC for every character it changes (full-width letters and
    punctuation, Kangxi radicals, mathematical letters, circled numbers …), traditional →
    simplified, and dropping spaces, the hesitation fillers 呃/嗯, zero-width characters and
    decoration (symbols, emoji, *, -, / …). Normalisation drops decoration only between two
    Chinese characters; dropping it everywhere here only finds more literals, never fewer."""
    from checker.nlp.normalize import INVISIBLE, decor_chars

    if t2s is None:
        from checker.nlp.normalize import _t2s_table

        t2s = _t2s_table()
    drop = set(" \t\r\n\u00a0\u3000呃嗯" + INVISIBLE + decor_chars() + "\ufe0f")
    emoji = range(0x1F000, 0x1FB00)

    def fold(s: str) -> str:
        return "".join(c for c in s.lower().translate(t2s) if c not in drop and ord(c) not in emoji)

    table: dict[int, str | None] = {}
    for lo, hi in ((0x80, 0xFFFF), (0x1D400, 0x1D7FF), (0x1F100, 0x1F1FF), (0x2F800, 0x2FA1F)):
        for cp in range(lo, hi + 1):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            ch = chr(cp)
            nf = unicodedata.normalize("NFKC", ch)
            if nf != ch:
                table[cp] = fold(nf)
    for cp, dst in t2s.items():
        table.setdefault(cp, fold(dst))
    for ch in drop:
        table[ord(ch)] = None
    for cp in emoji:
        table[cp] = None
    return table


def _gate_literals(text_rules: list[Any]) -> set[str]:
    """The literals ``may_fire`` looks at: anchor phrases' and required ``any`` phrases'
    (not ``unless`` phrases, which can only suppress)."""
    out: set[str] = set()
    for tr in text_rules:
        for p in tr.patterns:
            phrases = list(p.anchors)
            for c in p.require:
                if c.kind == "any":
                    phrases.extend(c.phrases)
            for ph in phrases:
                for part in ph.parts:
                    out.update(part)
    return out


def _char_class(cps: list[int]) -> str:
    """A regex character class of these code points, as ranges."""
    runs: list[list[int]] = []
    for c in cps:
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                         for a, b in runs) + "]"


def _starts(pieces: list[str]) -> list[int]:
    """Start offset of each piece in ``"\\x00".join(pieces)``."""
    out = []
    pos = 0
    for p in pieces:
        out.append(pos)
        pos += len(p) + 1
    return out

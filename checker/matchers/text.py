"""The ``text`` matcher kind: phrases with all / any / not / within on normalised text.

Flow per utterance: normalise → one Aho-Corasick pass over the pack's literals →
only rules with an anchor hit are evaluated → conditions are checked around each
anchor hit → negation, reported speech and ``unless`` clauses may suppress it. The
jieba / spaCy stage runs only for a clause around an anchor, for negation scope and
``tokens`` conditions.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from checker.nlp.normalize import normalise, normalise_phrase, to_original

GAP_MARKS = ("…", "...", "……")
_LEXREF = re.compile(r"@([A-Za-z_][A-Za-z0-9_]*)")
DEFAULT_GAP = 8
TRIM = " \t\n,.!?;:，。！？；：、~～…\"'“”‘’「」『』()（）【】[]"


class CompileError(Exception):
    def __init__(self, file: str, message: str):
        self.file = file
        self.message = message
        super().__init__(f"{file}: {message}")


@dataclass(frozen=True)
class Phrase:
    """A literal phrase, possibly with gaps: parts[i] is a frozenset of alternatives.

    Equal parts are interned (one object per distinct set), so per-utterance caches keyed
    by part identity are shared by every phrase using the same word list."""

    source: str
    parts: tuple[frozenset[str], ...]


_INTERNED: dict[frozenset[str], frozenset[str]] = {}


_PHRASES: dict[Phrase, Phrase] = {}


def _intern(part: frozenset[str]) -> frozenset[str]:
    return _INTERNED.setdefault(part, part)


def _has_gap(word: str) -> bool:
    return any(m in word for m in GAP_MARKS)


def compile_phrases(raws: list[str], lexicon: dict[str, list[str]], file: str) -> tuple[Phrase, ...]:
    """The phrases of an anchor or ``any`` list. A word list that holds gapped entries
    (您于…报警) used on its own (``"@legal_own_report_receipt"``) stands for its plain words as
    one phrase plus each gapped entry as a phrase of its own; glued into a longer phrase it is
    an error (a part cannot hold a gap)."""
    out: list[Phrase] = []
    for raw in raws:
        m = _LEXREF.fullmatch(raw.strip())
        if m and m.group(1) in lexicon and any(_has_gap(w) for w in lexicon[m.group(1)]):
            words = lexicon[m.group(1)]
            if any(not _has_gap(w) and w.strip() for w in words):
                out.append(compile_phrase(raw, lexicon, file))
            out.extend(compile_phrase(w, lexicon, file) for w in words if _has_gap(w))
        else:
            out.append(compile_phrase(raw, lexicon, file))
    return tuple(out)


def compile_phrase(raw: str, lexicon: dict[str, list[str]], file: str) -> Phrase:
    text = raw
    for mark in ("……", "..."):
        text = text.replace(mark, "…")
    parts: list[frozenset[str]] = []
    for piece in text.split("…"):
        piece = piece.strip()
        if not piece:
            raise CompileError(file, f"phrase {raw!r} has an empty part around a gap")
        m = _LEXREF.search(piece)
        if m:
            # @name, or a literal glued to it (去找@people): every word of the list, with the
            # literal text before and after it.
            name = m.group(1)
            if name not in lexicon:
                raise CompileError(file, f"phrase {raw!r} uses unknown word list @{name}")
            head, tail = piece[: m.start()], piece[m.end():]
            if "@" in head or "@" in tail:
                raise CompileError(file, f"phrase {raw!r}: one word list per part (put a … between two)")
            gapped = [w for w in lexicon[name] if _has_gap(w)]
            if gapped and (head.strip() or tail.strip() or len(text.split("…")) > 1):
                raise CompileError(file, f"phrase {raw!r}: word list @{name} holds entries with a gap "
                                         f"({gapped[0]!r}); such a list can only be used alone as a phrase")
            # a word that normalises to nothing (an emoji such as 👮) is left out of a glued
            # phrase: 受@organs委托 must not become the bare 受委托
            bare = normalise_phrase(head + tail) if head.strip() or tail.strip() else None
            alts = tuple(sorted({a for w in lexicon[name] if w.strip() and not _has_gap(w)
                                 if (a := normalise_phrase(head + w + tail)) != bare}))
        else:
            alts = (normalise_phrase(piece),)
        alts = tuple(a for a in alts if a)
        if not alts:
            raise CompileError(file, f"phrase {raw!r} normalises to nothing")
        parts.append(_intern(frozenset(alts)))
    # equal phrases are one object too: word lists recur in many rules, and every copy would
    # be stored in and read back from the on-disk pack cache (start-up time)
    ph = Phrase(raw, tuple(parts))
    return _PHRASES.setdefault(ph, ph)


@dataclass(frozen=True)
class Condition:
    kind: str  # any | tokens | regex
    phrases: tuple[Phrase, ...] = ()
    regex: Any = None
    token_pattern: tuple[dict, ...] = ()
    within: int | None = None
    side: str = "either"
    scope: str = "sentence"
    label: str = ""
    # literal of a phrase's key part -> indexes of those phrases (see TextPattern.anchor_index)
    phrase_index: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, hash=False)

    def phrases_present(self, keys: set[str] | frozenset[str]) -> list[Phrase]:
        return _present_phrases(self.phrases, self.phrase_index, keys)


def _phrase_index(phrases: tuple[Phrase, ...]) -> dict[str, tuple[int, ...]]:
    index: dict[str, list[int]] = {}
    for j, ph in enumerate(phrases):
        for lit in key_part(ph):
            index.setdefault(lit, []).append(j)
    return {k: tuple(v) for k, v in index.items()}


def _present_phrases(phrases: tuple[Phrase, ...], index: dict[str, tuple[int, ...]],
                     keys: set[str] | frozenset[str]) -> list[Phrase]:
    """The phrases whose every part has a literal among ``keys``, in their order. An
    utterance holds a few literals, a list may have hundreds of phrases: look them up."""
    idx: set[int] = set()
    for lit in keys & index.keys():
        idx.update(index[lit])
    out = []
    for j in sorted(idx):
        ph = phrases[j]
        if not any(part.isdisjoint(keys) for part in ph.parts):
            out.append(ph)
    return out


@dataclass(frozen=True)
class TextPattern:
    anchors: tuple[Phrase, ...]
    require: tuple[Condition, ...]
    unless: tuple[Condition, ...]
    negation: bool
    reported_speech: bool
    # Literal sets that must each be hit for the pattern to fire at all: the anchors' key
    # parts and each required `any` condition's. A cheap test before any real matching.
    gates: tuple[frozenset[str], ...] = ()
    # literal of an anchor's key part -> indexes of those anchors: an utterance holds a few
    # literals, a pattern may have hundreds of anchors (word lists), so look them up.
    anchor_index: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, hash=False)

    def anchors_present(self, keys: set[str] | frozenset[str]) -> list[Phrase]:
        """The anchors whose every part has a literal among ``keys``, in rule order."""
        return _present_phrases(self.anchors, self.anchor_index, keys)


@dataclass(frozen=True)
class TextRule:
    rule: Any  # checker.pack.Rule
    patterns: tuple[TextPattern, ...]
    gap: int
    # literal of a pattern's first gate (its anchors' key parts) -> indexes of those
    # patterns, and the patterns without gates: a rule may have dozens of patterns, an
    # utterance wakes a few of them.
    gate_index: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, hash=False)
    ungated: tuple[int, ...] = ()

    def candidates(self, keys: set[str] | frozenset[str]) -> Iterable[int]:
        """Indexes, in order, of the patterns whose first gate ``keys`` hit (or that have
        none): the others cannot fire."""
        index = self.gate_index
        if not index:
            return range(len(self.patterns))
        found = set(self.ungated)
        for lit in keys & index.keys():
            found.update(index[lit])
        return sorted(found)

    def literals(self) -> set[str]:
        out: set[str] = set()
        for p in self.patterns:
            for ph in p.anchors:
                for part in ph.parts:
                    out.update(part)
            for c in (*p.require, *p.unless):
                for ph in c.phrases:
                    for part in ph.parts:
                        out.update(part)
        return out

    def anchor_literals(self) -> set[str]:
        """Literals whose presence makes the rule a candidate: for every anchor, its most
        specific part (longest shortest alternative), so 「我是…派出所」 is keyed on 派出所,
        not on 我是, and routine talk does not wake the rule."""
        out: set[str] = set()
        for p in self.patterns:
            # A pattern fires only if an anchor and every `any` condition it requires occur,
            # so any one of those literal sets can index it: take the most specific.
            options = [frozenset().union(*(key_part(ph) for ph in p.anchors))]
            options += [frozenset().union(*(key_part(ph) for ph in c.phrases)) for c in p.require
                        if c.kind == "any" and c.phrases]
            out |= max(options, key=_specificity)
        return out


UBIQUITOUS = frozenset("你 您 我 我们 你们 的 了 是 在 就 也 都 还 会 要".split())


def _specificity(lits: frozenset[str]) -> tuple:
    common = sum(10 if x in UBIQUITOUS else 1 for x in lits if x in COMMON_WORDS or len(x) == 1)
    return (-common, min((len(x) for x in lits), default=0), -len(lits))


# Words so frequent in ordinary collection talk that keying a rule on them would wake it
# for most utterances; the prefilter keys on another part of the phrase when it can.
COMMON_WORDS = frozenset("""我 你 他 她 我们 你们 他们 已经 马上 现在 今天 明天 知道 工作 配合 通知 联系 电话 沟通
处理 还款 逾期 账单
的账单 这边 这边是 我这边是 我们这边 这里是 提交 转到 下个 一天打 app 会 要 就 把 给 去 到 说 是 了 的 在 再 都 也 还
工作 上班 委托 不想 把你 向人 报送 发 打 找 借 钱 你 您 人 打电话 发给 告诉 通知你 信用卡 报警
工号 我叫 我姓 免贵姓 我的名字是 能不能 不能 可不可以 行不行 还上 先还 小贷 上门 老赖
如果 一天 每天 今天 这个 那个 就是 可以 时间""".split())


def key_part(ph: Phrase) -> frozenset[str]:
    return max(ph.parts, key=lambda part: (part.isdisjoint(COMMON_WORDS), min(len(x) for x in part), -len(part)))


class LazyRegex:
    """A rule's RE2 expression, pickled as its source and compiled again when first used: the
    on-disk pack cache holds hundreds of them, and compiling them all back cost a one-line scan
    a fifth of a second of start-up."""

    __slots__ = ("pattern", "_rx")

    def __init__(self, pattern: str, compiled: Any = None):
        self.pattern = pattern
        self._rx = compiled

    def _get(self) -> Any:
        rx = self._rx
        if rx is None:
            import re2

            rx = self._rx = re2.compile(self.pattern)
        return rx

    def search(self, text: str) -> Any:
        return self._get().search(text)

    def finditer(self, text: str) -> Any:
        return self._get().finditer(text)

    def __getstate__(self) -> str:
        return self.pattern

    def __setstate__(self, state: str) -> None:
        self.pattern, self._rx = state, None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyRegex) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"LazyRegex({self.pattern!r})"


# Equal ``any`` conditions are one object: the same exemption lists (complaint handling, banned
# wording, correct law …) recur in dozens of rules, and each copy — phrases and their index —
# would be stored in and read back from the on-disk pack cache.
_CONDITIONS: dict[tuple, Condition] = {}


def _compile_conditions(items: list[dict] | None, lexicon: dict, file: str, token_rules: list) -> tuple[Condition, ...]:
    out = []
    for cond in items or []:
        within = cond.get("within")
        scope = cond.get("scope", "sentence")
        side = cond.get("side", "either")
        if "any" in cond:
            phrases = compile_phrases(cond["any"], lexicon, file)
            key = ("any", phrases, within, side, scope)
            if key not in _CONDITIONS:
                label = "any[" + "|".join(p.source for p in phrases[:6]) + ("|…" if len(phrases) > 6 else "") + "]"
                _CONDITIONS[key] = Condition("any", phrases=phrases, within=within, side=side, scope=scope,
                                             label=label, phrase_index=_phrase_index(phrases))
            out.append(_CONDITIONS[key])
        elif "regex" in cond:
            try:
                import re2
            except ImportError as e:  # pragma: no cover - google-re2 is a declared dependency
                raise CompileError(file, "regex conditions need the google-re2 package") from e
            try:
                rx = LazyRegex(cond["regex"], re2.compile(cond["regex"]))
            except Exception as e:  # re2.error
                raise CompileError(file, f"regex {cond['regex']!r} is not valid RE2: {e}") from None
            out.append(Condition("regex", regex=rx, within=within, side=side, scope=scope,
                                 label=f"regex[{cond['regex']}]"))
        else:
            pattern = tuple(cond["tokens"])
            token_rules.append(pattern)
            out.append(Condition("tokens", token_pattern=pattern, within=within, side=side, scope=scope,
                                 label=f"tokens{list(pattern)!r}"))
    return tuple(out)


def compile_text_rule(rule: Any, lexicon: dict[str, list[str]]) -> TextRule:
    m = rule.match
    token_rules: list = []
    global_unless = _compile_conditions(m.get("unless"), lexicon, rule.file, token_rules)
    patterns = []
    for p in m["patterns"]:
        anchors = compile_phrases(p["anchor"], lexicon, rule.file)
        require = _compile_conditions(p.get("require"), lexicon, rule.file, token_rules)
        gates = [frozenset().union(*(key_part(ph) for ph in anchors))]
        gates += [frozenset().union(*(key_part(ph) for ph in c.phrases)) for c in require
                  if c.kind == "any" and c.phrases]
        patterns.append(TextPattern(
            anchor_index=_phrase_index(anchors),
            anchors=anchors,
            require=require,
            unless=_compile_conditions(p.get("unless"), lexicon, rule.file, token_rules) + global_unless,
            negation=p.get("negation", m.get("negation", True)),
            reported_speech=p.get("reported_speech", m.get("reported_speech", True)),
            gates=tuple(gates),
        ))
    if token_rules:
        # Validate token patterns now so a bad pattern is a load error, not a scan crash.
        from spacy.matcher import Matcher

        from checker.nlp import nlp

        matcher = Matcher(nlp().vocab)
        for i, pat in enumerate(token_rules):
            try:
                matcher.add(f"p{i}", [list(pat)])
            except Exception as e:  # spaCy raises ValueError / MatchPatternError
                raise CompileError(rule.file,
                                   f"tokens pattern {list(pat)!r} is not a valid spaCy pattern: {e}") from None
    gate_index: dict[str, list[int]] = {}
    for i, p in enumerate(patterns):
        for lit in p.gates[0] if p.gates else ():
            gate_index.setdefault(lit, []).append(i)
    return TextRule(rule, tuple(patterns), int(m.get("gap", DEFAULT_GAP)),
                    {k: tuple(v) for k, v in gate_index.items()},
                    tuple(i for i, p in enumerate(patterns) if not p.gates))


# --------------------------------------------------------------------------- context


@dataclass
class PackLexicon:
    """The pack-level lists the matcher uses for suppression (from pack.yaml)."""

    negators: frozenset[str]
    non_negators: tuple[str, ...]
    condition_verbs: frozenset[str]
    scope_breakers: frozenset[str]
    post_negators: tuple[str, ...]
    rhetorical: tuple[str, ...]
    reporting: tuple[str, ...]
    reporting_colon_verbs: tuple[str, ...]
    sentence_ends: str
    clause_ends: str
    soft_boundaries: tuple[str, ...]
    negation_window: int
    asr_fixes: tuple[tuple[str, str], ...] = ()

    def fix_asr(self, text: str) -> str:
        for wrong, right in self.asr_fixes:
            if wrong in text:
                text = text.replace(wrong, right)
        return text

    @classmethod
    def from_settings(cls, s: dict[str, Any]) -> PackLexicon:
        def norm_list(key: str) -> tuple[str, ...]:
            return tuple(normalise_phrase(str(x)) for x in s.get(key, []) if str(x).strip())

        return cls(
            negators=frozenset(norm_list("negators")),
            non_negators=norm_list("non_negators"),
            condition_verbs=frozenset(norm_list("condition_verbs")),
            scope_breakers=frozenset(norm_list("scope_breakers")),
            post_negators=norm_list("post_negators"),
            rhetorical=norm_list("rhetorical"),
            reporting=norm_list("reporting"),
            reporting_colon_verbs=norm_list("reporting_colon_verbs"),
            sentence_ends=normalise(str(s.get("sentence_ends", "。！？!?;\n")))[0] + "\n",
            clause_ends=normalise(str(s.get("clause_ends", "，,、：:")))[0],
            soft_boundaries=norm_list("soft_boundaries"),
            negation_window=int(s.get("negation_window", 10)),
            asr_fixes=tuple((normalise_phrase(str(k)), normalise_phrase(str(v)))
                            for k, v in (s.get("asr_fixes") or {}).items()
                            if len(normalise_phrase(str(k))) == len(normalise_phrase(str(v)))),
        )


@dataclass
class TextContext:
    """One utterance being matched: normalised text, literal hits, boundaries."""

    original: str
    norm: str
    offsets: list[int] | None
    hits: dict[str, list[int]]
    lex: PackLexicon
    _sentences: list[int] | None = None
    _clauses: list[int] | None = None
    _regex_cache: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    _token_cache: dict[tuple[int, int], Any] = field(default_factory=dict)
    _part_cache: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    _cond_cache: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    _reporting: tuple[str, ...] | None = None
    hit_keys: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.hit_keys = frozenset(self.hits)

    def reporting_frames(self) -> tuple[str, ...]:
        """The lexicon's reporting frames that occur anywhere in this utterance, in the
        lexicon's order. ``_reported`` tries its frames in that order for each anchor; one
        that does not occur in the text cannot be found in any part of it, so only these are
        tried (the pack has ~700 frames: trying each with ``rfind`` was 5 % of a scan of
        varied ASR text). Found once per utterance with one Aho-Corasick pass."""
        if self._reporting is None:
            self._reporting = _frames_in(self.lex.reporting, self.norm)
        return self._reporting

    # Boundaries are stored as sorted lists of "start of unit" offsets.
    def sentence_starts(self) -> list[int]:
        if self._sentences is None:
            ends = self.lex.sentence_ends
            self._sentences = [0] + [i + 1 for i, ch in enumerate(self.norm) if ch in ends]
        return self._sentences

    def clause_starts(self) -> list[int]:
        if self._clauses is None:
            ends = self.lex.sentence_ends + self.lex.clause_ends
            starts = {0}
            starts.update(i + 1 for i, ch in enumerate(self.norm) if ch in ends)
            for w in self.lex.soft_boundaries:
                i = self.norm.find(w)
                while i > 0:
                    starts.add(i)
                    i = self.norm.find(w, i + 1)
            self._clauses = sorted(starts)
        return self._clauses

    def sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_starts(), pos) - 1

    def clause_of(self, pos: int) -> int:
        return bisect.bisect_right(self.clause_starts(), pos) - 1

    def unit_bounds(self, pos: int, scope: str) -> tuple[int, int]:
        if scope == "utterance":
            return 0, len(self.norm)
        starts = self.sentence_starts() if scope == "sentence" else self.clause_starts()
        i = bisect.bisect_right(starts, pos) - 1
        end = starts[i + 1] if i + 1 < len(starts) else len(self.norm)
        return starts[i], end

    def same_unit(self, a: int, b: int, scope: str) -> bool:
        if scope == "utterance":
            return True
        if scope == "sentence":
            return self.sentence_of(a) == self.sentence_of(b)
        return self.clause_of(a) == self.clause_of(b)

    # ------------------------------------------------------------------ phrases
    def part_spans(self, part: frozenset[str]) -> list[tuple[int, int]]:
        """Sorted hits of any alternative of one phrase part (cached per utterance)."""
        key = id(part)
        spans = self._part_cache.get(key)
        if spans is None:
            hits = self.hits
            found = part & self.hit_keys
            spans = sorted((s, s + len(lit)) for lit in found for s in hits[lit]) if found else []
            self._part_cache[key] = spans
        return spans

    def occurrences(self, phrase: Phrase, gap: int) -> list[tuple[int, int]]:
        first = self.part_spans(phrase.parts[0])
        if len(phrase.parts) == 1 or not first:
            return first
        stops = self.lex.sentence_ends + self.lex.clause_ends
        rest = [self.part_spans(p) for p in phrase.parts[1:]]
        if not all(rest):
            return []
        out = []
        for s, e in first:
            cur = e
            ok = True
            for spans in rest:
                i = bisect.bisect_left(spans, (cur, -1))
                best = None
                while i < len(spans) and spans[i][0] <= cur + gap:
                    s2, e2 = spans[i]
                    if not any(ch in stops for ch in self.norm[cur:s2]):
                        best = (s2, e2)
                        break
                    i += 1
                if best is None:
                    ok = False
                    break
                cur = best[1]
            if ok:
                out.append((s, cur))
        return out

    def inner_literal_spans(self, phrase: Phrase, a_s: int, a_e: int) -> list[tuple[int, int]]:
        """The literal parts of a gapped anchor found inside [a_s, a_e)."""
        return [sp for part in phrase.parts for sp in self.part_spans(part) if a_s <= sp[0] and sp[1] <= a_e]

    def regex_spans(self, rx: Any) -> list[tuple[int, int]]:
        key = id(rx)
        if key not in self._regex_cache:
            self._regex_cache[key] = [(m.start(), m.end()) for m in rx.finditer(self.norm)]
        return self._regex_cache[key]

    def token_spans(self, pattern: tuple[dict, ...], lo: int, hi: int) -> list[tuple[int, int]]:

        from checker.nlp import doc as make_doc
        from checker.nlp import nlp

        key = (lo, hi)
        if key not in self._token_cache:
            self._token_cache[key] = make_doc(self.norm[lo:hi])
        d = self._token_cache[key]
        matcher = _matcher_for(pattern, nlp().vocab)
        return [(lo + d[s].idx, lo + d[e - 1].idx + len(d[e - 1].text)) for _m, s, e in matcher(d)]

    def tokens_in(self, lo: int, hi: int) -> list[tuple[int, str]]:
        from checker.nlp import tokens

        return [(lo + off, t) for off, t in tokens(self.norm[lo:hi])]


_MATCHERS: dict[tuple, Any] = {}


def _matcher_for(pattern: tuple[dict, ...], vocab: Any) -> Any:
    key = tuple(repr(p) for p in pattern)
    m = _MATCHERS.get(key)
    if m is None:
        from spacy.matcher import Matcher

        m = Matcher(vocab)
        m.add("p", [list(pattern)])
        _MATCHERS[key] = m
    return m


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class TextHit:
    span: tuple[int, int]  # normalised offsets of the evidence
    clauses: tuple[str, ...]
    suppressed: tuple[str, ...]


def _condition_hits(ctx: TextContext, cond: Condition, anchor: tuple[int, int], gap: int) -> list[tuple[int, int]]:
    a_s, a_e = anchor
    if cond.kind == "any":
        spans = ctx._cond_cache.get(id(cond))
        if spans is None:
            spans = ctx._cond_cache[id(cond)] = [sp for ph in cond.phrases_present(ctx.hit_keys)
                                                 for sp in ctx.occurrences(ph, gap)]
    elif cond.kind == "regex":
        spans = ctx.regex_spans(cond.regex)
    else:
        lo, hi = ctx.unit_bounds(a_s, "utterance" if cond.scope == "utterance" else "sentence")
        spans = ctx.token_spans(cond.token_pattern, lo, hi)
    out = []
    stops = ctx.lex.sentence_ends + ctx.lex.clause_ends + " "
    for s, e in spans:
        if cond.kind == "regex":
            # A match may begin on the delimiter before its word (「，cnm，」): judge it by
            # its first real character.
            while s < e - 1 and ctx.norm[s] in stops:
                s += 1
        if cond.side == "before" and s >= a_s:
            continue
        if cond.side == "after" and e <= a_e and s < a_e:
            continue
        if cond.within is not None:
            dist = a_s - e if e <= a_s else (s - a_e if s >= a_e else 0)
            if dist > cond.within:
                continue
            if not ctx.same_unit(s, a_s, "sentence"):
                continue
        elif not ctx.same_unit(s, a_s, cond.scope):
            continue
        out.append((s, e))
    return out


def _negated(ctx: TextContext, a_s: int, a_e: int, phrase: Phrase | None = None) -> str | None:
    """Why the anchor at [a_s, a_e) is negated, or None."""
    lex = ctx.lex
    if phrase is not None and len(phrase.parts) > 1:
        # 「你家人那边我们不会联系」: a negation inside the gap of a gapped anchor.
        inner = ctx.inner_literal_spans(phrase, a_s, a_e)
        gap_text = "".join(ch if not any(s <= i < e for s, e in inner) else " "
                           for i, ch in enumerate(ctx.norm[a_s:a_e], a_s))
        if any(n in gap_text for n in lex.negators):
            for pos, tok in ctx.tokens_in(a_s, a_e):
                if tok in lex.negators and not any(s <= pos < e for s, e in inner):
                    after = ctx.norm[pos + len(tok):]
                    if any(ctx.norm[pos:].startswith(nn) for nn in lex.non_negators):
                        continue
                    if tok[0] in "不没" and pos > 0 and ctx.norm[pos - 1:pos] == after[:1]:
                        continue  # A-not-A question: 能不能
                    if "吗" in ctx.norm[a_e:ctx.unit_bounds(a_s, "clause")[1]]:
                        continue
                    if any(after.startswith(cv) for cv in lex.condition_verbs if len(cv) > 1 or tok in ("不", "没")):
                        continue
                    return f"negation「{tok}」inside the anchor"
    c_lo, c_hi = ctx.unit_bounds(a_s, "clause")
    # Post-negation in the rest of the clause: 「上门是不可能的」.
    tail = ctx.norm[a_e:min(c_hi, a_e + 14)]
    for pn in lex.post_negators:
        if pn in tail:
            return f"post-negation「{pn}」"
    # An echoed question answered with a denial: 「上门？我们没这个打算」. The question may run on
    # after the anchor (「冻结你的工资卡？没有这回事」): then only a denial of the whole claim answers it.
    rest = ctx.norm[a_e:a_e + 4]
    far = ctx.norm[a_e:a_e + 12]
    q = rest.index("?") if "?" in rest else -1
    denials: tuple[str, ...] = ("我们没", "没这", "没有", "不会", "不可能", "哪有", "怎么可能", "没那", "谁说")
    if q < 0 and "?" in far and not any(ch in lex.sentence_ends + lex.clause_ends for ch in far[:far.index("?")]):
        q = far.index("?")
        denials = ("没有这回事", "没这回事", "没有那回事", "没那回事", "不存在", "不可能", "怎么可能", "哪有这", "谁说")
    if q >= 0:
        answer = ctx.norm[a_e + q + 1:a_e + q + 12]
        for d in denials:
            if d in answer[:6]:
                return f"answered with a denial「{d}」"
    w_lo = max(c_lo, a_s - lex.negation_window)
    window = ctx.norm[w_lo:a_s]
    if not any(n in window for n in lex.negators):
        return None
    toks = ctx.tokens_in(c_lo, a_e)
    head = ctx.norm[c_lo:a_s]
    for i, (pos, tok) in enumerate(toks):
        if pos < w_lo or pos >= a_s or tok not in lex.negators:
            continue
        rest = ctx.norm[pos:]
        if any(rest.startswith(nn) for nn in lex.non_negators):
            continue
        nxt = toks[i + 1][1] if i + 1 < len(toks) else ""
        after = ctx.norm[pos + len(tok):]
        # 不还 / 没还 / 不接: the debtor's condition. jieba may glue the verb to what follows
        # (不 / 还是), so bare 不 / 没 also test the next characters.
        if nxt in lex.condition_verbs or any(
                after.startswith(cv) for cv in lex.condition_verbs if len(cv) > 1 or tok in ("不", "没")):
            continue
        before = head[: pos - c_lo]
        if any(r in before for r in lex.rhetorical):
            continue
        # 「起床了没」「还了没有」: a question tail, not a negation of what follows.
        if tok in ("没", "没有") and pos > 0 and ctx.norm[pos - 1] == "了":
            continue
        # A-not-A questions (能不能, 会不会, 有没有, 可不可以) ask, they do not deny.
        if tok[0] in "不没唔冇" and pos > 0 and pos + 1 < len(ctx.norm) and ctx.norm[pos - 1] == ctx.norm[pos + 1]:
            continue
        # 你要不去… / 要不先…: 要不 proposes ("how about"), it does not deny.
        if tok == "不" and ctx.norm[pos - 1:pos] == "要" and not after.startswith(("想", "要", "是", "会", "能", "然")):
            continue
        # 管不了 / 跑不了 / 躲不了: a potential complement on the verb before it, not a negation
        # of what follows.
        prev = ctx.norm[pos - 1] if pos > c_lo else ""
        if (tok == "不" and after.startswith("了") and not after.startswith("了解")
                and "\u4e00" <= prev <= "\u9fff" and prev not in _NOT_COMPLEMENT_HEADS):
            continue
        # A negative question (你就不能借一下吗 / 不是有退休金吗) presses, it does not deny;
        # so does 「你也不想…吧」.
        if "吗" in ctx.norm[a_e:c_hi] or ctx.norm[a_e:c_hi].rstrip().endswith(("吧?", "呢?")):
            continue
        # Cantonese asks and presses with 咩 / 嘛 at the end (你唔想佢喺学校畀人指指点点嘛 = 你也不想…吧).
        if tok[0] == "唔" and ctx.norm[a_e:c_hi + 1].rstrip("?!。！？ ").endswith(("嘛", "咩", "吖嘛", "啩")):
            continue
        if ctx.norm[pos - 1:pos] == "也" and "吧" in ctx.norm[a_e:c_hi + 1]:
            continue
        between = [t for p, t in toks[i + 1:] if p < a_s]
        # 不会再 / 不再 / 别再 / 没再: "not again" is one negation, not a consequence marker.
        if between and between[0] == "再" and toks[i + 1][0] == pos + len(tok):
            between = between[1:]
        # jieba glues 就 to the verb after it (没进展就要打去你家 → 就要): such a token breaks the scope as 就 does.
        breakers = [t for t in between if t in lex.scope_breakers
                    or (len(t) > 1 and t[0] == "就" and t not in _JIU_WORDS)]
        # A modal denial covers its 就 clause (我们不会一逾期就上门 / 不会今天就要去您单位): 就 breaks the scope of
        # a negated condition (没进展就要打去你家) only.
        if breakers and tok in _MODAL_NEGATORS and all(b[0] == "就" for b in breakers):
            breakers = []
        # 不会因为你逾期几天就上门: 就 closes the 因为 clause, not the negation.
        if breakers and "因为" in "".join(between) and set(breakers) <= {"就", "才"}:
            breakers = []
        if breakers:
            continue
        return f"negation「{tok}」"
    return None


# Words that begin with 就 but are not the adverb 就 ("then"): 就是 (is just), 就业 (employment), 就医 …
_JIU_WORDS = frozenset({"就是", "就业", "就医", "就诊", "就读", "就近", "就职", "就地", "就餐", "就算",
                        "就位", "就绪", "就寝", "就任", "就学", "就座", "就坐", "就范", "就此"})
# (不再 is left out: 我们不再等了就直接上门 — "no more waiting, then" — is a threat.)
_MODAL_NEGATORS = frozenset({"不会", "唔会", "勿会", "绝不", "决不", "绝对不会", "不可能", "并不"})
# A ban on staff followed closely by the customer named in the third person (不许劝客户 / 严禁对借款人 /
# 不得私自联系客户): collectors speak to the debtor as 你 / 您, rules for staff speak of 客户. Not 当事人: a
# court's bans name the parties so (法院会禁止当事人出境), and a collector may claim one.
_STAFF_BAN = re.compile(r"(?:不许|不准|不得|严禁|禁止|不可以|切勿|杜绝|一律不许|一律不准|绝对不许|绝不允许|不允许)"
                        r"[^，。！？,!?;；:：]{0,4}?(?:客户|债务人|借款人|欠款人|用户|持卡人)")
_REPORT_BREAKERS = ("那", "那么", "那就", "所以", "因此")
# A list of practices opened by a ban or a denial and a colon (公司规定催收人员不得：一、冒充公检法；
# 二、威胁恐吓；…；四、在朋友圈、业主群曝光 / 以下行为一律禁止：… / 我们承诺不会：1.上门 2.联系家人), or a
# ban running over a 、 list (严禁冒充公检法、威胁恐吓、向第三人透露债务、在朋友圈曝光): every item is named
# to forbid or deny it. The colon list runs over ；and numbered lines up to the sentence's 。！？; the 、 list
# stays in its clause. The ban must end at the colon or open the 、 list itself: 你不得再躲了：明天就去你单位
# opens no list (再躲了 stands between), nor does 不还、不接，我们就上门.
_BAN_WORDS = ("不得|禁止|严禁|不准|不许|不能|不可以|不可|切勿|杜绝|不允许|不会|绝不会|绝不|决不|从不"
              "|一律不得|均不得|都不得|严格禁止|明令禁止|一律禁止")
_BAN_VERDICTS = "属于违规|属于违法|均属违规|是违规的|是违法的"
_COUNT = "(?:几|[一二三四五六七八九十0-9]+)?(?:种|类|项|条|个)?"
_LIST_KINDS = "(?:行为|做法|情形|事项|手段|方式|事情|情况|话术|内容)"
# (a denial that is itself a threat opens no list: 我们不会放过你、你老婆和你孩子 / 绝不会手软、…)
_NOT_A_BAN = "(?!\\S{0,3}(?:放过|手软|罢休|善罢甘休|客气|饶|算了|好过|心软|留情|退让|让步))"
_BAN_COLON = re.compile(
    "(?:" + _BAN_WORDS + ")" + _NOT_A_BAN + "(?:有|出现|采取|实施|进行|做|从事|使用)?"
    "(?:(?:以下|下列|如下|这些|这几|任何)" + _COUNT + _LIST_KINDS + "?)?:"
    "|(?:以下|下列|如下)" + _COUNT + _LIST_KINDS
    + "[^,。!?;:]{0,4}?(?:" + _BAN_VERDICTS + "|" + _BAN_WORDS + ")的?:")
_BAN_COMMA = re.compile("(?:不得|禁止|严禁|不准|不许|切勿|杜绝|不允许|一律不得|严格禁止|明令禁止"
                        "|不会|绝不会|绝不|决不|从不)" + _NOT_A_BAN + "[^,。!?;:\n、]{1,16}、")
# Words that end a ban's list: a contrast or the debtor's condition turns to the speaker's own plan
# (…；但是你这种情况，明天就上门).
_BAN_LIST_BREAKERS = ("但是", "可是", "不过", "然而", "否则", "不然", "所以", "因此", "那就", "那么", "再不还",
                      "你不还", "您不还", "如果你", "如果您", "要是你", "要是您", "你要是", "您要是")
_BAN_LIST_MARKER = re.compile("\\s*(?:[0-9]{1,2}[.、)]|[一二三四五六七八九十]{1,2}[、.)]"
                              "|[(][0-9一二三四五六七八九十]{1,2}[)]|[①-⑳⑴-⒇]|[-•·*])")
_BAN_LIST_SPAN = 240


def _ban_list(ctx: TextContext, a_s: int) -> str | None:
    """The ban or denial whose list holds the anchor at ``a_s`` (see ``_BAN_COLON``), or None."""
    text = ctx.norm
    lo = a_s
    # back to the sentence's start; a ；or a numbered line does not end a list
    while lo > 0 and a_s - lo < _BAN_LIST_SPAN and text[lo - 1] not in "。!?":
        lo -= 1
    heads = list(_BAN_COLON.finditer(text, lo, a_s))
    if heads:
        m = heads[-1]
        items = text[m.end():a_s]
        if not any(b in items for b in _BAN_LIST_BREAKERS):
            lines = items.split("\n")
            # each line after the first opens a numbered item (a bare line break ends the list)
            if all(_BAN_LIST_MARKER.match(ln) for ln in lines[1:]):
                last = re.split(r"[;\n]", items)[-1]
                if len(last) <= 32:
                    return f"prohibited list「{m.group(0)}」"
    c_lo, _ = ctx.unit_bounds(a_s, "clause")
    head = text[c_lo:a_s]
    bans = list(_BAN_COMMA.finditer(head))
    if bans:
        m = bans[0]
        items = head[m.start():]
        if "、" in items and len(items.rsplit("、", 1)[-1]) <= 16 and "就" not in items \
                and not any(b in items for b in _BAN_LIST_BREAKERS):
            return f"prohibited list「{m.group(0)}」"
    return None


# Characters before 不了 that make it a plain negation (我们不了…, 也不了…), not a potential complement.
_NOT_COMPLEMENT_HEADS = "们我你他她您也都就还会要可并绝决从"
_QUOTES = {"“": "”", "「": "」", "『": "』", "\"": "\"", "‘": "’", "'": "'"}
# Words that condemn a quotation just closed (an apology or complaint reply quoting a threat).
_CONDEMN_WINDOW = 16
# What names a quotation as a saying, right after it closes (“…”的说法 / “…”这种话).
_SAYING_NAMES = ("之类的说法", "的说法", "等说法", "这种说法", "这类说法", "的话术", "等话术", "这种话术", "之类的话",
                 "这种话", "这样的话", "这句话", "的表述", "等表述", "的言论", "等言论",
                 # the wording itself named (我们之前短信里“将上门催收”的措辞不当 / “…”这个用词欠妥)
                 "的措辞", "等措辞", "这种措辞", "这个措辞", "这样的措辞", "的用词", "这个用词", "的提法", "这个提法",
                 "的字眼", "这类字眼", "这种字眼")
_CONDEMNATIONS = ("违规", "违法", "不当言论", "不当言辞", "不当用语", "不当表述", "不文明用语", "不规范用语",
                  "是错误的", "是不对的", "是不允许的", "是禁止的", "是严禁的", "已被处理", "已处理", "严肃处理",
                  "停职", "停岗", "下岗处理", "处分", "通报批评", "追责", "问责",
                  "辞退", "开除", "解除合同", "解除劳动合同", "道歉", "致歉", "情况属实", "投诉属实",
                  "错误的说法", "错误说法", "不实说法", "不实", "是谣言", "系谣言", "属于虚假", "虚假法律后果",
                  "属于威胁", "属于恐吓",
                  "扣除绩效", "扣绩效", "扣分", "复训", "不许说", "不能说", "不得说", "不准说", "禁止说",
                  "不许出现", "禁止使用", "不得使用", "禁用语", "违反规定", "违反公司规定",
                  # the wording owned as wrong and put right (“将上门催收”的措辞不当，已经整改): said of
                  # words, not of the debtor (bare 不当 is left out: “明天上门”，你别不当回事 is the threat)
                  "措辞不当", "用词不当", "用语不当", "表述不当", "言辞不当", "说法不当", "措辞欠妥", "用词欠妥",
                  "表述欠妥", "措辞不妥", "用词不妥", "表述不妥", "说法不妥", "措辞有误", "表述有误", "已整改",
                  "已经整改", "已作整改", "已纠正", "已经纠正", "已更正", "已经更正")

# Condemnations that are also what a collector threatens the debtor's job with (让你停职 / 把你开除).
_JOB_LOSS = frozenset({"停职", "停岗", "下岗处理", "处分", "通报批评", "辞退", "开除", "解除合同", "解除劳动合同"})
# A QA verdict on staff anywhere in the rest of the sentence after a quotation: a penalty (扣20分 / 扣绩效 /
# 复训 / 停岗) or a ruling that names the quoted words a breach (判定为上门施压话术 / 定性为严重违规). Narrower
# than _CONDEMNATIONS (no bare 违法 / 不实 / 道歉), which hold only for the clause right after the quotation.
# Not 停岗 / 停职 / 记过 here: said of the debtor's own job (到时候你领导让你停职) they are a threat, so they
# condemn only in the clause right after the quotation.
_QA_VERDICT = re.compile(r"扣[0-9一二三四五六七八九十两]{1,3}分|扣除?绩效|复训|通报批评|"
                         r"(?:判定|定性|认定|判为|定为)(?:为)?[^，。！？,!?;；]{0,8}?(?:违规|话术|不当|威胁|恐吓|施压|辱骂|红线)")

# Quotations with distinct opening and closing marks, and what may stand between two members of a list of them.
_PAIRED = {o: c for o, c in _QUOTES.items() if o != c}
_CLOSING = {c: o for o, c in _PAIRED.items()}
_LIST_SEPS = "、,，/ 和或及与"
# List markers that may stand before a member (①“…” ②“…” / A.“…” B.“…” / (1)“…”), at most _MARKER_MAX of them.
_MARKERS = frozenset("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽ABCDEFabcdef0123456789.．)）(（、 ")
_MARKER_MAX = 4


def _quote_list(text: str, open_pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The first member's opening mark and the last member's closing mark (-1 if unclosed) of the
    list of quotations ``text[open_pos]`` opens (「“明天去你单位”“通知你全家”、“发你朋友圈”」), within
    ``lo:hi``. Straight quotes, whose opening and closing marks look alike, are a list of one."""
    first = open_pos
    while True:
        j = first - 1
        while j >= lo and text[j] in _LIST_SEPS:
            j -= 1
        k = 0
        while j >= lo and k < _MARKER_MAX and text[j] in _MARKERS:
            j, k = j - 1, k + 1
        while j >= lo and text[j] in _LIST_SEPS:
            j -= 1
        if j < lo or text[j] not in _CLOSING:
            break
        k = text.rfind(_CLOSING[text[j]], lo, j)
        if k < 0:
            break
        first = k
    last, q = -1, open_pos
    while text[q] in _PAIRED:
        c = text.find(_PAIRED[text[q]], q + 1, hi)
        if c < 0:
            break
        last, j = c, c + 1
        while j < hi and text[j] in _LIST_SEPS:
            j += 1
        k = 0
        while j < hi and k < _MARKER_MAX and text[j] in _MARKERS:
            j, k = j + 1, k + 1
        if j >= hi or text[j] not in _PAIRED:
            break
        q = j
    return first, last


_FRAME_AUTOMATA: dict[int, tuple[tuple[str, ...], Any, dict[str, int]]] = {}


def _frames_in(frames: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The ``frames`` that occur in ``text``, in the order of ``frames`` (an automaton per
    frame list, kept for the process; the lexicon's tuple lives as long as the pack)."""
    known = _FRAME_AUTOMATA.get(id(frames))
    if known is None or known[0] is not frames:
        import ahocorasick_rs

        known = (frames, ahocorasick_rs.AhoCorasick(list(dict.fromkeys(frames))) if frames else None,
                 {f: i for i, f in reversed(list(enumerate(frames)))})
        _FRAME_AUTOMATA[id(frames)] = known
    if known[1] is None:
        return ()
    found = set(known[1].find_matches_as_strings(text, overlapping=True))
    if not found:
        return ()
    order = known[2]
    return tuple(sorted(found, key=order.__getitem__))


def _reported(ctx: TextContext, a_s: int) -> str | None:
    lex = ctx.lex
    c_lo, c_hi = ctx.unit_bounds(a_s, "clause")
    head = ctx.norm[c_lo:a_s]
    # A frame may run into the anchor when the anchor begins with one of its words: 你们公司的人说要
    # 去我单位闹 against the anchor 你们公司…闹. Such a frame begins before the anchor or, when it
    # names who spoke (four characters or more), with it — not 你说 opening 你说你… (rhetoric).
    ext = ctx.norm[c_lo:c_hi]
    for r in ctx.reporting_frames():
        i = ext.rfind(r, 0, len(head) + len(r) - (0 if len(r) >= 4 else 1))
        # 我跟你说 / 和你说 / 给你说 is the speaker's own emphasis, not a report.
        if i > 0 and r.startswith("你") and head[i - 1] in "跟和给对同":
            continue
        # 您跟他说清楚 / 帮忙跟她说一声: an instruction to tell someone, not a report.
        if i > 0 and r[0] in "他她" and head[i - 1] in "跟和给对同":
            continue
        # 威胁我 inside 威胁我们: the collectors' own threat, not a report of one.
        if i >= 0 and r.endswith("我") and ext[i + len(r):i + len(r) + 1] == "们":
            continue
        if i >= 0 and not any(b in head[i + len(r):] for b in _REPORT_BREAKERS):
            return f"reported speech「{r}」"
    # A staff rule that names the customer in the third person (不许劝客户去别的平台借钱 / 严禁对借款人说…):
    # what follows is the forbidden act, not the speaker's own.
    bans = list(_STAFF_BAN.finditer(head))
    m = bans[-1] if bans else None
    if m is not None and not any(b in head[m.end():] for b in _REPORT_BREAKERS):
        return f"staff rule「{m.group(0)}」"
    ban = _ban_list(ctx, a_s)
    if ban is not None:
        return ban
    # A quotation opened after a reporting verb or colon: 他说：“明天上门”.
    s_lo, _ = ctx.unit_bounds(a_s, "sentence")
    text = ctx.norm
    open_pos = None
    for i in range(a_s - 1, s_lo - 1, -1):
        ch = text[i]
        if ch in _QUOTES.values() and ch not in _QUOTES:
            break
        if ch in _QUOTES:
            open_pos = i
            break
    if open_pos is not None:
        s_hi = ctx.unit_bounds(a_s, "sentence")[1]
        # A list of quotations stands or falls with its first and last members: 不许说：“明天去你单位”“通知你全家”
        # reports both, 有“不还钱就去你老家”“叫村支书评评理”的说法，已停岗 condemns both.
        first, last_close = _quote_list(text, open_pos, s_lo, s_hi)
        # A list marker right before the first member (：①“…”) stands between it and the frame.
        end, k = first, 0
        while end > s_lo and k < _MARKER_MAX and text[end - 1] in _MARKERS and text[end - 1] != " ":
            end, k = end - 1, k + 1
        lead = text[max(s_lo, end - 4):end]
        if lead.endswith(":") or any(lead.endswith(v) for v in lex.reporting_colon_verbs):
            return "reported speech (quotation)"
        # A quotation condemned right after it closes: 同事说了“再不还就去你单位”，这个说法是违规的 /
        # 确有“你女儿学校我们也知道在哪”的不当言论.
        close = text.find(_QUOTES[text[open_pos]], a_s, s_hi)
        if close >= 0:
            close = max(close, last_close)
            # Only the clause right after the quotation: 「“…”，这个说法是违规的」 / 「“…”的不当言论」, not
            # 「“…”，我们说到做到，不允许你再拖」.
            after = text[close + 1:close + 1 + _CONDEMN_WINDOW]
            stops = lex.sentence_ends + lex.clause_ends
            after = after[1:] if after[:1] in stops else after
            # A quotation named as a saying (“…”的说法，涉及人员已停岗 / “…”这种话，一律不许说) is judged by the
            # clause after the naming.
            named = next((w for w in _SAYING_NAMES if after.startswith(w)), None)
            if named is not None:
                rest = text[close + 1 + len(named):close + 2 + len(named) + _CONDEMN_WINDOW]
                if rest[:1] in stops:
                    after = named + rest[1:]
            after = next((after[:k] for k, ch in enumerate(after) if ch in stops), after)
            for w in _CONDEMNATIONS:
                j = after.find(w)
                if j >= 0 and not (j > 0 and after[j - 1] in "不没非无" and not w.startswith("不")):
                    # the debtor's own job threatened (“明天就去你单位”，到时候你领导让你停职): no verdict on staff
                    if w in _JOB_LOSS and ("你" in after[:j] or "您" in after[:j]):
                        continue
                    return f"quotation condemned「{w}」"
            # A QA verdict later in the same sentence (“…”，客户并未同意，判定为上门施压话术，本通扣20分) —
            # words of a verdict on staff, not of a collector's own threat.
            m = _QA_VERDICT.search(text, close + 1, s_hi)
            if m is not None:
                return f"quotation condemned「{m.group(0)}」"
    return None


def _in_quotation(ctx: TextContext, pos: int) -> bool:
    """Whether ``pos`` lies after a quotation mark opened, and not closed, in its sentence."""
    s_lo, _ = ctx.unit_bounds(pos, "sentence")
    text = ctx.norm
    for i in range(pos - 1, s_lo - 1, -1):
        ch = text[i]
        if ch in _PAIRED:
            return True
        if ch in _CLOSING:
            return False
    # straight quotes look alike on both sides: inside when an odd number of them stands before
    return any(text.count(q, s_lo, pos) % 2 for q in _QUOTES if q not in _PAIRED)


def _required_words_quoted(ctx: TextContext, a_s: int, spans: list[tuple[int, int]]) -> str | None:
    """A pattern whose anchor stands outside any quotation (外访员…讲了 / 父母…来电) while every word it
    requires lies inside a quotation that is reported or condemned (讲了“明天带几个人去你老家看看”，经核实
    判为恐吓): the violation is the quoted words, so it is mentioned, not said."""
    if _in_quotation(ctx, a_s):
        return None
    first = None
    for s, _ in spans:
        if not _in_quotation(ctx, s):
            return None
        r = _reported(ctx, s)
        if r is None or not (r.startswith("reported speech (quotation)") or r.startswith("quotation condemned")):
            return None
        first = first or r
    return f"{first} (the words it requires)" if first else None


def match_text(trule: TextRule, ctx: TextContext) -> TextHit | None:
    """Evaluate one rule on one utterance; the first firing anchor wins."""
    suppressed: list[str] = []
    keys = ctx.hit_keys
    patterns = trule.patterns
    for i in trule.candidates(keys):
        pattern = patterns[i]
        if any(g.isdisjoint(keys) for g in pattern.gates):
            continue
        anchors = []
        for ph in pattern.anchors_present(keys):
            anchors.extend((sp, ph.source, ph) for sp in ctx.occurrences(ph, trule.gap))
        anchors.sort(key=lambda a: a[0])
        for (a_s, a_e), source, phrase in anchors:
            clauses = [f"anchor「{source}」"]
            spans = [(a_s, a_e)]
            ok = True
            for cond in pattern.require:
                hs = _condition_hits(ctx, cond, (a_s, a_e), trule.gap)
                if not hs:
                    ok = False
                    break
                best = min(hs, key=lambda h: abs(h[0] - a_s))
                spans.append(best)
                clauses.append(f"require {cond.label}: 「{ctx.norm[best[0]:best[1]]}」")
            if not ok:
                continue
            quote = ctx.norm[a_s:a_e]
            reason = None
            if pattern.negation:
                reason = _negated(ctx, a_s, a_e, phrase)
            if reason is None and pattern.reported_speech:
                reason = _reported(ctx, a_s)
                if reason is None and len(spans) > 1:
                    reason = _required_words_quoted(ctx, a_s, spans[1:])
            if reason is None:
                for cond in pattern.unless:
                    hs = _condition_hits(ctx, cond, (a_s, a_e), trule.gap)
                    if hs:
                        reason = f"unless {cond.label}: 「{ctx.norm[hs[0][0]:hs[0][1]]}」"
                        break
            if reason is not None:
                suppressed.append(f"「{quote}」 suppressed by {reason}")
                continue
            lo = min(s for s, _ in spans)
            hi = max(e for _, e in spans)
            return TextHit(evidence_span(ctx, lo, hi), tuple(clauses), tuple(suppressed))
    if suppressed:
        return TextHit((-1, -1), (), tuple(suppressed))
    return None


def evidence_span(ctx: TextContext, lo: int, hi: int, limit: int = 40) -> tuple[int, int]:
    """The clause(s) holding the hits, trimmed; a window around them when too long."""
    c_lo, _ = ctx.unit_bounds(lo, "clause")
    _, c_hi = ctx.unit_bounds(max(lo, hi - 1), "clause")
    if c_hi - c_lo > limit:
        s_lo, s_hi = ctx.unit_bounds(lo, "sentence")
        c_lo = max(s_lo, lo - 12)
        c_hi = min(max(s_hi, hi), hi + 12)
    while c_lo < c_hi and ctx.norm[c_lo] in TRIM:
        c_lo += 1
    while c_hi > c_lo and ctx.norm[c_hi - 1] in TRIM:
        c_hi -= 1
    if c_hi <= c_lo:
        return lo, hi
    return c_lo, c_hi


def original_span(ctx: TextContext, span: tuple[int, int]) -> tuple[int, int]:
    return to_original(ctx.offsets, span[0], span[1])

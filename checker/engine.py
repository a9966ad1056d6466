"""The rule engine: rules compiled once per process, applied to a stream of events.

Per-record rules (text, contact hours) run on each event as it comes; aggregate rules
(contact frequency) run on the collected call events at the end of a batch. Every
stage is a pure function of its input plus the compiled pack, so the same engine
serves the CLI, the web page, a process pool and a Spark job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from checker.matchers import frequency, hours, third_party_log
from checker.matchers.text import (
    CompileError,
    PackLexicon,
    TextContext,
    TextRule,
    compile_text_rule,
    match_text,
    original_span,
)
from checker.model import CallEvent, Event, Explanation, Finding
from checker.nlp.normalize import COMBINING as _COMBINING
from checker.nlp.normalize import DOTTED, normalise
from checker.roles import NUMBERED_LABEL, SPACE_LABEL, turn_roles
from checker.schema import SchemaError

# A text rule's match suppressed because its words are condemned after they are quoted (“…”，判定为施压话术),
# forbidden by a staff rule (不许劝客户…) or listed under a ban (催收人员不得：一、…；四、在朋友圈曝光): the model rules
# leave that category of the text to the text rules.
# Not a quotation merely reported (主管原话是“再不还就让外访去他老家”): a collector passing on a colleague's threat
# is making it, and the model backs the text rules up there. Measured when added: no finding changed on dev,
# fresh or the holdouts; a QA note's condemned quotation no longer flagged by the model.
_MENTION = re.compile(r"suppressed by (?:quotation condemned|staff rule|prohibited list)")

# The model rules judge no text with fewer letters, digits and ideographs than this: a lone 「？」,
# 「嗯？」 or 「知道了」 had reached 0.71–0.84 for insult or third-party contact (n-grams that the training
# sets' violations happen to share). A violation this short is a word the text rules know (sb, 滚).
MODEL_MIN_CHARS = 4

# the per-text memo of CompiledPack._scan_turn: texts up to this many characters, this many texts
_MEMO_TEXT = 300
_MEMO_SIZE = 50_000


@lru_cache(maxsize=16)
def zone(name: str) -> tzinfo:
    return ZoneInfo(name)


class CompiledPack:
    """A pack ready to scan: one Aho-Corasick automaton over every literal of every text
    rule, the per-record and aggregate rules split apart, citations resolvable."""

    def __init__(self, pack: Any):
        from checker.pack import PackError

        self.pack = pack
        self._citations: dict[tuple, tuple] = {}
        self._quick: tuple | None = None  # checker.fastpath.pack_fold
        self.lex = PackLexicon.from_settings(pack.settings)
        # QA, training and compliance framing (考核题 / 禁用话术 / 质检备注 / 各位坐席): a text holding one names
        # forbidden words to forbid them, so no text rule judges it (the model rules skip it through their
        # unless_any). Measured when made pack-wide (it was used by some rules only): on dev, fresh and the
        # holdouts only three false findings went, on a quiz whose options sat in a sentence of their own.
        self.meta_frames = tuple(dict.fromkeys(
            normalise(w)[0] for w in pack.lexicon.get("meta_banned_frames", ()) if "…" not in w))
        self.text_rules: list[TextRule] = []
        self.hour_rules = [r for r in pack.rules if r.kind == "contact_hours"]
        self.freq_rules = [r for r in pack.rules if r.kind == "contact_frequency"]
        self.relative_rules = [r for r in pack.rules if r.kind == "third_party_log"]
        self.model_rules = [r for r in pack.rules if r.kind == "model"]
        self._model_ids = frozenset(r.id for r in self.model_rules)
        self._relative_ids = frozenset(r.id for r in self.relative_rules)
        errors = []
        for r in pack.rules:
            if r.kind == "text":
                try:
                    self.text_rules.append(compile_text_rule(r, pack.lexicon))
                except CompileError as e:
                    errors.append(SchemaError(e.file, 1, e.message))
        self.models: dict[str, Any] = {}  # file name → checker.matchers.model.TextModel
        # model name → {model form: log-odds} of the batch fast path's current chunk
        self.model_cache: dict[str, dict[str, Any]] = {}
        # (rule, its model's file, the label's column, the logit of its threshold)
        self.model_plan: list[tuple[Any, str, int, float]] = []
        # category → (model rule, model file, column, logits of ``withhold_below`` and ``threshold``):
        # a text rule's finding whose text the model scores below the floor is withheld as
        # doubtful (``_withheld``)
        self.doubt_plan: dict[str, tuple[Any, str, int, float, float]] = {}
        # rule id → its ``unless_any`` phrases (word lists expanded), put in the model's form when first used
        self._unless_words: dict[str, tuple[str, ...]] = {}
        self._unless_forms: dict[str, tuple[str, ...]] = {}
        for r in self.model_rules:
            name = r.match["model"]
            try:
                if name not in self.models:
                    from checker.matchers.model import TextModel

                    self.models[name] = TextModel.load(pack.root / "model" / name)
                column = self.models[name].labels.index(r.category)
            except Exception as e:  # noqa: BLE001 - missing, damaged (not a zip) or of other labels
                errors.append(SchemaError(r.file, r.line, f"model {name!r} cannot be used for "
                                          f"{r.category}: {type(e).__name__}: {e}"))
                continue
            words: list[str] = []
            for w in r.match.get("unless_any") or ():
                if w.startswith("@") and w[1:] not in pack.lexicon:
                    errors.append(SchemaError(r.file, r.line, f"match.unless_any: no word list {w!r} in "
                                              f"{pack.name}/lexicon"))
                words.extend(pack.lexicon.get(w[1:], ()) if w.startswith("@") else (w,))
            self._unless_words[r.id] = tuple(words)
            from checker.matchers.model import logit

            self.model_plan.append((r, name, column, logit(float(r.match["threshold"]))))
            if "withhold_below" in r.match:
                self.doubt_plan[r.category] = (r, name, column, logit(float(r.match["withhold_below"])),
                                               logit(float(r.match["threshold"])))
        if errors:
            raise PackError(errors)
        self._build_automaton()

    def _build_automaton(self) -> None:
        import ahocorasick

        literals: set[str] = set()
        self.rules_by_literal: dict[str, list[int]] = {}
        for i, tr in enumerate(self.text_rules):
            literals |= tr.literals()
            for lit in tr.anchor_literals():
                self.rules_by_literal.setdefault(lit, []).append(i)
        # the characters the rules' literals use (checker.fastpath.pack_fold), kept in the
        # on-disk pack cache: walking every literal again cost each process a tenth of a second
        self.literal_chars = "".join(sorted(set("".join(literals))))
        self.automaton = ahocorasick.Automaton()
        for lit in literals:
            self.automaton.add_word(lit, lit)
        if literals:
            self.automaton.make_automaton()
        self._has_literals = bool(literals)
        # The prefilter: only the anchor key literals. Most utterances hold none of them and
        # cost one C-speed pass that stops at the first hit; only the others are matched in full.
        self.prefilter = ahocorasick.Automaton()
        for lit in self.rules_by_literal:
            self.prefilter.add_word(lit, lit)
        if self.rules_by_literal:
            self.prefilter.make_automaton()
        # Literals with spaces (cao ni ma) also without them: the quick check drops spaces.
        for lit in self.rules_by_literal:
            if " " in lit:
                self.prefilter.add_word(lit.replace(" ", ""), lit)
        if self.rules_by_literal:
            self.prefilter.make_automaton()
        from checker.nlp.normalize import _t2s_table

        self._t2s = _t2s_table()

    # ------------------------------------------------------------------ per record
    def scan_event(self, ev: Event, tz: tzinfo) -> list[Finding]:
        out: list[Finding] = []
        if ev.relation:
            # A record from a relative's or colleague's own log: the contact itself is the
            # finding; their calls are not counted toward the debtor's daily limits. A
            # collector's night call or message to them is collection at night all the same
            # (the hour rules' evidence names whose phone it reached).
            for rule in self.relative_rules:
                f = third_party_log.check(rule, ev, tz, self)
                if f is not None:
                    out.append(f)
        if ev.time is not None and (not ev.relation or third_party_log.incoming_collector(ev)):
            for rule in self.hour_rules:
                f = hours.check(rule, ev, tz, self)
                if f is not None:
                    out.append(f)
        if ev.text and ((self._has_literals and self.text_rules) or self.model_plan):
            turns = self._turns(ev)
            if turns is None:
                out.extend(self._scan_turn(ev, tz))
            else:
                # A call's transcript with labelled turns (催收员：… 客户：…): only the turns a label
                # gives to the collector are judged — A： / B： too when one of them speaks as the
                # agent (_turn_roles); with no role told, the whole text is (_call_turns gives None).
                for off, turn in turns:
                    for f in self._scan_turn(replace(ev, text=turn), tz):
                        out.append(replace(f, span=(f.span[0] + off, f.span[1] + off)) if f.span else f)
        if ev.relation and any(f.rule in self._relative_ids for f in out):
            # the model is a second opinion only where no rule of its category found anything
            # in the record: the contact found in a relative's own log is contact.third_party
            found = {f.category for f in out if f.rule not in self._model_ids}
            out = [f for f in out if f.rule not in self._model_ids or f.category not in found]
        return out

    @staticmethod
    def _turns(ev: Event) -> list[tuple[int, str]] | None:
        """The parts of a record's text judged one by one, as (offset, text); None: the whole."""
        if ev.channel == "call":
            return _call_turns(ev.text or "")
        if ev.channel == "transcript" and ev.collector_side:
            return other_turns_removed(ev.text or "")
        return None

    def prescore(self, events: list[Event]) -> None:
        """Score at once every text of these records that the model rules will judge and that
        neither the per-text memo nor the chunk's scores hold (one call per chunk instead of
        one per text; the numbers are the same, see checker.matchers.model)."""
        if not self.model_plan or not self.models:
            return
        from checker.matchers.model import model_form

        if self._quick is None:
            from checker.fastpath import pack_fold

            self._quick = pack_fold(self)
        table = self._quick[0]
        memo = self._turn_memo
        forms: dict[str, None] = {}
        for ev in events:
            if not ev.text or ev.relation:
                continue
            channel = "transcript" if ev.channel == "call" else ev.channel
            # only what some model rule judges (its channels; the collector side for most)
            if not any(channel in r.applies_to and (ev.collector_side or r.speaker != "collector")
                       for r, _n, _c, _t in self.model_plan):
                continue
            turns = self._turns(ev)
            for _off, text in turns if turns is not None else [(0, ev.text)]:
                if (text, channel, ev.collector_side) not in memo:
                    forms[model_form(text, table)] = None
        for name, model in self.models.items():
            cache = self.model_cache.setdefault(name, {})
            if len(cache) > 20_000:  # (the fast path replaces it per chunk; without it, bounded here)
                cache.clear()
            todo = [f for f in forms if f not in cache]
            if todo:
                cache.update(zip(todo, model.logits(todo), strict=True))

    def _scan_turn(self, ev: Event, tz: tzinfo) -> list[Finding]:
        """The text and model rules' findings on one text. What they find — rule, evidence,
        span, explanation — depends only on the text, the channel it is judged as and
        whether it is the collector's side, so it is kept per text (a QA batch repeats its
        scripted lines — openings, confirmations, closings — thousands of times) and only
        the record's own fields (id, time, source, citations of its day) are filled in per
        record. Bounded: short texts only, and the memo is emptied when it is full."""
        text = ev.text or ""
        key = (text, "transcript" if ev.channel == "call" else ev.channel, ev.collector_side)
        memo = self._turn_memo
        hits = memo.get(key)
        if hits is None:
            mentioned: set[str] = set()
            hits = self._text_hits(ev, mentioned) if self._has_literals and self.text_rules else []
            if hits and self.doubt_plan:
                hits = [h for h in hits if self._withheld(ev, h[0].category, h[2]) is None]
            if self.model_plan:
                hits.extend(self._second_opinion(ev, {h[0].category for h in hits} | mentioned))
            if len(text) <= _MEMO_TEXT:
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                memo[key] = hits
        return [self.finding(rule, ev, evidence, span, tz, expl) for rule, evidence, span, expl in hits]

    @property
    def _turn_memo(self) -> dict[tuple, list[tuple]]:
        memo = self.__dict__.get("_memo")
        if memo is None:
            memo = self.__dict__["_memo"] = {}
        return memo

    def __getstate__(self) -> dict[str, Any]:
        # the per-text memo stays in the process that filled it (the on-disk pack cache,
        # Spark's broadcast and pool workers get an empty one)
        state = dict(self.__dict__)
        state.pop("_memo", None)
        return state

    def _second_opinion(self, ev: Event, found: set[str]) -> list[tuple]:
        """The model rules' findings: only in a category no rule found in this text."""
        from checker.matchers.model import model_form

        if self._quick is None:
            from checker.fastpath import pack_fold

            self._quick = pack_fold(self)
        table = self._quick[0]
        channel = "transcript" if ev.channel == "call" else ev.channel
        plan = [(r, name, col, th) for r, name, col, th in self.model_plan
                if r.category not in found and channel in r.applies_to
                and (ev.collector_side or r.speaker != "collector")]
        if not plan:
            return []
        text = ev.text or ""
        form = model_form(text, table)
        if sum(ch.isalnum() for ch in form) < MODEL_MIN_CHARS:
            return []  # 「？」「嗯？」「知道了」: too little text for a statistical judgement
        scores: dict[str, Any] = {}
        out = []
        for r, name, col, th in plan:
            if name not in scores:
                scores[name] = self._logits(name, form)
            if scores[name][col] < th or any(w in form for w in self._model_unless(r, table)):
                continue
            out.append(self._model_hit(r, self.models[name], col, float(scores[name][col]), text))
        return out

    def _logits(self, name: str, form: str) -> Any:
        """Model ``name``'s log-odds row for ``form``: from the chunk's scores when the batch fast
        path (or ``prescore``) computed them, else now — the same numbers either way."""
        row = self.model_cache.get(name, {}).get(form)
        return self.models[name].logits([form])[0] if row is None else row

    def _withheld(self, ev: Event, category: str, span: tuple[int, int] | None) -> tuple[float, float] | None:
        """(probability, floor) when a text rule's finding in ``category`` on this text is withheld
        as doubtful; else None. The category's model rule has a ``withhold_below`` floor and
        judges this channel and side, and both the whole text and the sentence holding the
        finding's evidence at ``span`` (a long call's transcript dilutes one sentence's words)
        score below the floor for the category and below the rule's ``threshold`` for every
        category. A rule's words in a text the model, trained on every labelled set, all but rules
        out for the category and finds no violation in are far more often a look-alike (a denial,
        an apology, an anti-fraud notice) than a violation; where the model sees a violation of
        another kind, the rule's category may be the record's second one, and it stays (measured
        on sets neither rules nor model had seen: rules/README.md, "Withheld as doubtful")."""
        import math

        entry = self.doubt_plan.get(category)
        if entry is None:
            return None
        r, name, col, floor, threshold = entry
        channel = "transcript" if ev.channel == "call" else ev.channel
        if channel not in r.applies_to or not (ev.collector_side or r.speaker != "collector"):
            return None
        from checker.matchers.model import model_form

        if self._quick is None:
            from checker.fastpath import pack_fold

            self._quick = pack_fold(self)
        text = ev.text or ""
        form = model_form(text, self._quick[0])
        row = self._logits(name, form)
        score = float(row[col])
        if score >= floor or float(row.max()) >= threshold:
            return None
        if span is not None:
            a, b = self._sentence_at(text, span)
            if (a, b) != (0, len(text)):
                sentence = self.models[name].logits([model_form(text[a:b], self._quick[0])])[0]
                score = max(score, float(sentence[col]))
                if score >= floor or float(sentence.max()) >= threshold:
                    return None
        return 1 / (1 + math.exp(-score)), 1 / (1 + math.exp(-floor))

    def _sentence_at(self, text: str, span: tuple[int, int]) -> tuple[int, int]:
        """The sentence (or sentences) of ``text`` that hold ``span``: from after the last sentence
        end before it to the first sentence end at or after its last character."""
        ends = set(self.lex.sentence_ends) | set("。！？；\n")
        a = span[0]
        while a > 0 and text[a - 1] not in ends:
            a -= 1
        b = max(span[1], a + 1)
        while b < len(text) and text[b - 1] not in ends:
            b += 1
        return a, b

    def _model_hit(self, rule: Any, model: Any, col: int, score: float, text: str) -> tuple:
        """The evidence of a model finding is the sentence that scores highest for the label
        (the whole text when it is one sentence); the explanation gives the probability and
        the n-grams that weighed most."""
        import math

        from checker.matchers.model import model_form

        ends = set(self.lex.sentence_ends) | set("。！？；")  # (the lexicon's are normalised: half-width)
        cuts = [0] + [i + 1 for i, ch in enumerate(text) if ch in ends and i + 1 < len(text)] + [len(text)]
        pieces = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]
        table = self._quick[0]
        if len(pieces) > 1:
            per = model.logits([model_form(text[a:b], table) for a, b in pieces])[:, col]
            a, b = pieces[int(per.argmax())]
        else:
            a, b = 0, len(text)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        p = 1 / (1 + math.exp(-score))
        top = model.top_ngrams(model_form(text[a:b], table), col)
        clauses = (f"statistical model: probability {p:.2f} ≥ {1 / (1 + math.exp(-self._threshold(rule))):.2f}",
                   "n-grams that weighed most: " + "、".join(f"「{g}」" for g, _w in top))
        return (rule, text[a:b], (a, b), Explanation(clauses, ()))

    def _model_unless(self, rule: Any, table: dict) -> tuple[str, ...]:
        """A model rule's ``unless_any`` phrases in the model's form (``@list`` expanded): a
        text holding one is not judged by it — 禁用词清单 lists insults to ban them."""
        from checker.matchers.model import model_form

        if rule.id not in self._unless_forms:
            forms = (model_form(w.replace("…", ""), table) for w in self._unless_words[rule.id])
            self._unless_forms[rule.id] = tuple(f for f in forms if f)
        return self._unless_forms[rule.id]

    def _threshold(self, rule: Any) -> float:
        return next(th for r, _n, _c, th in self.model_plan if r is rule)

    def _text_hits(self, ev: Event, mentioned: set[str] | None = None) -> list[tuple]:
        """(rule, evidence, span, explanation) of each text rule that fires on the text. The
        categories of rules whose match was suppressed as quoted, reported or condemned go into
        ``mentioned``: the model rules leave those to the text rules' reading."""
        text = ev.text or ""
        if self._quick is None:
            from checker.fastpath import pack_fold

            self._quick = pack_fold(self)
        table, unsafe = self._quick
        if (not _COMBINING.search(text) and not (unsafe is not None and unsafe.search(text))
                and not ("." in text and DOTTED.search(text))):
            # Quick check with C-speed string operations only: the quick form (one translation
            # table, checker.fastpath.quick_table) drops at least what normalisation drops, so
            # a text whose quick form holds no key literal cannot match after full
            # normalisation either. (Combining marks compose under NFKC, and a dropped
            # character may be part of a literal: such texts are not quick-checked.)
            quick = self.lex.fix_asr(text.lower().translate(table))
            if next(self.prefilter.iter(quick), None) is None:
                return []
        norm, offsets = normalise(text)
        norm = self.lex.fix_asr(norm)
        if next(self.prefilter.iter(norm), None) is None:
            return []
        hits: dict[str, list[int]] = {}
        candidates: set[int] = set()
        for end, lit in self.automaton.iter(norm):
            hits.setdefault(lit, []).append(end - len(lit) + 1)
            idx = self.rules_by_literal.get(lit)
            if idx:
                candidates.update(idx)
        if not candidates:
            return []
        if self._meta_frame(norm) is not None:
            return []
        ctx = TextContext(text, norm, offsets, hits, self.lex)
        out = []
        # The text of a call record (a QA batch's transcript of the call) is judged as a transcript
        channel = "transcript" if ev.channel == "call" else ev.channel
        for i in sorted(candidates):
            tr = self.text_rules[i]
            rule = tr.rule
            if channel not in rule.applies_to:
                continue
            if rule.speaker == "collector" and not ev.collector_side:
                continue
            hit = match_text(tr, ctx)
            if hit is None:
                continue
            if hit.span[0] < 0:
                if mentioned is not None and any(_MENTION.search(w) for w in hit.suppressed):
                    mentioned.add(rule.category)
                continue
            o_s, o_e = original_span(ctx, hit.span)
            evidence = text[o_s:o_e]
            out.append((rule, evidence, (o_s, o_e), Explanation(hit.clauses, hit.suppressed)))
        return out

    def _meta_frame(self, norm: str) -> str | None:
        return next((w for w in self.meta_frames if w in norm), None)

    def explain_suppressed(self, ev: Event) -> list[tuple[str, str]]:
        """(rule id, reason) for anchors that were found but suppressed (``--explain``)."""
        if not ev.text or not self._has_literals:
            return []
        norm, offsets = normalise(ev.text)
        hits: dict[str, list[int]] = {}
        candidates: set[int] = set()
        for end, lit in self.automaton.iter(norm):
            hits.setdefault(lit, []).append(end - len(lit) + 1)
            candidates.update(self.rules_by_literal.get(lit, ()))
        ctx = TextContext(ev.text, norm, offsets, hits, self.lex)
        meta = self._meta_frame(self.lex.fix_asr(norm))
        out = []
        for i in sorted(candidates):
            tr = self.text_rules[i]
            if ev.channel not in tr.rule.applies_to:
                continue
            if tr.rule.speaker == "collector" and not ev.collector_side:
                out.append((tr.rule.id, f"speaker is {ev.speaker}: collector-side rules do not judge it"))
                continue
            hit = match_text(tr, ctx)
            if hit is not None:
                out.extend((tr.rule.id, s) for s in hit.suppressed)
                if hit.span[0] >= 0 and meta is not None:
                    out.append((tr.rule.id, f"「{ctx.norm[hit.span[0]:hit.span[1]]}」 suppressed by a QA or "
                                            f"training frame「{meta}」 (meta_banned_frames)"))
                elif hit.span[0] >= 0 and self.doubt_plan:
                    doubt = self._withheld(ev, tr.rule.category, original_span(ctx, hit.span))
                    if doubt is not None:
                        out.append((tr.rule.id, f"「{ctx.norm[hit.span[0]:hit.span[1]]}」 withheld as doubtful: the "
                                                f"statistical model gives {tr.rule.category} probability "
                                                f"{doubt[0]:.3f} < {doubt[1]:.3f} (withhold_below)"))
        return out

    # ------------------------------------------------------------------ aggregate
    def scan_calls(self, calls: Iterable[CallEvent], tz: tzinfo) -> list[Finding]:
        if not self.freq_rules:
            return []
        return self.scan_counted(frequency.counted(list(calls), tz), tz)

    def scan_counted(self, base: list[tuple], tz: tzinfo) -> list[Finding]:
        """The frequency rules over calls already reduced by ``frequency.counted``."""
        out: list[Finding] = []
        for rule in self.freq_rules:
            out.extend(frequency.check(rule, [], tz, self, base))
        return out

    # ------------------------------------------------------------------ findings
    def citations(self, rule: Any, on: date | None) -> tuple:
        """The rule's citations in the versions in force on ``on`` (cached: a batch cites the
        same few rules on the same few days again and again)."""
        key = (rule.id, on)
        out = self._citations.get(key)
        if out is None:
            if len(self._citations) > 50_000:
                self._citations.clear()
            out = self._citations[key] = tuple(self.pack.provisions[k].cite(on) for k in rule.citations)
        return out

    def finding(self, rule: Any, ev: Event, evidence: str, span: tuple[int, int] | None, tz: tzinfo,
                explanation: Explanation, records: tuple[str, ...] | None = None,
                day: str | None = None) -> Finding:
        local_day = ev.time.astimezone(tz).date() if ev.time else None
        if span is not None and ev.text and ev.text[span[0]:span[1]] == evidence:
            span = _paired(ev.text, *span)
            evidence = ev.text[span[0]:span[1]]
        return Finding(
            rule=rule.id, category=rule.category, severity=rule.severity, record=ev.id,
            evidence=evidence, message=rule.message.replace("{evidence}", evidence),
            citations=self.citations(rule, local_day), source=ev.source,
            time=ev.time.astimezone(tz) if ev.time else None, span=span, records=records, date=day,
            speaker=ev.speaker, agent=ev.agent, case=ev.case, explanation=explanation,
        )


_PAIRS = {"【": "】", "「": "」", "《": "》", "“": "”", "（": "）", "(": ")", "[": "]", "〔": "〕", "『": "』"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def _paired(text: str, s: int, e: int) -> tuple[int, int]:
    """A quote's span widened by one character on a side whose bracket it cuts: 「融易达】刘强：…」
    (the sentence began after 【) becomes 「【融易达】刘强：…」, 「他说“明天去你家」 takes its closing ”."""
    quote = text[s:e]
    if s > 0 and text[s - 1] in _PAIRS:
        closer = _PAIRS[text[s - 1]]
        if closer in quote and quote.find(closer) < (quote.find(text[s - 1]) if text[s - 1] in quote else len(quote)):
            s -= 1
    if e < len(text) and text[e] in _CLOSERS:
        opener = _CLOSERS[text[e]]
        if opener in quote and quote.rfind(opener) > quote.rfind(text[e]):
            e += 1
    return s, e


# a turn's label: a word before a colon at a line's or sentence's start; ASR exports' numbered
# speakers may hold a space (Speaker 1: / SPEAKER 00: / spk 0:)
_TURN_LABEL = re.compile(r"(?:^|(?<=[\n。！？!?；;]))[ \t]*((?:[Ss]peaker|SPEAKER|[Ss]pk|SPK)[ _]?\d{1,2}"
                         r"|[^\s:：，,。！？!?；;]{1,12})[ \t]*[:：]"
                         # an ASR app's numbered speaker and a space at a line's start, no colon
                         # (发言人1 喂您好 / 说话人2 是我): only numbered labels, never A / B or a word
                         rf"|(?:^|(?<=\n))[ \t]*({NUMBERED_LABEL})[ \t]+(?=[^\s\d:：])")


def holds_labels(text: str) -> bool:
    """Whether a text may hold speaker labels (a cheap test before ``_labelled_marks``)."""
    return "：" in text or ":" in text or ("\n" in text and SPACE_LABEL.search(text) is not None)


def _turn_roles(text: str, marks: list[tuple[int, int, str | None, str]]) -> dict[str, str]:
    """Roles for the two labels of a call transcript that names nobody (A / B, 说话人1 / 2), read
    by ``checker.roles.turn_roles`` from what each says; {} otherwise (every turn is then judged
    as the record says). Only a record holding exactly two labels, both of the kind that names
    nobody."""
    if any(who not in (None, "ambiguous") for _s, _e, who, _l in marks):
        return {}
    turns = []
    for k, (_s, e, who, lab) in enumerate(marks):
        if who is None:
            continue
        end = next((m[0] for m in marks[k + 1:] if m[2] is not None), len(text))
        turns.append((lab, text[e:end]))
    return turn_roles(turns)[0]


def _labelled_marks(text: str) -> list[tuple[int, int, str | None, str]]:
    """(start, end, speaker or 'ambiguous' or None, label) of each turn label in ``text``; the
    labels a whole call's transcript leaves ambiguous get the roles ``_turn_roles`` finds."""
    from checker.io.pasted import speaker_for

    marks = [(m.start(), m.end(), speaker_for(lab, frozenset()), lab.strip())
             for m in _TURN_LABEL.finditer(text) for lab in (m.group(1) or m.group(2),)]
    roles = _turn_roles(text, marks)
    if roles:
        marks = [(s, e, roles.get(lab, who) if who == "ambiguous" else who, lab) for s, e, who, lab in marks]
    return marks


def _call_turns(text: str) -> list[tuple[int, str]] | None:
    """(offset, text) of the collector's turns when a call record's text is a transcript with
    speaker labels (two or more labelled turns); None when it has none, or only labels that name
    nobody and no role could be told (the text is then one turn of the record's speaker)."""
    if not holds_labels(text):
        return None
    marks = [m for m in _labelled_marks(text) if m[2] is not None]
    if len(marks) < 2 or all(m[2] == "ambiguous" for m in marks):
        return None
    out = []
    for k, (_s, e, who, _l) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(text)
        if who == "collector" and text[e:end].strip():
            out.append((e, text[e:end]))
    return out


def other_turns_removed(text: str) -> list[tuple[int, str]] | None:
    """A transcript record on the collector's side whose text is a whole exchange with the
    debtor's or a third party's turns labelled in it (客户：… 客服：…, 我：… 对方：…): (offset,
    text) of everything but those turns, which are never judged; None when it holds no such
    turn (the text is then one turn of the record's speaker). Unlike a call record's text,
    the rest keeps the record's speaker: an unknown label (主管：, AI：) or an ambiguous one
    (A：) is judged as the record says — unless the record holds exactly two ambiguous labels
    and one of them speaks as the agent does (``_turn_roles``): the other's turns are then the
    debtor's."""
    if not holds_labels(text):
        return None
    marks = _labelled_marks(text)
    if len(marks) < 2 or not any(w in ("debtor", "third_party") for _s, _e, w, _l in marks):
        return None
    out = [(0, text[:marks[0][0]])]
    for k, (s, e, who, _l) in enumerate(marks):
        if who in ("debtor", "third_party"):
            continue
        end = marks[k + 1][0] if k + 1 < len(marks) else len(text)
        start = s if who is None else e  # a colon after a word that names nobody is part of the text
        if out and out[-1][0] + len(out[-1][1]) == start:
            out[-1] = (out[-1][0], out[-1][1] + text[start:end])
        else:
            out.append((start, text[start:end]))
    return [(off, t) for off, t in out if t.strip()]


def scan(events: Iterable[Event], compiled: CompiledPack, tz: tzinfo | str = "Asia/Shanghai") -> Iterator[Finding]:
    """Findings for a stream of events: per-record findings as they come, then the
    aggregate (frequency) findings of the calls seen."""
    tzi = zone(tz) if isinstance(tz, str) else tz
    calls: list[CallEvent] = []
    keep_calls = bool(compiled.freq_rules)
    for ev in events:
        yield from compiled.scan_event(ev, tzi)
        if keep_calls and isinstance(ev, CallEvent) and not ev.relation:
            calls.append(ev)
    if calls:
        yield from compiled.scan_calls(calls, tzi)


def local_time_str(t: datetime | None, tz: tzinfo) -> str:
    return t.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if t else "—"

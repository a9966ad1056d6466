"""The statistical second opinion (checker.matchers.model and the pack's `model` rules)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from checker.engine import zone
from checker.fastpath import quick_table
from checker.matchers.model import features, logit, model_form, ngrams
from checker.model import MessageEvent, Source
from checker.pack import PackError, load_pack


@pytest.fixture(scope="module")
def pack():
    return load_pack("cn")


@pytest.fixture(scope="module")
def compiled(pack):
    return pack.compiled()


@pytest.fixture(scope="module")
def model(compiled):
    return compiled.models["second_opinion.npz"]


def _event(text: str, speaker: str = "unknown", channel: str = "sms") -> MessageEvent:
    return MessageEvent(id="r1", channel=channel, source=Source("t.txt", 1), time=None, direction="in",
                     from_=None, to=None, speaker=speaker, text=text)


def _rules(compiled, text: str, **kw) -> dict[str, str]:
    return {f.rule: f.category for f in compiled.scan_event(_event(text, **kw), zone("Asia/Shanghai"))}


def test_a_text_scores_the_same_alone_and_in_a_chunk(model):
    table = quick_table()
    texts = ["你个窝囊废，连这点钱都还不上", "", "您的账单今天到期，请按时还款", "a", "再不还就把你的照片发到网上" * 9,
             "我们不会上门", "😀😀", "ΑΣ 测试"]
    forms = [model_form(t, table) for t in texts]
    together = model.logits(forms)
    for k, f in enumerate(forms):
        assert (model.logits([f])[0] == together[k]).all()
    # and in another order, with other neighbours
    rev = model.logits(forms[::-1])[::-1]
    assert (rev == together).all()


def test_no_ngram_crosses_from_one_text_into_the_next():
    tid, bucket, tf = features(["ab", "cd"])
    assert sorted(tid.tolist()) == [0, 0, 0, 1, 1, 1]  # a, b, ab | c, d, cd
    one = {b for b in ngrams("ab")}
    assert set(bucket[tid == 0].tolist()) == one
    assert (tf > 0).all()


def test_the_model_finds_what_no_rule_words_and_says_it_is_statistical(compiled):
    # a false consequence no rule words this way: only the model rule fires
    found = _rules(compiled, "不还钱以后高铁飞机都坐不了，直接拉黑")
    assert found == {"cn.false_legal.consequence.second_opinion": "false_legal.consequence"}
    f = compiled.scan_event(_event("不还钱以后高铁飞机都坐不了，直接拉黑"), zone("Asia/Shanghai"))[0]
    assert f.severity == "low"
    assert f.explanation.clauses[0].startswith("statistical model: probability")
    assert "统计模型判断" in f.message and f.citations


def test_the_model_is_silent_where_a_rule_of_its_category_fired(compiled):
    # the model scores this far above its threshold, but the rules found the insult already
    text = "你这种没脸没皮的东西也配活着"
    found = _rules(compiled, text)
    assert found == {"cn.abuse.insult.degrading": "abuse.insult"}
    column = compiled.models["second_opinion.npz"].labels.index("abuse.insult")
    assert compiled.models["second_opinion.npz"].logits([model_form(text, quick_table())])[0][column] > logit(0.9)


@pytest.mark.parametrize("text", ["我们不会联系您的家人，请您放心", "如协商不成，我司将依法向人民法院提起诉讼",
                                  "欠款不还不会坐牢，这是民事纠纷", "传票只能由法院送达，我们不会发任何传票",
                                  "如有人自称公安要求转账，请立即报警"])
def test_lawful_speech_stays_clean(compiled, text):
    assert _rules(compiled, text) == {}


def test_the_debtor_and_third_parties_are_never_judged(compiled):
    assert _rules(compiled, "不还钱以后高铁飞机都坐不了，直接拉黑", speaker="debtor") == {}
    assert _rules(compiled, "不还钱以后高铁飞机都坐不了，直接拉黑", speaker="third_party") == {}


def test_a_qa_text_listing_banned_wording_is_not_judged(compiled):
    text = "我念一下禁用词清单 傻逼 废物 垃圾 骗子 老赖 这些在通话里出现一个就是零分"
    assert not [r for r in _rules(compiled, text) if r.endswith("second_opinion")]


def test_the_evidence_is_the_sentence_that_scores_highest(compiled):
    text = "你听好了！不还钱以后高铁飞机都坐不了，直接拉黑。想清楚。"
    f = [f for f in compiled.scan_event(_event(text), zone("Asia/Shanghai")) if f.rule.endswith("second_opinion")][0]
    assert f.evidence == "不还钱以后高铁飞机都坐不了，直接拉黑。"
    assert text[f.span[0]:f.span[1]] == f.evidence


def test_the_fast_path_agrees_with_the_engine_on_model_findings(pack, tmp_path):
    from checker.batch import Rendered, scan_stream

    said = [("unknown", "不还钱以后高铁飞机都坐不了，直接拉黑"), ("debtor", "不还钱以后高铁飞机都坐不了，直接拉黑"),
            ("collector", "您的账单今天到期"), ("unknown", "你个窝囊废，连这点钱都还不上")] * 50
    lines = [{"id": f"m{i}", "channel": "sms", "speaker": sp, "text": t} for i, (sp, t) in enumerate(said)]
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")

    def run(fast):
        out = []
        for item in scan_stream([str(path)], pack, "Asia/Shanghai", fast=fast):
            if not isinstance(item, Rendered) and hasattr(item, "rule"):
                out.append((item.record, item.rule))
        return out

    fast, full = run(True), run(False)
    assert fast == full
    assert sum(r.endswith("second_opinion") for _rec, r in fast) >= 50


def test_a_chunk_is_scored_at_once_and_finds_what_one_text_at_a_time_finds(pack, monkeypatch):
    """CompiledPack.prescore (the batch path's chunk step) scores every text the model rules will
    judge in one call; the engine then takes those scores and finds exactly what it finds scoring
    one text at a time. A debtor's text is not scored at all."""
    from checker.matchers.model import TextModel

    texts = ["不还钱以后高铁飞机都坐不了，直接拉黑", "您的账单今天到期", "你个窝囊废，连这点钱都还不上",
             "不还钱以后高铁飞机都坐不了，直接拉黑。想清楚。", "我下个月一定还"]
    events = [_event(t, speaker="debtor" if t.startswith("我下") else "unknown") for t in texts]
    tz = zone("Asia/Shanghai")
    alone = pack.compiled()  # (shared: what it keeps is cleared before each pass)
    alone.model_cache.clear()
    alone._turn_memo.clear()
    expected = [[(f.rule, f.evidence, f.span) for f in alone.scan_event(e, tz)] for e in events]
    alone.model_cache.clear()
    alone._turn_memo.clear()
    calls = []
    real = TextModel.logits
    monkeypatch.setattr(TextModel, "logits", lambda self, forms: calls.append(list(forms)) or real(self, forms))
    alone.prescore(events)
    assert len(calls) == 1 and len(calls[0]) == 4  # the debtor's text is not scored
    got = [[(f.rule, f.evidence, f.span) for f in alone.scan_event(e, tz)] for e in events]
    assert got == expected and any(r.endswith("second_opinion") for fs in got for r, _e, _s in fs)
    # the engine scored no whole text again (only the evidence sentence of a multi-sentence hit)
    assert all(len(c) > 1 for c in calls[1:])


def _pack_copy(tmp_path):
    """A copy of the CN pack to edit, and the insult model rule's file in it."""
    import shutil

    from checker.pack import rules_root

    root = tmp_path / "rules"
    shutil.copytree(rules_root() / "cn", root / "cn")
    return root, root / "cn" / "abuse" / "insult" / "second_opinion.yaml"


def _set_in(rule, pattern: str, value: str) -> None:
    import re

    text, n = re.subn(pattern, value, rule.read_text(encoding="utf-8"))
    assert n == 1
    rule.write_text(text, encoding="utf-8")


def test_a_model_rule_needs_a_model_file_and_a_probability(tmp_path):
    root, rule = _pack_copy(tmp_path)
    _set_in(rule, r"threshold: [0-9.]+", "threshold: 1.5")
    with pytest.raises(PackError, match="threshold"):
        load_pack("cn", root)
    rule.write_text(rule.read_text(encoding="utf-8").replace("threshold: 1.5", "threshold: 0.8")
                    .replace("model: second_opinion.npz", "model: missing.npz"), encoding="utf-8")
    with pytest.raises(PackError, match="missing.npz"):
        load_pack("cn", root)
    # a word list that does not exist would silently exempt nothing
    rule.write_text(rule.read_text(encoding="utf-8").replace("model: missing.npz", "model: second_opinion.npz")
                    .replace("@meta_banned_frames", "@no_such_list"), encoding="utf-8")
    with pytest.raises(PackError, match="no word list '@no_such_list'"):
        load_pack("cn", root)
    # a damaged model file is a pack error naming it, not a traceback
    rule.write_text(rule.read_text(encoding="utf-8").replace("@no_such_list", "@meta_banned_frames"), encoding="utf-8")
    (root / "cn" / "model" / "second_opinion.npz").write_bytes(b"PK\x03\x04 cut short")
    with pytest.raises(PackError, match="cannot be used"):
        load_pack("cn", root)


def test_probabilities_and_log_odds():
    assert logit(0.5) == 0
    assert logit(0.9) == pytest.approx(np.log(0.9 / 0.1))


def test_the_model_reads_a_word_split_by_stops_as_the_text_rules_do():
    """法.院传.票 is 法院传票 to the text rules (checker.nlp.normalize); the model's form drops the
    same stops, so a dotted text and its plain spelling get the same second opinion. A lone stop
    (typed half-width punctuation) and a decimal point stay."""
    from checker.fastpath import quick_table
    from checker.matchers.model import model_form

    t = quick_table()
    assert model_form("你等着收法.院传.票吧", t) == model_form("你等着收法院传票吧", t)
    assert model_form("逮.捕.令已下", t) == model_form("逮捕令已下", t)
    assert "." in model_form("余额3.5元.请还款", t)
    assert "." in model_form("我们不会上门.明天再联系", t)


# A lawful reply in a rule's words: the property-damage rule reads 砸门 … 调查 (its words) and
# fires without the floor; the model, trained on every labelled set, all but rules the category out.
_DISOWNED = "王女士，砸门的事跟我们公司没有关系，我们已经停掉这个账户的所有外包，配合派出所调查。"


def _pack_without_floors(tmp_path):
    root, _rule = _pack_copy(tmp_path)
    n = 0
    for f in (root / "cn").rglob("second_opinion.yaml"):
        text = f.read_text(encoding="utf-8")
        n += text.count("withhold_below:")
        f.write_text("\n".join(x for x in text.splitlines() if "withhold_below:" not in x) + "\n", encoding="utf-8")
    assert n == 10
    return load_pack("cn", root).compiled()


def test_a_rule_finding_the_model_all_but_rules_out_is_withheld_and_explain_says_so(compiled, tmp_path):
    assert _rules(compiled, _DISOWNED) == {}
    why = [w for _r, w in compiled.explain_suppressed(_event(_DISOWNED)) if "withheld as doubtful" in w]
    assert why and "threat.violence probability 0.0" in why[0] and "withhold_below" in why[0]
    # without the floors the same rule fires: the floor, not the rule, keeps it out
    bare = _pack_without_floors(tmp_path)
    assert "threat.violence" in _rules(bare, _DISOWNED).values()


def test_withholding_leaves_violations_alone_and_reads_only_the_model_rules_side(compiled, tmp_path):
    bare = _pack_without_floors(tmp_path)
    for text in ("你也不想你女儿学校知道吧", "再不还钱，小心你家的门被砸", "明天我们就去你单位找你领导谈谈",
                 "我们是公安局经侦大队的，你涉嫌诈骗"):
        assert _rules(compiled, text) == _rules(bare, text) != {}
    # the floor reads only the channels and side its model rule judges: the same disowning words on
    # the debtor's side are not the model's to doubt (every text rule of the pack judges the collector
    # side today, so this guards the floor for a rule that would judge everyone's lines)
    span = (_DISOWNED.index("砸门"), _DISOWNED.index("砸门") + 2)
    assert compiled._withheld(_event(_DISOWNED), "threat.violence", span) is not None
    assert compiled._withheld(_event(_DISOWNED, speaker="debtor"), "threat.violence", span) is None


def test_one_sentence_of_a_long_call_is_judged_on_its_own_for_withholding(compiled):
    """A whole call's transcript dilutes one sentence's words in the model's score: a finding is
    withheld only when the sentence holding its evidence scores below the floor too."""
    text = "A:喂您好 B:嗯 A:您的账单已逾期，我们可以帮您申请分期。\n" * 6 + "A:你这种穷鬼，不逼你一把你永远不会还。\n"
    text += "A:好的，那就先这样，祝您生活愉快。\n" * 6
    ev = _event(text, speaker="collector", channel="transcript")
    a, b = compiled._sentence_at(text, (text.index("穷鬼"), text.index("穷鬼") + 2))
    assert text[a:b] == "A:你这种穷鬼，不逼你一把你永远不会还。"
    model = compiled.models["second_opinion.npz"]
    whole = model.logits([model_form(text, quick_table())])[0][model.labels.index("abuse.insult")]
    assert whole < logit(0.03)  # the whole call alone would be withheld
    assert compiled._withheld(ev, "abuse.insult", (text.index("穷鬼"), text.index("穷鬼") + 2)) is None
    assert "abuse.insult" in {f.category for f in compiled.scan_event(ev, zone("Asia/Shanghai"))}


def test_a_text_the_model_sees_as_another_violation_keeps_the_rules_finding(pack, monkeypatch):
    """Below the floor for the rule's category but at the threshold for another: the record is a
    violation and the rule's category may be its second one (a poster at a school gate is exposure
    and third-party contact), so the finding stays; with every category low it is withheld."""
    compiled = pack.compiled()  # a fresh compiled pack: the monkeypatch must not leak into others
    model = compiled.models["second_opinion.npz"]
    col = model.labels.index("threat.violence")
    other = model.labels.index("disclosure.public_exposure")
    ev = _event(_DISOWNED)
    span = (_DISOWNED.index("砸门"), _DISOWNED.index("砸门") + 2)

    def scores(p_other):
        def logits(forms):
            row = np.full((len(forms), len(model.labels)), logit(0.001))
            row[:, other] = logit(p_other)
            return row
        return logits

    compiled.model_cache.clear()
    monkeypatch.setattr(model, "logits", scores(0.9))
    assert compiled._withheld(ev, "threat.violence", span) is None
    monkeypatch.setattr(model, "logits", scores(0.5))
    p, floor = compiled._withheld(ev, "threat.violence", span)
    assert p == pytest.approx(0.001) and floor == pytest.approx(0.03)
    assert col != other


def test_the_floor_must_be_a_small_probability(tmp_path):
    root, rule = _pack_copy(tmp_path)
    _set_in(rule, r"withhold_below: [0-9.]+", "withhold_below: 0.6")
    with pytest.raises(PackError, match="withhold_below must be a probability above 0 and below 0.5"):
        load_pack("cn", root)

"""The text matcher's semantics on a small pack made for the test, so these tests do not
move when the shipped rules change."""

import shutil
from pathlib import Path

import pytest

from checker.engine import scan
from checker.model import Source, Utterance
from checker.pack import PackError, load_pack

ROOT = Path(__file__).resolve().parent.parent

VISIT_RULE = """\
id: t.threat.visit.home
title: 上门威胁
category: threat.visit
severity: high
message: 发现「{evidence}」。
citations: [psl.threat]
match:
  kind: text
  patterns:
    - anchor: [上门, "去…@place"]
      unless:
        - any: [预约]
          scope: sentence
examples:
  fail: [明天上门, 我们去你单位, 你不还钱我们就上门]
  pass: [我们不会上门, 我们不会去你单位, 预约上门]
"""

POLICE_RULE = """\
id: t.impersonation.authority.police
title: 冒充警察
category: impersonation.authority
severity: high
message: 「{evidence}」
citations: [psl.impersonate_official]
match:
  kind: text
  patterns:
    - anchor: [派出所, 警察]
      require:
        - any: [我是, 我们是]
          within: 6
          side: before
examples:
  fail: [我是派出所的, 我们是城东派出所的, 我是警察]
  pass: [请到派出所报案, 我不是派出所的, 派出所我是不会去的]
"""


@pytest.fixture()
def mini(tmp_path):
    pack = tmp_path / "t"
    pack.mkdir()
    for name in ("pack.yaml", "laws.yaml"):
        shutil.copy(ROOT / "rules" / "cn" / name, pack / name)
    (pack / "lexicon").mkdir()
    (pack / "lexicon" / "places.yaml").write_text("place: [你单位, 你家, 你公司]\n", encoding="utf-8")
    d = pack / "threat" / "visit"
    d.mkdir(parents=True)
    (d / "home.yaml").write_text(VISIT_RULE, encoding="utf-8")
    d = pack / "impersonation" / "authority"
    d.mkdir(parents=True)
    (d / "police.yaml").write_text(POLICE_RULE, encoding="utf-8")
    return tmp_path


def findings(root, text, speaker="collector"):
    p = load_pack("t", root=root)
    ev = Utterance(id="r1", channel="transcript", source=Source("x", 1), speaker=speaker, text=text)
    return list(scan([ev], p.compiled(), "Asia/Shanghai"))


@pytest.mark.parametrize("text", [
    "你不还钱我们就上门", "明天带人上门", "不还的话我们去你单位", "你要是再不接电话，我们直接去你家",
    "別以為我們不敢上門", "我们 明天 就 上门 找你", "你以为我们不会去你家吗",
])
def test_threat_fires(mini, text):
    assert [f.rule for f in findings(mini, text)] == ["t.threat.visit.home"], text


@pytest.mark.parametrize("text", [
    "我们不会上门", "我们是不会去你单位的，请放心", "我们从来没有说过要上门", "上门是不可能的",
    "如需上门协商请提前预约", "你们上次说要上门，我已经录音了", "他说：“明天上门”",
    # an echoed question answered with a denial, right after the anchor or after the rest of it
    "上门？我们没这个打算", "上门找你家里人？没有这回事",
])
def test_lawful_or_suppressed(mini, text):
    assert findings(mini, text) == [], text


@pytest.mark.parametrize("text", [
    # a list of practices under a ban or a promise, and the colon that opens it
    "公司规定催收人员不得：一、冒充公检法；二、威胁恐吓；三、向第三人透露债务；四、去你单位找领导。违反的员工直接开除。",
    "以下行为一律禁止：冒充公检法、联系您的家人同事、未经同意上门。",
    "我们向您承诺不会：1.上门催收；2.联系您的家人；3.去你单位。",
    "催收人员不得有下列行为：\n（1）冒充公检法\n（2）去你单位闹",
    # a ban running over a list joined by 、, too far for the negation window
    "我们公司明确规定，严禁冒充公检法、威胁恐吓、向第三人透露债务、擅自上门。",
    # earlier wording quoted and owned as wrong
    "我们之前短信里“将上门催收”的措辞不当，已经整改，在此向您郑重致歉。",
    "上周短信中“三日内安排外访上门”的表述欠妥，我司已更正。",
])
def test_a_ban_list_or_wording_owned_as_wrong_is_a_mention(mini, text):
    assert findings(mini, text) == [], text


@pytest.mark.parametrize("text", [
    # no list: the ban stops before the colon, or a contrast or a condition turns to our own plan
    "你不得再躲了：明天我们就去你单位。",
    "公司规定不得：上门催收；但是你这种情况不一样，明天我们就去你家。",
    "不还、不接电话、不回信息，我们就上门。",
    # a bare 不当 is no verdict on the wording
    "“明天上门”，你别不当回事。",
    # a denial that is itself a threat opens no list
    "我们不会放过你、明天就上门。",
    "我们绝不会手软、马上上门。",
])
def test_a_ban_word_without_a_list_still_fires(mini, text):
    assert [f.rule for f in findings(mini, text)] == ["t.threat.visit.home"], text


def test_a_question_running_on_is_answered_only_by_a_denial_of_the_claim(mini):
    # 「没有退路了」 is no denial of the visit: the rhetorical question still threatens
    assert [f.rule for f in findings(mini, "再不还我们就上门找你家里人？没有退路了")] == ["t.threat.visit.home"]


def test_debtor_words_are_never_judged(mini):
    assert findings(mini, "你们再敢上门我就报警", speaker="debtor") == []
    assert findings(mini, "明天上门", speaker="third_party") == []
    assert findings(mini, "明天上门", speaker="unknown")  # an inbox export is the collector side


def test_evidence_is_exact_original_span(mini):
    text = "您好。我們是城東派出所的，請配合。"
    fs = findings(mini, text)
    assert len(fs) == 1
    f = fs[0]
    assert f.evidence == "我們是城東派出所的"
    assert text[f.span[0]:f.span[1]] == f.evidence


def test_require_side_and_within(mini):
    assert findings(mini, "我是派出所的")
    assert not findings(mini, "派出所的人说我是骗子")  # 我是 after the anchor
    assert not findings(mini, "我是张三，你这个问题可以去找派出所")  # too far apart


def test_explanation_names_clauses(mini):
    f = findings(mini, "我是派出所的")[0]
    assert any("anchor" in c for c in f.explanation.clauses)
    assert any("require" in c for c in f.explanation.clauses)


def test_unknown_key_is_an_error_with_file_and_line(mini):
    p = mini / "t" / "threat" / "visit" / "home.yaml"
    p.write_text(VISIT_RULE.replace("severity: high\n", "severity: high\nseverty: low\n"), encoding="utf-8")
    with pytest.raises(PackError) as e:
        load_pack("t", root=mini)
    msg = str(e.value)
    assert "home.yaml:5" in msg and "severty" in msg and "allowed" in msg


def test_id_must_mirror_path(mini):
    p = mini / "t" / "threat" / "visit" / "home.yaml"
    p.write_text(VISIT_RULE.replace("id: t.threat.visit.home", "id: t.threat.visit.house"), encoding="utf-8")
    with pytest.raises(PackError, match="mirror"):
        load_pack("t", root=mini)


def test_bad_regex_and_unknown_citation_are_load_errors(mini):
    p = mini / "t" / "threat" / "visit" / "home.yaml"
    p.write_text(VISIT_RULE.replace("citations: [psl.threat]", "citations: [psl.nope]"), encoding="utf-8")
    with pytest.raises(PackError, match="psl.nope"):
        load_pack("t", root=mini)
    p.write_text(VISIT_RULE.replace("- any: [预约]", "- regex: '(?=a)b'"), encoding="utf-8")
    with pytest.raises(PackError, match="RE2"):
        load_pack("t", root=mini)


def test_unknown_word_list_is_a_load_error(mini):
    p = mini / "t" / "threat" / "visit" / "home.yaml"
    p.write_text(VISIT_RULE.replace("@place", "@nowhere"), encoding="utf-8")
    with pytest.raises(PackError, match="nowhere"):
        load_pack("t", root=mini)


def test_a_word_list_with_gapped_entries_used_alone_matches_them(mini):
    """A word list may hold 「预约…上门」-style entries: used alone as a phrase, each gapped entry
    is a phrase of its own; glued into a longer phrase the list is refused at load."""
    (mini / "t" / "lexicon" / "consent.yaml").write_text("consent: [预约, 您同意…上门, 约好…时间]\n",
                                                         encoding="utf-8")
    p = mini / "t" / "threat" / "visit" / "home.yaml"
    p.write_text(VISIT_RULE.replace("- any: [预约]", '- any: ["@consent"]'), encoding="utf-8")
    assert findings(mini, "明天上门") and findings(mini, "您同意我们明天上门的话") == []
    assert findings(mini, "跟您约好了见面时间，明天上门") == [] and findings(mini, "预约上门") == []
    p.write_text(VISIT_RULE.replace("- any: [预约]", '- any: ["和@consent"]'), encoding="utf-8")
    with pytest.raises(PackError, match="only be used alone"):
        load_pack("t", root=mini)


def test_rule_examples_in_mini_pack(mini):
    from checker.examples import run_examples

    p = load_pack("t", root=mini)
    for rid in ("t.threat.visit.home", "t.impersonation.authority.police"):
        bad = [r.describe() for r in run_examples(p, rid) if not r.ok]
        assert not bad, bad


def test_no_yaml_code_execution(mini):
    p = mini / "t" / "threat" / "visit" / "home.yaml"
    p.write_text("!!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(PackError, match="home.yaml"):
        load_pack("t", root=mini)


def test_normalisation_folds_width_and_traditional():
    from checker.nlp.normalize import normalise

    norm, offs = normalise("ＳＢ，我們 會 上門")
    assert norm.startswith("sb,我们会上门")
    assert offs is not None and len(offs) == len(norm)




TOKENS_RULE = """\
id: t.abuse.insult.tokens
title: token pattern
category: abuse.insult
severity: low
message: 「{evidence}」
citations: [psl.insult]
match:
  kind: text
  patterns:
    - anchor: [废物]
      require:
        - tokens: [{"TEXT": {"IN": ["你", "你个"]}}, {"OP": "?"}, {"TEXT": "废物"}]
          within: 0
examples:
  fail: [你个废物, 你废物, 你这废物]
  pass: [废物回收站在哪, 不要乱扔废物, 处理废物]
"""


def test_spacy_token_condition(mini):
    d = mini / "t" / "abuse" / "insult"
    d.mkdir(parents=True)
    (d / "tokens.yaml").write_text(TOKENS_RULE, encoding="utf-8")
    from checker.examples import run_examples

    p = load_pack("t", root=mini)
    bad = [r.describe() for r in run_examples(p, "t.abuse.insult.tokens") if not r.ok]
    assert not bad, bad


def test_bad_token_pattern_is_a_load_error(mini):
    d = mini / "t" / "abuse" / "insult"
    d.mkdir(parents=True)
    (d / "tokens.yaml").write_text(TOKENS_RULE.replace('"OP": "?"', '"OP": "??"'), encoding="utf-8")
    with pytest.raises(PackError, match="spaCy"):
        load_pack("t", root=mini)


def test_asr_fillers_and_spaces_do_not_split_phrases(mini):
    fs = findings(mini, "我们 明天 呃 就 上门 嗯")
    assert [f.rule for f in fs] == ["t.threat.visit.home"]
    text = "我 是 呃 城东 派出所 的"
    f = findings(mini, text)[0]
    assert text[f.span[0]:f.span[1]] == f.evidence and "派出所" in f.evidence


def test_zero_width_and_decoration_inside_words_are_dropped():
    from checker.nlp.normalize import normalise

    for raw, want in [("曝★光到你朋★友★圈", "曝光到你朋友圈"), ("拘→留→通→知→书", "拘留通知书"),
                      ("曝\u200b光\u200b你\u200b全\u200b家", "曝光你全家"), ("逮‧捕‧令", "逮捕令"),
                      ("卖⚡肾都要还", "卖肾都要还"), ("老-赖", "老赖"), ("卖🔪肾", "卖肾")]:
        norm, offsets = normalise(raw)
        assert norm == want
        # evidence is still quoted from the original text
        assert raw[offsets[0]] == want[0] and raw[offsets[-1]] == want[-1]
    # decoration next to Latin letters or digits stays; sentence punctuation stays
    assert normalise("App→我的→立即还款")[0] == "app→我的立即还款"
    assert normalise("1+1=2，好的～")[0] == "1+1=2,好的~"


def test_spaces_between_chinese_and_latin_or_digits_are_dropped_like_spaces_between_chinese():
    """A rule phrase loses its spaces when it holds Chinese (其他 app -> 其他app), so the text's
    spaces between a Chinese character and a Latin letter or digit go too; Latin words keep theirs."""
    from checker.nlp.normalize import normalise, normalise_phrase

    assert normalise("你去其他 app 借点")[0] == "你去其他app借点" == "你去" + normalise_phrase("其他 app") + "借点"
    assert normalise("打 110 报警")[0] == "打110报警"
    assert normalise("cao ni ma 还钱")[0] == "cao ni ma还钱"
    norm, offsets = normalise("你去其他 app 借点")
    assert "你去其他 app 借点"[offsets[norm.index("借")]] == "借"


def test_half_width_full_stops_splitting_a_word_are_dropped_and_one_alone_ends_a_sentence():
    from checker.nlp.normalize import normalise

    for raw, want in [("你等着收法.院传.票吧", "你等着收法院传票吧"), ("逮.捕.令已下", "逮捕令已下")]:
        norm, offsets = normalise(raw)
        assert norm == want and raw[offsets[-1]] == want[-1]
    # one stop alone is someone typing with half-width punctuation: it stays, and a denial
    # before it does not reach the threat after it
    assert normalise("我们不会上门.明天带人去你单位")[0] == "我们不会上门.明天带人去你单位"
    assert normalise("余额3.5元.请还款")[0] == "余额3.5元.请还款"
    pack = load_pack("cn").compiled()

    def cats(text):
        ev = Utterance(id="d1", channel="transcript", source=Source("x", 1), speaker="collector", text=text)
        return {f.category for f in scan([ev], pack, "Asia/Shanghai")}

    for dotted in ("你等着收法.院传.票吧", "逮.捕.令明天送到你家"):
        assert cats(dotted) and cats(dotted) == cats(dotted.replace(".", ""))
    assert "threat.visit" in cats("我们不会上门.明天带人去你单位找你")


def test_a_word_list_entry_that_normalises_to_nothing_is_left_out_of_a_glued_phrase():
    """An emoji in a word list (👮) normalises to nothing inside a phrase: glued to literals
    (受@organs委托) it would leave the bare 受委托 and match any commission."""
    from checker.matchers.text import compile_phrase

    ph = compile_phrase("受@organs委托", {"organs": ["👮", "公安", "法院"]}, "x.yaml")
    assert set().union(*ph.parts) == {"受公安委托", "受法院委托"}
    alone = compile_phrase("@organs", {"organs": ["👮", "公安"]}, "x.yaml")
    assert "公安" in set().union(*alone.parts) and "" not in set().union(*alone.parts)


def test_contact_hour_evidence_says_beijing_time_not_cst():
    """CST is also US Central time: in China's zone a contact's time is written 北京时间."""
    from checker.engine import scan, zone
    from checker.io import read_input
    from checker.pack import cached_pack

    data = b'{"id":"n1","channel":"sms","speaker":"collector","time":"2025-03-05T22:30:00+08:00","text":"hi"}\n'
    compiled = cached_pack("cn").compiled()
    events = read_input("n.jsonl", data, zone("Asia/Shanghai")).events
    evidence = [f.evidence for f in scan(events, compiled, zone("Asia/Shanghai"))
                if f.category == "contact.inconvenient_time"]
    assert evidence == ["2025-03-05 22:30:00（北京时间）短信"]
    tokyo = [f.evidence for f in scan(events, compiled, zone("Asia/Tokyo"))
             if f.category == "contact.inconvenient_time"]
    assert tokyo == ["2025-03-05 23:30:00（JST）短信"]


# ------------------------------------------------------------ a whole exchange in one record
def _full(text, speaker="collector", channel="transcript"):
    from checker.engine import zone
    from checker.pack import cached_pack

    ev = Utterance(id="w1", channel=channel, source=Source("x", 1), speaker=speaker, text=text)
    return cached_pack("cn").compiled().scan_event(ev, zone("Asia/Shanghai"))


def test_the_debtors_labelled_turns_in_a_transcript_record_are_not_judged():
    """A QA export may put a whole exchange in one transcript record: the customer's turn
    (quoting what others told them) is not the collector's; the collector's turn is judged
    and its evidence lies in it."""
    lawful = "客户：他们说我不还钱就要坐牢，还要去我单位闹\n客服：欠款是民事纠纷，不会坐牢，我们也不会去您单位。"
    assert _full(lawful) == []
    assert _full("客户：不还钱就等着坐牢吧")  # a single label splits nothing: the record speaker's text
    bad = "客户：我这个月真的没钱\n催收员：没钱就去别的平台借啊，下个口子先把我们这笔还了"
    found = _full(bad)
    assert {f.category for f in found} == {"pressure.new_borrowing"}
    assert all(f.span[0] > bad.index("催收员") for f in found)
    # the debtor's record is never judged, and an SMS is one message whatever colons it holds
    assert _full(bad, speaker="debtor") == []
    assert _full("客户：我这个月真的没钱\n催收员：没钱就去别的平台借啊", channel="sms")


def test_an_unknown_label_in_an_exchange_keeps_the_records_speaker():
    from checker.engine import other_turns_removed

    text = "客户：会不会影响我儿子考公？\n主管：你儿子考公肯定过不了政审"
    assert other_turns_removed(text) == [(text.index("主管"), "主管：你儿子考公肯定过不了政审")]
    assert {f.category for f in _full(text)} == {"false_legal.consequence"}
    assert other_turns_removed("A：您好\nB：还钱") is None  # nobody named: one turn
    assert other_turns_removed("我们会起诉：请知悉") is None


_AGENT_FIRST = "说话人1：您好，我是安信消费金融的，工号3301，请问是刘伟先生吗？\n"


def test_a_whole_call_labelled_only_by_number_gives_the_agents_label_the_collectors_turns():
    """说话人1 / 说话人2 (or A / B) name nobody; when exactly one of the two speaks as an agent does
    (introduces a lender, gives a 工号, asks for the debtor by name, states the debt) and the other
    never does, the other's turns are the debtor's: a debtor retelling threats is not judged, the
    agent's own threat is, whichever label the agent has."""
    from checker.engine import _turn_roles, other_turns_removed

    retold = (_AGENT_FIRST + "说话人2：是我。你们上次说再不还就去我单位闹，还要把我照片发到业主群里，这是人干的事吗？\n"
              "说话人1：刘先生，这种做法是违规的，我们公司不会这么做。您的欠款2,300元，可以申请分期。")
    made = (_AGENT_FIRST + "说话人2：是我，又怎么了\n"
            "说话人1：刘先生，再不还我们就去你单位找你领导，把你照片发到你们业主群里。")
    assert _full(retold) == []
    assert {"threat.visit", "disclosure.public_exposure"} <= {f.category for f in _full(made)}
    # ASR exports' numbered speakers, a space in the label
    assert _full(retold.replace("说话人", "Speaker ")) == []
    assert "threat.visit" in {f.category for f in _full(made.replace("说话人", "SPEAKER "))}
    swapped = retold.replace("说话人1", "B").replace("说话人2", "A")  # the agent is B here
    assert _full(swapped) == []
    turns = other_turns_removed(swapped)
    assert turns and all(not t.startswith("是我") for _o, t in turns) and "工号3301" in turns[0][1]
    # a call record's A / B turns were not judged at all: the agent's now are
    call = made.replace("说话人1", "A").replace("说话人2", "B")
    assert "threat.visit" in {f.category for f in _full(call, channel="call")}
    # no guess without a one-sided cue: neither speaks as an agent, or both do
    assert other_turns_removed("A：还钱\nB：下周吧\nA：你再拖我们就去你单位") is None
    both = [(0, 2, "ambiguous", "A"), (10, 12, "ambiguous", "B")]
    assert _turn_roles("A：我是安信金融的\nB：我是安信金融的", both) == {}
    # a third label leaves the guess alone: the whole text is judged as the record says, the
    # debtor's retelling too (the known gap this narrows, not closes)
    three = retold + "\n说话人3：我是她老公，你们别再打了"
    assert other_turns_removed(three) is None and _full(three) != []


def test_an_agent_who_introduces_herself_as_the_apps_customer_service_is_the_agent():
    """我这边是豆荚分期客服唐甜 is an agent's introduction as much as 我是…贷后: the caller's retold
    threat is then not judged."""
    text = ("Speaker 2: 你们催收发的短信都是啥啊，说再不还就去我单位闹，这也是正规公司？\n"
            "Speaker 1: 同学你好，我这边是豆荚分期客服唐甜。这种短信绝对不是官方发的。\n"
            "Speaker 2: 那就好。")
    from checker.engine import _labelled_marks

    assert {(m[3], m[2]) for m in _labelled_marks(text)} == {("Speaker 1", "collector"), ("Speaker 2", "debtor")}
    assert _full(text, speaker="unknown") == []


def test_numbered_speakers_copied_with_a_space_instead_of_a_colon_are_labels():
    """ASR apps' transcripts copied out as 发言人1 喂 / 说话人2 是我 (the label, a space, the words; no
    colon) are labelled turns at a line's start: the debtor's retold threats are not judged, the
    agent's own threat is. Only numbered speakers — a line that starts with a word and a space is
    never a label — and never an offset (发言人1 00:00:01)."""
    from checker.engine import _labelled_marks, holds_labels

    retold = ("发言人1 喂\n发言人2 喂您好是邓女士吧，我是速融钱包的贷后专员，您的借款逾期十二天了\n"
              "发言人1 上周你们那个男的说再不还就抓我去坐牢，说派出所已经在查我了\n"
              "发言人2 女士您别急，有同事这么说是不对的，逾期是民事纠纷，不会坐牢。")
    made = retold.replace("发言人2 女士您别急，有同事这么说是不对的，逾期是民事纠纷，不会坐牢。",
                          "发言人2 你再不还就抓你去坐牢，派出所已经在查你了。")
    assert holds_labels(retold) and [m[3] for m in _labelled_marks(retold)] == ["发言人1", "发言人2"] * 2
    assert _full(retold, speaker="unknown") == []
    assert {"false_legal.consequence"} <= {f.category for f in _full(made, speaker="unknown")}
    # the same words under a word and a space are one unlabelled text, judged whole
    words = retold.replace("发言人1 ", "他说 ").replace("发言人2 ", "我说 ")
    assert not holds_labels(words) and _full(words, speaker="unknown") != []
    # an offset after the label is a block head, not a turn's words
    assert _labelled_marks("发言人1 00:00:01\n喂\n发言人2 00:00:03\n你好") == []


def test_a_call_the_agent_never_introduces_is_read_by_who_speaks_for_the_company():
    """No 工号, no lender's name, the debtor rings first: the label that speaks for 我们 to 您 is the
    agent's and the one that speaks to and of 你们 the caller's — the caller's retold threat is not
    judged; the agent's own threat, in a call the same shape, is. Names made of verbs are not names:
    喂 听得见吗 asks nothing of a debtor."""
    from checker.engine import other_turns_removed

    inbound = ("说话人1：喂喂 听得见吗 我问个事儿 你们那个人说再不还就去我单位闹 还要把我照片发到业主群里\n"
               "说话人2：您好，我们公司不会这样做，这种说法是违规的，您记得是哪个号码吗，我们这边帮您反馈\n"
               "说话人1：你们到底管不管\n说话人2：您放心，我们已经登记了，您的还款可以申请分期")
    assert _full(inbound) == []
    turns = other_turns_removed(inbound)
    assert turns and all("业主群" not in t for _o, t in turns)
    made = ("A：你们又打来干嘛 我说了月底\nB：月底？您一直拖着我们也没办法，我们这边明天就去你单位找你领导，"
            "把你照片发到你们业主群里\nA：你们凭什么")
    assert {"threat.visit", "disclosure.public_exposure"} <= {f.category for f in _full(made)}


def test_a_call_records_turns_that_name_nobody_are_judged_when_no_role_can_be_told():
    """A call record whose turns are all A / B with no cue either way is judged whole, as a
    transcript record is (its turns were once left unjudged: a QA export's violations went unseen)."""
    from checker.engine import _call_turns

    text = "A：还钱\nB：下周吧\nA：你再拖我们就去你单位找你领导，让你同事都知道"
    assert _call_turns(text) is None
    assert "threat.visit" in {f.category for f in _full(text, channel="call")}
    # a call whose turns say who spoke keeps judging only the collector's
    labelled = "客户：你们再打我就投诉\n催收员：好的，您的账单今天到期"
    assert _call_turns(labelled) == [(labelled.index("好的"), "好的，您的账单今天到期")]


def test_rule_expressions_are_pickled_as_their_source():
    """The on-disk pack cache stores a rule's RE2 expression as its source; it is compiled
    again on first use and matches the same."""
    import pickle

    from checker.matchers.text import LazyRegex

    rx = LazyRegex(r"(?:打|揍)你", None)
    back = pickle.loads(pickle.dumps(rx))
    assert back == rx and back._rx is None
    assert back.search("我揍你").start() == 1 and [m.span() for m in back.finditer("打你揍你")] == [(0, 2), (2, 4)]
    assert back._rx is not None


def test_reporting_frames_found_at_once_are_those_in_the_text_in_the_lexicons_order():
    """``_reported`` tries only the reporting frames that occur in the utterance (found with one
    automaton pass instead of ~700 ``rfind`` calls per anchor): the frames it gets must be
    exactly those a scan of the whole list finds, first occurrence in list order, overlapping
    and nested frames included (他说 inside 听他说, 您说 and 您刚才说)."""
    from checker.matchers.text import _frames_in

    frames = ("您说", "您刚才说", "他说", "听他说", "说", "他说", "催收人员称", "称")
    texts = ["", "听他说您刚才说要上门", "催收人员称他说", "没有任何框架", "说说说", "您说您说"]
    for text in texts:
        want = tuple(dict.fromkeys(f for f in frames if f in text))
        assert _frames_in(frames, text) == want, text
    pack = load_pack("cn")
    from checker.matchers.text import PackLexicon

    lex = PackLexicon.from_settings(pack.settings)
    for text in ["他们说要去你单位", "你跟他说清楚，不然我们明天上门", "投诉说催收人员称要去老家", "我们不会上门"]:
        want = tuple(dict.fromkeys(f for f in lex.reporting if f in text))
        assert _frames_in(lex.reporting, text) == want
    assert _frames_in((), "他说") == ()

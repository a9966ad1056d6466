"""Lawful speech stays clean with the whole pack: reminders, identification, lawful
litigation and credit-report notices, denials, consented visits, anti-fraud advice, a
collector recording a complaint, and the debtor's own words quoting threats."""

import json

from conftest import ROOT, run_cli

LAWFUL = ROOT / "tests" / "fixtures" / "lawful" / "collector_and_debtor.txt"


def test_lawful_transcript_has_no_findings():
    p = run_cli("scan", str(LAWFUL), "--format", "jsonl")
    found = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    assert p.returncode == 0, [(f["record"], f["rule"], f["evidence"]) for f in found]
    assert found == []


def test_the_same_words_as_threats_do_fire():
    # The lawful file shares its vocabulary with these; the pack must still see the violations.
    text = ("催收员:你再不还钱，明天我们就去你单位找你领导\n"
            "催收员:我是城东派出所的，你这个案子已经立案了\n"
            "催收员:不还就把你欠钱的事发到你们公司群里\n")
    p = run_cli("scan", "-", "--format", "jsonl", stdin=text)
    cats = {json.loads(line)["category"] for line in p.stdout.decode().splitlines() if line.strip()}
    assert {"threat.visit", "impersonation.authority", "disclosure.public_exposure"} <= cats


def test_a_threat_quoted_in_single_quotes_and_condemned_is_not_the_speakers_own():
    """QA feedback and complaint replies quote a colleague's threat in ‘…’ or '…' and condemn it
    (属于虚假法律后果, 错误的说法, 不能说, 扣除绩效); the same words outside quotes still fire."""
    quoted = ("催收员:质检反馈：某坐席说‘你孩子以后考公政审过不去’，属于虚假法律后果，扣除当月绩效。\n"
              "催收员:录音显示同事说过'明天去你单位找你领导'，这种话是不能说的，我们向您道歉。\n"
              "催收员:他说的'我们已经立案了'是错误的说法，公司已经处理。\n")
    p = run_cli("scan", "-", "--format", "jsonl", stdin=quoted)
    found = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    assert found == [], [(f["record"], f["rule"], f["evidence"]) for f in found]
    own = "催收员:你孩子以后考公政审过不去，明天去你单位找你领导。\n"
    p = run_cli("scan", "-", "--format", "jsonl", stdin=own)
    cats = {json.loads(line)["category"] for line in p.stdout.decode().splitlines() if line.strip()}
    assert {"false_legal.consequence", "threat.visit"} <= cats


def test_a_list_of_quotations_is_reported_or_condemned_as_one():
    """Training and complaint replies list several forbidden phrases, each in its own quotation
    marks: the reporting frame before the first member and the condemnation after the last one
    hold for every member (before, only the first member was reported and only the last condemned)."""
    listed = ("催收员:节前再强调一遍，下面这些话一个字都不许说：“明天去你单位”“通知你全家”“发你朋友圈”。\n"
              "催收员:录音调出来了，对方确实说了“全村都知道”、“打爆你爸妈手机”，严重违规，已终止合作。\n"
              "催收员:抽查到录音里有“不还钱就去你老家”“叫你们村支书评评理”的说法，涉及人员已严肃处理。\n")
    p = run_cli("scan", "-", "--format", "jsonl", stdin=listed)
    found = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    assert found == [], [(f["record"], f["rule"], f["evidence"]) for f in found]
    # Quotation marks used for emphasis, with no frame before or condemnation after, stay judged.
    own = "催收员:你记住了，“明天不还”“我们就去你单位找你领导”，说到做到。\n"
    p = run_cli("scan", "-", "--format", "jsonl", stdin=own)
    cats = {json.loads(line)["category"] for line in p.stdout.decode().splitlines() if line.strip()}
    assert "threat.visit" in cats


def test_a_modal_denial_covers_its_jiu_clause_and_a_negated_condition_does_not():
    """就 ends the scope of a negated condition (没进展就要打去你家: the debtor's failure, then the
    threat) — also when jieba glues it to the verb (就要) — but not of a modal denial (我们不会一逾期
    就上门: nothing will happen)."""
    denials = ("催收员:您放心，我们不会一逾期就上门，也不会今天就要去您单位。\n"
               "催收员:我们绝不会因为您晚了几天就去找您家里人。\n")
    p = run_cli("scan", "-", "--format", "jsonl", stdin=denials)
    found = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    assert found == [], [(f["record"], f["rule"], f["evidence"]) for f in found]
    threat = "催收员:月底前没进展就要打去你家问下你妈。\n"
    p = run_cli("scan", "-", "--format", "jsonl", stdin=threat)
    cats = {json.loads(line)["category"] for line in p.stdout.decode().splitlines() if line.strip()}
    assert "contact.third_party" in cats
    # 不再 is no modal denial: "no more waiting, then we come" is a threat, found by a text rule.
    p = run_cli("scan", "-", "--format", "jsonl", stdin="催收员:我们不再等了 就直接上门找你\n")
    rules = {json.loads(line)["rule"] for line in p.stdout.decode().splitlines() if line.strip()}
    assert any(r.startswith("cn.threat.visit.") and not r.endswith("second_opinion") for r in rules), rules


def test_a_staff_rule_naming_the_customer_in_the_third_person_is_not_the_speakers_own():
    """Rules for staff speak of 客户 / 借款人 in the third person (不许劝客户去别的平台借钱); what
    they forbid is not the speaker's own act. A QA notice's 涉及人员已停岗 condemns the sayings it
    quotes. The same acts said to the debtor still fire."""
    staff = ("催收员:再提醒新同事：不许劝客户去别的平台借钱、刷卡套现来还。\n"
             "催收员:禁止跟客户讲要去他家。\n"
             "催收员:抽查到录音有“再不还就去你老家”的说法，涉及人员已停岗。\n")
    p = run_cli("scan", "-", "--format", "jsonl", stdin=staff)
    found = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    assert found == [], [(f["record"], f["rule"], f["evidence"]) for f in found]
    own = "催收员:你去别的平台借钱先还上，不然明天就去你单位找领导。\n"
    p = run_cli("scan", "-", "--format", "jsonl", stdin=own)
    cats = {json.loads(line)["category"] for line in p.stdout.decode().splitlines() if line.strip()}
    assert {"pressure.new_borrowing", "threat.visit"} <= cats


def test_numbered_lists_of_banned_phrases_and_retold_insults_are_not_the_speakers_own():
    """Training material numbers its banned phrases (禁用话术：①“…” ②“…”“…”) and case studies
    retell an insult to forbid answering it (严禁回骂“…”“…”之类): the list marker does not
    hide the frame, and 骂 opens a quotation of someone's words like 说."""
    training = ("催收员:新人培训·禁用话术（一律不得使用）：①“不还钱就让你坐牢” ②“发你通讯录”“挂你朋友圈” "
                "③“你孩子以后考公政审过不了”。\n"
                "催收员:案例：客户骂“你们全家死光”，坐席不回应，严禁回骂“你才死全家”“老赖还有脸骂人”之类。\n"
                "催收员:近期有坐席使用“法务部已立案”“案件已移交公安”等表述。此类表述不实，相关模板已下线。\n")
    p = run_cli("scan", "-", "--format", "jsonl", stdin=training)
    found = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    assert found == [], [(f["record"], f["rule"], f["evidence"]) for f in found]
    # Numbered lines that are the collector's own threats stay judged.
    own = "催收员:给你两条路：①今天还清 ②明天我们去你单位找你领导。\n"
    p = run_cli("scan", "-", "--format", "jsonl", stdin=own)
    cats = {json.loads(line)["category"] for line in p.stdout.decode().splitlines() if line.strip()}
    assert "threat.visit" in cats


def test_a_qa_verdict_later_in_the_sentence_condemns_the_quotation():
    """A QA reviewer quotes an agent, states the facts, then rules on it further on in the same
    sentence (判定为施压话术 / 扣5分 / 停岗): the verdict need not follow the quotation's own clause.
    The verdict words are narrower than the clause-local condemnations (no bare 违法 / 不实)."""
    reviewed = ("催收员:复核：坐席在第2分钟说了“今晚我们就到你小区门口等你”，客户没有答应见面，"
                "定性为违规施压，当月扣5分。\n"
                "催收员:外访员小周在客户店里讲了“明天带几个人去你老家看看”，客户当场录音，经核实判为恐吓，停岗一周。\n")
    p = run_cli("scan", "-", "--format", "jsonl", stdin=reviewed)
    found = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    assert found == [], [(f["record"], f["rule"], f["evidence"]) for f in found]
    # Quoted for emphasis and followed by the collector's own words — also a threat to the debtor's job
    # (停职 / 开除 said of 你) — the threat stays judged; so do words after a closed straight quotation.
    for own in ("催收员:“今晚我们就到你小区门口等你”，你看着办，这回一分钱都不能少。\n",
                "催收员:“明天我们就去你单位”，到时候你领导肯定让你停职。\n",
                '催收员:他讲了"你好"，明天带几个人去你老家看看。\n'):
        p = run_cli("scan", "-", "--format", "jsonl", stdin=own)
        cats = {json.loads(line)["category"] for line in p.stdout.decode().splitlines() if line.strip()}
        assert "threat.visit" in cats, own


def test_qa_and_training_framing_holds_for_the_whole_text():
    """A quiz or QA notice (考核题 / 各位坐席 / 质检备注, the list meta_banned_frames) names forbidden
    lines in sentences of their own: no rule judges the text, whatever rule its options would wake
    (before, only the rules that asked for the list skipped it). The same lines said to a debtor fire."""
    quiz = ("催收员:考核题：哪句话可以对客户讲？甲、“你再拖就把你照片挂到网上” 乙、“我跟你们那片派出所所长很熟” "
            "丙、“协商不成，委托方会依法起诉”。正确答案丙。\n")
    p = run_cli("scan", "-", "--format", "jsonl", "--explain", stdin=quiz)
    found = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    assert found == [], [(f["record"], f["rule"], f["evidence"]) for f in found]
    own = "催收员:你再拖就把你照片挂到网上，我跟你们那片派出所所长很熟。\n"
    p = run_cli("scan", "-", "--format", "jsonl", stdin=own)
    cats = {json.loads(line)["category"] for line in p.stdout.decode().splitlines() if line.strip()}
    assert {"disclosure.public_exposure", "impersonation.authority"} <= cats


def test_cantonese_denials_clear_and_cantonese_rhetoric_still_threatens():
    """A Cantonese denial (我哋唔会去你屋企) is lawful for the text rules and the model alike; a
    Cantonese rhetorical 你唔想…嘛 (= 你也不想…吧) and 唔好搞到… ("don't make it come to") are no
    denials: they announce what they name."""
    denial = "催收员:放心，我哋唔会去你屋企嘅，亦都唔会搵你屋企人，有咩同我倾就得。\n"
    p = run_cli("scan", "-", "--format", "jsonl", stdin=denial)
    found = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    assert found == [], [(f["record"], f["rule"], f["evidence"]) for f in found]
    pressing = ("催收员:你个女读紧边间幼儿园我哋都清楚，你唔想佢喺学校俾其他家长指指点点嘛\n"
                "催收员:今日再唔见你转数，唔好搞到我要打去你公司HR度啊\n")
    p = run_cli("scan", "-", "--format", "jsonl", stdin=pressing)
    hits = {(f["record"], f["category"]) for f in map(json.loads, filter(str.strip, p.stdout.decode().splitlines()))}
    assert ("stdin:1", "contact.third_party") in hits and ("stdin:2", "contact.third_party") in hits, hits


def test_ban_lists_court_enforcement_apologies_and_an_untold_contact_are_lawful():
    """An agent reading out what the company forbids (催收人员不得：一、…；四、在朋友圈、业主群曝光), the court
    named as the one that writes to the employer after a judgment, earlier wording quoted and owned as wrong
    (“将上门催收”的措辞不当，已经整改), and an emergency contact called once and told nothing of the debt: no
    rule and no model rule judges them. The collector's own acts in the same words still fire."""
    lawful = ("催收员:公司规定催收人员不得：一、冒充公检法；二、威胁恐吓；三、向第三人透露债务；"
              "四、在朋友圈、业主群曝光。违反的员工直接开除，您遇到可以投诉。\n"
              "催收员:判决生效后法院才会向您的工作单位发协助执行通知书扣划工资，这是法院的执行措施。"
              "现在您的案子还没有起诉，不会发生这种情况。\n"
              "催收员:我们之前短信里“将上门催收”的措辞不当，已经整改，在此向您郑重致歉。\n"
              "催收员:您留的紧急联系人是您哥哥，我们只在联系不上您的那天打过一次确认您的联系方式，没有告诉他欠款的事情。\n")
    p = run_cli("scan", "-", "--format", "jsonl", stdin=lawful)
    found = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    assert found == [], [(f["record"], f["rule"], f["evidence"]) for f in found]
    own = ("催收员:明天就在你们业主群和朋友圈曝光你。\n"
           "催收员:我们会依法发函通知您单位人事部门协助执行，扣划您的工资。\n"
           "催收员:您单位的座机是010-62815533吧？我们只是跟前台核实一下您是不是还在职，不会说别的。\n"
           "催收员:您不还也可以，不过我们明天会把您的欠款情况在网上公示。\n")
    p = run_cli("scan", "-", "--format", "jsonl", stdin=own)
    hits = {(f["record"], f["category"]) for f in map(json.loads, filter(str.strip, p.stdout.decode().splitlines()))}
    assert {("stdin:1", "disclosure.public_exposure"), ("stdin:2", "false_legal.consequence"),
            ("stdin:3", "contact.third_party"), ("stdin:4", "disclosure.public_exposure")} <= hits, hits

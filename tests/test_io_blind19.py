"""What the nineteenth session found collcheck misreading: exports in the shapes QA platforms,
phones and apps write them. Each test fails on the code before its fix."""

from __future__ import annotations

from conftest import run_cli
from test_io_blind17 import HOURS, TZ, _by_line, _scan

from checker.io import read_input

QA_CALLS = (
    "通话ID,坐席工号,客户号码,通话开始时间,通话时长,通话文本\n"
    'C001,A1023,13812345678,2026-11-03 10:15:22,185,"坐席：您好，我是鑫瑞小贷的催收专员，工号1023。客户：嗯。'
    '坐席：您的欠款已经逾期30天了，今天再不还我们就去你单位找你领导。客户：你再骂一句试试，你们就是一群骗子！'
    '坐席：你这种老赖我见多了。"\n'
    'C002,A1023,13987654321,2026-11-03 11:02:10,64,"坐席：您好，这里是鑫瑞小贷，提醒您本期账单已逾期，请尽快还款。'
    '客户：好的我今天处理。坐席：感谢配合，再见。"\n'
    'C003,A2001,13511112222,2026-11-03 22:40:05,30,"坐席：你好，如协商不成我司将依法起诉。客户：知道了。"\n'
)


def test_a_qa_call_list_with_each_calls_whole_transcript_in_one_cell_is_read_as_calls(tmp_path):
    """A QA platform's call list (通话ID, 坐席工号, 客户号码, 开始时间, 通话文本) holds a whole call
    per row. It had been read as a call log with its words left unread (a note asked for
    --columns), and with --columns as text messages: a night call was called a 短信 and the
    customer's own turns (你们就是一群骗子) were judged as the collector's. Now each row is one
    call's transcript: the agent's turns are judged, the customer's never, the call id and the
    agent are kept."""
    f = tmp_path / "qa_calls.csv"
    f.write_text(QA_CALLS, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    said = [e for e in res.events if e.channel == "transcript"]
    assert not res.rejected and len(said) == 3 and res.summary.rows == 3
    assert [e.call for e in said] == [f"{f.name}#C001", f"{f.name}#C002", f"{f.name}#C003"]
    assert [e.agent for e in said] == ["A1023", "A1023", "A2001"]
    # (each row is also its call's record: tests/test_io_blind20.py)
    assert [e.id for e in res.events if e.channel == "call"] == ["C001", "C002", "C003"]
    doc, err = _scan(f)
    assert "are not read" not in err
    lines = _by_line(doc)
    assert {"threat.visit", "abuse.insult"} <= lines[2]
    assert 3 not in lines  # a lawful reminder
    assert lines[4] == {HOURS}  # 依法起诉 is lawful; the call itself was at 22:40
    night = [x["evidence"] for x in doc["findings"] if x["category"] == HOURS]
    assert night and all(("通话" in e or "来电" in e) and "短信" not in e for e in night)
    quoted = " ".join(x["evidence"] for x in doc["findings"])
    assert "骗子" not in quoted  # the customer's words


def test_a_sheet_typed_by_hand_with_a_content_column_is_not_taken_for_whole_calls(tmp_path):
    """Only a QA list (a call id or an agent's id beside the call text) is read as whole calls; a
    person's own sheet of calls with what was said keeps its reading as typed notes."""
    text = ("日期,时间,号码,方式,通话内容\n"
            "2026-11-03,22:41,17012345678,电话,说明天带人去我单位\n"
            "2026-11-04,10:02,17012345678,短信,提醒还款\n")
    f = tmp_path / "my_calls.csv"
    f.write_text(text, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert not any(e.channel == "transcript" for e in res.events)
    p = run_cli("scan", str(f), "--format", "json")
    assert p.returncode in (0, 1), p.stderr.decode()


def test_columns_naming_a_call_id_beside_the_text_read_whole_calls(tmp_path):
    """--columns naming a call id (or agent) and a text column without a role reads one whole call
    per row too; it had been refused as a transcript table without a role column."""
    f = tmp_path / "qa_export.csv"
    f.write_text(QA_CALLS.replace("通话文本", "说明").replace("坐席工号", "员工"), encoding="utf-8")
    doc, err = _scan(f, "--columns", "time=通话开始时间,text=说明,call=通话ID")
    assert "needs a role column" not in err
    lines = _by_line(doc)
    assert {"threat.visit", "abuse.insult"} <= lines[2] and 3 not in lines and lines[4] == {HOURS}
    assert "骗子" not in " ".join(x["evidence"] for x in doc["findings"])


def test_a_lone_question_mark_or_ok_is_not_judged_by_the_model(tmp_path):
    """A collector's chaser 「？」 or 「嗯？」 had been an insult (model probability 0.71) and 「知道了」
    third-party contact (0.84): n-grams the training sets' violations share. The model rules now
    judge no text of fewer than four letters or ideographs; the text rules still judge short
    insults."""
    import json

    rows = [{"id": f"s{i}", "channel": "sms", "time": "2026-11-03T10:00:00+08:00", "speaker": "collector",
             "from": "10690000", "to": "13800000000", "text": t}
            for i, t in enumerate(["？", "嗯？", "知道了", "知道了。", "傻逼"])]
    f = tmp_path / "short.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    doc, _err = _scan(f)
    assert {x["record"] for x in doc["findings"]} == {"s4"}
    assert {x["category"] for x in doc["findings"]} == {"abuse.insult"}


def test_headings_between_the_chats_of_a_pasted_compilation_are_not_message_text(tmp_path):
    """A person pasted several WeChat chats into one file under headings (【和“宏利金融-赵经理”的
    聊天】). A heading had been glued onto the message above it, and the report then named the
    brother's chat (和大哥的聊天) as the company to complain about. Headings are filtered."""
    text = ("【和“宏利金融-赵经理”的聊天】\n"
            "2026/11/6 晚上10:43 宏利金融-赵经理：村里大喇叭一喊，全村都知道你欠钱不还\n"
            "2026/11/7 12:41 宏利金融-赵经理：收到1000元，剩余2,600元请于11月14日前处理。\n\n"
            "【和大哥的聊天】\n"
            "2026/11/13 下午3:10 大哥：志杰，有人加我微信说你欠钱不还\n"
            "2026/11/13 下午3:15 我：哥你别管\n")
    f = tmp_path / "聊天合集.txt"
    f.write_text(text, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert [e.text for e in res.events][:2] == ["村里大喇叭一喊，全村都知道你欠钱不还",
                                                "收到1000元，剩余2,600元请于11月14日前处理。"]
    assert res.summary.filtered == 2 and not res.rejected
    out = tmp_path / "r.md"
    p = run_cli("report", str(f), "-o", str(out))
    assert p.returncode == 1, p.stderr.decode()
    assert "和大哥的聊天" not in out.read_text(encoding="utf-8")


def test_a_bill_pages_footer_note_is_filtered_not_rejected(tmp_path):
    """中国电信's detail page ends with 温馨提示：以上信息仅供参考…: it had been a rejected row, so
    --strict failed an otherwise clean bill."""
    text = ("序号  通话起始时间            通话时长    呼叫类型  对方号码        通话地    通话类型    费用(元)\n"
            "1     2025-03-05 10:40:12   00:00:45    被叫      16511208859     广州      本地        0.00\n"
            "2     2025-03-06 21:05:33   00:01:06    被叫      17012340007     广州      本地        0.00\n\n"
            "合计：2条    费用合计：0.00元\n"
            "温馨提示：以上信息仅供参考，详单查询结果以实际账单为准。\n")
    f = tmp_path / "ctcc.txt"
    f.write_text(text, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert not res.rejected and len(res.events) == 2 and res.summary.filtered == 2


def test_a_transcript_titles_date_and_clock_date_its_blocks(tmp_path):
    """通义听悟's title line 「通义听悟 | 催收电话 2025-03-07 21:35」 had been filtered with its time,
    so the turns had none and a call at 21:35 gave no contact-hours finding."""
    text = ("通义听悟 | 催收电话 2025-03-07 21:35\n\n"
            "发言人1 00:00:01\n喂，您好，这边是易借钱贷后管理中心的，请问是陈志远本人吗？\n\n"
            "发言人2 00:00:13\n嗯，是我。这么晚了还打电话？\n\n"
            "发言人1 00:00:20\n您的账单已经逾期了，请今天处理一下。\n")
    f = tmp_path / "tingwu.txt"
    f.write_text(text, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert [e.time.strftime("%H:%M:%S") for e in res.events] == ["21:35:01", "21:35:13", "21:35:20"]
    doc, _err = _scan(f)
    assert HOURS in {x["category"] for x in doc["findings"]}


def test_a_forwarded_call_among_charge_types_keeps_the_bills_direction(tmp_path):
    """A 主叫号码 / 被叫号码 bill whose 通话类型 holds 本地 / 国内长途 and one 呼转 row: the 呼转 made the
    whole column a call-type column, and every 本地 row was rejected. 呼转 is a service like the
    charges; the number columns give the direction."""
    text = ("用户号码：18922356610\n"
            "序号,主叫号码,被叫号码,起始时间,通话时长(秒),通话地点,通话类型,费用(元)\n"
            "1,18922356610,13827164459,2025-03-03 18:05:40,210,广州,本地,0.00\n"
            "2,17012340007,18922356610,2025-03-06 21:05:33,66,广州,本地,0.00\n"
            "3,057186579013,18922356610,2025-03-07 15:10:05,20,广州,国内长途,0.00\n"
            "4,17012340005,18922356610,2025-03-08 07:30:00,0,广州,呼转,0.00\n")
    f = tmp_path / "wife_ctcc.csv"
    f.write_text(text, encoding="gbk")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert not res.rejected and [e.direction for e in res.events] == ["out", "in", "in", "in"]


QQ_EXPORT = """\ufeff消息记录（此消息记录为文本格式，不支持重新导入）

================================================================
消息分组:我的好友
================================================================
消息对象:速融通-林专员
================================================================

2025-12-20 10:15:20 速融通-林专员
赵磊先生您好，您的借款8,400元已逾期15天，请问今天方便沟通还款吗？

2025-12-20 23:50:02 磊子
你们敢动我儿子试试

================================================================
消息分组:我的好友
================================================================
消息对象:【催收】老K
================================================================

2026-01-18 22:15:45 【催收】老K
赵磊是吧，你儿子在阳光幼儿园大班是吧

2026-01-18 22:20:00 磊子
你们凭什么寄到我单位
"""


def test_a_qq_exports_own_account_is_the_persons_side(tmp_path):
    """QQ's text export names each chat's other party (消息对象); the one sender beside it in every
    chat is the account that exported the file. A note had said so, yet without --debtor that
    account's messages were judged: night-time findings and third-party contact on the debtor's
    own 「你们凭什么寄到我单位」. They are now the person's side, with a note."""
    f = tmp_path / "qq.txt"
    f.write_text(QQ_EXPORT, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert [e.speaker for e in res.events] == ["unknown", "debtor", "unknown", "debtor"]
    doc, err = _scan(f)
    assert "磊子 is the account that exported it" in err
    lines = _by_line(doc)
    assert set(lines) == {21}  # the collector's night-time hint at the child's school
    assert {"contact.third_party", HOURS} <= lines[21]
    doc2, _ = _scan(f, "--collector-speaker", "磊子")
    assert {12, 24} <= set(_by_line(doc2))  # an option still says otherwise


def test_a_bill_copied_from_a_carriers_app_one_call_per_card(tmp_path):
    """中国移动's app shows the bill one call per card — the time, then 被叫 / 主叫 with the number,
    the place and charge, the duration. Copied as text it had been read as an 18-turn transcript
    with no finding (the calls at 07:10 and 22:41 missed). Each card is now a call: 被叫 incoming,
    主叫 the person's own call, the year from the title."""
    text = ("通话详单  2025年03月\n13827164459\n"
            "03-04 07:10:22\n被叫  17012340003\n广东广州  本地\n35秒\n\n"
            "03-04 11:20:47\n被叫  17012340001\n广东广州  本地\n1分35秒\n\n"
            "03-04 22:41:30\n被叫  16511208853\n广东广州  本地\n18秒\n\n"
            "03-04 22:50:02\n主叫  13622081190\n广东广州  本地\n7分00秒\n")
    f = tmp_path / "cmcc_app.txt"
    f.write_text(text, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert res.summary.format == "call-list" and not res.rejected
    got = [(e.time.strftime("%Y-%m-%d %H:%M:%S"), e.direction, e.duration_s) for e in res.events]
    assert got == [("2025-03-04 07:10:22", "in", 35), ("2025-03-04 11:20:47", "in", 95),
                   ("2025-03-04 22:41:30", "in", 18), ("2025-03-04 22:50:02", "out", 420)]
    doc, _err = _scan(f)
    assert set(_by_line(doc)) == {3, 13}


def test_the_report_names_the_debtor_number_a_bills_preamble_states(tmp_path):
    """A carrier bill states the person's number above its table (手机号码：13827164459); the report
    had still said 债务人号码 未能从记录中确定 unless --debtor was given."""
    text = ("中国移动通信 客户详单\n手机号码：13827164459    查询月份：2025年03月\n"
            "起始时间,通信地点,通信方式,对方号码,通信时长,通信类型\n"
            "2025-03-04 07:10:22,广州,被叫,17012340003,35秒,本地\n"
            "2025-03-04 22:41:30,广州,被叫,16511208853,18秒,本地\n")
    f = tmp_path / "cmcc.csv"
    f.write_text(text, encoding="gbk")
    out = tmp_path / "r.md"
    p = run_cli("report", str(f), "-o", str(out))
    assert p.returncode == 1, p.stderr.decode()
    assert "| 债务人号码 | 13827164459 |" in out.read_text(encoding="utf-8")


def test_a_phone_recordings_title_number_ties_the_call_to_its_collector(tmp_path):
    """小米's call-recording text names the other party's number in its title (通话录音  17012340003).
    The number had been dropped with the title: the evidence named no number and --numbers could
    not tie the call to a collector. The other party's turns now come from it."""
    text = ("通话录音  170 1234 0003\n2025-03-04 07:10\n"
            "对方：喂，陈志远吗，恒正资产的。\n我：这才几点啊，七点多你们就打电话？\n"
            "对方：你那笔钱今天必须处理。\n")
    f = tmp_path / "recording.txt"
    f.write_text(text, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert [(e.speaker, e.from_) for e in res.events] == [("collector", "17012340003"), ("debtor", None),
                                                         ("collector", "17012340003")]
    nums = tmp_path / "numbers.txt"
    nums.write_text("恒正资产: 17012340003\n", encoding="utf-8")
    doc, _err = _scan(f, "--numbers", str(nums))
    night = [x for x in doc["findings"] if x["category"] == HOURS]
    assert night and all("17012340003" in x["evidence"] for x in night)


def test_an_agency_named_as_working_for_a_lender_counts_with_it(tmp_path):
    """A numbers file with the lender's own line (鑫融花: 021…) and its agency's (鑫融花委外恒正资产: …
    or 恒正资产（鑫融花委外催收）: …): three connected agency calls and one from the lender on one day
    are four for the lender (limit 3), as with 鑫融花（委外）; they had been counted apart."""
    rows = ["开始时间,对方号码,通话类型,通话时长"]
    for hh, num in (("09", "17012340001"), ("10", "17012340002"), ("11", "17012340003"), ("15", "02160781234")):
        rows.append(f"2025-03-07 {hh}:00:00,{num},呼入,60")
    f = tmp_path / "calls.csv"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for agency in ("鑫融花委外恒正资产", "恒正资产（鑫融花委外催收）"):
        nums = tmp_path / "numbers.txt"
        nums.write_text(f"鑫融花: 02160781234\n{agency}: 17012340001 17012340002 17012340003\n", encoding="utf-8")
        doc, _err = _scan(f, "--numbers", str(nums))
        rules = {x["rule"] for x in doc["findings"]}
        assert "cn.contact.excessive_frequency.connected_calls_daily" in rules, agency


def test_relatives_saved_as_da_ge_biao_ge_er_yi_keep_their_exemption(tmp_path):
    """A message from a number saved as 大哥 / 表哥 / 二姨 that speaks of the debt (催收的说要去老家找爸妈)
    had been judged as a collector's — a contacted-family finding against the brother, and his
    number listed as a collector's — while 姐姐 / 舅舅 / 妈妈 were exempt. Family words as families
    say them keep the exemption."""
    blocks = []
    for i, name in enumerate(["大哥", "表哥", "二姨", "小舅", "堂妹", "姐姐"]):
        blocks.append(f"发件人：{name} 1390000100{i}\n时间：2025-03-1{i} 10:00:00\n"
                      "内容：催收的说要去老家找爸妈，你赶紧处理一下欠款\n")
    f = tmp_path / "sms.txt"
    f.write_text("\n".join(blocks), encoding="utf-8")
    doc, err = _scan(f)
    assert doc["findings"] == []
    assert "大哥、表哥、二姨" in err


def test_wecom_and_dingtalk_titles_are_not_rejected_rows(tmp_path):
    """企业微信 会话记录 与 … and 钉钉 单聊记录 导出 above a pasted chat had been rejected rows ("a line
    before the first '昵称 2024-03-05 21:13:02' line"), so --strict failed a clean paste."""
    for title in ("企业微信 会话记录 与 安和资产-陈主管", "钉钉 单聊记录 导出"):
        f = tmp_path / "paste.txt"
        f.write_text(f"{title}\n\n安和资产-陈主管 2025-05-20 09:10\n您好，您的账单已逾期，请今天处理。\n\n"
                     "李明 2025-05-20 09:15\n好的\n", encoding="utf-8")
        res = read_input(f.name, f.read_bytes(), TZ)
        assert not res.rejected and len(res.events) == 2, title


def test_a_document_heading_in_brackets_is_not_a_lenders_signature(tmp_path):
    """【立案通知书】 at the head of a fake notice had been listed as the lender's SMS signature (and
    named in the complaint draft as the party to complain about); 【花花贷】 is the signature."""
    f = tmp_path / "sms.txt"
    f.write_text("2025-03-10 10:00 10690001：【花花贷】您的借款已逾期，请尽快还款。\n"
                 "2025-03-11 10:00 10690001：【立案通知书】你已被立案，请于三日内到案说明。\n", encoding="utf-8")
    out = tmp_path / "r.md"
    run_cli("report", str(f), "-o", str(out))
    md = out.read_text(encoding="utf-8")
    assert "| 短信署名中的平台 | 【花花贷】（1 条消息） |" in md and "立案通知书（短信署名）" not in md


def test_the_chinese_speaker_note_does_not_tell_a_person_to_name_the_collector_as_themselves():
    """The web page's Chinese for "labels do not say who is the collector" had said the person's own
    words were judged too (they were not: 我： is the debtor's) and told them to enter their own
    name from among the labels — with one label, the collector's, which would stop every
    collector line being judged. It now says both ways conditionally, as the English does."""
    from checker.io.common import ambiguous_note
    from checker.web.plain import body_zh

    zh = body_zh(ambiguous_note("chat.txt", "speaker labels", ["速易借-李专员"]).split(": ", 1)[1])
    assert zh is not None
    assert "你自己说的话也算在内" not in zh and "里你的那个" not in zh
    assert "如果其中有你自己在聊天里的名字" in zh and "如果 速易借-李专员 是催收员" in zh


def test_the_report_gives_rejected_rows_reasons_in_chinese_and_numbers_once(tmp_path):
    """The Chinese report had listed a rejected row's reason in English (time '2026/13/45' is not a
    date …) and the complaint draft a number named by itself as 16500001002：16500001002."""
    f = tmp_path / "calls.csv"
    f.write_text("开始时间,对方号码,通话类型,通话时长\n2026/13/45 10:00:00,17012340001,呼入,60\n"
                 "2026-03-05 22:10:00,16500001002,呼入,60\n", encoding="utf-8")
    out = tmp_path / "r.md"
    run_cli("report", str(f), "-o", str(out))
    md = out.read_text(encoding="utf-8").split("```json")[0]  # the text people read, not the JSON for verify
    assert "第 2 行（时间“2026/13/45 10:00:00”不是有效的日期时间" in md and "is not a date" not in md
    assert "16500001002：16500001002" not in md and "催收号码：16500001002" in md


def test_the_pdf_does_not_suggest_verifying_itself(tmp_path):
    """The PDF's manifest had said 可运行：collcheck verify r.pdf …, which refuses a PDF."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:  # pragma: no cover - CI installs poppler-utils
        raise AssertionError("pdftotext is needed (poppler-utils)")
    f = tmp_path / "calls.csv"
    f.write_text("开始时间,对方号码,通话类型,通话时长\n2026-03-05 22:10:00,16500001002,呼入,60\n", encoding="utf-8")
    out = tmp_path / "r.pdf"
    run_cli("report", str(f), "-o", str(out))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert "collcheckverifyr.pdf" not in flat and "verify不能读PDF" in flat


def test_redaction_masks_a_guarantor_named_in_a_message():
    """--redact had left 你的担保人赵建国先生 whole (担保人 was not among the words before a name)."""
    from checker.report.redact import Redactor

    r = Redactor.make(True, set(), ())
    assert r.text("已经联系了你的担保人赵建国先生和你表哥陈刚") == "已经联系了你的担保人赵**先生和你表哥陈*"


def test_the_pdf_says_whose_lines_were_judged(tmp_path):
    """The HTML and Markdown summaries say whose lines were judged where a file's labels did not say
    (谁的话被判断); the PDF had left it out."""
    import subprocess

    f = tmp_path / "chat.txt"
    f.write_text("说话人1：您好，我是速易借的催收专员，您的借款逾期了。\n说话人2：我知道，下周还。\n"
                 "说话人1：再不还我们就去你单位找你领导。\n", encoding="utf-8")
    out = tmp_path / "r.pdf"
    run_cli("report", str(f), "-o", str(out))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True).stdout.decode()
    assert "谁的话被判断" in "".join(text.split())


def test_a_collector_saved_as_wang_xiaojie_is_still_judged(tmp_path):
    """小姐 / 小哥 are how anyone is addressed, not family: a number saved as 王小姐 whose message
    speaks of the debt stays a possible collector, while 小姨 keeps the family exemption."""
    blocks = [f"发件人：{name} 1390000200{i}\n时间：2025-03-1{i} 22:30:00\n内容：你的欠款再不还我们就去你单位找你领导\n"
              for i, name in enumerate(["王小姐", "小姨"])]
    f = tmp_path / "sms.txt"
    f.write_text("\n".join(blocks), encoding="utf-8")
    doc, _err = _scan(f)
    assert {x["source"]["line"] for x in doc["findings"]} == {1}  # 王小姐's block, not 小姨's

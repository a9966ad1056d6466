"""What the twentieth session's outside testers found collcheck misreading: phone message exports,
QA call lists, gzip batches, reports. Each test fails on the code before its fix."""

from __future__ import annotations

from conftest import run_cli
from test_io_blind17 import TZ, _scan

from checker.io import read_input
from checker.parties import signatures

SHORT_CODE_SMS = ("2025年11月13日\n"
                  "09:30 1069055512345：【快易花】您好，您的借款今日到期，应还1,050.00元。\n"
                  "12:00 1069055512345：【快易花】提醒：今日为还款日，请保持余额充足。\n"
                  "22:40 1069055512345：【快易花】最后通知：请今日还款。\n")


def test_a_long_short_message_code_after_a_clock_is_the_messages_sender(tmp_path):
    """Messages copied by hand under a date line, each headed by a 13-digit 106 code
    (22:40 1069055512345：…), had been read as a call's transcript: four SMS became four
    connected calls from 未知号码, and the number was glued into the quoted text. An 11-digit
    number in the same layout was read right; a sender label was cut at 12 characters."""
    f = tmp_path / "sms.txt"
    f.write_text(SHORT_CODE_SMS, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert res.summary.format == "text"
    assert [e.channel for e in res.events] == ["sms"] * 3
    assert {e.from_ for e in res.events} == {"1069055512345"}
    assert all(e.text.startswith("【快易花】") for e in res.events)
    doc, _err = _scan(f, "--numbers", str(_numbers(tmp_path, "快易花: 1069055512345")))
    night = [x for x in doc["findings"] if x["category"] == "contact.inconvenient_time"]
    assert [x["source"]["line"] for x in night] == [4]


def _numbers(tmp_path, line: str):
    p = tmp_path / "numbers.txt"
    p.write_text(line + "\n", encoding="utf-8")
    return p


def test_a_bracketed_platform_inside_a_message_is_not_its_signature(tmp_path):
    """去【闪电借】【米来花】上面再借点 names platforms to borrow from; they had been listed among the
    messages' signatures and named in the complaint draft as parties to complain about. A
    signature stands at a message's start or its end (before an opt-out note)."""
    assert signatures("实在还不上就去【闪电借】【米来花】上面再借点周转一下嘛") == []
    assert signatures("【速易借】您的账单已逾期") == ["速易借"]
    assert signatures("您的账单已逾期，请尽快还款【速易借】回T退订") == ["速易借"]
    f = tmp_path / "sms.txt"
    f.write_text("2025-03-10 10:00 10690001：【恒远金融】您的借款已逾期，请尽快还款。\n"
                 "2025-03-11 10:00 10690001：实在还不上就去【闪电借】【米来花】上面再借点周转一下嘛，"
                 "先把我们这笔平了\n",
                 encoding="utf-8")
    out = tmp_path / "r.md"
    run_cli("report", str(f), "-o", str(out))
    md = out.read_text(encoding="utf-8")
    assert "| 短信署名中的平台 | 【恒远金融】（1 条消息） |" in md
    assert "【闪电借】（" not in md and "闪电借、" not in md and "、闪电借" not in md


def test_numbers_that_only_mention_the_same_platform_are_not_joined_into_one_collector():
    """Two numbers whose messages both tell the person to borrow on 【闪电借】 are not one sender."""
    from checker.model import MessageEvent, Source
    from checker.parties import Directory, group_by_signature, normalise_number

    def msg(n: str, text: str) -> MessageEvent:
        return MessageEvent(id=n, channel="sms", source=Source("f", 1, None), time=None, direction="in",
                            from_=n, speaker="unknown", text=text)

    d = group_by_signature([msg("16500001001", "去【闪电借】借点先还上"),
                            msg("16500002002", "你可以去【闪电借】借点先还上")], Directory())
    a, b = normalise_number("16500001001"), normalise_number("16500002002")
    assert a not in d.groups and b not in d.groups
    same = group_by_signature([msg("16500001001", "【闪电借】您的借款已逾期"),
                               msg("16500002002", "您的借款已逾期，请尽快还款【闪电借】")], Directory())
    assert same.groups[a] == same.groups[b] == "闪电借"  # a shared signature still joins them


def test_a_redacted_report_masks_the_name_in_the_cue_that_told_the_collectors_label(tmp_path):
    """The report says whose lines were judged and quotes the words that told it (「喂，您好，请问是
    赵明辉先生吗」). With --redact-name 赵明辉 the quotes of findings were masked but that cue was
    not: the summary, the manifest and its embedded JSON showed the name four times."""
    f = tmp_path / "call.txt"
    f.write_text("说话人1：喂，您好，请问是赵明辉先生吗？\n说话人2：我是，你哪位？\n"
                 "说话人1：我是速易借的，你的欠款已经逾期三个月了，今天必须还。\n说话人2：我没钱。\n"
                 "说话人1：再不还我们就去你单位找你领导。\n", encoding="utf-8")
    out = tmp_path / "r.md"
    p = run_cli("report", str(f), "--redact", "--redact-name", "赵明辉", "-o", str(out))
    assert p.returncode in (0, 1), p.stderr.decode()
    md = out.read_text(encoding="utf-8")
    assert "像催收员那样说话" in md  # the cue is still shown …
    assert "赵明辉" not in md  # … masked


def test_a_gbk_bill_with_one_damaged_byte_is_read_and_the_line_is_named(tmp_path):
    """A carrier bill in GBK with one stray byte (0x81 before a comma on line 4) had been refused
    whole with "line 1 … byte 0" (the place UTF-8 first failed, which in a GBK file is its first
    Chinese character). Now the file is read; the damaged line is named in a note, and a file that
    is not text at all is still refused with the line where GBK stops."""
    rows = ["起始时间,通信地点,通信方式,对方号码,通信时长",
            "2026-03-04 07:41:12,上海,被叫,17012340001,1分23秒",
            "2026-03-04 09:30:14,上海,被叫,17012340001,2分00秒",
            "2026-03-04 10:30:14,上海,被叫,17012340001,2分00秒",
            "2026-03-04 11:30:14,上海,被叫,17012340001,2分00秒",
            "2026-03-04 12:30:14,上海,被叫,17012340001,2分00秒"]
    data = "\n".join(rows).encode("gbk").split(b"\n")
    data[3] = data[3].replace("上海,".encode("gbk"), "上海".encode("gbk") + b"\x81,", 1)
    f = tmp_path / "bill.csv"
    f.write_bytes(b"\n".join(data) + b"\n")
    p = run_cli("scan", str(f), "--format", "json")
    err = p.stderr.decode()
    assert p.returncode in (0, 1), err
    assert "1 line(s) (4) hold bytes that are not GB18030 text" in err
    import json

    doc = json.loads(p.stdout)
    assert any(x["category"] == "contact.inconvenient_time" for x in doc["findings"])  # the 07:41 call
    junk = tmp_path / "photo.csv"
    junk.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(128, 256)) * 40)
    q = run_cli("scan", str(junk))
    assert q.returncode == 2 and "Traceback" not in q.stderr.decode()


def _batch_lines(n: int) -> bytes:
    import json

    return "".join(json.dumps({"id": f"r{i}", "channel": "sms", "time": f"2026-11-25T10:{i % 60:02d}:00+08:00",
                               "speaker": "collector", "text": f"您好，请于本月{i % 28 + 1}日前还款。"},
                              ensure_ascii=False) + "\n" for i in range(n)).encode("utf-8")


def test_an_empty_gzip_batch_is_an_error_like_an_empty_file(tmp_path):
    """A gzip file that unpacks to nothing had passed as a clean batch (0 findings, exit 0): a
    failed nightly export looked like a clean day. It is now "the file is empty", exit 2."""
    import gzip

    f = tmp_path / "empty.jsonl.gz"
    f.write_bytes(gzip.compress(b""))
    p = run_cli("scan", str(f))
    assert p.returncode == 2
    assert "the file is empty" in p.stderr.decode() and "gzip" in p.stderr.decode()


def test_a_gzip_cut_short_is_read_up_to_the_cut_and_says_so(tmp_path):
    """A gzip batch cut short had been refused with "not UTF-8 … (byte 1)": nothing read, and
    the wrong reason. The lines before the cut are read, a note says the data is cut short, and
    the line the cut falls in is a rejected row; the scan ends with exit 2 once its output is
    written, as a streamed batch cut short does."""
    import gzip

    whole = gzip.compress(_batch_lines(400))
    f = tmp_path / "cut.jsonl.gz"
    f.write_bytes(whole[: len(whole) * 2 // 3])
    p = run_cli("scan", str(f), "--format", "json")
    err = p.stderr.decode()
    assert p.returncode == 2, err  # as a streamed batch cut short: the findings written, then exit 2
    assert "the gzip data is cut short or damaged after line" in err and "not UTF-8" not in err
    import json

    doc = json.loads(p.stdout)
    read = doc["inputs"][0]
    assert 0 < read["events"] < 400
    assert read["events"] + len(read["rejected"]) == read["rows"]


def test_a_gzip_batch_named_jsonl_is_unpacked(tmp_path):
    """A gzip batch saved without .gz (batch.jsonl) had been refused as "not UTF-8 … text";
    formats are known by their content, so it is unpacked like a .gz."""
    import gzip

    f = tmp_path / "batch.jsonl"
    f.write_bytes(gzip.compress(_batch_lines(5) + '{"id": "x", "channel": "sms", "speaker": "collector", '
                                '"text": "你这种老赖就是欠骂"}\n'.encode()))
    doc, err = _scan(f)
    assert "not UTF-8" not in err
    assert doc["inputs"][0]["events"] == 6
    assert {x["record"] for x in doc["findings"]} == {"x"}


def test_json_row_errors_say_what_is_wrong(tmp_path):
    """"Unterminated string starting at at column 109" (the word doubled), and a date that does
    not exist (2026-11-31) had been called "not ISO 8601", which it is."""
    f = tmp_path / "b.jsonl"
    f.write_text('{"id": "a", "channel": "sms", "text": "未完\n'
                 '{"id": "b", "channel": "sms", "time": "2026-11-31T10:00:40+08:00", "text": "您好"}\n',
                 encoding="utf-8")
    doc, _err = _scan(f)
    reasons = [r["reason"] for r in doc["inputs"][0]["rejected"]]
    assert len(reasons) == 2
    assert "at at" not in reasons[0] and "Unterminated string starting at column" in reasons[0]
    assert "no real date and time" in reasons[1] and "not ISO 8601" not in reasons[1]


def test_the_complaint_counts_a_transcribed_night_call_once(tmp_path):
    """Each collector line of a transcribed call is a contact-hours finding of its own (the finding
    contract), and the complaint draft had counted and listed each: 「22:00至次日8:00之间联系 20 次」
    with the same 23:30 call eight times, while the report's summary said 13 contacts. The draft
    now counts contacts: a transcribed call once, and not again beside the bill's entry for it."""
    call = tmp_path / "call.txt"
    call.write_text("[2026-03-09 23:30:00] 催收员：喂，是李明吗？\n[2026-03-09 23:30:10] 我：是的。\n"
                    "[2026-03-09 23:30:20] 催收员：你欠的钱今天必须还。\n"
                    "[2026-03-09 23:30:40] 催收员：再不还我们明天就去你单位找你领导。\n", encoding="utf-8")
    other = tmp_path / "call2.txt"
    other.write_text("[2026-03-10 07:30:00] 催收员：李明，起床了没有，钱准备好了吗？\n"
                     "[2026-03-10 07:30:09] 我：还没有。\n"
                     "[2026-03-10 07:30:20] 催收员：今天中午之前必须还。\n", encoding="utf-8")
    bill = tmp_path / "bill.csv"
    bill.write_text("起始时间,通信方式,对方号码,通信时长\n2026-03-09 23:30:15,被叫,17012340001,1分10秒\n"
                    "2026-03-09 14:00:00,被叫,17012340001,0分50秒\n", encoding="utf-8")
    # (a message at the same minute as the 07:30 call is no call log entry: the call still counts)
    sms = tmp_path / "sms.txt"
    sms.write_text("2026-03-10 07:31 16500001001：【速易借】请今天还款。\n", encoding="utf-8")
    out = tmp_path / "r.md"
    p = run_cli("report", str(bill), str(call), str(other), str(sms), "-o", str(out))
    assert p.returncode in (0, 1), p.stderr.decode()
    md = out.read_text(encoding="utf-8")
    assert "22:00至次日8:00之间联系 3 次" in md  # the 23:30 call, the 07:30 call, the 07:31 message
    assert "22:00–08:00 3 次" in md
    # the bill's number is named for what was said in the call it holds (the transcript names none)
    assert "来电（号码 17012340001，通话记录中为 2026-03-09 23:30:15）中对方说（call.txt第 4 行）" in md


def test_the_complaint_says_the_credit_card_measure_binds_banks_only(tmp_path):
    """The draft had listed 《商业银行信用卡业务监督管理办法》第六十八条 among the rules an online lender's
    collector broke, with no word that it binds commercial banks' card business only (the
    appendix said so)."""
    f = tmp_path / "sms.txt"
    f.write_text("2026-03-10 10:00 17012340001：你再不还钱我们就打电话给你妈和你单位领导，让他们都知道你欠钱不还。\n",
                 encoding="utf-8")
    out = tmp_path / "r.md"
    run_cli("report", str(f), "-o", str(out))
    md = out.read_text(encoding="utf-8")
    rules = [ln for ln in md.splitlines() if ln.startswith("部门规章：")]
    assert rules and "《商业银行信用卡业务监督管理办法》" in rules[0]
    assert "只约束商业银行的信用卡业务" in rules[0]


QA_LIST = ("通话ID,坐席工号,客户号码,开始时间,时长,通话文本\n"
           + "".join(f'T{i},CS1003,13612340008,2026-11-26 {9 + i}:05:00,120,"坐席：您好，我是恒正资产工号CS1003，'
                     '提醒您还款。\n客户：好的。"\n' for i in range(1, 6))
           + "T6,CS1003,13612340008,2026-11-26 17:50:00,0,\n"
           + 'T7,CS1004,13900001111,2026-11-26 10:00:00,60,"坐席：您好，提醒您还款。客户：好。"\n'
           + "T8,CS1004,13900001111,2026-11-27 07:55:00,0,\n")


def test_a_qa_call_lists_rows_count_for_the_daily_limits_and_empty_rows_are_attempts(tmp_path):
    """A QA call list (one whole call per row) had been judged for its words only: five connected
    calls to one customer in a day gave no frequency finding, a row with no transcript (a missed
    07:55 call) was filtered as "a sentence row with no text", and findings could not be traced to
    the call id or the customer. Each row is now also its call's record — per customer (客户号码),
    with its 通话ID as record id — and a row without words is an unanswered attempt."""
    f = tmp_path / "qa_list.csv"
    f.write_text(QA_LIST, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    calls = [e for e in res.events if e.channel == "call"]
    assert [c.id for c in calls] == [f"T{i}" for i in range(1, 9)]
    assert {c.to for c in calls[:6]} == {"13612340008"} and calls[6].to == "13900001111"
    assert [c.status for c in calls] == ["answered"] * 5 + ["missed", "answered", "missed"]
    assert res.summary.rows == 8 and not res.rejected and res.summary.filtered == 0
    doc, _err = _scan(f)
    daily = [x for x in doc["findings"] if x["rule"] == "cn.contact.excessive_frequency.connected_calls_daily"]
    assert len(daily) == 1 and daily[0]["records"] == ["T1", "T2", "T3", "T4", "T5"]  # not T7: another customer
    night = [x for x in doc["findings"] if x["category"] == "contact.inconvenient_time"]
    assert [x["record"] for x in night] == ["T8"]


def test_a_quote_is_not_cut_inside_a_bracket(tmp_path):
    """A finding's quote began after the 【 of a message's signature (「融易达】刘强：你的逾期已上报…」);
    a quote that holds a closing bracket now takes its opening one."""
    f = tmp_path / "sms.txt"
    msg = "【融易达】刘强：你的逾期已上报，你名下所有银行卡、微信、支付宝将在48小时内全部冻结，身份证也将被注销"
    f.write_text(f"2025-11-12 20:00 1069088886666：{msg}\n", encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    assert [e.from_ for e in res.events] == ["1069088886666"]  # one dated message: its number is its sender
    assert res.events[0].text.startswith("【融易达】")
    doc, _err = _scan(f)
    quotes = [x["evidence"] for x in doc["findings"] if x.get("span")]
    assert quotes
    for q in quotes:
        assert ("】" in q) <= ("【" in q), q
    for x in doc["findings"]:
        if x.get("span"):
            s, e = x["span"]
            assert x["evidence"] == msg[s:e]
    from checker.engine import _paired

    text = "【融易达】刘强：你的逾期已上报"
    assert _paired(text, 1, len(text)) == (0, len(text))
    text = "他说“明天去你家”吧"
    assert _paired(text, 2, 8) == (2, 9) and _paired(text, 3, 7) == (3, 7)


def test_a_cut_sms_backup_says_how_many_messages_are_lost(tmp_path):
    """A backup cut short named the line where the XML breaks off, but its summary said 1 row
    unreadable while the backup's own count said six messages were lost."""
    body = "".join(f'  <sms protocol="0" address="1069012345" date="17000000{i:02d}000" type="1" '
                   f'body="您好，请按时还款{i}" readable_date="2023年11月14日" />\n' for i in range(13))
    f = tmp_path / "sms-20251109.xml"
    f.write_text("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"19\">\n" + body
                 + '  <sms protocol="0" address="1069012345" date="1700000099000" type="1" bo', encoding="utf-8")
    doc, _err = _scan(f)
    reasons = [r["reason"] for r in doc["inputs"][0]["rejected"]]
    assert any("the backup says it holds 19 records and 13 were read: 6 are lost" in r for r in reasons), reasons


def test_a_batch_record_whose_words_are_in_an_unknown_field_is_rejected_with_its_line(tmp_path):
    """A transcript record with its words in "content" (not the contract's "text") had been read as
    a record with nothing to judge — 「去你家门口泼油漆」 unjudged — and only a note without a line
    said "ignored unknown field(s): content". It is now a rejected row naming the field, on both
    the general and the streaming path."""
    import json

    recs = [{"id": "X1", "channel": "transcript", "speaker": "collector", "text": "请尽快还款"},
            {"id": "X2", "channel": "transcript", "speaker": "collector", "content": "再不还钱就去你家门口泼油漆"},
            {"id": "X3", "channel": "call", "time": "2026-11-26T10:00:00+08:00", "note": "客户挂断"}]
    f = tmp_path / "b.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    outs = []
    for jobs in ("1", "2"):
        p = run_cli("scan", str(f), "--jobs", jobs, "--format", "jsonl")
        err = p.stderr.decode()
        assert f'{f}:2: a transcript record with no "text": its field "content" holds the words' in err
        assert f"{f}:3:" not in err  # a call's note is no words to judge
        outs.append(p.stdout)
    assert outs[0] == outs[1]


def test_a_bill_row_with_its_duration_in_words_is_a_call_of_unknown_length(tmp_path):
    """A bill row with a good time and number but its duration written 约两分钟 had been rejected
    whole: that collector's 22:30 call was missing from the night findings. It is now a call of
    unknown length (an attempt), with a note naming the line; a duration that is no duration at
    all still rejects its row."""
    f = tmp_path / "bill.csv"
    f.write_text("起始时间,通信方式,对方号码,通信时长\n2026-03-16 22:30:00,被叫,16500001001,约两分钟\n"
                 "2026-03-16 12:30:00,被叫,16500001001,1分02秒\n2026-03-16 13:30:00,被叫,16500001001,abc\n",
                 encoding="utf-8")
    doc, err = _scan(f)
    assert "1 row(s) give the duration in words (line 2)" in err
    assert [r["line"] for r in doc["inputs"][0]["rejected"]] == [4]
    night = [x for x in doc["findings"] if x["category"] == "contact.inconvenient_time"]
    assert [x["source"]["line"] for x in night] == [2]


def test_the_chart_marks_over_limit_only_on_days_over_a_limit():
    """Chart 1 wrote 超限 on days that had only the low advisory count (more than 3 attempts, which
    its own finding says is no legal threshold)."""
    from datetime import datetime, timedelta

    from checker.engine import scan, zone
    from checker.model import CallEvent, Source
    from checker.pack import cached_pack
    from checker.report.model import build as build_report

    tz = zone("Asia/Shanghai")
    start = datetime(2026, 3, 2, 9, 0, tzinfo=tz)

    def call(day: int, k: int, status: str) -> CallEvent:
        return CallEvent(id=f"c{day}-{k}", channel="call", source=Source("f.csv", day * 10 + k, None),
                         time=start + timedelta(days=day, hours=k), direction="in", from_="16500001001",
                         duration_s=60 if status == "answered" else 0, status=status)

    events = [call(0, k, "missed") for k in range(4)] + [call(1, k, "answered") for k in range(4)]
    pack = cached_pack("cn")
    findings = list(scan(events, pack.compiled(), tz))
    assert any(f.severity == "low" and f.date == "2026-03-02" for f in findings)
    report = build_report(findings, events, [], pack, tz)
    days = {d["date"]: d for d in report.charts["per_day"]}
    assert days["2026-03-02"]["frequency_findings"] and not days["2026-03-02"]["over_limit"]
    assert days["2026-03-03"]["over_limit"]


def test_a_debtor_sending_the_agent_away_is_told_from_the_agent(tmp_path):
    """说话人1：滚 别他妈再打了 / 说话人2：先生您先消消气 我只是提醒您账单金额是1340 — neither label named,
    no strong cue either way: the roles had been left open and every turn judged, so the debtor's
    curses were findings against the agent. Sending the caller away (滚, 别再打了, 有完没完, 一分钱都
    不会还) is the called party's; reminding of the amount due and pointing to the service line
    are the agent's. A collector's own demand still keeps his turns judged."""
    from checker.roles import turn_roles

    turns = [("说话人1", "滚 别他妈再打了"), ("说话人2", "先生您先消消气 我只是提醒您账单金额是1340"),
             ("说话人1", "我说了滚 听不懂人话吗"),
             ("说话人2", "好的 那我这边先挂了 您冷静下来之后可以联系惠满贷客服协商")]
    assert turn_roles(turns)[0] == {"说话人1": "debtor", "说话人2": "collector"}
    rude = [("A", "你他妈有完没完 钱到底还不还"), ("B", "您好 我只是提醒您账单金额是1340 可以联系客服")]
    assert turn_roles(rude)[0] == {}  # A demands the money: never set aside
    f = tmp_path / "b.jsonl"
    import json

    f.write_text(json.dumps({"id": "v1", "channel": "transcript", "speaker": "collector",
                             "text": "\n".join(f"{a}：{b}" for a, b in turns)}, ensure_ascii=False) + "\n",
                 encoding="utf-8")
    doc, _err = _scan(f)
    assert not [x for x in doc["findings"] if x["category"] == "abuse.insult"]


QQ_GROUP = """消息记录（此消息记录为文本格式，不支持重新导入）

================================================================
消息分组:我的QQ群
================================================================
消息对象:华东事业部全体
================================================================

2025-03-13 09:02:11 张伟(30011001)
今天下午两点项目评审会，大家准时

2025-03-13 09:15:40 速易借-李专员(88990011)
各位同事好，打扰大家了。贵部门周晓峰在我平台借款4386元逾期至今，本人失联，请知情者督促其尽快还款！

2025-03-13 09:16:02 刘婷(30011002)
这是谁拉进来的？

2025-03-13 09:18:30 王建国(30011003)
请你立刻退群，不然我们报警了
"""


def test_a_colleagues_work_group_given_as_their_log_judges_only_the_collector(tmp_path):
    """A colleague's QQ work group given with --third-party 同事=FILE: every colleague's own post had
    been a "collector contact" (同事的手机 … 收到催收方 张伟 的微信消息：「今天下午两点项目评审会…」) and the
    report named the colleagues as collectors. In a relative's or colleague's own chat, senders known
    by name are the people in it unless named as collectors (--collector-speaker, or a lender's
    or agency's name such as 速易借-李专员)."""
    own = tmp_path / "own.txt"
    own.write_text("2025-03-12 10:00 16500001001：周晓峰，您的借款已逾期，请尽快还款。\n", encoding="utf-8")
    group = tmp_path / "group.txt"
    group.write_text(QQ_GROUP, encoding="utf-8")
    numbers = _numbers(tmp_path, "速易借: 16500001001")
    p = run_cli("scan", str(own), "--numbers", str(numbers), "--third-party", f"同事={group}", "--format", "json")
    err = p.stderr.decode()
    import json

    doc = json.loads(p.stdout)
    logged = [x for x in doc["findings"] if x["rule"] == "cn.contact.third_party.relative_log"]
    assert len(logged) == 1 and "速易借-李专员" in logged[0]["evidence"]
    assert not any(n in x["evidence"] for x in doc["findings"] for n in ("张伟", "刘婷", "王建国"))
    assert "3 message(s) in a relative's or colleague's own chat (--third-party) from senders not named" in err


SCREENSHOT = """16:23
.ıll 5G 📶 76
<        速易借-李专员        ···

                3月12日 下午3:58

你好，请问是刘婷吗？我是速易借贷后部的，周晓峰是你们部门的吧

我：是的，有什么事吗

                下午4:01

他在我们平台的借款已经逾期二十多天了，一直联系不上，麻烦你转告他尽快还款

你们单位王主任电话我们有，不想闹到领导那边就让他今天把钱还了

我：我跟他不熟，你们找他本人吧

        ———— 以下为新消息 ————

按住 说话
"""


def test_a_chat_screenshots_text_keeps_each_bubble_the_other_partys(tmp_path):
    """Text copied out of a WeChat screenshot (status bar, title bar, centred times, 我： marking the
    person's own bubbles): every unmarked bubble after the first 我： had been given 我 as its
    speaker (a third party's own words, never judged) — 0 findings — and the second bubble under one
    centred time had no time. The screenshot is now read as messages: each unmarked bubble is the
    other party's, at the centred time above it."""
    f = tmp_path / "colleague.txt"
    f.write_text(SCREENSHOT, encoding="utf-8")
    res = read_input(f.name, f.read_bytes(), TZ)
    said = [(e.source.line, e.speaker, e.time.strftime("%H:%M") if e.time else None) for e in res.events]
    assert said == [(7, "unknown", "15:58"), (9, "debtor", "15:58"), (13, "unknown", "16:01"),
                    (15, "unknown", "16:01"), (17, "debtor", "16:01")]
    assert {e.channel for e in res.events} == {"wechat"}  # WeChat's title bar and 按住 说话: not SMS
    doc, _err = _scan(f)
    assert 15 in {x["source"]["line"] for x in doc["findings"] if x["category"] == "contact.third_party"}


def test_redaction_masks_names_after_more_kinship_words_and_addressed_names():
    """--redact masked 你老公张伟 but not 表弟周磊 / 弟弟周磊 (周 was not among the surnames) nor
    陈秀英女士 at a message's start; 周末 and 马上 stay words."""
    from checker.report.redact import Redactor

    r = Redactor.make(True, [], [])
    assert r.text("你表弟周磊说") == "你表弟周*说"
    assert r.text("弟弟周磊已经知道了") == "弟弟周*已经知道了"
    assert r.text("陈秀英女士，您好") == "陈**女士，您好"
    assert r.text("你表弟周末来") == "你表弟周末来" and r.text("你老婆马上到") == "你老婆马上到"
    assert r.text("王先生您好") == "王先生您好"


def test_a_file_given_twice_is_read_once_and_not_as_two_peoples(tmp_path):
    """The same file given twice had been read twice (every finding doubled), also when given both
    as the person's own file and as the mother's log."""
    own = tmp_path / "own.txt"
    own.write_text("2025-03-12 10:00 16500001001：周晓峰，再不还钱就去你家找你。\n", encoding="utf-8")
    numbers = _numbers(tmp_path, "速易借: 16500001001")
    import json

    once = json.loads(run_cli("scan", str(own), "--numbers", str(numbers), "--format", "json").stdout)
    p = run_cli("scan", str(own), str(own), "--numbers", str(numbers), "--format", "json")
    assert "given twice; read once" in p.stderr.decode()
    assert len(json.loads(p.stdout)["findings"]) == len(once["findings"]) > 0
    q = run_cli("scan", str(own), "--numbers", str(numbers), "--third-party", f"母亲={own}")
    assert q.returncode == 2 and "given both as your own file and as a relative's" in q.stderr.decode()


def test_a_qa_batch_to_many_customers_names_no_one_as_the_reports_debtor(tmp_path):
    """A report of a QA batch (calls to ten customers) had named one customer as the debtor of the
    whole report; the number is named only when most contacts went to it."""
    import json

    recs = [{"id": f"c{i}", "channel": "call", "time": f"2026-11-25T1{i % 8}:00:00+08:00", "direction": "in",
             "from": "02150001001", "to": f"1381234000{i % 5}", "speaker": "collector", "status": "answered",
             "duration_s": 60} for i in range(10)]
    f = tmp_path / "qa.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    out = tmp_path / "r.json"
    run_cli("report", str(f), "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["debtor"] is None
    one = tmp_path / "one.jsonl"
    one.write_text("".join(json.dumps(dict(r, to="13812340000")) + "\n" for r in recs), encoding="utf-8")
    run_cli("report", str(one), "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["debtor"] == "13812340000"


SPEEDY = "速易借: 17012340001 17012340002 17012340003 021-5888-9999"


def test_a_phone_log_beside_a_bill_that_names_the_debtor_counts_as_one_debtor(tmp_path):
    """A bill naming its owner (用户号码：139…) with a phone log that does not: the calls had been
    split between two debtors (the owner's number and none) — four connected calls from one lender
    in a day, no finding. The one number the inputs name as the person's is the debtor of the rows
    that name none. Two numbers given with --debtor (two SIMs) are one debtor too."""
    phone = tmp_path / "phone.csv"
    phone.write_text("姓名,号码,类型,时间,时长(秒)\n,17012340001,呼入,2025-06-04 08:30:00,55\n"
                     ",17012340002,呼入,2025-06-04 11:11:11,72\n", encoding="utf-8")
    bill = tmp_path / "bill.csv"
    bill.write_text("用户号码：13912345678\n起始时间,通信方式,对方号码,通信时长\n"
                    "2025-06-04 14:00:02,被叫,17012340003,3分1秒\n2025-06-04 19:30:02,被叫,02158889999,37秒\n",
                    encoding="utf-8")
    numbers = _numbers(tmp_path, SPEEDY)
    for order in ((phone, bill), (bill, phone)):
        doc = _scan_files(*order, "--numbers", str(numbers))
        assert any(x["rule"] == "cn.contact.excessive_frequency.connected_calls_daily" for x in doc["findings"])
    dual = tmp_path / "dual.csv"
    dual.write_text("号码,类型,时间,时长(秒),本机号码\n17012340001,呼入,2025-06-04 08:30:00,55,13912345678\n"
                    "17012340002,呼入,2025-06-04 11:11:11,72,15088886666\n02158889999,呼入,2025-06-04 14:00:00,180,"
                    "13912345678\n17012340003,呼入,2025-06-04 19:30:00,36,15088886666\n", encoding="utf-8")
    doc = _scan_files(dual, "--numbers", str(numbers), "--debtor", "13912345678,15088886666")
    assert any(x["rule"] == "cn.contact.excessive_frequency.connected_calls_daily" for x in doc["findings"])


def _scan_files(*args) -> dict:
    import json

    p = run_cli("scan", *map(str, args), "--format", "json")
    assert p.returncode in (0, 1), p.stderr.decode()
    return json.loads(p.stdout)


def test_a_lenders_name_with_digits_in_the_numbers_file_is_its_name():
    """360借条 / 58好借 / 借条360 had lost their names (pooled with unnamed numbers — a false
    "所有催收号码合计" finding) or been glued into the next number (36017012340001)."""
    from checker.parties import parse_numbers

    d = parse_numbers("360借条 17012340001 021-5888-9999\n58好借：4008123456 95137\n借条360 17012340005\n"
                      .encode(), "n")
    assert set(d.groups.values()) == {"360借条", "58好借", "借条360"}
    assert d.groups["+8617012340005"] == "借条360"
    import pytest

    from checker.parties import PartiesError

    with pytest.raises(PartiesError):
        parse_numbers("17012340001 借条\n".encode(), "n")  # words after the numbers are no number


def test_a_bill_of_one_or_two_cards_is_read_as_calls_and_its_count_line_filtered(tmp_path):
    """A carrier-app bill copied for two calls (two cards) had been read as a transcript: 10 records,
    no finding; a bill's 共46条记录 line under its cards had been a rejected row (exit 2 with
    --strict on a clean bill)."""
    f = tmp_path / "b2.txt"
    f.write_text("中国移动 语音通话详单\n2025年05月\n\n05-20 22:30:00\n被叫  17012340001\n上海 本地通话  0.00元\n"
                 "1分10秒\n\n05-21 22:31:01\n被叫  17012340002\n上海 本地通话  0.00元\n1分10秒\n\n共2条记录\n",
                 encoding="utf-8")
    doc = _scan_files(f, "--strict")
    assert doc["inputs"][0]["format"] == "call-list" and doc["inputs"][0]["events"] == 2
    assert not doc["inputs"][0]["rejected"]
    assert len([x for x in doc["findings"] if x["category"] == "contact.inconvenient_time"]) == 2


def test_a_call_logged_to_the_minute_is_the_same_as_the_bills_to_the_second(tmp_path):
    """A phone export that writes minutes only (上午9:05) and a bill's 09:06:04 for the same call had
    not been merged (61 s apart): three calls became five connected and a false daily-limit finding."""
    mi = tmp_path / "mi.csv"
    mi.write_text("号码,类型,日期,时间,时长\n170 1234 0001,呼入,2025/5/20,上午9:05,1分10秒\n"
                  "170 1234 0002,呼入,2025/5/20,上午10:40,2分05秒\n170 1234 0003,呼入,2025/5/20,下午3:15,45秒\n",
                  encoding="utf-8")
    bill = tmp_path / "bill.csv"
    bill.write_text("起始时间,通信方式,对方号码,通信时长\n2025-05-20 09:06:04,被叫,17012340001,1分10秒\n"
                    "2025-05-20 10:41:02,被叫,17012340002,2分05秒\n", encoding="utf-8")
    doc = _scan_files(mi, bill, "--numbers", str(_numbers(tmp_path, SPEEDY)))
    assert not [x for x in doc["findings"] if x["category"] == "contact.excessive_frequency" and x["severity"] != "low"]
    assert sum(i["events"] for i in doc["inputs"]) == 3


def test_a_limit_from_a_guideline_not_yet_issued_is_a_reference_line(tmp_path):
    """More than 6 unanswered calls in a day in 2025 had been a medium finding "（上限 6 次）", though
    the only rule setting that number (the 2026 guideline) was not yet issued; the draft listed it as
    a fact. It is now a low finding with the number as a reference line; 2026 calls keep the limit."""
    rows = "".join(f"2025-07-09 1{k}:00:00,被叫,17012340001,0秒\n" for k in range(8))
    rows += "".join(f"2026-07-09 1{k}:00:00,被叫,17012340001,0秒\n" for k in range(8))
    f = tmp_path / "bill.csv"
    f.write_text("起始时间,通信方式,对方号码,通信时长\n" + rows, encoding="utf-8")
    doc = _scan_files(f, "--numbers", str(_numbers(tmp_path, SPEEDY)))
    rule = "cn.contact.excessive_frequency.unanswered_attempts_per_number"
    got = {x["date"]: (x["severity"], x["evidence"]) for x in doc["findings"] if x["rule"] == rule}
    assert got["2025-07-09"][0] == "low" and "参考线 6 次" in got["2025-07-09"][1]
    assert got["2026-07-09"][0] == "medium" and "（上限 6 次）" in got["2026-07-09"][1]


def test_gzip_unpacks_within_a_limit(monkeypatch):
    """A small gzip input that unpacks to more than UNPACK_LIMIT is refused with a clear message
    instead of taking the machine's memory (the web page reads uploads this way)."""
    import gzip

    import pytest

    import checker.io as io

    data = gzip.compress(_batch_lines(2000))
    assert len(read_input("b.jsonl", data, TZ).events) == 2000
    monkeypatch.setattr(io, "UNPACK_LIMIT", 50_000)
    with pytest.raises(io.InputError, match="unpacks to more than"):
        read_input("b.jsonl", data, TZ)


def test_metadata_beside_an_empty_utterance_is_not_taken_for_its_words():
    """Only a field named for words (content, message, asr_result, 内容 …) makes a text record
    without "text" a rejected row; an engine's or agent's name beside an empty utterance does not."""
    from checker.io.jsonl import misplaced_words

    assert misplaced_words({"channel": "transcript", "content": "再不还钱就去你家"}) == "content"
    assert misplaced_words({"channel": "sms", "asr_result": "你好啊"}) == "asr_result"
    assert misplaced_words({"channel": "transcript", "text": "", "asr_engine": "xunfei"}) is None
    assert misplaced_words({"channel": "transcript", "agent_name": "张三"}) is None
    assert misplaced_words({"channel": "call", "note": "客户挂断"}) is None

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

"""What the twenty-first session's outside testers found collcheck getting wrong: relatives' own
logs, readers, reports. Each test fails on the code before its fix."""

from __future__ import annotations

from test_io_blind17 import _scan

MUM_SMS = ("号码,联系人,内容,时间,类型\n"
           "16533019402,,周阿姨您好，我是禾丰公司的客服小吴，工号HF1187。周建华先生的电话一直没打通，"
           "麻烦您方便时转告他回个电话02168852211，是他本人的事情，谢谢您。,2026-11-05 10:12:08,接收\n"
           "16533019402,,他到底怎么了？,2026-11-05 10:20:00,发送\n"
           "17188204418,,阿姨，你儿子借了我们两万块一直不还，你当妈的管管他。,2026-11-06 22:48:14,接收\n"
           "17188204418,,【禾丰分期】王女士您好，我司不会向您追讨他人债务，此前如有工作人员对您造成打扰，"
           "我们深表歉意。,2026-11-07 09:00:00,接收\n")
NUMBERS = "禾丰分期: 16533019402 17188204418\n"


def _relative(tmp_path):
    debtor = tmp_path / "mine.csv"
    debtor.write_text("号码,联系人,内容,时间,类型\n"
                      "17188204418,,请尽快还款。,2026-11-06 10:00:00,接收\n", encoding="utf-8")
    mum = tmp_path / "mum.csv"
    mum.write_text(MUM_SMS, encoding="utf-8")
    numbers = tmp_path / "numbers.txt"
    numbers.write_text(NUMBERS, encoding="utf-8")
    doc, _err = _scan(debtor, "--numbers", str(numbers), "--third-party", f"母亲={mum}")
    return [f for f in doc["findings"] if f["source"]["file"].endswith("mum.csv")]


def test_a_relay_request_or_apology_in_a_relatives_log_is_no_finding(tmp_path):
    """A collector asking the mother only to have her son call back (no word of the debt), or
    apologising and promising not to pursue her, is the one contact the industry rules allow;
    each had been a high third-party finding, unlike the same words in a batch."""
    found = _relative(tmp_path)
    lines = {f["source"]["line"] for f in found if f["category"] == "contact.third_party"}
    assert lines == {4}


def test_a_collectors_night_message_to_a_relative_is_a_night_contact(tmp_path):
    """A message at 22:48 to the debtor's mother had only been a third-party finding: the hour
    rules skipped every record of a relative's log."""
    found = _relative(tmp_path)
    night = [f for f in found if f["category"] == "contact.inconvenient_time"]
    assert [f["source"]["line"] for f in night] == [4]
    assert "母亲的手机收到的短信" in night[0]["evidence"]
    # the mother's own message (发送) is never a contact
    assert not [f for f in found if f["source"]["line"] == 3]


def test_no_model_second_opinion_beside_a_relatives_log_finding(tmp_path):
    """The statistical second opinion is given only where no rule of its category found the
    record; a relative's-log finding is contact.third_party, so a model finding of that category
    beside it had repeated it."""
    debtor = tmp_path / "mine.csv"
    debtor.write_text("号码,联系人,内容,时间,类型\n17188204418,,请尽快还款。,2026-11-06 10:00:00,接收\n",
                      encoding="utf-8")
    wife = tmp_path / "wife.csv"
    wife.write_text("号码,联系人,内容,时间,类型\n"
                    "17188204418,,夫妻共同债务了解一下，他还不上，法院照样执行你的工资和你名下的房子。,"
                    "2026-11-07 10:35:00,接收\n", encoding="utf-8")
    numbers = tmp_path / "numbers.txt"
    numbers.write_text(NUMBERS, encoding="utf-8")
    doc, _err = _scan(debtor, "--numbers", str(numbers), "--third-party", f"妻子={wife}")
    rules = [f["rule"] for f in doc["findings"] if f["source"]["file"].endswith("wife.csv")]
    assert "cn.contact.third_party.relative_log" in rules
    assert not [r for r in rules if r.endswith("second_opinion") and ".third_party." in r]

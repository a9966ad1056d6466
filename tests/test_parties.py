"""Collector numbers, rotating-number groups, third-party logs and the contact ledger."""

import json

import pytest
from conftest import ROOT, run_cli

from checker.engine import zone
from checker.ledger import build
from checker.parties import (
    Directory,
    PartiesError,
    assign,
    group_by_signature,
    load_numbers,
    normalise_number,
    suspects,
)

DEMO = ROOT / "corpus" / "demo"


@pytest.mark.parametrize("raw", ["+86 138 0013 8000", "0086-13800138000", "8613800138000", "138-0013-8000",
                                 "13800138000", "(+86)138 0013 8000"])
def test_mobile_formats_normalise_alike(raw):
    assert normalise_number(raw) == "+8613800138000"


def test_landline_and_service_numbers():
    assert normalise_number("010-12345678") == normalise_number("01012345678") == "+861012345678"
    assert normalise_number("400-800-1234") == "+864008001234"
    assert normalise_number("95588") == "95588"


def test_numbers_file_groups_and_errors(tmp_path):
    d = load_numbers(str(DEMO / "collectors.txt"))
    assert d.group_of("17012345601") == d.group_of("+86 165 1234 0007") == "橙意分期委外催收"
    assert d.group_of("4008001234") == "橙意分期"
    bad = tmp_path / "n.txt"
    bad.write_text("13800138000\nnot a number\n", encoding="utf-8")
    with pytest.raises(PartiesError, match="n.txt:2"):
        load_numbers(str(bad))
    bad.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(PartiesError, match="no numbers"):
        load_numbers(str(bad))


def test_numbers_filter_counts_and_rotating_group(tmp_path):
    p = run_cli("scan", str(DEMO / "case.jsonl"), "--numbers", str(DEMO / "collectors.txt"), "--format", "json")
    doc = json.loads(p.stdout)
    inp = doc["inputs"][0]
    assert inp["rows"] == inp["events"] + inp["filtered"] + len(inp["rejected"])
    # the four rotating numbers are one collector: 10-13 has 7 unanswered attempts from it
    freq = [f for f in doc["findings"] if f["rule"].endswith("unanswered_attempts_per_number")]
    assert [f["date"] for f in freq] == ["2026-10-13"]
    # a number not in the file is filtered, and the count says so
    only = tmp_path / "n.txt"
    only.write_text("17012345601\n", encoding="utf-8")
    p = run_cli("scan", str(DEMO / "case.jsonl"), "--numbers", str(only), "--format", "json")
    inp = json.loads(p.stdout)["inputs"][0]
    assert inp["filtered"] > 0
    assert inp["rows"] == inp["events"] + inp["filtered"] + len(inp["rejected"])


def _connected_calls_findings(tmp_path, numbers: str) -> list[str]:
    """Four connected calls on one day from four numbers; the per-debtor findings' evidence."""
    log = tmp_path / "calls.csv"
    log.write_text("通话时间,对方号码,呼叫类型,通话时长\n" + "".join(
        f"2024-12-02 {9 + i}:00:00,{n},被叫,60\n"
        for i, n in enumerate(["17156781234", "17156781235", "4008123456", "02188886666"])), encoding="utf-8")
    nums = tmp_path / "nums.txt"
    nums.write_text(numbers, encoding="utf-8")
    p = run_cli("scan", str(log), "--numbers", str(nums), "--format", "json", "-q")
    return [f["evidence"] for f in json.loads(p.stdout)["findings"] if f["rule"].endswith("connected_calls_daily")]


def test_two_named_lenders_are_counted_apart_and_an_agency_with_its_lender(tmp_path):
    """The connected-calls limit is per institution (and its agencies): two lenders named on two
    lines, two calls each, break no limit; a lender and its agency (the lender's name plus 委外 /
    催收 …) are one institution; unnamed lines cannot be told apart and are pooled."""
    two_lenders = "速易借: 17156781234, 17156781235\n花花贷: 4008123456, 02188886666\n"
    assert _connected_calls_findings(tmp_path, two_lenders) == []
    with_agency = "速易借: 17156781234, 17156781235\n速易借（委外）: 4008123456, 02188886666\n"
    assert _connected_calls_findings(tmp_path, with_agency) == [
        "2024-12-02 催收方 速易借 的所有号码合计接通 4 次（上限 3 次）"]
    assert _connected_calls_findings(tmp_path, "17156781234, 17156781235\n4008123456, 02188886666\n") \
        == ["2024-12-02 所有催收号码合计接通 4 次（上限 3 次）"]


def test_an_advisory_count_is_not_called_a_limit(tmp_path):
    """The low-severity attempts count (more than three calls of any kind a day) is an advisory
    line, not a legal limit: its evidence says so; the connected-calls standard keeps 上限."""
    log = tmp_path / "calls.csv"
    log.write_text("通话时间,对方号码,呼叫类型,通话时长\n" + "".join(
        f"2024-12-02 {9 + i}:00:00,17156781234,未接,0\n" for i in range(4)), encoding="utf-8")
    nums = tmp_path / "nums.txt"
    nums.write_text("17156781234\n", encoding="utf-8")
    p = run_cli("scan", str(log), "--numbers", str(nums), "--format", "json", "-q")
    found = {f["rule"]: f["evidence"] for f in json.loads(p.stdout)["findings"]}
    evidence = found["cn.contact.excessive_frequency.advisory_attempts"]
    assert evidence.endswith("来电尝试 4 次（提示线 3 次，不是法定上限）")


def test_without_numbers_the_user_is_told(tmp_path):
    p = run_cli("scan", str(DEMO / "case.jsonl"))
    err = p.stderr.decode()
    assert "no --numbers given" in err and "17012345601" in err and "虚拟运营商号段" in err


def test_third_party_log_names_the_relation(tmp_path):
    mum = tmp_path / "mum.jsonl"
    mum.write_text(
        '{"id": "m1", "channel": "call", "time": "2026-10-12T10:00:00+08:00", "direction": "in", '
        '"from": "170-1234-5601", "status": "answered", "duration_s": 40}\n'
        '{"id": "m2", "channel": "call", "time": "2026-10-12T11:00:00+08:00", "direction": "in", '
        '"from": "13911112222", "status": "answered", "duration_s": 300}\n', encoding="utf-8")
    p = run_cli("scan", str(DEMO / "case.jsonl"), "--numbers", str(DEMO / "collectors.txt"),
                "--third-party", f"母亲={mum}", "--format", "json")
    doc = json.loads(p.stdout)
    tp = [f for f in doc["findings"] if f["rule"] == "cn.contact.third_party.relative_log"]
    assert [f["record"] for f in tp] == ["m1"]
    assert "母亲" in tp[0]["evidence"] and "母亲" in tp[0]["message"]
    mum_input = [i for i in doc["inputs"] if i["file"] == str(mum)][0]
    assert mum_input["filtered"] == 1  # the friend's call is not a collector's
    p = run_cli("scan", str(DEMO / "case.jsonl"), "--third-party", f"母亲={mum}")
    assert p.returncode == 2 and "--numbers" in p.stderr.decode()


def test_signature_groups_numbers_and_suspects():
    from checker.model import MessageEvent, Source

    def msg(i, frm, text):
        return MessageEvent(id=i, channel="sms", source=Source("x", 1), from_=frm, text=text)

    evs = [msg("1", "10690001", "【快米分期】您已逾期，请致电4008005678"),
           msg("2", "10690002", "【快米分期】账单已逾期3天"),
           msg("3", "13900001111", "晚上一起吃饭吗")]
    d = group_by_signature(evs, Directory())
    assert d.group_of("10690001") == d.group_of("10690002") == d.group_of("4008005678")
    sus = {s.number for s in suspects(evs)}
    assert "10690001" in sus and "+8613900001111" not in sus
    kept, filtered = assign(evs, d)
    assert not filtered and kept[0].collector_group == kept[1].collector_group


def test_ledger_counts_demo():
    from checker.io import read_input

    tz = zone("Asia/Shanghai")
    res = read_input("case.jsonl", (DEMO / "case.jsonl").read_bytes(), tz)
    d = group_by_signature(res.events, load_numbers(str(DEMO / "collectors.txt")))
    kept, _ = assign(res.events, d)
    rows = {(r.date, r.group): r for r in build(kept, tz)}
    r = rows[("2026-10-13", "橙意分期委外催收")]
    assert (r.calls, r.connected, r.unanswered, r.messages) == (7, 0, 7, 3)
    assert r.night == 4  # 07:12, 07:13, 07:14 calls and the 06:58 SMS


def test_names_and_account_ids_holding_digits_are_not_numbers():
    """王经理2 and 李经理2 are two people, not the number "2"; a wxid is its own id; a number
    written inside a name is that number."""
    from checker.parties import is_name, normalise_number

    assert normalise_number("王经理2") == "王经理2" and normalise_number("李经理2") == "李经理2"
    assert normalise_number("wxid_syj_wang88") == "wxid_syj_wang88"
    assert normalise_number("王经理 13800138000") == normalise_number("13800138000") == "+8613800138000"
    assert normalise_number("13800138000(手机)") == "+8613800138000"
    assert is_name("速易借-王经理") and not is_name("+8613800138000")
    # a short number with a note stays that number (a carrier's service line is still told apart)
    assert normalise_number("10086(中国移动)") == "10086" and normalise_number("95588转1") == "95588"
    assert normalise_number("qq12345678") == "qq12345678"


def test_a_chat_sender_is_called_an_account_not_a_number(tmp_path):
    chat = tmp_path / "wx.csv"
    chat.write_text("talker,IsSender,CreateTime,StrContent,Type\n"
                    "wxid_syj_wang88,0,2026-03-02 10:30:00,你已经逾期了，欠款今天必须还,1\n", encoding="utf-8")
    err = run_cli("scan", str(chat)).stderr.decode()
    assert "wxid_syj_wang88 looks like a collector's chat account" in err
    assert "note: 88 looks like" not in err and "collection number" not in err


def test_a_numbers_list_does_not_drop_chat_messages_from_nicknames(tmp_path):
    """--numbers lists phone numbers; a WeChat chat's senders are nicknames, which no list can
    name. Their messages stay judged (as without a list), so the collector's threat in the chat is
    not lost beside a call log; the person's own nickname is given with --debtor."""
    chat = tmp_path / "chat.txt"
    chat.write_text("速借花-王经理 2026-03-02 10:30:00\n再不还明天就去你单位找你领导\n\n"
                    "阿强 2026-03-02 10:35:20\n别去我单位，我下午还。\n", encoding="utf-8")
    numbers = tmp_path / "numbers.txt"
    numbers.write_text("速借花: 17012345601\n", encoding="utf-8")
    r = run_cli("scan", str(chat), "--numbers", str(numbers), "--debtor", "阿强", "--format", "json")
    doc = json.loads(r.stdout)
    assert {(f["source"]["line"], f["category"]) for f in doc["findings"]} >= {(1, "threat.visit")}
    assert all(f["source"]["line"] == 1 for f in doc["findings"])  # 阿强's own line is not judged
    assert doc["inputs"][0]["filtered"] == 0


def test_plus_86_before_a_service_number_is_that_number():
    """+8695137 (a 95 line written with the country code) was not matched to 95137 in a
    numbers file, so its night call escaped the list."""
    from checker.parties import normalise_number

    assert normalise_number("+8695137") == normalise_number("95137") == "95137"
    assert normalise_number("008695137") == "95137"
    assert normalise_number("+86 138 0013 8000") == "+8613800138000"


def test_a_lender_named_without_a_colon_keeps_its_own_group():
    """速易借 02158889999 (no colon) was read as an unnamed line and pooled with the others."""
    from checker.parties import parse_numbers

    d = parse_numbers("速易借 02158889999\n花花贷 95137, +8616500001001\n17156781234\n".encode(), "n.txt")
    assert d.groups == {"+862158889999": "速易借", "95137": "花花贷", "+8616500001001": "花花贷",
                        "+8617156781234": "17156781234"}

"""Message exports an outside tester fed the command line as one debtor's labelled inbox
(round exports6): relatives in chat exports (a WechatExporter page or a Telegram chat named
妈妈, a MemoTrace 备注 of 妈妈 beside the nickname, 表哥 as a pasted sender), WhatsApp's
encryption notice on an iPhone, a vivo text backup's ``妈妈 13800001111`` sender, iMazing's CSV
in Chinese (消息日期, 传入 / 传出), Telegram Desktop's HTML export and its export of all chats.
The fixtures are in tests/fixtures/exports6/."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import scan_json

from checker.io import read_input
from checker.io.pasted import is_family_label

TZ = ZoneInfo("Asia/Shanghai")
FIX = Path(__file__).parent / "fixtures" / "exports6"


def _read(name: str, **kw):
    return read_input(str(FIX / name), (FIX / name).read_bytes(), TZ, **kw)


def _scan(name: str, *args: str) -> dict:
    return scan_json(FIX / name, *args)


def _by_text(events) -> dict[str, object]:
    return {e.text[:6]: e for e in events}


# --------------------------------------------------------------------------- relatives in chat exports
@pytest.mark.parametrize("name", ["表哥", "堂姐", "二姨", "大伯", "我妈", "舅妈", "妈妈", "同事"])
def test_kinship_names_are_family(name):
    assert is_family_label(name)


@pytest.mark.parametrize("name", ["快递小哥", "小哥", "客服小姐", "姐", "速易借-王经理", "法务部-张主任", "老板"])
def test_other_names_are_not_family(name):
    assert not is_family_label(name)


def test_wechatexporter_page_of_a_relative_is_never_judged():
    # the mother passing on a collector's threat: her words are a third party's, not a collector's
    res = _read("wechatexporter_mom.html")
    assert [(e.speaker, e.direction) for e in res.events] == [("third_party", "in"), ("debtor", "out")]
    assert _scan("wechatexporter_mom.html")["findings"] == []


def test_memotrace_remark_of_a_relative_beside_the_nickname():
    res = _read("memotrace_remark.csv")
    ev = _by_text(res.events)
    assert ev["阿强，刚才有"].speaker == "third_party"
    assert ev["妈你别管，是"].speaker == "debtor"
    assert ev["明天去你单位"].speaker == "unknown"  # the collector is still judged
    found = {(f["category"], f["time"][11:16]) for f in _scan("memotrace_remark.csv")["findings"]}
    assert ("threat.visit", "22:40") in found and not any(t == "12:00" for _c, t in found)


def test_a_cousin_named_in_a_pasted_wechat_chat_is_a_third_party():
    res = _read("cousin_pasted.txt", debtor="阿强")
    assert [e.speaker for e in res.events] == ["third_party", "debtor"]
    assert _scan("cousin_pasted.txt", "--debtor", "阿强")["findings"] == []


def test_telegram_chat_named_after_a_relative_is_never_judged():
    res = _read("telegram_mom.json")
    assert [e.speaker for e in res.events] == ["third_party", "debtor"]
    assert _scan("telegram_mom.json")["findings"] == []


# --------------------------------------------------------------------------- WhatsApp, vivo, iMazing
def test_whatsapp_iphone_encryption_notice_is_filtered_not_judged():
    res = _read("whatsapp_ios_chat.txt", debtor="阿强")
    assert res.summary.filtered == 1 and len(res.events) == 2
    assert [e.speaker for e in res.events] == ["unknown", "debtor"]
    assert not any("encrypted" in (e.text or "") for e in res.events)


def test_vivo_sender_written_name_space_number():
    res = _read("vivo_name_number.txt")
    assert [e.from_ for e in res.events] == ["13800001111", "1069012345678"]
    assert res.contact_names.get("13800001111") == {"妈妈"}
    # the saved contact 妈妈 is not judged without --numbers; the lender's 07:20 reminder is
    out = _scan("vivo_name_number.txt")
    assert {(f["category"], f["time"][11:16]) for f in out["findings"]} == {("contact.inconvenient_time", "07:20")}
    assert out["inputs"][0]["filtered"] == 1


def test_imazing_csv_in_chinese():
    res = _read("imazing_cn.csv")
    assert not res.rejected and len(res.events) == 2
    inc, out = res.events
    assert (inc.direction, inc.speaker) == ("in", "unknown") and inc.from_.endswith("17012345679")
    assert (out.direction, out.speaker) == ("out", "debtor") and out.to.endswith("17012345679")
    assert inc.time == datetime(2025, 3, 5, 22, 40, tzinfo=TZ)


# --------------------------------------------------------------------------- Telegram
def test_telegram_html_export_joined_messages_and_offsets():
    res = _read("telegram_messages.html")
    assert res.summary.filtered == 1 and not res.rejected  # the date line
    a, b, c = res.events
    assert a.speaker == b.speaker == "unknown" and a.from_ == b.from_ == "法务部-张主任"  # b is "joined"
    assert c.speaker == "debtor" and c.direction == "out"  # two senders, one the chat: the other is you
    assert b.text == "出门小心点，\n你家楼下那辆白色车是你的吧"
    assert b.time == datetime(2025, 3, 6, 7, 30, tzinfo=TZ)  # 23:30 UTC+00:00 the day before
    assert a.time == datetime(2025, 3, 6, 6, 50, tzinfo=TZ)
    cats = {(f["category"], f["time"][11:16]) for f in _scan("telegram_messages.html")["findings"]}
    assert ("threat.violence", "07:30") in cats and ("impersonation.authority", "06:50") in cats
    assert not any(t == "08:10" for _c, t in cats)  # the debtor quoting the threat


def test_telegram_html_with_debtor_name():
    res = _read("telegram_messages.html", debtor="阿强")
    assert [e.speaker for e in res.events] == ["unknown", "unknown", "debtor"]


def test_telegram_export_of_all_chats_is_read_chat_by_chat():
    res = _read("telegram_all_chats.json")
    assert [(e.speaker, e.direction) for e in res.events] == [("unknown", "in"), ("debtor", "out"),
                                                               ("third_party", "in")]
    assert res.events[0].time == datetime(2025, 3, 5, 22, 40, tzinfo=TZ)
    assert any("all chats: 2 chat(s) read" in n for n in res.notes)
    found = _scan("telegram_all_chats.json")["findings"]
    assert {f["category"] for f in found} >= {"threat.visit"}
    assert all(f["time"][11:16] == "22:40" for f in found)

"""WeChat chats saved as HTML (format wechat-html): MemoTrace's "导出 HTML" with the messages as
script data (JavaScript literals in older versions, JSON in newer ones) and a page as the browser
renders it (bubbles, centred time lines). The fixtures in tests/fixtures/html_chat were written
for these tests in the shape of those pages."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from checker.io import InputError, read_input, sniff

TZ = ZoneInfo("Asia/Shanghai")
HERE = Path(__file__).parent / "fixtures" / "html_chat"


def _read(name: str, **kw):
    return read_input(name, (HERE / name).read_bytes(), TZ, **kw)


def _scan(path: Path, *args: str) -> tuple[int, dict]:
    r = run_cli("scan", str(path), *args, "--format", "json")
    return r.returncode, json.loads(r.stdout or b"{}")


def test_memotrace_script_data_as_javascript_literals():
    res = _read("memotrace_data.html")
    s = res.summary
    assert (s.format, s.rows, s.events, s.filtered, len(s.rejected)) == ("wechat-html", 8, 6, 2, 0)
    got = [(e.source.line, e.time.strftime("%m-%d %H:%M:%S"), e.direction, e.speaker, e.text[:7]) for e in res.events]
    assert got == [
        (24, "03-02 10:05:00", "in", "unknown", "李先生您好，您"),
        (25, "03-02 10:07:12", "out", "debtor", "我这个月工资还"),
        (27, "03-02 22:10:00", "in", "unknown", "不还是吧？今晚"),
        (29, "03-02 22:12:30", "in", "unknown", "明天上午我们的"),  # a voice message's text
        (30, "03-02 22:15:00", "out", "debtor", "你们再威胁我，"),
        (31, "03-03 09:30:00", "in", "unknown", "可以申请分期，"),
    ]
    assert res.events[0].from_ == "速借花-李专员" and res.events[1].to == "速借花-李专员"  # the page's title


def test_memotrace_script_data_as_json_with_milliseconds():
    res = _read("memotrace_json.html")
    assert (res.summary.format, res.summary.events) == ("wechat-html", 3)
    assert [(e.time.strftime("%d %H:%M"), e.direction) for e in res.events] == [
        ("05 07:40", "in"), ("05 07:45", "out"), ("05 12:30", "in")]


def test_a_rendered_page_bubbles_sides_and_centred_times():
    assert sniff("rendered_page.html", (HERE / "rendered_page.html").read_text(encoding="utf-8")) in (
        "html-table", "wechat-html")
    res = _read("rendered_page.html")
    s = res.summary
    assert (s.format, s.rows, s.events, s.filtered) == ("wechat-html", 4, 3, 1)  # 撤回 is filtered
    assert [(e.time.strftime("%d %H:%M:%S"), e.direction, e.speaker) for e in res.events] == [
        ("06 21:40:12", "in", "unknown"), ("06 21:40:12", "out", "debtor"), ("07 10:02:00", "in", "unknown")]
    assert res.events[0].text == "你女儿在实验小学三年级二班吧？\n你也不想让她学校知道你欠钱不还吧。"
    assert res.events[0].from_ == "鲸鱼分期催收部"


@pytest.mark.parametrize(("name", "judged", "own"), [
    ("memotrace_data.html", {27: {"contact.inconvenient_time", "contact.third_party", "disclosure.public_exposure"},
                             29: {"contact.inconvenient_time", "contact.third_party", "threat.visit"}}, {25, 30}),
    ("rendered_page.html", {10: {"contact.inconvenient_time", "contact.third_party"}}, {14}),
])
def test_the_collectors_lines_are_judged_and_the_persons_never(name, judged, own):
    rc, doc = _scan(HERE / name)
    assert rc == 1
    by_line: dict[int, set[str]] = {}
    for f in doc["findings"]:
        by_line.setdefault(f["source"]["line"], set()).add(f["category"])
    assert by_line == judged
    assert not own & set(by_line)  # the person's own 报警 / 敲诈勒索 lines


def test_a_page_with_neither_table_nor_chat_is_a_clear_error(tmp_path):
    page = "<!DOCTYPE html><html><head><title>帮助</title></head><body><p>如何导出聊天记录</p></body></html>"
    with pytest.raises(InputError, match="no table and no chat messages"):
        read_input("help.html", page.encode(), TZ)
    with pytest.raises(InputError, match="no chat messages found"):
        read_input("help.html", page.encode(), TZ, input_format="wechat-html")


def test_javascript_literals_with_escapes_comments_and_trailing_commas():
    from checker.io.htmlchat import _js_array

    src = ("x = [\n/* c */ { type:1, text:'it\\'s \\u4f60\\n好', is_send:true, n:[1,2], },\n"
           "{\"type\": 1, \"text\": \"b\"},\n]")
    objs = _js_array(src, src.index("["))
    assert objs == [(2, {"type": 1, "text": "it's 你\n好", "is_send": True, "n": [1, 2]}),
                    (3, {"type": 1, "text": "b"})]


def test_a_qq_web_archive_is_read_as_qqs_text_export():
    """QQ's message manager saves chats as .mht (a MIME archive, here base64): the page's rows
    become QQ's text export — 日期 rows give the day, each message its sender and clock — and the
    person's own lines (--debtor) are not judged."""
    data = (HERE / "qq_export.mht").read_bytes()
    assert sniff("qq_export.mht", data.decode("ascii")) == "mht"
    res = read_input("qq_export.mht", data, TZ, debtor="小周")
    s = res.summary
    assert (s.format, s.rows, s.events, len(s.rejected)) == ("wechat-text", 3, 3, 0)
    assert [(e.time.strftime("%m-%d %H:%M:%S"), e.speaker) for e in res.events] == [
        ("03-05 21:40:12", "unknown"), ("03-05 21:45:03", "debtor"), ("03-05 21:47:30", "unknown")]
    assert res.events[0].text == "你再不还，明天我们就去你公司找你们领导谈谈。"
    rc, doc = _scan(HERE / "qq_export.mht", "--debtor", "小周")
    cats = {f["category"] for f in doc["findings"] if f["record"] == doc["findings"][0]["record"]}
    assert {"threat.visit", "contact.third_party", "contact.inconvenient_time"} <= cats
    assert len({f["record"] for f in doc["findings"]}) == 2  # the collector's two lines, never 小周's


def test_a_telegram_chat_export():
    """Telegram Desktop's result.json: in a personal chat the other party is the chat's name, so
    another sender is the person's own; service messages and photos are filtered; rich text is joined."""
    res = _read("telegram_result.json")
    s = res.summary
    assert (s.format, s.rows, s.events, s.filtered, len(s.rejected)) == ("telegram-json", 5, 3, 2, 0)
    assert [(e.source.line, e.time.strftime("%m-%d %H:%M:%S"), e.direction, e.speaker) for e in res.events] == [
        (7, "03-05 21:40:12", "in", "unknown"), (25, "03-05 21:45:03", "out", "debtor"),
        (50, "03-06 10:02:00", "in", "unknown")]
    assert res.events[1].text == "我下周一定还，别去我公司。"
    rc, doc = _scan(HERE / "telegram_result.json")
    assert {f["source"]["line"] for f in doc["findings"]} == {7}


def test_a_telegram_export_of_all_chats_without_messages_is_a_clear_error():
    # an export of all chats is read chat by chat (tests/test_io_exports6.py); one with no messages is an error
    data = '{"about": "导出", "chats": {"list": [{"type": "personal_chat", "messages": []}]}}'.encode()
    with pytest.raises(InputError, match="all chats with no chat messages"):
        read_input("result.json", data, TZ, input_format="telegram-json")

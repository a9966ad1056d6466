"""The evidence report tells the truth about one debtor's folder: who the collectors are, what
the complaint draft says of them, and which provisions the conduct can break (an outside
tester's ground-truth check; small fixtures written here)."""

import json

from conftest import run_cli

from checker.model import MessageEvent, Source
from checker.pack import published_on
from checker.parties import Directory, group_by_signature
from checker.report.model import _by_law

MUM = "13800001111"

CALLS = ("姓名,号码,归属地,类型,日期,时间,时长\n"
         f"妈妈,{MUM},江苏 南通 移动,呼入,2025/3/11,22:30,5分0秒\n"
         f"妈妈,{MUM},江苏 南通 移动,呼入,2025/3/11,12:05,3分0秒\n"
         ",16500001001,广州 虚拟运营商,未接,2025/3/11,09:12,0秒\n"
         ",16500001001,广州 虚拟运营商,呼入,2025/3/11,10:30,1分10秒\n")
# A collector's chat names the mother's number: that is her number, not the sender's callback line.
CHAT = ("localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n"
        f"1,2,1,0,0,1741680021,2,你妈妈的电话{MUM}我们也有，今天已经给她打过了,2025-03-11 16:00:21,,"
        "快来花-刘专员,wxid_liu888kl\n"
        "2,2,1,0,1,1741680120,2,不要骚扰我妈,2025-03-11 16:02:00,,快来花-刘专员,wxid_me2025\n")


def _folder(tmp_path, numbers: str | None = "速易借: 16500001001\n"):
    (tmp_path / "calls.csv").write_text(CALLS, encoding="utf-8")
    (tmp_path / "chat.csv").write_text(CHAT, encoding="utf-8")
    args = ["calls.csv", "chat.csv", "--debtor", "13912345678"]
    if numbers is not None:
        (tmp_path / "collectors.txt").write_text(numbers, encoding="utf-8")
        args += ["--numbers", "collectors.txt"]
    return args


def _report(tmp_path, args):
    p = run_cli("report", *args, "-o", "r.json", cwd=tmp_path)
    assert p.returncode in (0, 1), p.stderr.decode()
    return json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))


def test_a_number_named_in_a_collectors_message_is_never_made_a_collector(tmp_path):
    """With --numbers, only the listed numbers are collectors: the mother's number, which the
    collector's chat mentions, had been grouped with the chat sender as a collector group, and
    her calls (one at 22:30) were counted as collection contacts and judged."""
    doc = _report(tmp_path, _folder(tmp_path))
    s = doc["summary"]
    shown = {n for c in s["collectors"] for n in c["numbers"]} | {c["group"] for c in s["collectors"]}
    assert MUM not in shown
    # two calls from 速易借 and the chat message: the mother's two calls are no contacts
    assert (s["totals"]["calls"], s["totals"]["messages"], s["totals"]["night"]) == (2, 1, 0)
    assert not [f for f in doc["findings"] if f["number"] == MUM]
    calls = next(i for i in doc["manifest"]["inputs"] if i["file"] == "calls.csv")
    assert (calls["events"], calls["filtered"]) == (2, 2)


def test_without_a_numbers_list_the_mentioned_number_stays_a_saved_contact(tmp_path):
    doc = _report(tmp_path, _folder(tmp_path, numbers=None))
    s = doc["summary"]
    assert MUM not in {n for c in s["collectors"] for n in c["numbers"]}
    assert s["totals"]["calls"] == 2 and s["totals"]["night"] == 0


def test_signature_grouping_keeps_to_the_numbers_list():
    def msg(i, frm, text):
        return MessageEvent(id=i, channel="sms", source=Source("x", 1), from_=frm, text=text)

    listed = Directory({"+8616500001001": "速易借"}, None, True)
    evs = [msg("1", "16500001001", "【速易借】您已逾期，请致电4008005678"),
           msg("2", "17099998888", "【速易借】账单已逾期3天"),
           msg("3", "16500001002", "你老公的电话13800002222我们也有")]
    d = group_by_signature(evs, listed)
    assert d.group_of("16500001001") == "速易借"
    # neither a number sharing the signature nor a callback line joins the list it was not on
    assert d.group_of("17099998888") is None and d.group_of("4008005678") is None
    # without a list, the shared signature still groups; a relative's number is no callback line
    free = group_by_signature(evs, Directory())
    assert free.group_of("16500001001") == free.group_of("17099998888") == free.group_of("4008005678")
    assert free.group_of("13800002222") is None


def test_draft_names_a_chat_nickname_as_sender_and_the_listed_lender_as_a_party(tmp_path):
    doc = _report(tmp_path, _folder(tmp_path))
    draft = doc["complaint"]["draft"]
    assert "号码 快来花-刘专员" not in draft
    assert "发送人 快来花-刘专员 发来微信" in draft
    assert "催收方的聊天账号（昵称）：快来花-刘专员" in draft
    numbers_line = next(line for line in draft.splitlines() if line.startswith("催收号码："))
    assert "快来花-刘专员" not in numbers_line and "16500001001" in numbers_line
    # 速易借's own numbers called: the lender the person listed is named, not only a placeholder
    assert "被投诉方：速易借（催收号码清单所列）及其委托的催收方" in draft


def test_draft_does_not_name_a_group_named_by_its_numbers_as_a_party(tmp_path):
    doc = _report(tmp_path, _folder(tmp_path, numbers="16500001001\n"))
    assert "被投诉方：［放贷平台名称］及其委托的催收方" in doc["complaint"]["draft"]


def _exposure(tmp_path, day: str):
    (tmp_path / "sms.csv").write_text(
        "号码,时间,内容,类型\n"
        f"16500001002,{day} 20:00:50,今天不还，明天就把你的照片和身份证发到网上，让所有人都认识你,接收\n",
        encoding="utf-8")
    return _report(tmp_path, ["sms.csv"])


def test_a_provision_not_yet_in_force_is_never_listed_as_broken(tmp_path):
    """治安管理处罚法 第五十六条 took effect on 2026-01-01: conduct of March 2025 is listed
    under it only for reference, apart from what the conduct may break."""
    doc = _exposure(tmp_path, "2025-03-19")
    later = [p for p in doc["provisions"] if not p["in_force_at_conduct"]]
    # (a guideline with no known start date counts from the day its version says it was published)
    assert later and all((p["effective"] or published_on(p["version"]).isoformat()) > "2025-03-19" for p in later)
    assert any(p["effective"] for p in later) and any("2026年1月30日发布" in p["version"] for p in later)
    lines = doc["complaint"]["draft"].splitlines()
    start = lines.index("上述行为可能涉及的规定（条文见报告附录）：")
    listed = lines[start + 1:lines.index("证据：")]
    ref = next(line for line in listed if line.startswith("行为发生时尚未施行"))
    for p in later:
        assert p["article"] in ref
        law = next((line for line in listed if p["law"] in line and not line.startswith("行为发生时尚未施行")), "")
        assert p["article"] not in law
    # the same message in 2026 breaks it: no reference line
    doc26 = _exposure(tmp_path, "2026-03-19")
    assert all(p["in_force_at_conduct"] for p in doc26["provisions"])
    assert "行为发生时尚未施行" not in doc26["complaint"]["draft"]


def test_an_article_named_twice_in_the_draft_is_named_once():
    ps = [{"law": "中华人民共和国治安管理处罚法", "article": "第五十一条第一款、第二款"},
          {"law": "中华人民共和国治安管理处罚法", "article": "第五十二条"},
          {"law": "中华人民共和国治安管理处罚法", "article": "第五十一条第一款"}]
    assert _by_law(ps) == "《中华人民共和国治安管理处罚法》第五十一条第一款、第二款、第五十二条"


def test_the_timeline_marks_a_provision_not_in_force_at_the_conduct(tmp_path):
    """Beside the finding, not only in the appendix: the 2025 message's citation of a provision
    that took effect in 2026 says it is for reference; the same message in 2026 carries no mark."""
    from checker.report.model import NOT_YET

    doc = _exposure(tmp_path, "2025-03-19")
    cites = [c for f in doc["findings"] for c in f["citations"]]
    later = {p["ref"] for p in doc["provisions"] if not p["in_force_at_conduct"]}
    assert later and {c["ref"] for c in cites if not c["in_force"]} == later
    for fmt in ("html", "md"):
        run_cli("report", "sms.csv", "-o", f"r.{fmt}", cwd=tmp_path)
        assert NOT_YET in (tmp_path / f"r.{fmt}").read_text(encoding="utf-8")
    doc26 = _exposure(tmp_path, "2026-03-19")
    assert all(c["in_force"] for f in doc26["findings"] for c in f["citations"])
    run_cli("report", "sms.csv", "-o", "r26.html", cwd=tmp_path)
    assert NOT_YET not in (tmp_path / "r26.html").read_text(encoding="utf-8")


def test_the_summary_says_how_many_messages_the_findings_are_on(tmp_path):
    """One message breaking several rules is several findings: the summary says on how many
    messages and calls they are, so the count does not read as so many incidents."""
    doc = _exposure(tmp_path, "2026-03-19")
    s = doc["summary"]
    assert s["records_with_findings"] == 1 < s["findings"]
    for fmt in ("html", "md"):
        run_cli("report", "sms.csv", "-o", f"r.{fmt}", cwd=tmp_path)
        assert "涉及 1 条消息或通话" in (tmp_path / f"r.{fmt}").read_text(encoding="utf-8")


def test_the_collectors_table_says_a_chat_account_may_stand_for_a_number(tmp_path):
    """A WeChat sender known only by a nickname is listed in the collectors' table: its column is
    named for numbers and chat accounts both, not as if the nickname were a number."""
    args = _folder(tmp_path)
    for fmt in ("html", "md"):
        run_cli("report", *args, "-o", f"r.{fmt}", cwd=tmp_path)
        assert "号码 / 聊天账号" in (tmp_path / f"r.{fmt}").read_text(encoding="utf-8")

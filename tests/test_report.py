"""`collcheck report`: the demo case rendered to HTML, PDF, Markdown and JSON, checked the
way a person would see them — HTML in real headless Chromium, PDF through poppler."""

import hashlib
import json
import os
import re
import shutil
import subprocess

import pytest
from conftest import ROOT, run_cli

DEMO = ROOT / "corpus" / "demo"
DEMO_ARGS = [str(DEMO / "case.jsonl"), str(DEMO / "call-2026-10-14.txt"), "--numbers", str(DEMO / "collectors.txt")]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
QUOTES = ["我是法院执行局的", "下一步就是你通讯录里所有人", "我们这边已经和你们当地派出所打过招呼了"]
ARTICLES = ["第六十二条", "第一千零三十三条", "第二百七十九条", "第五十条"]


def _need(tool):
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing; .ci/run installs it (apt-get install chromium poppler-utils)")
        pytest.skip(f"{tool} not installed (apt-get install chromium poppler-utils)")
    return path


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-report")
    for ext in ("html", "pdf", "md", "json"):
        p = run_cli("report", *DEMO_ARGS, "-o", str(out / f"report.{ext}"))
        assert p.returncode == 1, p.stderr.decode()  # findings → exit 1, as for scan
        assert "Traceback" not in p.stderr.decode()
    return out


@pytest.fixture(scope="module")
def doc(demo):
    return json.loads((demo / "report.json").read_text(encoding="utf-8"))


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- content
def test_json_report_carries_summary_findings_and_manifest(doc):
    s = doc["summary"]
    assert s["debtor"] == "13800138000"
    assert [p["name"] for p in s["platforms"]] == ["橙意分期"]
    assert "4008001234" in s["platforms"][0]["hotlines"]
    assert s["period"]["start"] == "2026-10-11" and s["period"]["end"] == "2026-10-14"
    groups = {c["group"]: c["numbers"] for c in s["collectors"]}
    assert "17012345601" in groups["橙意分期委外催收"] and "4008001234" in groups["橙意分期"]
    cats = {c["category"] for c in s["by_category"]}
    assert {"contact.inconvenient_time", "impersonation.authority", "threat.visit"} <= cats
    assert sum(c["count"] for c in s["by_category"]) == s["findings"] == len(doc["findings"])
    evidence = " ".join(f["evidence"] for f in doc["findings"])
    for q in QUOTES:
        assert q in evidence
    court = next(f for f in doc["findings"] if f["evidence"] == "我是法院执行局的")
    assert court["source"]["file"].endswith("case.jsonl") and court["source"]["line"] == 20
    assert court["number"] == "16512340007" and court["time_local"] == "2026-10-13 11:20:00"
    assert court["context"]["match"] == "我是法院执行局的"
    times = [f["time"] for f in doc["findings"] if f["time"]]
    assert times == sorted(times)
    # charts data: per day, per hour, heat map
    ch = doc["charts"]
    assert [d["date"] for d in ch["per_day"]] == ["2026-10-11", "2026-10-12", "2026-10-13", "2026-10-14"]
    assert sum(ch["by_hour"]) == s["totals"]["contacts"] == sum(map(sum, ch["heatmap"]["counts"]))
    assert {lim["max"] for lim in ch["limits"] if not lim["advisory"]} == {3, 6}


def test_manifest_hashes_sizes_and_sidecar(demo, doc):
    m = doc["manifest"]
    assert m["tool"]["version"] and m["pack"]["version"] and m["generated"]
    by_name = {i["name"]: i for i in m["inputs"]}
    for name in ("case.jsonl", "call-2026-10-14.txt"):
        i = by_name[name]
        assert i["sha256"] == _sha(DEMO / name) and i["size"] == (DEMO / name).stat().st_size
        assert i["rows"] == i["events"] + i["filtered"] + i["rejected"]
    assert m["numbers_file"]["sha256"] == _sha(DEMO / "collectors.txt")
    for ext in ("html", "pdf", "md", "json"):
        report = demo / f"report.{ext}"
        side = (demo / f"report.{ext}.sha256").read_text(encoding="utf-8")
        assert side == f"{_sha(report)}  report.{ext}\n"


def test_provisions_each_once_and_paraphrase_never_quoted(demo, doc):
    keys = [(p["key"], p["version"]) for p in doc["provisions"]]
    assert len(keys) == len(set(keys))
    cited = {(c["key"]) for f in doc["findings"] for c in f["citations"]}
    assert cited == {p["key"] for p in doc["provisions"]}
    statuses = {p["status"] for p in doc["provisions"]}
    assert {"verbatim", "secondary", "paraphrase"} <= statuses
    html = (demo / "report.html").read_text(encoding="utf-8")
    md = (demo / "report.md").read_text(encoding="utf-8")
    for p in doc["provisions"]:
        text = p["text"]
        if p["status"] == "paraphrase":
            assert f"“{text}" not in html and f"“{text}" not in md
            assert "大意（非原文）" in html
        elif p["status"] == "secondary":
            assert f"“{text}”</p><span class=\"status warn\">转引自二手来源，未经官方文本核对" in html
        else:
            assert f"“{text}”" in html
        assert p["version"] in html


def test_complaint_channels_follow_the_findings(doc):
    names = [c["name"] for c in doc["complaint"]["channels"]]
    assert names[0].startswith("放贷平台")  # the lender's own complaint line first
    assert any("12378" in n for n in names) and any("12321" in n for n in names)
    assert any("110" in n for n in names) and any("地方金融管理局" in n for n in names)
    for c in doc["complaint"]["channels"]:
        assert c["needs"] and c["status"]
    assert any("二手" in c["status"] for c in doc["complaint"]["channels"] if "12378" in c["name"])
    assert "12363" not in json.dumps(doc["complaint"], ensure_ascii=False)  # scope unverified in the law notes
    draft = doc["complaint"]["draft"]
    for q in ("我是法院执行局的", "16512340007", "2026-10-13 11:20:00", "第六十二条", "13800138000"):
        assert q in draft
    for boilerplate in ("严惩", "必将", "一定会", "保证"):
        assert boilerplate not in draft


def test_clean_input_writes_a_report_and_exits_0(tmp_path):
    f = tmp_path / "ok.jsonl"
    f.write_text('{"id": "a", "channel": "sms", "time": "2026-10-11T10:00:00+08:00", "from": "1069012345", '
                 '"speaker": "collector", "text": "您的账单已逾期，如有困难可申请分期。"}\n', encoding="utf-8")
    out = tmp_path / "clean.md"
    p = run_cli("report", str(f), "-o", str(out))
    assert p.returncode == 0, p.stderr.decode()
    md = out.read_text(encoding="utf-8")
    assert "没有发现" in md and "## 六、证据清单" in md


def test_unknown_report_extension_is_a_usage_error(tmp_path):
    p = run_cli("report", *DEMO_ARGS, "-o", str(tmp_path / "report.txt"))
    assert p.returncode == 2 and ".html" in p.stderr.decode() and not (tmp_path / "report.txt").exists()


# --------------------------------------------------------------------------- HTML in Chromium
def _browser_check(html_path, shot_path, script=None):
    _need("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            problems, dialogs = [], []
            page.on("console", lambda m: problems.append(f"{m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(html_path.as_uri())
            page.wait_for_load_state("load")
            page.evaluate("() => document.fonts.ready")
            result = page.evaluate(script) if script else None
            page.screenshot(path=str(shot_path), full_page=True)
            return problems, dialogs, result
        finally:
            browser.close()


def test_html_renders_in_headless_chromium_with_charts(demo):
    shot = demo / "report-screenshot.png"
    problems, dialogs, info = _browser_check(demo / "report.html", shot, """() => ({
        charts: [...document.querySelectorAll('figure svg.chart')].map(s => ({
            paths: s.querySelectorAll('path').length, w: s.getBoundingClientRect().width,
            h: s.getBoundingClientRect().height})),
        font: document.fonts.check('16px CollcheckCJK', '催收合规'),
        findings: document.querySelectorAll('article.finding').length,
        sections: [...document.querySelectorAll('h2')].map(h => h.textContent),
        external: [...document.querySelectorAll('[src], link[href]')].map(e => e.getAttribute('src') || e.href),
    })""")
    assert problems == [] and dialogs == []
    assert len(info["charts"]) == 3
    for c in info["charts"]:
        assert c["paths"] > 20 and c["w"] > 300 and c["h"] > 150, c
    assert info["font"], "the embedded Chinese font did not load"
    assert info["findings"] > 10
    assert len(info["sections"]) == 6
    assert info["external"] == []  # one self-contained file
    from PIL import Image, ImageStat

    with Image.open(shot) as im:
        assert im.width >= 1000 and im.height > 3000
        assert ImageStat.Stat(im.convert("L")).stddev[0] > 20


def test_html_is_printable(demo):
    html = (demo / "report.html").read_text(encoding="utf-8")
    assert "@media print" in html and "@page" in html and "break-inside: avoid" in html
    assert "<link " not in html and 'src="http' not in html


def test_markup_in_transcripts_shows_as_text(tmp_path):
    t = tmp_path / "t.txt"
    t.write_text("[2026-10-14 10:30:05] 催收员：我是城东派出所的<script>alert(1)</script><b>粗体</b>\n"
                 "[2026-10-14 10:31:00] 催收员：<img src=x onerror=alert(2)>明天去你单位找你领导\n", encoding="utf-8")
    out = tmp_path / "r.html"
    p = run_cli("report", str(t), "-o", str(out))
    assert p.returncode == 1, p.stderr.decode()
    html = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;粗体&lt;/b&gt;" in html
    assert "<script>alert" not in html and "<b>" not in html and "<img" not in html
    problems, dialogs, info = _browser_check(out, tmp_path / "escape.png", """() => ({
        quotes: [...document.querySelectorAll('.quote')].map(q => q.textContent).join('\\n'),
        bold: document.querySelectorAll('main b').length, imgs: document.querySelectorAll('img').length,
        scripts: [...document.querySelectorAll('script')].map(s => s.type)})""")
    assert dialogs == [] and info["bold"] == 0 and info["imgs"] == 0
    assert info["scripts"] == ["application/json"]
    assert "<script>alert(1)</script><b>粗体</b>" in info["quotes"]
    assert "<img src=x onerror=alert(2)>" in info["quotes"]
    md = tmp_path / "r.md"
    run_cli("report", str(t), "-o", str(md))
    text = md.read_text(encoding="utf-8")
    outside_code = re.sub(r"```.*?```", "", text, flags=re.S)  # inside a fence, markup is shown as it is
    assert "<script>" not in outside_code and "<b>" not in outside_code and r"\<script\>" in outside_code


# --------------------------------------------------------------------------- PDF through poppler
def test_pdf_text_fonts_and_pixels(demo):
    pdf = demo / "report.pdf"
    text = subprocess.run([_need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    for q in QUOTES:
        assert q in flat, q
    for a in ARTICLES:
        assert a in flat, a
    for s in ("催收合规证据报告", "证据清单", "转引自二手来源，未经官方文本核对", "大意（非原文）",
              _sha(DEMO / "case.jsonl")):
        assert s in flat, s
    fonts = subprocess.run([_need("pdffonts"), str(pdf)], capture_output=True, check=True).stdout.decode().splitlines()
    rows = [r for r in fonts[2:] if r.strip()]
    assert rows, fonts
    for r in rows:
        cols = r.split()
        assert cols[-5] == "yes", f"font not embedded: {r}"  # emb column
    assert any("NotoSansSC" in r for r in rows)
    from PIL import Image, ImageStat

    for page in (1, 2):
        stem = demo / f"page{page}"
        subprocess.run([_need("pdftoppm"), "-r", "50", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                        str(pdf), str(stem)], check=True)
        with Image.open(f"{stem}.png") as im:
            assert ImageStat.Stat(im.convert("L")).stddev[0] > 15, f"page {page} looks blank"


# --------------------------------------------------------------------------- redaction
def test_redact_masks_debtor_third_parties_and_ids(tmp_path):
    f = tmp_path / "r.jsonl"
    f.write_text(
        '{"id": "a", "channel": "sms", "time": "2026-10-13T10:00:00+08:00", "from": "17012345601", "to": "13800138000",'
        ' "speaker": "collector", "text": "你老公张伟和你妈13912345678都知道你欠钱了，'
        '下一步就是你通讯录里所有人，身份证110105199003071234我们也有"}\n'
        '{"id": "b", "channel": "sms", "time": "2026-10-13T11:00:00+08:00", "from": "17012345601", "to": "13800138000",'
        ' "speaker": "collector", "text": "我们已经联系了你同事王小明，明天去你单位找你领导，你打13800138000也没用"}\n',
        encoding="utf-8")
    nums = tmp_path / "n.txt"
    nums.write_text("催收: 17012345601\n", encoding="utf-8")
    out = tmp_path / "r.json"
    p = run_cli("report", str(f), "--numbers", str(nums), "--redact", "--redact-name", "王小明", "-o", str(out))
    assert p.returncode == 1, p.stderr.decode()
    raw = out.read_text(encoding="utf-8")
    for secret in ("13912345678", "110105199003071234", "13800138000", "张伟", "王小明"):
        assert secret not in raw, secret
    doc = json.loads(raw)
    assert doc["summary"]["debtor"] == "138****8000" and doc["meta"]["redacted"]
    assert "17012345601" in raw  # collector numbers stay
    assert "你老公张*" in raw and "你妈139****5678" in raw and "同事王**" in raw
    assert "110*" in raw
    plain = tmp_path / "plain.json"
    run_cli("report", str(f), "--numbers", str(nums), "-o", str(plain))
    assert "13912345678" in plain.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- verify
def test_verify_reports_match_mismatch_missing(tmp_path):
    for name in ("case.jsonl", "call-2026-10-14.txt", "collectors.txt"):
        shutil.copy(DEMO / name, tmp_path / name)
    rep = tmp_path / "report.json"
    p = run_cli("report", "case.jsonl", "call-2026-10-14.txt", "--numbers", "collectors.txt", "-o", "report.json",
                cwd=tmp_path)
    assert p.returncode == 1, p.stderr.decode()
    p = run_cli("verify", "report.json", "case.jsonl", "call-2026-10-14.txt", "collectors.txt", cwd=tmp_path)
    assert p.returncode == 0, p.stdout.decode() + p.stderr.decode()
    out = p.stdout.decode()
    assert out.count("MATCH") == 4 and "report.json" in out  # three inputs and the report's own sidecar
    p = run_cli("verify", "report.json", cwd=tmp_path)  # inputs default to the manifest's
    assert p.returncode == 0, p.stdout.decode()
    # checked from another folder: the manifest's files are looked for beside the report
    p = run_cli("verify", str(rep), cwd=ROOT)
    assert p.returncode == 0 and p.stdout.decode().count("MATCH") == 4, p.stdout.decode()

    data = bytearray((tmp_path / "case.jsonl").read_bytes())
    data[100] ^= 0x01  # one byte changed
    (tmp_path / "case.jsonl").write_bytes(bytes(data))
    p = run_cli("verify", "report.json", "case.jsonl", "call-2026-10-14.txt", "collectors.txt", cwd=tmp_path)
    out = p.stdout.decode()
    assert p.returncode == 1
    assert re.search(r"^MISMATCH .*case\.jsonl", out, re.M) and re.search(r"^MATCH .*call-2026-10-14\.txt", out, re.M)

    (tmp_path / "call-2026-10-14.txt").unlink()
    p = run_cli("verify", "report.json", cwd=tmp_path)
    assert p.returncode == 1 and re.search(r"^MISSING .*call-2026-10-14\.txt", p.stdout.decode(), re.M)

    p = run_cli("verify", str(rep), str(DEMO / "README.md"), cwd=tmp_path)
    assert p.returncode == 1 and "UNKNOWN" in p.stdout.decode()

    rep.write_bytes(rep.read_bytes().replace(b'"findings"', b'"Findings"', 1))  # the report itself edited
    p = run_cli("verify", "report.json", cwd=tmp_path)
    assert p.returncode == 1 and re.search(r"^MISMATCH .*report\.json.*sha256", p.stdout.decode(), re.M)


def test_verify_reads_the_html_and_markdown_manifests(demo):
    for ext in ("html", "md"):
        p = run_cli("verify", str(demo / f"report.{ext}"), *DEMO_ARGS[:2], DEMO_ARGS[3])
        assert p.returncode == 0, p.stdout.decode() + p.stderr.decode()


def test_verify_usage_errors(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    p = run_cli("verify", str(bad))
    assert p.returncode == 2 and "x.json" in p.stderr.decode()
    other = tmp_path / "y.json"
    other.write_text('{"findings": []}', encoding="utf-8")
    p = run_cli("verify", str(other))
    assert p.returncode == 2 and "manifest" in p.stderr.decode()
    p = run_cli("verify", str(tmp_path / "missing.json"))
    assert p.returncode == 2 and "no such file" in p.stderr.decode()
    p = run_cli("verify")
    assert p.returncode == 2


def test_pdf_shows_characters_the_font_lacks_instead_of_dropping_them(tmp_path):
    t = tmp_path / "emoji.txt"
    t.write_text("催收员：我是城东派出所的😡\u200b你等着\n", encoding="utf-8")
    out = tmp_path / "emoji.pdf"
    p = run_cli("report", str(t), "-o", str(out))
    assert p.returncode == 1, p.stderr.decode()
    text = subprocess.run([_need("pdftotext"), str(out), "-"], capture_output=True, check=True).stdout.decode()
    assert "我是城东派出所的〔U+1F621〕你等着" in re.sub(r"\s+", "", text)


def test_verify_notes_pasted_input_it_cannot_rehash(tmp_path):
    out = tmp_path / "pasted.json"
    p = run_cli("report", "-", "-o", str(out), stdin="催收员：我是城东派出所的\n")
    assert p.returncode == 1, p.stderr.decode()
    p = run_cli("verify", str(out))
    assert p.returncode == 0 and "SKIPPED" in p.stdout.decode() and "stdin" in p.stdout.decode()


def test_redactor_unit():
    from checker.report.redact import Redactor, mask_number

    r = Redactor.make(True, {"+8617012345601"}, ["赵六"])
    assert mask_number("+8613800138000") == "138****8000"
    assert r.number("17012345601") == "17012345601" and r.number("13800138000") == "138****8000"
    s = r.text("你老公张伟说的，身份证 11010519900307123X，电话 139 1234 5678，催收 170-1234-5601，赵六也知道")
    assert "张伟" not in s and "11010519900307123X" not in s and "139 1234 5678" not in s and "赵六" not in s
    assert "170-1234-5601" in s and "你老公张*说的" in s
    assert r.text("你妈都知道了，领导马上就到") == "你妈都知道了，领导马上就到"  # no name there
    assert Redactor.make(False, ()).text("13912345678") == "13912345678"


def test_pasted_text_is_labelled_in_every_report_format_and_verify_still_works(tmp_path):
    stdin = "催收员：我是城东派出所的\n"
    for ext in ("html", "md"):
        out = tmp_path / f"pasted.{ext}"
        p = run_cli("report", "-", "-o", str(out), stdin=stdin)
        assert p.returncode == 1, p.stderr.decode()
        text = out.read_text(encoding="utf-8")
        shown = text[:text.index("collcheck-manifest")]  # what a person reads, before the machine copy
        assert "粘贴的文字" in shown and "`stdin`" not in shown and "<code>stdin</code>" not in shown
        assert '"file": "stdin"' in text and '"label": "粘贴的文字"' in text  # the manifest keeps the name
        p = run_cli("verify", str(out))
        assert p.returncode == 0 and "SKIPPED" in p.stdout.decode() and "粘贴的文字" in p.stdout.decode()
    pdf = tmp_path / "pasted.pdf"
    assert run_cli("report", "-", "-o", str(pdf), stdin=stdin).returncode == 1
    text = subprocess.run([_need("pdftotext"), str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "粘贴的文字" in re.sub(r"\s+", "", text)


def test_the_report_reads_every_kind_of_roles_note_the_readers_write():
    """The report's 谁的话被判断 is read back from the readers' notes: each wording roles_note and
    ambiguous_note write must parse (a reworded note would otherwise vanish from the report)."""
    from checker.io.common import ambiguous_note, roles_note, speakers_of_note
    from checker.report.model import speakers_zh

    roles = {"B": "collector", "A": "debtor"}
    assert speakers_of_note(roles_note("f.txt", "speaker labels", ["A", "B"], roles, "我是速易借的")) == {
        "collector": "B", "debtor_side": "A", "how": "words", "cue": "我是速易借的"}
    assert speakers_of_note(roles_note("f.txt", "speaker labels", ["A", "B"], roles, ""))["how"] == "company"
    named = roles_note("f.txt", "WeChat nicknames", ["阿强", "速易借-小周"], {"速易借-小周": "collector",
                                                                          "阿强": "debtor"}, "", True)
    sp = speakers_of_note(named)
    assert sp["how"] == "name" and sp["collector"] == "速易借-小周" and "名字像贷款机构" in speakers_zh(sp)
    for debtor_named, labels in ((False, ["A", "B"]), (False, ["甲", "乙", "丙"]), (True, ["A", "B"])):
        assert speakers_of_note(ambiguous_note("f.txt", "speaker labels", labels, debtor_named)) == {"unknown": labels}
    assert speakers_of_note("f.txt: 3 row(s) were filtered") is None


def test_the_report_says_whose_lines_were_judged_when_the_labels_did_not(tmp_path):
    """A debtor's transcript labelled 说话人1 / 2: the evidence list says which speaker's lines were
    judged as the collector's, which were set aside as the debtor's and why — and, when nothing
    told them apart, that both were judged — in the JSON manifest, the Markdown and the HTML."""
    call = tmp_path / "录音.txt"
    call.write_text("说话人1：喂\n说话人2：喂，是张磊吗？我是速易借的贷后专员，您的借款逾期了\n"
                    "说话人1：你们上次说要去我单位找领导，这合法吗\n说话人2：有同事这么说是不对的\n", encoding="utf-8")
    out = tmp_path / "r.json"
    run_cli("report", str(call), "-o", str(out))
    sp = json.loads(out.read_text(encoding="utf-8"))["manifest"]["inputs"][0]["speakers"]
    assert sp == [{"collector": "说话人2", "debtor_side": "说话人1", "how": "words", "cue": "喂，是张磊吗"}]
    md = tmp_path / "r.md"
    run_cli("report", str(call), "-o", str(md))
    shown = md.read_text(encoding="utf-8")
    said = "说话人2 的话按催收方判断；说话人1 的话算债务人一方，没有判断"
    assert said in shown and shown.index(said) < shown.index("## 二、")  # in the summary at the top too
    plain = tmp_path / "无名.txt"
    plain.write_text("A：还钱\nB：下周吧\nA：你再拖我们就去你单位\n", encoding="utf-8")
    html = tmp_path / "r.html"
    run_cli("report", str(plain), "-o", str(html))
    assert "A、B 没有说明谁是催收员，全部按催收方一侧判断" in html.read_text(encoding="utf-8")


def test_an_unplaced_speaker_is_the_other_side_once_the_debtor_is_named(tmp_path):
    """A WeChat text copy with nicknames only: without --debtor an unplaced speaker is
    未标明; with the person's own nickname given, the collector's lines are 对方 — as the page says."""
    chat = tmp_path / "chat.txt"
    # (names that say nothing: 速借花王经理 would read as the agency's, its lines as the collector's)
    chat.write_text("王华 2025-03-05 22:15\n明天带人去你单位找你领导\n\n阿强 2025-03-05 22:16\n别打了\n",
                    encoding="utf-8")
    labels = {}
    for args in ((), ("--debtor", "阿强")):
        out = tmp_path / f"r{len(args)}.json"
        run_cli("report", str(chat), *args, "-o", str(out))
        doc = json.loads(out.read_text(encoding="utf-8"))
        labels[bool(args)] = {f["speaker_label"] for f in doc["findings"] if f["speaker"] == "unknown"}
    assert labels == {False: {"未标明（按催收方一侧判断）"}, True: {"对方（按催收方一侧判断）"}}


def test_a_report_with_files_left_out_says_so_in_every_format(tmp_path):
    """The web page checks the readable files when one cannot be read; the report it gives
    then says at the top that it is partial and names each left-out file, its hash and why."""
    from checker import pipeline
    from checker.engine import zone
    from checker.pack import cached_pack
    from checker.report.write import render

    pack = cached_pack("cn")
    run, _parties = pipeline.run([("sms.txt", "催收员：我是城东派出所的\n".encode())], pack, zone("Asia/Shanghai"))
    gone = {"file": "截图.csv", "size": 12, "sha256": "ab" * 32,
            "reason": "这是一张图片（PNG），不是通话记录或消息导出。"}
    report = pipeline.report_for(run, report_name="r", left_out=[gone])
    md = render(report, "md").decode()
    head = md[:md.index("## 一、")]
    assert "本报告不完整：你提供的文件中有 1 个（截图.csv）没能读取" in head
    assert f"- `截图.csv`（12 字节，SHA-256 `{'ab' * 32}`）：这是一张图片（PNG）" in md
    html = render(report, "html").decode()
    assert '<p class="partial">本报告不完整' in html and "<code>截图.csv</code>" in html
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render(report, "pdf"))
    text = re.sub(r"\s+", "", subprocess.run([_need("pdftotext"), str(pdf), "-"], capture_output=True,
                                             check=True).stdout.decode())
    assert "本报告不完整" in text and "未纳入本报告：截图.csv" in text
    # the same run without left-out files says nothing of the kind
    whole = render(pipeline.report_for(run, report_name="r"), "md").decode()
    assert "本报告不完整" not in whole and "未纳入本报告" not in whole


def test_a_signature_naming_a_state_body_is_no_platform_and_never_the_complaints_target(tmp_path):
    sms = tmp_path / "sms.csv"
    sms.write_text("号码,时间,内容\n"
                   "1069012345678,2026-03-02 13:14:00,"
                   "【XX市公安局】你涉嫌恶意透支，请于48小时内还款，否则将依法拘留。\n"
                   "1069012345678,2026-03-02 09:05:00,【速易借】您的借款已逾期3天，请还款。客服电话4001234567\n",
                   encoding="utf-8")
    out = tmp_path / "r.json"
    run_cli("report", str(sms), "-o", str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    s = doc["summary"]
    assert [p["name"] for p in s["platforms"]] == ["速易借"]
    assert s["claimed_authorities"] == [{"name": "XX市公安局", "messages": 1}]
    md = tmp_path / "r.md"
    run_cli("report", str(sms), "-o", str(md))
    text = md.read_text(encoding="utf-8")
    assert "被投诉方：速易借（短信署名）" in text and "| 自称国家机关的署名 | 【XX市公安局】" in text
    assert "被投诉方：XX市公安局" not in text

"""`collcheck serve` driven the way a person uses it: the real server in a subprocess on a
free port, Debian's headless Chromium through Playwright. A screenshot of the result page
goes to $COLLCHECK_ARTEFACTS (default: this run's pytest temporary directory)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT

BILL = ROOT / "tests" / "fixtures" / "carrier_bill"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
THREAT = "[2026-10-14 10:30:05] 催收员：你再不还钱，我们明天就上门找你。\n[2026-10-14 10:30:20] 我：我会尽快还。"
DEBTOR = "13800138000"


def _need_browser():
    """Skip where Chromium or Playwright is missing locally; in CI (CI=true) that is a failure."""
    missing = None
    if CHROMIUM is None:
        missing = "chromium is missing; .ci/run installs it (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the playwright package is missing (pip install '.[test]')"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _need_browser()
    port = _free_port()
    log = tmp_path_factory.mktemp("web-server") / "stderr.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", str(port), "--max-upload-mb", "1"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):  # up to 60 s
            if any(url in ln for ln in lines) or proc.poll() is not None:
                break
            threading.Event().wait(0.1)
        assert any(url in ln for ln in lines), f"server did not print its address: {lines} {log.read_text()}"
        yield {"url": url, "log": log, "stdout": lines}
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory):
    d = Path(os.environ.get("COLLCHECK_ARTEFACTS") or tmp_path_factory.mktemp("web-artefacts"))
    d.mkdir(parents=True, exist_ok=True)
    return d


class Watched:
    """A page with its console errors, failed and foreign requests and dialogs recorded."""

    def __init__(self, browser, server, javascript=True, width=1100):
        self.ctx = browser.new_context(accept_downloads=True, java_script_enabled=javascript,
                                       viewport={"width": width, "height": 1000})
        self.page = self.ctx.new_page()
        self.problems, self.dialogs, self.foreign = [], [], []
        base = server["url"].rstrip("/")
        p = self.page
        p.on("console", lambda m: self.problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning")
             else None)
        p.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        # a navigation that turns into a download is "aborted" as a page load: not a problem
        p.on("requestfailed", lambda r: None if "/report/" in r.url and "ERR_ABORTED" in (r.failure or "")
             else self.problems.append(f"request failed: {r.url} {r.failure}"))
        p.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        p.on("request", lambda r: None if r.url.startswith((base + "/", "data:")) else self.foreign.append(r.url))
        p.goto(server["url"])
        p.wait_for_load_state("load")
        p.evaluate("() => document.fonts.ready")  # as a person would, let the page finish before using it

    def check(self):
        self.page.click("#check")
        self.page.wait_for_selector("#result h2", timeout=120_000)
        self.page.evaluate("() => document.fonts.ready")

    def clean(self):
        assert self.problems == [] and self.dialogs == [] and self.foreign == [], \
            (self.problems, self.dialogs, self.foreign)

    def close(self):
        self.ctx.close()


@pytest.fixture
def page(browser, server):
    w = Watched(browser, server)
    yield w
    w.close()


# --------------------------------------------------------------------------- tests
def test_pasted_threat_shows_the_finding_with_quote_and_provision(page):
    page.page.fill("#text", THREAT)
    page.check()
    finding = page.page.locator('article.finding[data-rule="cn.threat.visit.home_visit"]')
    assert finding.count() == 1
    assert finding.locator(".quote mark").inner_text() == "我们明天就上门找你"
    assert "你再不还钱，我们明天就上门找你。" in finding.locator(".quote").inner_text()
    labels = finding.locator(".prov-label").all_inner_texts()
    assert any("治安管理处罚法" in x and "第四十七条" in x for x in labels), labels
    finding.locator("details summary").first.click()  # the provision's text opens in place
    assert "非法侵入他人住宅" in finding.locator(".prov").first.inner_text()
    assert page.page.locator("#cat-threat-visit h4").inner_text().startswith("以上门相威胁")
    # the debtor's own line is not a finding, and the read summary counts both lines
    cells = page.page.locator("table.files tbody tr td").all_inner_texts()
    assert cells[:3] == ["粘贴的文字", "通话文字稿", "2"]  # a usual encoding is only a hover
    page.clean()


def test_gbk_call_log_with_collector_numbers_charts_night_calls_and_downloads(page, server, artefacts):
    p = page.page
    p.set_input_files("#files", str(BILL / "cmcc_202403_gbk.csv"))
    p.fill("#numbers", (BILL / "collectors.txt").read_text(encoding="utf-8"))
    p.fill("#debtor", DEBTOR)
    p.fill("#text", "[2024-03-07 12:31:00] 催收员：你再不还钱，我们明天就上门找你。\n"
                    "[2024-03-07 12:31:20] 我：我会尽快还。")
    page.check()
    info = p.evaluate("""() => ({
        charts: [...document.querySelectorAll('figure.chart svg')].map(s => ({id: s.closest('figure').id,
            paths: s.querySelectorAll('path').length, w: s.getBoundingClientRect().width})),
        night: [...document.querySelectorAll(
            '#cat-contact-inconvenient_time article[data-rule="cn.contact.inconvenient_time.night_22_08"] .quote')]
            .map(q => q.textContent),
        rows: [...document.querySelectorAll('table.files tbody tr')].map(r => r.innerText),
        rejected: [...document.querySelectorAll('li.rejected')].map(li => li.textContent),
        font: document.fonts.check('16px CollcheckCJK', '催收合规'),
    })""")
    assert [c["id"] for c in info["charts"]] == ["chart-per-day", "chart-by-hour", "chart-heatmap"]
    for c in info["charts"]:
        assert c["paths"] > 20 and c["w"] > 600, c
    assert p.locator("#chart-per-day svg[aria-label='每日联系次数与频率上限']").count() == 1
    assert len(info["night"]) == 4, info["night"]
    assert any("07:58:12" in q and "17012345678" in q for q in info["night"])
    assert any("23:30:00" in q for q in info["night"])
    assert any("cmcc_202403_gbk.csv" in r and "通话记录" in r for r in info["rows"]), info["rows"]
    assert p.locator("table.files td[title='calllog / gb18030']").count() == 1  # the encoding, as a hover
    assert any(r.startswith("第 13 行") and "2024/13/45" in r for r in info["rejected"]), info["rejected"]
    assert info["font"], "the Chinese font served by collcheck did not load"
    shot = artefacts / "web-result.png"
    p.screenshot(path=str(shot), full_page=True)
    print(f"\nscreenshot of the result page: {shot}")
    from PIL import Image, ImageStat

    with Image.open(shot) as im:
        assert im.width >= 1000 and im.height > 3000
        assert ImageStat.Stat(im.convert("L")).stddev[0] > 20

    # downloads: the same run as a report, from the buttons beside the result
    got = {}
    for fmt, button in (("html", 0), ("pdf", 1)):
        with p.expect_response(re.compile(rf"/report/{fmt}\b")) as resp, p.expect_download() as dl:
            p.locator("#result button.download").nth(button).click()
        r = resp.value
        assert r.status == 200
        assert r.headers["content-type"] == {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}[fmt]
        assert r.headers["content-disposition"].startswith("attachment;")
        assert dl.value.suggested_filename.endswith(f".{fmt}")
        target = artefacts / f"web-report.{fmt}"
        dl.value.save_as(str(target))
        got[fmt] = target.read_bytes()
    assert got["pdf"].startswith(b"%PDF")
    html = got["html"].decode("utf-8")
    assert "催收合规证据报告" in html and "我们明天就上门找你" in html and "cmcc_202403_gbk.csv" in html
    assert DEBTOR in html
    assert p.locator("#result-title").count() == 1  # the page stayed where it was
    page.clean()
    # nothing personal in the server's log, and no access log
    log = server["log"].read_text(encoding="utf-8", errors="replace")
    assert DEBTOR not in log and "上门" not in log and "POST /" not in log and "GET /" not in log


def test_script_in_a_transcript_shows_as_text_and_runs_nothing(page):
    evil = "<script>window.__x=1</script>"
    page.page.fill("#text", f"催收员：我们明天就上门找你{evil}<img src=x onerror=\"window.__y=1\">")
    page.check()
    quote = page.page.locator('article[data-rule="cn.threat.visit.home_visit"] .quote').inner_text()
    assert evil in quote and '<img src=x onerror="window.__y=1">' in quote
    assert page.page.evaluate("() => [typeof window.__x, typeof window.__y]") == ["undefined", "undefined"]
    assert page.page.locator("#result script, #result img").count() == 0
    page.clean()


def test_oversized_upload_gets_the_friendly_message(page):
    page.page.set_input_files("#files", files=[{"name": "huge-calllog.csv", "mimeType": "text/csv",
                                                "buffer": b"2024-03-05 07:58:12,17012345678,1\n" * 50_000}])
    page.check()
    msg = page.page.locator("#result .message-box").inner_text()
    assert "上传的内容太大" in msg and "1 MB" in msg and "--max-upload-mb" in msg
    assert page.page.locator("#result article.finding").count() == 0
    page.problems[:] = [x for x in page.problems if "status of 413" not in x]  # the console notes the 413 itself
    page.clean()


def test_the_page_works_without_javascript(browser, server):
    w = Watched(browser, server, javascript=False)
    try:
        w.page.fill("#text", THREAT)
        w.page.click("#check")
        w.page.wait_for_selector("#result h2")
        assert w.page.locator('article.finding[data-rule="cn.threat.visit.home_visit"] .quote mark').inner_text() \
            == "我们明天就上门找你"
        assert w.page.input_value("#text").replace("\r\n", "\n") == THREAT  # the form comes back filled in
        w.clean()
    finally:
        w.close()


def test_english_toggle(page):
    page.page.click("a.lang")
    page.page.wait_for_load_state("load")
    assert page.page.locator("html").get_attribute("lang") == "en"
    assert page.page.locator("#check").inner_text() == "Check"
    page.page.fill("#text", THREAT)
    page.check()
    assert page.page.locator("#result h2").first.inner_text() == "Result"
    assert page.page.locator('article.finding[data-rule="cn.threat.visit.home_visit"]').count() == 1
    page.clean()


def test_the_result_fits_a_phone_screen(browser, server, artefacts):
    """A 375 px wide phone: the read summary (a long file name, rejected rows, notes) and the
    rest of the result wrap inside the screen; the page never scrolls sideways."""
    w = Watched(browser, server, width=375)
    try:
        p = w.page
        name = "call_log_export_2024_03_05_xiaomi_redmi_note_12_pro_plus_all_calls_backup.csv"
        p.set_input_files("#files", files=[{"name": name, "mimeType": "text/csv",
                                            "buffer": (BILL / "cmcc_202403_gbk.csv").read_bytes()}])
        p.fill("#numbers", (BILL / "collectors.txt").read_text(encoding="utf-8"))
        p.fill("#text", THREAT)
        w.check()
        assert p.evaluate("() => document.documentElement.scrollWidth") <= 375
        # every count of the summary is on the screen, not cut off inside a scrolling box
        rights = p.evaluate("() => [...document.querySelectorAll('table.files td')]"
                            ".map(td => td.getBoundingClientRect().right)")
        assert rights and max(rights) <= 375, rights
        # each count carries its label (the header row is hidden on a phone)
        label = p.evaluate("() => getComputedStyle(document.querySelector('table.files td.warn'), '::before').content")
        assert label == '"无法读取："' and p.locator("table.files td.warn").inner_text() == "2"
        p.screenshot(path=str(artefacts / "web-result-375.png"), full_page=True)
        w.clean()
    finally:
        w.close()


def test_a_download_after_changing_the_inputs_keeps_the_result_and_says_why(page):
    """She checks, edits the text, then presses 下载: the result stays on the page and the
    reason appears beside the button she pressed; no request leaves, nothing is downloaded."""
    p = page.page
    p.fill("#text", THREAT)
    page.check()
    p.fill("#text", THREAT + "我：好的\n")
    posts = []
    p.on("request", lambda r: posts.append(r.url) if "/report/" in r.url else None)
    p.locator("#result button.download").first.click()
    status = p.locator("#result .actions .download-status").first
    status.wait_for(state="attached")
    p.wait_for_function("() => document.querySelector('#result .download-status').textContent.length > 0")
    assert "输入改过了" in status.inner_text()
    assert p.locator("#result-title").count() == 1 and posts == []
    # put the text back as it was checked: the download goes through again
    p.fill("#text", THREAT)
    with p.expect_download() as dl:
        p.locator("#result button.download").first.click()
    assert dl.value.suggested_filename.endswith(".html")
    assert p.locator("#result-title").count() == 1
    page.clean()

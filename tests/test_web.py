"""`collcheck serve`: the web app's safety and privacy rules, checked with Starlette's
TestClient (the browser tests in test_web_browser.py drive the real server)."""

import hashlib
import html as html_mod
import json
import re
import tempfile
import warnings
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

with warnings.catch_warnings():  # newer Starlette prefers httpx2 and warns about httpx
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from checker.web import app as web
from checker.web.text import UI

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
BILL = ROOT / "tests" / "fixtures" / "carrier_bill"
NO_FILE = {"files": ("", b"", "application/octet-stream")}  # what a browser sends for an empty file input
THREAT = "[2026-10-14 10:30:05] 催收员：你再不还钱，我们明天就上门找你。\n[2026-10-14 10:30:20] 我：我会尽快还。\n"


@pytest.fixture(scope="module")
def client():
    return TestClient(web.create_app(PORT, 1), base_url=BASE)


def _check(client, text="", files=None, fragment=True, **fields):
    return client.post(f"/check?lang=zh{'&fragment=1' if fragment else ''}", data={"text": text, **fields},
                       files=files or NO_FILE)


# --------------------------------------------------------------------------- Host and Origin
@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"LOCALHOST:{PORT}"])
def test_own_host_is_served(client, host):
    r = client.get("/", headers={"host": host})
    assert r.status_code == 200 and "collcheck" in r.text


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{PORT}", "127.0.0.1", f"127.0.0.1:{PORT + 1}",
                                  f"192.168.1.5:{PORT}", f"[::1]:{PORT}", ""])
def test_other_hosts_get_400(client, host):
    """DNS rebinding: a page on evil.example that resolves to 127.0.0.1 sends Host: evil.example."""
    r = client.get("/", headers={"host": host})
    assert r.status_code == 400 and "127.0.0.1" in r.text
    r = client.post("/check", headers={"host": host}, data={"text": THREAT}, files=NO_FILE)
    assert r.status_code == 400


@pytest.mark.parametrize("headers", [{"origin": "http://evil.example"}, {"origin": "null"},
                                     {"origin": f"http://127.0.0.1:{PORT + 1}"},
                                     {"sec-fetch-site": "cross-site"},
                                     {"origin": "null", "sec-fetch-site": "cross-site"},
                                     {"origin": f"{BASE}", "sec-fetch-site": "same-site"}])
def test_cross_origin_posts_are_refused(client, headers):
    r = client.post("/check?fragment=1", data={"text": THREAT}, files=NO_FILE, headers=headers)
    assert r.status_code == 403 and "其他网站" in r.text and "发现" not in r.text


@pytest.mark.parametrize("headers", [{"origin": BASE}, {"origin": f"http://localhost:{PORT}"},
                                     {"origin": BASE, "sec-fetch-site": "same-origin"},
                                     # a form post under Referrer-Policy: no-referrer carries Origin: null
                                     {"origin": "null", "sec-fetch-site": "same-origin"}])
def test_own_origin_posts_pass(client, headers):
    r = client.post("/check?fragment=1", data={"text": THREAT}, files=NO_FILE, headers=headers)
    assert r.status_code == 200 and "我们明天就上门找你" in r.text


def test_security_headers_on_every_response(client):
    for r in (client.get("/"), client.get("/static/app.css"), client.get("/nowhere"),
              client.get("/", headers={"host": "evil.example"}), _check(client, THREAT)):
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"
    assert client.get("/").headers["cache-control"] == "no-store"  # results hold personal data


def test_page_loads_only_local_assets(client):
    html = client.get("/").text
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == ["data:,", "/static/app.css", "/static/app.js", "/?lang=en"]
    css = client.get("/static/app.css")
    assert css.status_code == 200 and "http" not in css.text and 'url("/static/font.otf")' in css.text
    font = client.get("/static/font.otf")
    assert font.status_code == 200 and font.headers["content-type"] == "font/otf" and len(font.content) > 100_000
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/app.py").status_code == 404


# --------------------------------------------------------------------------- size limit
def test_oversized_upload_gets_a_friendly_413(client):
    big = ("calls.csv", b"x" * (1024 * 1024 + 10), "text/csv")
    r = client.post("/check?fragment=1", data={"text": ""}, files={"files": big})
    assert r.status_code == 413
    assert "太大" in r.text and "1 MB" in r.text and "--max-upload-mb" in r.text
    full = client.post("/check", data={"text": ""}, files={"files": big})
    assert full.status_code == 413 and "<form" in full.text and "太大" in full.text  # the page, with the message


def test_oversized_chunked_body_is_refused_while_streaming(tmp_path):
    """No Content-Length: the limit is enforced on the bytes as they arrive, and the rest of
    the body is read and discarded so the browser gets the reply instead of a reset."""
    import asyncio

    from starlette.datastructures import Headers

    from checker.web.forms import TooLarge, read_form

    boundary = "b0undary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    chunks = [head, *[b"y" * 100_000] * 30, f"\r\n--{boundary}--\r\n".encode()]
    sent = []

    async def receive():
        sent.append(chunks[len(sent)])
        return {"type": "http.request", "body": sent[-1], "more_body": len(sent) < len(chunks)}

    headers = Headers({"content-type": f"multipart/form-data; boundary={boundary}"})
    with pytest.raises(TooLarge):
        asyncio.run(read_form(headers, receive, tmp_path, 1024 * 1024))
    assert len(sent) == len(chunks)  # drained to the end
    assert sum(f.stat().st_size for f in tmp_path.iterdir()) <= 1024 * 1024  # never more than the limit on disk


def test_limit_is_configurable(tmp_path):
    c = TestClient(web.create_app(PORT, 3), base_url=BASE)
    r = c.post("/check?fragment=1", data={"text": ""},
               files={"files": ("calls.csv", (BILL / "cmcc_202403_gbk.csv").read_bytes() + b"\n" * 2_000_000,
                                "text/csv")})
    assert r.status_code == 200, r.text[:500]
    assert "3 MB" in c.get("/").text


# --------------------------------------------------------------------------- escaping
def test_user_text_is_escaped_everywhere(client):
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    text = f"催收员：我们明天就上门找你{evil}\n"
    r = _check(client, text, fragment=False, numbers="", debtor=evil[:20], speaker=evil, tz="",
               redact_names=evil)
    assert r.status_code == 200
    html = r.text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    # the only scripts are the page's own file
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/app.js" defer>']
    # a file name is user text too
    r = _check(client, "", files={"files": (f"{evil}.txt", text.encode(), "text/plain")})
    assert "<img src=x" not in r.text and "&lt;img src=x onerror=alert(2)&gt;.txt" in r.text


def test_paraphrases_are_never_in_quotation_marks(client):
    r = _check(client, "", files={"files": ("cmcc_202403_gbk.csv", (BILL / "cmcc_202403_gbk.csv").read_bytes(),
                                            "text/csv")}, numbers=(BILL / "collectors.txt").read_text("utf-8"))
    html = r.text
    assert "大意（非原文）" in html
    for m in re.finditer(r'<span class="status warn">大意（非原文）</span><p class="text">([^<]+)</p>', html):
        assert f"“{m.group(1)}" not in html
    assert "“" in html  # verbatim provisions are quoted


# --------------------------------------------------------------------------- results and downloads
def test_read_summary_rejected_lines_and_night_calls(client):
    r = _check(client, "", files={"files": ("cmcc_202403_gbk.csv", (BILL / "cmcc_202403_gbk.csv").read_bytes(),
                                            "text/csv")}, numbers=(BILL / "collectors.txt").read_text("utf-8"))
    assert r.status_code == 200
    html = r.text
    assert "cmcc_202403_gbk.csv" in html
    # a usual encoding is not shown to her (GBK / GB18030 is what Chinese phones export); it stays as a hover
    assert '<td data-label="格式 / 编码" title="calllog / gb18030">通话记录</td>' in html
    assert "第 13 行：时间“2024/13/45 7:58”不是有效的日期时间" in html and "第 24 行" in html
    assert 'data-rule="cn.contact.inconvenient_time.night_22_08"' in html
    assert 'id="chart-per-day"' in html and "<svg" in html
    assert "17012345678（速易借）" in html


def test_downloads_are_the_reports(client):
    files = {"files": ("cmcc_202403_gbk.csv", (BILL / "cmcc_202403_gbk.csv").read_bytes(), "text/csv")}
    data = {"text": THREAT, "numbers": (BILL / "collectors.txt").read_text("utf-8")}
    r = client.post("/report/html?lang=zh", data=data, files=files)
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="collcheck-report-\d{8}-\d{6}\.html"', r.headers["content-disposition"])
    assert "催收合规证据报告" in r.text and "我们明天就上门找你" in r.text and "cmcc_202403_gbk.csv" in r.text
    p = client.post("/report/pdf?lang=zh", data=data, files=files)
    assert p.status_code == 200 and p.headers["content-type"] == "application/pdf" and p.content.startswith(b"%PDF")
    assert client.post("/report/docx", data=data, files=files).status_code == 404


def test_download_refuses_inputs_that_differ_from_the_result_shown(client):
    shown = _check(client, THREAT)
    expect = re.search(r'name="expect" form="check-form" value="([0-9a-f]{64})"', shown.text).group(1)
    same = client.post("/report/html", data={"text": THREAT, "expect": expect}, files=NO_FILE)
    assert same.status_code == 200 and same.headers["content-disposition"].startswith("attachment")
    # e.g. a page without JavaScript, whose file inputs are empty again after the check
    changed = client.post("/report/html", data={"text": THREAT + "我：好的\n", "expect": expect}, files=NO_FILE)
    assert changed.status_code == 409 and "重新选择文件" in changed.text


def test_friendly_messages_for_bad_input(client):
    r = _check(client, "")
    assert r.status_code == 400 and "没有可检查的内容" in r.text
    r = _check(client, THREAT, numbers="速易借: 170 1234 5678\nabc")
    assert r.status_code == 400 and "催收号码有误：“催收方的号码”一栏第 2 行：“abc” 不是电话号码" in r.text
    r = _check(client, "", files={"files": ("bill.pdf", b"%PDF-1.4 ...", "application/pdf")})
    assert r.status_code == 400 and "有文件无法读取" in r.text and "bill.pdf" in r.text
    r = _check(client, THREAT, tz="Mars/Olympus")
    assert r.status_code == 400 and "Mars/Olympus" in r.text
    r = client.post("/check?fragment=1", data={"text": THREAT})  # not multipart: not our page's form
    assert r.status_code == 400 and "无法读取提交的表单" in r.text
    assert client.get("/nowhere").status_code == 404
    assert client.put("/check").status_code == 405


def test_internal_error_is_a_friendly_page_and_logs_no_personal_data(client, monkeypatch, capfd):
    def boom(*_a, **_k):
        raise RuntimeError("secret 13800138000 我们明天就上门找你")

    monkeypatch.setattr(web, "_scan", boom)
    for fragment in (True, False):
        r = _check(client, THREAT, fragment=fragment)
        assert r.status_code == 500
        assert "内部出错" in r.text and "RuntimeError" in r.text
        assert "Traceback" not in r.text and "13800138000" not in r.text and "secret" not in r.text
    err = capfd.readouterr().err
    assert "RuntimeError" in err and "13800138000" not in err and "Traceback" not in err


def test_uploads_live_in_a_temporary_directory_removed_before_the_reply(client, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen = []
    real = web._inputs

    def spy(form, t):
        seen.extend((u.path, u.path.read_bytes()) for u in form.uploads)
        return real(form, t)

    monkeypatch.setattr(web, "_inputs", spy)
    r = _check(client, "", files={"files": ("t.txt", THREAT.encode(), "text/plain")})
    assert r.status_code == 200
    (path, data), = seen
    assert data == THREAT.encode() and path.parent.parent == tmp_path and path.parent.name.startswith("collcheck-")
    assert list(tmp_path.iterdir()) == []  # gone once answered
    _check(client, "", files={"files": ("big.txt", b"z" * (2 << 20), "text/plain")})
    monkeypatch.setattr(web, "_scan", lambda *a: 1 / 0)
    _check(client, THREAT, files={"files": ("t.txt", THREAT.encode(), "text/plain")})
    assert list(tmp_path.iterdir()) == []  # also after a refusal and an internal error


def test_english_toggle_and_complete_translations(client):
    assert UI["zh"].keys() == UI["en"].keys()
    en = client.get("/?lang=en").text
    assert 'lang="en"' in en and "Collector numbers" in en and 'action="/check?lang=en"' in en
    assert "中文" in en
    r = client.post("/check?lang=en&fragment=1", data={"text": ""}, files=NO_FILE)
    assert "Nothing to check" in r.text


# --------------------------------------------------------------------------- the command
def test_serve_refuses_a_busy_port():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    try:
        p = run_cli("serve", "--port", str(s.getsockname()[1]))
    finally:
        s.close()
    assert p.returncode == 2 and "cannot listen on 127.0.0.1" in p.stderr.decode() and "--port" in p.stderr.decode()
    assert "Traceback" not in p.stderr.decode()


def test_serve_offers_no_host_option():
    p = run_cli("serve", "--host", "0.0.0.0")
    assert p.returncode == 2 and "No such option" in p.stderr.decode()
    help_text = run_cli("serve", "--help").stdout.decode()
    assert "127.0.0.1" in help_text and "--max-upload-mb" in help_text and "--port" in help_text


def test_web_templates_and_assets_are_packaged():
    import tomllib

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "checker.web" in conf["tool"]["setuptools"]["packages"]
    data = conf["tool"]["setuptools"]["package-data"]["checker.web"]
    web_dir = Path(web.__file__).parent
    for sub, pattern in (("templates", "*.j2"), ("static", "*")):
        assert f"{sub}/{pattern}" in data and list((web_dir / sub).glob(pattern))
    deps = " ".join(conf["project"]["dependencies"])
    for dep in ("starlette", "uvicorn", "python-multipart", "jinja2"):
        assert dep in deps


def test_an_error_outside_the_form_handler_is_still_a_friendly_page(monkeypatch, capfd):
    """The last line of defence: an error while drawing the page itself (here the pack list)."""
    c = TestClient(web.create_app(PORT, 1), base_url=BASE)

    def broken():
        raise OSError("/home/someone/private/calls.csv unreadable")

    monkeypatch.setattr(web, "available_packs", broken)
    r = c.get("/")
    assert r.status_code == 500 and "内部出错" in r.text and "OSError" in r.text
    assert "Traceback" not in r.text and "someone" not in r.text
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    err = capfd.readouterr().err
    assert "OSError" in err and "someone" not in err and "Traceback" not in err


# --------------------------------------------------------------------------- report digests
def _result_fields(html):
    return {k: re.search(rf'name="{k}" form="check-form" value="([^"]+)"', html).group(1)
            for k in ("expect", "generated")}


def test_result_shows_the_html_reports_sha256_and_offers_the_sidecars(client):
    import hashlib

    shown = _check(client, THREAT)
    digest = re.search(r'class="sha256">([0-9a-f]{64})<', shown.text).group(1)
    name = re.search(r"<code>(collcheck-report-\d{8}-\d{6}\.html)</code>", shown.text).group(1)
    assert 'formaction="/report/html.sha256' in shown.text and 'formaction="/report/pdf.sha256' in shown.text
    form = {"text": THREAT, **_result_fields(shown.text)}
    html = client.post("/report/html", data=form, files=NO_FILE)
    assert html.status_code == 200 and f'filename="{name}"' in html.headers["content-disposition"]
    assert hashlib.sha256(html.content).hexdigest() == digest  # the page's digest is the download's
    sidecar = client.post("/report/html.sha256", data=form, files=NO_FILE)
    assert sidecar.status_code == 200 and sidecar.headers["content-type"].startswith("text/plain")
    assert f'filename="{name}.sha256"' in sidecar.headers["content-disposition"]
    assert sidecar.text == f"{digest}  {name}\n"  # sha256sum -c format, as collcheck report writes it
    assert "content-security-policy" in sidecar.headers  # the same guard as every response
    pdf = client.post("/report/pdf", data=form, files=NO_FILE)
    pdf_sidecar = client.post("/report/pdf.sha256", data=form, files=NO_FILE)
    assert pdf_sidecar.text == f"{hashlib.sha256(pdf.content).hexdigest()}  {name[:-5]}.pdf\n"


def test_sidecar_needs_a_result_and_the_same_inputs(client):
    r = client.post("/report/html.sha256", data={"text": THREAT}, files=NO_FILE)
    assert r.status_code == 409 and "先按“检查”" in r.text
    form = _result_fields(_check(client, THREAT).text)
    r = client.post("/report/html.sha256", data={"text": THREAT + "我：好的\n", **form}, files=NO_FILE)
    assert r.status_code == 409
    r = client.post("/report/html.sha256", data={"text": THREAT, **form, "generated": "yesterday"}, files=NO_FILE)
    assert r.status_code == 400 and "Traceback" not in r.text
    assert client.post("/report/md.sha256", data={"text": THREAT, **form}, files=NO_FILE).status_code == 404
    r = client.post("/report/html.sha256", data={"text": THREAT, **form}, files=NO_FILE,
                    headers={"origin": "http://evil.example"})
    assert r.status_code == 403


def test_date_order_field_reads_ambiguous_dates(client):
    bill = (ROOT / "tests/fixtures/calllog_csv/ambiguous_day_month.csv").read_bytes()
    files = {"files": ("amb.csv", bill, "text/csv")}
    page = client.get("/").text
    assert '<select name="date_order" id="date_order">' in page and "日/月/年" in page
    r = _check(client, files=files)
    # no row can be read without the order: an error (as the command line's exit 2) that says which field to set
    assert r.status_code == 400 and "“更多选项”里的“日期顺序”选好" in r.text and "--date-order" not in r.text
    assert "没有一行能读取" in r.text and "分不清是 3 月 5 日还是 5 月 3 日" in r.text
    r = _check(client, files=files, date_order="dmy")
    assert r.status_code == 200 and "“日期顺序”选好" not in r.text and "2024-03-06" in r.text
    assert '<option value="dmy" selected>' in _check(client, files=files, date_order="dmy", fragment=False).text
    r = _check(client, files=files, date_order="dym")
    assert r.status_code == 400 and "日期顺序“dym”无效" in r.text


def test_caller_callee_bill_asks_for_the_own_number_field(client):
    bill = (ROOT / "tests/fixtures/caller_callee/two_numbers_every_row.csv").read_bytes()
    files = {"files": ("bill.csv", bill, "text/csv")}
    r = _check(client, files=files)
    assert r.status_code == 400 and "文件“bill.csv”第 1 行：" in r.text and "“你自己的号码”一栏" in r.text
    assert "--debtor" not in r.text
    r = _check(client, files=files, debtor="13912345678")
    assert r.status_code == 200 and "发现" in r.text


def test_with_collector_numbers_the_page_says_what_was_left_out(client):
    """With numbers listed, the page counts the unlisted numbers' and number-less calls it did not
    judge — and does not tell the person to list numbers they have just listed."""
    log = ("对方号码,呼叫类型,通话时间,通话时长\n17012345678,被叫,2024-03-05 22:30:00,60\n"
           "13800000000,被叫,2024-03-05 10:00:00,60\n,被叫,2024-03-05 23:00:00,60\n")
    r = _check(client, files={"files": ("calls.csv", log.encode("utf-8"), "text/csv")}, numbers="17012345678")
    html = r.text
    assert UI["zh"]["unlisted"].format(n=1) in html and UI["zh"]["no_number"].format(n=1) in html
    assert UI["zh"]["exempt_hint"] not in html


def test_a_long_category_lists_the_first_findings_and_says_so(client, monkeypatch):
    monkeypatch.setattr(web, "SHOWN_PER_CATEGORY", 2)
    rows = "".join(f"17012345678,被叫,2024-03-0{d} 22:{m:02d}:00,60\n" for d in range(1, 4) for m in (10, 20))
    r = _check(client, files={"files": ("calls.csv", ("对方号码,呼叫类型,通话时间,通话时长\n" + rows).encode(),
                                        "text/csv")})
    html = r.text
    # one card for the rule, with the occurrences the cap lets through
    assert html.count('data-rule="cn.contact.inconvenient_time.night_22_08"') == 1
    assert html.count('<li class="occ"') == 2
    assert UI["zh"]["shown_first"].format(n=6, shown=2) in html


def test_a_check_behind_a_long_one_is_told_at_once(client, monkeypatch):
    monkeypatch.setattr(web, "BUSY_WAIT_S", 0.05)
    assert web._LOCK.acquire(timeout=5)  # a long check is running
    try:
        r = _check(client, THREAT)
    finally:
        web._LOCK.release()
    assert r.status_code == 503 and "另一项检查还在进行" in r.text


# --------------------------------------------------------------------------- the readers' words in Chinese
FIXTURES = ROOT / "tests" / "fixtures"
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
_QUOTED = re.compile(r"“[^”]*”|'[^']*'|「[^」]*」|<code>.*?</code>", re.S)


def english_sentences(text):
    """Runs of three or more English words: an untranslated reader's sentence. Quoted values (a
    file name, a cell, a column name) are the person's own data and are left out."""
    return _ENGLISH.findall(_QUOTED.sub(" ", html_mod.unescape(re.sub(r"<[^>]+>", "", text))))


def shown_messages(page):
    """What the page says about the inputs: the error box, rejected rows and notes."""
    parts = re.findall(r'<div class="message-box"[^>]*>.*?<p>(.*?)</p>', page, re.S)
    parts += re.findall(r'<li class="(?:rejected|note)">(.*?)</li>', page, re.S)
    parts += re.findall(r'<ul class="party-notes">(.*?)</ul>', page, re.S)
    return parts


def _fixture_inputs():
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix not in (".py", ".md"))
    return [(str(p.relative_to(FIXTURES)), p.read_bytes()) for p in files]


# Files a person uploads by mistake, or that cannot be read: each gives an input error
BROKEN = [
    ("photo.png", bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\0" * 32),
    ("screenshot.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 32),
    ("bill.pdf", b"%PDF-1.4\n1 0 obj\n"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
    ("export.zip", b"PK\x03\x04" + b"\0" * 40),
    ("empty.csv", b""),
    ("blank.txt", b" \n\n"),
    ("binary.dat", bytes(range(256)) * 4),
    ("page.html", b"<html><body><p>no table here</p></body></html>"),
    ("backup.xml", b"<?xml version='1.0'?><contacts/>"),
    ("bad.json", b'[{"number": "1", '),
    ("keys.json", b'[{"foo": 1, "bar": 2}]'),
    ("foo.csv", b"foo,bar,baz\n1,2,3\n"),
    ("all_bad.csv", "时间,号码,类型,时长\n昨天,17012345678,视频聊天,60\n".encode()),
]


@pytest.mark.parametrize(("name", "data"), _fixture_inputs() + BROKEN, ids=lambda v: v if isinstance(v, str) else "")
def test_the_page_says_every_readers_message_in_chinese(client, name, data):
    """Every fixture (and every common unreadable upload) through the page: the read summary,
    rejected rows, notes and errors are Chinese, never a reader's English sentence, and never
    a command-line option; nothing falls back to the untranslated original."""
    r = _check(client, files={"files": (name, data, "application/octet-stream")})
    assert r.status_code in (200, 400) and "Traceback" not in r.text, r.text[:500]
    shown = shown_messages(r.text)
    assert shown or r.status_code == 200
    said = " ".join(shown)
    assert english_sentences(said) == [], said
    assert "英文原文" not in said, said
    assert not re.search(r"--(?:numbers|debtor|columns|date-order|collector-speaker|encoding|input-format)\b", said)


def test_wrong_encoding_is_said_plainly(client):
    r = _check(client, files={"files": ("calls.csv", bytes(range(256)) * 4, "text/csv")})
    assert r.status_code == 400
    assert "有文件无法读取：文件“calls.csv”第 2 行：这个文件不是能识别的文本" in r.text
    assert "（不是 UTF-8、UTF-16 或 GBK/GB18030 编码" in r.text
    assert "另存为 UTF-8 编码" in r.text and "--encoding" not in r.text


def test_empty_file_is_said_plainly(client):
    r = _check(client, files={"files": ("calls.csv", b"", "text/csv")})
    assert r.status_code == 400 and "文件“calls.csv”：文件是空的" in r.text


def test_unknown_columns_are_said_plainly_with_what_to_do_instead(client):
    r = _check(client, files={"files": ("foo.csv", b"foo,bar,baz\n1,2,3\n", "text/csv")})
    assert r.status_code == 400
    assert "没有认出这个表格的列名" in r.text and "第 1 行的列名是：“foo”、“bar”、“baz”" in r.text
    assert "把表头改成" in r.text and "--columns" not in r.text and "--input-format" not in r.text


def test_a_malformed_row_keeps_its_line_value_and_column(client):
    log = "对方号码,呼叫类型,通话时间,通话时长\n17012345678,被叫,2024-03-05 22:30:00,60\n" \
          "17012345678,视频聊天,2024-03-05 22:40:00,60\n17012345678,被叫,2024-03-32 22:50:00,1分钟\n"
    r = _check(client, files={"files": ("calls.csv", log.encode(), "text/csv")})
    assert r.status_code == 200
    assert "<li class=\"rejected\">第 3 行：不认识的通话类型“视频聊天”；应该是主叫、被叫" in r.text
    assert "第 4 行：时间“2024-03-32 22:50:00”不是有效的日期时间" in r.text


@pytest.mark.parametrize(("name", "data", "says"), [
    ("photo.csv", bytes.fromhex("89504e470d0a1a0a0000000d49484452"), "这是一张图片（PNG），不是导出的通话记录或短信"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版 Excel（.xls）"),
    ("bill.pdf", b"%PDF-1.4 ...", "PDF"),
])
def test_common_file_errors_are_said_plainly(client, name, data, says):
    r = _check(client, files={"files": (name, data, "application/octet-stream")})
    assert r.status_code == 400 and f"有文件无法读取：文件“{name}”：" in r.text and says in r.text
    assert english_sentences(" ".join(shown_messages(r.text))) == [] and "Traceback" not in r.text


def test_no_findings_is_said_in_chinese(client):
    r = _check(client, "催收员：您好，提醒您本月账单已出，请按时还款。\n我：好的，谢谢。\n")
    assert r.status_code == 200 and UI["zh"]["no_findings"] in r.text
    assert english_sentences(" ".join(shown_messages(r.text))) == []


def test_the_english_page_keeps_the_readers_words_after_a_gloss(client):
    r = client.post("/check?lang=en&fragment=1", data={"text": ""},
                    files={"files": ("photo.csv", bytes.fromhex("89504e470d0a1a0a0000000d49484452"), "text/csv")})
    assert r.status_code == 400 and UI["en"]["gloss_image"] in r.text and "an image (PNG)" in r.text


def test_every_shape_has_a_chinese_template_that_fills():
    """Each reader's message shape, filled with sample values, gives its Chinese (a template that
    names a part the shape lacks would fail here, not on someone's upload)."""
    from checker.web.plain import CHOICES, SHAPES, body_zh

    for shape, _zh in SHAPES:
        sample = re.sub(r"\{(\w+)\}", lambda m: "a cue with no text" if m.group(1) == "reason"
                        else next(iter(CHOICES[m.group(1)])) if m.group(1) in CHOICES else "X9", shape)
        zh = body_zh(sample)
        assert zh is not None, shape
        assert english_sentences(zh) == [], (shape, zh)


def test_a_pdfs_page_note_is_chinese_for_one_page_and_many():
    """The PDF reader's note names where each page starts: the page says that in Chinese too
    (its inner list of pages is English in the reader's note)."""
    from checker.io.pdf import page_note
    from checker.web.plain import Plain

    plain = Plain("zh")
    for starts, says in (([1], "共 1 页"), ([1, 45], "共 2 页，按顺序连在一起：第 2 页从第 45 行起"),
                         ([1, 40, 80, 120, 160, 200, 240, 280], "第 6 页从第 200 行起，…")):
        zh = plain.note(page_note("bill.pdf", starts), "bill.pdf")
        assert says in zh and english_sentences(zh) == [] and "page" not in zh, zh


def test_the_same_calls_in_two_files_and_a_chat_without_a_year_are_told_in_chinese(client):
    """The notes of the newer readers (calls found in two files, dates without a year, Word
    files) come out in Chinese on the page, with no English sentence."""
    log = "通话时间,对方号码,呼叫类型,通话时长\n2024-03-05 22:30:00,17012345678,被叫,60\n".encode()
    r = _check(client, files=[("files", ("手机通话记录.csv", log, "text/csv")),
                              ("files", ("详单.csv", log, "text/csv"))])
    said = " ".join(shown_messages(r.text))
    assert "“详单.csv”里有 1 个电话在“手机通话记录.csv”里也有" in said, said
    assert english_sentences(said) == [], said
    r = _check(client, "对方 10月22日 晚上10:15\n你再不还钱我们就去你单位\n\n我 10月22日 晚上10:20\n别打了\n",
               debtor="我")
    said = " ".join(shown_messages(r.text))
    assert "没有写年份" in said and english_sentences(said) == [], said
    from checker.io.times import assumed_year_note
    from checker.web.plain import Plain

    for years in ([2026], [2025, 2026]):
        note = assumed_year_note("chat.txt", "3 date(s)", "line 2: '10月22日 晚上10:15'", years)
        zh = Plain("zh").note(note, "chat.txt")
        assert "第 2 行：“10月22日 晚上10:15”" in zh and english_sentences(zh) == [], zh


def test_an_unknown_message_is_framed_in_chinese_and_kept_whole():
    from checker.web.plain import Plain

    plain = Plain("zh")
    said = plain.reason("a brand-new reason nobody translated yet")
    assert "英文原文" in said and "a brand-new reason nobody translated yet" in said
    said = plain.error("calls.csv:7: something new went wrong", ["calls.csv"])
    assert said.startswith("文件“calls.csv”第 7 行：") and "something new went wrong" in said
    assert plain.note("calls.csv: 2 row(s) filtered: a brand-new filter", "calls.csv").startswith("（这条说明")
    assert Plain("en").reason("a cue with no text") == "a cue with no text"


def test_read_summary_fits_a_phone_screen_css(client):
    """On a 375 px phone the read summary becomes one card per file with labelled counts, inside
    a box that scrolls rather than the page (tests/test_web_browser.py measures it in Chromium)."""
    css = client.get("/static/app.css").text
    phone = css[css.index("@media (max-width: 640px)"):]
    for rule in (".table-scroll { overflow-x: auto;",
                 "table.files, table.files tbody, table.files tr { display: block;",
                 "table.files td[data-label]::before { content: attr(data-label)", "overflow-wrap: anywhere"):
        assert rule in phone, rule
    assert "#result, .message-box, details.file-notes summary { overflow-wrap: break-word; }" in css
    html = _check(client, THREAT).text
    assert '<div class="table-scroll"><table class="files">' in html
    assert f'<td class="num" data-label="{UI["zh"]["rows"]}">' in html


# --------------------------------------------------------------------------- pasted text in the report
def test_report_names_pasted_text_for_people_and_verify_still_checks_the_files(client, tmp_path):
    """The downloaded report calls the text box's contents 粘贴的文字 (its manifest keeps the
    machine name "stdin"); `collcheck verify` re-hashes the uploaded file and says plainly that
    pasted text has no file to re-hash."""
    import json

    bill = (BILL / "cmcc_202403_gbk.csv").read_bytes()
    files = {"files": ("cmcc_202403_gbk.csv", bill, "text/csv")}
    r = client.post("/report/html?lang=zh", data={"text": THREAT}, files=files)
    assert r.status_code == 200
    html = r.text
    manifest = json.loads(re.search(r'id="collcheck-manifest">(.*?)</script>', html, re.S).group(1))
    pasted = next(i for i in manifest["inputs"] if i["file"] == "stdin")
    assert pasted["label"] == "粘贴的文字"
    section = html[html.index('<section id="manifest">'):html.index('<script type="application/json"')]
    assert "粘贴的文字" in section and "collcheck verify 无法重新计算它的哈希" in section
    assert ">stdin<" not in section and "<code>stdin</code>" not in html  # in what a person reads
    assert "粘贴的文字 第 1 行" in html  # a finding's source
    assert "- 粘贴的文字（SHA-256：" in html  # the complaint draft's list of evidence
    report = tmp_path / "report.html"
    report.write_bytes(r.content)
    (tmp_path / "cmcc_202403_gbk.csv").write_bytes(bill)
    p = run_cli("verify", str(report), str(tmp_path / "cmcc_202403_gbk.csv"))
    out = p.stdout.decode()
    assert p.returncode == 0, out + p.stderr.decode()
    assert "MATCH" in out and "cmcc_202403_gbk.csv" in out
    assert "SKIPPED" in out and "粘贴的文字没有文件可重新计算哈希" in out
    (tmp_path / "cmcc_202403_gbk.csv").write_bytes(bill + b"\n")  # a changed file is still caught
    assert run_cli("verify", str(report), str(tmp_path / "cmcc_202403_gbk.csv")).returncode == 1


# --------------------------------------------------------------------------- what a non-programmer meets
NICK_CHAT = ("花呗逾期专员 2026/10/24 22:40\n王女士，今晚12点前不还款，明天我们的外访人员就去你家里和你单位\n"
             "秀兰 2026/10/24 22:41\n你们再打电话给我老公和我单位领导，我就报警\n"
             "花呗逾期专员 2026/10/24 22:43\n你儿子在实验小学读三年级吧？我们也可以去学校找他\n"
             "秀兰 2026/10/24 22:50\n我下个月15号一定还\n")


def _night_calls(n):
    rows = "".join(f"17012345678,被叫,2024-03-{1 + i // 3:02d} 22:{10 * (i % 3):02d}:00,60\n" for i in range(n))
    return {"files": ("通话记录.csv", ("对方号码,呼叫类型,通话时间,通话时长\n" + rows).encode(), "text/csv")}


def _visible(html):
    """The page's text as she reads it: no tags, no attribute values."""
    return html_mod.unescape(re.sub(r"<[^>]+>", " ", html))


def test_a_two_sender_chat_whose_names_say_who_is_who_is_read_so_and_the_page_says_it(client):
    """花呗逾期专员 reads as an agency's name and 秀兰's does not: her lines are her own (not judged)
    without her typing anything, and the page says so in Chinese and how to say otherwise."""
    text = _visible(_check(client, NICK_CHAT).text)
    assert "我下个月15号一定还" not in text and "去学校找他" in text
    assert "花呗逾期专员 的名字像贷款机构或催收公司的" in text and "填 秀兰" in text


def test_ambiguous_nicknames_point_to_her_own_box_first(client):
    # two nicknames that say nothing (李华 / 秀兰): never guessed, her own box first
    r = _check(client, NICK_CHAT.replace("花呗逾期专员", "李华"))
    text = _visible(r.text)
    own = text.index("“你自己的号码”一栏填你自己在聊天里的名字")
    assert own < text.index("“催收员的说话人标签”")  # the visible box first, the hidden option second
    assert "A / B" not in text  # the nicknames are not A/B speaker labels
    # once she types her nickname, her own lines are not judged and the others are "the other side"
    r = _check(client, NICK_CHAT.replace("花呗逾期专员", "李华"), debtor="秀兰")
    text = _visible(r.text)
    assert "未标明（按催收方一侧判断）" not in text and "对方（按催收方一侧判断）" in text
    assert "我下个月15号一定还" not in text and "去学校找他" in text
    assert "你自己在聊天里的名字" not in text


def test_next_steps_beside_the_downloads_and_checksums_folded_away(client):
    html = _check(client, THREAT).text
    actions = html.index('class="download"')
    steps = html.index(UI["zh"]["next_steps"])
    assert "12378" in UI["zh"]["next_steps"] and "12321" in UI["zh"]["next_steps"] and "草稿" in UI["zh"]["next_steps"]
    digest = re.search(r'<details class="digest" id="report-digest">\s*<summary>给核对用的校验码</summary>', html)
    assert digest and actions < steps < digest.start()  # the plain sentence first, the checksums after, closed
    assert re.search(r'class="sha256">[0-9a-f]{64}<', html[digest.start():])


def test_one_unreadable_file_does_not_hide_the_others(client):
    calls = ("cmcc_202403_gbk.csv", (BILL / "cmcc_202403_gbk.csv").read_bytes(), "text/csv")
    docx = ("催收情况说明.docx", b"PK\x03\x04" + b"\x00" * 60, "application/octet-stream")
    empty = ("空文件.csv", b"", "text/csv")
    files = [("files", calls), ("files", docx), ("files", empty)]
    r = client.post("/check?lang=zh&fragment=1", data={"text": ""}, files=files)
    assert r.status_code == 200
    html = r.text
    boxes = re.findall(r'<div class="message-box skipped" role="alert"><p>(.*?)</p></div>', html)
    assert len(boxes) == 2, boxes
    assert boxes[0].startswith("文件“催收情况说明.docx”无法读取：") and "其余文件的结果如下" in boxes[0]
    assert boxes[1].startswith("文件“空文件.csv”无法读取：") and "重新导出" in boxes[1]
    assert html.index("message-box skipped") < html.index('id="report-digest"')  # above the results
    assert 'data-rule="cn.contact.inconvenient_time.night_22_08"' in html and "cmcc_202403_gbk.csv" in html
    # the downloads from this result give the report of the files that could be read
    form = {"text": "", **_result_fields(html)}
    rep = client.post("/report/html?lang=zh", data=form, files=files)
    assert rep.status_code == 200 and "cmcc_202403_gbk.csv" in rep.text
    # ...and that report says at the top that it is partial, naming the two files and why
    top = rep.text[:rep.text.index('<section id="summary">')]
    assert '<p class="partial">本报告不完整：你提供的文件中有 2 个（催收情况说明.docx、空文件.csv）没能读取' in top
    manifest = json.loads(re.search(r'id="collcheck-manifest">(.*?)</script>', rep.text, re.S).group(1))
    left = {x["file"]: x for x in manifest["left_out"]}
    assert set(left) == {"催收情况说明.docx", "空文件.csv"}
    assert left["催收情况说明.docx"]["sha256"] == hashlib.sha256(docx[1]).hexdigest()
    assert left["空文件.csv"]["size"] == 0
    assert all(x["reason"] and x["reason"].endswith("。") for x in left.values())
    assert "未纳入本报告的文件" in rep.text and "cmcc_202403_gbk.csv" not in left
    # a check with every file read is not called partial
    whole = client.post("/report/html?lang=zh", data={"text": "", **_result_fields(
        client.post("/check?lang=zh&fragment=1", data={"text": ""}, files=[("files", calls)]).text)},
        files=[("files", calls)]).text
    assert 'class="partial"' not in whole.split("</style>", 1)[1] and "未纳入本报告" not in whole
    # with nothing readable it is still an error, as before
    r = client.post("/check?lang=zh&fragment=1", data={"text": ""}, files=[("files", docx), ("files", empty)])
    assert r.status_code == 400 and "无法读取" in r.text and "检查结果" not in r.text


def test_findings_of_one_rule_are_one_card_with_each_occurrence(client):
    html = _check(client, files=_night_calls(8)).text
    assert UI["zh"]["sev_legend"] in html and "高：" in UI["zh"]["sev_legend"]
    card = re.search(r'<article class="finding sev-\w+" data-rule="cn.contact.inconvenient_time.night_22_08">'
                     r'(.*?)</article>', html, re.S).group(1)
    assert html.count('data-rule="cn.contact.inconvenient_time.night_22_08"') == 1
    assert card.count('<li class="occ"') == 8  # every occurrence is on the page...
    more = card.index(UI["zh"]["more_occurrences"].format(n=3))
    assert card[:more].count('<li class="occ"') == 5  # ...the first five open, the rest folded
    assert card.count('<p class="message">') == 1 and card.count('class="prov-label"') == len(
        set(re.findall(r'class="prov-label">([^<]*)<', card)))  # the explanation and references once
    for line in range(2, 10):
        assert f"第 {line} 行" in card


def test_chinese_page_says_times_formats_and_codes_plainly(client):
    html = _check(client, files=_night_calls(2)).text
    text = _visible(html)
    assert "contact.inconvenient_time" not in text and "cn.contact" not in text  # codes only as attributes
    assert 'title="contact.inconvenient_time"' in html and 'title="cn.contact.inconvenient_time.night_22_08"' in html
    assert "CST" not in html and UI["zh"]["tz_beijing"] in text
    assert "utf-8" not in text and 'title="calllog / utf-8"' in html
    page = client.get("/").text
    assert "黑色窗口里按 Ctrl+C" in page and "在终端按" not in page
    r = _check(client, files={"files": ("空文件.csv", b"", "text/csv")})
    assert "重新导出" in r.text and "JSONL" not in r.text


def test_a_download_after_the_inputs_changed_is_told_beside_the_buttons(client):
    page = client.get("/").text
    assert f'data-changed="{UI["zh"]["changed_hint"]}"' in page
    js = client.get("/static/app.js").text
    assert "dataset.changed" in js and "preventDefault" in js
    html = _check(client, THREAT).text
    actions = re.search(r'<div class="actions">(.*?)</div>', html, re.S).group(1)
    assert 'class="download"' in actions and '<span class="download-status" role="status"></span>' in actions
    # without JavaScript the server still refuses a download whose inputs differ (and says why)
    form = {"text": THREAT + "我：好的\n", **_result_fields(html)}
    r = client.post("/report/html?lang=zh", data=form, files=NO_FILE)
    assert r.status_code == 409 and "检查" in r.text


def test_a_downloads_name_is_the_reports_own_clock(client):
    """The file name carries the check's time in the report's time zone (Asia/Shanghai by
    default, or the form's), not the machine's clock."""
    form = {"text": THREAT, "generated": "2026-03-05T23:30:00+00:00", "expect": ""}
    shown = _check(client, THREAT)
    form["expect"] = _result_fields(shown.text)["expect"]
    r = client.post("/report/html", data=form, files=NO_FILE)
    assert 'filename="collcheck-report-20260306-073000.html"' in r.headers["content-disposition"]
    assert "2026-03-06 07:30:00" in r.text or "2026-03-06T07:30:00+08:00" in r.text
    london = _result_fields(_check(client, THREAT, tz="Europe/London").text)["expect"]
    r = client.post("/report/html", data={**form, "tz": "Europe/London", "expect": london}, files=NO_FILE)
    assert 'filename="collcheck-report-20260305-233000.html"' in r.headers["content-disposition"]


@pytest.mark.parametrize("pack", ["nosuch", "../rules/cn", "/etc"])
def test_an_unknown_pack_is_refused_before_anything_is_loaded_by_its_name(client, monkeypatch, pack):
    """The form's pack must be one of the packs collcheck ships: nothing, not even the download's
    file name, loads a pack by a name the page did not offer."""
    import checker.pack as pack_mod

    asked = []
    real = pack_mod.cached_pack
    monkeypatch.setattr(pack_mod, "cached_pack", lambda name="cn": asked.append(name) or real(name))
    r = client.post("/report/html", data={"text": THREAT, "pack": pack}, files=NO_FILE)
    assert r.status_code == 400 and pack not in asked


def test_the_third_readers_rounds_notes_are_said_in_chinese(client):
    """Chat call notices read as calls, a bill whose 主叫 / 被叫 column gives the direction, a
    .vmsg backup with a draft and a block cut short: the page says each note and reason in
    Chinese (none of these is a committed fixture, so the fixture walk above misses them)."""
    from test_io_readers7 import CALLS_TXT

    bill = ("起始时间,通信地点,通信方式,对方号码,通信时长,通信类型,呼叫类型\n"
            "2025-03-05 21:40:00,北京,被叫,17012345679,0秒,本地,未接通\n"
            "2025-03-05 22:00:00,北京,被叫,17012345679,30秒,本地,已接通\n")
    vmsg = ("BEGIN:VMSG\r\nBEGIN:VCARD\r\nTEL:17012345679\r\nEND:VCARD\r\nX-BOX:INBOX\r\n"
            "BEGIN:VBODY\r\nDate:2025/03/05 22:40:02\r\n还钱\r\nEND:VBODY\r\nEND:VMSG\r\n"
            "BEGIN:VMSG\r\nX-BOX:INBOX\r\nBEGIN:VBODY\r\nDate:2025/03/05 22:41:00\r\n半截")
    for name, data, want in (("calls.txt", CALLS_TXT, "条语音 / 视频通话记录"),
                             ("bill.csv", bill, "呼叫方向按“通信方式”一列来读"),
                             ("b.vmsg", vmsg, "文件在这里被截断了")):
        r = _check(client, files={"files": (name, data.encode(), "application/octet-stream")})
        said = " ".join(shown_messages(r.text))
        assert r.status_code == 200 and want in said, said
        assert english_sentences(said) == [] and "英文原文" not in said, said


def test_one_message_matching_several_rules_of_a_kind_is_quoted_once_on_the_page(client):
    """One message can match several rules of one category (去你老家找你爸妈，让全村人都知道 is
    third-party contact under four rules). The page had shown its quote under every rule's card;
    the later cards say it is quoted above. A card whose message names its quote no longer puts
    the placeholder in quotation marks (「见下面各条」)."""
    text = "[2026-03-10 10:00:00] 催收员：你再不还钱我们就去你老家找你爸妈，让全村人都知道你是老赖\n"
    r = _check(client, text)
    assert r.status_code == 200
    page = r.text
    assert page.count("我们就去你老家找你爸妈，") <= 4  # once per category, not once per rule
    assert "同一条记录，原话见上面" in page
    assert "「见下面各条」" not in page

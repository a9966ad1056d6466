"""A chat pasted into Word (.docx) is read as the text it holds; an old .doc is refused."""

from __future__ import annotations

import hashlib
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

from checker.io import InputError, read_input
from checker.model import MessageEvent

TZ = ZoneInfo("Asia/Shanghai")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(paragraphs: list[str], extra: str = "") -> bytes:
    def para(text: str) -> str:
        runs = "".join(f"<w:r><w:t xml:space=\"preserve\">{part}</w:t></w:r>" for part in text.split("|"))
        return f"<w:p><w:pPr/>{runs}</w:p>"

    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{extra}<w:document xmlns:w="{W}"><w:body>'
           + "".join(para(p) for p in paragraphs) + "<w:sectPr/></w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


CHAT = ["[2025-03-05 22:15] 对方：再不还钱|我们明天就上门找你", "[2025-03-05 22:16] 我：你们这是骚扰"]


def test_docx_paragraphs_are_read_as_text_lines():
    data = _docx(CHAT)
    r = read_input("聊天.docx", data, TZ)
    assert r.summary.format == "text" and r.summary.encoding == "docx"
    assert r.summary.sha256 == hashlib.sha256(data).hexdigest()
    assert len(r.events) == 2 and all(isinstance(e, MessageEvent) for e in r.events)
    first = r.events[0]
    assert first.text == "再不还钱我们明天就上门找你" and first.source.line == 1
    assert first.time.strftime("%Y-%m-%d %H:%M") == "2025-03-05 22:15" and r.events[1].speaker == "debtor"


def test_docx_scan_finds_the_threat(tmp_path):
    path = tmp_path / "聊天.docx"
    path.write_bytes(_docx(CHAT))
    p = run_cli("scan", str(path))
    assert p.returncode == 1, p.stderr.decode()
    assert "home_visit" in p.stdout.decode() and "Traceback" not in p.stderr.decode()


@pytest.mark.parametrize("data, words", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "WordDocument".encode("utf-16-le"), (".docx", ".txt")),
    (_docx([""]), ("no text",)),
    (_docx(CHAT, '<!DOCTYPE x [<!ENTITY a "b">]>'), ("DOCTYPE",)),
])
def test_doc_and_bad_docx_are_refused(data, words):
    with pytest.raises(InputError) as e:
        read_input("说明.doc" if data.startswith(b"\xd0") else "说明.docx", data, TZ)
    assert all(w in str(e.value) for w in words), str(e.value)


def test_doc_refused_on_the_command_line(tmp_path):
    path = tmp_path / "说明.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    p = run_cli("scan", str(path))
    err = p.stderr.decode()
    assert p.returncode == 2 and "save it as .docx" in err and "Traceback" not in err, err

"""``collcheck verify REPORT INPUTS...``: re-hash the inputs a report was made from and
say which still match, which changed and which are missing; and check the report
itself against its ``<report>.sha256`` sidecar when one lies beside it.

The manifest is read from a JSON report, or from the copy an HTML report (a
``<script type="application/json">`` block) or a Markdown report (a fenced JSON
block) carries.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.report.write import sidecar_path


class VerifyError(ValueError):
    """The report cannot be read as a collcheck report (a usage error)."""


@dataclass(frozen=True)
class Check:
    status: str  # match | mismatch | missing | unknown | skipped
    file: str
    expected: str | None = None
    actual: str | None = None
    note: str = ""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_manifest(report: Path) -> dict[str, Any]:
    try:
        raw = report.read_bytes()
    except OSError as e:
        raise VerifyError(f"{report}: cannot read: {e.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise VerifyError(f"{report}: not a collcheck JSON, HTML or Markdown report (a PDF cannot be verified; "
                          "use the JSON report)") from None
    doc: Any = None
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise VerifyError(f"{report}:{e.lineno}: not valid JSON ({e.msg})") from None
        doc = doc.get("manifest") if isinstance(doc, dict) else None
    else:
        m = re.search(r'<script type="application/json" id="collcheck-manifest">(.*?)</script>', text, re.S) or \
            re.search(r"<!-- collcheck-manifest -->\s*```json\s*(.*?)```", text, re.S)
        if m:
            try:
                doc = json.loads(m.group(1))
            except json.JSONDecodeError:
                doc = None
    if not isinstance(doc, dict) or not isinstance(doc.get("inputs"), list):
        raise VerifyError(f"{report}: no evidence manifest found; is this a report written by `collcheck report`?")
    return doc


def _locate(name: str, report: Path) -> str:
    for p in (Path(name), report.parent / name, report.parent / Path(name).name):
        if p.is_file():
            return str(p)
    return name


def verify(report: Path, inputs: list[str]) -> tuple[list[Check], Check | None]:
    """Checks for every input in the manifest (and every file given that is not in it),
    and the sidecar check of the report itself (None when there is no sidecar)."""
    manifest = load_manifest(report)
    entries = [e for e in manifest["inputs"] if isinstance(e, dict) and e.get("file") and e.get("file") != "stdin"]
    pasted = [e for e in manifest["inputs"] if isinstance(e, dict) and e.get("file") == "stdin"]
    if isinstance(manifest.get("numbers_file"), dict):
        entries.append(manifest["numbers_file"])
    # no files named: each as the manifest records it (relative to where the report was made), else
    # beside the report (the usual case: the report saved in the evidence folder, checked from elsewhere)
    given = list(inputs) or [_locate(e["file"], report) for e in entries]
    unused = list(given)
    checks: list[Check] = [Check("skipped", "stdin", e.get("sha256"),
                                 note="粘贴的文字没有文件可重新计算哈希；以后要核对，请先把它存成文件") for e in pasted]
    for e in entries:
        path = next((g for g in unused if g == e["file"]), None) or \
            next((g for g in unused if Path(g).name == Path(e["file"]).name), None)
        if path is None:
            checks.append(Check("missing", e["file"], e.get("sha256"), note="在报告中，但没有给出这个文件"))
            continue
        unused.remove(path)
        p = Path(path)
        if not p.is_file():
            checks.append(Check("missing", path, e.get("sha256"), note="文件不存在"))
            continue
        actual = sha256_file(p)
        checks.append(Check("match" if actual == e.get("sha256") else "mismatch", path, e.get("sha256"), actual))
    for g in unused:
        p = Path(g)
        checks.append(Check("unknown", g, None, sha256_file(p) if p.is_file() else None,
                            note="不在报告的证据清单中" if p.is_file() else "文件不存在，也不在报告的证据清单中"))
    own = None
    side = sidecar_path(report)
    if side.is_file():
        want = side.read_text(encoding="utf-8").split()[0].lower() if side.read_text(encoding="utf-8").strip() else ""
        got = sha256_file(report)
        own = Check("match" if want == got else "mismatch", str(report), want, got, note=f"对照 {side.name}")
    return checks, own

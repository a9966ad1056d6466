"""Write a report in the format its file name asks for, then its SHA-256 sidecar."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from checker.report.model import Report

FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".md": "md", ".markdown": "md", ".json": "json"}


def format_for(path: str) -> str | None:
    return FORMATS.get(Path(path).suffix.lower())


def render(report: Report, fmt: str) -> bytes:
    if fmt == "html":
        from checker.report.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        from checker.report.pdf import render_pdf

        return render_pdf(report)
    if fmt == "md":
        from checker.report.markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    if fmt == "json":
        return (json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    raise ValueError(f"unknown report format {fmt!r}")


def sidecar_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".sha256")


def write_report(report: Report, path: str, fmt: str) -> str:
    """Write the report and ``<report>.sha256`` (``sha256sum -c`` format); return the hash."""
    data = render(report, fmt)
    p = Path(path)
    p.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    sidecar_path(p).write_text(f"{digest}  {p.name}\n", encoding="utf-8")
    return digest

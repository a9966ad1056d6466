"""The HTML report: one self-contained file (inline CSS, charts as inline SVG, a
subset of the Chinese font as a data URI), printable, rendered by Jinja2 with
autoescaping on — transcript text with markup in it shows as text, never as markup."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from checker.report import charts as charts_mod
from checker.report.fonts import woff_data_uri
from checker.report.model import NOT_YET, SEVERITY_ZH, Report

MANIFEST_ID = "collcheck-manifest"


def _env() -> Environment:
    return Environment(loader=PackageLoader("checker.report", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def manifest_json(manifest: dict[str, Any]) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' survive (they become \\u escapes)."""
    s = json.dumps(manifest, ensure_ascii=False)
    return s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _limit_text(report: Report) -> dict[str, str]:
    out = {"connected": "3 次", "unanswered": "6 次"}
    for lim in report.charts["limits"]:
        if not lim["advisory"] and lim["count"] in out:
            out[lim["count"]] = f"{lim['max']} 次"
    return out


def render_html(report: Report) -> str:
    tpl = _env().get_template("report.html.j2")
    svgs = {k: Markup(v) for k, v in charts_mod.render_all(report.charts, "svg").items()}
    ctx = {"r": report.to_dict(), "charts": svgs, "sev_zh": SEVERITY_ZH, "not_yet": NOT_YET,
           "limit_text": _limit_text(report), "manifest_json": Markup(manifest_json(report.manifest))}
    draft = tpl.render(font_uri="", **ctx)
    chars = "".join(sorted({c for c in draft if ord(c) > 126}))
    return tpl.render(font_uri=woff_data_uri(chars), **ctx)

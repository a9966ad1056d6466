"""Terminal and machine output of a scan: table, json, jsonl."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from checker.model import Citation, Finding, InputSummary

SEVERITY_ZH = {"low": "低", "medium": "中", "high": "高", "critical": "严重"}
STATUS_ZH = {"verbatim": "原文", "secondary": "转引自二手来源，未经官方文本核对", "paraphrase": "大意，非原文"}


def citation_line(c: Citation, with_text: bool = True) -> str:
    """One citation for people. Only verbatim / secondary wording is put in quotation
    marks; a paraphrase is labelled as such and never quoted."""
    law = c.law if "《" in c.law else f"《{c.law}》"
    head = f"{law}{c.article}（{c.version}）" if c.version else f"{law}{c.article}"
    if not with_text:
        return head
    text = " ".join(c.text.split())
    if c.status == "paraphrase":
        body = f"大意（非原文）：{text}"
    elif c.status == "secondary":
        body = f"“{text}”（{STATUS_ZH['secondary']}）"
    else:
        body = f"“{text}”"
    note = f"〔{c.note}〕" if c.note else ""
    return f"{head}{note}：{body}"


def finding_dict(f: Finding) -> dict[str, Any]:
    return f.to_dict()


def write_json(findings: list[Finding], inputs: list[InputSummary], out: Any) -> None:
    doc = {"findings": [f.to_dict() for f in findings], "inputs": [i.to_dict() for i in inputs]}
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(findings: list[Finding], out: Any) -> None:
    for f in findings:
        out.write(finding_json(f) + "\n")


# Most of a finding's JSON is its citations (the article texts), and a batch cites the same
# few rules on the same few days: the engine hands out one tuple per (rule, day), so its
# encoding is kept and spliced in. The result is exactly json.dumps(f.to_dict()).
_MARK = "\x00citations\x00"
_MARK_JSON = '"citations": ' + json.dumps(_MARK)
_CITATIONS_JSON: dict[int, tuple[Any, str]] = {}


def finding_json(f: Finding) -> str:
    """One finding as one line of JSON (``--format jsonl``)."""
    cits = f.citations
    hit = _CITATIONS_JSON.get(id(cits))
    if hit is None or hit[0] is not cits:
        if len(_CITATIONS_JSON) > 10_000:
            _CITATIONS_JSON.clear()
        hit = _CITATIONS_JSON[id(cits)] = (cits, json.dumps([c.to_dict() for c in cits], ensure_ascii=False))
    d = f.to_dict(citations=_MARK)
    # a quote inside a JSON string is escaped, so '"citations": "…"' occurs only as the key
    return json.dumps(d, ensure_ascii=False).replace(_MARK_JSON, '"citations": ' + hit[1], 1)


def write_table(findings: list[Finding], inputs: list[InputSummary], out: Any, explain: bool = False,
                suppressed: list[tuple[str, str, str]] | None = None) -> None:
    for f in findings:
        when = f.time.strftime("%Y-%m-%d %H:%M:%S") if f.time else "时间不明"
        where = f"{f.source.file}:{f.source.line}" if f.source else f.record
        out.write(f"[{SEVERITY_ZH.get(f.severity, f.severity)}] {f.category}  {f.rule}\n")
        out.write(f"  记录 {f.record}  {when}  {where}\n")
        if f.records:
            more = " …" if len(f.records) > 8 else ""
            out.write(f"  涉及记录 {len(f.records)} 条：{', '.join(f.records[:8])}{more}\n")
        out.write(f"  证据：「{f.evidence}」\n")
        out.write(f"  说明：{f.message}\n")
        for c in f.citations:
            out.write(f"  依据：{citation_line(c)}\n")
        if explain:
            out.write(f"  命中条件：{'; '.join(f.explanation.clauses)}\n")
            for s in f.explanation.suppressed:
                out.write(f"  已排除：{s}\n")
        out.write("\n")
    if explain and suppressed:
        for rec, rule, why in suppressed:
            out.write(f"已排除 {rec} {rule}: {why}\n")
    counts = Counter(f.category for f in findings)
    rows = sum(i.rows for i in inputs)
    rej = sum(len(i.rejected) for i in inputs)
    out.write(f"共 {len(findings)} 条发现；读取 {rows} 行，{sum(i.events for i in inputs)} 条记录，"
              f"{rej} 行无法读取，{sum(i.filtered for i in inputs)} 行已过滤。\n")
    for cat, n in sorted(counts.items()):
        out.write(f"  {cat}: {n}\n")

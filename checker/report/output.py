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


# A finding's JSON line is built from pieces, each encoded by ``json.dumps`` exactly as it would
# be inside the whole object (same separators, ``ensure_ascii=False``), so the line is exactly
# ``json.dumps(f.to_dict(), ensure_ascii=False)`` (tests/test_batch.py). What a batch repeats is
# encoded once and kept: the citations (the article texts: most of a line — the engine hands out
# one tuple per rule and day), the rule's head, a file's source fields, and what a text's finding
# says — evidence, span and message, and the explanation — which a QA batch's scripted lines give
# again and again with only the record, line and time changed. The citations are kept once per
# tuple, not with each text (kept with each text's pieces they added ~50 MB to the benchmark
# corpus's peak RSS).
# A json.dumps call per piece built a new encoder each time: with one encoder (and the C string
# encoder for strings) a line costs 6.7 µs instead of 13.9 on the benchmark corpus's findings.
_CITATIONS_JSON: dict[int, tuple[Any, str]] = {}
_HEADS: dict[tuple[str, str, str], str] = {}
_FILES: dict[tuple[Any, Any], tuple[str, str]] = {}
_SAID: dict[tuple, str] = {}  # (evidence, span, message) → their encoding
_WHY: dict[tuple, str] = {}  # (clauses, suppressed) → the explanation's encoding
_CACHE_MAX = 10_000


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per call
_STR = json.encoder.encode_basestring  # (what that encoder does with a str: the C function)


def _dumps(v: Any) -> str:
    t = type(v)
    return _STR(v) if t is str else int.__repr__(v) if t is int else _ENCODE(v)


def finding_json(f: Finding) -> str:
    """One finding as one line of JSON (``--format jsonl``)."""
    cits = f.citations
    hit = _CITATIONS_JSON.get(id(cits))
    if hit is None or hit[0] is not cits:
        if len(_CITATIONS_JSON) > _CACHE_MAX:
            _CITATIONS_JSON.clear()
        hit = _CITATIONS_JSON[id(cits)] = (cits, _dumps([c.to_dict() for c in cits]))
    hkey = (f.rule, f.category, f.severity)
    head = _HEADS.get(hkey)
    if head is None:
        if len(_HEADS) > _CACHE_MAX:
            _HEADS.clear()
        head = _HEADS[hkey] = (f'{{"rule": {_dumps(f.rule)}, "category": {_dumps(f.category)}, '
                               f'"severity": {_dumps(f.severity)}, "record": ')
    src = f.source
    if src is None:
        source = "null"
    else:
        fkey = (src.file, src.sha256)
        parts = _FILES.get(fkey)
        if parts is None:
            if len(_FILES) > _CACHE_MAX:
                _FILES.clear()
            parts = _FILES[fkey] = (f'{{"file": {_dumps(src.file)}, "line": ', f', "sha256": {_dumps(src.sha256)}}}')
        source = f"{parts[0]}{_dumps(src.line)}{parts[1]}"
    ex = f.explanation
    tkey = (f.evidence, tuple(f.span) if f.span else None, f.message)
    said = _SAID.get(tkey)
    if said is None:
        if len(_SAID) > _CACHE_MAX:
            _SAID.clear()
        span = _dumps(list(f.span) if f.span else None)
        said = _SAID[tkey] = f'"evidence": {_dumps(f.evidence)}, "span": {span}, "message": {_dumps(f.message)}, '
    xkey = (tuple(ex.clauses), tuple(ex.suppressed))  # (a Finding made elsewhere may hold lists)
    why = _WHY.get(xkey)
    if why is None:
        if len(_WHY) > _CACHE_MAX:
            _WHY.clear()
        why = _WHY[xkey] = _dumps(ex.to_dict())
    out = [head, _dumps(f.record), ', "source": ', source, ', "time": ',
           _dumps(f.time.isoformat()) if f.time else "null", ", ", said, '"citations": ', hit[1],
           ', "explanation": ', why]
    if f.records is not None:
        out += [', "records": ', _dumps(list(f.records))]
    if f.date is not None:
        out += [', "date": ', _dumps(f.date)]
    for k in ("speaker", "agent", "case"):
        v = getattr(f, k)
        if v is not None:
            out += [f', "{k}": ', _dumps(v)]
    out.append("}")
    return "".join(out)


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

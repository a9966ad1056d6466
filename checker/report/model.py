"""The evidence report as one data structure, built once from a scan and rendered by
every format (HTML, PDF, Markdown, JSON) so they carry the same content.

:func:`build` is a pure function of the findings, the events and input summaries, the
rule pack and the options; every string a person reads is already redacted here when
``--redact`` is on, so no renderer can leak what the builder masked.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from checker import __version__
from checker.io.common import speakers_of_note
from checker.ledger import SAME_CALL, is_contact, transcript_calls
from checker.matchers.hours import in_window
from checker.model import CATEGORIES, SEVERITIES, CallEvent, Citation, Event, Finding, InputSummary, Utterance
from checker.parties import display_number, normalise_number, signatures
from checker.report.redact import Redactor

SCHEMA = "collcheck-report/1"
TITLE = "催收合规证据报告"

CATEGORY_ZH = {
    "contact.inconvenient_time": "不当时间联系",
    "contact.excessive_frequency": "频繁联系",
    "contact.third_party": "联系第三方",
    "disclosure.public_exposure": "公开曝光、泄露个人信息",
    "impersonation.authority": "冒充或假借国家机关",
    "false_legal.document": "伪造法律文书",
    "false_legal.consequence": "虚构、夸大法律后果",
    "threat.violence": "暴力威胁",
    "threat.visit": "以上门相威胁",
    "abuse.insult": "侮辱、谩骂",
    "pressure.new_borrowing": "诱导借新还旧",
    "fees.excessive": "超额收费",
}
SEVERITY_ZH = {"critical": "严重", "high": "高", "medium": "中", "low": "低"}
SPEAKER_ZH = {"collector": "催收方", "unknown": "未标明（按催收方一侧判断）", "debtor": "债务人本人",
              "third_party": "第三方"}
CHANNEL_ZH = {"call": "电话", "sms": "短信", "wechat": "微信", "transcript": "通话记录（转写）"}
STATUS_ZH = {"answered": "已接通", "missed": "未接", "rejected": "拒接"}
KIND_ZH = {"statute": "法律", "judicial_interpretation": "司法解释", "departmental_rule": "部门规章",
           "national_standard": "推荐性国家标准（非强制）", "industry_self_regulation": "行业自律规范（非法律）"}
KIND_ORDER = tuple(KIND_ZH)
# beside a cited provision in the timeline when it was not in force on the day of the conduct
NOT_YET = "（行为发生时该条尚未施行或已失效，仅供参考）"
PROVISION_STATUS_ZH = {"verbatim": "原文", "secondary": "转引自二手来源，未经官方文本核对",
                       "paraphrase": "大意（非原文）"}
NIGHT = (time(22, 0), time(8, 0))
EVENING = (time(21, 0), time(22, 0))
# A signature naming a state body (【XX市公安局】, 【某某人民法院】) is no lending platform: a collector
# posing as the police or a court. It is listed apart and never named as the complaint's target.
_AUTHORITY_SIGNATURE = re.compile(r"公安|警|派出所|法院|检察|政府|司法|纪委|监委|银保监|金融监管|网信|税务|执行局|"
                                  r"国家|中央|人民")
# 【立案通知书】, 【律师函】, 【最后通牒】, 【温馨提示】: a heading in brackets, not a sender's signature
_NOT_SIGNATURE = re.compile(r"通知|告知|传票|函$|公告|决定书|裁定|判决|执行令|逮捕|拘留|通牒|警告|提醒|提示|催告|"
                            r"紧急|重要|最后|严重|通报|声明|文书|协议|承诺书|账单|还款|逾期|验证码|广告|退订|回复")
_HOTLINE = re.compile(r"(?:致电|回电|拨打|联系|电话|热线)[:：]?\s*((?:400|800)[-\s]?\d{3}[-\s]?\d{4}|95\d{3,4})")
HEATMAP_MAX_DAYS = 45
# a numbers-list line without a name is named by its numbers (checker.parties.parse_numbers)
_NUMBERS_ONLY = re.compile(r"[\d、\s+\-]+(?: 等 \d+ 个号码)?")


@dataclass(frozen=True)
class Report:
    """Everything the report shows, JSON-ready. ``to_dict`` is the JSON report."""

    meta: dict[str, Any]
    summary: dict[str, Any]
    charts: dict[str, Any]
    findings: list[dict[str, Any]]
    provisions: list[dict[str, Any]]
    complaint: dict[str, Any]
    manifest: dict[str, Any]
    ledger: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "meta": self.meta, "summary": self.summary, "charts": self.charts,
                "findings": self.findings, "provisions": self.provisions, "complaint": self.complaint,
                "manifest": self.manifest, "ledger": self.ledger}


def law_title(c: Citation | dict[str, Any]) -> str:
    law = c["law"] if isinstance(c, dict) else c.law
    return law if "《" in law else f"《{law}》"


def provision_label(c: Citation | dict[str, Any]) -> str:
    article = c["article"] if isinstance(c, dict) else c.article
    return f"{law_title(c)}{article}"


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _local(t: datetime | None, tz: tzinfo) -> datetime | None:
    return t.astimezone(tz) if t else None


def _fmt(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S") if t else "时间不明"


def build(findings: list[Finding], events: list[Event], summaries: list[InputSummary], pack: Any, tz: tzinfo, *,
          debtor: str | None = None, collector_groups: dict[str, str] | None = None,
          numbers_file: dict[str, Any] | None = None, redact: bool = False, redact_names: tuple[str, ...] = (),
          generated: datetime | None = None, report_name: str = "report",
          sizes: dict[str, int] | None = None, left_out: list[dict[str, Any]] | None = None) -> Report:
    """The report for one scan.

    ``collector_groups`` maps normalised collector numbers to their group (the numbers
    file and signature groups); numbers seen calling are added. ``numbers_file`` is the
    numbers file's manifest entry (file, size, sha256) when one was given. ``sizes`` gives the
    inputs' sizes by name when they are not files on disk (the web page's uploads).
    ``left_out`` names the inputs given but not read (the web page checks the rest when one
    file cannot be read): each ``{"file", "sha256", "size", "reason"}``. The report says at
    the top that it is partial and lists them in its manifest, so nobody takes it for the
    whole evidence.
    """
    generated = (generated or datetime.now(tz)).astimezone(tz).replace(microsecond=0)
    by_id = {e.id: e for e in events}
    # a transcribed call counts once, as its contact-hours finding does (ledger.transcript_calls)
    contacts = [e for e in [*events, *transcript_calls(events)] if is_contact(e) and not e.relation]
    groups: dict[str, set[str]] = defaultdict(set)
    for n, g in (collector_groups or {}).items():
        groups[g].add(n)
    for e in events:
        if e.from_ and e.collector_group and e.direction != "out" and e.speaker not in ("debtor", "third_party"):
            groups[e.collector_group].add(normalise_number(e.from_) or e.from_)
    collectors = {n for ns in groups.values() for n in ns}
    red = Redactor.make(redact, collectors, redact_names)

    from checker.io.common import debtor_number

    named = bool(debtor)  # a number or the person's own chat nickname
    debtor = debtor_number(debtor)  # --debtor may name the debtor's chat nickname instead
    debtor_n = normalise_number(debtor) if debtor else None
    if not debtor_n:
        tos = Counter(normalise_number(e.to) for e in contacts if e.to)
        top = tos.most_common(1)[0] if tos else None
        # the number most contacts went to, when it is the person's: a QA batch's calls go to many
        # customers, and naming one of them as "the debtor" of the whole report would be wrong
        debtor_n = top[0] if top and top[1] * 5 >= sum(tos.values()) * 4 else None

    summary = _summary(findings, events, contacts, groups, debtor_n, red, tz)
    charts = _charts(findings, contacts, pack, tz)
    topics = _topics(pack)
    provisions, refs = _provisions(findings, tz, topics)
    timeline = _timeline(findings, by_id, pack, refs, red, tz, other_side=named, topics=topics)
    manifest = _manifest(summaries, numbers_file, pack, generated, tz, report_name, sizes, left_out, named, red)
    # the lenders the person named in the numbers list (速易借: 0215…), not groups named by their numbers
    listed = tuple(dict.fromkeys(g for g in (collector_groups or {}).values() if not _NUMBERS_ONLY.fullmatch(g)))
    complaint = _complaint(findings, by_id, summary, provisions, refs, manifest, red, tz, listed)
    from checker import ledger as ledger_mod

    ledger_rows = [r.to_dict() for r in ledger_mod.build(contacts, tz)]
    meta = {
        "title": TITLE,
        "generated": generated.isoformat(),
        "timezone": str(getattr(tz, "key", tz)),
        "tool": {"name": "collcheck", "version": __version__},
        "pack": {"name": pack.name, "version": pack.version},
        "redacted": redact,
        "redaction": _redaction_note(redact, red) if redact else None,
        "partial": _partial_note(manifest["left_out"]),
        "disclaimer": ("本报告由 collcheck 根据你提供的通话记录、短信和录音转写自动整理，不是法律意见。"
                       "每条发现只指出证据和它可能违反的规定；行为是否违法，由主管部门和法院认定。"),
    }
    return Report(meta, summary, charts, timeline, provisions, complaint, manifest, ledger_rows)


def _reason_zh(reason: str) -> str:
    from checker.web.plain import body_zh

    return body_zh(reason) or reason


def _partial_note(left_out: list[dict[str, Any]]) -> str | None:
    if not left_out:
        return None
    names = "、".join(x["label"] for x in left_out)
    return (f"本报告不完整：你提供的文件中有 {len(left_out)} 个（{names}）没能读取，里面的记录没有检查，"
            "也不在本报告中。原因见“证据清单”。")


def _redaction_note(redact: bool, red: Redactor) -> str:
    c = red.counts
    return (f"已遮盖：债务人本人号码、催收号码以外的电话号码 {c.get('number', 0)} 处，身份证号 {c.get('id', 0)} 处，"
            f"第三方姓名 {c.get('name', 0)} 处（--redact-name 列出的姓名，以及紧跟在称谓后的姓名）。"
            "催收号码和称谓（母亲、同事等）未遮盖。自动遮盖可能有遗漏，分享前请再通读一遍。")


# ---------------------------------------------------------------------------- summary
def _summary(findings: list[Finding], events: list[Event], contacts: list[Event], groups: dict[str, set[str]],
             debtor: str | None, red: Redactor, tz: tzinfo) -> dict[str, Any]:
    per_group = Counter(e.collector_group or display_number(normalise_number(e.from_)) for e in contacts)
    collector_rows = [{"group": g, "numbers": sorted(display_number(n) for n in ns), "contacts": per_group.get(g, 0)}
                      for g, ns in sorted(groups.items(), key=lambda kv: (-per_group.get(kv[0], 0), kv[0]))]
    platforms: Counter[str] = Counter()
    claimed: Counter[str] = Counter()  # signatures naming a state body
    hotlines: dict[str, set[str]] = defaultdict(set)
    for e in events:
        if not e.text or not e.collector_side or e.direction == "out":
            continue
        for sig in signatures(e.text, placeholders=False):
            if _AUTHORITY_SIGNATURE.search(sig):
                claimed[sig] += 1
                continue
            if _NOT_SIGNATURE.search(sig):
                continue
            platforms[sig] += 1
            for h in _HOTLINE.finditer(e.text):
                hotlines[sig].add(display_number(normalise_number(h.group(1))))
    dated = [e.time.astimezone(tz) for e in events if e.time]
    period = None
    if dated:
        start, end = min(dated).date(), max(dated).date()
        period = {"start": start.isoformat(), "end": end.isoformat(), "days": (end - start).days + 1,
                  "text": f"{cn_date(start)}至{cn_date(end)}（共 {(end - start).days + 1} 天）"}
    cats = Counter(f.category for f in findings)
    sevs = Counter(f.severity for f in findings)
    by_cat_sev: dict[str, Counter[str]] = defaultdict(Counter)
    for f in findings:
        by_cat_sev[f.category][f.severity] += 1
    local = [(e, e.time.astimezone(tz)) for e in contacts if e.time]
    totals = {
        "contacts": len(local),
        "calls": sum(isinstance(e, CallEvent) for e, _ in local),
        "connected": sum(isinstance(e, CallEvent) and _status(e) == "answered" for e, _ in local),
        "unanswered": sum(isinstance(e, CallEvent) and _status(e) != "answered" for e, _ in local),
        "messages": sum(not isinstance(e, CallEvent) for e, _ in local),
        "night": sum(in_window(t.time(), *NIGHT) for _, t in local),
        "evening": sum(in_window(t.time(), *EVENING) for _, t in local),
    }
    return {
        "debtor": red.number(debtor) if debtor else None,
        "collectors": collector_rows,
        "platforms": [{"name": p, "messages": n, "hotlines": sorted(hotlines.get(p, ()))}
                      for p, n in platforms.most_common()],
        "claimed_authorities": [{"name": p, "messages": n} for p, n in claimed.most_common()],
        "period": period,
        "findings": len(findings),
        # one message can break several rules: how many messages and calls the findings are on
        "records_with_findings": len({f.record for f in findings}),
        "by_category": [{"category": c, "label": CATEGORY_ZH.get(c, c), "count": cats[c],
                         "by_severity": {s: by_cat_sev[c][s] for s in reversed(SEVERITIES) if by_cat_sev[c][s]}}
                        for c in CATEGORIES if cats[c]],
        "by_severity": [{"severity": s, "label": SEVERITY_ZH[s], "count": sevs[s]} for s in reversed(SEVERITIES)
                        if sevs[s]],
        "totals": totals,
    }


def _status(e: CallEvent) -> str:
    return e.status or ("answered" if (e.duration_s or 0) > 0 else "missed")


# ---------------------------------------------------------------------------- charts
def _charts(findings: list[Finding], contacts: list[Event], pack: Any, tz: tzinfo) -> dict[str, Any]:
    local = sorted(((e.time.astimezone(tz), e) for e in contacts if e.time), key=lambda te: te[0])
    freq_days = Counter(f.date for f in findings if f.category == "contact.excessive_frequency" and f.date)
    over_days = Counter(f.date for f in findings
                        if f.category == "contact.excessive_frequency" and f.date and f.severity != "low")
    limits = [{"rule": r.id, "title": r.title, "count": r.match["count"], "per": r.match["per"], "max": r.match["max"],
               "advisory": r.severity == "low"}
              for r in pack.rules if r.kind == "contact_frequency"]
    if not local:
        return {"per_day": [], "by_hour": [0] * 24, "heatmap": {"rows": [], "counts": [], "by": "day"},
                "limits": limits, "windows": _windows()}
    first, last = local[0][0].date(), local[-1][0].date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    per_day = {d.isoformat(): {"date": d.isoformat(), "connected": 0, "unanswered": 0, "messages": 0,
                               "max_unanswered_one_collector": 0, "frequency_findings": freq_days.get(d.isoformat(), 0),
                               # over a limit the rule pack sets (the chart's 超限): not the low advisory counts
                               "over_limit": over_days.get(d.isoformat(), 0)}
               for d in days}
    unanswered_by: Counter[tuple[str, str]] = Counter()
    by_hour = [0] * 24
    heat: dict[str, list[int]] = {d.isoformat(): [0] * 24 for d in days}
    for t, e in local:
        row = per_day[t.date().isoformat()]
        if isinstance(e, CallEvent):
            if _status(e) == "answered":
                row["connected"] += 1
            else:
                row["unanswered"] += 1
                unanswered_by[(t.date().isoformat(), e.collector_group or e.from_ or "")] += 1
        else:
            row["messages"] += 1
        by_hour[t.hour] += 1
        heat[t.date().isoformat()][t.hour] += 1
    for (d, _), n in unanswered_by.items():
        per_day[d]["max_unanswered_one_collector"] = max(per_day[d]["max_unanswered_one_collector"], n)
    if len(days) <= HEATMAP_MAX_DAYS:
        heatmap = {"by": "day", "rows": list(heat), "counts": list(heat.values())}
    else:  # a long period: fold the days onto weekdays so the picture stays readable
        wk = [[0] * 24 for _ in range(7)]
        for d, counts in heat.items():
            w = date.fromisoformat(d).weekday()
            wk[w] = [a + b for a, b in zip(wk[w], counts, strict=True)]
        heatmap = {"by": "weekday", "rows": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"], "counts": wk}
    return {"per_day": list(per_day.values()), "by_hour": by_hour, "heatmap": heatmap, "limits": limits,
            "windows": _windows()}


def _windows() -> dict[str, Any]:
    return {"permitted": ["08:00", "22:00"], "stricter": ["21:00", "22:00"],
            "note": "08:00–22:00 为国家标准和行业指引允许的联系时段；21:00–22:00 是许多债务人要求的更严格时段，"
                    "不是法规界限。"}


# ---------------------------------------------------------------------------- provisions
def _topics(pack: Any) -> dict[str, str]:
    """What each provision whose article number is unknown is about (laws.yaml ``topic``): said
    beside its title, so that a guideline's several provisions (中国银行业协会…指引（条款号未核实）)
    are told apart in a report."""
    out = {}
    for key, p in getattr(pack, "provisions", {}).items():
        topic = next((v.get("topic") for v in p.versions if v.get("topic")), None)
        if topic:
            out[key] = str(topic)
    return out


def _provisions(findings: list[Finding], tz: tzinfo, topics: dict[str, str] | None = None
                ) -> tuple[list[dict[str, Any]], dict[tuple[str, str], str]]:
    seen: dict[tuple[str, str], Citation] = {}
    days: dict[tuple[str, str], set[str]] = defaultdict(set)  # the local days of the conduct citing each
    for f in sorted(findings, key=_order):
        for c in f.citations:
            seen.setdefault((c.key, c.version), c)
            if f.time is not None:
                days[(c.key, c.version)].add(f.time.astimezone(tz).date().isoformat())
    ordered = sorted(seen.items(), key=lambda kv: KIND_ORDER.index(kv[1].kind) if kv[1].kind in KIND_ORDER
                     else len(KIND_ORDER))
    out, refs = [], {}
    for i, (k, c) in enumerate(ordered, 1):
        ref = f"P{i}"
        refs[k] = ref
        d = c.to_dict()
        topic = (topics or {}).get(c.key)
        label = provision_label(c) + (f"（{topic}）" if topic else "")
        d.update({"ref": ref, "label": label, "kind_zh": KIND_ZH.get(c.kind, c.kind),
                  "status_zh": PROVISION_STATUS_ZH.get(c.status, c.status), "quotable": c.quotable,
                  "effective": c.effective, "until": c.until, "note": c.note,
                  # False when every dated finding citing it is from before it took effect (or after it
                  # ceased): it is listed for reference, never as what the conduct breaks
                  "in_force_at_conduct": not days[k] or any(_in_force(c, d) for d in days[k])})
        out.append(d)
    return out, refs


def records_note(summary: dict[str, Any]) -> str:
    """How many messages and calls the findings are on, when fewer than the findings."""
    n = summary.get("records_with_findings") or 0
    return f"；涉及 {n} 条消息或通话，一条可有多项发现" if 0 < n < summary["findings"] else ""


def cite_label(c: dict[str, Any], esc: Any = str) -> str:
    """A timeline citation as the text formats write it: label, reference, and the mark when the
    provision was not in force on the day of the conduct."""
    return f"{esc(c['label'])}［{c['ref']}］" + ("" if c.get("in_force", True) else NOT_YET)


def _in_force(c: Citation, day: str) -> bool:
    if not c.effective:
        # no start date known: not before the day its version says it was published
        from checker.pack import published_on

        published = published_on(c.version)
        return (published is None or published.isoformat() <= day) and (not c.until or day <= c.until)
    return c.effective <= day and (not c.until or day <= c.until)


# ---------------------------------------------------------------------------- timeline
def _order(f: Finding) -> tuple[Any, ...]:
    return (f.time is None, f.time.timestamp() if f.time else 0, f.source.file if f.source else "",
            f.source.line if f.source else 0, f.rule)


def _timeline(findings: list[Finding], by_id: dict[str, Event], pack: Any, refs: dict[tuple[str, str], str],
              red: Redactor, tz: tzinfo, other_side: bool = False,
              topics: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The findings in time order as the report lists them. With the debtor named (``other_side``),
    a speaker the readers could not place is the other side of the person's chat, as the web page
    says it."""
    speakers = dict(SPEAKER_ZH, unknown="对方（按催收方一侧判断）") if other_side else SPEAKER_ZH
    topics = topics or {}
    titles = {r.id: r.title for r in pack.rules}
    out = []
    for i, f in enumerate(sorted(findings, key=_order), 1):
        ev = by_id.get(f.record)
        context = None
        if ev is not None and ev.text and f.span and f.span[1] <= len(ev.text):
            s, e = f.span
            before, match, after = red.split(ev.text, s, e)
            context = {"before": before, "match": match, "after": after}
        channel = ev.channel if ev else None
        what = CHANNEL_ZH.get(channel or "", channel or "")
        if isinstance(ev, CallEvent) and ev.status:
            what += f"（{STATUS_ZH.get(ev.status, ev.status)}）"
        # a further finding of the same kind on the same record (one message can match several rules of
        # one category): the report shows it compactly under the first, which carries the quote
        head = next((o for o in reversed(out[-12:]) if o["record"] == f.record and o["category"] == f.category
                     and o["same_as"] is None and not o["records"] and not f.records), None) if out else None
        out.append({
            "n": i, "same_as": head["n"] if head is not None else None,
            "rule": f.rule, "title": titles.get(f.rule, f.rule), "category": f.category,
            "category_label": CATEGORY_ZH.get(f.category, f.category), "severity": f.severity,
            "severity_label": SEVERITY_ZH.get(f.severity, f.severity), "record": f.record,
            "records": list(f.records) if f.records else None, "date": f.date,
            # as a person knows it: pasted text's lines are 粘贴的文字:18, not stdin:18
            "record_label": record_label(f.record),
            "records_label": [record_label(r) for r in f.records] if f.records else None,
            "time": f.time.isoformat() if f.time else None, "time_local": _fmt(_local(f.time, tz)),
            "channel": channel, "channel_label": what,
            "number": red.number(ev.from_) if ev is not None and ev.from_ else "",
            "to": red.number(ev.to) if ev is not None and ev.to else "",
            "group": ev.collector_group if ev is not None else None,
            "speaker": f.speaker,
            "speaker_label": "" if channel == "call" else speakers.get(f.speaker or "", f.speaker or ""),
            "relation": ev.relation if ev is not None else None,
            "evidence": red.text(f.evidence), "quote": f.span is not None, "context": context,
            "source": f.source.to_dict() if f.source else None, "message": red.text(f.message),
            "citations": [{"ref": refs[(c.key, c.version)], "key": c.key,
                           "label": provision_label(c) + (f"（{topics[c.key]}）" if c.key in topics else ""),
                           "status": c.status,
                           # a provision not in force on the day of this conduct (a law revised since):
                           # named for reference only, and the timeline says so beside it
                           "in_force": f.time is None or _in_force(c, f.time.astimezone(tz).date().isoformat())}
                          for c in f.citations],
            "explanation": f.explanation.to_dict(),
        })
    return out


# ---------------------------------------------------------------------------- manifest
PASTED = "stdin"  # the name of pasted text (the command line's `-`, the web page's text box)
PASTED_LABEL = "粘贴的文字"


def record_label(record: str) -> str:
    """A record id as the report shows it: pasted text has no file name (``stdin:18`` → 粘贴的文字:18)."""
    return PASTED_LABEL + record[len(PASTED):] if record.startswith(PASTED + ":") else record


def input_label(file: str) -> str:
    """An input as a person knows it: pasted text has no file name."""
    return PASTED_LABEL if file == PASTED else os.path.basename(file)


def speakers_zh(sp: dict[str, Any], named: bool = False) -> str:
    """One input's speakers as the report says them: whose lines were judged and how that was told.
    ``named``: the person gave their own number or chat name, so labels that are not theirs are
    the other side of their chats (judged as the collector side, as the web page says)."""
    if "unknown" in sp and named:
        return (f"{'、'.join(sp['unknown'])} 不是你填写的名字，都按对方（催收方一侧）判断；如果其中有家人或"
                "其他人说的话，说明谁是催收员（网页上“更多选项”里的“催收员的说话人标签”，命令行 "
                "--collector-speaker）后可重新生成报告。")
    if "unknown" in sp:
        return (f"{'、'.join(sp['unknown'])} 没有说明谁是催收员，全部按催收方一侧判断（其中若有你自己或家人说的话，"
                "也一并判断了）；说明谁是催收员（命令行 --collector-speaker，网页上“更多选项”里的“催收员的说话人标签”）"
                "或谁是你自己（--debtor，网页上“你自己的号码”一栏）后可重新生成报告。")
    how = {"words": f"依据：{sp['collector']} 像催收员那样说话（「{sp['cue']}」）",
           "company": f"依据：{sp['collector']} 以公司（我们）的口气对“您”说话，{sp['debtor_side']} 只对“你们”说话",
           "name": f"依据：{sp['collector']} 的名字像贷款机构或催收公司的"}[sp["how"]]
    return (f"{sp['collector']} 的话按催收方判断；{sp['debtor_side']} 的话算债务人一方，没有判断（{how}）。"
            f"如果弄反了，可指明 {sp['debtor_side']} 是催收员（命令行 --collector-speaker {sp['debtor_side']}，"
            "网页上“更多选项”里的“催收员的说话人标签”）后重新生成报告。")


def _masked_cue(sp: dict[str, Any], red: Redactor | None) -> dict[str, Any]:
    """A speakers note with its quoted cue (「喂，请问是赵明辉先生吗」) masked as the quotes are: the
    words that told the collector's label often name the person or a relative."""
    if red is None or not sp.get("cue"):
        return sp
    return {**sp, "cue": red.text(sp["cue"])}


def _manifest(summaries: list[InputSummary], numbers_file: dict[str, Any] | None, pack: Any, generated: datetime,
              tz: tzinfo, report_name: str, sizes: dict[str, int] | None = None,
              left_out: list[dict[str, Any]] | None = None, named: bool = False,
              red: Redactor | None = None) -> dict[str, Any]:
    inputs = []
    for s in summaries:
        if sizes is not None:
            size = sizes.get(s.file)
        else:
            size = os.path.getsize(s.file) if s.file != "stdin" and os.path.isfile(s.file) else None
        # "file" stays the name collcheck verify matches; "label" is what the person sees
        inputs.append({"file": s.file, "name": os.path.basename(s.file), "label": input_label(s.file),
                       "size": size, "sha256": s.sha256,
                       "format": s.format, "encoding": s.encoding, "rows": s.rows, "events": s.events,
                       "filtered": s.filtered, "rejected": len(s.rejected),
                       # the reason in Chinese where the web page's translations know it (the report is Chinese)
                       "rejected_rows": [{**r.to_dict(), "reason_zh": _reason_zh(r.reason)} for r in s.rejected],
                       # whose lines were judged when the file's labels did not say (checker.roles)
                       "speakers": [_masked_cue(x, red) for x in map(speakers_of_note, s.notes) if x]})
        inputs[-1]["speakers_zh"] = [speakers_zh(x, named) for x in inputs[-1]["speakers"]]
    return {
        "inputs": inputs,
        "numbers_file": numbers_file,
        # given but not read: named with their hash so the report says what it leaves out
        "left_out": [{"file": x["file"], "label": input_label(x["file"]), "size": x.get("size"),
                      "sha256": x.get("sha256"), "reason": x["reason"]} for x in (left_out or [])],
        "tool": {"name": "collcheck", "version": __version__},
        "pack": {"name": pack.name, "version": pack.version},
        "generated": generated.isoformat(),
        "timezone": str(getattr(tz, "key", tz)),
        "sidecar": f"{report_name}.sha256",
        "verify": f"collcheck verify {report_name} " + " ".join(
            [i["file"] for i in inputs if i["file"] != "stdin"] + ([numbers_file["file"]] if numbers_file else [])),
    }


# ---------------------------------------------------------------------------- complaint
def _logged_call(by_id: dict[str, Event]) -> Any:
    """A function: the call-log entry a transcribed call's turn belongs to — the incoming call with a
    number whose time is within SAME_CALL of the call's first turn (the same match as the report's
    contact counts, ``checker.ledger.transcript_calls``) — or None."""
    starts: dict[str, datetime] = {}
    for e in by_id.values():
        if isinstance(e, Utterance) and e.call and e.time is not None:
            t = starts.get(e.call)
            starts[e.call] = e.time if t is None or e.time < t else t
    logged = [e for e in by_id.values()
              if isinstance(e, CallEvent) and e.time is not None and e.from_ and is_contact(e)]

    def find(ev: Event) -> CallEvent | None:
        t = starts.get(ev.call) if isinstance(ev, Utterance) and ev.call else ev.time
        if t is None or not logged:
            return None
        best = min(logged, key=lambda c: abs(c.time - t))  # type: ignore[operator]
        return best if abs(best.time - t) <= SAME_CALL else None  # type: ignore[operator]

    return find


def _per_contact(found: list[Finding], by_id: dict[str, Event]) -> list[Finding]:
    """Contact-hours findings one per contact, as the complaint counts contacts: each collector
    line of a transcribed call is a finding of its own (the finding contract), but the call is one
    contact — its first line's finding stands for it — and a transcribed call that a call-log
    entry within SAME_CALL already holds is that entry's (the summary's counts do the same:
    ``checker.ledger.transcript_calls``)."""
    logged = [f.time for f in found if f.time is not None and isinstance(by_id.get(f.record), CallEvent)]
    out: list[Finding] = []
    seen: set[str] = set()
    for f in found:
        ev = by_id.get(f.record)
        if isinstance(ev, Utterance) and ev.call:
            if ev.call in seen:
                continue
            seen.add(ev.call)
            if f.time is not None and any(abs(t - f.time) <= SAME_CALL for t in logged):
                continue
        out.append(f)
    return out


_HARASSMENT = {"contact.inconvenient_time", "contact.excessive_frequency", "abuse.insult"}
_POLICE = {"threat.violence", "threat.visit", "impersonation.authority"}


def _complaint(findings: list[Finding], by_id: dict[str, Event], summary: dict[str, Any],
               provisions: list[dict[str, Any]], refs: dict[tuple[str, str], str], manifest: dict[str, Any],
               red: Redactor, tz: tzinfo, listed: tuple[str, ...] = ()) -> dict[str, Any]:
    cats = Counter(f.category for f in findings)
    channels_by = {f.category for f in findings}
    msg_findings = any(getattr(by_id.get(f.record), "channel", None) in ("sms", "call") for f in findings)
    platforms = [p["name"] for p in summary["platforms"]]
    hotlines = sorted({h for p in summary["platforms"] for h in p["hotlines"]})

    def why(cs: set[str]) -> str:
        if cs == channels_by and len(cs) > 2:
            return f"本报告的全部 {len(findings)} 条发现"
        return "、".join(f"{CATEGORY_ZH[c]} {cats[c]} 条" for c in CATEGORIES if c in cs and cats[c])

    channels: list[dict[str, Any]] = []
    if findings:
        channels.append({
            "name": "放贷平台（及其委托的催收公司）自己的投诉渠道",
            "contact": ("短信里留的客服电话：" + "、".join(hotlines)
                        + "（取自催收短信，请以借款合同或官方 App 上公布的为准）")
            if hotlines else "借款合同、官方 App 或官网上公布的客服 / 投诉电话",
            "when": "建议先向机构本身投诉，并记下受理情况；之后向监管部门投诉时可一并提供。",
            "needs": ["借款账户信息（平台名称、合同号或借款 App 账号）", "被催收的时间、号码和内容（见本报告时间线）",
                      "你的要求（例如停止联系家人、核实催收人员身份）", "记下对方受理的时间、工号或单号"],
            "status": "建议", "why": why(channels_by),
        })
        channels.append({
            "name": "国家金融监督管理总局 12378 投诉热线",
            "contact": "电话 12378",
            "when": "放贷方是银行（含信用卡中心）、消费金融公司等由金融监管总局监管的机构时；适用于“催收不当”。",
            "needs": ["被投诉机构的全称", "你的姓名、联系方式和借款 / 信用卡账户信息",
                      "事实经过和证据（本报告、录音、截图）",
                      "你的要求", "向机构投诉过的记录（如有）"],
            "status": "二手来源，未经官方核实", "why": why(channels_by),
        })
        channels.append({
            "name": "当地地方金融管理局（地方金融监督管理部门）",
            "contact": "借款合同所列放贷公司注册地的地方金融管理局",
            "when": "放贷方是小额贷款公司等地方金融组织时（这类公司不由金融监管总局直接监管）。",
            "needs": ["放贷公司全称（见借款合同）", "事实经过和证据（本报告、录音、截图）", "你的要求"],
            "status": "未核实（项目法律笔记标为二手 / 未核实）", "why": why(channels_by),
        })
    if channels_by & _HARASSMENT or msg_findings:
        channels.append({
            "name": "12321 网络不良与垃圾信息举报受理中心",
            "contact": "网站 www.12321.cn；电话 010-12321",
            "when": "骚扰电话、垃圾短信、“呼死你”式轰炸。",
            "needs": ["骚扰号码和来电 / 短信时间（见本报告图表和时间线）", "短信原文或截图", "本人被呼叫的号码"],
            "status": "二手来源，未经官方核实", "why": why(channels_by & _HARASSMENT) or "催收电话、短信",
        })
    if channels_by & _POLICE:
        channels.append({
            "name": "公安机关 110",
            "contact": "电话 110（正在发生的上门、暴力或人身威胁，立即拨打）",
            "when": "威胁人身安全、以上门相威胁或非法侵入住宅、冒充警察或其他国家机关工作人员。",
            "needs": ["威胁或冒充的原话、时间和号码（见本报告时间线）", "录音、短信截图等原始证据",
                      "对方自称的身份和单位"],
            "status": "常识，未单独核实来源", "why": why(channels_by & _POLICE),
        })
    draft = _draft(findings, by_id, summary, provisions, refs, manifest, red, tz, listed)
    return {"channels": channels, "draft": draft, "platforms": platforms}


def _draft(findings: list[Finding], by_id: dict[str, Event], summary: dict[str, Any], provisions: list[dict[str, Any]],
           refs: dict[tuple[str, str], str], manifest: dict[str, Any], red: Redactor, tz: tzinfo,
           listed: tuple[str, ...] = ()) -> str:
    """A factual draft the person edits: facts from their own findings, no pleading. ``listed``:
    the lenders named in the person's numbers list."""
    from checker.parties import is_name

    if not findings:
        return ""
    lines = ["投诉材料（草稿：请逐条核对、删改后再使用）", ""]
    lines.append("投诉人：［姓名］，联系电话：［电话］"
                 + (f"（被催收的号码：{summary['debtor']}）" if summary["debtor"] else ""))
    signed = [p["name"] for p in summary["platforms"]]
    # a lender the numbers list names, whose numbers contacted the person, is a party too
    contacted = {c["group"] for c in summary["collectors"] if c["contacts"]}
    named = [g for g in listed if g in contacted and g not in signed]
    parties = ([f"{'、'.join(signed)}（短信署名）"] if signed else []) + (
        [f"{'、'.join(named)}（催收号码清单所列）"] if named else [])
    target = f"{'、'.join(parties)}及其委托的催收方" if parties else "［放贷平台名称］及其委托的催收方"
    lines.append(f"被投诉方：{target}")
    # a chat sender known by a nickname (速借花-王经理) is no phone number: listed apart
    # a group named by its own number (no numbers list) is the number alone, not 1650…：1650…
    nums = [(f"{c['group']}：" if c["group"] not in ns else "") + "、".join(ns) for c in summary["collectors"]
            if (ns := [n for n in c["numbers"] if not is_name(n)])]
    handles = [(c["group"], hs) for c in summary["collectors"] if (hs := [n for n in c["numbers"] if is_name(n)])]
    if nums:
        lines.append("催收号码：" + "；".join(nums))
    if handles:
        lines.append("催收方的聊天账号（昵称）：" + "；".join(
            "、".join(hs) if hs == [g] else f"{g}：{'、'.join(hs)}" for g, hs in handles))
    if summary["period"]:
        lines.append(f"时间范围：{summary['period']['text']}")
    lines += ["", "事实经过："]
    ordered = sorted(findings, key=_order)
    # Words: one line per record, with what the record shows.
    by_record: dict[str, list[Finding]] = defaultdict(list)
    for f in ordered:
        if f.span is not None:
            by_record[f.record].append(f)
    logged_call = _logged_call(by_id)
    n = 0
    for rec, fs in by_record.items():
        n += 1
        f = fs[0]
        ev = by_id.get(rec)
        when = _fmt(_local(f.time, tz))
        text = red.text(ev.text if ev is not None and ev.text else f.evidence)
        if ev is not None and ev.from_ and is_name(ev.from_):
            said = f"发送人 {red.number(ev.from_)} 发来{CHANNEL_ZH.get(ev.channel, '消息')}"
        elif ev is not None and ev.from_:
            said = f"号码 {red.number(ev.from_)} 发来{CHANNEL_ZH.get(ev.channel, '消息')}"
        elif ev is not None and ev.channel == "transcript":
            said = f"通话中对方说（{input_label(ev.source.file)}第 {ev.source.line} 行）"
            bill = logged_call(ev)
            if bill is not None:  # the transcript names no number: the call log's entry for the call does
                said = (f"来电（号码 {red.number(bill.from_)}，通话记录中为 {_fmt(_local(bill.time, tz))}）中对方说"
                        f"（{input_label(ev.source.file)}第 {ev.source.line} 行）")
        else:
            said = "对方说"
        shows = "；".join(dict.fromkeys(CATEGORY_ZH.get(x.category, x.category) for x in fs))
        lines.append(f"{n}. {when}，{said}：「{text}」（{shows}）")
    # Contact patterns: hours and frequency, summarised with their dates.
    night = _per_contact([f for f in ordered if f.category == "contact.inconvenient_time" and f.span is None], by_id)
    if night:
        n += 1
        strict = [f for f in night if f.rule.endswith("evening_21_22")]
        core = [f for f in night if f not in strict]
        parts = []
        if core:
            parts.append(f"22:00至次日8:00之间联系 {len(core)} 次：" + "；".join(red.text(f.evidence) for f in core))
        if strict:
            parts.append(f"21:00至22:00之间联系 {len(strict)} 次：" + "；".join(red.text(f.evidence) for f in strict))
        lines.append(f"{n}. " + "。".join(parts) + "。")
    freq = [f for f in ordered if f.category == "contact.excessive_frequency" and f.span is None]
    for f in freq:
        n += 1
        if f.severity == "low":  # an advisory count, not a legal limit: state the count, not a "limit"
            later = "参考线" in f.evidence  # a limit set by a rule issued after the day (checker.matchers.frequency)
            fact = re.sub(r"（(?:上限|提示线|参考线) \d+ 次[^）]*）", "", f.evidence) + (
                "（所依据的规定当时尚未发布，仅供参考）" if later else "（常见的维权提示线，不是法定标准）")
        else:
            fact = f.evidence
        lines.append(f"{n}. {red.text(fact)}。")
    groups = (("法律和司法解释", ("statute", "judicial_interpretation")), ("部门规章", ("departmental_rule",)),
              ("行业标准和自律规范（不是法律，作为行业要求引用）", None))
    known = {k for _, ks in groups if ks for k in ks}
    lines += ["", "上述行为可能涉及的规定（条文见报告附录）："]
    in_force = [p for p in provisions if p.get("in_force_at_conduct", True)]
    for title, kinds in groups:
        chosen = [p for p in in_force if (p["kind"] in kinds if kinds else p["kind"] not in known)]
        if chosen:
            lines.append(f"{title}：" + _by_law(chosen) + _scope_note(chosen))
    later = [p for p in provisions if not p.get("in_force_at_conduct", True)]
    if later:
        lines.append("行为发生时尚未施行（或已不再施行）的规定，仅供参考，不作为上述行为违反的规定：" + _by_law(later))
    lines += ["", "证据："]
    for i in manifest["inputs"]:
        lines.append(f"- {i['label']}（SHA-256：{i['sha256']}）")
    lines.append(f"- 由 collcheck {manifest['tool']['version']} 生成的《{TITLE}》，生成时间 {manifest['generated']}")
    lines.append("- ［录音、截图等其他证据］")
    lines += ["", "我的请求：", "［请写明你希望对方或主管部门处理的具体事项。］"]
    return "\n".join(lines)


# Rules that bind only some lenders: the complaint says so beside them (laws.yaml notes give the scope)
_SCOPED = {"《商业银行信用卡业务监督管理办法》":
           "（只约束商业银行的信用卡业务及其委托的催收；催收方不是银行信用卡中心时仅作参考）"}


def _scope_note(provisions: list[dict[str, Any]]) -> str:
    return "".join(dict.fromkeys(_SCOPED[t] for t in map(law_title, provisions) if t in _SCOPED))


def _by_law(provisions: list[dict[str, Any]]) -> str:
    """《民法典》第一千零三十三条第（一）项、第一千零三十八条；《刑法》…"""
    arts: dict[str, list[str]] = defaultdict(list)
    for p in provisions:
        a = arts[law_title(p)]
        if p["article"] not in a:
            a.append(p["article"])
    # 第五十一条第一款 beside 第五十一条第一款、第二款 names it twice: the wider citation stands for both
    return "；".join(law + "、".join(x for x in a if not any(y != x and y.startswith(x + "、") for y in a))
                    for law, a in arts.items())

"""The Markdown report: the same content as the HTML, for people who edit or post-process.

Charts become tables of the numbers they draw. Text from the inputs is escaped so a
quote cannot turn into Markdown or HTML markup. The manifest is repeated at the end as
a JSON block that ``collcheck verify`` reads.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checker.report.model import PASTED, PASTED_LABEL, SEVERITY_ZH, Report, cite_label, records_note

MANIFEST_MARK = "<!-- collcheck-manifest -->"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def esc(s: Any) -> str:
    """Inline text from the inputs, escaped for Markdown (and so for HTML inside it)."""
    return _MD_SPECIAL.sub(r"\\\1", str(s)).replace("\n", " ")


def render_markdown(report: Report) -> str:
    r = report.to_dict()
    m, s = r["meta"], r["summary"]
    out: list[str] = [f"# {m['title']}", ""]
    out.append(f"生成时间 {m['generated']} · 时区 {m['timezone']} · collcheck {m['tool']['version']} · "
               f"规则包 {m['pack']['name']} {m['pack']['version']}")
    out += ["", f"> {m['disclaimer']}", ""]
    if m["redacted"]:
        out += [f"> {m['redaction']}", ""]
    if m.get("partial"):
        out += [f"> **{esc(m['partial'])}**", ""]

    out += ["## 一、摘要", "", "| 项目 | 内容 |", "| --- | --- |"]
    out.append(f"| 债务人号码 | {esc(s['debtor'] or '未能从记录中确定')} |")
    out.append(f"| 时间范围 | {s['period']['text'] if s['period'] else '记录没有日期'} |")
    plats = "；".join(f"【{esc(p['name'])}】（{p['messages']} 条消息"
                     + (f"，留的电话 {'、'.join(p['hotlines'])}" if p["hotlines"] else "") + "）"
                     for p in s["platforms"])
    out.append(f"| 短信署名中的平台 | {plats or '未发现【…】署名'} |")
    if s.get("claimed_authorities"):
        claimed = "；".join(f"【{esc(p['name'])}】（{p['messages']} 条消息）" for p in s["claimed_authorities"])
        out.append(f"| 自称国家机关的署名 | {claimed}（不是放贷平台；是否冒充，见下方发现） |")
    t = s["totals"]
    out.append(f"| 联系次数 | 共 {t['contacts']} 次：来电 {t['calls']} 次（接通 {t['connected']}，"
               f"未接 / 拒接 {t['unanswered']}），"
               f"短信 / 微信 {t['messages']} 条；其中 22:00–08:00 {t['night']} 次，21:00–22:00 {t['evening']} 次 |")
    sev = "，".join(f"{v['label']} {v['count']}" for v in s["by_severity"])
    out.append(f"| 发现 | {s['findings']} 条{('（' + sev + '）') if sev else ''}{records_note(s)} |")
    # whose lines were judged, where a file's labels did not say: at the top, not only in the manifest
    out += [f"| 谁的话被判断 | `{esc(i['label'])}`：{esc(t)} |" for i in r["manifest"]["inputs"]
            for t in i.get("speakers_zh", ())]
    out += ["", "### 催收方号码", "", "| 催收方（号码组） | 号码 / 聊天账号 | 联系次数 |", "| --- | --- | ---: |"]
    for c in s["collectors"]:
        out.append(f"| {esc(c['group'])} | {'、'.join(c['numbers'])} | {c['contacts']} |")
    out += ["", "### 按类别统计", "", "| 类别 | 代码 | 条数 | 严重程度 |", "| --- | --- | ---: | --- |"]
    for c in s["by_category"]:
        sv = "，".join(f"{SEVERITY_ZH[k]} {n}" for k, n in c["by_severity"].items())
        out.append(f"| {c['label']} | `{c['category']}` | {c['count']} | {sv} |")

    ch = r["charts"]
    out += ["", "## 二、图表数据", "", "图1 每日联系次数与频率上限（"
            + "；".join(f"{lim['title']}" for lim in ch["limits"] if not lim["advisory"]) + "）", "",
            "| 日期 | 已接通来电 | 未接 / 拒接来电 | 短信 / 微信 | 单个催收方最多未接通 | 频率发现 |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for d in ch["per_day"]:
        out.append(f"| {d['date']} | {d['connected']} | {d['unanswered']} | {d['messages']} | "
                   f"{d['max_unanswered_one_collector']} | {d['frequency_findings']} |")
    out += ["", f"图2 各时段的联系次数。{ch['windows']['note']}", "",
            "| 时段 | " + " | ".join(f"{h:02d}" for h in range(24)) + " |",
            "| --- | " + " | ".join("---:" for _ in range(24)) + " |",
            "| 次数 | " + " | ".join(str(n) for n in ch["by_hour"]) + " |", ""]
    hm = ch["heatmap"]
    out += [f"图3 {'日期' if hm['by'] == 'day' else '星期'} × 时段的联系次数（只列有联系的时段）", ""]
    for row, counts in zip(hm["rows"], hm["counts"], strict=True):
        cells = "，".join(f"{h:02d}时 {n}" for h, n in enumerate(counts) if n)
        out.append(f"- {row}：{cells or '无'}")

    out += ["", "## 三、发现时间线", ""]
    for f in r["findings"]:
        out.append(f"### #{f['n']} 【{f['severity_label']}】{f['category_label']} · {esc(f['title'])}")
        out.append("")
        if f.get("same_as"):
            # a further rule of the same kind on the same record: the quote and facts are #same_as's
            out.append(f"- 与 #{f['same_as']} 同一条记录、同一类；证据：「{esc(f['evidence'])}」")
            out.append(f"- 说明：{esc(f['message'])}")
            out.append("- 依据：" + "；".join(cite_label(c, esc) for c in f["citations"]))
            out.append("")
            continue
        who = (f"{esc(f['number'])}" + (f"（{esc(f['group'])}）" if f["group"] and f["group"] != f["number"] else "")
               + " · ") if f["number"] else ""
        out.append(f"- 时间：{f['time_local']}")
        out.append(f"- 号码 / 说话人：{who}{f['channel_label']}"
                   + (f" · {f['speaker_label']}" if f["speaker_label"] else "")
                   + (f" · 来自{esc(f['relation'])}的记录" if f["relation"] else ""))
        shown = PASTED_LABEL if f["source"] and f["source"]["file"] == PASTED else f"`{f['source']['file']}`" \
            if f["source"] else ""
        src = f"{shown} 第 {f['source']['line']} 行 · " if f["source"] else ""
        recs = (f"（共计入 {len(f['records'])} 条记录：{'、'.join(f.get('records_label') or f['records'])}）"
                if f["records"] else "")
        out.append(f"- 出处：{src}记录 {esc(f.get('record_label') or f['record'])}{esc(recs)}")
        if f["quote"]:
            c = f["context"]
            quote = (esc(c["before"]) + "**" + esc(c["match"]) + "**" + esc(c["after"])) if c \
                else f"**{esc(f['evidence'])}**"
            out.append(f"- 原话：「{quote}」")
        else:
            out.append(f"- 记录：{esc(f['evidence'])}")
        out.append(f"- 说明：{esc(f['message'])}")
        out.append("- 依据：" + "；".join(cite_label(c, esc) for c in f["citations"]))
        out.append("")
    if not r["findings"]:
        out += ["没有发现。", ""]

    out += ["## 四、向哪里投诉", "",
            "下列渠道按本报告的发现类别挑选，只列项目法律笔记中有记录的渠道，并注明核实情况。"
            "投诉能否受理、如何处理，由受理机构决定。", ""]
    for c in r["complaint"]["channels"]:
        out += [f"### {c['name']}（{c['status']}）", "", c["contact"], "",
                f"适用：{c['when']}" + (f"（本报告相关发现：{c['why']}）" if c["why"] else ""), "", "通常需要准备："]
        out += [f"- {n}" for n in c["needs"]]
        out.append("")
    if r["complaint"]["draft"]:
        out += ["### 投诉材料草稿", "", "以下内容完全取自本报告的发现，请核对每一条、补上方括号中的内容后再使用。", "",
                "```text",
                r["complaint"]["draft"].replace("```", "ʼʼʼ"), "```", ""]

    out += ["## 五、条文附录", "",
            "每条被引用的规定列一次。只有标明“原文”或“转引”的才放在引号内；“大意（非原文）”是概括，不是条文措辞。", ""]
    for p in r["provisions"]:
        out.append(f"### ［{p['ref']}］{esc(p['label'])}")
        out.append("")
        meta = f"{p['kind_zh']} · 版本：{p['version']}"
        meta += f" · 施行日期：{p['effective']}" if p["effective"] else ""
        meta += f" · 适用至：{p['until']}" if p["until"] else ""
        out += [meta, ""]
        if p["status"] == "verbatim":
            out += [f"“{esc(p['text'])}”（原文）", ""]
        elif p["status"] == "secondary":
            out += [f"“{esc(p['text'])}”（转引自二手来源，未经官方文本核对）", ""]
        else:
            out += [f"大意（非原文）：{esc(p['text'])}", ""]
        if p["note"]:
            out += [f"说明：{esc(p['note'])}", ""]
        if p["source"]:
            out += [f"来源：{esc(p['source'])}", ""]

    mf = r["manifest"]
    out += ["## 六、证据清单", "",
            "| 文件 | 大小（字节） | SHA-256 | 格式 / 编码 | 读取行数 | 使用 | 无法读取 | 已过滤 |",
            "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: |"]
    for i in mf["inputs"]:
        shown = f"{PASTED_LABEL}（没有文件，无法用 collcheck verify 核对）" if i["file"] == PASTED else f"`{i['file']}`"
        out.append(f"| {shown} | {i['size'] if i['size'] is not None else '—'} | `{i['sha256']}` | "
                   f"{i['format']} / {i['encoding']} | {i['rows']} | {i['events']} | {i['rejected']} | "
                   f"{i['filtered']} |")
    if mf["numbers_file"]:
        nf = mf["numbers_file"]
        out.append(f"| `{nf['file']}`（催收号码清单） | {nf['size']} | `{nf['sha256']}` | — | — | — | — | — |")
    if any(i.get("speakers_zh") for i in mf["inputs"]):
        out += ["", "谁的话被判断：", ""]
        out += [f"- `{esc(i['label'])}`：{esc(t)}" for i in mf["inputs"] for t in i.get("speakers_zh", ())]
    if mf["left_out"]:
        out += ["", "未纳入本报告的文件：", ""]
        for x in mf["left_out"]:
            size = x["size"] if x["size"] is not None else "—"
            out.append(f"- `{esc(x['label'])}`（{size} 字节，SHA-256 `{x['sha256'] or '—'}`）：{esc(x['reason'])}")
    for i in mf["inputs"]:
        if i["rejected_rows"]:
            out.append("")
            rows = [f"第 {x['line']} 行（{esc(x.get('reason_zh') or x['reason'])}）" for x in i["rejected_rows"]]
            out.append(f"{esc(i['label'])} 无法读取的行：" + "；".join(rows))
    out += ["", f"- 工具：{mf['tool']['name']} {mf['tool']['version']}",
            f"- 规则包：{mf['pack']['name']} {mf['pack']['version']}",
            f"- 生成时间：{mf['generated']}（{mf['timezone']}）",
            f"- 本报告的哈希：本文件的 SHA-256 写在同目录的 `{mf['sidecar']}` 中。",
            f"- 核对原始文件：`{mf['verify']}`", "", MANIFEST_MARK, "```json",
            json.dumps(mf, ensure_ascii=False, indent=1), "```", ""]
    return "\n".join(out)

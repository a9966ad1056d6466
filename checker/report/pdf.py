"""The PDF report, drawn with fpdf2. Noto Sans SC (OFL) is embedded as a subset, so the
Chinese text renders in any viewer and ``pdftotext`` gets it back; charts are PNGs
drawn by matplotlib with the same font."""

from __future__ import annotations

import io
from datetime import datetime

from checker.report import charts as charts_mod
from checker.report.fonts import cjk_font_path, printable
from checker.report.model import PASTED, PASTED_LABEL, SEVERITY_ZH, Report, cite_label, records_note

INK = (29, 35, 41)
MUTED = (95, 107, 118)
SEV_RGB = {"critical": (142, 27, 27), "high": (192, 57, 43), "medium": (214, 137, 16), "low": (93, 109, 126)}
FONT = "noto"


def render_pdf(report: Report) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import WrapMode, XPos, YPos
    from fpdf.fonts import FontFace

    r = report.to_dict()
    m = r["meta"]

    class Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, size=8)
            self.set_text_color(*MUTED)
            self.cell(0, 6, f"{m['title']} · collcheck {m['tool']['version']} · 第 {self.page_no()} 页 / 共 {{nb}} 页",
                      align="C")

    pdf = Doc(format="A4", unit="mm")
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=16)
    font = str(cjk_font_path())
    pdf.add_font(FONT, "", font)
    pdf.add_font(FONT, "B", font)  # no bold face ships: fpdf2's table headings ask for one
    pdf.set_title(m["title"])
    pdf.set_author("collcheck")
    pdf.set_creator(f"collcheck {m['tool']['version']}")
    pdf.set_lang("zh-CN")
    pdf.set_creation_date(datetime.fromisoformat(m["generated"]))
    pdf.alias_nb_pages()
    pdf.add_page()
    W = pdf.epw

    def text(s: str, size: float = 10, color: tuple[int, int, int] = INK, h: float | None = None,
             indent: float = 0, fill: tuple[int, int, int] | None = None) -> None:
        pdf.set_font(FONT, size=size)
        pdf.set_text_color(*color)
        if fill:
            pdf.set_fill_color(*fill)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(W - indent, h or size * 0.55, printable(s), align="L", wrapmode=WrapMode.CHAR, fill=bool(fill),
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT, padding=(1, 2) if fill else 0)

    def quote(before: str, match: str, after: str, indent: float = 5) -> None:
        """The record's words, the matched span underlined in red."""
        left = pdf.l_margin
        pdf.set_left_margin(left + indent)
        pdf.set_x(left + indent)
        pdf.ln(0.5)
        parts = (("原话：「" + before, "", INK), (match, "U", SEV_RGB["high"]), (after + "」", "", INK))
        for part, style, color in parts:
            if part:
                pdf.set_font(FONT, style, 9.5)
                pdf.set_text_color(*color)
                pdf.write(5.2, printable(part), wrapmode=WrapMode.CHAR)
        pdf.set_font(FONT, "", 9.5)
        pdf.ln(6)
        pdf.set_left_margin(left)
        pdf.set_x(left)

    def heading(s: str, size: float = 15, space: float = 5, keep: float = 40) -> None:
        """A heading, moved to the next page with what follows when less than ``keep`` mm is left."""
        if pdf.get_y() + space + keep > pdf.h - pdf.b_margin:
            pdf.add_page()
        else:
            pdf.ln(space)
        pdf.set_font(FONT, size=size)
        pdf.set_text_color(*INK)
        pdf.multi_cell(W, size * 0.6, printable(s), align="L", wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        if size >= 14:
            pdf.set_draw_color(*INK)
            pdf.set_line_width(0.5)
            pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + W, pdf.get_y() + 1)
            pdf.ln(3)
        else:
            pdf.ln(1)

    def table(rows: list[list[str]], widths: list[float], size: float = 8.5, header: bool = True) -> None:
        pdf.set_font(FONT, size=size)
        pdf.set_text_color(*INK)
        pdf.set_draw_color(200, 205, 210)
        pdf.set_line_width(0.2)
        with pdf.table(col_widths=widths, width=W, text_align="LEFT", wrapmode=WrapMode.CHAR,
                       first_row_as_headings=header, line_height=size * 0.5,
                       headings_style=FontFace(emphasis="NONE", fill_color=(240, 242, 245)),
                       padding=1.2) as t:
            for row in rows:
                rr = t.row()
                for cell in row:
                    rr.cell(printable(str(cell)))
        pdf.ln(2)

    # ------------------------------------------------------------------ title
    pdf.set_font(FONT, size=21)
    pdf.set_text_color(*INK)
    pdf.cell(0, 12, m["title"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    text(f"生成时间 {m['generated']} · 时区 {m['timezone']} · collcheck {m['tool']['version']} · "
         f"规则包 {m['pack']['name']} {m['pack']['version']}", 8.5, MUTED)
    pdf.ln(2)
    text(m["disclaimer"], 9, INK, fill=(244, 246, 248))
    if m["redacted"]:
        pdf.ln(1)
        text(m["redaction"], 9, (120, 80, 0), fill=(255, 247, 230))
    if m.get("partial"):
        pdf.ln(1)
        text(m["partial"], 9, (150, 40, 40), fill=(253, 236, 236))

    # ------------------------------------------------------------------ summary
    s = r["summary"]
    heading("一、摘要")
    t = s["totals"]
    plats = "；".join(f"【{p['name']}】（{p['messages']} 条消息"
                     + (f"，留的电话 {'、'.join(p['hotlines'])}" if p["hotlines"]
                                                               else "") + "）" for p in s["platforms"])
    sev = "，".join(f"{v['label']} {v['count']}" for v in s["by_severity"])
    claimed = "；".join(f"【{p['name']}】（{p['messages']} 条消息）" for p in s.get("claimed_authorities", ()))
    table([["债务人号码", s["debtor"] or "未能从记录中确定"],
           ["时间范围", s["period"]["text"] if s["period"] else "记录没有日期"],
           ["短信署名中的平台", plats or "未发现【…】署名"],
           *([["自称国家机关的署名", claimed + "（不是放贷平台；是否冒充，见下方发现）"]] if claimed else []),
           ["联系次数", f"共 {t['contacts']} 次：来电 {t['calls']} 次（接通 {t['connected']}，"
                    f"未接 / 拒接 {t['unanswered']}），"
                    f"短信 / 微信 {t['messages']} 条；其中 22:00–08:00 {t['night']} 次，21:00–22:00 {t['evening']} 次"],
           ["发现", f"{s['findings']} 条" + (f"（{sev}）" if sev else "") + records_note(s)],
           # whose lines were judged, where a file's labels did not say (as in the HTML and Markdown)
           *[["谁的话被判断", f"{i['label']}：{t}"] for i in r["manifest"]["inputs"]
             for t in i.get("speakers_zh", ())]], [28, 152], header=False)
    heading("催收方号码", 11.5, 2)
    table([["催收方（号码组）", "号码 / 聊天账号", "联系次数"]]
          + [[c["group"], "、".join(c["numbers"]), str(c["contacts"])] for c in s["collectors"]], [45, 115, 20])
    if s["by_category"]:
        heading("按类别统计", 11.5, 2)
        table([["类别", "代码", "条数", "严重程度"]]
              + [[c["label"], c["category"], str(c["count"]),
                  "，".join(f"{SEVERITY_ZH[k]} {n}" for k, n in c["by_severity"].items())] for c in s["by_category"]],
              [45, 70, 15, 50])

    # ------------------------------------------------------------------ charts
    heading("二、图表", keep=95)
    pngs = charts_mod.render_all(r["charts"], "png")
    captions = {
        "per_day": "图1 每日联系次数（柱）与规则包的频率上限（线）。同一号码未接通上限按单个催收方计，柱为全部合计。",
        "by_hour": "图2 各时段的联系次数。" + r["charts"]["windows"]["note"],
        "heatmap": "图3 日期 × 时段的联系次数，颜色越深次数越多。",
    }
    for key in ("per_day", "by_hour", "heatmap"):
        img = io.BytesIO(pngs[key])
        from PIL import Image

        with Image.open(io.BytesIO(pngs[key])) as im:
            ratio = im.height / im.width
        h = W * ratio
        if pdf.get_y() + h + 10 > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.image(img, x=pdf.l_margin, w=W, alt_text=captions[key])
        text(captions[key], 8.5, MUTED)
        pdf.ln(3)

    # ------------------------------------------------------------------ timeline
    heading("三、发现时间线")
    if not r["findings"]:
        text("没有发现。")
    for f in r["findings"]:
        if pdf.get_y() > pdf.h - 50:
            pdf.add_page()
        y0 = pdf.get_y()
        pdf.ln(1)
        text(f"#{f['n']}  【{f['severity_label']}】{f['category_label']} · {f['title']}", 10.5, SEV_RGB[f["severity"]],
             indent=3)
        if f.get("same_as"):
            # a further rule of the same kind on the same record: the quote and facts are #same_as's
            text(f"与 #{f['same_as']} 同一条记录、同一类；证据：「{f['evidence']}」", 8.5, MUTED, indent=3)
            text(f["message"], 8.5, INK, indent=3)
            text("依据：" + "；".join(cite_label(c) for c in f["citations"]), 8.5, MUTED, indent=3)
            y1 = pdf.get_y()
            if y1 > y0:
                pdf.set_fill_color(*SEV_RGB[f["severity"]])
                pdf.rect(pdf.l_margin, y0 + 1, 1.2, y1 - y0 - 1, style="F")
            pdf.ln(2)
            continue
        who = (f"{f['number']}" + (f"（{f['group']}）" if f["group"] and f["group"] != f["number"] else "") + " · ") \
            if f["number"] else ""
        text(f"时间：{f['time_local']}    号码 / 说话人：{who}{f['channel_label']}"
             + (f" · {f['speaker_label']}" if f["speaker_label"] else "")
             + (f" · 来自{f['relation']}的记录" if f["relation"] else ""), 8.5, MUTED, indent=3)
        src = f"{_label(f['source']['file'])} 第 {f['source']['line']} 行 · " if f["source"] else ""
        recs = (f"（共计入 {len(f['records'])} 条记录：{'、'.join(f.get('records_label') or f['records'])}）"
                if f["records"] else "")
        text(f"出处：{src}记录 {f.get('record_label') or f['record']}{recs}", 8.5, MUTED, indent=3)
        if f["quote"]:
            c = f["context"] or {"before": "", "match": f["evidence"], "after": ""}
            quote(c["before"], c["match"], c["after"])
        else:
            text(f"记录：{f['evidence']}", 9.5, INK, indent=3, fill=(246, 247, 249))
        text(f["message"], 9, INK, indent=3)
        text("依据：" + "；".join(cite_label(c) for c in f["citations"]), 8.5, MUTED, indent=3)
        y1 = pdf.get_y()
        if y1 > y0:  # the severity bar beside a finding that did not break across pages
            pdf.set_fill_color(*SEV_RGB[f["severity"]])
            pdf.rect(pdf.l_margin, y0 + 1, 1.2, y1 - y0 - 1, style="F")
        pdf.ln(3)

    # ------------------------------------------------------------------ complaint
    heading("四、向哪里投诉")
    text("下列渠道按本报告的发现类别挑选，只列项目法律笔记中有记录的渠道，并注明核实情况。投诉能否受理、如何处理，由受理机构决定。",
         8.5, MUTED)
    for c in r["complaint"]["channels"]:
        heading(f"{c['name']}（{c['status']}）", 11, 2)
        text(c["contact"], 9.5)
        text(f"适用：{c['when']}" + (f"（本报告相关发现：{c['why']}）" if c["why"] else ""), 9)
        text("通常需要准备：" + "；".join(c["needs"]), 9)
    if r["complaint"]["draft"]:
        heading("投诉材料草稿", 11.5, 3)
        text("以下内容完全取自本报告的发现，请核对每一条、补上方括号中的内容后再使用。", 8.5, MUTED)
        text(r["complaint"]["draft"], 9, INK, h=5, fill=(246, 247, 249))

    # ------------------------------------------------------------------ provisions
    heading("五、条文附录")
    text("每条被引用的规定列一次。只有标明“原文”或“转引”的才放在引号内；“大意（非原文）”是概括，不是条文措辞。"
         "行业标准和自律规范不是法律，作为行业要求引用。", 8.5, MUTED)
    for p in r["provisions"]:
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        heading(f"［{p['ref']}］{p['label']}", 10.5, 3)
        meta = f"{p['kind_zh']} · 版本：{p['version']}"
        meta += f" · 施行日期：{p['effective']}" if p["effective"] else ""
        meta += f" · 适用至：{p['until']}" if p["until"] else ""
        text(meta, 8, MUTED)
        if p["status"] == "verbatim":
            text(f"“{p['text']}”（原文）", 9.5)
        elif p["status"] == "secondary":
            text(f"“{p['text']}”（转引自二手来源，未经官方文本核对）", 9.5)
        else:
            text(f"大意（非原文）：{p['text']}", 9.5)
        if p["note"]:
            text(f"说明：{p['note']}", 8, MUTED)
        if p["source"]:
            text(f"来源：{p['source']}", 8, MUTED)

    # ------------------------------------------------------------------ manifest
    mf = r["manifest"]
    heading("六、证据清单")
    rows = [["文件", "大小（字节）", "SHA-256", "格式 / 编码", "行", "使用", "无法读取", "过滤"]]
    for i in mf["inputs"]:
        shown = f"{PASTED_LABEL}（没有文件，无法用 collcheck verify 核对）" if i["file"] == PASTED else i["file"]
        rows.append([shown, "—" if i["size"] is None else str(i["size"]), i["sha256"],
                     f"{i['format']} / {i['encoding']}",
                     str(i["rows"]), str(i["events"]), str(i["rejected"]), str(i["filtered"])])
    if mf["numbers_file"]:
        nf = mf["numbers_file"]
        rows.append([f"{nf['file']}（催收号码清单）", str(nf["size"]), nf["sha256"], "—", "—", "—", "—", "—"])
    table(rows, [38, 16, 52, 22, 10, 10, 16, 10], size=7.5)
    for x in mf["left_out"]:
        size = "—" if x["size"] is None else str(x["size"])
        text(f"未纳入本报告：{x['label']}（{size} 字节，SHA-256 {x['sha256'] or '—'}）：{x['reason']}",
             8, (150, 40, 40))
    for i in mf["inputs"]:
        if i["rejected_rows"]:
            text(f"{i['label']} 无法读取的行："
                 + "；".join(f"第 {x['line']} 行（{x.get('reason_zh') or x['reason']}）" for x in i["rejected_rows"]),
                 8, MUTED)
    table([["工具", f"{mf['tool']['name']} {mf['tool']['version']}"],
           ["规则包", f"{mf['pack']['name']} {mf['pack']['version']}"],
           ["生成时间", f"{mf['generated']}（{mf['timezone']}）"],
           ["本报告的哈希", f"本文件的 SHA-256 写在同目录的 {mf['sidecar']} 中（报告不能包含自身的哈希）。"],
           # collcheck verify reads HTML, Markdown and JSON reports, never a PDF
           ["核对", "原始文件是否被改动：可用 sha256sum 逐个核对上面列出的 SHA-256；collcheck verify 不能读 PDF，"
                    "需要时请用同样的输入另生成 HTML 或 JSON 报告，再运行 "
                    + mf['verify'].replace(mf['sidecar'][:-len('.sha256')], "报告.json", 1)]],
          [28, 152], header=False)
    return bytes(pdf.output())


def _label(file: str) -> str:
    return PASTED_LABEL if file == PASTED else file

"""The report's three charts, drawn with matplotlib (Agg, no display) from the report's
chart data: contacts per day against the frequency limits, contacts by hour of day
against the permitted window, and a day × hour heat map.

SVG for HTML (text drawn as paths, so no font is needed to view it; element ids
prefixed per chart so several can live in one page), PNG for the PDF.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import Any

COLORS = {"connected": "#2f6f9f", "unanswered": "#e08a2c", "messages": "#8c6bb1", "over": "#c0392b",
          "permitted": "#dff0d8", "stricter": "#fbe3b5", "night": "#f7d4d0"}


@lru_cache(maxsize=1)
def _setup() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager

    from checker.report.fonts import FAMILY, cjk_font_path

    font_manager.fontManager.addfont(str(cjk_font_path()))
    matplotlib.rcParams.update({
        "font.family": [FAMILY, "DejaVu Sans"], "axes.unicode_minus": False, "svg.fonttype": "path",
        "svg.hashsalt": "collcheck", "font.size": 10, "axes.spines.top": False, "axes.spines.right": False,
    })
    from matplotlib.figure import Figure

    return Figure


def _out(fig: Any, fmt: str, name: str, label: str) -> str | bytes:
    buf = io.BytesIO()
    if fmt == "png":
        fig.savefig(buf, format="png", dpi=170, bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return _inline_svg(buf.getvalue().decode("utf-8"), name, label)


def _inline_svg(svg: str, prefix: str, label: str) -> str:
    """Strip the XML prologue, prefix every id (and reference to it), label the picture."""
    svg = svg[svg.index("<svg"):]
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for i in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{i}"', f'id="{prefix}-{i}"').replace(f"#{i})", f"#{prefix}-{i})") \
                 .replace(f'href="#{i}"', f'href="#{prefix}-{i}"')
    label = label.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{label}" class="chart"', svg, count=1)
    return re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)


def per_day(charts: dict[str, Any], fmt: str = "svg") -> str | bytes:
    Figure = _setup()
    days = charts["per_day"]
    fig = Figure(figsize=(8.6, 3.6))
    ax = fig.add_subplot()
    label = "每日联系次数与频率上限"
    if not days:
        ax.text(0.5, 0.5, "没有带日期的来电或消息", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return _out(fig, fmt, "perday", label)
    x = list(range(len(days)))
    con = [d["connected"] for d in days]
    una = [d["unanswered"] for d in days]
    msg = [d["messages"] for d in days]
    ax.bar(x, con, color=COLORS["connected"], label="已接通来电", width=0.62)
    ax.bar(x, una, bottom=con, color=COLORS["unanswered"], label="未接 / 拒接来电", width=0.62)
    ax.bar(x, msg, bottom=[a + b for a, b in zip(con, una, strict=True)], color=COLORS["messages"],
           label="短信 / 微信", width=0.62)
    top = max(a + b + c for a, b, c in zip(con, una, msg, strict=True))
    styles = {"connected": ("--", "#1b4f72"), "unanswered": (":", "#a04000"), "attempts": ("-.", "#7f8c8d")}
    for lim in charts["limits"]:
        if lim["advisory"]:
            continue
        ls, color = styles.get(lim["count"], ("--", "#333"))
        what = {"connected": "每日接通上限", "unanswered": "同一号码每日未接通上限",
                "attempts": "每日来电上限"}[lim["count"]]
        ax.axhline(lim["max"], linestyle=ls, color=color, linewidth=1.4, label=f"{what} {lim['max']} 次")
        top = max(top, lim["max"])
    # 超限 marks a day over a limit the pack sets; a day with only the advisory count (more than 3
    # attempts: a common complaint threshold, no legal one) is not marked
    over = [(i, d["connected"] + d["unanswered"] + d["messages"]) for i, d in enumerate(days)
            if d.get("over_limit", d["frequency_findings"])]
    if over and len(days) <= 14:
        for i, total in over:
            ax.annotate("超限", (i, total), xytext=(0, 4), textcoords="offset points", ha="center", va="bottom",
                        color=COLORS["over"], fontsize=9)
    elif over:  # many days: a marker per day, explained in the legend, so labels do not collide
        ax.scatter([i for i, _ in over], [t + top * 0.06 for _, t in over], marker="v", s=18, color=COLORS["over"],
                   label="有频率发现的日期", zorder=3)
    ax.set_ylim(0, top * 1.15 + 1)
    step = max(1, len(days) // 14)
    ax.set_xticks(x[::step], [d["date"][5:] for d in days][::step])
    ax.set_ylabel("次数")
    ax.set_title("每日联系次数（柱）与频率上限（线）", loc="left", fontsize=11)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=8, frameon=False, ncols=3)
    return _out(fig, fmt, "perday", label)


def by_hour(charts: dict[str, Any], fmt: str = "svg") -> str | bytes:
    Figure = _setup()
    counts = charts["by_hour"]
    fig = Figure(figsize=(8.6, 3.2))
    ax = fig.add_subplot()
    ax.axvspan(7.5, 20.5, color=COLORS["permitted"], zorder=0, label="允许时段 08:00–22:00")
    ax.axvspan(20.5, 21.5, color=COLORS["stricter"], zorder=0, label="其中 21:00–22:00：更严格的提示时段（非法规界限）")
    ax.axvspan(-0.5, 7.5, color=COLORS["night"], zorder=0, label="22:00–次日08:00：标准禁止的时段")
    ax.axvspan(21.5, 23.5, color=COLORS["night"], zorder=0)
    colors = [COLORS["over"] if (h < 8 or h >= 22) else COLORS["unanswered"] if h == 21 else COLORS["connected"]
              for h in range(24)]
    ax.bar(range(24), counts, color=colors, width=0.7, zorder=2)
    for h, n in enumerate(counts):
        if n:
            ax.text(h, n, str(n), ha="center", va="bottom", fontsize=8, zorder=3)
    ax.set_xlim(-0.5, 23.5)
    ax.set_ylim(0, max(counts + [1]) * 1.15 + 0.5)
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}:00" for h in range(0, 24, 2)], fontsize=8)
    ax.set_ylabel("次数")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("各时段的联系次数与允许时段", loc="left", fontsize=11)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, frameon=False, ncols=2)
    return _out(fig, fmt, "byhour", "按小时统计的联系次数与允许时段")


def heatmap(charts: dict[str, Any], fmt: str = "svg") -> str | bytes:
    Figure = _setup()
    hm = charts["heatmap"]
    rows, counts = hm["rows"], hm["counts"]
    fig = Figure(figsize=(8.6, max(2.2, 0.42 * len(rows) + 1.4)))
    ax = fig.add_subplot()
    label = "日期 × 时段热力图"
    if not rows:
        ax.text(0.5, 0.5, "没有带日期的来电或消息", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return _out(fig, fmt, "heatmap", label)
    peak = max(max(r) for r in counts) or 1
    im = ax.imshow(counts, aspect="auto", cmap="Reds", vmin=0, vmax=peak, interpolation="nearest")
    for i, r in enumerate(counts):
        for h, n in enumerate(r):
            if n:
                ax.text(h, i, str(n), ha="center", va="center", fontsize=8, color="white" if n > peak / 2 else "black")
    for x, style in ((7.5, "-"), (20.5, ":"), (21.5, "-")):
        ax.axvline(x, color="#2c3e50", linestyle=style, linewidth=1.2)
    ax.set_xticks(range(24), [f"{h}" for h in range(24)], fontsize=8)
    ax.set_yticks(range(len(rows)), [r[5:] if hm["by"] == "day" else r for r in rows], fontsize=8)
    ax.set_xlabel("时（竖实线：08:00 与 22:00；虚线：21:00）")
    ax.spines[:].set_visible(False)
    title = "每天各时段的联系次数" if hm["by"] == "day" else "各星期几、各时段的联系次数（时间跨度较长，按星期汇总）"
    ax.set_title(title, loc="left", fontsize=11)
    from matplotlib.ticker import MaxNLocator

    cb = fig.colorbar(im, ax=ax, fraction=0.025, pad=0.01)
    cb.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    cb.ax.tick_params(labelsize=8)
    return _out(fig, fmt, "heatmap", label)


def render_all(charts: dict[str, Any], fmt: str = "svg") -> dict[str, Any]:
    return {"per_day": per_day(charts, fmt), "by_hour": by_hour(charts, fmt), "heatmap": heatmap(charts, fmt)}

"""The Chinese font every report format uses: Noto Sans SC (SIL Open Font License 1.1).

It comes from the ``pylopdf-fonts-zh-cn`` wheel on PyPI (a plain ``pip install`` — no
system package, no download at run time). The charts draw their labels with it, the PDF
embeds a subset of it, and the HTML carries a subset as a WOFF data URI so Chinese shows
even on a machine with no Chinese font. ``COLLCHECK_CJK_FONT`` may point at another
OTF / TTF file.
"""

from __future__ import annotations

import base64
import io
import os
from functools import lru_cache
from pathlib import Path

FAMILY = "Noto Sans SC"


class FontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    env = os.environ.get("COLLCHECK_CJK_FONT")
    if env:
        p = Path(env)
        if not p.is_file():
            raise FontMissing(f"COLLCHECK_CJK_FONT={env}: no such font file")
        return p
    try:
        import pylopdf_fonts_zh_cn

        p = Path(pylopdf_fonts_zh_cn.sans_path())
        if p.is_file():
            return p
    except ImportError:
        pass
    raise FontMissing("no Chinese font found: the report needs Noto Sans SC from the pip package "
                      "pylopdf-fonts-zh-cn (pip install pylopdf-fonts-zh-cn), or COLLCHECK_CJK_FONT=FILE.otf")


@lru_cache(maxsize=8)
def woff_data_uri(chars: str) -> str:
    """A WOFF subset of the font holding ``chars`` (plus ASCII), as a data URI for @font-face."""
    from fontTools import subset

    opts = subset.Options()
    opts.flavor = "woff"
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and the OFL licence notice
    opts.hinting = False
    opts.notdef_outline = True
    font = subset.load_font(str(cjk_font_path()), opts)
    sub = subset.Subsetter(opts)
    sub.populate(text="".join(sorted(set(chars) | {chr(c) for c in range(32, 127)})))
    sub.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, opts)
    return "data:font/woff;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """The code points the font has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(cjk_font_path()), lazy=True) as f:
        return frozenset(f["cmap"].getBestCmap())


def printable(s: str) -> str:
    """``s`` with characters the font cannot draw shown as 〔U+XXXX〕 instead of vanishing
    (an emoji in a message must not silently drop out of a quote); invisible format
    characters (zero-width space, joiners) are dropped."""
    have = covered()
    if all(ord(c) in have or c in "\n\t" for c in s):
        return s
    import unicodedata

    out = []
    for c in s:
        if ord(c) in have or c in "\n\t":
            out.append(c)
        elif unicodedata.category(c) == "Cf":
            continue
        else:
            out.append(f"〔U+{ord(c):04X}〕")
    return "".join(out)

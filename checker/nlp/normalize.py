"""Text normalisation with an offset map back to the original text.

Chinese is matched on characters of normalised text: NFKC (full/half width), lower
case, traditional → simplified (character level, from OpenCC's t2s table), and the
spaces that ASR output puts between Chinese words removed. Every normalised character
remembers the index of the original character it came from, so evidence is quoted
from the original text exactly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Spaces between Chinese characters (ASR output), and between a Chinese character and a Latin
# letter or digit (其他 app, 打 110): a rule phrase loses its spaces when it holds Chinese, so the
# text must too. Spaces between two Latin words stay (cao ni ma).
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}，。！？、；：])\s+(?=[{_CJK}，。！？、；：A-Za-z0-9])"
                                rf"|(?<=[A-Za-z0-9])\s+(?=[{_CJK}，。！？、；：])")
_MULTISPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """Character-level traditional → simplified table built once from OpenCC."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return {}
    conv = opencc.OpenCC("t2s")
    ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]
    chars = "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))
    # One conversion call for the whole block; t2s is 1:1 on single characters when
    # separated, so convert with a separator to keep alignment.
    out = conv.convert("\n".join(chars)).split("\n")
    table: dict[int, str] = {}
    if len(out) == len(chars):
        for src, dst in zip(chars, out, strict=True):
            if len(dst) == 1 and dst != src:
                table[ord(src)] = dst
    return table


def normalise(text: str) -> tuple[str, list[int] | None]:
    """Return (normalised text, offsets) where offsets[i] is the original index of
    normalised character i, or None when the mapping is the identity."""
    offsets: list[int] | None = None
    norm = unicodedata.normalize("NFKC", text)
    if len(norm) != len(text):
        norm, offsets = _nfkc_with_offsets(text)
    low = norm.lower()
    if len(low) == len(norm):
        norm = low
    norm = norm.translate(_t2s_table())
    if _INVISIBLE.search(norm):
        norm, offsets = _drop(norm, offsets, [i for i, ch in enumerate(norm) if ch in INVISIBLE])
    if _DECOR.search(norm) or (_ASTRAL.search(norm) and _ASTRAL_DECOR.search(norm)):
        norm, offsets = _drop(norm, offsets, _decor_between_cjk(norm))
    if "." in norm and DOTTED.search(norm):
        norm, offsets = _drop(norm, offsets, _dots_splitting_words(norm))
    if _FILLER.search(norm):
        norm, offsets = _drop_fillers(norm, offsets)
    if _SPACE_BETWEEN_CJK.search(norm) or "  " in norm or "\t" in norm or "\n" in norm.strip("\n"):
        norm, offsets = _squeeze_spaces(norm, offsets)
    return norm, offsets


# Characters that hide a phrase from a filter without changing what a person reads:
# zero-width characters anywhere, and decoration between two Chinese characters — symbols
# and emoji (曝★光, 拘→留, 卖⚡肾), asterisks, dashes, slashes, middle dots (逮‧捕‧令,
# 老-赖). Both are dropped before matching; sentence and clause punctuation (。，、！？；)
# stays. A half-width full stop between two Chinese characters is decoration only when another
# one follows within a few characters (法.院传.票, 逮.捕.令): one alone is how people who type
# with half-width punctuation end a sentence (我们不会上门.明天…), and it must keep ending it.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
DECOR_ASCII = "*-_~|/\\^#+=·‧•・"


@lru_cache(maxsize=1)
def decor_chars() -> str:
    """Every character treated as decoration between Chinese characters (BMP part)."""
    return DECOR_ASCII + "".join(
        chr(c) for c in range(0x80, 0x10000)
        if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) in ("So", "Sm", "Sk")
        and unicodedata.normalize("NFKC", chr(c)) == chr(c))  # NFKC maps the others (⼤ → 大)


_DECOR = re.compile("[" + re.escape(decor_chars()) + "]")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_ASTRAL_DECOR = re.compile("[\U0001F000-\U0001FAFF]")  # emoji and pictographs
_CJK_CHAR = re.compile(f"[{_CJK}]")


def _is_decor(ch: str) -> bool:
    return bool(_DECOR.match(ch) or _ASTRAL_DECOR.match(ch)) or ch in "\ufe0f\u200d"


def _decor_between_cjk(norm: str) -> list[int]:
    """Indexes of decoration runs with a Chinese character on both sides."""
    out: list[int] = []
    i, n = 0, len(norm)
    while i < n:
        if _is_decor(norm[i]):
            j = i
            while j < n and _is_decor(norm[j]):
                j += 1
            if i > 0 and j < n and _CJK_CHAR.match(norm[i - 1]) and _CJK_CHAR.match(norm[j]):
                out.extend(range(i, j))
            i = j
        else:
            i += 1
    return out


# A half-width full stop between two Chinese characters. Texts holding one are normalised in
# full by the quick paths (checker.engine, checker.fastpath): their translation table keeps it.
DOTTED = re.compile(f"(?<=[{_CJK}])\\.(?=[{_CJK}])")
DOT_WINDOW = 4  # at most this many characters between two word-splitting dots


def _dots_splitting_words(norm: str) -> list[int]:
    """Indexes of half-width full stops between two Chinese characters that have another such
    stop within DOT_WINDOW characters (法.院传.票 -> 法院传票, 逮.捕.令 -> 逮捕令)."""
    dots = [m.start() for m in DOTTED.finditer(norm)]
    near = DOT_WINDOW + 1
    return [d for k, d in enumerate(dots)
            if (k > 0 and d - dots[k - 1] <= near) or (k + 1 < len(dots) and dots[k + 1] - d <= near)]


def _drop(norm: str, offsets: list[int] | None, drop: list[int]) -> tuple[str, list[int] | None]:
    if not drop:
        return norm, offsets
    gone = set(drop)
    base = offsets if offsets is not None else list(range(len(norm)))
    keep = [i for i in range(len(norm)) if i not in gone]
    return "".join(norm[i] for i in keep), [base[i] for i in keep]


# Combining marks compose with the character before them under NFKC, which a
# character-by-character table cannot do: texts holding one are not quick-checked.
COMBINING = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000)
                                     if not 0xD800 <= c <= 0xDFFF and unicodedata.combining(chr(c))) + "]")


# Hesitation sounds of ASR output (呃 / 嗯) carry no meaning and split phrases apart:
# 「打断 呃 你的腿」 is matched as 「打断你的腿」. Other particles (啊, 吧 …) stay: they mark
# questions and the end of a negation's scope.
_FILLER = re.compile(r"[呃嗯]+")


def _drop_fillers(norm: str, offsets: list[int] | None) -> tuple[str, list[int]]:
    keep = [i for i, ch in enumerate(norm) if ch not in "呃嗯"]
    if not keep:
        return norm, offsets if offsets is not None else list(range(len(norm)))
    base = offsets if offsets is not None else list(range(len(norm)))
    return "".join(norm[i] for i in keep), [base[i] for i in keep]


def _nfkc_with_offsets(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    offs: list[int] = []
    for i, ch in enumerate(text):
        n = unicodedata.normalize("NFKC", ch)
        for c in n:
            out.append(c)
            offs.append(i)
    return "".join(out), offs


def _squeeze_spaces(norm: str, offsets: list[int] | None) -> tuple[str, list[int]]:
    """Drop spaces between Chinese characters; keep line breaks (they end sentences);
    collapse other runs of spaces to one."""
    drop = set()
    for m in _SPACE_BETWEEN_CJK.finditer(norm):
        if "\n" in m.group(0):
            # keep one line break: it is a sentence boundary
            first_nl = m.start() + m.group(0).index("\n")
            drop.update(i for i in range(m.start(), m.end()) if i != first_nl)
        else:
            drop.update(range(m.start(), m.end()))
    for m in _MULTISPACE.finditer(norm):
        if m.end() - m.start() > 1:
            keep = m.start() + (m.group(0).index("\n") if "\n" in m.group(0) else 0)
            drop.update(i for i in range(m.start(), m.end()) if i != keep)
    out: list[str] = []
    offs: list[int] = []
    for i, ch in enumerate(norm):
        if i in drop:
            continue
        out.append(ch)
        offs.append(offsets[i] if offsets is not None else i)
    return "".join(out), offs


def to_original(offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Map a normalised [start, end) span to the original text."""
    if offsets is None:
        return start, end
    if start >= len(offsets):
        return offsets[-1] + 1, offsets[-1] + 1
    return offsets[start], offsets[end - 1] + 1 if end > start else offsets[start]


@lru_cache(maxsize=65536)
def normalise_phrase(phrase: str) -> str:
    """Normalise a rule phrase the same way as input text (no offsets needed); cached,
    since lexicon words recur in many phrases."""
    return normalise(phrase)[0].replace(" ", "") if re.search(f"[{_CJK}]", phrase) else normalise(phrase)[0]

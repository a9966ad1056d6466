"""``--redact``: mask what a shared report should not show.

Masked: the debtor's own number, every phone number that is not a collector number
(relatives', colleagues', anyone else's), 18-digit 身份证 numbers, any other run of ten or more
digits that is not a collector number (a bank card, an ID cut by a quote's edge), names given with
``--redact-name``, and a personal name written right after a relation word
(你老公张伟 → 你老公张**). Kept: collector numbers (they are what the complaint is about)
and relation words (母亲, 同事), which say who was contacted without saying who they are.
Without ``--redact`` a :class:`Redactor` masks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from checker.parties import display_number, normalise_number

# Mobile (optionally +86 / 0086), landline with area code, 400/800 service numbers.
_PHONE = re.compile(
    r"(?<![\dA-Za-z])(?:(?:\+|00)?86[-\s]?)?(?:1[3-9]\d(?:[-\s]?\d{4}){2}|0\d{2,3}-\d{7,8}|[48]00[-\s]?\d{3}[-\s]?\d{4})"
    r"(?![\dA-Za-z])")
# 18-digit resident ID: 6-digit region, birth date 18xx/19xx/20xx, sequence, check digit.
_ID = re.compile(r"(?<![\dA-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                 r"(?![\dA-Za-z])")
# Any other long run of digits (a bank card, an ID cut short by a quote's edge: 99001011234）涉嫌…):
# masked unless it is a collector number
_LONG_DIGITS = re.compile(r"(?<![\dA-Za-z])\d{10,}[Xx]?(?![\dA-Za-z])")
_RELATIONS = ("紧急联系人", "联系人", "老公", "老婆", "丈夫", "妻子", "爱人", "对象", "妈妈", "爸爸", "母亲",
              "父亲", "你妈", "你爸", "哥哥", "姐姐", "弟弟", "妹妹", "儿子", "女儿", "同事", "领导", "老板", "朋友",
              "同学", "室友", "亲戚",
              "舅舅", "叔叔", "阿姨", "姑姑", "表哥", "表姐", "堂哥", "堂姐",
              # a guarantor or co-borrower named in a collector's message (你的担保人赵建国先生)
              "担保人", "保证人", "共同借款人", "共借人", "表弟", "表妹", "堂弟", "堂妹", "嫂子", "姐夫", "妹夫",
              "岳父", "岳母", "公公", "婆婆", "邻居", "房东", "亲属", "家属")
# Common surnames that rarely begin an ordinary word in collection talk (钱, 金, 方, 任, 曾 … are left out).
_SURNAMES = ("王李张刘陈杨赵黄吴徐孙胡朱郭林罗梁宋郑谢韩唐冯董萧曹袁邓傅沈彭吕苏卢蒋蔡贾丁魏薛阎潘杜"
             "戴钟汪姜郝孔崔邱秦侯邵孟雷尹黎乔贺赖龚")
_NOT_NAME_AFTER = set("和与跟都也说的了在是已我你他她们就还要会让把被给去来到过着吗呢吧啊呀")
# Common surnames that also begin common words, taken as surnames only when the next character
# does not make the word (周末 / 周一, 马上, 高兴, 何时, 许多 …)
_GUARDED_SURNAMES = "周(?![末一二三四五六日天内年岁边围])|马(?![上路])|高(?![兴利额速])|何(?![时必况])|许(?![多可])" \
                    "|于(?![是])|程(?![序度])|田(?![地里])|石(?![头])|范(?![围])|方(?![便面式法])|金(?![额])|钱(?![的])"
_NAME_AFTER_RELATION = re.compile(
    "(" + "|".join(sorted(_RELATIONS, key=len, reverse=True)) + f")([{_SURNAMES}]|{_GUARDED_SURNAMES})"
    "([\u4e00-\u9fff]{1,2})")
# a full name addressed with 女士 / 先生 / 小姐 (陈秀英女士，您好): the given name is masked
_NAME_ADDRESSED = re.compile(f"([{_SURNAMES}]|{_GUARDED_SURNAMES})([\u4e00-\u9fff]{{1,2}})(?=女士|先生|小姐)")


def mask_number(number: str) -> str:
    d = display_number(number)
    if len(d) >= 7:
        return d[:3] + "*" * (len(d) - 7) + d[-4:]
    return "*" * max(len(d) - 2, 1) + d[-2:]


def _mask_id(m: re.Match[str]) -> str:
    s = m.group(0)
    return s[:3] + "*" * (len(s) - 4) + s[-1]


@dataclass(frozen=True)
class Redactor:
    enabled: bool = False
    collectors: frozenset[str] = frozenset()  # normalised collector numbers: never masked
    names: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def make(cls, enabled: bool, collectors: Iterable[str], names: Iterable[str] = ()) -> Redactor:
        return cls(enabled, frozenset(n for n in collectors if n),
                   tuple(sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)))

    def _count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def number(self, raw: str | None) -> str:
        """A number for display: collector numbers as they are, others masked when enabled."""
        if not raw:
            return ""
        n = normalise_number(raw)
        shown = display_number(n)
        if not self.enabled or n in self.collectors:
            return shown
        self._count("number")
        return mask_number(n or raw)

    def split(self, s: str, start: int, end: int) -> tuple[str, str, str]:
        """``s`` cut at ``start`` / ``end`` (a finding's span) and each piece masked. A number or
        a name the span's edge falls inside is kept whole on the span's side, so no piece holds
        a part too short to be recognised and left unmasked (31011519900101123|4）)."""
        if self.enabled:
            spans = [m.span() for rx in (_ID, _PHONE, _LONG_DIGITS, _NAME_AFTER_RELATION, _NAME_ADDRESSED)
                     for m in rx.finditer(s)]
            for name in self.names:
                i = s.find(name)
                while i >= 0:
                    spans.append((i, i + len(name)))
                    i = s.find(name, i + 1)
            for a, b in spans:
                if a < start < b:
                    start = a
                if a < end < b:
                    end = b
        return self.text(s[:start]), self.text(s[start:end]), self.text(s[end:])

    def text(self, s: str | None) -> str:
        if not s:
            return s or ""
        if not self.enabled:
            return s

        def phone(m: re.Match[str]) -> str:
            n = normalise_number(m.group(0))
            if n in self.collectors:
                return m.group(0)
            self._count("number")
            return mask_number(n or m.group(0))

        def after_relation(m: re.Match[str]) -> str:
            given = m.group(3)
            keep = ""
            while given and given[-1] in _NOT_NAME_AFTER:
                keep = given[-1] + keep
                given = given[:-1]
            if not given:
                return m.group(0)
            self._count("name")
            return m.group(1) + m.group(2) + "*" * len(given) + keep

        def digits(m: re.Match[str]) -> str:
            if normalise_number(m.group(0)) in self.collectors:
                return m.group(0)
            self._count("number")
            return _mask_id(m)

        out = _ID.sub(lambda m: (self._count("id"), _mask_id(m))[1], s)
        out = _PHONE.sub(phone, out)
        out = _LONG_DIGITS.sub(digits, out)
        for name in self.names:
            if name in out:
                self._count("name")
                out = out.replace(name, name[0] + "*" * (len(name) - 1))
        out = _NAME_AFTER_RELATION.sub(after_relation, out)

        def addressed(m: re.Match[str]) -> str:
            if m.group(2)[-1] in _NOT_NAME_AFTER or "*" in m.group(2):
                return m.group(0)
            self._count("name")
            return m.group(1) + "*" * len(m.group(2))

        return _NAME_ADDRESSED.sub(addressed, out)

"""Who is who: the debtor, the collector numbers and their groups (rotating numbers).

* ``--numbers FILE`` lists collector numbers in any common format (+86 / 86 / 0086,
  spaces, dashes, landlines with area codes, 400 / 95xxx service numbers), normalised
  with ``phonenumbers``. Numbers on one line (or after ``name:``) are one collector
  group; frequency rules count across a group.
* Without ``--numbers`` nothing is assumed silently: every incoming number is judged,
  and the user is told which numbers look like collection numbers and why — except the
  numbers the export itself names as the person's saved contacts (a name column holding
  妈妈, 老公, 张姐) and the carriers' own service numbers (10086, 10010, 10000, 10099).
  Their calls and messages are counted as filtered and a note says how many, with a few
  of the names. A name that marks a collection or unknown caller (催收, 贷, 银行, 客服,
  疑似, 标记, 未知 …, or only digits) exempts nothing. ``--numbers`` turns this off.
* Numbers are also grouped when their messages share a signature (【某某分期】) or a
  callback number written in the text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from checker.io.common import ChatCall
from checker.model import CallEvent, Event
from checker.roles import AGENT_NAME

VIRTUAL_PREFIXES = ("162", "165", "167", "170", "171")
# 【某某分期】 / [某某分期]; a chat export's placeholder for what is not text ([图片], [语音]) is none
_SIGNATURE = re.compile(r"[【\[](?!(?:图片|语音|视频|表情|动画表情|位置|名片|通话|语音通话|视频通话|文件|链接|"
                        r"转账|红包|小程序|音乐|撤回)[】\]])([^】\]]{2,16})[】\]]")
# What may follow a signature at a message's end: punctuation, and an opt-out note (回T退订, 拒收请回复R)
_SIGNATURE_TAIL = re.compile(r"[\s。.！!，,]*(?:[^【】\[\]]{0,12}(?:退订|拒收)[^【】\[\]]{0,6})?[\s。.！!]*")


def signatures(text: str, placeholders: bool = True) -> list[str]:
    """The 【…】 (or [...]) signatures of a message: those at its start or at its end
    (【速易借】您的账单… / …请及时还款【速易借】, perhaps followed by 回T退订). A bracketed name inside the
    text is something the message speaks of — 去【闪电借】上面再借点 names a platform to borrow from, not
    the sender — so it neither joins numbers into one collector nor is named as the party to
    complain about. ``placeholders=False``: 【…】 only (the report's list of platforms)."""
    out = []
    for m in _SIGNATURE.finditer(text):
        if not placeholders and m.group(0)[0] != "【":
            continue
        if not text[:m.start()].strip(" \t\r\n\ufeff") or _SIGNATURE_TAIL.fullmatch(text, m.end()):
            out.append(m.group(1))
    return out


_CALLBACK = re.compile(r"(?:致电|回电|拨打|联系|电话|热线)[:：]?\s*"
                       r"((?:400|800)[-\s]?\d{3}[-\s]?\d{4}|95\d{3,4}|1[3-9]\d{9})")
# A number said to be someone else's (你妈妈的电话…, 你老公王建国电话…, 你单位的电话…) is no callback line
# of the sender: the words just before the callback keyword name that person.
_OTHERS_NUMBER = re.compile(
    r"(?:(?:妈|爸|父亲|母亲|老公|老婆|丈夫|妻子|爱人|对象|家人|家里|亲戚|亲属|哥|姐|弟|妹|儿子|女儿|孩子|朋友|同事|同学|室友|"
    r"紧急联系人)|(?:你|您)们?的?(?:公司|单位|领导|老板|上司|人事|HR))[^，。！？,.!?\s]{0,4}的?$")
_COLLECTION_WORDS = ("逾期", "欠款", "催收", "还款", "账单", "借款", "分期", "结清", "贷款", "欠费")


# The carriers' own service lines: never a collector (95xxx lines are: banks collect from them).
SERVICE_NUMBERS = frozenset({"10086", "10010", "10000", "10099"})
# A name that says a caller is, or may be, a collector or a stranger: it exempts no number.
_MARKED_NAME = re.compile(
    r"催收|催款|贷|金融|银行|信用卡|分期|法务|律师|调解|资产|逾期|花呗|借呗|白条|客服|骚扰|推销|诈骗|疑似|标记|未知|陌生|"
    r"广告|保险|"
    r"collect|loan|bank|credit|debt|spam|scam|fraud|telemarket|suspect|unknown|no caller", re.IGNORECASE)
_ONLY_NUMBER = re.compile(r"^[\d\s+\-()（）.*＊#]+$")


class PartiesError(ValueError):
    pass


# Family and people close to the person: a contact saved under such a word is theirs.
_KIN = re.compile(
    r"妈|爸|娘|爹|父亲|母亲|老婆|老公|媳妇|爱人|丈夫|妻子|儿子|女儿|闺女|哥|姐|弟|妹|爷|奶|外公|外婆|姥|叔|姨|舅|姑|"
    r"婶|伯|岳父|岳母|丈人|公公|婆婆|嫂|亲家|宝贝|亲爱|老铁|兄弟|闺蜜|室友|同学|同事|舍友|邻居|房东|师傅|老师|"
    r"mom|mum|dad|mother|father|wife|husband|honey|sister|brother|grandma|grandpa|aunt|uncle", re.IGNORECASE)
# Family proper: a relative passing on what collectors said is still the relative.
_FAMILY = re.compile(
    r"妈|爸|父亲|母亲|老婆|老公|媳妇|爱人|丈夫|妻子|儿子|女儿|闺女|哥哥|姐姐|弟弟|妹妹|爷爷|奶奶|外公|外婆|姥姥|姥爷|"
    r"岳父|岳母|丈人|公公|婆婆|舅舅|舅妈|姑姑|姨妈|叔叔|婶婶|伯伯|嫂子|姐夫|妹夫|弟媳|"
    # 大哥, 二姨, 小舅, 表哥, 堂妹, 姨夫, 外甥: a relative by the way families say it
    # (not 小姐 / 小哥: how anyone addresses a young woman or a courier)
    r"(?:大|二|三|四|五|六|表|堂)(?:哥|姐|弟|妹|姨|舅|姑|叔|伯|婶|嫂)|小(?:姨|舅|姑|叔|婶|妹)|姨夫|姨父|姑父|姑丈|舅父|"
    r"侄子|侄女|外甥|孙子|孙女|亲家|"
    r"mom|mum|dad|mother|father|wife|husband|sister|brother", re.IGNORECASE)
# Common surnames (the first character of most Chinese names): with one or two characters
# after it, or 小 / 老 / 阿 before it, a saved name reads as a person's.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢"
    "安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路"
    "游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全"
    "佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
_PERSON = re.compile(r"^(?:[小老阿])?([\u4e00-\u9fff])[\u4e00-\u9fff]{0,2}$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'-]{1,30}$")
# What a collector saved under a person-like name still says of itself in a message.
_COLLECTION_SIGNS = ("逾期", "欠款", "催收", "欠费", "还款", "结清", "账单")


def is_personal_name(name: str) -> bool:
    """A saved contact's name that reads as a person's — family or close people (妈妈, 老公,
    张姐, 室友), or a Chinese or Latin personal name (王伟, 小李, Tom) — and is not a mark
    such as 疑似催收, 某某银行, 未知号码, a lender's or shop's name (速借花, 菜鸟驿站) or a
    number. Only such a name can exempt a number when no numbers list is given."""
    s = name.strip()
    if not s or _ONLY_NUMBER.match(s) or _MARKED_NAME.search(s):
        return False
    if _KIN.search(s):
        return True
    m = _PERSON.match(s)
    if m:
        return m.group(1) in _SURNAMES or (s[0] in "小老阿" and len(s) <= 3)
    return bool(_LATIN_NAME.match(s))


def saved_contacts(names: dict[str, set[str]] | None, events: Iterable[Event] = ()) -> dict[str, str]:
    """normalised number -> a personal name, from the names readers found (ReadContext.
    contact_names). A number named with a marking name anywhere is not a saved contact, and
    neither is one saved under a person's name whose own messages speak of the debt
    (逾期, 欠款, 催收 …: a collector the person saved as 王经理) — unless the name is family's
    (a mother passing on what collectors told her is still the mother)."""
    out: dict[str, str] = {}
    marked: set[str] = set()
    for raw, ns in (names or {}).items():
        n = normalise_number(raw)
        if not n or sum(ch.isdigit() for ch in n) < 5:
            continue
        for name in sorted(ns):
            if is_personal_name(name):
                out.setdefault(n, name.strip())
            else:
                marked.add(n)
    speaks_of_debt: set[str] = set()
    for ev in events:
        if ev.text and ev.direction != "out" and any(w in ev.text for w in _COLLECTION_SIGNS):
            n = normalise_number(ev.from_)
            if n:
                speaks_of_debt.add(n)
    return {n: name for n, name in out.items()
            if n not in marked and (n not in speaks_of_debt or _FAMILY.search(name))}


def is_service_number(number: str | None) -> bool:
    """10086 / 10010 / 10000 / 10099 (also written +86 10086)."""
    if not number:
        return False
    digits = re.sub(r"\D", "", number)
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 7:
        digits = digits[2:]
    return digits in SERVICE_NUMBERS


_NAMEISH = re.compile(r"[A-Za-z\u3400-\u9fff]")
# a number written inside a name or a note (王经理 13800138000, 10086(中国移动), 95588转1): five digits
# or more, not glued to Latin letters or an underscore (wxid_abc12345678 is an id, not a number)
_NUMBER_IN_NAME = re.compile(r"(?<![\dA-Za-z_])\+?\d[\d\s\-()（）]{3,}\d(?![\dA-Za-z_])")


def is_name(party: str | None) -> bool:
    """A chat sender's nickname or account id rather than a phone number."""
    return bool(party and _NAMEISH.search(party))


def normalise_number(raw: str | None) -> str | None:
    """E.164 for a valid Chinese (or international) number; bare digits otherwise."""
    if raw is None:
        return None
    s = str(raw).strip()
    if not s:
        return None
    digits = re.sub(r"\D", "", s)
    if not digits:
        return s
    if _NAMEISH.search(s):
        # a nickname or an account id holding digits (王经理2, wxid_syj_wang88) is that name, never
        # its digits (two such names would become one "number"); a number written inside a name
        # (王经理 13800138000) is that number
        m = _NUMBER_IN_NAME.search(s)
        if m is None:
            return s
        s = m.group()
        digits = re.sub(r"\D", "", s)
    try:
        import phonenumbers

        n = phonenumbers.parse(s if not s.startswith("00") else "+" + s[2:], "CN")
        if phonenumbers.is_valid_number(n):
            return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    except Exception:  # phonenumbers raises NumberParseException on junk
        pass
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and (len(digits) == 13 or s.startswith("+")):
        # +86 written before a number phonenumbers does not know (a 95 / 106 service line:
        # +8695137) is that number
        digits = digits[2:]
    return digits


def display_number(e164: str | None) -> str:
    """A normalised number as a person in China writes it: a mobile or 400 number
    without +86, a landline with its area code's leading 0 (+862188886666 ->
    02188886666, never 2188886666)."""
    if not e164:
        return "未知号码"
    if not e164.startswith("+86"):
        return e164
    return _national(e164)


@lru_cache(maxsize=4096)
def shown_number(raw: str) -> str:
    """A number as written in a file, shown the way display_number writes it when it is a
    valid number (+86 138 0013 8000 -> 13800138000; 2188886666 from a numeric Excel cell ->
    02188886666); anything else as written."""
    if raw.isdigit() and (len(raw) <= 8 or (len(raw) == 11 and raw[0] == "1")
                          or (raw[0] == "0" and raw[1:2] != "0") or raw.startswith(("400", "800", "95", "106"))):
        return raw  # a mobile, a landline with its 0, a short or service number: already as shown
    n = normalise_number(raw)
    if not n:
        return raw
    if n.startswith("+") and not n.startswith("+86"):
        return n
    return display_number(n) if n.startswith("+86") else raw


@lru_cache(maxsize=4096)
def _national(e164: str) -> str:
    try:
        import phonenumbers

        n = phonenumbers.parse(e164, None)
        if phonenumbers.is_valid_number(n):
            return re.sub(r"\D", "", phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL))
    except Exception:  # phonenumbers raises NumberParseException on junk
        pass
    return e164[3:]


@dataclass
class Directory:
    """Collector numbers and the group each belongs to."""

    groups: dict[str, str] = field(default_factory=dict)  # normalised number -> group name
    debtor: str | None = None
    given: bool = False  # was a numbers file given?
    debtor_also: frozenset[str] = frozenset()  # the debtor's other numbers (a second SIM): the same person

    def is_collector(self, number: str | None) -> bool:
        return self.given and normalise_number(number) in self.groups

    def group_of(self, number: str | None) -> str | None:
        n = normalise_number(number)
        return self.groups.get(n) if n else None


def load_numbers(path: str) -> Directory:
    """Read a numbers file: one collector (group) per line, numbers separated by
    commas, spaces or semicolons, optionally ``name: …``; ``#`` starts a comment."""
    p = Path(path)
    if not p.exists():
        raise PartiesError(f"{path}: no such file")
    return parse_numbers(p.read_bytes(), path)


def parse_numbers(data: bytes, path: str) -> Directory:
    """A numbers file's content (``load_numbers``); ``path`` names it in errors. The web
    page passes its collector-numbers box here, so both read the same format."""
    from checker.io.encoding import DecodeError, decode

    try:
        text, _ = decode(data, path)
    except DecodeError as e:
        raise PartiesError(str(e)) from None
    d = Directory(given=True)
    for lineno, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name = None
        # (a lender's name may hold digits: 360借条, 58好借, 借条360 — a name is whatever holds a letter)
        m = re.match(r"^([^:：]*?[A-Za-z\u3400-\u9fff][^:：]*)[:：](.*)$", line)
        if m:
            name, line = m.group(1).strip(), m.group(2)
        else:
            # 速易借 02158889999: a name before the numbers without a colon is still the name (its words
            # are the leading ones that hold a letter)
            m = re.match(r"^((?:\S*[A-Za-z\u3400-\u9fff]\S*\s+)+)(?=[+(（\d])(.*)$", line)
            if m:
                name, line = m.group(1).strip(), m.group(2)
        parts = [x for x in re.split(r"[,，;；、\t]|\s{2,}", line) if x.strip()]
        numbers = []
        for part in parts:
            for piece in _split_numbers(part):
                n = normalise_number(piece)
                if not n or not re.fullmatch(r"\+?\d{3,16}", n) or re.search(r"[A-Za-z\u3400-\u9fff]", piece):
                    raise PartiesError(f"{path}:{lineno}: {piece.strip()!r} is not a phone number (expected e.g. "
                                       "13800138000, +86 138 0013 8000, 010-12345678, 4008001234)")
                numbers.append(n)
        # a line without a name is named by its numbers (a finding about the group must not
        # read as if one number made every call): 17156781234、17156781235 等 4 个号码
        shown = [display_number(n) for n in dict.fromkeys(numbers)]
        group = name or ("、".join(shown) if len(shown) <= 3 else f"{'、'.join(shown[:2])} 等 {len(shown)} 个号码")
        for n in numbers:
            d.groups[n] = group
    if not d.groups:
        raise PartiesError(f"{path}: no numbers in the file; expected one collector number (or group) per line")
    return d


def _split_numbers(part: str) -> list[str]:
    """'170 1234 5601' is one number; '13800138000 13900139000' is two: join
    space-separated pieces until they make a valid number."""
    tokens = part.split()
    if len(tokens) <= 1:
        return [part]
    out, cur = [], ""
    for t in tokens:
        if cur and len(re.sub(r"\D", "", t)) >= 7 and len(re.sub(r"\D", "", cur)) >= 5:
            out.append(cur)  # a whole number follows what no valid number could be finished from
            cur = ""
        cur = f"{cur} {t}".strip()
        digits = re.sub(r"\D", "", cur)
        n = normalise_number(cur)
        if n and n.startswith("+") and len(digits) >= 10:
            out.append(cur)
            cur = ""
    if cur:
        # A leftover of five digits or more is a number of its own (a 106 / 95 sender that is
        # no valid phone number: '17156781235 1069012345678'); a shorter one ends the last.
        if out and len(re.sub(r"\D", "", cur)) < 5:
            out[-1] = f"{out[-1]} {cur}"
        else:
            out.append(cur)
    return out


@dataclass(frozen=True)
class Suspect:
    number: str
    reasons: tuple[str, ...]


def suspects(events: Iterable[Event]) -> list[Suspect]:
    """Numbers that look like collection numbers, with the reasons, for the user to confirm."""
    reasons: dict[str, set[str]] = defaultdict(set)
    short_calls: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    for ev in events:
        if ev.direction == "out" or ev.speaker in ("debtor", "third_party"):
            continue
        n = normalise_number(ev.from_)
        if not n:
            continue
        digits = display_number(n)
        if digits.startswith(VIRTUAL_PREFIXES):
            reasons[n].add(f"虚拟运营商号段 {digits[:3]}")
        if isinstance(ev, CallEvent):
            calls[n] += 1
            if ev.status in ("missed", "rejected") or (ev.duration_s is not None and ev.duration_s < 30):
                short_calls[n] += 1
        if ev.text:
            sig = signatures(ev.text)
            if sig and any(w in ev.text for w in _COLLECTION_WORDS):
                reasons[n].add(f"短信署名【{sig[0]}】并提及逾期/还款")
            elif any(w in ev.text for w in ("逾期", "欠款", "催收")):
                reasons[n].add("消息提及逾期/欠款")
    for n, k in short_calls.items():
        if k >= 5:
            reasons[n].add(f"{k} 次未接或短时来电")
    return [Suspect(n, tuple(sorted(r))) for n, r in sorted(reasons.items())]


def group_by_signature(events: Iterable[Event], d: Directory) -> Directory:
    """Join numbers into one group when their messages share a signature or name the
    same callback number. Groups from the numbers file win."""
    key_of: dict[str, set[str]] = defaultdict(set)
    for ev in events:
        n = normalise_number(ev.from_)
        if not n or not ev.text or ev.direction == "out":
            continue
        for sig in signatures(ev.text):
            key_of[n].add("sig:" + sig)
        for m in _CALLBACK.finditer(ev.text):
            if _OTHERS_NUMBER.search(ev.text[max(0, m.start() - 12):m.start()]):
                continue  # a third party's number the message mentions, not the sender's line
            cb = normalise_number(m.group(1))
            key_of[n].add("cb:" + (cb or ""))
            key_of[cb or ""].add("cb:" + (cb or ""))
    # union-find over shared keys
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_key: dict[str, list[str]] = defaultdict(list)
    for n, keys in key_of.items():
        for k in keys:
            by_key[k].append(n)
    for members in by_key.values():
        for m in members[1:]:
            parent[find(m)] = find(members[0])
    groups = dict(d.groups)
    clusters: dict[str, list[str]] = defaultdict(list)
    for n in key_of:
        clusters[find(n)].append(n)
    for members in clusters.values():
        if len(members) < 2:
            continue
        names = [groups[m] for m in members if m in groups]
        sigs = sorted(k[4:] for m in members for k in key_of[m] if k.startswith("sig:"))
        name = names[0] if names else (sigs[0] if sigs else display_number(sorted(members)[0]))
        for m in members:
            # With a numbers list only the listed numbers are collectors (README "Who is
            # judged"): a number the list does not hold never joins a group here — a chat sender
            # named by a nickname may still take its listed fellows' group.
            if d.given and m not in groups and (not names or not is_name(m)):
                continue
            if m not in groups or not d.given:
                groups.setdefault(m, name)
    return Directory(groups, d.debtor, d.given, d.debtor_also)


@dataclass
class Exempted:
    """Incoming contacts not judged because no numbers list was given and the number is a
    saved contact's or a carrier's service line: how many, and which names / numbers."""

    contacts: Counter[str] = field(default_factory=Counter)  # saved contact's name -> events
    numbers: set[str] = field(default_factory=set)  # normalised numbers of those contacts
    service: Counter[str] = field(default_factory=Counter)  # service number -> events
    # With a numbers list: incoming contacts from numbers not on it, and calls with no number
    unlisted: int = 0
    no_number: int = 0
    # In a relative's or colleague's own chat (--third-party): messages of the people in it (the
    # colleague, the rest of a work group) — no sender named as a collector
    relatives_own: int = 0

    def __bool__(self) -> bool:
        return bool(self.contacts or self.service or self.unlisted or self.no_number or self.relatives_own)


def assign(events: list[Event], d: Directory, contacts: dict[str, str] | None = None,
           exempted: Exempted | None = None) -> tuple[list[Event], dict[str, int]]:
    """Annotate events with their collector group; with a numbers file, drop (and count
    per file as filtered) incoming events from numbers that are not collectors, and incoming
    calls with no number (recording both counts in ``exempted``). Without
    one, drop (and count) incoming calls and messages of a person's export from saved
    ``contacts`` (normalised number -> name, see saved_contacts) and service numbers,
    recording them in ``exempted``."""
    kept: list[Event] = []
    filtered: Counter[str] = Counter()
    contacts = contacts or {}
    for ev in events:
        n = normalise_number(ev.from_)
        incoming = ev.direction != "out" and ev.speaker not in ("debtor", "third_party")
        if (ev.relation and incoming and n and is_name(n) and ev.speaker != "collector" and n not in d.groups
                and not AGENT_NAME.search(ev.from_ or "")):
            # A relative's or colleague's own chat (--third-party 同事=FILE): its senders known by name
            # are the people in it — the colleague, the rest of a work group — and their own words are
            # never a collector's contact; a collector in it is the sender named as one
            # (--collector-speaker, or a lender's or agency's name: 速易借-李专员)
            filtered[ev.source.file] += 1
            if exempted is not None:
                exempted.relatives_own += 1
            continue
        # A chat sender named by a nickname or account id cannot be on a numbers list (it lists
        # numbers): it stays judged as without one — the readers' notes say how to name the person's
        # own nickname (--debtor) — rather than every chat message being dropped.
        if (d.given and incoming and n and n not in d.groups and ev.channel in ("call", "sms", "wechat")
                and not ((ev.channel == "wechat" or isinstance(ev, ChatCall)) and is_name(n))):
            filtered[ev.source.file] += 1
            if exempted is not None:
                exempted.unlisted += 1
            continue
        if d.given and incoming and not n and ev.channel == "call":
            # A call with no number (隐藏号码, 私人号码, an empty cell) cannot be told to be a
            # listed collector's: with a numbers list only listed numbers are judged.
            filtered[ev.source.file] += 1
            if exempted is not None:
                exempted.no_number += 1
            continue
        if (not d.given and incoming and n and not ev.agent and ev.channel in ("call", "sms", "wechat")
                and n not in d.groups and (n in contacts or is_service_number(n))):
            filtered[ev.source.file] += 1
            if exempted is not None:
                if is_service_number(n):
                    exempted.service[display_number(n)] += 1
                else:
                    exempted.contacts[contacts[n]] += 1
                    exempted.numbers.add(n)
            continue
        group = d.groups.get(n) if n else None
        to = ev.to if ev.to or not d.debtor or not incoming else d.debtor
        if d.debtor_also and to and normalise_number(to) in d.debtor_also:
            to = d.debtor  # the person's second number: one debtor for the daily limits
        kept.append(replace(ev, collector_group=group or (display_number(n) if n else None), to=to))
    return kept, dict(filtered)

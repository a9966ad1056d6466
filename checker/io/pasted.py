"""Pasted transcripts and message text with speaker labels.

Each non-blank line is one record, id ``FILE:LINE`` (``stdin:LINE``). A line may start
with a time (``[10:02:11]``, ``2025-03-14 10:02``) and a speaker label followed by a
colon. Labels that say who spoke (催收员, 客服, 对方, 我, 本人, 妈妈 …) map to a speaker;
labels that do not (A / B, 说话人1, SPEAKER_00, 甲 / 乙) are ambiguous: they are never
guessed — not even "the first speaker is the collector" — but read as ``unknown``
(judged as collector side, as an inbox export would be) with a note saying so, until
``--collector-speaker LABEL`` names the collector's label (the other ambiguous labels
are then the debtor's side). Lines without a label continue the previous speaker.

ASR transcripts as 讯飞听见 and 通义听悟 export them put the label on a line of its own
with the offset into the recording, the turn's text on the lines below and a blank line
after it (``说话人1 00:00:01`` / ``发言人2  00:01:23``, then ``喂，你好``). When a file
has such blocks, each block — the label line and the lines up to the next blank or
label line — is **one** data row and one turn, with that label (ambiguous labels as
above), id ``FILE:LINE`` of its first text line. The offset is not a clock time, so the
turn carries no time (as with SRT cues and ``[00:01:23]`` clock times); a label line
with a date (``说话人1 2024-03-05 10:00:01``) gives the turn its time. A label that names
nobody (a speaker renamed ``张经理``) starts a block only when the whole file is blocks —
every paragraph after an optional title starts with a label line — and is ambiguous.

A transcript file is one call (``Utterance.call``), unless its times jump by more than
``CALL_GAP``: then each stretch is a call of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from checker.model import Event, RejectedRow, Source, Utterance

COLLECTOR_LABELS = {"催收员", "催收", "催收人员", "催收专员", "客服", "坐席", "对方", "业务员", "专员", "工作人员",
                    "法务", "律师", "调解员", "外访员", "来电方", "催收方", "贷后", "collector", "agent", "caller"}
DEBTOR_LABELS = {"我", "本人", "客户", "债务人", "借款人", "持卡人", "用户", "自己", "debtor", "me", "customer"}
THIRD_PARTY_LABELS = {"家属", "母亲", "妈妈", "我妈", "父亲", "爸爸", "我爸", "老婆", "妻子", "丈夫", "老公", "同事",
                      "朋友", "领导", "第三方", "亲戚", "third_party",
                      # family as chat nicknames: never suggested as the collector or the debtor
                      "老妈", "老爸", "妈咪", "爹", "娘", "哥哥", "姐姐", "弟弟", "妹妹", "爷爷", "奶奶",
                      "外公", "外婆", "姥姥", "姥爷", "媳妇", "岳母", "岳父", "婆婆", "公公"}
_AMBIGUOUS = re.compile(r"^(?:[A-Za-z]|[甲乙丙丁]|说话人\s*\d+|发言人\s*\d+|角色\s*\d+|"
                        r"speaker[\s_]*\d+|spk[\s_]*\d+)$", re.IGNORECASE)
_LINE = re.compile(
    r"^\s*(?:[\[【(（]?\s*"
    r"(?P<ts>(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)\s*[\]】)）]?\s*)?"
    r"(?P<label>[^:：\s]{1,12}|[Ss]peaker[ _]?\d+|SPEAKER[ _]\d+)\s*[:：]\s*(?P<text>.*)$")
_TS_ONLY = re.compile(r"^\s*[\[【(（]?\s*(?P<ts>(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T])?\d{1,2}:\d{2}(?::\d{2})?)"
                      r"\s*[\]】)）]?\s+(?P<text>.*)$")

# 讯飞听见 / 通义听悟 blocks: a line holding only a speaker label and an offset (or a time)
_BLOCK_HEAD = re.compile(
    r"^\s*(?P<label>(?:说话人|发言人)\s*\d+|[Ss]peaker[ _]?\d+|SPEAKER[ _]\d+|(?![\d\[【(（])[^:：\s]{1,12})\s+"
    r"[\[【(（]?(?P<ts>(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)[\]】)）]?\s*$")
# words that put a note's line on a day, never a speaker: 下午 15:00 / 周二 22:47 then text is not a block
_NOT_A_NAME = re.compile(r"^(?:今天|明天|昨天|前天|后天|上午|下午|晚上|早上|早晨|凌晨|中午|傍晚|夜里|半夜|"
                         r"(?:周|星期|礼拜)[一二三四五六日天])$")

# Turns further apart than this are taken for two calls pasted into one file (no one pauses
# a call for ten minutes; two calls an hour apart are two contacts).
CALL_GAP = timedelta(minutes=10)


def speaker_for(label: str, collector_labels: frozenset[str]) -> str | None:
    """The speaker a label names, 'ambiguous' when it names nobody, None if not a label."""
    low = label.strip().lower()
    if label in collector_labels or low in collector_labels:
        return "collector"
    if label in COLLECTOR_LABELS or low in COLLECTOR_LABELS:
        return "collector"
    if label in DEBTOR_LABELS or low in DEBTOR_LABELS:
        return "debtor"
    if label in THIRD_PARTY_LABELS or low in THIRD_PARTY_LABELS:
        return "third_party"
    if _AMBIGUOUS.match(label.strip()):
        return "ambiguous"
    return None


def _block_names(lines: list[str]) -> frozenset[str]:
    """The labels of a file that is all 讯飞听见-style blocks: after an optional title, every
    paragraph starts with a ``LABEL 00:00:01`` line, and at least two have text under it.
    Empty otherwise: then only labels that are known or ambiguous start a block."""
    paras: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paras[-1].append(line)
        elif paras[-1]:
            paras.append([])
    paras = [p for p in paras if p]
    if paras and not _BLOCK_HEAD.match(paras[0][0]):
        paras = paras[1:]  # a title
    heads = [_BLOCK_HEAD.match(p[0]) for p in paras]
    if not all(heads) or sum(len(p) > 1 and not _BLOCK_HEAD.match(p[1]) for p in paras) < 2 or any(
            m and _NOT_A_NAME.match(m.group("label").strip()) for m in heads):
        return frozenset()
    return frozenset(m.group("label").strip() for m in heads if m)


def _parse_ts(ts: str | None, tz: tzinfo) -> datetime | None:
    if not ts or not re.match(r"\d{4}", ts):
        return None  # a clock time without a date cannot be placed on a day
    ts = re.sub(r"[/.]", "-", ts.split(",")[0]).replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(ts, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    return None


def read_pasted(lines: Iterable[str], file: str, sha256: str | None, tz: tzinfo,
                collector_labels: Iterable[str] = (), channel: str = "transcript",
                notes: list[str] | None = None, event: type[Event] = Utterance,
                carry_speaker: bool = True, debtor_labels: Iterable[str] = ()) -> list[Event | RejectedRow]:
    """``carry_speaker``: a line without a label continues the previous speaker (a
    transcript turn wrapped over lines); False for message text, one message a line.
    ``debtor_labels``: labels --debtor names (the debtor's own name in the transcript)."""
    from checker.io.common import ambiguous_note

    chosen = frozenset(collector_labels)
    debtors = frozenset(d.strip() for d in debtor_labels if d.strip())
    lines = [raw.rstrip("\r\n") for raw in lines]
    names = _block_names(lines)  # labels of a file made of blocks, which may name anyone

    def speaker_of(label: str) -> str | None:
        if label.strip() in debtors and label.strip() not in chosen:
            return "debtor"
        sp = speaker_for(label, chosen)
        return "ambiguous" if sp is None and label.strip() in names else sp

    def block_head(line: str) -> re.Match[str] | None:
        m = _BLOCK_HEAD.match(line)
        return m if m and speaker_of(m.group("label").strip()) is not None else None

    heads = [i for i, line in enumerate(lines) if block_head(line)]
    with_text = [i for i in heads if i + 1 < len(lines) and lines[i + 1].strip() and not block_head(lines[i + 1])]
    blocks = len(with_text) >= 2 or (len(heads) == 1 and len(with_text) == 1)
    parsed = []
    ambiguous: list[str] = []
    any_label = False
    skip_to = 0
    for lineno, line in enumerate(lines, 1):
        if lineno <= skip_to or not line.strip():
            continue
        bm = block_head(line) if blocks else None
        if bm is not None:  # 说话人1 00:00:01, then the turn's text up to a blank or the next label line
            end = lineno
            while end < len(lines) and lines[end].strip() and not block_head(lines[end]):
                end += 1
            skip_to = end
            label = bm.group("label").strip()
            any_label = True
            if speaker_of(label) == "ambiguous" and label not in ambiguous and label not in chosen:
                ambiguous.append(label)
            body = [ln.strip() for ln in lines[lineno:end]]
            parsed.append((lineno + 1 if body else lineno, label, bm.group("ts"), "\n".join(body),
                           "\n".join(lines[lineno - 1:end])))
            continue
        m = _LINE.match(line)
        label = ts = None
        text = line.strip()
        if m and speaker_of(m.group("label")) is not None:
            label, ts, text = m.group("label").strip(), m.group("ts"), m.group("text").strip()
            any_label = True
            if speaker_of(label) == "ambiguous" and label not in ambiguous and label not in chosen:
                ambiguous.append(label)
        else:
            tm = _TS_ONLY.match(line)
            if tm:
                ts, text = tm.group("ts"), tm.group("text").strip()
        parsed.append((lineno, label, ts, text, line))
    if notes is not None and ambiguous and not chosen:
        notes.append(ambiguous_note(file, "speaker labels", ambiguous, bool(debtors)))
    for option, given in (("--collector-speaker", chosen), ("--debtor", debtors)):
        if notes is not None and given and any_label:
            missing = sorted(c for c in given if c not in {p[1] for p in parsed})
            if missing:
                notes.append(f"{file}: {option} {', '.join(missing)} does not occur as a label")
    out: list[Event | RejectedRow] = []
    current = "unknown"
    calls = 1  # a transcript file is one call; a gap of more than CALL_GAP between turns starts another
    last: datetime | None = None
    for lineno, label, ts, text, line in parsed:
        if label is not None:
            sp = speaker_of(label)
            if sp == "ambiguous":
                sp = "debtor" if chosen else "unknown"
            current = sp or "unknown"
        elif not carry_speaker:
            current = "unknown"
        if not text:
            out.append(RejectedRow(file, lineno, "a speaker label with no text after it", line))
            continue
        t = _parse_ts(ts, tz)
        if t is not None:
            if last is not None and abs(t - last) > CALL_GAP:
                calls += 1
            last = t
        extra = {"call": f"{file}#{calls}"} if event is Utterance else {}
        out.append(event(id=f"{file}:{lineno}", channel=channel, source=Source(file, lineno, sha256),
                         time=t, speaker=current, text=text, **extra))
    return out

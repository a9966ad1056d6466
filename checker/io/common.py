"""What every reader shares: the read context, the three outcomes of a data row
(an event, a RejectedRow, a Filtered row) and fast event construction for the
million-row call-log path."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from checker.model import CallEvent, Event, MessageEvent, RejectedRow, Source, Utterance

NO_NAMES = frozenset({"null", "none", "(unknown)", "unknown", "-1", "-", "--"})  # a name cell that names no one
MAX_NAMED_NUMBERS = 200_000  # distinct numbers whose names are kept: memory stays bounded on any log


class InputError(Exception):
    """An input that cannot be read at all (exit 2, message names the file)."""


class RowError(ValueError):
    """One data row that cannot be read; becomes a RejectedRow with this reason."""


@dataclass(frozen=True)
class Filtered:
    """A data row deliberately not turned into an event (a repeated header, a total
    line, an unsent draft, or a row a caller's ``keep`` filter refused)."""

    line: int
    reason: str


Item = Event | RejectedRow | Filtered


@dataclass
class ReadContext:
    """What a reader needs besides the text: the file's name and hash (carried by every
    event's Source), the debtor's time zone for naive times, the user's overrides."""

    file: str
    sha256: str | None
    tz: tzinfo
    collector_speakers: tuple[str, ...] = ()
    columns: dict[str, str] | None = None
    notes: list[str] = field(default_factory=list)
    debtor: str | None = None  # --debtor: the user's own number (tells 主叫 / 被叫 bills' direction)
    date_order: str | None = None  # --date-order dmy / mdy / ymd for slashed dates
    # --debtor given as a name, not a number: the debtor's own speaker name / nickname in
    # chats and transcripts (those lines are the debtor's and never judged)
    debtor_speakers: tuple[str, ...] = ()
    # The names the export gives numbers (a name / 联系人 / 备注 column, a backup's contact_name):
    # number as written -> names. The events carry no name; the parties stage reads this to
    # tell a saved contact (妈妈) from a collector when no numbers list is given.
    contact_names: dict[str, set[str]] = field(default_factory=dict)
    # events a reader made from a row that already gave one (a QA call list's row is its call's
    # record and its transcript): the input's summary counts rows, not events
    second_events: int = 0

    def saw_name(self, number: str | None, name: str | None) -> None:
        """Remember that the export names ``number`` as ``name`` (a few names per number)."""
        if not number or not name:
            return
        name = name.strip()
        if not name or name.lower() in NO_NAMES:
            return
        names = self.contact_names.get(number)
        if names is None:
            if len(self.contact_names) < MAX_NAMED_NUMBERS:
                self.contact_names[number] = {name}
        elif len(names) < 8:
            names.add(name)

    def reject(self, line: int, reason: str, raw: str = "") -> RejectedRow:
        return RejectedRow(self.file, line, reason, raw)


# ---------------------------------------------------------------------------------------------
# Event construction. A frozen dataclass __init__ sets every field through
# object.__setattr__, which costs more than the rest of a call-log row together; the
# streaming reader builds the instance dict directly instead. The defaults come from
# dataclasses.fields, so a field added to the model later is still filled in; a class
# with __post_init__ or __slots__ falls back to the normal constructor.

def _dict_factory(cls: type) -> Callable[..., Any]:
    flds = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or "__slots__" in cls.__dict__ or any(
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            and f.name not in ("id", "channel", "source", "file", "line") for f in flds):
        return cls
    base = {f.name: (f.default if f.default is not dataclasses.MISSING else None) for f in flds}
    new = object.__new__
    set_attr = object.__setattr__

    def make(**kw: Any) -> Any:
        obj = new(cls)
        d = base.copy()
        d.update(kw)
        set_attr(obj, "__dict__", d)
        return obj

    return make


_new_call = _dict_factory(CallEvent)
_new_source = _dict_factory(Source)


def call_factory(ctx: ReadContext) -> Callable[..., CallEvent]:
    """``make(line, rid, time, direction, number, duration_s, status, debtor)`` for one
    file: the hot path of a call log, positional arguments, the dicts filled in place.
    The other party is ``from_`` for an incoming call and ``to`` for an outgoing one;
    the debtor's own number when the log says it."""
    file, sha = ctx.file, ctx.sha256
    if _new_call is CallEvent or _new_source is Source:  # the model grew a __post_init__: no shortcut
        def slow(line, rid, time, direction, number, duration_s, status, debtor=None):
            out = direction == "out"
            return CallEvent(id=rid or f"{file}:{line}", channel="call", source=Source(file, line, sha), time=time,
                             direction=direction, from_=debtor if out else number, to=number if out else debtor,
                             speaker="debtor" if out else "unknown", duration_s=duration_s, status=status)
        return slow
    ev_base = {f.name: (f.default if f.default is not dataclasses.MISSING else None)
               for f in dataclasses.fields(CallEvent)}
    ev_base["channel"] = "call"
    src_base = {f.name: (f.default if f.default is not dataclasses.MISSING else None)
                for f in dataclasses.fields(Source)}
    src_base["file"], src_base["sha256"] = file, sha
    new = object.__new__
    set_attr = object.__setattr__
    prefix = f"{file}:"

    def make(line, rid, time, direction, number, duration_s, status, debtor=None):
        src = new(Source)
        sd = src_base.copy()
        sd["line"] = line
        set_attr(src, "__dict__", sd)
        ev = new(CallEvent)
        d = ev_base.copy()
        d["id"] = rid or prefix + str(line)
        d["source"] = src
        d["time"] = time
        d["direction"] = direction
        if direction == "out":
            d["from_"], d["to"], d["speaker"] = debtor, number, "debtor"
        else:
            d["from_"], d["to"] = number, debtor
        d["duration_s"] = duration_s
        d["status"] = status
        set_attr(ev, "__dict__", d)
        return ev

    return make


def make_call(ctx: ReadContext, line: int, time: datetime | None, direction: str | None, number: str | None,
              duration_s: float | None, status: str | None, debtor: str | None = None,
              rid: str | None = None) -> CallEvent:
    """One CallEvent (see call_factory, which call-log tables use for speed)."""
    return call_factory(ctx)(line, rid, time, direction, number, duration_s, status, debtor)


def make_message(ctx: ReadContext, line: int, channel: str, time: datetime | None, direction: str | None,
                 other: str | None, speaker: str, text: str | None, rid: str | None = None) -> MessageEvent:
    if direction == "out":
        from_, to = None, other
    else:
        from_, to = other, None
    return MessageEvent(id=rid or f"{ctx.file}:{line}", channel=channel, source=Source(ctx.file, line, ctx.sha256),
                        time=time, direction=direction, from_=from_, to=to, speaker=speaker, text=text)


def make_utterance(ctx: ReadContext, line: int, time: datetime | None, speaker: str, text: str,
                   rid: str | None = None, call: str | None = None) -> Utterance:
    """One turn of a transcript file; the file is one call unless ``call`` says which."""
    return Utterance(id=rid or f"{ctx.file}:{line}", channel="transcript", source=Source(ctx.file, line, ctx.sha256),
                     time=time, speaker=speaker, text=text, call=call or f"{ctx.file}#1")


# ---------------------------------------------------------------------------------------------
# Phone numbers as exported: Excel exports force text with a leading apostrophe, a tab
# or ="..."; Android writes -1 / -2 / -3 for private, unknown and payphone callers.
# Normalising to E.164 is checker.parties' job, not the reader's.

UNKNOWN_NUMBERS = frozenset({"", "-1", "-2", "-3", "-4", "未知号码", "未知", "私人号码", "unknown", "private",
                             "anonymous", "无号码", "隐藏号码", "null", "none",
                             # an iPhone's and Android's own words for a withheld caller
                             "no caller id", "private number", "unknown number", "unknown caller", "restricted",
                             "无来电显示", "号码隐藏", "未知来电"})


def clean_number(s: str) -> str | None:
    if s.isdigit():
        return s
    s = s.strip().strip("'\"=\t ").strip()
    if s.lower() in UNKNOWN_NUMBERS:
        return None
    return s


class SpeakerLabels:
    """Speaker labels the way pasted transcripts treat them: labels that say who spoke
    map to a speaker; ambiguous ones (A / B, 说话人1, SPEAKER_00, FunASR spk ids, WeChat
    nicknames) are never guessed — ``unknown`` until ``--collector-speaker`` names the
    collector, and then the other ambiguous labels are the debtor's side. A label that
    ``--debtor`` names (a nickname, not a number) is the debtor's."""

    def __init__(self, collector_speakers: tuple[str, ...], debtor_speakers: tuple[str, ...] = ()):
        self.chosen = frozenset(c.strip() for c in collector_speakers if c.strip())
        self._chosen_low = frozenset(_label_key(c) for c in self.chosen)
        self.debtors = frozenset(d.strip() for d in debtor_speakers if d.strip())
        self._debtors_low = frozenset(_label_key(d) for d in self.debtors)
        self.ambiguous: list[str] = []
        self.seen: set[str] = set()
        # the roles ``settle`` read for two labels that name nobody (none until then)
        self.roles: dict[str, str] = {}
        self._why, self._by_name = "", False

    @property
    def debtor_seen(self) -> bool:
        """Whether a label --debtor names has occurred. A nickname given for a case (--debtor 阿伟)
        that a file never uses (a call transcript's 说话人1 / 说话人2) says nothing of that file's
        labels: their roles are still read from what each says."""
        return any(_label_key(s) in self._debtors_low for s in self.seen)

    def speaker(self, label: str | None, *, named_only: bool = False) -> str:
        """The speaker for ``label``; ``named_only`` labels (nicknames) are ambiguous
        unless they are a known label."""
        from checker.io.pasted import speaker_for

        if label is None or not label.strip():
            return "unknown"
        label = label.strip()
        self.seen.add(label)
        if _label_key(label) in self._chosen_low:
            return "collector"
        if _label_key(label) in self._debtors_low:
            return "debtor"
        sp = speaker_for(label, self.chosen)
        if sp is None and named_only:
            sp = "ambiguous"
        if sp == "ambiguous":
            if label not in self.ambiguous:
                self.ambiguous.append(label)
            return "debtor" if self.chosen else "unknown"
        return sp or "unknown"

    def settle(self, items: list[tuple[str | None, Item]]) -> list[Item]:
        """One call's turns, each with the label it was read under (None: no label): when
        exactly two labels that name nobody spoke them and no option says who is who, the
        roles ``checker.roles.turn_roles`` reads from what each says (the label that speaks as
        the agent is the collector, the other the debtor, said in a note); else as read."""
        from checker.roles import chat_roles, turn_roles

        self.roles, self._why, self._by_name = {}, "", False
        if len(self.ambiguous) == 2 and not self.chosen and not self.debtor_seen:
            said = [(lab.strip(), it) for lab, it in items
                    if lab is not None and isinstance(it, (Utterance, MessageEvent))]
            turns = [(lab, it.text or "") for lab, it in said]
            if turns and all(lab in self.ambiguous for lab, _t in turns):
                if all(isinstance(it, MessageEvent) for _l, it in said):
                    # a chat between two senders known by nickname: a name may say which is the agency's
                    self.roles, self._why, self._by_name = chat_roles(turns)
                else:
                    self.roles, self._why = turn_roles(turns)
        if not self.roles:
            return [it for _lab, it in items]
        out = []
        for lab, it in items:
            role = self.roles.get(lab.strip()) if lab is not None else None
            if role and isinstance(it, MessageEvent):
                # the debtor's own message went out to the other sender; the agent's came in from its name
                other = next(x for x in self.roles if x != lab.strip())
                it = (dataclasses.replace(it, speaker=role, direction="out", from_=None, to=other) if role == "debtor"
                      else dataclasses.replace(it, speaker=role))
            elif role and isinstance(it, Utterance):
                it = dataclasses.replace(it, speaker=role)
            out.append(it)
        return out

    def notes(self, file: str, what: str = "speaker labels") -> list[str]:
        """What the user should hear about the labels: ambiguous ones (or the roles read for
        them), and options naming a label that never occurs — each a note of its own."""
        notes = []
        if self.roles:
            notes.append(roles_note(file, what, self.ambiguous, self.roles, self._why, self._by_name))
        elif self.ambiguous and not self.chosen:
            notes.append(ambiguous_note(file, what, self.ambiguous, self.debtor_seen))
        seen = {_label_key(s) for s in self.seen}
        for option, given in (("--collector-speaker", self.chosen), ("--debtor", self.debtors)):
            missing = [c for c in sorted(given) if _label_key(c) not in seen]
            if missing:
                notes.append(f"{file}: {option} {', '.join(missing)} does not occur as a label")
        return notes


def roles_note(file: str, what: str, labels: list[str], roles: dict[str, str], cue: str,
               by_name: bool = False) -> str:
    """The note for two labels that name nobody when their roles were read from what each
    says or from a chat sender's name (checker.roles): who was taken for whom, why, and the
    option that says otherwise."""
    agent = next(lab for lab, r in roles.items() if r == "collector")
    other = next(lab for lab, r in roles.items() if r == "debtor")
    if by_name:
        why = f"{agent}'s name reads as the lender's or agency's and {other}'s does not"
    elif cue:
        why = f"{agent} speaks as the agent (「{cue}」) and {other} says nothing collcheck reads so"
    else:
        why = f"{agent} speaks for the company (我们) to 您 and {other} only to and of 你们"
    return (f"{file}: {what} {', '.join(labels)} do not say who is the collector; {why}, so {agent}'s lines are "
            f"judged as the collector's and {other}'s are read as the debtor's side and not judged. If that is "
            f"wrong, give --collector-speaker {other}.")


_ROLES_NOTE = re.compile(r".*? do not say who is the collector; (?P<why>.*), so (?P<agent>.+?)'s lines are judged as "
                         r"the collector's and (?P<other>.+?)'s are read as the debtor's side and not judged\.", re.S)
_UNKNOWN_NOTE = re.compile(r"^(?:.*?: )?(?:speaker labels|WeChat nicknames|QQ nicknames|FunASR speaker ids|"
                           r"ASR speaker ids|LINE sender names) (?P<labels>.+?) do not say who is the collector; "
                           r"they are read as 'unknown'", re.S)


def speakers_of_note(note: str) -> dict[str, Any] | None:
    """What a reader's note says of whose lines were judged (for the evidence report): the roles
    read for two labels (``roles_note``) — collector, debtor side, and how they were told — or
    labels left 'unknown' (``ambiguous_note``); None for any other note."""
    m = _ROLES_NOTE.match(note)
    if m:
        why, agent = m.group("why"), m.group("agent")
        cue = re.search(r"\(「(.*)」\)", why)
        how = "name" if "'s name reads as" in why else "words" if cue else "company"
        return {"collector": agent, "debtor_side": m.group("other"), "how": how,
                "cue": cue.group(1) if cue else None}
    m = _UNKNOWN_NOTE.match(note)
    if m:
        return {"unknown": [x.strip() for x in m.group("labels").split(",")]}
    return None


def ambiguous_note(file: str, what: str, labels: list[str], debtor_named: bool = False) -> str:
    """The note for labels that do not say who spoke: both ways to say it. Only ambiguous
    labels are named here — a label read as family (妈妈) or as the debtor (我) never is."""
    first = labels[0]
    if len(labels) >= 3 and not debtor_named:
        # a chat export with several other senders (MemoTrace TXT, a 企业微信 copy): naming one collector
        # would put the other collectors on the debtor's side, so the person's own name comes first
        return (f"{file}: {what} {', '.join(labels)} do not say who is the collector; they are read as 'unknown' "
                f"and judged as the collector side. Give --debtor YOUR_NAME (your own name among them) and your "
                f"lines are not judged while everyone else's are; --collector-speaker {first} would make every other "
                f"sender, other collectors too, the debtor's side.")
    how = (f"If {first} is the collector, give --collector-speaker {first} (the others are then the "
           f"debtor's side)")
    if not debtor_named:
        how += f"; if {first} is the debtor (you), give --debtor {first} and those lines are not judged"
    return (f"{file}: {what} {', '.join(labels)} do not say who is the collector; they are read as 'unknown' "
            f"and judged as the collector side. {how}.")


_PHONE = re.compile(r"^[+＋]?[\d\s\-()（）*.]*\d[\d\s\-()（）*.]*$")


def _is_phone(v: str) -> bool:
    # Five digits or more: a FunASR / ASR speaker id (0, 1, spk 2) is a speaker, not a number
    return bool(v and _PHONE.match(v) and sum(ch.isdigit() for ch in v) >= 5)


_DEBTOR_SEP = re.compile(r"[,，;；、]")


def _debtor_parts(value: str | None) -> list[str]:
    """--debtor may give the person's number and their chat nickname(s) together:
    ``13912345678,阿强`` (or --debtor given more than once, joined so)."""
    return [p.strip() for p in _DEBTOR_SEP.split(value or "") if p.strip()]


def debtor_number(value: str | None) -> str | None:
    """--debtor's phone number (the first one given), or None when it names only a speaker
    (see debtor_names)."""
    return next((p for p in _debtor_parts(value) if _is_phone(p)), None)


def debtor_names(value: str | None) -> tuple[str, ...]:
    """--debtor's speaker names / chat nicknames / speaker ids: every part that is not a phone
    number."""
    return tuple(p for p in _debtor_parts(value) if not _is_phone(p))


def _label_key(label: str) -> str:
    """FunASR spk 0 is also named by 'spk0', 'SPK_0', 'speaker 0' or '说话人0'."""
    k = label.strip().lower().replace(" ", "").replace("_", "")
    for prefix in ("speaker", "spk", "说话人", "发言人"):
        if k.startswith(prefix) and k[len(prefix):].isdigit():
            return str(int(k[len(prefix):]))
    return k


# A voice or video call that a chat export writes as a message ([语音通话] 通话时长 00:35, 语音通话 已取消,
# 视频通话 对方已拒绝, [Voice Call] Duration 01:02, [视频通话]): a call attempt at that time, never text.
_CALL_KIND = r"(?:语音通话|视频通话|语音聊天|视频聊天|音视频通话|voice\s*call|video\s*call|通话)"
_CALL_NOTICE = re.compile(
    rf"^\s*[\[【(（]?\s*(?P<kind>{_CALL_KIND})\s*[\]】)）]?\s*[:：,，-]?\s*"
    r"(?:(?:通话时长|聊天时长|时长|duration|call\s+duration)\s*[:：]?\s*(?P<dur>(?:\d{1,2}:)?\d{1,2}:\d{2})"
    r"|(?P<st>(?:对方)?(?:已取消|取消|已拒绝|拒绝|已拒接|拒接|未接听|无应答|无人接听|忙线未接听|忙线中?|已挂断|未接通|"
    r"连接失败|通话中断|超时未接听|已在其它设备接听)|missed|declined|cancell?ed|no\s+answer|unanswered|busy|"
    r"call\s+ended))?\s*[。.]?\s*$", re.IGNORECASE)
_CALL_REJECTED = ("拒绝", "拒接", "declined")
_CALL_MISSED = ("取消", "未接", "无应答", "无人接听", "忙", "超时", "missed", "cancel", "no answer", "unanswered",
                "busy", "连接失败", "挂断", "未接通")


@dataclass(frozen=True)
class ChatCall(CallEvent):
    """A voice / video call a chat export holds (chat_call): a call (channel ``call``, so the
    contact-hours and frequency rules count it), its other party a chat nickname — which a
    --numbers list of phone numbers cannot name, so it stays judged as a chat message does
    (checker.parties)."""


def chat_call(ev: Event) -> CallEvent | None:
    """A chat message that is a voice / video call notice, as a call event of the same chat: from
    the other party an incoming call (answered when it says how long it lasted, rejected for
    拒绝 / declined, missed for 取消 / 未接听 / 忙线), from the person (speaker debtor) their own
    outgoing call. None for any other message. The notice's words are not judged as text."""
    if type(ev) is not MessageEvent or not ev.text or len(ev.text) > 60:
        return None
    m = _CALL_NOTICE.match(ev.text)
    if m is None or (m["kind"] == "通话" and not m["dur"]):
        return None  # a bare 通话 word is a call only with its duration (通话时长 00:35)
    dur = status = None
    if m["dur"]:
        parts = [int(p) for p in m["dur"].split(":")]
        dur = float(sum(p * 60 ** i for i, p in enumerate(reversed(parts))))
        status = "answered"
    elif m["st"]:
        low = m["st"].lower()
        if "其它设备" in low:
            status = "answered"
        elif any(w in low for w in _CALL_REJECTED):
            status = "rejected"
        elif any(w in low for w in _CALL_MISSED):
            status = "missed"
    direction = "out" if ev.speaker == "debtor" else (ev.direction or "in")
    return ChatCall(id=ev.id, channel="call", source=ev.source, time=ev.time, direction=direction,
                     from_=ev.from_, to=ev.to, speaker=ev.speaker, text=None, agent=ev.agent, case=ev.case,
                     labels=ev.labels, collector_group=ev.collector_group, relation=ev.relation,
                     duration_s=dur, status=status)


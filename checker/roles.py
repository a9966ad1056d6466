"""Whose turn is whose in a call's transcript labelled only A / B or 说话人1 / 2.

Labels that name nobody are never guessed by position (the first speaker is not assumed to be
the collector). A role is read from what the two speakers say: the one that introduces a lender
or agency, gives a 工号 or staff code, asks for the debtor by name or states the debt — when the
other never does — is the collector; failing that, the one that speaks for 我们 to 您 against one
that speaks only to and of 你们. Used by the engine for batch records whose text holds a whole
call (``checker.engine``, ``turn_roles``), and by the readers of a debtor's own files — pasted
transcripts and typed chats (``checker.io.pasted``), ASR JSON and subtitles, WeChat / QQ text
exports (``SpeakerLabels.settle`` in ``checker.io.common``) — which say in a note which label they
took for the collector and why; in a chat of two nicknames the name may tell too (``chat_roles``).

A label that also speaks as a debtor does (``_DEBTOR_CUE``: 我那笔借款, 你们上次…, 我已经报警了) is never
the agent on its strong cues or its name: debtors calling back ask for the lender, retell what an
agent asked or repeat a staff number (two outside testers' files showed each; then nothing is
guessed); and a speaker who demands the money in their own voice (``_demands``: 今天不还，明天就… /
钱到底还不还, not retold) is never set aside, whatever the other said. Measured on labelled whole
calls whose notes say who is who (corpus/README.md): 1,103 of
1,489 two-label calls in eight sets given roles, none wrongly; the rest (about a quarter) get no
role, and every turn is then judged as the record or file says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The numbered speakers of ASR apps' transcripts (说话人1, 发言人 2, 角色1, Speaker 1, SPEAKER_00, spk0).
# Copied out of the app, a turn is often the label, a space and the words on one line (发言人1 喂您好),
# without the colon other labels have: such a label is read at a line's start only, and only when
# words (not an offset such as 00:00:01) follow it.
NUMBERED_LABEL = r"(?:说话人|发言人|角色)[ ]?\d{1,2}|(?:[Ss]peaker|SPEAKER|[Ss]pk|SPK)[ _]?\d{1,2}"
SPACE_LABEL = re.compile(rf"(?:^|(?<=\n))[ \t]*(?:{NUMBERED_LABEL})[ \t]+(?=[^\s\d:：])")

# Whose turn is whose in a whole call's transcript labelled only A / B or 说话人1 / 2 (turn_roles).
# Strong cues: the agent introduces the lender or agency or gives a 工号 (or a staff code, HR207),
# asks for the debtor by name, or states the debt. Debtors say 我借的 / 我能借的都借了 / 这不对吧 /
# 可是我朋友那个平台 too, so a lender's or person's name is made of characters that are not pronouns or
# function words (ASR may split it: 是 夏 夏宇航吗), an app's name (优享借, 安易花, 小盈分期) has two
# characters or more before its 借 / 花 / 贷 / 分期 and is followed by 的, and the greeting-led cues
# need the greeting (喂 / 您好).
_NAMECH = r"[^\s，,。？?！!、\n我你他她哪谁什怎这那是不的了在要能有没也都就还听得见到通便醒睡忙吃干啥事]"
_NAME = rf"{_NAMECH}(?:[ ]?{_NAMECH}){{1,3}}"
_APP = rf"{_NAMECH}{{2,4}}(?:借|花|贷|分期)(?=的)"
_LENDER = rf"(?:银行|信用卡中心|消费金融|金融|消金|资产|商务|贷后|催收|法务部|律所|律师事务所|小贷|{_APP})"
# how loan apps' names end (宜人贷, 分期乐, 度小满, 借呗, 360借条, 安逸花, 美团借钱): asked for by one who
# calls the lender, not by its agent
_BRAND = r"(?:贷|借|花|分期|借条|呗|钱包|金融|银行|乐|满|借钱|白条|金条)(?:吗|嘛|是吧|对吧|[，,？?])"
_TITLE = r"(?:经理|专员|主管|律师|老师|师傅|领导|老板|组长|总监)"
# (one repetition after the first greeting word: runs of classes that overlap would make a turn of
# thousands of commas or spaces cost quadratic time)
_GREET = r"^[\s？?，,。]*(?:喂|你好|您好|早上好|上午好|下午好|晚上好)(?:[\s？?，,。喂]|你好|您好|早啊|早)*"
_AGENT_CUE = re.compile(
    # (one's own 工号, not a debtor's question or retelling: 工号是HR207对吧？ / 报一下你的工号 / 短信上说工号…)
    r"(?<![你说报问查])(?<!你的)(?<!那个)工号(?![^，,。？?！!\n]{0,10}?(?:对吧|吗|是吧|多少|[？?]))"
    r"|(?<![A-Za-z0-9])(?<!工号)(?<!工号是)[A-Z]{1,3}\d{3,5}(?![A-Za-z0-9])(?![^，,。？?！!\n]{0,6}?(?:对吧|吗|是吧|[？?]))"
    # 我是 / 我这边是 / 我们是 … the lender (not 我是在平台借的: a debtor's where and how)
    rf"|(?:我|我们)(?:这边|这里)?是(?![在从用被想说不没])[^，,。？?！!\n]{{0,16}}?(?:{_LENDER}|中心|调解|客服)"
    # a greeting, perhaps the debtor's name, then the lender: 您好，华岳银行信用卡中心 / 喂，周志鹏是吧，鼎信资产的
    rf"|{_GREET}(?:(?:是[ ]?)?{_NAME}(?:是吧|对吧|吧|吗)?[\s，,。]+)?(?:这里是|这边是|我)?{_NAMECH}{{0,8}}?{_LENDER}"
    # (not a debtor's question about the agency: 请问这是你们平台允许的吗)
    # (nor a debtor calling back for the lender or an agent by title: 请问是安信消费金融吗 / 请问是王经理吗;
    # nor a retelling: 一上来就问请问是刘伟吗)
    rf"|(?<![问说])请问(?:是|您是|你是|这是)(?![^，,。？?！!\n]{{0,10}}?(?:{_LENDER}|{_TITLE}|{_BRAND}|客服|公司|平台))"
    r"[^，,。？?！!\n你]{1,10}?(?:吗|嘛)"
    # asking for the debtor by name: 是刘伟先生吗 / 喂，周志鹏是吧 / 找一下雷鸣 / 喂 是 夏 夏宇航吗
    rf"|^(?:[\s喂，,。？?]|你好|您好)*(?:请问)?(?:是|找一下|找)[ ]?(?!{_NAMECH}{{0,4}}(?:{_TITLE}|{_BRAND}))"
    rf"{_NAME}?(?:先生|女士)?"
    r"(?:吗|嘛|是吧|对吧|先生|女士)"
    rf"|{_GREET}{_NAME}(?:是吧|对吧|是吗|吗)"
    # a greeting, the debtor's name, then whose the caller is: 喂，伍佳，鼎信的 / 喂 柏文杰 我恒睿的 / 喂 侯小龙 我鼎信
    rf"|{_GREET}{_NAME}(?:吧|吗)?[\s，,。]+我?{_NAMECH}{{2,6}}(?:的|[\s，,。]|$)"
    r"|(?:您|你)(?:的|这笔|那笔|卡上|名下|在我们|那个|这个)[^，,。？?！!\n]{0,10}?"
    r"(?:借款|欠款|账单|逾期|信用卡|分期|本金|卡账|贷款|欠的|欠了)")
# Weaker cues, counted when no label has a strong one or both do: an agent says 您 and speaks for
# 我们 (公司 / 这边 / 不会 …); a debtor or relative speaks to and of 你们 (你们是 / 你们那个人说 /
# 你们凭什么).
_AGENT_WEAK = re.compile(r"您|我们(?:公司|这边|这里|平台|系统|不会|会|只|没有|已经|可以|的)"
                         # the agent's routine: the amount due, a reminder, the way to the lender's service line
                         r"|提醒(?:您|你)|(?:账单|欠款|待还|应还|逾期)(?:金额)?(?:是|为|共)?[\d一二三四五六七八九十两]"
                         r"|联系\S{0,6}客服|我这边(?:先|给您|帮您|备注)")
_DEBTOR_WEAK = re.compile(r"你们(?:是|怎么|凭什么|到底|又|还|能不能|别|不要|天天|那个|那边的|的人|公司的|打|说|这样|"
                          r"就是|有病|烦不烦|干嘛|要干嘛|几点)|我(?:借|欠|还不|没钱|这个月|下个月|老婆|老公|爸|妈|儿子|女儿)"
                          # a caller passing on what others told them, or asking about their own case
                          r"|(?:有个人|有人|他们|那个人|对方)(?:说|跟我说|打电话|发短信)|我(?:的案子|问一下|想问|截图了|查了)"
                          # standing up to a threat (你这是威胁，我已经截图报警了)
                          r"|我(?:已经|已)?(?:截图|录音|截屏)?(?:报警|投诉|截图|录音|截屏)|你这是(?:威胁|恐吓|敲诈|骚扰|违法|犯法)"
                          # sending the caller away (滚 别他妈再打了 / 有完没完 / 一分钱都不会还): the one called
                          r"|别(?:他妈的?)?再打|别打了|不要再打|有完没完|烦不烦|烦死了|(?:^|[\s，,。！!])滚(?:$|[\s，,。！!吧])"
                          r"|一分钱都不(?:会)?还|你们这帮|催债的")
# What only a debtor (or a relative) says to the agency: of what 你们 did before (你们上次 / 你们昨天 …),
# against it (你们这样是违法的 / 我已经报警了 / 我要投诉), or of the debt as their own (我那笔借款 /
# 我想协商分期 / 我来问一下).
_DEBTOR_CUE = re.compile(r"你们(?:昨天|前天|上次|上回|之前|那天|一直|老是|总是|再这样|这样是|这是|到底|凭什么|别再|"
                         r"那个工号|的人上次)"
                         # (not an app's menu, 登录APP-我的借款-立即还款 / 点「我的账单」: the agent's instructions)
                         r"|(?<![-—>→》/「“\"'])我(?:那笔|这笔|的)(?:借款|欠款|账单|贷款|网贷|分期)(?![-—>→《/」”\"'])"
                         r"|我(?:想|要|来)(?:跟你们)?(?:协商|申请|问一下|问问)"
                         r"|(?:我已经|我已|我会|我要|我就)(?:截图|截屏|录音)?(?:报警|投诉|录音)"
                         r"|我(?:欠款|欠了|借了|是借款人|收到你们|这个月确实|确实周转)|(?:再|能不能|可不可以|麻烦您?再?)宽限")
# A demand for the money or a threat over it, in the second person — the collector's speech, not
# retold (他们说再不还就… is preceded by 说)
_DEMAND = re.compile(r"(?<![说讲问])(?:再不还|不还钱?(?:的话)?[，,]?(?:我们?|就|明天|今天|后天|下周)|钱呢|钱到底|"
                     r"还不还了?[？?]|到底还不还|你?欠的钱(?:什么时候|到底|还不还)|赶紧还钱|把钱还了|还钱[！!]|还钱，|想好了没|"
                     r"钱准备好了没|准备好了没有|什么时候还[？?])")


# what makes a demand retold, not made: who said it (他们说 / 你们上次 / 有人跟我说) or a first-person
# target (去我单位 / 找我爸妈) in the same sentence
_RETOLD = re.compile(r"说|讲|告诉我|威胁|上次|昨天|前天|他们|有人|那个人|我单位|我家|我公司|我爸|我妈|我老家|"
                     r"我老婆|我老公|我孩子|我领导")


_SENTENCES = re.compile(r"[。？?！!\n]")


def _demands(turn: str) -> bool:
    """Whether a turn demands the money or threatens over it in its own voice (not retold): a
    sentence holding a demand and nothing that makes it retold (linear: one pass per sentence)."""
    return any(_DEMAND.search(sentence) and not _RETOLD.search(sentence) for sentence in _SENTENCES.split(turn))


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a cue, for the note (「工号」 alone tells the reader nothing): from the
    stop before it to the stop after it, at most 30 characters."""
    stops = "，,。？?！!；;\n"
    a = max(text.rfind(c, 0, start) for c in stops) + 1
    b = min((i for i in (text.find(c, end) for c in stops) if i >= 0), default=len(text))
    out = text[a:b].strip()
    return out if len(out) <= 30 else text[start:end].strip(" \t\n，,。？?")


def turn_roles(turns: Iterable[tuple[str, str]]) -> tuple[dict[str, str], str]:
    """({label: "collector" | "debtor"}, cue) for the (label, text) turns of one call spoken by
    exactly two labels that name nobody; ({}, "") when neither or both speak as the agent does.
    ``cue`` is the words that told the collector's label (for a reader's note), "" when the
    weaker cues did (我们 to 您 against 你们)."""
    turns = list(turns)
    labels = {lab for lab, _t in turns}
    if len(labels) != 2:
        return {}, ""
    strong = {lab: "" for lab in labels}
    weak = {lab: [0, 0] for lab in labels}  # agent-like, debtor-like
    debtorish: set[str] = set()
    for lab, turn in turns:
        if not strong[lab]:
            m = _AGENT_CUE.search(turn)
            if m:
                strong[lab] = _clause(turn, m.start(), m.end())
        weak[lab][0] += len(_AGENT_WEAK.findall(turn))
        weak[lab][1] += len(_DEBTOR_WEAK.findall(turn))
        if _DEBTOR_CUE.search(turn):
            debtorish.add(lab)
    # a label that also speaks as a debtor does (我那笔借款 / 你们上次… / 我已经报警了) is never taken
    # for the agent on its strong cues: a debtor calling back asks for the lender, retells what the
    # agent asked, repeats a staff number
    agent = [lab for lab, cue in strong.items() if cue and lab not in debtorish]
    if len(agent) == 1 and not any(strong[lab] for lab in labels if lab != agent[0]):
        cue = strong[agent[0]]
    elif any(strong.values()):
        return {}, ""  # both speak as agents, or the only one that does also speaks as a debtor
    else:
        a, b = sorted(labels)
        if weak[a][0] >= 2 and not weak[a][1] and weak[b][1] and not weak[b][0]:
            agent = [a]
        elif weak[b][0] >= 2 and not weak[b][1] and weak[a][1] and not weak[a][0]:
            agent = [b]
        else:
            return {}, ""
        if agent[0] in debtorish:
            return {}, ""  # speaking for 我们 to 您 as a debtor may for their own firm (宽限我们半个月)
        cue = ""
    # never set aside a speaker who demands the money or threatens over it (钱到底还不还 / 再不还就… /
    # 不还我们就去…): that is the collector's speech, whatever the other said (a debtor answering a
    # work line, asking for a lender by name, repeating a staff number, speaking for their own firm)
    other = next(lab for lab in labels if lab != agent[0])
    if any(_demands(t) for lab, t in turns if lab == other):
        return {}, ""
    return {lab: "collector" if lab == agent[0] else "debtor" for lab in labels}, cue


# A chat sender's name that says it is the lender's or agency's side (速易借客服-小周, 法务部李律师,
# 鑫瑞金融-王经理): in a chat of two senders, when exactly one name reads so, that one is the collector.
_PHONE_LABEL = re.compile(r"[+＋]?[\d\s\-()（）]{5,}")
AGENT_NAME = re.compile(r"客服|专员|催收|法务|律师|律所|金融|小贷|网贷|贷款|分期|银行|资产|调解|委外|贷后|风控|"
                        r"经理|主管|坐席|工号|信用卡|借呗|花呗|白条|平台|官方|中心|公司"
                        # a lender's brand before a dash and a person (速借花-小周, 花花贷-Amy, 易借·阿杰)
                        r"|[借贷呗](?!款人)[^\s\-—_·]{0,3}[\-—_·]\s*\S")


def chat_roles(turns: Iterable[tuple[str, str]]) -> tuple[dict[str, str], str, bool]:
    """Roles for a chat between exactly two senders known by nickname only: (roles, cue, by_name).
    A sender whose name reads as the lender's or agency's (``AGENT_NAME``), when the other's does
    not, is the collector (by_name) — unless what they say points the other way, when nothing is
    guessed; else the words decide as in ``turn_roles``, and the other must answer as a debtor
    does at least once. Two senders that are both phone numbers or both agencies' names are
    messages from two collectors (an inbox typed out), never a conversation: nothing is guessed."""
    turns = list(turns)
    labels = {lab for lab, _t in turns}
    if len(labels) != 2 or any(_PHONE_LABEL.fullmatch(lab) for lab in labels):
        return {}, "", False  # messages from two numbers are an inbox, not a conversation with the person
    named = [lab for lab in labels if AGENT_NAME.search(lab)]
    if len(named) == 2:
        return {}, "", False  # two agencies' senders (速易借 / 花花贷): neither is the person
    roles, cue = turn_roles(turns)
    if roles and not named:
        # words alone: the other side must also answer as a debtor does at least once (你们… / 我借…),
        # or two collectors' messages typed into one file would make one of them the person
        other = next(lab for lab, r in roles.items() if r == "debtor")
        if not any(_DEBTOR_WEAK.search(t) for lab, t in turns if lab == other):
            return {}, "", False
    if len(named) == 1:
        if roles and roles[named[0]] != "collector":
            return {}, "", False
        if any(_DEBTOR_CUE.search(t) for lab, t in turns if lab == named[0]):
            return {}, "", False  # the sender named like an agency speaks as a debtor (你们上次… / 报警了)
        if any(_demands(t) for lab, t in turns if lab != named[0]):
            return {}, "", False  # the other demands the money: a debtor's nickname may be a firm's or a title
        if not roles:
            return {lab: "collector" if lab == named[0] else "debtor" for lab in labels}, "", True
    return roles, cue, False

"""Deterministic synthetic batch corpus for benchmarks and the Spark equivalence test.

Realistic collection-call QA traffic: most utterances are routine (greetings, amounts,
due dates, instalment talk); about 5 % carry rule vocabulary — violations and lawful
look-alikes (denials, litigation notices) in roughly equal parts; a share of records are
call records with times so the hour and frequency rules have work too. Calls start in
office hours (first attempt 08:30-20:00, a burst's attempts 2-20 minutes apart); about 4 %
of cases are at a stray hour (07, 21, 22, 23 o'clock).

    python benchmarks/gen_corpus.py OUT.jsonl --mb 100 [--seed 7]
    python benchmarks/gen_corpus.py OUT.jsonl --records 10000
    python benchmarks/gen_corpus.py OUT.jsonl --mb 100 --vary   # nearly every text distinct

Without ``--vary`` the utterances come from a few dozen templates with their slots filled
(about one text in nine is distinct): scripted QA traffic at its most repetitive. ``--vary``
adds what speech-to-text output varies by — fillers and openers at clause boundaries
(那个, 就是说, 然后, 喂, 对 …), a repeated word, a dropped or changed punctuation mark — so
that nearly every utterance is a text not seen before: the case where nothing a scan has
kept per text helps. The default corpus is the same with or without this option's code
(its variation draws from a generator of its own).
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

TZ = timezone(timedelta(hours=8))
PLATFORMS = ["橙意分期", "快米借款", "海川银行信用卡", "鑫瑞小贷", "云朵消费金融", "明川资产", "鲸鱼分期", "安鑫贷"]
NAMES = ["张先生", "李女士", "王先生", "刘女士", "陈先生", "杨女士", "赵先生", "黄女士", "周先生", "吴女士"]
ROUTINE = [
    "您好，请问是{name}吗？我这边是{platform}的客服，工号{agent}。",
    "您在{platform}的账单已经逾期{days}天了，目前应还金额是{amount}元。",
    "请问您今天能不能先处理一部分，比如{part}元？",
    "如果您确实有困难，可以申请分期，最长可以分{n}期。",
    "好的，那我们约定{weekday}下午五点前还款，您看可以吗？",
    "嗯 那个 我这边 看到 您的 最低还款 是 {part} 元 您 方便 的话 今天 先 还上",
    "还款可以通过{platform}官方APP或者对公账户，请不要转到个人账户。",
    "我们这边会把今天的沟通记录下来，方便后续跟进。",
    "您说的情况我已经记录了，会帮您提交减免申请，结果三个工作日内通知您。",
    "那您看这个钱大概什么时候能到位？",
    "行 那我 先 给您 备注 一下 您 记得 按时 还款",
    "请问您现在工作稳定吗？收入情况方便说一下吗？",
    "我知道您最近压力大，我们也是希望帮您把这个事情解决掉。",
    "您的账户目前已经停止计息了吗？我帮您查一下。",
    "好的 感谢 您的 配合 祝您 生活 愉快 再见",
]
DEBTOR = [
    "我现在真的没钱，下个月发工资再还。",
    "你们能不能别一天打这么多电话？",
    "我会还的，能不能先停息挂账？",
    "我在上班 晚点 再说",
    "我已经还了五百了，你们查一下。",
    "你们再说要上门我就报警。",
    "我不是老赖，我只是暂时困难。",
]
LAWFUL_LOOKALIKE = [
    "我们不会上门，也不会联系您的家人，请您放心。",
    "如协商不成，委托方将依法向人民法院提起诉讼，请您知悉。",
    "逾期记录会依法报送征信，建议您尽快处理。",
    "我们没有联系过您的单位，您放心。",
    "如果有人自称派出所的让您转账，请直接拨打110。",
    "欠款属于民事纠纷，不会坐牢，但会影响您的征信。",
    "不建议您以贷养贷，那样只会越滚越多。",
    "法院会依法送达传票，我们不会给您发什么传票。",
]
VIOLATION = [
    "你再不还钱，明天我们就带人去你单位找你领导。",
    "我是城东派出所的，你这个案子已经立案了。",
    "你的通讯录我们已经拿到了，今天就给你所有联系人打电话。",
    "不还就把你欠钱的事发到你们公司群里，让大家都看看。",
    "你个老赖，欠钱不还还有脸躲着。",
    "没钱就去别的平台借啊，下个口子先把我们这笔还了。",
    "你也不想你女儿学校知道吧。",
    "再拖下去你就等着坐牢吧。",
    "你出门小心点，我们的人知道你住哪。",
    "我们会一直打，打到你接为止。",
]


FILLERS = ["那个", "就是说", "然后", "这个", "呃", "嗯", "就是", "你看", "反正", "其实", "我跟您说", "怎么说呢"]
OPENERS = ["喂", "喂喂", "对", "对对", "好的", "是这样", "嗯嗯", "哎", "您好", "我说"]
TAILS = ["啊", "哈", "呀", "嘛", "了啊", "是吧", "好吧", "对吧", "行吗"]


def _vary(text: str, rng: random.Random) -> str:
    """Speech-to-text variation at clause boundaries (never inside a word)."""
    for _ in range(rng.randint(1, 4)):
        cuts = [k + 1 for k, ch in enumerate(text[:-1]) if ch in "，。？！、 ,?!"]
        if cuts and rng.random() < 0.7:
            at = rng.choice(cuts)
            text = text[:at] + rng.choice(FILLERS) + ("，" if rng.random() < 0.4 else "") + text[at:]
        elif rng.random() < 0.5:
            text = rng.choice(OPENERS) + rng.choice(["，", " ", ""]) + text
        else:
            end = text[-1] if text[-1] in "。？！" else ""
            text = text[: len(text) - len(end)] + rng.choice(TAILS) + rng.choice(["。", "？", "", "！"])
    return text


def generate(seed: int = 7, vary: bool = False) -> Iterator[dict]:
    rng = random.Random(seed)
    vrng = random.Random(seed * 1_000_003 + 1)
    start = datetime(2026, 9, 1, 8, 30, tzinfo=TZ)
    i = 0
    case = 0
    while True:
        case += 1
        name, platform = rng.choice(NAMES), rng.choice(PLATFORMS)
        agent = f"A{rng.randint(1000, 9999)}"
        debtor = f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}"
        collector = f"170{rng.randint(10000000, 99999999)}"
        # office hours (first attempt 08:30-20:00); ~4 % of cases at a stray hour
        t = start + timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 11 * 60 + 30))
        if rng.random() < 0.04:
            t = t.replace(hour=rng.choice([7, 21, 22, 23]))
        # a call record, sometimes a burst of attempts
        for _ in range(rng.choice([1, 1, 1, 2, 5, 8])):
            i += 1
            status = rng.choice(["answered", "missed", "missed", "rejected"])
            yield {"id": f"r{i:08d}", "channel": "call", "time": t.isoformat(), "direction": "in",
                   "from": collector, "to": debtor, "status": status,
                   "duration_s": rng.randint(20, 400) if status == "answered" else 0, "agent": agent,
                   "case": f"c{case:07d}"}
            t += timedelta(minutes=rng.randint(2, 20))
        for turn in range(rng.randint(6, 14)):
            i += 1
            speaker = "collector" if turn % 2 == 0 else "debtor"
            roll = rng.random()
            if speaker == "collector":
                if roll < 0.025:
                    text = rng.choice(VIOLATION)
                elif roll < 0.05:
                    text = rng.choice(LAWFUL_LOOKALIKE)
                else:
                    text = rng.choice(ROUTINE)
            else:
                text = rng.choice(DEBTOR) if roll < 0.3 else rng.choice(ROUTINE[9:])
            text = text.format(name=name, platform=platform, agent=agent, days=rng.randint(3, 200),
                               amount=f"{rng.randint(300, 90000):,}.{rng.randint(0, 99):02d}",
                               part=rng.randint(100, 3000), n=rng.choice([6, 12, 24, 36]),
                               weekday=rng.choice(["周一", "周三", "周五", "明天"]))
            if vary:
                text = _vary(text, vrng)
            yield {"id": f"r{i:08d}", "channel": "transcript", "time": t.isoformat(), "speaker": speaker,
                   "text": text, "agent": agent if speaker == "collector" else None, "case": f"c{case:07d}"}
            t += timedelta(seconds=rng.randint(5, 40))


def write(path: str, *, records: int | None = None, mb: float | None = None, seed: int = 7,
          vary: bool = False) -> int:
    limit = int(mb * 1024 * 1024) if mb else None
    n = size = 0
    with open(path, "w", encoding="utf-8") as f:
        for rec in generate(seed, vary):
            rec = {k: v for k, v in rec.items() if v is not None}
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            f.write(line)
            n += 1
            size += len(line.encode("utf-8"))
            if (records and n >= records) or (limit and size >= limit):
                break
    return n


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--records", type=int)
    ap.add_argument("--mb", type=float)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--vary", action="store_true", help="vary each utterance the way speech-to-text does")
    a = ap.parse_args()
    if not a.records and not a.mb:
        ap.error("give --records or --mb")
    print(write(a.out, records=a.records, mb=a.mb, seed=a.seed, vary=a.vary), "records")

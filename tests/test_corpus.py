"""The labelled dev corpus: its shape, and the engine's measured quality on it.

The targets are the project's acceptance bar; the same command runs on a hidden set of
the same kind, so the rules must generalise rather than fit these records."""

import json
from pathlib import Path

import pytest

from checker.engine import scan, zone
from checker.evaluate import evaluate
from checker.io import read_input
from checker.model import CATEGORIES
from checker.pack import load_pack

DEV = Path(__file__).resolve().parent.parent / "corpus" / "dev"
FILES = sorted(DEV.glob("*.jsonl"))


def _records():
    for f in FILES:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def test_corpus_shape():
    recs = list(_records())
    assert len(recs) >= 600
    assert len({r["id"] for r in recs}) == len(recs)
    lawful = sum(1 for r in recs if not r["labels"])
    assert lawful / len(recs) >= 0.40
    for r in recs:
        assert set(r["labels"]) <= set(CATEGORIES), r["id"]
        if r.get("speaker") in ("debtor", "third_party"):
            assert r["labels"] == [], r["id"]


@pytest.fixture(scope="module")
def evaluation():
    tz = zone("Asia/Shanghai")
    events = []
    for f in FILES:
        res = read_input(f.name, f.read_bytes(), tz)
        assert not res.rejected
        events.extend(res.events)
    compiled = load_pack("cn").compiled()
    return evaluate(events, list(scan(events, compiled, tz)))


def test_micro_precision_and_recall(evaluation):
    m = evaluation.micro
    assert m.precision >= 0.95, evaluation.to_dict()["micro"]
    assert m.recall >= 0.90, evaluation.to_dict()["micro"]


def test_every_category_precision(evaluation):
    low = {k: v.to_dict() for k, v in evaluation.per_category.items() if v.precision < 0.85}
    assert not low


@pytest.mark.parametrize(("name", "count"), [("lawful_m.jsonl", 240), ("lawful_w.jsonl", 220),
                                             ("lawful_x.jsonl", 220), ("lawful_y.jsonl", 200),
                                             ("lawful_z.jsonl", 220), ("lawful_bc.jsonl", 220),
                                             ("lawful_bk.jsonl", 220), ("lawful_bw.jsonl", 220),
                                             ("lawful_by.jsonl", 220), ("lawful_cx.jsonl", 220),
                                             ("lawful_dc.jsonl", 220), ("lawful_dl.jsonl", 220),
                                             ("lawful_dr.jsonl", 220), ("lawful_dy.jsonl", 220),
                                             ("lawful_eg.jsonl", 220), ("lawful_el.jsonl", 220),
                                             ("lawful_ex.jsonl", 220), ("lawful_fc.jsonl", 220),
                                             ("lawful_fg.jsonl", 220), ("lawful_fu.jsonl", 220),
                                             ("lawful_gg.jsonl", 220), ("lawful_gw.jsonl", 220)])
def test_the_all_lawful_look_alike_sets_stay_clean(name, count):
    """corpus/fresh/lawful_m.jsonl (240), lawful_w.jsonl (220, mostly long texts), lawful_x.jsonl
    (220 short everyday texts), lawful_y.jsonl (200 turns of QA-compliant calls) and lawful_z.jsonl
    (220 firm but lawful texts) and lawful_bc.jsonl (220: denials, correct law, quoted threats in
    complaint handling and QA training, legal Q&A), lawful_bk.jsonl (220 firm and pressing) and
    lawful_bw.jsonl (220: denials, rejected accusations, training scripts listing forbidden phrases,
    genuine court notices), lawful_by.jsonl (220 routine institutional templates) and lawful_cx.jsonl
    (220 firm collection: hard deadlines, accurate court process, visits only by agreement, QA notes
    banning phrases, a guarantor asked under the guarantee) and lawful_dc.jsonl (220 in registers a
    classifier might confuse: chatty and dialect agents, safety wishes, correct law) and lawful_dl.jsonl
    (220 in 2026's registers: robocall scripts, 企业微信 chats, correct court process, heirs and
    guarantors told the law, agreed visits, whole exchanges in one record) and lawful_dr.jsonl (220:
    an all-lawful inbox — bills, lawful escalation, a debt sale, 12368 court and mediation messages) and
    lawful_dy.jsonl (220: lawful recorded calls as speech-to-text — run-on turns, recognition slips) and
    lawful_eg.jsonl (220: 限高 / 失信 / 支付令 / 赋强公证 explained correctly, consented visits, apologies
    quoting another agent) and lawful_el.jsonl (220: lawful collection involving other people —
    call-back-only requests, guarantors, heirs, relatives the debtor authorised) and lawful_ex.jsonl
    (220: four debtors who negotiated — hardship plans, a court's 12368 mediation, anti-fraud warnings
    quoting scam lines, the debtors' own angry messages) and lawful_fc.jsonl (220: an inbox's
    non-collection traffic — real court, police and anti-fraud notices, news, volunteers, relatives)
    and lawful_fg.jsonl (220: near misses a word or two from a violation) and lawful_fu.jsonl (220:
    blunt, firm, repetitive collection within the law — agreed visits, QA agents reading threats back,
    genuine court SMS) and lawful_gg.jsonl (220: a card centre's and a consumer-finance company's
    compliant collection from M1 to M6, firmer stage by stage) and lawful_gw.jsonl (220: lawful field
    collection and contact around the debtor — agreed, cancelled and declined visits, a court's own
    协助执行 notice to an employer, QA notes quoting banned lines):
    lawful records
    in the vocabulary of violations (denials, apologies
    quoting a colleague, correct legal information, real litigation, arbitration and mediation
    notices, courts' and police stations' own procedural notices, anti-fraud warnings and
    lenders' disclaimers, news about third persons, school and group notices, consented visits
    and contact, call-back requests that do not disclose the debt, the debtor's own words).
    None may fire."""
    f = DEV.parent / "fresh" / name
    tz = zone("Asia/Shanghai")
    res = read_input(f.name, f.read_bytes(), tz)
    assert not res.rejected and len(res.events) == count
    found = list(scan(res.events, load_pack("cn").compiled(), tz))
    assert [(x.record, x.rule, x.evidence) for x in found] == []

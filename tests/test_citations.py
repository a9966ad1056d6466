"""Citations resolve, are pinned to the version in force, and a paraphrase is never
presented inside quotation marks."""

from datetime import date
from pathlib import Path

import pytest

from checker.pack import load_pack
from checker.report.output import citation_line

PACK = load_pack("cn")
LAW_NOTES = Path(__file__).resolve().parents[2] / "shared" / "law" / "cn.md"
QUOTES = "“”\"「」『』"


def test_every_citation_key_resolves():
    for rule in PACK.rules:
        assert rule.citations, rule.id
        for key in rule.citations:
            assert key in PACK.provisions, (rule.id, key)


@pytest.mark.parametrize("key", sorted(PACK.provisions))
def test_paraphrase_never_quoted(key):
    for on in (date(2025, 6, 1), date(2026, 6, 1), None):
        c = PACK.provisions[key].cite(on)
        line = citation_line(c)
        text = " ".join(c.text.split())
        if c.status == "paraphrase":
            assert f"大意（非原文）：{text}" in line
            for q in QUOTES:
                assert f"{q}{text}" not in line, line
        else:
            assert f"“{' '.join(c.text.split())}”" in line


def test_public_security_law_numbering_follows_conduct_date():
    p = PACK.provisions["psl.impersonate_official"]
    assert "第六十二条" in p.cite(date(2026, 1, 1)).article
    assert "第五十一条" in p.cite(date(2025, 12, 31)).article
    undated = p.cite(None)
    assert "第六十二条" in undated.article and "行为时间不明" in (undated.note or "")


def test_293_1_is_not_cited_for_ordinary_debts():
    """刑法第二百九十三条之一 covers only illegal debts (law notes, pitfall 7)."""
    for rule in PACK.rules:
        assert not any(k.startswith("criminal.293_1") for k in rule.citations), rule.id


def test_lawyer_impersonation_is_not_state_functionary_impersonation():
    for rule in PACK.rules:
        if "lawyer" in rule.id:
            assert "criminal.279" not in rule.citations and "psl.impersonate_official" not in rule.citations


@pytest.mark.skipif(not LAW_NOTES.exists(), reason="the shared law notes are not beside this checkout")
def test_verbatim_texts_occur_in_the_law_notes():
    notes = LAW_NOTES.read_text(encoding="utf-8").replace("<br>", "\n")
    for key, prov in PACK.provisions.items():
        for v in prov.versions:
            if v["status"] in ("verbatim", "secondary"):
                assert str(v["text"]).strip() in notes, key

"""The benchmark corpus (benchmarks/gen_corpus.py) is deterministic, and ``--vary`` changes only
the utterances' wording: the default corpus stays the one the recorded benchmark numbers were
measured on, so numbers from different sessions compare."""

import hashlib
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from gen_corpus import generate, write  # noqa: E402

# SHA-256 of the first 5,000 records of the default corpus (seed 7), one sorted-key JSON line
# each. The 100 MB corpus of benchmarks/README.md starts with them (its file SHA-256 is
# c91eae5b9cf77fd8f661cb9af105ce4768e4ed2285d61aa9fac852ebc0ee1c1a). Change this only together
# with new benchmark numbers: a different corpus makes the recorded ones incomparable.
DEFAULT_HEAD = "700fbc50c244f707a38b3956d9efe0e0180b3048f9ffc588d9c40a45e3f115fc"


def _digest(records):
    h = hashlib.sha256()
    for r in records:
        h.update((json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    return h.hexdigest()


def test_default_corpus_is_the_benchmarked_one():
    assert _digest(itertools.islice(generate(7), 5000)) == DEFAULT_HEAD


def test_vary_changes_only_the_texts():
    plain = list(itertools.islice(generate(7), 3000))
    varied = list(itertools.islice(generate(7, vary=True), 3000))
    changed = 0
    for a, b in zip(plain, varied, strict=True):
        assert {k: v for k, v in a.items() if k != "text"} == {k: v for k, v in b.items() if k != "text"}
        changed += a.get("text") != b.get("text")
    texts = sum(1 for a in plain if a.get("text"))
    assert changed > texts / 2  # most utterances are reworded


def test_write_is_deterministic(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert write(str(a), records=2000) == write(str(b), records=2000) == 2000
    assert a.read_bytes() == b.read_bytes()

"""The statistical second opinion: a linear model over the text's character n-grams.

The YAML rules say *why* a sentence breaks a rule, but they only know the wordings someone wrote
down; a new author's phrasing is often missed. A `model` rule adds a second opinion where the
rules of its category are silent: a logistic regression per category over hashed character 1- to
4-grams of the text, trained on the labelled corpora (corpus/dev and corpus/fresh, never
corpus/holdout) by ``python -m checker.modeltrain``. It fires when its probability reaches the
rule's ``threshold``; the finding says it is a statistical judgement, quotes the sentence that
scores highest and lists the n-grams that weighed most.

Everything here is exact and order-independent, so the batch fast path (which scores a whole
chunk at once) and the engine (one text at a time) agree bit for bit: the features are integer
term weights, the model's weights are stored as integers, and every sum is a sum of integers
(exact in float64 far beyond any text's size).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker.nlp.normalize import DOTTED, _dots_splitting_words

BITS = 18  # 262,144 hash buckets
NGRAM = 4
W_SCALE = 4096  # stored weight = round(weight × W_SCALE)
TF_SCALE = 256  # term weight = round((1 + ln count) × TF_SCALE)
_P = 1000003
_MIX = 0x9E3779B97F4A7C15
_MASK64 = (1 << 64) - 1


def model_form(text: str, table: dict[int, str | None]) -> str:
    """The form the model reads: lower case, then the pack's quick table (NFKC, traditional →
    simplified, spaces, fillers and decoration dropped; checker.fastpath.quick_table), then the
    half-width stops that split a word to dodge filters dropped as the text rules drop them
    (法.院传.票 reads 法院传票; checker.nlp.normalize)."""
    return undot(text.lower().translate(table))


def undot(form: str) -> str:
    """``form`` without the half-width stops that split a word (法.院传.票 -> 法院传票)."""
    if "." in form and DOTTED.search(form):
        drop = set(_dots_splitting_words(form))
        if drop:
            return "".join(ch for i, ch in enumerate(form) if i not in drop)
    return form


@lru_cache(maxsize=1)
def _tf_table() -> Any:
    import numpy as np

    return np.array([0] + [round((1 + math.log(c)) * TF_SCALE) for c in range(1, 4097)], dtype=np.int64)


def features(forms: list[str]) -> tuple[Any, Any, Any]:
    """(text index, bucket, integer term weight) of every distinct n-gram of every form,
    sorted by text then bucket. An n-gram never crosses from one form into the next."""
    import numpy as np

    empty = np.zeros(0, dtype=np.int64)
    joined = "".join(forms)
    if not joined:
        return empty, empty, empty
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lens = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
    ends = np.cumsum(lens)
    tid_at = np.repeat(np.arange(len(forms), dtype=np.uint64), lens)
    end_at = np.repeat(ends, lens)
    pos = np.arange(len(cps), dtype=np.int64)
    h = np.zeros(len(cps), dtype=np.uint64)
    keys = []
    with np.errstate(over="ignore"):
        for n in range(1, NGRAM + 1):
            m = len(cps) - n + 1
            if m <= 0:
                break
            h = h[:m] * np.uint64(_P) + cps[n - 1:n - 1 + m] + np.uint64(n * 7919)
            ok = pos[:m] + n <= end_at[:m]
            hb = h[ok]
            b = ((hb ^ (hb >> np.uint64(29))) * np.uint64(_MIX)) >> np.uint64(64 - BITS)
            keys.append((tid_at[:m][ok] << np.uint64(BITS)) | b)
    u, counts = np.unique(np.concatenate(keys), return_counts=True)
    tf = _tf_table()
    return ((u >> np.uint64(BITS)).astype(np.int64), (u & np.uint64((1 << BITS) - 1)).astype(np.int64),
            tf[np.minimum(counts, len(tf) - 1)])


def ngrams(form: str) -> dict[int, str]:
    """Bucket → one n-gram of ``form`` that falls in it (to name what weighed most)."""
    out: dict[int, str] = {}
    for i in range(len(form)):
        h = 0
        for n in range(1, NGRAM + 1):
            if i + n > len(form):
                break
            h = (h * _P + ord(form[i + n - 1]) + n * 7919) & _MASK64
            b = (((h ^ (h >> 29)) * _MIX) & _MASK64) >> (64 - BITS)
            out.setdefault(b, form[i:i + n])
    return out


@dataclass
class TextModel:
    """One trained model file: a bias and integer weights per label."""

    labels: tuple[str, ...]
    bias: Any  # float64 [labels]
    weights: Any  # int32 [2**BITS, labels] (dense, built from the file's rows)
    meta: dict[str, Any] = field(default_factory=dict)
    _wf: Any = field(default=None, repr=False)  # the weights as float64 (exact: integers)

    @classmethod
    def load(cls, path: str | Path) -> TextModel:
        import json

        import numpy as np

        with np.load(path, allow_pickle=False) as z:
            labels = tuple(str(x) for x in z["labels"])
            dense = np.zeros((1 << BITS, len(labels)), dtype=np.int32)
            dense[z["buckets"]] = z["weights"]
            meta = json.loads(str(z["meta"])) if "meta" in z else {}
            return cls(labels, z["bias"].astype(np.float64), dense, meta)

    def logits(self, forms: list[str]) -> Any:
        """Log-odds [len(forms), labels] of each label for each form. Every product and
        partial sum is an integer far below 2**53, so float64 holds it exactly whatever the
        order of summation: a text scores the same alone or in a chunk."""
        import numpy as np

        n = len(forms)
        out = np.tile(self.bias, (n, 1))
        tid, bucket, tf = features(forms)
        if not len(tid):
            return out
        if self._wf is None:  # one contiguous float64 column per label: gathers stay in cache
            self._wf = np.ascontiguousarray(self.weights.T.astype(np.float64))
        tff = tf.astype(np.float64)
        starts = np.flatnonzero(np.r_[True, tid[1:] != tid[:-1]])
        rows = tid[starts]
        scale = W_SCALE * np.sqrt(np.add.reduceat(tff * tff, starts))
        for k in range(len(self.labels)):
            out[rows, k] += np.add.reduceat(self._wf[k][bucket] * tff, starts) / scale
        return out

    def top_ngrams(self, form: str, label: int, k: int = 5) -> list[tuple[str, float]]:
        """The n-grams of ``form`` that raise ``label``'s score most."""
        grams = ngrams(form)
        scored = [(g, int(self.weights[b, label]) / W_SCALE) for b, g in grams.items()]
        return sorted((x for x in scored if x[1] > 0), key=lambda x: -x[1])[:k]


def logit(p: float) -> float:
    return math.log(p / (1 - p))

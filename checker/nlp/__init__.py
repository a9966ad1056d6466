"""The NLP stage: spaCy's ``zh`` language with the jieba segmenter and a pinned user
dictionary. It is loaded lazily — only utterances that the Aho-Corasick prefilter
passes, and only the clause around an anchor, are ever tokenised.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

USERDICT = Path(__file__).with_name("userdict.txt")
# jieba's own dictionary cut to its 60,000 most frequent words (jieba is MIT-licensed; the
# file is jieba 0.42.1's dict.txt sorted by frequency and truncated). It loads in a tenth of
# the time of the full 349,046-word dictionary, which matters for a one-line scan; the
# segmentation around negations — all collcheck asks of it — is the same on the rule
# examples and the corpus (the test suite runs on it).
MAIN_DICT = Path(__file__).with_name("dict_small.txt")


@lru_cache(maxsize=1)
def nlp():
    """spaCy ``zh`` pipeline (tokenizer only) with jieba and the project's user dictionary."""
    import spacy

    _jieba()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


@lru_cache(maxsize=1)
def _jieba():
    """jieba with the user dictionary — the same segmenter spaCy's ``zh`` uses, called
    directly for negation scope so a scan never pays for importing spaCy unless a rule
    has ``tokens`` conditions.

    jieba's ``_compat`` imports ``pkg_resources`` (~0.13 s) only to find its bundled files
    and falls back to their paths when that import fails; collcheck gives jieba its own
    dictionary files, so the import is made to fail while jieba loads."""
    import sys

    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # ImportError for jieba
        try:
            import jieba
        finally:
            if sys.modules.get("pkg_resources", 0) is None:
                del sys.modules["pkg_resources"]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.set_dictionary(str(MAIN_DICT))
    jieba.load_userdict(str(USERDICT))
    return jieba


def tokenize(text: str) -> list[tuple[int, str]]:
    """(start offset, token text) for every token of ``text``."""
    out, pos = [], 0
    for tok in _jieba().cut(text, HMM=True):
        out.append((pos, tok))
        pos += len(tok)
    return out


@lru_cache(maxsize=4096)
def _cached_tokens(text: str) -> tuple[tuple[int, str], ...]:
    return tuple(tokenize(text))


def tokens(text: str) -> tuple[tuple[int, str], ...]:
    """Cached tokenisation of a (short) clause."""
    return _cached_tokens(text)


def doc(text: str):
    return nlp()(text)

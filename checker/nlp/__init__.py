"""The NLP stage: spaCy's ``zh`` language with the jieba segmenter and a pinned user
dictionary. It is loaded lazily — only utterances that the Aho-Corasick prefilter
passes, and only the clause around an anchor, are ever tokenised.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

USERDICT = Path(__file__).with_name("userdict.txt")


@lru_cache(maxsize=1)
def nlp():
    """spaCy ``zh`` pipeline (tokenizer only) with jieba and the project's user dictionary."""
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    jieba.load_userdict(str(USERDICT))
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def tokenize(text: str) -> list[tuple[int, str]]:
    """(start offset, token text) for every token of ``text``."""
    doc = nlp()(text)
    return [(t.idx, t.text) for t in doc]


@lru_cache(maxsize=4096)
def _cached_tokens(text: str) -> tuple[tuple[int, str], ...]:
    return tuple(tokenize(text))


def tokens(text: str) -> tuple[tuple[int, str], ...]:
    """Cached tokenisation of a (short) clause."""
    return _cached_tokens(text)


def doc(text: str):
    return nlp()(text)

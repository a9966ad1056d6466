"""ASR output as JSON: Whisper (``segments``) and FunASR (``sentence_info`` with ``spk``).

* Whisper / faster-whisper / WhisperX: ``{"text", "segments": [{"start", "end", "text",
  "speaker"?}], "language"}``. A **data row** is one segment. Plain Whisper has no
  speakers: every segment is ``unknown``; WhisperX's ``SPEAKER_00`` labels are ambiguous
  and read like pasted A / B labels.
* FunASR (paraformer + cam++): ``[{"key", "text", "sentence_info": [{"text", "start",
  "end", "spk"}]}]`` (a list of results, or one result). A **data row** is one
  ``sentence_info`` entry, or a whole result when it has none. ``spk`` ids say nothing
  about who is the collector: ``unknown`` unless ``--collector-speaker 0`` (or ``spk0``)
  names one, and then the other ids are the debtor's side — or, with exactly two ids, their
  words show it (``checker.roles``: one introduces the lender or asks for the debtor by name,
  the other never does; a note says so).

* Other ASR services' results (``asr-json``): a list of sentences under a key such as
  ``sentences`` (阿里云 录音文件识别's ``Result.Sentences``, 通义听悟, most in-house QA
  platforms), ``ResultDetail`` (腾讯云) or ``utterances``, found up to three levels deep or
  as a top-level list. A **data row** is one sentence: its text (``text`` / ``Text`` /
  ``FinalSentence`` / ``sentence`` / ``onebest``) and its speaker (``speaker`` / ``SpeakerId``
  / ``spk`` / ``ChannelId`` / ``role`` …). Ids and channel numbers say nobody, as FunASR's;
  a role such as 坐席 / 客户 says who spoke.

JSON has no useful line numbers (Whisper writes one line), so the ``line`` of a row is
its position: the n-th segment, counted from 1, and its id is ``FILE:n``. Segment times
are offsets into the recording, so utterances carry no time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from checker.io.common import InputError, Item, ReadContext, SpeakerLabels, make_utterance


def _load(text: str, ctx: ReadContext) -> Any:
    try:
        return json.loads(text)
    except ValueError as e:
        raise InputError(f"{ctx.file}:{getattr(e, 'lineno', 1)}: not valid JSON ({getattr(e, 'msg', e)})") from None


def read_whisper(text: str, ctx: ReadContext) -> Iterator[Item]:
    doc = _load(text, ctx)
    if isinstance(doc, dict) and isinstance(doc.get("segments"), list):
        segments = doc["segments"]
    elif isinstance(doc, list) and all(isinstance(s, dict) and "text" in s for s in doc[:5]):
        segments = doc
    else:
        raise InputError(f"{ctx.file}: not Whisper JSON: expected an object with a 'segments' list")
    speakers = SpeakerLabels(ctx.collector_speakers, ctx.debtor_speakers)
    yield from speakers.settle([_segment(ctx, speakers, n, seg, "segment", "speaker")
                                for n, seg in enumerate(segments, 1)])
    ctx.notes.extend(speakers.notes(ctx.file))


def read_funasr(text: str, ctx: ReadContext) -> Iterator[Item]:
    doc = _load(text, ctx)
    results = doc if isinstance(doc, list) else [doc]
    if not results or not all(isinstance(r, dict) for r in results) or not any(
            "sentence_info" in r or "text" in r for r in results):
        raise InputError(f"{ctx.file}: not FunASR JSON: expected a list of results with 'sentence_info'")
    speakers = SpeakerLabels(ctx.collector_speakers, ctx.debtor_speakers)
    n = 0
    turns = []
    for res in results:
        sentences = res.get("sentence_info")
        if not isinstance(sentences, list):
            sentences = [res]
        for s in sentences:
            n += 1
            turns.append(_segment(ctx, speakers, n, s, "sentence", "spk"))
    yield from speakers.settle(turns)
    ctx.notes.extend(speakers.notes(ctx.file, "FunASR speaker ids"))


def _segment(ctx: ReadContext, speakers: Any, n: int, seg: Any, what: str,
             speaker_key: str) -> tuple[str | None, Item]:
    """One ASR segment → (its speaker label, an utterance), or (None, a rejected row saying why)."""
    if not isinstance(seg, dict):
        return None, ctx.reject(n, f"{what} {n} is a {type(seg).__name__}, not an object", _dump(seg))
    t = seg.get("text")
    if not isinstance(t, str) or not t.strip():
        return None, ctx.reject(n, f"{what} {n} has no text", _dump(seg))
    label = seg.get(speaker_key)
    if label in (None, ""):
        return None, make_utterance(ctx, n, None, "unknown", t.strip())
    return str(label), make_utterance(ctx, n, None, speakers.speaker(str(label), named_only=True), t.strip())


def _dump(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)[:500]


# where ASR services put their sentence list, and what a sentence's fields are called
# (compared in lower case)
_LIST_KEYS = ("sentences", "sentence_list", "sentencelist", "resultdetail", "utterances", "sentence_info")
_TEXT_KEYS = ("text", "finalsentence", "sentence", "onebest", "content", "transcript")
_OFFSET_KEYS = ("begin_time", "begintime", "start_time", "starttime", "startms", "start_ms", "beginms", "begin",
                "start", "bg", "offset")
_SPEAKER_KEYS = ("speaker", "speakerid", "speaker_id", "spk", "role", "speakerrole", "channelid", "channel_id",
                 "channel")


def sentence_list(doc: Any, depth: int = 0) -> list | None:
    """The first list of sentence objects in an ASR result: under a known key, up to three
    levels deep (``Result.Sentences``), or the document itself when it is such a list."""
    if isinstance(doc, list):
        # under a known key any list of objects with a text will do; a bare top-level list also
        # needs an offset into the recording (a JSON array of batch records or an SMS app's rows
        # has text too)
        if (doc and all(isinstance(x, dict) for x in doc[:5]) and _key(doc[0], _TEXT_KEYS) is not None
                and (depth or _key(doc[0], _OFFSET_KEYS) is not None) and "channel" not in doc[0]):
            return doc
        return None
    if not isinstance(doc, dict) or depth > 3:
        return None
    for k, v in doc.items():
        if k.lower() in _LIST_KEYS and isinstance(v, list) and sentence_list(v, depth + 1) is not None:
            return v
    if depth == 0 and "channel" in doc:
        return None  # one batch record
    for v in doc.values():
        if isinstance(v, dict):
            found = sentence_list(v, depth + 1)
            if found is not None:
                return found
    return None


def _key(obj: dict, names: tuple[str, ...]) -> str | None:
    low = {k.lower(): k for k in obj}
    return next((low[n] for n in names if n in low), None)


def looks_like_asr_sentences(text: str) -> bool:
    """An ASR result with a sentence list (checked on the parsed JSON)."""
    try:
        doc = json.loads(text)
    except ValueError:
        return False
    return sentence_list(doc) is not None


def read_asr_sentences(text: str, ctx: ReadContext) -> Iterator[Item]:
    doc = _load(text, ctx)
    sentences = sentence_list(doc)
    if sentences is None:
        raise InputError(f"{ctx.file}: no sentence list found in this ASR result (expected a list of objects with a "
                         "text field under a key such as 'sentences', 'Result.Sentences' or 'ResultDetail')")
    speakers = SpeakerLabels(ctx.collector_speakers, ctx.debtor_speakers)
    turns: list[tuple[str | None, Item]] = []
    for n, s in enumerate(sentences, 1):
        if not isinstance(s, dict):
            turns.append((None, ctx.reject(n, f"sentence {n} is a {type(s).__name__}, not an object", _dump(s))))
            continue
        tk, sk = _key(s, _TEXT_KEYS), _key(s, _SPEAKER_KEYS)
        seg = {"text": s.get(tk) if tk else None, "speaker": s.get(sk) if sk else None}
        turns.append(_segment(ctx, speakers, n, seg, "sentence", "speaker"))
    yield from speakers.settle(turns)
    ctx.notes.extend(speakers.notes(ctx.file, "ASR speaker ids"))

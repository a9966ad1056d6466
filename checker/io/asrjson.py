"""ASR output as JSON: Whisper (``segments``) and FunASR (``sentence_info`` with ``spk``).

* Whisper / faster-whisper / WhisperX: ``{"text", "segments": [{"start", "end", "text",
  "speaker"?}], "language"}``. A **data row** is one segment. Plain Whisper has no
  speakers: every segment is ``unknown``; WhisperX's ``SPEAKER_00`` labels are ambiguous
  and read like pasted A / B labels.
* FunASR (paraformer + cam++): ``[{"key", "text", "sentence_info": [{"text", "start",
  "end", "spk"}]}]`` (a list of results, or one result). A **data row** is one
  ``sentence_info`` entry, or a whole result when it has none. ``spk`` ids say nothing
  about who is the collector: ``unknown`` unless ``--collector-speaker 0`` (or ``spk0``)
  names one, and then the other ids are the debtor's side.

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
    for n, seg in enumerate(segments, 1):
        yield _segment(ctx, speakers, n, seg, "segment", "speaker")
    ctx.notes.extend(speakers.notes(ctx.file))


def read_funasr(text: str, ctx: ReadContext) -> Iterator[Item]:
    doc = _load(text, ctx)
    results = doc if isinstance(doc, list) else [doc]
    if not results or not all(isinstance(r, dict) for r in results) or not any(
            "sentence_info" in r or "text" in r for r in results):
        raise InputError(f"{ctx.file}: not FunASR JSON: expected a list of results with 'sentence_info'")
    speakers = SpeakerLabels(ctx.collector_speakers, ctx.debtor_speakers)
    n = 0
    for res in results:
        sentences = res.get("sentence_info")
        if not isinstance(sentences, list):
            sentences = [res]
        for s in sentences:
            n += 1
            yield _segment(ctx, speakers, n, s, "sentence", "spk")
    ctx.notes.extend(speakers.notes(ctx.file, "FunASR speaker ids"))


def _segment(ctx: ReadContext, speakers: Any, n: int, seg: Any, what: str, speaker_key: str) -> Item:
    """One ASR segment → an utterance, or a rejected row saying why."""
    if not isinstance(seg, dict):
        return ctx.reject(n, f"{what} {n} is a {type(seg).__name__}, not an object", _dump(seg))
    t = seg.get("text")
    if not isinstance(t, str) or not t.strip():
        return ctx.reject(n, f"{what} {n} has no text", _dump(seg))
    label = seg.get(speaker_key)
    speaker = speakers.speaker(str(label), named_only=True) if label not in (None, "") else "unknown"
    return make_utterance(ctx, n, None, speaker, t.strip())


def _dump(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)[:500]

"""Subtitle-style transcripts: SRT and WebVTT, as ASR tools and video editors write them.

A **data row** is one cue: a block of lines separated from the next by a blank line,
with a ``00:00:01,000 --> 00:00:04,000`` timing line. In WebVTT the ``WEBVTT`` header
block and ``NOTE`` / ``STYLE`` / ``REGION`` blocks are not data rows. A block with no
timing line, a timing line with an invalid time (``00:00:38,1000``; the reason quotes the
line) or a cue with no text is rejected.

Cue times are offsets into the recording, not clock times, so utterances carry no
time. The speaker comes from a WebVTT voice tag (``<v 催收员>``) or a label at the start
of the text (``催收员：`` / ``A:`` / ``SPEAKER_00:``), read like pasted transcripts:
ambiguous labels are never guessed by position; two of them get the roles their words show
(``checker.roles``, with a note), else they stay ``unknown``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.io.common import Item, ReadContext, SpeakerLabels, make_utterance

_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")
_LABEL = re.compile(r"^\s*(?:[-–]\s*)?(?P<label>[^:：\s]{1,12}|[Ss]peaker[ _]?\d+|SPEAKER[ _]\d+)"
                    r"\s*[:：]\s*(?P<text>.*)$")


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    block: list[tuple[int, str]] = []
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if line.strip():
            block.append((n, line))
        elif block:
            yield block[0][0], block
            block = []
    if block:
        yield block[0][0], block


def read_subtitles(text: str, ctx: ReadContext, kind: str) -> Iterator[Item]:
    """``kind`` is 'srt' or 'vtt'."""
    speakers = SpeakerLabels(ctx.collector_speakers, ctx.debtor_speakers)
    turns: list[tuple[str | None, Item]] = []
    lines = text.split("\n")
    first = True
    for start, block in _blocks(lines):
        head = block[0][1].strip()
        if kind == "vtt" and first and head.startswith("WEBVTT"):
            first = False
            continue
        first = False
        if kind == "vtt" and (head.startswith(("NOTE", "STYLE", "REGION")) and not _TIMING.match(head)):
            continue
        timing = next((i for i, (_n, ln) in enumerate(block[:3]) if "-->" in ln), None)
        if timing is None:
            turns.append((None, ctx.reject(start, "no '00:00:01,000 --> 00:00:04,000' timing line in this block",
                                           "\n".join(ln for _n, ln in block))))
            continue
        bad = _bad_timing(block[timing][1])
        if bad:
            turns.append((None, ctx.reject(block[timing][0], f"the cue's timing line '{block[timing][1].strip()}' "
                                           f"has an invalid time: {bad}", "\n".join(ln for _n, ln in block))))
            continue
        body = block[timing + 1:]
        if not body:
            turns.append((None, ctx.reject(start, "a cue with no text", "\n".join(ln for _n, ln in block))))
            continue
        line_no = body[0][0]
        joined = " ".join(ln.strip() for _n, ln in body)
        label = None
        v = _VOICE.search(joined)
        if v:
            label = v.group(1).strip()
        cleaned = " ".join(_TAG.sub("", joined).split())
        if label is None:
            m = _LABEL.match(cleaned)
            if m and _is_label(m.group("label"), speakers):
                label, cleaned = m.group("label"), m.group("text").strip()
        if not cleaned:
            turns.append((None, ctx.reject(line_no, "a cue with no text", "\n".join(ln for _n, ln in block))))
            continue
        speaker = speakers.speaker(label) if label else "unknown"
        turns.append((label, make_utterance(ctx, line_no, None, speaker, cleaned)))
    yield from speakers.settle(turns)  # one call's cues: read whole, for the roles of A / B
    ctx.notes.extend(speakers.notes(ctx.file))


_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})$")


def _bad_timing(line: str) -> str | None:
    """Why a ``start --> end`` line's times are invalid, or None when they are valid."""
    parts = line.split("-->")
    if len(parts) != 2:
        return "expected 'start --> end'"
    for label, raw in (("start", parts[0].strip()), ("end", parts[1].strip().split()[0] if parts[1].split() else "")):
        m = _TIME.match(raw)
        if not m:
            return (f"the {label} time '{raw}' is not HH:MM:SS,mmm (milliseconds have at most three digits)"
                    if raw else f"no {label} time")
        if int(m.group(3)) > 59 or (m.group(1) is not None and int(m.group(2)) > 59):
            return f"the {label} time '{raw}' has minutes or seconds over 59"
    return None


def _is_label(label: str, speakers: SpeakerLabels) -> bool:
    from checker.io.pasted import speaker_for

    return speaker_for(label, speakers.chosen) is not None

"""The page's form, read straight from the request stream.

File parts are written only into the request's own temporary directory (the caller
removes it); text fields are kept in memory. The whole body — files and text — counts
against one size limit, checked on ``Content-Length`` first and again while streaming,
so a large upload is refused without being held anywhere.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

MAX_FILES = 50
MAX_FIELDS = 100


class TooLarge(Exception):
    """The body is over the limit (it has been read and discarded, so a reply can be sent)."""


class BadForm(Exception):
    """Not a form this page sent; ``key`` names the message (checker.web.text)."""

    def __init__(self, key: str = "err_form"):
        super().__init__(key)
        self.key = key


class ClientGone(Exception):
    """The browser closed the connection before the body was read."""


@dataclass(frozen=True)
class Upload:
    name: str  # the browser's file name, made safe to show and unique within the request
    path: Path  # inside the request's temporary directory
    size: int


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    uploads: list[Upload] = field(default_factory=list)

    def get(self, key: str, default: str = "") -> str:
        return self.fields.get(key, default)


Receive = Callable[[], Awaitable[dict[str, Any]]]


async def drain(receive: Receive, cap: int) -> None:
    """Read and discard the rest of the body (so the browser gets the reply instead of a reset)."""
    seen = 0
    while seen <= cap:
        msg = await receive()
        if msg["type"] != "http.request":
            return
        seen += len(msg.get("body", b""))
        if not msg.get("more_body", False):
            return


def safe_name(raw: str, taken: set[str], n: int) -> str:
    """A file name to show and to name records by (FILE:LINE): no folders, no control
    characters, not too long, not ``stdin`` (the pasted text), unique in the request."""
    name = re.split(r"[\\/]", raw)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().strip(".") or f"upload-{n}"
    if len(name) > 120:
        stem, ext = os.path.splitext(name)
        name = stem[: 120 - len(ext[:20])] + ext[:20]
    if name.lower() == "stdin":
        name = f"{name}-{n}"
    base, ext = os.path.splitext(name)
    k, out = 2, name
    while out in taken:
        out = f"{base} ({k}){ext}"
        k += 1
    taken.add(out)
    return out


async def read_form(headers: Any, receive: Receive, upload_dir: Path, max_bytes: int) -> Form:
    """Parse a multipart/form-data body into fields and uploads under ``upload_dir``."""
    cap = max(10 * max_bytes, 256 << 20)
    length = headers.get("content-length")
    if length and length.isdigit() and int(length) > max_bytes:
        await drain(receive, cap)
        raise TooLarge
    ctype, params = parse_options_header(headers.get("content-type"))
    if ctype != b"multipart/form-data" or not params.get(b"boundary"):
        await drain(receive, cap)
        raise BadForm()

    form = Form()
    taken: set[str] = set()
    state: dict[str, Any] = {}

    def on_part_begin() -> None:
        state.clear()
        state.update(headers={}, name=None, filename=None, data=bytearray(), file=None, size=0)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["hfield"] = state.get("hfield", b"") + data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["hvalue"] = state.get("hvalue", b"") + data[start:end]

    def on_header_end() -> None:
        state["headers"][state.pop("hfield", b"").lower()] = state.pop("hvalue", b"")

    def on_headers_finished() -> None:
        _, opts = parse_options_header(state["headers"].get(b"content-disposition", b""))
        if b"name" not in opts:
            raise BadForm()
        state["name"] = opts[b"name"].decode("utf-8", "replace")
        if b"filename" in opts:
            if len(form.uploads) >= MAX_FILES:
                raise BadForm("err_too_many")
            state["filename"] = opts[b"filename"].decode("utf-8", "replace")
            path = upload_dir / f"upload-{len(form.uploads) + 1}"
            state["path"] = path
            state["file"] = open(path, "wb")  # noqa: SIM115 - closed at the part's end or in cleanup
            files_open.append(state["file"])
        elif len(form.fields) >= MAX_FIELDS:
            raise BadForm("err_too_many")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        state["size"] += len(chunk)
        if state["file"] is not None:
            state["file"].write(chunk)
        else:
            state["data"].extend(chunk)

    def on_part_end() -> None:
        f: BinaryIO | None = state["file"]
        if f is None:
            form.fields[state["name"]] = state["data"].decode("utf-8", "replace")
            return
        f.close()
        if not state["filename"] and state["size"] == 0:  # a file input left empty
            state["path"].unlink(missing_ok=True)
            return
        n = len(form.uploads) + 1
        form.uploads.append(Upload(safe_name(state["filename"], taken, n), state["path"], state["size"]))

    files_open: list[BinaryIO] = []
    parser = MultipartParser(params[b"boundary"], {
        "on_part_begin": on_part_begin, "on_part_data": on_part_data, "on_part_end": on_part_end,
        "on_header_field": on_header_field, "on_header_value": on_header_value, "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished,
    })
    total = 0
    try:
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                raise ClientGone
            body, more = msg.get("body", b""), msg.get("more_body", False)
            total += len(body)
            try:
                if total > max_bytes:
                    raise TooLarge
                try:
                    parser.write(body)
                except MultipartParseError:
                    raise BadForm() from None
            except (TooLarge, BadForm):
                if more:  # after the last chunk there is nothing to drain: receive() would wait for the reply
                    await drain(receive, cap)
                raise
            if not more:
                break
        parser.finalize()
    finally:
        for f in files_open:
            f.close()
    return form

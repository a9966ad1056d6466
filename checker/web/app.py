"""``collcheck serve``: one local web page that does what ``collcheck report`` does, for
people who do not use a terminal.

* Starlette + Jinja2 (autoescape on) + uvicorn, bound to 127.0.0.1 only.
* The same pipeline as the command line (checker.pipeline) and the same report
  (checker.report): the page shows the read summary per file, the report's charts
  (inline SVG) and the findings grouped by category, rendered with the report's own
  template parts; the download buttons re-post the same form and get the HTML or PDF
  report built from those inputs. Nothing is kept between requests.
* Privacy and safety: uploads are written only to a temporary directory of the request,
  removed before the response is sent; no access log, and errors are logged by type
  only; one size limit for the whole request; the Host header must be
  127.0.0.1:PORT or localhost:PORT (DNS rebinding) and a POST's Origin, when present, this
  page's own; every response carries a strict CSP; errors are friendly messages, never
  tracebacks.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from checker import __version__
from checker.web.forms import BadForm, ClientGone, Form, TooLarge, read_form
from checker.web.plain import F_NUMBERS, Plain, format_zh
from checker.web.text import Text, pick_lang

DEFAULT_PORT = 8765
DEFAULT_MAX_MB = 20.0
SHOWN_PER_CATEGORY = 200  # findings listed per category on the page
SHOWN_OPEN = 5  # occurrences of one rule shown before "展开其余 N 条"
# Encodings a Chinese phone's export is normally in: the read summary names only the others
# (the exact name stays in the cell's title)
USUAL_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "ascii", "gb18030", "gbk", "gb2312"})
SHANGHAI = "Asia/Shanghai"
BUSY_WAIT_S = 15.0  # how long a check waits for the one before it
STATIC = Path(__file__).resolve().parent / "static"
STATIC_FILES = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}
NUMBERS_NAME = "催收号码.txt"
REPORT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
SIDECAR = ".sha256"  # /report/html.sha256: the digest of the report /report/html gives for the same form
FIELDS = ("text", "numbers", "debtor", "pack", "speaker", "tz", "date_order", "redact",
          "redact_names")  # refilled on the page
DATE_ORDERS = ("", "dmy", "mdy", "ymd")
# Set by the result, sent back with every download: they say which result a download belongs to
# and are not inputs (the fingerprint leaves them out).
RESULT_FIELDS = ("expect", "generated")

# Matplotlib's SVG charts carry style attributes and the heat map an inline PNG (data:),
# hence 'unsafe-inline' for styles and data: for images; scripts only from this server.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
       "object-src 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

# One scan at a time: the engine, spaCy and matplotlib are shared by the process, and the
# page serves one person.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Settings:
    port: int
    max_mb: float = DEFAULT_MAX_MB

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(f"http://{h}" for h in self.hosts)


class UserError(Exception):
    """Something the person can fix, shown as a message (never a traceback)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


@lru_cache(maxsize=1)
def templates() -> Environment:
    # The report's templates come second: the page imports the report's own parts.
    loader = ChoiceLoader([PackageLoader("checker.web", "templates"), PackageLoader("checker.report", "templates")])
    return Environment(loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)


def available_packs() -> list[str]:
    from checker.pack import rules_root

    root = rules_root()
    return sorted(p.name for p in root.iterdir() if (p / "pack.yaml").is_file()) if root.is_dir() else ["cn"]


def _log_internal(exc: BaseException) -> None:
    # Only the type: a message or traceback could quote a file name or a line of someone's data.
    sys.stderr.write(f"collcheck: internal error in the web page: {type(exc).__name__} "
                     "(details not logged: they may contain personal data)\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------- pages
def _text(params: QueryParams) -> Text:
    return Text(pick_lang(params.get("lang")))


def _page(t: Text, settings: Settings, *, values: dict[str, str] | None = None, result: dict | None = None,
          message: str | None = None, status: int = 200, fragment: bool = False) -> HTMLResponse:
    ctx = {"t": t, "lang": t.lang, "other": "en" if t.lang == "zh" else "zh", "version": __version__,
           "max_mb": f"{settings.max_mb:g}", "packs": available_packs(),
           "values": {k: "" for k in FIELDS} | (values or {}),
           "result": result, "message": message}
    name = ("result.html.j2" if result is not None else "message.html.j2") if fragment else "page.html.j2"
    return HTMLResponse(templates().get_template(name).render(**ctx), status_code=status)


def _message(t: Text, settings: Settings, message: str, status: int, fragment: bool,
             values: dict[str, str] | None = None) -> HTMLResponse:
    return _page(t, settings, values=values, message=message, status=status, fragment=fragment)


async def index(request: Request) -> Response:
    return _page(_text(request.query_params), request.app.state.settings)


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name == "font.otf":
        from checker.report.fonts import FontMissing, cjk_font_path

        try:
            path = cjk_font_path()
        except FontMissing:
            return Response(status_code=404)
        return FileResponse(path, media_type="font/otf", headers={"cache-control": "max-age=86400"})
    if name not in STATIC_FILES:
        raise HTTPException(404)
    return FileResponse(STATIC / name, media_type=STATIC_FILES[name], headers={"cache-control": "no-cache"})


async def check(request: Request) -> Response:
    return await _with_form(request, "check")


async def download(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    if fmt.removesuffix(SIDECAR) not in REPORT_TYPES:
        raise HTTPException(404)
    return await _with_form(request, fmt)


async def _with_form(request: Request, action: str) -> Response:
    """Read the form into a fresh temporary directory, do the work in a worker thread,
    and remove the directory — whatever happens — before the response goes out."""
    settings: Settings = request.app.state.settings
    t = _text(request.query_params)
    fragment = request.query_params.get("fragment") == "1"
    tmp = Path(tempfile.mkdtemp(prefix="collcheck-web-"))
    form: Form | None = None
    try:
        try:
            form = await read_form(request.headers, request.receive, tmp, settings.max_bytes)
        except TooLarge:
            more = max(int(settings.max_mb) * 2, 50)
            return _message(t, settings, t("err_too_large", mb=f"{settings.max_mb:g}", more=more), 413, fragment)
        except BadForm as e:
            return _message(t, settings, t(e.key, files=50), 400, fragment)
        except ClientGone:
            return Response(status_code=400)
        return await run_in_threadpool(_locked, _work, form, t, settings, action, fragment)
    except UserError as e:
        return _message(t, settings, e.message, e.status, fragment, _values(form) if form else None)
    except Exception as e:  # never a traceback: a friendly page, the type in the log
        _log_internal(e)
        return _message(t, settings, t("err_internal", kind=type(e).__name__), 500, fragment,
                        _values(form) if form else None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# English page: readers' errors that a person meets most, each with a plain sentence put
# before the detail (the Chinese page says the whole message in Chinese: checker.web.plain)
_INPUT_GLOSSES = (("an image (", "gloss_image"), ("not UTF-8, UTF-16 or GBK", "gloss_encoding"),
                  ("the file is empty", "gloss_empty"), ("a PDF", "gloss_pdf"),
                  ("header is not one collcheck knows", "gloss_header"),
                  ("no call-log or message header", "gloss_header"))


def _plain(t: Text) -> Plain:
    """The readers' messages in the page's language; the collector numbers are a field here."""
    return Plain(t.lang, {NUMBERS_NAME: F_NUMBERS} if t.lang == "zh" else {})


def _input_error(t: Text, message: str, names: list[str]) -> str:
    """An input error as the page says it: in Chinese, the whole message translated (it names
    the page's fields); in English, the reader's own words after a plain gloss, with a hint
    where the reader names a command-line option the form has a field for."""
    if t.lang == "zh":
        return t("err_input", msg=_plain(t).error(message, names))
    msg = t("err_input", msg=message)
    gloss = next((t(key) for pattern, key in _INPUT_GLOSSES if pattern in message), None)
    if gloss:
        msg = f"{gloss} {msg}"
    if "--date-order" in message:
        return f"{msg} {t.date_order_note}"
    if "--debtor" in message:
        return f"{msg} {t.debtor_hint}"
    if "--columns" in message or "header is not one collcheck knows" in message:
        return f"{msg} {t.columns_hint}"
    return msg


def _locked(fn: Any, *args: Any) -> Any:
    """One check at a time; a request that finds another still running is told so at once
    instead of waiting behind it without a word."""
    if not _LOCK.acquire(timeout=BUSY_WAIT_S):
        t = args[1]
        raise UserError(t.err_busy, 503)
    try:
        return fn(*args)
    finally:
        _LOCK.release()


def _values(form: Form) -> dict[str, str]:
    """Form fields to fill the page in again (escaped by the template)."""
    return {k: form.get(k) for k in FIELDS}


# --------------------------------------------------------------------------- the work
@dataclass
class Inputs:
    files: list[tuple[str, bytes]]
    fingerprint: str


def _inputs(form: Form, t: Text) -> Inputs:
    files: list[tuple[str, bytes]] = []
    text = form.get("text")
    if text.strip():
        files.append(("stdin", text.encode("utf-8")))  # pasted text: record ids stdin:LINE, as on the CLI
    for u in form.uploads:
        files.append((u.name, u.path.read_bytes()))
    if not files:
        raise UserError(t.err_empty)
    fields = sorted((k, v) for k, v in form.fields.items() if k not in RESULT_FIELDS)
    digest = hashlib.sha256(json.dumps([fields, [(n, hashlib.sha256(d).hexdigest()) for n, d in files]],
                                       ensure_ascii=False).encode("utf-8")).hexdigest()
    return Inputs(files, digest)


def _generated(form: Form, t: Text, action: str) -> datetime:
    """The report's generation time: now for a check; for a download from a result, that
    check's time (the result's hidden ``generated`` field), so the report downloaded is
    byte for byte the one whose SHA-256 the page shows and the .sha256 file holds."""
    value = form.get("generated").strip()
    if action == "check" or not value:
        if action.endswith(SIDECAR):
            raise UserError(t.err_sha_needs_check, 409)
        return datetime.now().astimezone().replace(microsecond=0)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(t.err_form) from None
    if when.tzinfo is None:
        raise UserError(t.err_form)
    return when


def _local(when: datetime, form: Form) -> datetime:
    """``when`` in the time zone the report is written in (the form's, else the pack's); as it is
    when that zone cannot be read (the check itself then says why)."""
    from checker.engine import zone
    from checker.pack import cached_pack

    pack = form.get("pack") or "cn"
    if pack not in available_packs():  # the check itself refuses it; nothing is loaded by its name
        return when
    try:
        name = form.get("tz").strip() or cached_pack(pack).timezone
        return when.astimezone(zone(name))
    except Exception:
        return when


def _work(form: Form, t: Text, settings: Settings, action: str, fragment: bool) -> Response:
    inputs = _inputs(form, t)
    if action != "check" and form.get("expect") and form.get("expect") != inputs.fingerprint:
        raise UserError(t.err_changed, 409)
    if action.endswith(SIDECAR) and not form.get("expect"):
        raise UserError(t.err_sha_needs_check, 409)
    generated = _generated(form, t, action)
    fmt = "html" if action == "check" else action.removesuffix(SIDECAR)
    # named by the report's own clock (the time zone the report is written in), not the machine's
    report_name = f"collcheck-report-{_local(generated, form).strftime('%Y%m%d-%H%M%S')}.{fmt}"
    run, parties, report, skipped = _scan(form, t, inputs, report_name, generated)
    from checker.report.fonts import FontMissing
    from checker.report.write import render

    try:
        data = render(report, fmt)
    except FontMissing as e:
        raise UserError(t("err_font", msg=str(e)), 500) from None
    digest = hashlib.sha256(data).hexdigest()
    if action == "check":
        result = _result(run, parties, report, t, inputs.fingerprint, debtor=bool(form.get("debtor").strip()))
        result["skipped"] = skipped
        # the same digest `collcheck report` writes to report.html.sha256
        result["sha256"] = {"html": digest, "name": report_name, "generated": generated.isoformat()}
        return _page(t, settings, values=_values(form), result=result, fragment=fragment)
    if action.endswith(SIDECAR):  # sha256sum -c format, as the command line's sidecar
        return Response(f"{digest}  {report_name}\n".encode(), media_type="text/plain; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{report_name}{SIDECAR}"'})
    return Response(data, media_type=REPORT_TYPES[fmt],
                    headers={"content-disposition": f'attachment; filename="{report_name}"'})


def _scan(form: Form, t: Text, inputs: Inputs, report_name: str,
          generated: datetime | None = None) -> tuple[Any, Any, Any, list[str]]:
    from checker import pipeline
    from checker.engine import zone
    from checker.io import InputError
    from checker.pack import PackError, cached_pack
    from checker.parties import Directory, PartiesError, parse_numbers

    pack_name = form.get("pack") or "cn"
    if pack_name not in available_packs():
        raise UserError(t("err_pack", msg=pack_name))
    try:
        pack = cached_pack(pack_name)
    except PackError as e:
        raise UserError(t("err_pack", msg="; ".join(str(x) for x in e.errors[:3])), 500) from None
    tz_name = form.get("tz").strip() or pack.timezone
    try:
        tz = zone(tz_name)
    except Exception:
        raise UserError(t("err_tz", tz=tz_name)) from None
    numbers = form.get("numbers")
    directory, entry = Directory(), None
    if numbers.strip():
        data = numbers.encode("utf-8")
        try:
            directory = parse_numbers(data, NUMBERS_NAME)
        except PartiesError as e:
            raise UserError(t("err_numbers", msg=_plain(t).error(str(e)))) from None
        entry = pipeline.numbers_entry(NUMBERS_NAME, data)
    debtor = form.get("debtor").strip() or None
    speakers = tuple(x for x in re.split(r"[,，;；\s]+", form.get("speaker")) if x)
    date_order = form.get("date_order").strip()
    if date_order not in DATE_ORDERS:
        raise UserError(t("err_date_order", value=date_order))
    # One unreadable file does not hide the others' results (the command line writes the others'
    # findings, then exits 2; here the person sees what could be read and a box naming the file
    # left out). Every file is read once; the ones that cannot be read are collected here.
    files, skipped, all_names = list(inputs.files), [], [n for n, _d in inputs.files]
    left_out: list[dict[str, Any]] = []  # the same files, for the report: it says it is partial
    failed: list[tuple[str, InputError]] = []
    run, parties = pipeline.run(files, pack, tz, directory=directory, debtor=debtor, collector_speakers=speakers,
                                date_order=date_order or None, on_error=lambda name, e: failed.append((name, e)))
    if failed and len(failed) == len(files):  # nothing could be read: the error itself, not an empty result
        raise UserError(" ".join(_input_error(t, str(e), all_names) for _n, e in failed))
    data_of = dict(files)
    for bad, e in failed:
        data = data_of[bad]
        skipped.append(_skipped(t, bad, str(e), all_names))
        left_out.append({"file": bad, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                         "reason": _reason_zh(bad, str(e), all_names)})
    files = [(n, d) for n, d in files if n not in {b for b, _e in failed}]
    if run.unreadable:  # as the command line: an input of which no row could be read is an error...
        if not any(s_.events for s_ in run.summaries):
            raise UserError(" ".join(_input_error(t, m, all_names) for m in run.unreadable))
        for m in run.unreadable:  # ...but beside a file that could be read, it is a box above its results
            bad = next((s_.file for s_ in run.summaries if m.startswith(f"{s_.file}: ")), "")
            skipped.append(_skipped(t, bad, m, all_names))
            s_bad = next((s_ for s_ in run.summaries if s_.file == bad), None)
            data = dict(files).get(bad)
            left_out.append({"file": bad, "size": None if data is None else len(data),
                             "sha256": s_bad.sha256 if s_bad else None, "reason": _reason_zh(bad, m, all_names)})
    names = tuple(x for x in re.split(r"[,，;；、\s]+", form.get("redact_names")) if x)
    report = pipeline.report_for(run, debtor=debtor, directory=directory, numbers=entry,
                                 redact=bool(form.get("redact")), redact_names=names, report_name=report_name,
                                 sizes={n: len(d) for n, d in files if n != "stdin"}, generated=generated,
                                 left_out=left_out)
    return run, parties, report, skipped


def _reason_zh(name: str, message: str, names: list[str]) -> str:
    """Why a file was left out, in Chinese (the report is Chinese whatever the page's language)."""
    return Plain("zh", {NUMBERS_NAME: F_NUMBERS})._zh(message, names, show_input=False).rstrip("。.") + "。"


def _skipped(t: Text, name: str, message: str, names: list[str]) -> str:
    """The box for a file left out of a result: which file, why, and that the rest is shown."""
    # the box names the file itself: the message without its "FILE: " prefix
    msg = _plain(t)._zh(message, names, show_input=False) if t.lang == "zh" else message.removeprefix(f"{name}: ")
    return t("partial_error", name=t.pasted if name == "stdin" else name, msg=msg.rstrip("。."))


def _result(run: Any, parties: Any, report: Any, t: Text, fingerprint: str, debtor: bool = False) -> dict[str, Any]:
    """What the result part of the page shows, from the report (same content, same redaction)."""
    from checker.model import CATEGORIES, SEVERITIES
    from checker.parties import display_number, is_name
    from checker.report import charts as charts_mod

    r = report.to_dict()
    charts = None
    if r["summary"]["totals"]["contacts"]:
        charts = {k: Markup(v) for k, v in charts_mod.render_all(r["charts"], "svg").items()}
    plain = _plain(t)
    files = []
    for s in run.summaries:
        fmt = format_zh(s.format) if t.lang == "zh" else s.format
        usual = (s.encoding or "").lower() in USUAL_ENCODINGS or not s.encoding
        files.append({"display": t.pasted if s.file == "stdin" else s.file, "format": fmt, "format_id": s.format,
                      "encoding": s.encoding, "show_encoding": t.lang != "zh" or not usual,
                      "rows": s.rows, "events": s.events, "filtered": s.filtered,
                      "rejected": [{"line": x.line, "reason": plain.reason(x.reason)} for x in s.rejected],
                      # inside the file's own box the "FILE: " prefix of a reader's note is noise
                      "notes": [plain.note(n, s.file) for n in s.notes]})
    notes = []
    # (the Chinese page says the whole note in Chinese, naming the fields, in the file's box)
    if t.lang != "zh" and any("--collector-speaker" in n for s_ in run.summaries for n in s_.notes):
        notes.append(t.speaker_note)  # the readers name the CLI option; here it is a field of the form
    if any("--date-order" in x.reason for s_ in run.summaries for x in s_.rejected):
        notes.append(t.date_order_note)
    if parties.judged_numbers and not report.meta["redacted"]:
        notes.append(t("judged_all", n=parties.judged_numbers))
        for s_ in parties.suspects[:10]:
            notes.append(t("suspect_name" if is_name(s_.number) else "suspect", number=display_number(s_.number),
                           reasons="；".join(s_.reasons)))
        if len(parties.suspects) > 10:
            notes.append(t("suspects_more", n=len(parties.suspects) - 10))
        if parties.suspects:
            notes.append(t.suspect_hint)
    ex = parties.exempted
    if ex and ex.unlisted:
        notes.append(t("unlisted", n=ex.unlisted))
    if ex and ex.no_number:
        notes.append(t("no_number", n=ex.no_number))
    if ex and (ex.contacts or ex.service):
        if ex.contacts:
            shown = "、".join(n for n, _k in ex.contacts.most_common(5)) + ("…" if len(ex.contacts) > 5 else "")
            if report.meta["redacted"]:  # a redacted result shows no one's name
                shown = "…"
            notes.append(t("exempt_contacts", n=sum(ex.contacts.values()), names=shown))
        if ex.service:
            notes.append(t("exempt_service", n=sum(ex.service.values()), numbers="、".join(sorted(ex.service))))
        notes.append(t.exempt_hint)
    zone_name = getattr(run.tz, "key", str(run.tz))
    by_cat: dict[str, list[dict[str, Any]]] = {}
    for f in r["findings"]:
        by_cat.setdefault(f["category"], []).append(_shown(f, zone_name, debtor))
    labels = {c["category"]: c["label"] for c in r["summary"]["by_category"]}
    # The gravest categories first (threats before a 21:00 call), then the contract's order.
    order = sorted(by_cat, key=lambda c: (-max(SEVERITIES.index(f["severity"]) for f in by_cat[c]),
                                          CATEGORIES.index(c) if c in CATEGORIES else len(CATEGORIES)))
    # A call log of a year can give thousands of findings of one kind: the page lists the first
    # SHOWN_PER_CATEGORY of each (the report, downloaded, has them all).
    groups = [{"category": c, "label": labels.get(c, c), "count": len(by_cat[c]),
               "shown": min(len(by_cat[c]), SHOWN_PER_CATEGORY),
               "rules": _by_rule(by_cat[c][:SHOWN_PER_CATEGORY])} for c in order]
    return {"r": r, "charts": charts, "files": files, "notes": notes, "groups": groups,
            "provisions": {p["ref"]: p for p in r["provisions"]}, "fingerprint": fingerprint,
            "beijing": zone_name == SHANGHAI, "shown_open": SHOWN_OPEN}


_CST = "（北京时间）"  # checker.matchers.hours.zone_label in China's zone: the page says Beijing time once


def _shown(f: dict[str, Any], zone_name: str, debtor: bool) -> dict[str, Any]:
    """A finding as the page shows it: in Beijing time the page says so once, not after every
    time; with the debtor named, a speaker the readers could not place is the other side."""
    f = dict(f)
    if zone_name == SHANGHAI:
        for k in ("evidence", "message"):
            if isinstance(f.get(k), str):
                f[k] = f[k].replace(_CST, " ")
        if f.get("context"):
            f["context"] = {k: v.replace(_CST, " ") for k, v in f["context"].items()}
    if debtor and f.get("speaker") == "unknown" and f.get("speaker_label"):
        f["speaker_label"] = "对方（按催收方一侧判断）"
    return f


def _by_rule(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One card per rule: its title, explanation and references once, then each occurrence
    (time, who, quote, source line). Where every occurrence's message is the same once its own
    evidence is taken out, the card shows that message; otherwise each occurrence keeps its own."""
    from checker.model import SEVERITIES

    rules: dict[str, dict[str, Any]] = {}
    for f in findings:
        rules.setdefault(f["rule"], {"rule": f["rule"], "title": f["title"], "severity": f["severity"],
                                     "severity_label": f["severity_label"], "citations": f["citations"],
                                     "occurrences": []})["occurrences"].append(f)
    for g in rules.values():
        occ = g["occurrences"]
        # (the quote taken out is said to be below, never put in quotation marks itself)
        generic = {(f["message"].replace(f"「{f['evidence']}」", "（原话见下面各条）")
                    .replace(f["evidence"], "（见下面各条）") if f["evidence"] else f["message"]) for f in occ}
        if len(occ) == 1:
            g["message"] = occ[0]["message"]
        elif len(generic) == 1:
            g["message"] = generic.pop()
        else:
            g["message"] = None  # messages differ: each occurrence shows its own
    # the gravest rule first, then the order of their first occurrence
    order = list(rules)
    cards = sorted(rules.values(), key=lambda g: (-SEVERITIES.index(g["severity"]), order.index(g["rule"])))
    # a record one card already quotes (one message matching several rules of this kind) is shown
    # under the later cards without its quote again: "原话见上面「…」"
    quoted: dict[str, str] = {}
    for g in cards:
        g["occurrences"] = [dict(f, seen_in=quoted[f["record"]]) if f["record"] in quoted and not f.get("records")
                            else f for f in g["occurrences"]]
        for f in g["occurrences"]:
            if not f.get("records"):
                quoted.setdefault(f["record"], g["title"])
    return cards


# --------------------------------------------------------------------------- errors
async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    t = _text(request.query_params)
    msg = t.err_not_found if status == 404 else t.err_method if status == 405 else t("err_internal", kind="HTTP")
    return _message(t, request.app.state.settings, msg, status, False)


async def internal_error(request: Request, exc: Exception) -> Response:
    t = _text(request.query_params)
    return _message(t, request.app.state.settings, t("err_internal", kind=type(exc).__name__), 500,
                    request.query_params.get("fragment") == "1")


def _same_origin(headers: Headers, settings: Settings) -> bool:
    """May this POST come from our own page? Browsers set Origin and Sec-Fetch-Site, and no web
    page can forge them. Under ``Referrer-Policy: no-referrer`` a browser sends ``Origin: null``
    for the page's own form posts (the downloads), so ``null`` passes only together with
    ``Sec-Fetch-Site: same-origin``; any other site's origin, or ``cross-site`` / ``same-site``,
    is refused. A request with neither header is not from a browser page and passes."""
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None or origin.lower() in settings.origins:
        return True
    return origin == "null" and site == "same-origin"


class Guard:
    """Outermost layer: Host and Origin checks, security headers on every response, and
    the last word on any error (a friendly page; nothing but the type is logged)."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            return
        headers = Headers(scope=scope)
        t = Text(pick_lang(QueryParams(scope.get("query_string", b"")).get("lang")))
        port = self.settings.port
        if headers.get("host", "").lower() not in self.settings.hosts:
            await self._refuse(send, 400, t("err_host", port=port))
            return
        if scope["method"] not in ("GET", "HEAD", "POST"):
            await self._refuse(send, 405, t.err_method)
            return
        if scope["method"] == "POST" and not _same_origin(headers, self.settings):
            await self._refuse(send, 403, t("err_origin", port=port))
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                raw = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dict(SECURITY_HEADERS)]
                if not any(k.lower() == b"cache-control" for k, _ in raw):
                    raw.append((b"cache-control", b"no-store"))
                message = {**message, "headers": raw + SECURITY_HEADERS}
            await send(message)

        try:
            await self.app(scope, receive, send_secured)
        except Exception as e:  # Starlette has already answered with internal_error when it could
            _log_internal(e)
            if not started:
                await self._refuse(send_secured, 500, t("err_internal", kind=type(e).__name__))

    async def _refuse(self, send: Send, status: int, message: str) -> None:
        body = templates().get_template("refused.html.j2").render(message=message).encode("utf-8")
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                   (b"cache-control", b"no-store"), (b"connection", b"close"), *SECURITY_HEADERS]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def create_app(port: int = DEFAULT_PORT, max_upload_mb: float = DEFAULT_MAX_MB) -> Guard:
    settings = Settings(port, max_upload_mb)
    app = Starlette(routes=[
        Route("/", index, methods=["GET"]),
        Route("/check", check, methods=["POST"]),
        Route("/report/{fmt}", download, methods=["POST"]),
        Route("/static/{name}", static, methods=["GET"]),
    ], exception_handlers={HTTPException: http_error, Exception: internal_error})
    app.state.settings = settings
    return Guard(app, settings)


class ServeError(Exception):
    pass


def serve(port: int = DEFAULT_PORT, max_upload_mb: float = DEFAULT_MAX_MB, echo: Any = print) -> None:
    """Bind 127.0.0.1:PORT (never another address), say where, and serve until Ctrl+C."""
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as e:
        sock.close()
        raise ServeError(f"cannot listen on 127.0.0.1:{port}: {e.strerror}; is another collcheck serve running? "
                         "Try another port with --port") from None
    sock.listen(64)
    config = uvicorn.Config(create_app(port, max_upload_mb), log_level="warning", access_log=False,
                            server_header=False, proxy_headers=False, lifespan="off", ws="none",
                            timeout_graceful_shutdown=3, limit_concurrency=32)
    address = f"http://127.0.0.1:{port}/"
    echo(f"collcheck: 请在浏览器中打开 {address}")
    echo(f"collcheck: serving on {address} (local only; press Ctrl+C to stop; uploads up to {max_upload_mb:g} MB)")
    uvicorn.Server(config).run(sockets=[sock])

"""The ``collcheck`` command line (click).

Exit codes (contract): 0 no findings, 1 findings, 2 usage / input / rule-file error.
Errors are one line naming the file and line; no traceback reaches a user.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import click

from checker import __version__
from checker.io.formats import INPUT_FORMATS
from checker.pipeline import ScanRun  # noqa: F401 - was defined here

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _note(text: str, err: bool = True) -> None:
    """A note to the user on stderr, unless the command runs with --quiet."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.find_root().meta.get("collcheck.quiet"):
        return
    click.echo(f"collcheck: note: {text}", err=err)


def _fail(msg: str) -> None:
    click.echo(f"collcheck: {msg}", err=True)
    sys.exit(EXIT_ERROR)


def _open_output(path: str, newline: str | None = None) -> Any:
    """The -o file, or a clear error (no such folder, no permission) before any work."""
    try:
        return open(path, "w", encoding="utf-8", newline=newline)
    except OSError as e:
        _fail(f"{path}: cannot write: {e.strerror or e}")


def _pack_and_zone(pack_name: str, only_rules: tuple[str, ...], tz: str | None) -> tuple[Any, Any]:
    """The pack (only the --rule ids when given) and the --tz zone, or a clear error."""
    from checker.engine import zone

    pack = _load_pack(pack_name)
    if only_rules:
        try:
            pack = pack.subset(list(only_rules))
        except KeyError as e:
            _fail(f"no rule {e.args[0]!r} in pack {pack_name}; see `collcheck rules list`")
    try:
        return pack, zone(tz or pack.timezone)
    except Exception:
        _fail(f"--tz {tz!r} is not a known time zone (e.g. Asia/Shanghai)")
        raise  # unreachable: _fail exits


def _load_pack(name: str) -> Any:
    import gc

    # The compiled pack is ~200,000 objects that live until the command ends: out of the
    # collector's reach, each later collection walks only what the scan itself makes (the
    # first full collection after loading cost a one-line scan 0.12 s). Only the first pack a
    # process loads is frozen, so a program that runs commands in-process many times keeps at
    # most one pack beyond its life. The collector stays off until they are frozen: re-enabled
    # first (as load_pack does on its own), its first young collection walked them all once
    # more (0.1 s of every command's start).
    global _FROZEN
    was = gc.isenabled()
    if not _FROZEN:
        gc.disable()
    from checker.pack import PackError, load_pack  # (its modules, too, live as long as the command)

    try:
        pack = load_pack(name)
    except PackError as e:
        for err in e.errors:
            click.echo(f"collcheck: {err}", err=True)
        sys.exit(EXIT_ERROR)
    finally:
        if not _FROZEN:
            gc.freeze()
            _FROZEN = True
            if was:
                gc.enable()
    return pack


_FROZEN = False


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("collcheck: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as e:  # never show a traceback to a user
            click.echo(f"collcheck: internal error: {type(e).__name__}: {e} "
                       "(please report this with the command you ran)", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="collcheck")
def main() -> None:
    """collcheck: check debt-collection calls and messages against the law."""


def _columns_option(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """--columns is checked here and kept in ctx.meta for _read_inputs, so the commands'
    signatures need not carry it."""
    from checker.io import InputError
    from checker.io.table import parse_columns

    try:
        ctx.meta["collcheck.columns"] = parse_columns(value)
    except InputError as e:
        raise click.BadParameter(str(e)) from None


def _debtor_option(_ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> str | None:
    """--debtor given more than once (a number and a nickname) is one value, parts joined by commas."""
    return ",".join(v for v in value if v.strip()) or None


def _date_order_option(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """--date-order is kept in ctx.meta for _read_inputs, like --columns."""
    ctx.meta["collcheck.date_order"] = value


def _read_inputs(paths: tuple[str, ...], tz: Any, encoding: str | None, input_format: str | None,
                 collector_speakers: tuple[str, ...], debtor: str | None = None,
                 names: dict | None = None, unread: list | None = None) -> tuple[list, list]:
    """Read the inputs, showing each one's notes and rejected rows; ``names`` collects the
    names the exports give numbers (for checker.pipeline.resolve_parties). With several
    inputs, one that cannot be read at all is said at once and added to ``unread`` (the scan
    goes on with the rest and exits 2 at the end); a single input that cannot be read stops."""
    from checker.io import InputError
    from checker.pipeline import merge_names, read_inputs

    ctx = click.get_current_context(silent=True)
    columns = ctx.meta.get("collcheck.columns") if ctx is not None else None
    date_order = ctx.meta.get("collcheck.date_order") if ctx is not None else None

    def files() -> Any:  # lazily, so an unreadable file is reported after the earlier files' notes
        for p in paths:
            if p == "-":
                yield "stdin", sys.stdin.buffer.read()
                continue
            path = Path(p)
            if not path.exists():
                _fail(f"{p}: no such file")
            if path.is_dir():
                _fail(f"{p}: is a folder; give the files inside it")
            try:
                data = path.read_bytes()
            except OSError as e:
                _fail(f"{p}: cannot read: {e.strerror}")
            yield p, data

    def show(res: Any) -> None:
        for note in res.notes:
            _note(f"{note}", err=True)
        for r in res.rejected:
            click.echo(f"{r.file}:{r.line}: {r.reason}", err=True)
        if names is not None:
            merge_names(names, res.contact_names)

    failed: list[str] = []

    def skip(_name: str, e: Exception) -> None:  # several inputs: one that cannot be read does not stop the rest
        failed.append(str(e))  # said at the end, with the exit code (as a file of which no row could be read)

    try:
        events, summaries = read_inputs(files(), tz, encoding=encoding, input_format=input_format,
                                         collector_speakers=collector_speakers, columns=columns, on_read=show,
                                         debtor=debtor, date_order=date_order,
                                         on_error=skip if len(paths) > 1 else None)
    except InputError as e:
        _fail(str(e))
    if failed and not summaries:
        for msg in failed[:-1]:
            click.echo(f"collcheck: {msg}", err=True)
        _fail(failed[-1])
    if unread is not None:
        unread.extend(failed)
    return events, summaries


def input_options(f: Any) -> Any:
    """The options that say how to read the inputs and who is who, shared by `scan` and
    `report` (and documented once)."""
    options = [
        click.option("--pack", "pack_name", default="cn", show_default=True, help="Rule pack."),
        click.option("--tz", default=None,
                     help="Debtor's time zone for times without one (default: the pack's, Asia/Shanghai)."),
        click.option("--collector-speaker", "collector_speakers", multiple=True,
                     help="In pasted transcripts, the speaker label that is the collector (repeatable)."),
        click.option("--input-format", type=click.Choice(INPUT_FORMATS), default=None,
                     help="Override format sniffing (an XLSX / .xls workbook or a PDF is known by its bytes; "
                          "this says what its table or text holds)."),
        click.option("--columns", metavar="FIELD=COLUMN,...", default=None, expose_value=False,
                     callback=_columns_option,
                     help="Name a table's columns when its header is unknown: time=…,number=…,direction=…,"
                          "duration=… (header names or 1-based numbers; also date, status, text, name, debtor, "
                          "caller, callee; role, call, agent for a transcript table)."),
        click.option("--date-order", type=click.Choice(["dmy", "mdy", "ymd"]), default=None, expose_value=False,
                     callback=_date_order_option,
                     help="Read slashed dates such as 05/03/2024 in this order (dmy: 5 March; mdy: May 3; ymd: "
                          "24/03/05 is 2024-03-05) when the file cannot tell."),
        click.option("--encoding", default=None, help="Override encoding detection (e.g. gbk, utf-16)."),
        click.option("--numbers", "numbers_file", type=click.Path(dir_okay=False),
                     help="File of collector numbers: one collector per line, its name first (速易借: 02158889999 "
                          "16500001001); a line without a name is pooled with the other unnamed lines."),
        click.option("--debtor", multiple=True, callback=_debtor_option,
                     help="The debtor's own number (for logs that do not say it; in a 主叫号码 / 被叫号码 bill it "
                          "tells outgoing calls from incoming ones), or, when not a number, the debtor's own "
                          "speaker name / chat nickname in chats and transcripts (those lines are never judged). "
                          "Give both for a case with a bill and a chat: --debtor 13912345678 --debtor 阿强 "
                          "(or 13912345678,阿强)."),
        click.option("--third-party", "third_party", multiple=True, metavar="RELATION=FILE",
                     help="A relative's or colleague's own call / message log, e.g. 母亲=mum_calllog.csv "
                          "(repeatable)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@main.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE instead of stdout.")
@click.option("--strict", is_flag=True, help="Exit 2 if any input row was rejected.")
@click.option("--rule", "only_rules", multiple=True, help="Run only this rule id (repeatable).")
@click.option("--explain", is_flag=True, help="Show the clauses that fired and what was suppressed.")
@click.option("--ledger", is_flag=True, help="Also print the contact ledger (per day and collector) to stderr.")
@click.option("--jobs", "-j", type=click.IntRange(0, 256), default=0, show_default=True,
              help="Worker processes for JSONL batches (0: all cores). Output is the same for any value.")
@click.option("--summary", "want_summary", is_flag=True,
              help="Also print a QA summary (per rule, category, severity, agent, case; rates per 1,000 records) "
                   "to stderr.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display and no notes on stderr.")
def scan(paths: tuple[str, ...], pack_name: str, tz: str | None, fmt: str, output: str | None, strict: bool,
         collector_speakers: tuple[str, ...], input_format: str | None, encoding: str | None,
         only_rules: tuple[str, ...], explain: bool, numbers_file: str | None, debtor: str | None,
         third_party: tuple[str, ...], ledger: bool, jobs: int, want_summary: bool, quiet: bool) -> None:
    """Scan call logs, messages and transcripts (PATH... or - for stdin).

    Reads the JSONL batch contract (plain or gzip, streamed with --jobs workers) or
    pasted text with speaker labels (催收员: / 客服: / 对方: / 我: / A: / 说话人1: …), and
    call logs and message exports: CSV / TSV, XLSX and old .xls workbooks, XML backups,
    JSON, chat text, subtitles, and PDF bills or chats that have a text layer.
    """
    from checker.report.output import write_json, write_jsonl, write_table

    ctx = click.get_current_context()
    ctx.find_root().meta["collcheck.quiet"] = quiet
    plain_options = not (numbers_file or third_party or ledger or explain or encoding or collector_speakers
                         or ctx.meta.get("collcheck.columns"))
    if plain_options and input_format in (None, "jsonl"):
        import os

        from checker.batch import looks_jsonl

        # Big or compressed batches, or an explicit --jobs, take the streaming path; a small
        # file goes through the general reader (same findings), which also looks at the
        # parties and tells a person which numbers look like collectors'.
        big = any(p != "-" and (p.lower().endswith(".gz") or os.path.getsize(p) > 4 * 1024 * 1024)
                  for p in paths if os.path.exists(p))
        if (big or jobs) and all(looks_jsonl(p) for p in paths):
            _scan_streaming(paths, pack_name, tz, fmt, output, strict, only_rules, jobs, want_summary, quiet)

    run = _scan_run(paths, pack_name, tz, encoding, input_format, collector_speakers, numbers_file, debtor,
                    third_party, only_rules)
    compiled, tzi, events, summaries, findings = run.compiled, run.tz, run.events, run.summaries, run.findings
    if ledger:
        from checker import ledger as ledger_mod

        ledger_mod.write_table(ledger_mod.build(events, tzi), sys.stderr)
    suppressed = []
    if explain and fmt == "table":
        for ev in events:
            suppressed.extend((ev.id, rid, why) for rid, why in compiled.explain_suppressed(ev))
    out = _open_output(output) if output else sys.stdout
    try:
        if fmt == "json":
            write_json(findings, summaries, out)
        elif fmt == "jsonl":
            write_jsonl(findings, out)
        else:
            write_table(findings, summaries, out, explain=explain, suppressed=suppressed)
    finally:
        if output:
            out.close()
    records_by = None
    if want_summary:  # each agent's and case's own records, for their rates
        from collections import Counter

        records_by = {"agent": Counter(e.agent for e in events if e.agent is not None),
                      "case": Counter(e.case for e in events if e.case is not None)}
    _finish_scan(findings, summaries, records_by, want_summary, strict, bool(findings), run.unreadable)


def _finish_scan(findings: list, summaries: list, records_by: dict | None, want_summary: bool, strict: bool,
                 found: bool, unreadable: tuple[str, ...] = ()) -> None:
    """The end of every scan: the optional QA summary, then the contract's exit code. An
    input of which no row could be read is an input error (exit 2) once the output of
    the rest is written."""
    if want_summary:
        _write_summary([f.to_dict() for f in findings], sum(s.events for s in summaries), records_by,
                       sum(len(s.rejected) for s in summaries))
    if unreadable:
        for msg in unreadable:
            click.echo(f"collcheck: {msg}", err=True)
        sys.exit(EXIT_ERROR)
    rejected = sum(len(s.rejected) for s in summaries)
    if strict and rejected:
        click.echo(f"collcheck: {rejected} row(s) rejected and --strict is set", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if found else EXIT_CLEAN)


def _write_summary(findings: list[dict], records: int, records_by: dict | None, rejected: int = 0) -> None:
    from checker.summary import Summary, write

    s = Summary(records=records, rejected=rejected)
    if records_by:
        s.records_by = {k: v for k, v in records_by.items()}
    for f in findings:
        s.add(f)
    write(s, "table", sys.stderr)


def _scan_streaming(paths: tuple[str, ...], pack_name: str, tz: str | None, fmt: str, output: str | None,
                    strict: bool, only_rules: tuple[str, ...], jobs: int, want_summary: bool, quiet: bool) -> None:
    """JSONL batches: read line by line, findings written as they come (jsonl), memory
    flat in the input size, a process pool over all cores. Same output as one process."""
    import os
    import time

    from checker.batch import BatchInputError, FileStats, Rendered, render_jsonl, scan_stream
    from checker.report.output import write_json, write_table

    pack, _tzi = _pack_and_zone(pack_name, only_rules, tz)
    size = sum(os.path.getsize(p) for p in paths if p != "-")
    # A pool costs a fork and a rule compile per worker: worth it from a few MB on.
    workers = jobs or ((os.cpu_count() or 1) if size > 4 * 1024 * 1024 else 1)
    show = not quiet and sys.stderr.isatty()
    started = time.monotonic()
    counts = {"findings": 0, "shown": 0}

    def progress(rows: int, new: int) -> None:
        counts["findings"] += new
        if show and time.monotonic() - started > 2:
            sys.stderr.write(f"\rcollcheck: {rows:,} rows, {counts['findings']:,} findings …")
            sys.stderr.flush()
            counts["shown"] = 1

    def end_progress_line() -> None:
        """A message on stderr starts on a line of its own, not after the progress line."""
        if counts["shown"]:
            sys.stderr.write("\n")
            counts["shown"] = 0

    out = _open_output(output) if output else sys.stdout
    findings: list = []
    stats: list[FileStats] = []
    records_by: dict = {}
    n_findings = 0
    keep = fmt != "jsonl" or want_summary
    try:
        render = fmt == "jsonl" and not keep
        for item in scan_stream(paths, pack, tz or pack.timezone, workers, progress, records_by, render=render):
            if isinstance(item, FileStats):
                stats.append(item)
                if item.rejected or (item.unknown and not quiet):
                    end_progress_line()
                if not quiet:
                    for note in item.notes():
                        _note(note, err=True)
                for r in item.rejected:
                    click.echo(f"{r.file}:{r.line}: {r.reason}", err=True)
                continue
            if isinstance(item, Rendered):
                n_findings += item.count
                if hasattr(out, "buffer"):
                    out.flush()  # keep the order of what the text layer holds
                    out.buffer.write(item.data)
                else:
                    out.write(item.data.decode("utf-8"))
                continue
            n_findings += 1
            if fmt == "jsonl":
                out.write(render_jsonl(item) + "\n")
            if keep:
                findings.append(item)
        end_progress_line()
        summaries = [s.summary() for s in stats]
        if fmt == "json":
            write_json(findings, summaries, out)
        elif fmt == "table":
            write_table(findings, summaries, out)
    except BatchInputError as e:
        end_progress_line()
        _fail(str(e))
    except OSError as e:
        end_progress_line()
        _fail(f"{getattr(e, 'filename', '') or 'input'}: {e.strerror or e}")
    finally:
        if output:
            out.close()
    from checker.pipeline import unreadable_inputs

    summaries = [s.summary() for s in stats]
    _finish_scan(findings, summaries, records_by, want_summary, strict, n_findings > 0,
                 unreadable_inputs(summaries))


def _scan_run(paths: tuple[str, ...], pack_name: str, tz: str | None, encoding: str | None, input_format: str | None,
              collector_speakers: tuple[str, ...], numbers_file: str | None, debtor: str | None,
              third_party: tuple[str, ...], only_rules: tuple[str, ...] = ()) -> ScanRun:
    """Read the inputs, resolve the parties and scan: the pipeline `scan` and `report` share
    (checker.pipeline; the web page calls the same functions)."""
    from checker.pipeline import scan as run_pipeline_scan
    from checker.pipeline import unreadable_inputs

    pack, tzi = _pack_and_zone(pack_name, only_rules, tz)
    paths = _distinct_inputs(paths, third_party)
    names: dict = {}
    failed: list[str] = []
    events, summaries = _read_inputs(paths, tzi, encoding, input_format, collector_speakers, debtor, names, failed)
    unreadable = [*failed, *unreadable_inputs(summaries)]
    events, summaries = _apply_parties(events, summaries, numbers_file, debtor, third_party, tzi, encoding,
                                       input_format, collector_speakers, names, unreadable)
    return run_pipeline_scan(pack, tzi, events, summaries, tuple(unreadable))


def _distinct_inputs(paths: tuple[str, ...], third_party: tuple[str, ...]) -> tuple[str, ...]:
    """The inputs, each file once: a file given twice is read once (a note says so), and a file given
    both as the person's own and as a relative's log (--third-party 母亲=FILE) is an error — its
    findings would be counted twice, once as contacts with the person and once with the relative."""
    import os

    seen: dict[str, str] = {}
    out = []
    for p in paths:
        key = p if p == "-" else os.path.realpath(p)
        if key in seen:
            _note(f"{p}: given twice; read once", err=True)
            continue
        seen[key] = p
        out.append(p)
    for spec in third_party:
        path = spec.split("=", 1)[1] if "=" in spec else ""
        if path and path != "-" and os.path.realpath(path) in seen:
            _fail(f"{path}: given both as your own file and as a relative's or colleague's log (--third-party "
                  f"{spec}); give it once, where it belongs")
    return tuple(out)


def _apply_parties(events: list, summaries: list, numbers_file: str | None, debtor: str | None,
                   third_party: tuple[str, ...], tz: Any, encoding: str | None, input_format: str | None,
                   collector_speakers: tuple[str, ...], names: dict | None = None,
                   unreadable: list | None = None) -> tuple[list, list]:
    """Collector numbers, groups and third-party logs (see checker.parties and
    checker.pipeline.resolve_parties); the notes to the user are written here. A
    third-party log of which no row could be read is added to ``unreadable``."""
    from checker.parties import Directory, PartiesError, display_number, is_name, load_numbers
    from checker.pipeline import resolve_parties, unreadable_inputs

    try:
        directory = load_numbers(numbers_file) if numbers_file else Directory()
    except PartiesError as e:
        _fail(str(e))
    rel_logs = []
    for spec in third_party:
        if "=" not in spec:
            _fail(f"--third-party {spec!r}: expected RELATION=FILE, e.g. 母亲=mum_calllog.csv")
        relation, path = spec.split("=", 1)
        if not numbers_file:
            _fail("--third-party needs --numbers: only calls and messages from collector numbers in that "
                  "person's log are findings")
        evs, sums = _read_inputs((path,), tz, encoding, input_format, collector_speakers)
        if unreadable is not None:
            unreadable.extend(unreadable_inputs(sums))
        rel_logs.append((relation, evs, sums))
    parties = resolve_parties(events, summaries, directory, debtor, rel_logs, contact_names=names)
    exempt = parties.exempt_note()
    if exempt:
        k, numbers, shown, service = exempt
        what = []
        if shown:
            what.append(f"numbers your export names as saved contacts ({'、'.join(shown)}"
                        f"{' …' if numbers - len(service) > len(shown) else ''})")
        if service:
            what.append(f"the carriers' service numbers ({', '.join(service)})")
        _note(f"no --numbers given: {k} incoming call(s) / message(s) from {numbers} "
                   f"number(s) are not judged as collector contacts (counted as filtered): {' and '.join(what)}. "
                   "Pass --numbers FILE to judge exactly the numbers you list.", err=True)
    unlisted = parties.unlisted_note()
    if unlisted:
        _note(f"{unlisted}.", err=True)
    if parties.judged_numbers:
        sus = parties.suspects
        _note(f"no --numbers given: all {parties.judged_numbers} incoming number(s) or chat sender(s) are judged "
                   "as possible collectors.", err=True)
        for s_ in sus[:10]:
            what = "a collector's chat account" if is_name(s_.number) else "a collection number"
            _note(f"{display_number(s_.number)} looks like {what}: {'；'.join(s_.reasons)}", err=True)
        if len(sus) > 10:
            _note(f"… and {len(sus) - 10} more such numbers", err=True)
        if sus:
            _note("list the collectors' numbers in a file and pass --numbers FILE "
                       "to judge only them.", err=True)
    return parties.events, parties.summaries


@main.group()
def rules() -> None:
    """List, show, test and validate rules."""


@rules.command("list")
@click.option("--pack", "pack_name", default="cn", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def rules_list(pack_name: str, fmt: str) -> None:
    """List the pack's rules."""
    pack = _load_pack(pack_name)
    if fmt == "json":
        click.echo(json.dumps([{"id": r.id, "category": r.category, "severity": r.severity, "title": r.title,
                                "kind": r.kind} for r in pack.rules], ensure_ascii=False, indent=2))
        return
    for r in pack.rules:
        click.echo(f"{r.id:<62} {r.severity:<8} {r.title}")
    click.echo(f"{len(pack.rules)} rules, pack {pack.name} {pack.version}")


@rules.command("show")
@click.argument("rule_id")
@click.option("--pack", "pack_name", default="cn", show_default=True)
def rules_show(rule_id: str, pack_name: str) -> None:
    """Show one rule with its citations resolved."""
    from checker.report.output import citation_line

    pack = _load_pack(pack_name)
    try:
        r = pack.rule(rule_id)
    except KeyError:
        _fail(f"no rule {rule_id!r} in pack {pack_name}; see `collcheck rules list`")
    click.echo(f"{r.id}  ({r.category}, {r.severity}, {r.kind})\n{r.title}\n")
    click.echo(f"{r.message}\n")
    for key in r.citations:
        click.echo(f"依据 [{key}] {citation_line(pack.provisions[key].cite(None))}")
    click.echo(f"\nfile: {Path(r.file).name}")
    for kind in ("fail", "pass", "todo_fail", "todo_pass"):
        for ex in r.examples.get(kind) or []:
            click.echo(f"  {kind}: {ex if isinstance(ex, str) else json.dumps(ex, ensure_ascii=False)}")


@rules.command("test")
@click.argument("rule_ids", nargs=-1)
@click.option("--pack", "pack_name", default="cn", show_default=True)
@click.option("-v", "--verbose", is_flag=True)
def rules_test(rule_ids: tuple[str, ...], pack_name: str, verbose: bool) -> None:
    """Run rules' own examples, each rule alone. Exit 1 if any example misbehaves."""
    from checker.examples import run_examples

    pack = _load_pack(pack_name)
    ids = list(rule_ids) or [r.id for r in pack.rules]
    bad = total = 0
    for rid in ids:
        try:
            results = run_examples(pack, rid)
        except KeyError:
            _fail(f"no rule {rid!r} in pack {pack_name}")
        for res in results:
            total += 1
            if res.ok:
                if verbose:
                    click.echo(f"ok    {res.describe()}")
                continue
            bad += 1
            if res.kind in ("todo_fail", "todo_pass"):
                click.echo(f"FIXED {res.describe()}  (a todo example now behaves: move it to "
                           f"{res.kind[5:]})")
            elif res.kind == "fail":
                click.echo(f"MISS  {res.describe()}")
            else:
                f = res.findings[0]
                click.echo(f"FALSE {res.describe()}  -> 「{f.evidence}」 via {'; '.join(f.explanation.clauses)}")
    click.echo(f"{total - bad} passed, {bad} failed")
    sys.exit(1 if bad else 0)


@rules.command("validate")
@click.option("--pack", "pack_name", default="cn", show_default=True)
@click.option("--explain-prefilter", is_flag=True,
              help="List rules whose clauses cannot all be reduced to literal anchors.")
def rules_validate(pack_name: str, explain_prefilter: bool) -> None:
    """Check every rule file, word list and provision; exit 2 naming file and line on error."""
    pack = _load_pack(pack_name)
    click.echo(f"{len(pack.rules)} rules, {len(pack.provisions)} provisions, {len(pack.lexicon)} word lists: OK")
    if explain_prefilter:
        from checker.matchers.text import COMMON_WORDS

        cp = pack.compiled()
        click.echo(f"prefilter: {len(cp.rules_by_literal)} key literals in one Aho-Corasick automaton; "
                   f"{len(cp.automaton) if cp._has_literals else 0} literals in all")
        click.echo("every text rule is anchored by literals: an utterance without a key literal skips matching "
                   "and the NLP stage. Rules below cost more:")
        for tr in cp.text_rules:
            notes = []
            keys = tr.anchor_literals()
            weak = sorted(k for k in keys if k in COMMON_WORDS or len(k) == 1)
            if weak:
                notes.append(f"keyed partly on common words ({', '.join(weak[:6])}) so it wakes often")
            costly = sorted({c.label.split("[")[0] for p in tr.patterns for c in (*p.require, *p.unless)
                             if c.kind != "any"})
            if costly:
                notes.append(f"runs {' and '.join(costly)} conditions on candidate sentences")
            if notes:
                click.echo(f"  {tr.rule.id}: {'; '.join(notes)}")
        for r, name, _col, th in cp.model_plan:
            click.echo(f"  {r.id}: model rule ({name}, threshold {1 / (1 + math.exp(-th)):.2f}): no literal "
                       "anchor — it scores every judged text (the batch fast path scores a whole chunk at once)")


@main.command("summary")
@click.argument("findings_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--records", type=click.IntRange(1), default=None, help="Records scanned, for rates per 1,000.")
@click.option("--batch", "batches", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="The JSONL batch(es) that were scanned (plain or gzip): records are counted overall and per "
                   "agent and case, for every rate per 1,000 (instead of --records).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE.")
def summary_cmd(findings_file: str, records: int | None, batches: tuple[str, ...], fmt: str,
                output: str | None) -> None:
    """QA summary of a findings JSONL file (from `scan --format jsonl`)."""
    from checker.batch import open_lines
    from checker.summary import Summary, count_records, write

    if records is not None and batches:
        _fail("give --records or --batch, not both (--batch counts the records itself)")
    s = Summary(records=records)
    if batches:
        try:
            s.records, s.records_by, left_out = count_records(batches)
            s.rejected = sum(left_out.values())
            for path, n in left_out.items():
                _note(f"{path}: {n} line(s) are no record (the scan rejected them too); not counted")
        except ValueError as e:
            _fail(str(e))
        except OSError as e:
            _fail(f"{getattr(e, 'filename', '') or 'batch'}: cannot be read ({e})")
    try:
        for lineno, raw in enumerate(open_lines(findings_file), 1):  # plain or gzip, as scan reads
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                _fail(f"{findings_file}:{lineno}: not UTF-8 text (expected the output of scan --format jsonl)")
            try:
                obj = json.loads(line)
            except ValueError:
                _fail(f"{findings_file}:{lineno}: not a JSON finding (expected output of scan --format jsonl)")
            if not isinstance(obj, dict) or "rule" not in obj:
                _fail(f"{findings_file}:{lineno}: not a finding object (no \"rule\")")
            s.add(obj)
    except OSError as e:  # a damaged gzip file
        _fail(f"{findings_file}: cannot be read ({e})")
    out = _open_output(output, newline="") if output else sys.stdout
    try:
        write(s, fmt, out)
    finally:
        if output:
            out.close()


@main.command("eval")
@click.argument("paths", nargs=-1, required=True)
@click.option("--pack", "pack_name", default="cn", show_default=True)
@click.option("--tz", default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--errors", "show_errors", is_flag=True, help="List false positives and misses.")
def eval_cmd(paths: tuple[str, ...], pack_name: str, tz: str | None, fmt: str, show_errors: bool) -> None:
    """Precision / recall / F1 per category against each record's `labels`."""
    from checker.engine import scan as run_scan
    from checker.engine import zone
    from checker.evaluate import evaluate

    pack = _load_pack(pack_name)
    tzi = zone(tz or pack.timezone)
    events, _ = _read_inputs(paths, tzi, None, None, ())
    findings = list(run_scan(events, pack.compiled(), tzi))
    ev = evaluate(events, findings)
    if ev.records == 0:
        _fail("no record carries a `labels` list; nothing to evaluate")
    if fmt == "json":
        click.echo(json.dumps(ev.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{'category':<30} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}")
    for cat, s in sorted(ev.per_category.items()):
        click.echo(f"{cat:<30} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}")
    m = ev.micro
    click.echo(f"{'micro':<30} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} {m.tp:5d} {m.fp:5d} {m.fn:5d}")
    click.echo(f"{ev.records} labelled records")
    if show_errors:
        for e in ev.errors:
            click.echo(f"{e['type'].upper()} {e['category']:<28} {e['record']} [{e['speaker']}] "
                       f"{','.join(e['rules'])} {e['time'] or ''} {e['text']}")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The report: report.html, report.pdf, report.md or report.json (format from the extension).")
@click.option("--redact", is_flag=True,
              help="Mask the debtor's number, third parties' numbers and names, and ID numbers "
                   "(collector numbers stay).")
@click.option("--redact-name", "redact_names", multiple=True, metavar="NAME",
              help="With --redact, also mask this person's name wherever it occurs (repeatable).")
def report(paths: tuple[str, ...], output: str, numbers_file: str | None, debtor: str | None,
           third_party: tuple[str, ...], redact: bool, redact_names: tuple[str, ...], pack_name: str, tz: str | None,
           collector_speakers: tuple[str, ...], input_format: str | None, encoding: str | None) -> None:
    """Write an evidence report (HTML, PDF, Markdown or JSON) for a complaint.

    Summary, charts, findings timeline, the cited provisions, an evidence manifest
    with SHA-256 of every input, where to complain and a draft to edit. The report's
    own SHA-256 goes to OUTPUT.sha256.
    """
    from checker.report.fonts import FontMissing
    from checker.report.model import build
    from checker.report.write import FORMATS, format_for, write_report

    fmt = format_for(output)
    if fmt is None:
        _fail(f"-o {output}: the report's file name must end in {', '.join(sorted(FORMATS))}")
    run = _scan_run(paths, pack_name, tz, encoding, input_format, collector_speakers, numbers_file, debtor,
                    third_party)
    if run.unreadable:  # an evidence report must not pass over an input it could not read
        for msg in run.unreadable[:-1]:
            click.echo(f"collcheck: {msg}", err=True)
        _fail(f"{run.unreadable[-1]}; no report written")
    groups: dict[str, str] = {}
    numbers_entry = None
    if numbers_file:
        from checker.parties import load_numbers
        from checker.pipeline import numbers_entry as manifest_entry

        groups = dict(load_numbers(numbers_file).groups)
        numbers_entry = manifest_entry(numbers_file, Path(numbers_file).read_bytes(), Path(numbers_file).name)
    rep = build(run.findings, run.events, run.summaries, run.pack, run.tz, debtor=debtor, collector_groups=groups,
                numbers_file=numbers_entry, redact=redact, redact_names=redact_names,
                report_name=Path(output).name)
    try:
        digest = write_report(rep, output, fmt)
    except FontMissing as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"{output}: cannot write: {e.strerror}")
    click.echo(f"collcheck: wrote {output} ({len(run.findings)} finding(s)); SHA-256 {digest[:16]}… in "
               f"{output}.sha256", err=True)
    sys.exit(EXIT_FINDINGS if run.findings else EXIT_CLEAN)


@main.command()
@click.argument("report_file", metavar="REPORT")
@click.argument("inputs", nargs=-1)
def verify(report_file: str, inputs: tuple[str, ...]) -> None:
    """Re-hash the inputs of REPORT (report.json, .html or .md) and say which match.

    INPUTS default to the files named in the report's evidence manifest. Also checks
    REPORT against REPORT.sha256 when that file exists. Exit 0 all match, 1 a file
    changed, is missing or is not in the report, 2 the report cannot be read.
    """
    from checker.report.verify import VerifyError
    from checker.report.verify import verify as run_verify

    if not Path(report_file).is_file():
        _fail(f"{report_file}: no such file")
    try:
        checks, own = run_verify(Path(report_file), list(inputs))
    except VerifyError as e:
        _fail(str(e))
    label = {"match": "一致", "mismatch": "不一致", "missing": "缺失", "unknown": "不在报告中", "skipped": "无法核对"}
    for c in [*checks, *([own] if own else [])]:
        line = f"{c.status.upper():<9} {label[c.status]}  {c.file}"
        if c.status == "mismatch":
            line += f"  报告记录 {c.expected}，现在 {c.actual}"
        if c.note:
            line += f"  （{c.note}）"
        click.echo(line)
    done = [c for c in [*checks, *([own] if own else [])] if c.status != "skipped"]
    bad = [c for c in done if c.status != "match"]
    click.echo(f"{len(done) - len(bad)} 个一致，{len(bad)} 个有问题" if bad else f"全部 {len(done)} 个文件与报告一致")
    sys.exit(1 if bad else 0)


@main.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 (the page is served on this computer only, never on other addresses).")
@click.option("--max-upload-mb", type=click.FloatRange(0.1, 4096), default=20, show_default=True,
              help="Largest upload in MB: all files and pasted text of one check together.")
def serve(port: int, max_upload_mb: float) -> None:
    """A local web page on 127.0.0.1 for people who do not use a terminal.

    Prints the address to open in a browser. Paste a transcript or choose files, see the
    findings and download the HTML or PDF report. Nothing is kept after a page is answered.
    """
    try:
        from checker.web.app import ServeError
        from checker.web.app import serve as run_server
    except ImportError as e:
        _fail(f"the web page needs the package {e.name!r}: pip install collcheck brings it "
              "(starlette, uvicorn, python-multipart)")
    try:
        run_server(port, max_upload_mb, echo=click.echo)
    except ServeError as e:
        _fail(str(e))

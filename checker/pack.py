"""Loading a rule pack: pack settings, word lists, provisions and rules.

A pack is a folder (``rules/<pack>/``) holding ``pack.yaml``, ``lexicon/*.yaml``,
``laws.yaml`` and one YAML file per rule. Loading validates everything and raises
:class:`PackError` listing every problem with file and line; nothing is half-loaded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from checker.model import Citation
from checker.schema import SchemaError, check_laws, check_rule, load_yaml_nodes


class PackError(Exception):
    """One or more rule-pack files are invalid."""

    def __init__(self, errors: list[SchemaError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def rules_root() -> Path:
    """The folder holding the packs: ``$COLLCHECK_RULES``, else the checkout's ``rules/``
    beside this package (a source tree), else the copy installed as ``checker_rules``."""
    env = os.environ.get("COLLCHECK_RULES")
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parent.parent / "rules"
    if (beside / "cn" / "pack.yaml").is_file():
        return beside
    try:
        from importlib.resources import files

        root = Path(str(files("checker_rules")))
        if (root / "cn").is_dir():
            return root
    except (ModuleNotFoundError, TypeError):
        pass
    return beside


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    category: str
    severity: str
    applies_to: tuple[str, ...]
    speaker: str
    message: str
    citations: tuple[str, ...]
    match: dict[str, Any]
    examples: dict[str, list[Any]]
    file: str
    line: int = 1
    aliases: tuple[str, ...] = ()
    notes: str = ""

    @property
    def kind(self) -> str:
        return self.match["kind"]


@dataclass(frozen=True)
class Provision:
    key: str
    law: str
    kind: str
    versions: tuple[dict[str, Any], ...]  # newest first

    def cite(self, on: date | None) -> Citation:
        """The version in force on ``on`` (or today when the conduct date is unknown)."""
        when = on or date.today()
        chosen = None
        for v in self.versions:
            eff, until = _as_date(v.get("effective")), _as_date(v.get("until"))
            if (eff is None or eff <= when) and (until is None or when <= until):
                chosen = v
                break
        note_parts = []
        if chosen is None:
            chosen = self.versions[0]
            note_parts.append("行为发生时本条尚未施行，列出现行版本供参考")
        elif on is not None and chosen.get("effective") is None:
            # a guideline whose start date is not known cannot apply before it was published
            published = published_on(str(chosen.get("version", "")))
            if published is not None and on < published:
                note_parts.append(f"行为发生时本规定尚未发布（{published.year}年{published.month}月"
                                  f"{published.day}日发布），列出供参考")
        if on is None and len(self.versions) > 1:
            note_parts.append("行为时间不明，按现行版本引用")
        if chosen.get("note"):
            note_parts.insert(0, str(chosen["note"]))
        return Citation(
            key=self.key,
            law=chosen.get("law") or self.law,
            article=str(chosen["article"]),
            text=str(chosen["text"]).strip(),
            status=chosen["status"],
            version=str(chosen.get("version", "")),
            effective=_iso(chosen.get("effective")),
            until=_iso(chosen.get("until")),
            source=str(chosen.get("source", "")),
            kind=self.kind,
            note="".join(p if i == 0 or note_parts[i - 1].endswith(("。", "；")) else "；" + p
                         for i, p in enumerate(note_parts)) or None,
        )


_PUBLISHED = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[^，；;,]{0,16}?发布")


def published_on(version: str) -> date | None:
    """The day a version's own words say it was published (2026年1月30日发布（试行） /
    2024年5月15日发布), the earliest day it can apply when its start date is not known."""
    from checker.io.times import ymd

    return ymd(_PUBLISHED.search(version or ""))


def _as_date(v: Any) -> date | None:
    if v is None:
        return None
    if isinstance(v, date):
        return v
    return date.fromisoformat(str(v))


def _iso(v: Any) -> str | None:
    d = _as_date(v)
    return d.isoformat() if d else None


@dataclass
class Pack:
    name: str
    root: Path
    settings: dict[str, Any]
    lexicon: dict[str, list[str]]
    provisions: dict[str, Provision]
    rules: list[Rule]
    _compiled: Any = field(default=None, repr=False)
    # the on-disk cache entry this pack was read from or written to (``load_pack``); entries
    # derived from the compiled pack share its key (``read_derived``). None for a subset
    # (``--rule``) or when the cache is off: nothing derived is then cached either.
    cache_entry: Path | None = field(default=None, repr=False, compare=False)

    @property
    def version(self) -> str:
        return str(self.settings.get("version", "0"))

    @property
    def timezone(self) -> str:
        return str(self.settings.get("timezone", "UTC"))

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id or rule_id in r.aliases:
                return r
        raise KeyError(rule_id)

    def subset(self, rule_ids: list[str]) -> Pack:
        """A pack with only these rules (used to run a rule's examples with that rule alone)."""
        keep = [self.rule(i) for i in rule_ids]
        return Pack(self.name, self.root, self.settings, self.lexicon, self.provisions, keep)

    def __getstate__(self) -> dict[str, Any]:
        # Ship the rules, not the compiled automaton: each process compiles once itself
        # (Spark broadcast, process pools).
        state = dict(self.__dict__)
        state["_compiled"] = None
        return state

    def compiled(self) -> Any:
        if self._compiled is None:
            from checker.engine import CompiledPack

            self._compiled = CompiledPack(self)
        return self._compiled


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise PackError([SchemaError(str(path), 1, f"not UTF-8: {e}")]) from None


def load_pack(name: str = "cn", root: Path | None = None) -> Pack:
    """Load, check and compile a rule pack; a pack loaded before with the same files and
    the same collcheck comes from the on-disk cache (see ``_cache_path``)."""
    base = (root or rules_root()) / name
    if not base.is_dir():
        raise PackError([SchemaError(str(base), 1, f"no rule pack named {name!r} here")])
    cache = _cache_path(base)
    with _gc_paused():
        if cache is not None:
            pack = _cache_read(cache)
            if pack is not None:
                pack.cache_entry = cache
                return pack
        pack = _load_pack(name, base)
    if cache is not None:
        pack.cache_entry = cache
        _cache_write(cache, pack)
    return pack


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading the CN pack creates ~200,000 tuples, dicts and frozensets that live as long as
    the process; each generation-0 collection while they are made walks the ones made so far,
    which tripled the cache's load time (0.17 s unpickling with the collector paused, 0.6 s
    without). Nothing made here is garbage, so the collector waits until the pack is built."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# ------------------------------------------------------------------ compiled-pack cache
# Compiling the CN pack (YAML, 20,000 phrases normalised, two automata) takes ~0.6 s; a
# pickle of the result loads in ~0.1 s. The cache key is a hash of every file of the pack,
# of collcheck's own source and of the Python and pyahocorasick versions, so any change
# to a rule or to the code makes a new entry. The cache lives in $COLLCHECK_CACHE_DIR,
# else $XDG_CACHE_HOME/collcheck, else ~/.cache/collcheck; COLLCHECK_NO_CACHE=1 turns it
# off. Only collcheck writes it (a user's own cache folder, mode 0700); anything unreadable
# there is ignored and rebuilt. At most 16 entries are kept.

def _cache_dir() -> Path | None:
    import os

    if os.environ.get("COLLCHECK_NO_CACHE"):
        return None
    d = os.environ.get("COLLCHECK_CACHE_DIR")
    if d:
        return Path(d)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "collcheck" if xdg else Path.home() / ".cache" / "collcheck"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    import hashlib
    import sys
    from importlib.metadata import PackageNotFoundError, version

    def ver(dist: str) -> str:
        try:
            return version(dist)
        except PackageNotFoundError:
            return ""

    # Python (unicodedata), and the packages whose data ends up in the compiled pack
    h = hashlib.sha256("|".join([sys.version, ver("pyahocorasick"), ver("opencc"), ver("google-re2")]).encode())
    for f in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _cache_path(base: Path) -> Path | None:
    import hashlib

    d = _cache_dir()
    if d is None:
        return None
    try:
        h = hashlib.sha256(_code_digest().encode())
        h.update(str(base.resolve()).encode())
        for f in sorted(base.rglob("*")):
            if f.is_file():
                h.update(str(f.relative_to(base)).encode() + b"\0")
                h.update(f.read_bytes())
    except OSError:
        return None
    return d / f"pack-{base.name}-{h.hexdigest()[:32]}.pickle"


def _cache_read(path: Path) -> Pack | None:
    import pickle

    try:
        with open(path, "rb") as f:
            pack, compiled = pickle.load(f)
    except Exception:  # noqa: BLE001 - a missing, stale or broken entry is rebuilt
        return None
    if not isinstance(pack, Pack) or compiled.pack is not pack:
        return None
    pack._compiled = compiled
    return pack


def _cache_write(path: Path, pack: Pack) -> None:
    # (the batch fast path's tables are a separate entry, ``read_derived``: in this one,
    # unpickling them would cost a one-line scan more start-up time than they save it)
    _write_entry(path, lambda: (pack, pack.compiled()), "pack")


def _write_entry(path: Path, make: Any, kind: str) -> None:
    """Write ``make()`` pickled to ``path`` (atomically: a temporary file renamed), keeping
    the 16 newest entries of this kind."""
    import os
    import pickle
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = pickle.dumps(make(), protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        entries = sorted(path.parent.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-16]:
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
        return


# Entries derived from a compiled pack that only some commands need (the batch fast path's
# tables, ``checker.fastpath.prepare``) are kept beside the pack's entry under the same key
# (``<kind>-<pack>-<key>.pickle``): a change to a rule or to the code makes a new one, and
# they are read only by the code that needs them, never at pack load.

def _derived_path(pack: Pack, kind: str) -> Path | None:
    entry = pack.cache_entry
    if entry is None or _cache_dir() is None or not entry.name.startswith("pack-"):
        return None
    return entry.with_name(f"{kind}-{entry.name[len('pack-'):]}")


def read_derived(pack: Pack, kind: str) -> Any:
    """The ``kind`` entry derived from this pack, or None (no cache, none yet, unreadable)."""
    import pickle

    path = _derived_path(pack, kind)
    if path is None:
        return None
    try:
        with open(path, "rb") as f, _gc_paused():  # (see _gc_paused: nothing read is garbage)
            return pickle.load(f)
    except Exception:  # noqa: BLE001 - a missing, stale or broken entry is rebuilt
        return None


def write_derived(pack: Pack, kind: str, obj: Any) -> None:
    """Keep ``obj`` as this pack's ``kind`` entry (nothing when the pack has no cache entry)."""
    path = _derived_path(pack, kind)
    if path is not None:
        _write_entry(path, lambda: obj, kind)


def _check_folds(settings: Any, file: str) -> list[SchemaError]:
    """An ``asr_fixes`` entry must keep the text's length (a finding's span and evidence are
    offsets into the original text): one that does not would be left out silently, so it is an
    error here (``rules validate``, and loading the pack)."""
    from checker.nlp.normalize import normalise_phrase

    fixes = settings.get("asr_fixes") if isinstance(settings, dict) else None
    if not isinstance(fixes, dict):
        return []
    out = []
    for k, v in fixes.items():
        a, b = len(normalise_phrase(str(k))), len(normalise_phrase(str(v)))
        if a != b:
            out.append(SchemaError(file, 1, f"asr_fixes: '{k}' → '{v}' changes the text's length ({a} → {b} "
                                            "characters after normalising); a fold must keep it, so that spans "
                                            "still point into the original text — write the other spelling into "
                                            "the rules instead"))
    return out


def _load_pack(name: str, base: Path) -> Pack:
    errors: list[SchemaError] = []

    settings: dict[str, Any] = {}
    pack_file = base / "pack.yaml"
    if pack_file.exists():
        try:
            settings, _ = load_yaml_nodes(_read(pack_file), str(pack_file))
            settings = settings or {}
        except SchemaError as e:
            errors.append(e)
        errors.extend(_check_folds(settings, str(pack_file)))

    lexicon: dict[str, list[str]] = {}
    lex_dir = base / "lexicon"
    for lf in sorted(lex_dir.glob("*.yaml")) if lex_dir.is_dir() else []:
        try:
            doc, node = load_yaml_nodes(_read(lf), str(lf))
        except SchemaError as e:
            errors.append(e)
            continue
        if not isinstance(doc, dict):
            errors.append(SchemaError(str(lf), 1, "a lexicon file maps names to lists of phrases"))
            continue
        for k, v in doc.items():
            if k in lexicon:
                errors.append(SchemaError(str(lf), 1, f"word list @{k} is defined twice"))
            elif not isinstance(v, list) or not all(isinstance(x, (str, int)) for x in v):
                errors.append(SchemaError(str(lf), 1, f"word list @{k} must be a list of strings"))
            else:
                lexicon[str(k)] = [str(x) for x in v]

    provisions: dict[str, Provision] = {}
    laws_file = base / "laws.yaml"
    if laws_file.exists():
        try:
            doc, node = load_yaml_nodes(_read(laws_file), str(laws_file))
            errs = check_laws(doc, node, str(laws_file))
            errors.extend(errs)
            if not errs:
                for key, p in doc["provisions"].items():
                    versions = p.get("versions") or [p]
                    provisions[str(key)] = Provision(str(key), p["law"], p.get("kind", "statute"),
                                                     tuple(versions))
        except SchemaError as e:
            errors.append(e)
    else:
        errors.append(SchemaError(str(laws_file), 1, "the pack has no laws.yaml"))

    rules: list[Rule] = []
    skip = {"pack.yaml", "laws.yaml"}
    for rf in sorted(base.rglob("*.yaml")):
        rel = rf.relative_to(base)
        if rel.parts[0] == "lexicon" or str(rel) in skip:
            continue
        expected = ".".join((name, *rel.with_suffix("").parts))
        try:
            doc, node = load_yaml_nodes(_read(rf), str(rf))
        except SchemaError as e:
            errors.append(e)
            continue
        errs = check_rule(doc, node, str(rf), expected)
        if not errs:
            for i, key in enumerate(doc["citations"]):
                if key not in provisions and provisions:
                    errs.append(SchemaError(str(rf), _citation_line(node, i),
                                            f"citation {key!r} is not in {name}/laws.yaml"))
        errors.extend(errs)
        if errs:
            continue
        kind = doc["match"]["kind"]
        default_channels = {"text": ("sms", "wechat", "transcript"),
                            "contact_hours": ("call", "sms", "wechat", "transcript"),
                            "contact_frequency": ("call",),
                            "third_party_log": ("call", "sms", "wechat"),
                            "model": ("sms", "wechat", "transcript")}[kind]
        rules.append(Rule(
            id=doc["id"], title=doc["title"], category=doc["category"], severity=doc["severity"],
            applies_to=tuple(doc.get("applies_to") or default_channels),
            speaker=doc.get("speaker", "collector"), message=doc["message"].strip(),
            citations=tuple(doc["citations"]), match=doc["match"],
            examples={k: list(doc["examples"].get(k) or []) for k in ("fail", "pass", "todo_fail", "todo_pass")},
            file=str(rf), line=1, aliases=tuple(doc.get("aliases") or ()), notes=doc.get("notes", ""),
        ))
    ids = [r.id for r in rules]
    for rid in {i for i in ids if ids.count(i) > 1}:
        errors.append(SchemaError(str(base), 1, f"rule id {rid!r} is used twice"))
    pack = Pack(name, base, settings, lexicon, provisions, rules)
    if not errors:
        try:
            pack.compiled()
        except PackError as e:
            errors.extend(e.errors)
    if errors:
        raise PackError(errors)
    return pack


def _citation_line(node: Any, i: int) -> int:
    from checker.schema import _child, _item, _line

    return _line(_item(_child(node, "citations"), i))


@lru_cache(maxsize=4)
def cached_pack(name: str = "cn") -> Pack:
    return load_pack(name)

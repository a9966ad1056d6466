"""One schema for rule files, checked at load with file and line in every error.

Rule files are data from users too, so they are parsed with the safe YAML loader and
every key and value is checked before anything is compiled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from checker.model import CATEGORIES, CHANNELS, SEVERITIES, SPEAKERS, STATUSES


@dataclass(frozen=True)
class SchemaError(Exception):
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def load_yaml_nodes(text: str, file: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML safely; return (python value, root node)."""
    try:
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise SchemaError(file, line, f"YAML syntax error: {e.problem or e}") from None
    except yaml.YAMLError as e:
        raise SchemaError(file, 1, f"YAML error: {e}") from None
    _no_duplicate_keys(node, file)
    return value, node


def _no_duplicate_keys(root: yaml.Node | None, file: str) -> None:
    """A key given twice in one mapping (two ``unless:`` in one pattern) would silently keep
    only the last: a SchemaError naming its line instead."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        raise SchemaError(file, _line(k), f"the key '{k.value}' appears twice in one mapping (the "
                                                          "second would silently replace the first); merge them")
                    seen.add(k.value)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


# libyaml's safe loader when available: same safety, ~10x faster start-up.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _line(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _key_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, _v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k
    return None


def _item(node: yaml.Node | None, i: int) -> yaml.Node | None:
    if isinstance(node, yaml.SequenceNode) and i < len(node.value):
        return node.value[i]
    return node


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[SchemaError] = []

    def err(self, node: yaml.Node | None, msg: str) -> None:
        self.errors.append(SchemaError(self.file, _line(node), msg))

    def mapping(self, value: Any, node: yaml.Node | None, where: str, allowed: dict[str, bool]) -> bool:
        if not isinstance(value, dict):
            self.err(node, f"{where} must be a mapping")
            return False
        for k in value:
            if k not in allowed:
                self.err(_key_node(node, k) or node,
                         f"unknown key {k!r} in {where}; allowed: {', '.join(sorted(allowed))}")
        for k, required in allowed.items():
            if required and k not in value:
                self.err(node, f"{where} is missing required key {k!r}")
        return True

    def string(self, value: Any, node: yaml.Node | None, where: str) -> bool:
        if not isinstance(value, str) or not value.strip():
            self.err(node, f"{where} must be a non-empty string")
            return False
        return True

    def enum(self, value: Any, node: yaml.Node | None, where: str, allowed: tuple[str, ...]) -> None:
        if value not in allowed:
            self.err(node, f"{where} is {value!r}; allowed: {', '.join(allowed)}")

    def str_list(self, value: Any, node: yaml.Node | None, where: str, nonempty: bool = True) -> None:
        if not isinstance(value, list) or (nonempty and not value):
            self.err(node, f"{where} must be a {'non-empty ' if nonempty else ''}list of strings")
            return
        for i, v in enumerate(value):
            if not isinstance(v, str) or not v.strip():
                self.err(_item(node, i), f"{where}[{i}] must be a non-empty string")


RULE_KEYS = {
    "id": True, "title": True, "category": True, "severity": True, "applies_to": False,
    "speaker": False, "message": True, "citations": True, "match": True, "examples": True,
    "aliases": False, "notes": False, "pack": False,
}
TEXT_MATCH_KEYS = {"kind": True, "patterns": True, "unless": False, "negation": False,
                   "reported_speech": False, "gap": False}
PATTERN_KEYS = {"anchor": True, "require": False, "unless": False, "negation": False,
                "reported_speech": False}
CONDITION_KEYS = {"any": False, "tokens": False, "regex": False, "within": False, "side": False,
                  "scope": False}
HOURS_KEYS = {"kind": True, "start": True, "end": True}
FREQ_KEYS = {"kind": True, "count": True, "per": True, "max": True}
MODEL_KEYS = {"kind": True, "model": True, "threshold": True, "unless_any": False, "withhold_below": False}
EXAMPLE_KEYS = {"fail": False, "pass": False, "todo_fail": False, "todo_pass": False}
EXAMPLE_RECORD_KEYS = {"id": False, "text": False, "speaker": False, "time": False, "channel": False,
                       "direction": False, "from": False, "to": False, "status": False,
                       "duration_s": False, "agent": False, "case": False, "records": False,
                       "note": False, "relation": False}
MATCH_KINDS = ("text", "contact_hours", "contact_frequency", "third_party_log", "model")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def check_rule(doc: Any, node: yaml.Node | None, file: str, expected_id: str | None) -> list[SchemaError]:
    c = _Checker(file)
    if not c.mapping(doc, node, "rule", RULE_KEYS):
        return c.errors
    if "id" in doc and c.string(doc["id"], _child(node, "id"), "id"):
        if expected_id and doc["id"] != expected_id:
            c.err(_child(node, "id"), f"id {doc['id']!r} does not mirror the file path (expected {expected_id!r})")
    for k in ("title", "message"):
        if k in doc:
            c.string(doc[k], _child(node, k), k)
    if "category" in doc:
        c.enum(doc["category"], _child(node, "category"), "category", CATEGORIES)
        if isinstance(doc.get("id"), str) and isinstance(doc["category"], str):
            parts = doc["id"].split(".")
            if ".".join(parts[1:-1]) != doc["category"]:
                c.err(_child(node, "id"), f"id {doc['id']!r} must be <pack>.{doc['category']}.<slug>")
    if "severity" in doc:
        c.enum(doc["severity"], _child(node, "severity"), "severity", SEVERITIES)
    if "speaker" in doc:
        c.enum(doc["speaker"], _child(node, "speaker"), "speaker", ("collector", "any"))
    if "applies_to" in doc:
        n = _child(node, "applies_to")
        if not isinstance(doc["applies_to"], list) or not doc["applies_to"]:
            c.err(n, "applies_to must be a non-empty list of channels")
        else:
            for i, v in enumerate(doc["applies_to"]):
                c.enum(v, _item(n, i), f"applies_to[{i}]", CHANNELS)
    if "citations" in doc:
        c.str_list(doc["citations"], _child(node, "citations"), "citations")
    if "aliases" in doc:
        c.str_list(doc["aliases"], _child(node, "aliases"), "aliases", nonempty=False)
    if "notes" in doc:
        c.string(doc["notes"], _child(node, "notes"), "notes")
    if "match" in doc:
        _check_match(c, doc["match"], _child(node, "match"))
    if "examples" in doc:
        _check_examples(c, doc["examples"], _child(node, "examples"))
    return c.errors


def _check_match(c: _Checker, m: Any, node: yaml.Node | None) -> None:
    if not isinstance(m, dict):
        c.err(node, "match must be a mapping")
        return
    kind = m.get("kind")
    if kind not in MATCH_KINDS:
        c.err(_child(node, "kind") or node, f"match.kind is {kind!r}; allowed: {', '.join(MATCH_KINDS)}")
        return
    if kind == "text":
        c.mapping(m, node, "match", TEXT_MATCH_KEYS)
        for k in ("negation", "reported_speech"):
            if k in m and not isinstance(m[k], bool):
                c.err(_child(node, k), f"match.{k} must be true or false")
        if "gap" in m and (not isinstance(m["gap"], int) or isinstance(m["gap"], bool) or not 1 <= m["gap"] <= 40):
            c.err(_child(node, "gap"), "match.gap must be an integer from 1 to 40")
        pats, pn = m.get("patterns"), _child(node, "patterns")
        if "patterns" in m:
            if not isinstance(pats, list) or not pats:
                c.err(pn, "match.patterns must be a non-empty list")
            else:
                for i, p in enumerate(pats):
                    _check_pattern(c, p, _item(pn, i), f"match.patterns[{i}]")
        _check_conditions(c, m.get("unless"), _child(node, "unless"), "match.unless")
    elif kind == "third_party_log":
        c.mapping(m, node, "match", {"kind": True, "courtesy": False, "discloses": False})
        for k in ("courtesy", "discloses"):
            v = m.get(k)
            if k in m and not (isinstance(v, list) and v and all(isinstance(x, str) and x for x in v)):
                c.err(_child(node, k), f"match.{k} must be a non-empty list of regular expressions")
            elif k in m:
                for i, x in enumerate(v):
                    try:
                        re.compile(x)
                    except re.error as e:
                        c.err(_item(_child(node, k), i), f"match.{k}[{i}] is not a regular expression: {e}")
        if ("courtesy" in m) != ("discloses" in m):
            c.err(node, "match.courtesy and match.discloses go together")
    elif kind == "model":
        # the statistical second opinion (checker.matchers.model): a model file of the pack
        # and the probability at which the rule fires
        c.mapping(m, node, "match", MODEL_KEYS)
        if "model" in m and not (isinstance(m["model"], str) and m["model"].endswith(".npz")
                                 and "/" not in m["model"] and "\\" not in m["model"]):
            c.err(_child(node, "model"), "match.model must be the name of a .npz file in the pack's model/ folder")
        th = m.get("threshold")
        if "threshold" in m and (not isinstance(th, float) or not 0.5 <= th < 1):
            c.err(_child(node, "threshold"), "match.threshold must be a probability from 0.5 to below 1 (e.g. 0.85)")
        wb = m.get("withhold_below")
        if "withhold_below" in m and (not isinstance(wb, float) or not 0 < wb < 0.5):
            c.err(_child(node, "withhold_below"), "match.withhold_below must be a probability above 0 and below 0.5 "
                                                  "(e.g. 0.03)")
        ua = m.get("unless_any")
        if "unless_any" in m and not (isinstance(ua, list) and ua and all(isinstance(x, str) and x for x in ua)):
            c.err(_child(node, "unless_any"), "match.unless_any must be a non-empty list of phrases or @word lists")
    elif kind == "contact_hours":
        c.mapping(m, node, "match", HOURS_KEYS)
        for k in ("start", "end"):
            if k in m and not (isinstance(m[k], str) and _HHMM.match(m[k])):
                c.err(_child(node, k), f"match.{k} must be a quoted \"HH:MM\" time (got {m[k]!r})")
    else:
        c.mapping(m, node, "match", FREQ_KEYS)
        if "count" in m:
            c.enum(m["count"], _child(node, "count"), "match.count", ("connected", "unanswered", "attempts"))
        if "per" in m:
            c.enum(m["per"], _child(node, "per"), "match.per", ("debtor", "number"))
        if "max" in m and (not isinstance(m["max"], int) or isinstance(m["max"], bool) or m["max"] < 0):
            c.err(_child(node, "max"), "match.max must be a non-negative integer")


def _check_pattern(c: _Checker, p: Any, node: yaml.Node | None, where: str) -> None:
    if not c.mapping(p, node, where, PATTERN_KEYS):
        return
    if "anchor" in p:
        c.str_list(p["anchor"], _child(node, "anchor"), f"{where}.anchor")
    for k in ("negation", "reported_speech"):
        if k in p and not isinstance(p[k], bool):
            c.err(_child(node, k), f"{where}.{k} must be true or false")
    _check_conditions(c, p.get("require"), _child(node, "require"), f"{where}.require")
    _check_conditions(c, p.get("unless"), _child(node, "unless"), f"{where}.unless")


def _check_conditions(c: _Checker, conds: Any, node: yaml.Node | None, where: str) -> None:
    if conds is None:
        return
    if not isinstance(conds, list):
        c.err(node, f"{where} must be a list of conditions")
        return
    for i, cond in enumerate(conds):
        n = _item(node, i)
        w = f"{where}[{i}]"
        if not c.mapping(cond, n, w, CONDITION_KEYS):
            continue
        leaves = [k for k in ("any", "tokens", "regex") if k in cond]
        if len(leaves) != 1:
            c.err(n, f"{w} must have exactly one of any / tokens / regex")
        if "any" in cond:
            c.str_list(cond["any"], _child(n, "any"), f"{w}.any")
        if "tokens" in cond:
            t = cond["tokens"]
            if not isinstance(t, list) or not t or not all(isinstance(x, dict) for x in t):
                c.err(_child(n, "tokens"), f"{w}.tokens must be a non-empty list of spaCy token patterns")
        if "regex" in cond:
            c.string(cond["regex"], _child(n, "regex"), f"{w}.regex")
        if "within" in cond and (not isinstance(cond["within"], int) or isinstance(cond["within"], bool)
                                 or not 0 <= cond["within"] <= 200):
            c.err(_child(n, "within"), f"{w}.within must be an integer from 0 to 200")
        if "side" in cond:
            c.enum(cond["side"], _child(n, "side"), f"{w}.side", ("before", "after", "either"))
        if "scope" in cond:
            c.enum(cond["scope"], _child(n, "scope"), f"{w}.scope", ("clause", "sentence", "utterance"))


def _check_examples(c: _Checker, ex: Any, node: yaml.Node | None) -> None:
    if not c.mapping(ex, node, "examples", EXAMPLE_KEYS):
        return
    for k in ("fail", "pass"):
        if len(ex.get(k) or []) < 3:
            c.err(_child(node, k) or node, f"examples.{k} needs at least 3 examples")
    for k in EXAMPLE_KEYS:
        items = ex.get(k)
        if items is None:
            continue
        n = _child(node, k)
        if not isinstance(items, list):
            c.err(n, f"examples.{k} must be a list")
            continue
        for i, item in enumerate(items):
            _check_example(c, item, _item(n, i), f"examples.{k}[{i}]")


def _check_example(c: _Checker, item: Any, node: yaml.Node | None, where: str) -> None:
    if isinstance(item, str):
        if not item.strip():
            c.err(node, f"{where} is empty")
        return
    if not c.mapping(item, node, where, EXAMPLE_RECORD_KEYS):
        return
    if "records" in item:
        recs, rn = item["records"], _child(node, "records")
        if not isinstance(recs, list) or not recs:
            c.err(rn, f"{where}.records must be a non-empty list")
            return
        for i, r in enumerate(recs):
            _check_example(c, r, _item(rn, i), f"{where}.records[{i}]")
        return
    if "speaker" in item:
        c.enum(item["speaker"], _child(node, "speaker"), f"{where}.speaker", SPEAKERS)
    if "channel" in item:
        c.enum(item["channel"], _child(node, "channel"), f"{where}.channel", CHANNELS)
    if "status" in item:
        c.enum(item["status"], _child(node, "status"), f"{where}.status", STATUSES)
    if "direction" in item:
        c.enum(item["direction"], _child(node, "direction"), f"{where}.direction", ("in", "out"))


PROVISION_KEYS = {"law": True, "article": False, "text": False, "status": False, "version": False,
                  "effective": False, "until": False, "source": False, "kind": False, "note": False,
                  "versions": False, "topic": False}
VERSION_KEYS = {"version": True, "article": True, "text": True, "status": True, "effective": False,
                "until": False, "source": True, "note": False, "law": False, "topic": False}
TEXT_STATUSES = ("verbatim", "secondary", "paraphrase")
PROVISION_KINDS = ("statute", "judicial_interpretation", "national_standard",
                   "industry_self_regulation", "departmental_rule")


def check_laws(doc: Any, node: yaml.Node | None, file: str) -> list[SchemaError]:
    c = _Checker(file)
    if not c.mapping(doc, node, "laws file", {"pack": False, "provisions": True}):
        return c.errors
    provs, pn = doc.get("provisions"), _child(node, "provisions")
    if not isinstance(provs, dict):
        c.err(pn, "provisions must be a mapping of key -> provision")
        return c.errors
    for key, p in provs.items():
        n = _child(pn, key)
        w = f"provision {key!r}"
        if not c.mapping(p, n, w, PROVISION_KEYS):
            continue
        if "kind" in p:
            c.enum(p["kind"], _child(n, "kind"), f"{w}.kind", PROVISION_KINDS)
        if "versions" in p:
            vs, vn = p["versions"], _child(n, "versions")
            if not isinstance(vs, list) or not vs:
                c.err(vn, f"{w}.versions must be a non-empty list")
                continue
            for i, v in enumerate(vs):
                ivn = _item(vn, i)
                if c.mapping(v, ivn, f"{w}.versions[{i}]", VERSION_KEYS) and "status" in v:
                    c.enum(v["status"], _child(ivn, "status"), f"{w}.versions[{i}].status", TEXT_STATUSES)
        else:
            for k in ("article", "text", "status", "version", "source"):
                if k not in p:
                    c.err(n, f"{w} is missing {k!r} (or give versions:)")
            if "status" in p:
                c.enum(p["status"], _child(n, "status"), f"{w}.status", TEXT_STATUSES)
    return c.errors

"""Every rule's own examples, run with that rule alone. todo examples are strict xfail:
fixing one turns the suite red until someone promotes it."""

import pytest

from checker.engine import scan
from checker.examples import KINDS, example_events
from checker.pack import load_pack

PACK = load_pack("cn")
CASES = []
for rule in PACK.rules:
    for kind in KINDS:
        for i, ex in enumerate(rule.examples.get(kind) or []):
            todo = kind.startswith("todo")
            marks = [pytest.mark.xfail(strict=True, reason="known gap (todo example)")] if todo else []
            label = ex if isinstance(ex, str) else (ex.get("text") or "records")
            CASES.append(pytest.param(rule.id, kind, i, marks=marks, id=f"{rule.id}-{kind}{i}-{label[:20]}"))


_CACHE: dict = {}


def _compiled(rule_id):
    if rule_id not in _CACHE:
        _CACHE[rule_id] = PACK.subset([rule_id]).compiled()
    return _CACHE[rule_id]


@pytest.mark.parametrize("rule_id,kind,index", CASES)
def test_rule_example(rule_id, kind, index):
    rule = PACK.rule(rule_id)
    example = rule.examples[kind][index]
    events = example_events(rule, example, index, kind)
    findings = [f for f in scan(events, _compiled(rule_id), "Asia/Shanghai") if f.rule == rule_id]
    if kind in ("fail", "todo_fail"):
        assert findings, f"{rule_id} should fire on {example!r}"
        for f in findings:
            assert f.category == rule.category
            assert f.citations
    else:
        assert not findings, f"{rule_id} fired on lawful {example!r}: {[f.evidence for f in findings]}"


def test_every_rule_has_enough_examples():
    for rule in PACK.rules:
        assert len(rule.examples["fail"]) >= 3, rule.id
        assert len(rule.examples["pass"]) >= 3, rule.id

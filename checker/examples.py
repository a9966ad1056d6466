"""Running a rule's own examples with that rule alone (``collcheck rules test``, pytest)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.engine import scan, zone
from checker.io.jsonl import record_to_event
from checker.model import Event, Finding, Source

KINDS = ("fail", "pass", "todo_fail", "todo_pass")


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    kind: str
    index: int
    example: Any
    findings: tuple[Finding, ...]

    @property
    def fired(self) -> bool:
        return bool(self.findings)

    @property
    def expected_to_fire(self) -> bool:
        return self.kind in ("fail", "todo_fail")

    @property
    def ok(self) -> bool:
        """Did the rule behave as the example says it should (todo examples say it won't)?"""
        meets = self.fired == self.expected_to_fire
        return meets if self.kind in ("fail", "pass") else not meets

    def describe(self) -> str:
        ex = self.example
        text = ex if isinstance(ex, str) else (ex.get("text") or f"{len(ex.get('records', []))} records")
        return f"{self.rule} {self.kind}[{self.index}]: {text}"


def example_events(rule: Any, example: Any, index: int, kind: str) -> list[Event]:
    tz = zone("Asia/Shanghai")
    file = f"{rule.id}#{kind}[{index}]"
    default_channel = rule.applies_to[0]
    items = example.get("records") if isinstance(example, dict) and "records" in example else [example]
    events = []
    for i, item in enumerate(items):
        rec = {"text": item, "speaker": "collector"} if isinstance(item, str) else dict(item)
        rec.setdefault("channel", default_channel)
        rec.setdefault("speaker", "collector" if rec["channel"] != "call" else "unknown")
        rec.setdefault("id", f"{file}/{i + 1}")
        rec.pop("note", None)
        events.append(record_to_event(rec, Source(file, i + 1), tz, rec["id"]))
    return events


def run_examples(pack: Any, rule_id: str) -> list[ExampleResult]:
    alone = pack.subset([rule_id])
    compiled = alone.compiled()
    rule = alone.rules[0]
    out = []
    for kind in KINDS:
        for i, ex in enumerate(rule.examples.get(kind) or []):
            events = example_events(rule, ex, i, kind)
            findings = tuple(f for f in scan(events, compiled, "Asia/Shanghai") if f.rule == rule.id)
            out.append(ExampleResult(rule.id, kind, i, ex, findings))
    return out

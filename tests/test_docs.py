"""Docs come from the source: the README's command reference and the rule catalogue
fail this test when they drift from `--help` and the YAML."""

from pathlib import Path

import click

from checker.cli import main
from checker.docs import catalogue

ROOT = Path(__file__).resolve().parent.parent


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))
        else:
            yield (*prefix, name), cmd


def test_readme_mentions_every_command_and_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path, cmd in _commands(main):
        assert path[-1] in readme, path
        for param in cmd.params:
            if isinstance(param, click.Option):
                assert any(o in readme for o in param.opts if o.startswith("--")) or param.name in ("pack_name",), \
                    (path, param.opts)


def test_rule_catalogue_is_current():
    assert (ROOT / "rules" / "CATALOGUE.md").read_text(encoding="utf-8") == catalogue(), \
        "regenerate with: python -m checker.docs > rules/CATALOGUE.md"

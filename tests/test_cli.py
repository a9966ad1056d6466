"""The command line as a user runs it: exit codes, formats, bad input, no tracebacks."""

import json

from conftest import ROOT, run_cli


def test_contract_examples_from_the_issue():
    p = run_cli("scan", "-", stdin="催收员:我是城东派出所的,明天带人去你单位\n")
    out = p.stdout.decode()
    assert p.returncode == 1, p.stderr.decode()
    assert "impersonation.authority" in out and "threat.visit" in out
    assert "我是城东派出所的" in out and "依据" in out
    p = run_cli("scan", "-", stdin="催收员:我们不会去你单位的,请放心\n")
    assert p.returncode == 0, p.stdout.decode()


def test_json_output_shape_and_rejected_lines(tmp_path):
    f = tmp_path / "batch.jsonl"
    f.write_text('{"id": "a", "channel": "sms", "speaker": "collector", "text": "我是城东派出所的民警"}\n'
                 "not json\n"
                 '{"id": "b", "channel": "fax", "text": "x"}\n'
                 '\n'
                 '{"id": "c", "channel": "sms", "speaker": "debtor", "text": "我是城东派出所的民警"}\n',
                 encoding="utf-8")
    p = run_cli("scan", str(f), "--format", "json")
    assert p.returncode == 1
    doc = json.loads(p.stdout)
    inp = doc["inputs"][0]
    assert inp["rows"] == 4 and inp["events"] == 2 and inp["filtered"] == 0
    assert [r["line"] for r in inp["rejected"]] == [2, 3]
    assert "channel" in inp["rejected"][1]["reason"]
    assert inp["rows"] == inp["events"] + inp["filtered"] + len(inp["rejected"])
    assert {x["record"] for x in doc["findings"]} == {"a"}
    err = p.stderr.decode()
    assert f"{f}:2:" in err and f"{f}:3:" in err
    p = run_cli("scan", str(f), "--strict", "--format", "jsonl")
    assert p.returncode == 2


def test_empty_and_undecodable_files_are_clear_errors(tmp_path):
    e = tmp_path / "empty.txt"
    e.write_bytes(b"")
    p = run_cli("scan", str(e))
    assert p.returncode == 2 and "empty.txt" in p.stderr.decode() and "Traceback" not in p.stderr.decode()
    b = tmp_path / "bin.txt"
    b.write_bytes(b"\x81\x30\xff\xfe\x00\x01" * 3 + b"\xff")
    p = run_cli("scan", str(b))
    assert p.returncode == 2 and "bin.txt" in p.stderr.decode() and "Traceback" not in p.stderr.decode()
    p = run_cli("scan", str(tmp_path / "missing.jsonl"))
    assert p.returncode == 2 and "no such file" in p.stderr.decode()


def test_gbk_and_utf16_pasted_transcripts(tmp_path):
    text = "催收员：我是城东派出所的民警\n我：你们别再打了\n"
    for enc in ("gbk", "utf-16"):
        f = tmp_path / f"t-{enc}.txt"
        f.write_bytes(text.encode(enc))
        p = run_cli("scan", str(f), "--format", "json")
        doc = json.loads(p.stdout)
        assert p.returncode == 1, (enc, p.stderr.decode())
        assert doc["findings"][0]["record"] == f"{f}:1"
        assert doc["inputs"][0]["encoding"].startswith(enc.split("-")[0].replace("gbk", "gb"))


def test_ambiguous_speaker_labels_are_not_guessed(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("A：你好\nB：我是城东派出所的民警\nA：我是借款人\n", encoding="utf-8")
    p = run_cli("scan", str(f), "--format", "json")
    assert "--collector-speaker" in p.stderr.decode()
    doc = json.loads(p.stdout)
    assert any(x["record"].endswith(":2") for x in doc["findings"])  # unknown is judged
    p = run_cli("scan", str(f), "--format", "json", "--collector-speaker", "A")
    assert json.loads(p.stdout)["findings"] == [] and p.returncode == 0  # B is now the debtor
    p = run_cli("scan", str(f), "--format", "json", "--collector-speaker", "B")
    assert p.returncode == 1


def test_rules_validate_names_file_and_line_for_unknown_key(tmp_path):
    import shutil

    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", root)
    victim = next((root / "cn").rglob("*/*/*.yaml"))
    lines = victim.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "colour: red")
    victim.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = run_cli("rules", "validate", env={"COLLCHECK_RULES": str(root)})
    err = p.stderr.decode()
    assert p.returncode == 2
    assert f"{victim.name}:3" in err and "colour" in err
    assert "Traceback" not in err


def test_rules_list_show_test():
    p = run_cli("rules", "list")
    assert p.returncode == 0 and "cn." in p.stdout.decode()
    rid = p.stdout.decode().split()[0]
    p = run_cli("rules", "show", rid)
    assert p.returncode == 0 and "依据" in p.stdout.decode()
    p = run_cli("rules", "test", rid)
    assert p.returncode == 0, p.stdout.decode()
    p = run_cli("rules", "show", "cn.no.such")
    assert p.returncode == 2


def test_bad_option_values_exit_2():
    p = run_cli("scan", "-", "--tz", "Mars/Base", stdin="催收员：你好\n")
    assert p.returncode == 2 and "Mars/Base" in p.stderr.decode()
    p = run_cli("scan", "-", "--format", "xml", stdin="x\n")
    assert p.returncode == 2


def test_output_to_a_missing_folder_is_a_clear_error(tmp_path):
    missing = tmp_path / "no-such-folder" / "out.jsonl"
    for args in (("scan", str(ROOT / "corpus" / "demo" / "case.jsonl"), "--format", "jsonl", "-o", str(missing)),
                 ("scan", str(ROOT / "corpus" / "demo" / "case.jsonl"), "--jobs", "1", "-o", str(missing))):
        p = run_cli(*args)
        err = p.stderr.decode()
        assert p.returncode == 2 and f"{missing}: cannot write" in err and "internal error" not in err


def test_the_first_pack_loaded_is_frozen_before_the_collector_runs_again(monkeypatch):
    """The command line loads its pack with the collector off and freezes it before turning the
    collector back on (re-enabled first, the first young collection walked the pack's ~200,000
    objects once more), and leaves the collector as it found it — on, or off."""
    import gc

    from checker import cli

    for enabled in (True, False):
        monkeypatch.setattr(cli, "_FROZEN", False)
        gc.unfreeze()
        (gc.enable if enabled else gc.disable)()
        try:
            young = gc.get_stats()[0]["collections"]
            pack = cli._load_pack("cn")
            assert pack.rules
            assert gc.isenabled() is enabled
            assert gc.get_freeze_count() > 100_000  # the pack's objects, out of the collector's reach
            assert gc.get_stats()[0]["collections"] == young  # and never walked while loading
        finally:
            gc.enable()
            gc.unfreeze()

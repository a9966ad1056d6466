"""The compiled-pack cache on disk: used when nothing changed, rebuilt when a rule file
changes, ignored when broken, off with COLLCHECK_NO_CACHE."""

import shutil

import pytest
from conftest import ROOT

from checker import pack as pack_mod


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "cn", root / "cn")
    monkeypatch.setenv("COLLCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("COLLCHECK_NO_CACHE", raising=False)
    return root


def _entries(root):
    return sorted((root.parent / "cache").glob("pack-*.pickle"))


def test_second_load_comes_from_the_cache(rules_copy, monkeypatch):
    first = pack_mod.load_pack("cn", rules_copy)
    assert len(_entries(rules_copy)) == 1

    def no_compile(*a, **k):
        raise AssertionError("compiled again")

    monkeypatch.setattr(pack_mod, "_load_pack", no_compile)
    second = pack_mod.load_pack("cn", rules_copy)
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    assert second.compiled().pack is second
    ev_text = "我是城东派出所的民警"
    from checker.engine import zone
    from checker.model import Source, Utterance

    ev = Utterance(id="x", channel="transcript", source=Source("f", 1), speaker="collector", text=ev_text)
    assert [f.rule for f in second.compiled().scan_event(ev, zone("Asia/Shanghai"))] == \
        [f.rule for f in first.compiled().scan_event(ev, zone("Asia/Shanghai"))] != []


def test_a_changed_rule_file_makes_a_new_entry(rules_copy):
    pack_mod.load_pack("cn", rules_copy)
    f = rules_copy / "cn" / "abuse" / "insult" / "profanity.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("title:", "title: 改 ", 1), encoding="utf-8")
    p = pack_mod.load_pack("cn", rules_copy)
    assert p.rule("cn.abuse.insult.profanity").title.startswith("改 ")
    assert len(_entries(rules_copy)) == 2


def test_a_broken_entry_is_rebuilt(rules_copy):
    pack_mod.load_pack("cn", rules_copy)
    (entry,) = _entries(rules_copy)
    entry.write_bytes(b"not a pickle")
    p = pack_mod.load_pack("cn", rules_copy)
    assert p.rules and pack_mod._cache_read(entry) is not None


def test_loading_pauses_the_collector_and_gives_it_back(rules_copy, monkeypatch):
    """The collector is off while the pack is built or read (a gen-0 pass over the objects
    made so far tripled the cache's load time) and on again afterwards, also after an error;
    a caller that had turned it off keeps it off."""
    import gc

    seen = []
    real = pack_mod._cache_read

    def spy(path):
        seen.append(gc.isenabled())
        return real(path)

    monkeypatch.setattr(pack_mod, "_cache_read", spy)
    assert gc.isenabled()
    pack_mod.load_pack("cn", rules_copy)  # built, written
    pack_mod.load_pack("cn", rules_copy)  # read
    assert seen == [False, False] and gc.isenabled()
    real_load = pack_mod._load_pack
    monkeypatch.setattr(pack_mod, "_load_pack", lambda *a: (_ for _ in ()).throw(pack_mod.PackError([])))
    (rules_copy.parent / "cache").rename(rules_copy.parent / "gone")
    with pytest.raises(pack_mod.PackError):
        pack_mod.load_pack("cn", rules_copy)
    assert gc.isenabled()
    monkeypatch.setattr(pack_mod, "_load_pack", real_load)
    gc.disable()
    try:
        pack_mod.load_pack("cn", rules_copy)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_no_cache_when_turned_off(rules_copy, monkeypatch):
    monkeypatch.setenv("COLLCHECK_NO_CACHE", "1")
    pack_mod.load_pack("cn", rules_copy)
    assert _entries(rules_copy) == []


def test_a_fold_that_changes_the_length_is_a_pack_error(tmp_path):
    """asr_fixes keep a text's length (spans point into the original): a fold that does not
    was dropped silently; now loading (and `rules validate`) says which."""
    import shutil

    from checker.pack import PackError, load_pack, rules_root

    root = tmp_path / "rules"
    shutil.copytree(rules_root() / "cn", root / "cn")
    pack_file = root / "cn" / "pack.yaml"
    text = pack_file.read_text(encoding="utf-8")
    assert "asr_fixes: {" in text
    pack_file.write_text(text.replace("asr_fixes: {", "asr_fixes: {shangmen: 上门, ", 1), encoding="utf-8")
    with pytest.raises(PackError) as e:
        load_pack("cn", root)
    assert "'shangmen' → '上门' changes the text's length" in str(e.value)


def test_a_key_given_twice_in_one_mapping_is_a_schema_error():
    """Two `unless:` (or `scope:`) in one pattern kept only the last, silently; the loader now
    names the line."""
    from checker.schema import SchemaError, load_yaml_nodes

    with pytest.raises(SchemaError) as e:
        load_yaml_nodes("patterns:\n  - anchor: [上门]\n    unless: [a]\n    unless: [b]\n", "r.yaml")
    assert e.value.line == 4 and "'unless' appears twice" in str(e.value)
    value, _node = load_yaml_nodes("a: [1, 1]\nb: {c: 1, d: 1}\n", "ok.yaml")  # equal values are fine
    assert value == {"a": [1, 1], "b": {"c": 1, "d": 1}}


# ------------------------------------------------------------------ the fast path's tables
def _fast_entries(root):
    return sorted((root.parent / "cache").glob("fastpath-*.pickle"))


def _prepared(pack):
    from checker.fastpath import prepare

    return prepare(pack.compiled())


def _same_tables(a, b):
    """Two Prepared alike (the literal keys' order follows a set's, which may differ between
    two computations: each key keeps its names)."""
    import dataclasses

    rest = {f.name for f in dataclasses.fields(a)} - {"literal_keys", "literal_names"}
    return (all(getattr(a, n) == getattr(b, n) for n in rest)
            and dict(zip(a.literal_keys, a.literal_names, strict=True))
            == dict(zip(b.literal_keys, b.literal_names, strict=True)))


def test_fast_path_tables_are_cached_beside_the_pack_and_read_only_by_a_batch(rules_copy, monkeypatch):
    """The batch fast path's tables (checker.fastpath.prepare) are an entry of their own under
    the pack's key: not written or read when the pack loads (a one-line scan does not pay for
    them), written when a FastPath first needs them, and read instead of computed afterwards."""
    from checker import fastpath

    pack = pack_mod.load_pack("cn", rules_copy)
    assert pack.cache_entry is not None and _fast_entries(rules_copy) == []
    built = _prepared(pack)
    (entry,) = _fast_entries(rules_copy)
    assert entry.name[len("fastpath-"):] == pack.cache_entry.name[len("pack-"):]
    again = pack_mod.load_pack("cn", rules_copy)
    assert _fast_entries(rules_copy) == [entry] and not hasattr(again.compiled(), "_fast_prepared")
    monkeypatch.setattr(fastpath, "_prepare", lambda c: (_ for _ in ()).throw(AssertionError("computed again")))
    read = _prepared(again)
    assert read is not built and read == built
    assert again.compiled()._fold[0] == fastpath.pack_fold(pack.compiled())[0]


def test_a_changed_rule_file_makes_a_new_fast_path_entry(rules_copy):
    _prepared(pack_mod.load_pack("cn", rules_copy))
    f = rules_copy / "cn" / "abuse" / "insult" / "profanity.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("title:", "title: 改 ", 1), encoding="utf-8")
    _prepared(pack_mod.load_pack("cn", rules_copy))
    assert len(_fast_entries(rules_copy)) == 2


def test_a_broken_fast_path_entry_is_rebuilt_silently(rules_copy, monkeypatch):
    from checker import fastpath

    built = _prepared(pack_mod.load_pack("cn", rules_copy))
    (entry,) = _fast_entries(rules_copy)
    entry.write_bytes(b"not a pickle")
    calls = []
    real = fastpath._prepare
    monkeypatch.setattr(fastpath, "_prepare", lambda c: calls.append(1) or real(c))
    assert _same_tables(_prepared(pack_mod.load_pack("cn", rules_copy)), built) and calls == [1]
    assert _same_tables(pack_mod.read_derived(pack_mod.load_pack("cn", rules_copy), "fastpath")[1], built)


def test_no_fast_path_entry_when_the_cache_is_off_or_for_a_subset(rules_copy, monkeypatch):
    pack = pack_mod.load_pack("cn", rules_copy)
    _prepared(pack.subset([pack.rules[0].id]))  # --rule: other rules, no entry of its own
    assert _fast_entries(rules_copy) == []
    monkeypatch.setenv("COLLCHECK_NO_CACHE", "1")
    _prepared(pack)  # loaded with the cache on, the cache turned off since
    fresh = pack_mod.load_pack("cn", rules_copy)
    assert fresh.cache_entry is None
    _prepared(fresh)
    assert _fast_entries(rules_copy) == []


def test_findings_are_the_same_with_and_without_the_fast_path_entry(rules_copy, tmp_path, monkeypatch):
    import sys

    from checker import batch

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gen_corpus import write

    f = tmp_path / "b.jsonl"
    write(str(f), records=3000, seed=11)

    def run():
        pack = pack_mod.load_pack("cn", rules_copy)
        return "".join(batch.render_jsonl(x) + "\n" for x in batch.scan_stream([str(f)], pack, pack.timezone, 1)
                       if not isinstance(x, batch.FileStats))

    built = run()  # tables computed, entry written
    assert len(_fast_entries(rules_copy)) == 1
    from_entry = run()  # tables read from the entry
    monkeypatch.setenv("COLLCHECK_NO_CACHE", "1")
    without = run()
    assert built == from_entry == without and built.count("\n") > 30

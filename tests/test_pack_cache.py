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

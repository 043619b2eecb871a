import pytest

from divert.synth import OutDirNotEmpty, Scenario, generate


def test_a_non_empty_out_dir_is_refused_without_force(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(OutDirNotEmpty):
        generate(Scenario(), residents=5_000, years=1, seed=1, out=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_force_writes_into_a_non_empty_out_dir(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    generate(Scenario(), residents=5_000, years=1, seed=1, out=tmp_path, force=True)
    assert (tmp_path / "truth.json").exists() and (tmp_path / "notes.txt").exists()


def test_an_empty_or_missing_out_dir_is_fine(tmp_path):
    generate(Scenario(), residents=5_000, years=1, seed=1, out=tmp_path / "new" / "dir")
    assert (tmp_path / "new" / "dir" / "persons.parquet").exists()


def test_a_run_that_fails_part_way_leaves_no_county_behind(tmp_path, monkeypatch):
    from divert.synth import assemble

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(assemble, "write_json", killed)
    out = tmp_path / "county"
    with pytest.raises(KeyboardInterrupt):
        generate(Scenario(), residents=5_000, years=1, seed=1, out=out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no half-written staging directory either


def test_nothing_is_written_where_a_reader_looks_until_the_county_is_whole(tmp_path, monkeypatch):
    from divert.synth import assemble

    out = tmp_path / "county"
    seen = []
    real = assemble.write_table

    def watching(df, path, fmt):
        seen.append(out.exists())
        return real(df, path, fmt)

    monkeypatch.setattr(assemble, "write_table", watching)
    generate(Scenario(), residents=5_000, years=1, seed=1, out=out)
    assert seen and not any(seen)
    assert (out / "truth.json").exists()


def test_a_failed_forced_rewrite_keeps_the_previous_county_whole(tmp_path, monkeypatch):
    from divert.synth import assemble

    generate(Scenario(), residents=5_000, years=1, seed=1, out=tmp_path)
    before = (tmp_path / "truth.json").read_text()
    monkeypatch.setattr(assemble, "write_json", lambda *a, **k: (_ for _ in ()).throw(OSError))
    with pytest.raises(OSError):
        generate(Scenario(), residents=5_000, years=1, seed=2, out=tmp_path, force=True)
    assert (tmp_path / "truth.json").read_text() == before

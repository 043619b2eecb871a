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

from pathlib import Path

import pytest

from divert.synth import Scenario, generate


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_same_seed_writes_byte_identical_files(tmp_path, fmt):
    a = generate(Scenario(), residents=30_000, years=2, seed=11, out=tmp_path / "a", fmt=fmt)
    b = generate(Scenario(), residents=30_000, years=2, seed=11, out=tmp_path / "b", fmt=fmt)
    assert a.rows == b.rows
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_a_different_seed_writes_different_files(tmp_path):
    generate(Scenario(), residents=30_000, years=2, seed=11, out=tmp_path / "a")
    generate(Scenario(), residents=30_000, years=2, seed=12, out=tmp_path / "b")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a.keys() == b.keys()
    differing = [name for name in a if a[name] != b[name]]
    assert "encounters.parquet" in differing and "truth.json" in differing

from pathlib import Path

from divert.evaluation.docs import render
from divert.evaluation.registry import METRICS, all_metrics

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def test_the_metrics_page_matches_the_definitions_in_code():
    assert DOC.read_text() == render(), "regenerate with: divert metrics docs"


def test_a_changed_definition_would_be_caught(monkeypatch):
    key = "reorient.diversion_rate"
    m = all_metrics()[key]
    monkeypatch.setitem(METRICS, key, m.__class__(**{**m.__dict__, "denominator": "All arrests."}))
    assert DOC.read_text() != render()


def test_every_metric_says_what_it_counts():
    for key, m in all_metrics().items():
        assert m.definition and m.numerator and m.denominator and m.inclusion, key
        assert m.units is not None or m.needs, key

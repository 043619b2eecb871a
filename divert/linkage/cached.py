"""Scored pairs within one side, kept until what the engine reads changes.

Scoring a site's people against each other takes seconds at a county's size (about 3 s for
30,000 justice records), and the review pages ask for it on every load and after every
decision. The pairs are kept in the database cache under a digest of exactly the frame the
engine scores and the model's version: a new person, a changed name, date of birth, alias or
identifier, or another model scores again; a reviewer's decision, which changes none of them,
does not.
"""

from __future__ import annotations

import hashlib

import pandas as pd
from django.core.cache import caches

from divert.caching import computed_once
from divert.linkage import engine

CACHE_SECONDS = 24 * 3600


def dedupe_pairs(model: engine.Model, people: pd.DataFrame) -> list[tuple[str, str, float]]:
    """(left id, right id, probability) of the pairs within `people` at or above review."""
    digest = hashlib.sha256(people.to_csv(index=False).encode()).hexdigest()
    return computed_once(
        caches["linkage"],
        f"dedupe:{model.version}:{digest}",
        lambda: _scored(model, people),
        seconds=CACHE_SECONDS,
    )


def _scored(model: engine.Model, people: pd.DataFrame) -> list[tuple[str, str, float]]:
    pairs = engine.dedupe(model, people)
    return [
        (str(left), str(right), float(prob))
        for left, right, prob in pairs[["left_id", "right_id", "match_probability"]].itertuples(
            index=False, name=None
        )
    ]

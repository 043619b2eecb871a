"""Seeding: turn a synthetic county (divert.synth) into Django rows.

>>> from divert.seeding import county_load  # doctest: +SKIP
>>> county_load(small_county(), jurisdiction_name="Cascadia County", slug="cascadia",
...             today=datetime.date.today())  # doctest: +SKIP
<Jurisdiction: Cascadia County>
"""

from divert.seeding.load import county_load

__all__ = ["county_load"]

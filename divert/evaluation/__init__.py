"""Evaluation: LEAD's six goals measured from the canonical tables (docs/data-model.md).

Pure Python over Ibis (no Django): `source` opens the tables on DuckDB, PostgreSQL or
SQLite (PySpark through Ibis is possible but not yet tested); `registry` and `goals` define
each metric once; `compute` runs one; `scorecard` runs them all; `compare` is the comparison-group evaluation; `report` writes the files.
"""

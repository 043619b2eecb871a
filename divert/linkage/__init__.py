"""Identity resolution: one engine (Splink 5 over DuckDB) for linkage, deduplication,
duplicate warnings and lookup ranking. Pure Python; the Django side is divert.linkage.* apps
modules that import Django (models, services, pages) and never the other way round.
"""

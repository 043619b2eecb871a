"""The six goals' metrics, one module per goal; importing this package registers them all."""

from divert.evaluation.goals import equity, relations, reorient, safety, savings, system

__all__ = ["equity", "relations", "reorient", "safety", "savings", "system"]

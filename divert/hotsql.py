"""Plain SQL for the few reads every screening makes, with the values the ORM would give.

Building a query through the ORM costs several times what the database spends answering
a small indexed one; on the screening path that was most of the request's CPU. These reads
are written once as SQL, from the models' table and column names, and their rows pass
through each field's converters (SQLite hands back dates as text, booleans as integers),
so callers get what a `values_list` would have given them.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str, alias: str = "") -> str:
    quoted = connection.ops.quote_name(model._meta.get_field(name).column)
    return f"{alias}.{quoted}" if alias else quoted


@cache
def _converters(fields: tuple[Field, ...], vendor: str) -> tuple:
    out = []
    for field in fields:
        col = field.get_col(field.model._meta.db_table)
        out.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    return tuple(out)


def convert(row: Sequence[Any], fields: Sequence[Field]) -> list[Any]:
    """`row`'s values as the ORM would return them for `fields`, in the same order."""
    values = []
    for value, (col, converters) in zip(
        row, _converters(tuple(fields), connection.vendor), strict=True
    ):
        for converter in converters:
            value = converter(value, col, connection)
        values.append(value)
    return values


def fetch(sql: str, params: Sequence[Any], fields: Sequence[Field]) -> list[list[Any]]:
    """Run `sql` and convert every row (its columns are `fields`, in order)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [convert(row, fields) for row in cursor.fetchall()]


def moment(value: Any) -> Any:
    """A datetime parameter as the ORM sends it (SQLite keeps UTC text)."""
    return connection.ops.adapt_datetimefield_value(value)


def day(value: Any) -> Any:
    """A date parameter as the ORM sends it."""
    return connection.ops.adapt_datefield_value(value)

"""Inserting many rows without building a model instance for each (where bulk_create's per-object work is most
of the cost: the change log, scores)."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

_UNSET = object()


def insert_values(model, fields: Sequence, rows: Iterable[Sequence]) -> None:
    """INSERT `rows` (Python values of `fields`, in that order) into `model`'s table through one prepared
    statement run for every row. Each value is converted by its field as bulk_create would convert it; a value
    that is the very object the row before held in that column (who acted, when, a batch's shared values) is
    converted once."""
    prepare = [field.get_db_prep_save for field in fields]
    last: list[tuple[Any, Any]] = [(_UNSET, None)] * len(prepare)
    prepared = []
    for row in rows:
        converted_row = []
        for index, (to_db, value) in enumerate(zip(prepare, row, strict=True)):
            seen, converted = last[index]
            if value is not seen:
                converted = to_db(value, connection)
                last[index] = (value, converted)
            converted_row.append(converted)
        prepared.append(converted_row)
    if not prepared:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})", prepared)

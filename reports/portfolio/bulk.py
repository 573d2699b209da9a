"""Bulk loading into PostgreSQL: COPY from Python rows, and tables loaded without their
secondary indexes and constraints (rebuilt once at the end, which is many times faster than
maintaining them row by row)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


class Copier:
    """COPY rows into a model's table: ``columns`` are given per row, every other concrete field
    (but the primary key, unless listed) takes its default, computed once."""

    def __init__(self, model, columns: Sequence[str]):
        meta = model._meta
        given = [meta.get_field(name) for name in columns]
        names = {field.name for field in given}
        rest = [
            field
            for field in meta.concrete_fields
            if field.name not in names and not field.primary_key
        ]
        self.constants = "".join("\t" + copy_value(_default(field)) for field in rest)
        quoted = [connection.ops.quote_name(field.column) for field in [*given, *rest]]
        self.sql = f"COPY {meta.db_table} ({', '.join(quoted)}) FROM STDIN"

    def text(self, rows: Iterable[Sequence]) -> str:
        """The rows in COPY's text format (pure Python: may be built in another thread)."""
        return copy_text(rows, defaults=self.constants)

    def copy(self, text: str) -> None:
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(self.sql, io.StringIO(text))


def _default(field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.get_internal_type() in ("CharField", "TextField"):
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value")


def copy_text(rows: Iterable[Sequence], *, defaults: str = "") -> str:
    """Rows in COPY's text format; ``defaults``: the same trailing columns for every row."""
    return "".join("\t".join(map(copy_value, row)) + defaults + "\n" for row in rows)


def copy_plain(table: str, text: str) -> None:
    """COPY text into a table of our own (a temporary one), every column given."""
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} FROM STDIN", io.StringIO(text))


def execute(sql: str, params: Sequence = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def next_id(model) -> int:
    """The first free primary key: generated rows carry their own ids, so that later rows can
    refer to them without reading them back."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


def reset_sequence(model) -> None:
    table = model._meta.db_table
    execute(
        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))",
        [table],
    )


@contextmanager
def without_indexes(*models):
    """Drop the secondary indexes, foreign keys and unique constraints of the models' tables,
    and recreate them after the block (checking every row once, set-based). Check constraints
    stay: they cost little per row and would each need a scan to add back."""
    saved = []
    for model in models:
        saved.extend(_drop_extras(model._meta.db_table))
    yield
    for statement in saved:
        execute(statement)


def _drop_extras(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype IN ('f', 'u')
            """,
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [table],
        )
        indexes = cursor.fetchall()
    recreate = []
    for name, definition in constraints:
        execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        recreate.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        execute(f"DROP INDEX {name}")
        recreate.append(definition)
    # Indexes first (unique constraints build their own), foreign keys last.
    return sorted(recreate, key=lambda sql: "FOREIGN KEY" in sql)

"""Readable document numbers that stay unique when many users create at the same moment."""

from django.db import IntegrityError, transaction

from .models import NumberSequence


def next_number(prefix: str, *, width: int = 6) -> str:
    """The next number for ``prefix``: GD2026 → GD2026000001, GD2026000002, ...

    The counter row is locked for the rest of the caller's transaction, so two concurrent
    callers never get the same number; the first call for a prefix creates the row.
    """
    with transaction.atomic():
        sequence = _locked_sequence(prefix)
        sequence.last_value += 1
        sequence.save(update_fields=["last_value"])
    return f"{prefix}{sequence.last_value:0{width}d}"


def _locked_sequence(prefix: str) -> NumberSequence:
    sequence = NumberSequence.objects.select_for_update().filter(prefix=prefix).first()
    if sequence is not None:
        return sequence
    try:
        with transaction.atomic():
            NumberSequence.objects.create(prefix=prefix)
    except IntegrityError:
        pass  # another transaction created it first; lock theirs below
    return NumberSequence.objects.select_for_update().get(prefix=prefix)

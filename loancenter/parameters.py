"""Business figures kept in the database so administrators can change them."""

from decimal import Decimal

from .models import Parameter


def parameter(key: str, default) -> Decimal:
    """The administrator's value for ``key``, or ``default`` when none is set."""
    value = Parameter.objects.filter(key=key).values_list("value", flat=True).first()
    return Decimal(default) if value is None else value


def ensure(Model, key: str, value, description: str):  # noqa: N803 (historical models too)
    """Seed a parameter row once; an administrator's later change is kept."""
    Model.objects.get_or_create(
        key=key, defaults={"value": Decimal(value), "description": description}
    )

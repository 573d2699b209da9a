from django.db import transaction
from django.utils.translation import gettext as _

from loancenter import audit
from loancenter.errors import DomainError, PermissionRefused
from loancenter.roles import LOAN_OFFICER
from loancenter.workflow import locked, require_role, validated

from ..identity import normalize_id_number
from ..models import Customer

CUSTOMER_FIELDS = Customer.EDITABLE_FIELDS


def create_customer(*, user, data: dict) -> Customer:
    """A loan officer records a new customer; the ID number may exist only once."""
    require_role(user, LOAN_OFFICER)
    with transaction.atomic():
        id_number = normalize_id_number(data["id_number"])
        existing = Customer.objects.filter(id_number=id_number).select_related("officer").first()
        if existing:
            raise DomainError(
                _("A customer with this ID number already exists (loan officer: %(officer)s).")
                % {"officer": existing.officer.display_name},
                code="duplicate",
            )
        customer = Customer(officer=user, **{f: data[f] for f in CUSTOMER_FIELDS if f in data})
        validated(customer).save()
        audit.record(actor=user, action="create_customer", obj=customer, role=LOAN_OFFICER)
    return customer


def update_customer(*, user, customer: Customer, data: dict) -> Customer:
    require_role(user, LOAN_OFFICER)
    with transaction.atomic():
        customer = locked(customer)
        if customer.officer_id != user.pk:
            raise PermissionRefused(_("Only the customer's own loan officer may change it."))
        changed = [f for f in CUSTOMER_FIELDS if f in data and getattr(customer, f) != data[f]]
        if "id_number" in changed:
            raise DomainError(_("The ID number of a customer cannot be changed."))
        for field in changed:
            setattr(customer, field, data[field])
        validated(customer).save()
        audit.record(
            actor=user,
            action="update_customer",
            obj=customer,
            role=LOAN_OFFICER,
            opinion=", ".join(changed),
        )
    return customer

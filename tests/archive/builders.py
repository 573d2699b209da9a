"""Builders for archive tests: a dossier, an expected item, a received item, a vital voucher.

Shared by every archive test module; keep the names and keyword arguments stable.

    make_dossier(customer=None)                      a customer's dossier (a new customer if none)
    make_item(vital=False, status="expected", category="legal", account=None, ...)
    received_item(...)      on the shelf, or in the vault when vital=True, with a custodian
    vital_item(...)         a vital voucher (他项权证) in the vault
    keeper()                the archivist who keeps items when no custodian is given

Statuses other than "expected" are set straight on the row (no services run) with the history
an item in that state would have: "expected", then "received"/"deposited" once kept.
"""

from __future__ import annotations

import itertools

from django.db import transaction
from django.utils import timezone

from archive.history import record_event
from archive.models import ArchiveItem, EventKind, ItemStatus
from archive.services.items import ensure_dossier, next_item_number
from loancenter import roles
from tests.factories import UserFactory
from tests.origination import customer_data

_sources = itertools.count(1)

KEPT = ("in_custody", "in_vault", "on_loan", "released", "destroyed")
PLACE = {"room": "A101", "cabinet": "C01", "shelf": "S1", "box": "B01"}
VAULT = {"room": "金库", "cabinet": "V01", "shelf": "1", "box": ""}


def keeper():
    """The archivist who keeps built items unless a test names another custodian."""
    return UserFactory(username="keeper", roles=[roles.ARCHIVIST])


def make_customer(*, officer=None, **overrides):
    from applications.models import Customer

    officer = officer or UserFactory(username="dossier_officer", roles=[roles.LOAN_OFFICER])
    return Customer.objects.create(officer=officer, **customer_data(**overrides))


def make_dossier(*, customer=None, officer=None, **customer_fields):
    """A customer's dossier (the customer is made when not given)."""
    customer = customer or make_customer(officer=officer, **customer_fields)
    with transaction.atomic():
        return ensure_dossier(customer)


def make_item(
    *,
    vital=False,
    status="expected",
    category="legal",
    account=None,
    application=None,
    dossier=None,
    customer=None,
    title=None,
    source=None,
    custodian=None,
    place=None,
    retain_until=None,
    is_original=True,
    pages=1,
    by=None,
) -> ArchiveItem:
    """An item of ``category`` in ``status``. With ``account`` (or ``application``) the item
    belongs to that loan and lies in its customer's dossier."""
    if account is not None:
        application = application or account.application
        customer = customer or account.customer
    if application is not None:
        customer = customer or application.customer
    if dossier is None:
        dossier = make_dossier(customer=customer)
    if title is None:
        title = "他项权证" if vital else "借款合同"
    with transaction.atomic():
        item = ArchiveItem.objects.create(
            dossier=dossier,
            number=next_item_number(dossier),
            category=category,
            title=title,
            is_vital=vital,
            is_original=is_original,
            pages=pages,
            application=application,
            account=account,
            source=source or f"test:{next(_sources)}:{dossier.pk}",
            retain_until=retain_until,
        )
        record_event(item, EventKind.EXPECTED, by=by)
        if status != ItemStatus.EXPECTED:
            _keep(item, status=status, custodian=custodian or keeper(), place=place)
    item.refresh_from_db()
    return item


def _keep(item, *, status, custodian, place):
    place = place or (VAULT if item.is_vital else PLACE)
    kept = ItemStatus.IN_VAULT if item.is_vital else ItemStatus.IN_CUSTODY
    ArchiveItem.objects.filter(pk=item.pk).update(
        status=kept, custodian=custodian, received_at=timezone.now(), **place
    )
    item.refresh_from_db()
    kind = EventKind.DEPOSITED if item.is_vital else EventKind.RECEIVED
    record_event(item, kind, by=custodian, from_state=ItemStatus.EXPECTED)
    if status != kept:
        ArchiveItem.objects.filter(pk=item.pk).update(status=status)


def received_item(*, vital=False, status=None, **fields) -> ArchiveItem:
    """An item the archive keeps: on the shelf, or in the vault when ``vital``."""
    status = status or (ItemStatus.IN_VAULT if vital else ItemStatus.IN_CUSTODY)
    return make_item(vital=vital, status=status, **fields)


def vital_item(*, status="in_vault", category="legal", **fields) -> ArchiveItem:
    """A vital voucher (他项权证 unless titled otherwise), in the vault unless told otherwise."""
    return make_item(vital=True, status=status, category=category, **fields)

"""Reads for the archive: who may see which dossier and item, search, the expected list, an
item's history and the rows of the custody ledger.

The archivist, the director and the auditor see the whole archive. Anyone else sees the items of
the customers they may see (a loan officer: their own customers) and of the loan accounts they
may see (e.g. a collections officer fetching a contract for court); other items answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from applications.identity import normalize_id_number
from applications.selectors import visible_customers
from loancenter.roles import ARCHIVIST, AUDITOR, DIRECTOR, has_role
from loans.selectors_accounts import visible_accounts

from .models import KEPT, ArchiveItem, Category, CustodyEvent, Dossier, ItemStatus

LEDGER_LIMIT = 2000


def sees_whole_archive(user) -> bool:
    return user.is_superuser or has_role(user, ARCHIVIST, DIRECTOR, AUDITOR)


def is_archivist(user) -> bool:
    return has_role(user, ARCHIVIST)


def _visible_to_others(user) -> Q:
    customers = visible_customers(user).filter(pk=OuterRef("dossier__customer_id"))
    accounts = visible_accounts(user).filter(pk=OuterRef("account_id"))
    return Q(Exists(customers)) | Q(Exists(accounts))


def visible_items(user) -> QuerySet[ArchiveItem]:
    if not getattr(user, "is_authenticated", False):
        return ArchiveItem.objects.none()
    if sees_whole_archive(user):
        return ArchiveItem.objects.all()
    return ArchiveItem.objects.filter(_visible_to_others(user))


def visible_dossiers(user) -> QuerySet[Dossier]:
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    if sees_whole_archive(user):
        return Dossier.objects.all()
    items = visible_items(user).filter(dossier=OuterRef("pk"))
    customers = visible_customers(user).filter(pk=OuterRef("customer_id"))
    return Dossier.objects.filter(Q(Exists(items)) | Q(Exists(customers)))


def item_for(user, pk) -> ArchiveItem:
    """The item with its dossier, customer, loan and custodian, or 404."""
    item = (
        visible_items(user)
        .select_related("dossier__customer", "application", "account", "custodian")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


def dossier_for(user, pk) -> Dossier:
    dossier = visible_dossiers(user).select_related("customer__officer").filter(pk=pk).first()
    if dossier is None:
        raise Http404
    return dossier


def _with_relations(items: QuerySet[ArchiveItem]) -> QuerySet[ArchiveItem]:
    return items.select_related("dossier__customer", "application", "account", "custodian")


def search_items(
    user,
    *,
    q: str = "",
    category: str = "",
    status: str = "",
    vital: str = "",
    room: str = "",
    cabinet: str = "",
    shelf: str = "",
    box: str = "",
) -> QuerySet[ArchiveItem]:
    """Items by customer name, ID number, application, loan, dossier or item number, title, and
    by place (room, cabinet, shelf, box), in dossier and item order."""
    items = visible_items(user)
    if q := q.strip():
        items = items.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(dossier__number__icontains=q)
            | Q(dossier__customer__name__icontains=q)
            | Q(dossier__customer__id_number=normalize_id_number(q))
            | Q(application__number__icontains=q)
            | Q(account__number__icontains=q)
        )
    for field, value in (("room", room), ("cabinet", cabinet), ("shelf", shelf), ("box", box)):
        if value := value.strip():
            items = items.filter(**{f"{field}__iexact": value})
    if category:
        items = items.filter(category=category)
    if status:
        items = items.filter(status=status)
    if vital in ("yes", "no"):
        items = items.filter(is_vital=vital == "yes")
    return _with_relations(items).order_by("dossier__number", "number")


def matching_dossiers(user, q: str, *, limit: int = 10) -> list[Dossier]:
    """Dossiers whose customer or number matches the search, for the top of the results."""
    if not (q := q.strip()):
        return []
    dossiers = visible_dossiers(user).filter(
        Q(number__icontains=q)
        | Q(customer__name__icontains=q)
        | Q(customer__id_number=normalize_id_number(q))
    )
    return list(dossiers.select_related("customer").annotate(item_count=Count("items"))[:limit])


def expected_items(user) -> QuerySet[ArchiveItem]:
    """Announced by the workflow and not yet received, oldest first."""
    return _with_relations(visible_items(user).filter(status=ItemStatus.EXPECTED)).order_by(
        "expected_since", "pk"
    )


def expected_count(user) -> int:
    return ArchiveItem.objects.filter(status=ItemStatus.EXPECTED).count()


def history(item: ArchiveItem) -> QuerySet[CustodyEvent]:
    return item.events.select_related("by", "second_by").order_by("at", "pk")


@dataclass(frozen=True)
class CategoryGroup:
    code: str
    label: str
    items: list
    kept: int
    expected: int


def dossier_contents(user, dossier: Dossier) -> list[CategoryGroup]:
    """The dossier's items the user may see, by category, with counts."""
    items = list(
        visible_items(user)
        .filter(dossier=dossier)
        .select_related("application", "account", "custodian")
        .order_by("number")
    )
    groups = []
    for code, label in Category.choices:
        rows = [item for item in items if item.category == code]
        groups.append(
            CategoryGroup(
                code=code,
                label=label,
                items=rows,
                kept=sum(item.status in KEPT for item in rows),
                expected=sum(item.status == ItemStatus.EXPECTED for item in rows),
            )
        )
    return groups


def items_for_labels(user, *, item_pks=(), dossier_pk=None) -> list[ArchiveItem]:
    """Items to print labels for: the ones chosen, or a whole dossier (only those visible)."""
    items = visible_items(user)
    if dossier_pk is not None:
        items = items.filter(dossier_id=dossier_pk)
    else:
        items = items.filter(pk__in=list(item_pks))
    return list(_with_relations(items).order_by("dossier__number", "number")[:LEDGER_LIMIT])


def application_items(application) -> list[ArchiveItem]:
    return list(application.archive_items.select_related("custodian").order_by("number"))

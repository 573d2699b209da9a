"""Dossiers, receipt (入库) and moves: every custody rule and refusal of the items services."""

import pytest
from django.db import transaction

from archive.models import ArchiveItem, CustodyEvent, Dossier, NothingIsDeleted
from archive.services.items import (
    ensure_dossier,
    expect_item,
    move_item,
    receive_item,
    register_item,
)
from loancenter import audit
from loancenter.errors import DomainError, InvalidTransition, PermissionRefused, RuleViolations
from tests.archive.builders import make_customer, make_dossier, make_item, received_item

pytestmark = pytest.mark.django_db

PLACE = {"room": "A101", "cabinet": "C03", "shelf": "2", "box": "17"}


def receive(item, user, **overrides):
    return receive_item(item=item, user=user, **{**PLACE, "note": "", **overrides})


# --- dossiers --------------------------------------------------------------------------------


def test_a_customer_has_one_dossier_however_often_it_is_asked_for():
    customer = make_customer()
    with transaction.atomic():
        first = ensure_dossier(customer)
        second = ensure_dossier(customer)
    assert first == second
    assert Dossier.objects.filter(customer=customer).count() == 1


def test_items_are_numbered_within_their_dossier():
    dossier = make_dossier()
    first, second = make_item(dossier=dossier), make_item(dossier=dossier)
    assert first.number == f"{dossier.number}-0001"
    assert second.number == f"{dossier.number}-0002"


def test_an_item_is_announced_once_per_source():
    customer = make_customer()
    args = {"customer": customer, "source": "contract:1", "category": "legal", "title": "合同"}
    with transaction.atomic():
        assert expect_item(**args) is not None
        assert expect_item(**args) is None
    assert ArchiveItem.objects.filter(source="contract:1").count() == 1


# --- receipt ---------------------------------------------------------------------------------


def test_an_archivist_receives_an_expected_item_onto_the_shelf(archivist):
    item = make_item(category="survey_approval")
    item = receive(item, archivist, note="原件齐全", pages=12)
    item.refresh_from_db()
    assert item.status == "in_custody"
    assert item.custodian == archivist
    assert item.location == "A101 / C03 / 2 / 17"
    assert item.pages == 12
    assert item.received_at is not None
    event = item.events.last()
    assert (event.kind, event.by, event.location, event.note) == (
        "received",
        archivist,
        "A101 / C03 / 2 / 17",
        "原件齐全",
    )
    row = audit.events_for(item).filter(action="archive_received").get()
    assert (row.from_state, row.to_state, row.role) == ("expected", "in_custody", "archivist")


def test_only_an_archivist_receives(loan_officer, director, auditor):
    item = make_item()
    for person in (loan_officer, director, auditor):
        with pytest.raises(PermissionRefused):
            receive(item, person)
    item.refresh_from_db()
    assert item.status == "expected"


def test_a_vital_voucher_is_not_received_onto_a_shelf(archivist):
    item = make_item(vital=True)
    with pytest.raises(DomainError) as refused:
        receive(item, archivist)
    assert "两名档案管理员" in refused.value.message
    item.refresh_from_db()
    assert item.status == "expected" and item.custodian is None


def test_receipt_needs_room_cabinet_and_shelf(archivist):
    item = make_item()
    for missing in ("room", "cabinet", "shelf"):
        with pytest.raises(RuleViolations):
            receive(item, archivist, **{missing: "  "})
    receive(item, archivist, box="")  # the box may be left out


def test_a_location_part_longer_than_the_field_is_refused(archivist):
    with pytest.raises(RuleViolations):
        receive(make_item(), archivist, room="A" * 21)


def test_an_item_received_already_is_refused_with_who_received_it(archivist, make_user):
    other = make_user("archivist_b", "archivist", last_name="李", first_name="四")
    item = make_item()
    receive(item, other)
    with pytest.raises(DomainError) as refused:
        receive(item, archivist)
    assert "李四" in refused.value.message
    assert item.events.filter(kind="received").count() == 1


@pytest.mark.parametrize("status", ["on_loan", "destroyed", "released", "in_vault"])
def test_an_item_that_is_not_expected_cannot_be_received(archivist, status):
    item = make_item(status=status, vital=status == "in_vault")
    with pytest.raises(DomainError):
        receive(item, archivist)


def test_a_page_count_below_one_is_refused(archivist):
    with pytest.raises(RuleViolations):
        receive(make_item(), archivist, pages=0)


# --- moves -----------------------------------------------------------------------------------


def test_an_archivist_moves_an_item_on_the_shelf_and_the_history_says_from_where(archivist):
    item = received_item(custodian=archivist)
    before = item.location
    move_item(item=item, user=archivist, room="B2", cabinet="C1", shelf="1", box="", note="整理")
    item.refresh_from_db()
    assert item.location == "B2 / C1 / 1"
    event = item.events.last()
    assert event.kind == "moved" and before in event.note and "整理" in event.note
    assert event.location == "B2 / C1 / 1"


def test_only_an_archivist_moves(loan_officer):
    with pytest.raises(PermissionRefused):
        move_item(item=received_item(), user=loan_officer, **PLACE)


def test_a_move_to_the_same_place_is_refused(archivist):
    item = received_item(place=PLACE)
    with pytest.raises(DomainError):
        move_item(item=item, user=archivist, **PLACE)


def test_a_vital_voucher_is_not_moved_by_one_archivist(archivist):
    item = received_item(vital=True)
    with pytest.raises(DomainError) as refused:
        move_item(item=item, user=archivist, **PLACE)
    assert "两名档案管理员" in refused.value.message


@pytest.mark.parametrize("status", ["expected", "on_loan", "destroyed"])
def test_an_item_not_on_the_shelf_cannot_be_moved(archivist, status):
    item = make_item(status=status)
    with pytest.raises(InvalidTransition):
        move_item(item=item, user=archivist, **PLACE)


def test_a_move_without_a_full_location_is_refused(archivist):
    with pytest.raises(RuleViolations):
        move_item(item=received_item(), user=archivist, **{**PLACE, "shelf": ""})


# --- items the archivist adds by hand --------------------------------------------------------


def test_an_archivist_adds_a_paper_no_step_announces(archivist):
    dossier = make_dossier()
    item = register_item(
        dossier=dossier,
        user=archivist,
        category="borrower",
        title="身份证复印件",
        is_original=False,
        pages=2,
    )
    assert item.status == "expected" and item.source is None
    assert item.events.get().by == archivist


def test_only_an_archivist_adds_items(loan_officer):
    with pytest.raises(PermissionRefused):
        register_item(dossier=make_dossier(), user=loan_officer, category="borrower", title="x")


def test_an_added_item_needs_a_title_a_category_and_pages(archivist):
    with pytest.raises(RuleViolations) as refused:
        register_item(dossier=make_dossier(), user=archivist, category="nope", title=" ", pages=0)
    assert len(refused.value.messages) == 3


def test_an_added_item_cannot_belong_to_another_customers_application(
    archivist, origination, loan_officer
):
    from tests.origination import draft

    application = draft(loan_officer)
    with pytest.raises(RuleViolations):
        register_item(
            dossier=make_dossier(),
            user=archivist,
            category="borrower",
            title="收入证明",
            application=application,
        )


# --- nothing is deleted ----------------------------------------------------------------------


def test_items_and_their_history_are_never_deleted(archivist):
    item = received_item()
    with pytest.raises(NothingIsDeleted):
        item.delete()
    with pytest.raises(NothingIsDeleted):
        item.events.first().delete()
    assert CustodyEvent.objects.filter(item=item).count() == 2

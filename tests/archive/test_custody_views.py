"""Pages of the vault, borrowing, hand-over and inspections: who may see and do what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.models import (
    BorrowRequest,
    BorrowStatus,
    Handover,
    HandoverStatus,
    Inspection,
    ItemStatus,
    MovementStatus,
    VaultMovement,
)
from archive.services.borrowing import check_out, decide_borrowing, request_borrowing
from archive.services.handover import start_handover
from tests.archive.builders import VAULT, make_dossier, make_item, received_item, vital_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(make_user):
    return make_user("archivist_b", "archivist", last_name="乙", first_name="档案")


def return_date(days=7):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def body(response) -> str:
    return response.content.decode()


class TestVaultPages:
    @pytest.mark.parametrize("role", ["archivist", "director", "auditor"])
    def test_the_archive_staff_see_the_vault_inventory(self, client, role, request):
        item = vital_item()
        client.force_login(request.getfixturevalue(role))
        response = client.get(reverse("archive:vault"))
        assert response.status_code == 200 and item.number in body(response)

    def test_anyone_else_gets_404_on_the_vault_and_its_actions(self, client, loan_officer):
        item = make_item(vital=True)
        client.force_login(loan_officer)
        assert client.get(reverse("archive:vault")).status_code == 404
        assert client.post(reverse("archive:movement_confirm", args=[1])).status_code == 404
        assert client.post(reverse("archive:item_deposit", args=[item.pk])).status_code == 404

    def test_two_archivists_deposit_from_the_item_page_and_the_vault_page(
        self, client, archivist, second
    ):
        item = make_item(vital=True)
        client.force_login(archivist)
        page = body(client.get(reverse("archive:item_detail", args=[item.pk])))
        assert 'data-testid="deposit-form"' in page
        client.post(reverse("archive:item_deposit", args=[item.pk]), {**VAULT, "purpose": "入库"})
        movement = VaultMovement.objects.get()
        vault = body(client.get(reverse("archive:vault")))
        assert f'data-testid="movement-{movement.pk}"' in vault
        assert 'data-testid="confirm-movement"' not in vault  # not on one's own movement

        response = client.post(reverse("archive:movement_confirm", args=[movement.pk]))
        assert response.status_code == 302
        movement.refresh_from_db()
        assert movement.status == MovementStatus.PENDING  # refused: the same archivist

        client.force_login(second)
        assert 'data-testid="confirm-movement"' in body(client.get(reverse("archive:vault")))
        client.post(reverse("archive:movement_confirm", args=[movement.pk]))
        item.refresh_from_db()
        assert item.status == ItemStatus.IN_VAULT

    def test_a_director_sees_the_vault_but_has_no_buttons(self, client, archivist, director):
        item = make_item(vital=True)
        client.force_login(archivist)
        client.post(reverse("archive:item_deposit", args=[item.pk]), {**VAULT, "purpose": "入库"})
        client.force_login(director)
        page = body(client.get(reverse("archive:vault")))
        assert 'data-testid="confirm-movement"' not in page
        assert 'data-testid="cancel-movement"' not in page
        movement = VaultMovement.objects.get()
        client.post(reverse("archive:movement_confirm", args=[movement.pk]))
        movement.refresh_from_db()
        assert movement.status == MovementStatus.PENDING

    def test_an_archivist_starts_a_release_and_calls_it_off(self, client, archivist):
        item = vital_item()
        client.force_login(archivist)
        client.post(reverse("archive:item_release", args=[item.pk]), {"reason": "交还抵押人"})
        movement = VaultMovement.objects.get()
        client.post(
            reverse("archive:movement_cancel", args=[movement.pk]),
            {"next": reverse("archive:item_detail", args=[item.pk])},
        )
        movement.refresh_from_db()
        assert movement.status == MovementStatus.CANCELLED

    def test_the_next_address_must_stay_on_the_site(self, client, archivist):
        movement_item = vital_item()
        client.force_login(archivist)
        client.post(reverse("archive:item_release", args=[movement_item.pk]), {"reason": "x"})
        movement = VaultMovement.objects.get()
        response = client.post(
            reverse("archive:movement_cancel", args=[movement.pk]),
            {"next": "https://evil.example/"},
        )
        assert response["Location"] == reverse("archive:vault")


class TestBorrowingPages:
    def test_a_loan_officer_asks_from_the_item_page_and_follows_it(self, client, loan_officer):
        item = received_item(dossier=make_dossier(officer=loan_officer))
        client.force_login(loan_officer)
        page = body(client.get(reverse("archive:item_detail", args=[item.pk])))
        assert 'data-testid="borrow-request-form"' in page
        response = client.post(
            reverse("archive:borrow_request", args=[item.pk]),
            {"reason": "客户咨询合同条款", "return_by": return_date()},
        )
        borrow = BorrowRequest.objects.get()
        assert response["Location"] == reverse("archive:borrow_detail", args=[borrow.pk])
        assert item.number in body(client.get(reverse("archive:my_borrowings")))
        assert client.get(reverse("archive:borrow_detail", args=[borrow.pk])).status_code == 200

    def test_a_bad_request_shows_the_form_again(self, client, loan_officer):
        item = received_item(dossier=make_dossier(officer=loan_officer))
        client.force_login(loan_officer)
        response = client.post(
            reverse("archive:borrow_request", args=[item.pk]),
            {"reason": "核对", "return_by": return_date(40)},
        )
        assert response.status_code == 200 and not BorrowRequest.objects.exists()

    def test_others_get_404_on_items_and_borrowings_they_may_not_see(
        self, client, loan_officer, other_officer
    ):
        item = received_item(dossier=make_dossier(officer=loan_officer))
        borrow = request_borrowing(
            item=item, user=loan_officer, reason="核对", return_by=timezone.localdate()
        )
        client.force_login(other_officer)
        assert client.get(reverse("archive:borrow_request", args=[item.pk])).status_code == 404
        assert client.get(reverse("archive:borrow_detail", args=[borrow.pk])).status_code == 404
        assert client.post(reverse("archive:borrow_decide", args=[borrow.pk])).status_code == 404
        assert client.get(reverse("archive:borrow_queue")).status_code == 404
        assert client.get(reverse("archive:borrow_approvals")).status_code == 404
        assert client.get(reverse("archive:my_borrowings")).status_code == 200

    def test_the_archivists_queue_highlights_late_returns(self, client, archivist, auditor):
        borrow = request_borrowing(
            item=received_item(), user=auditor, reason="核对", return_by=timezone.localdate()
        )
        decide_borrowing(borrow=borrow, user=archivist, approve=True)
        check_out(borrow=borrow, user=archivist)
        BorrowRequest.objects.filter(pk=borrow.pk).update(
            return_by=timezone.localdate() - timedelta(days=2)
        )
        client.force_login(archivist)
        page = body(client.get(reverse("archive:borrow_queue")))
        assert f'class="table-danger" data-testid="borrow-{borrow.pk}"' in page
        late = body(client.get(reverse("archive:borrow_queue"), {"show": "late"}))
        assert f'data-testid="borrow-{borrow.pk}"' in late
        closed = body(client.get(reverse("archive:borrow_queue"), {"show": "closed"}))
        assert f'data-testid="borrow-{borrow.pk}"' not in closed

    def test_the_director_approves_a_vital_voucher_from_the_approvals_page_with_a_badge(
        self, client, director, archivist, auditor
    ):
        borrow = request_borrowing(
            item=vital_item(), user=auditor, reason="审计抽查", return_by=timezone.localdate()
        )
        client.force_login(archivist)
        assert client.get(reverse("archive:borrow_approvals")).status_code == 404
        client.post(reverse("archive:borrow_decide", args=[borrow.pk]), {"approve": "yes"})
        borrow.refresh_from_db()
        assert borrow.status == BorrowStatus.PENDING  # refused: not the director

        client.force_login(director)
        page = body(client.get(reverse("archive:borrow_approvals")))
        assert f'data-testid="approval-{borrow.pk}"' in page
        assert 'data-testid="nav-archive_approvals"' in page and 'text-bg-warning">1<' in page
        client.post(
            reverse("archive:borrow_decide", args=[borrow.pk]),
            {"approve": "yes", "note": "同意", "next": reverse("archive:borrow_approvals")},
        )
        borrow.refresh_from_db()
        assert borrow.status == BorrowStatus.APPROVED

    def test_archivists_hand_out_and_take_back_a_vital_voucher_through_the_vault(
        self, client, director, archivist, second, auditor
    ):
        item = vital_item()
        borrow = request_borrowing(
            item=item, user=auditor, reason="审计抽查", return_by=timezone.localdate()
        )
        decide_borrowing(borrow=borrow, user=director, approve=True)
        client.force_login(archivist)
        detail = reverse("archive:borrow_detail", args=[borrow.pk])
        assert 'data-testid="borrow-check-out"' in body(client.get(detail))
        client.post(reverse("archive:borrow_check_out", args=[borrow.pk]))
        assert 'data-testid="borrow-waiting"' in body(client.get(detail))
        client.force_login(second)
        client.post(reverse("archive:movement_confirm", args=[borrow.movements.get().pk]))
        borrow.refresh_from_db()
        assert borrow.status == BorrowStatus.OUT
        client.post(reverse("archive:borrow_return", args=[borrow.pk]))
        client.force_login(archivist)
        deposit = borrow.movements.get(status=MovementStatus.PENDING)
        client.post(reverse("archive:movement_confirm", args=[deposit.pk]))
        borrow.refresh_from_db()
        item.refresh_from_db()
        assert borrow.status == BorrowStatus.RETURNED and item.status == ItemStatus.IN_VAULT

    def test_the_requester_sees_no_decision_form_on_their_own_borrowing(self, client, archivist):
        borrow = request_borrowing(
            item=received_item(), user=archivist, reason="核对", return_by=timezone.localdate()
        )
        client.force_login(archivist)
        page = body(client.get(reverse("archive:borrow_detail", args=[borrow.pk])))
        assert 'data-testid="borrow-decide-form"' not in page


class TestHandoverPages:
    def test_an_archivist_sends_a_list_and_the_receiver_confirms_it(
        self, client, archivist, second
    ):
        items = [received_item(custodian=archivist), vital_item(custodian=archivist)]
        client.force_login(archivist)
        assert client.get(reverse("archive:handover_new")).status_code == 200
        client.post(
            reverse("archive:handover_new"),
            {
                "to_custodian": second.pk,
                "numbers": "\n".join(item.number for item in items),
                "reason": "岗位调整",
            },
        )
        handover = Handover.objects.get()
        detail = reverse("archive:handover_detail", args=[handover.pk])
        assert 'data-testid="confirm-handover"' not in body(client.get(detail))
        client.force_login(second)
        assert 'data-testid="confirm-handover"' in body(client.get(detail))
        client.post(reverse("archive:handover_confirm", args=[handover.pk]))
        handover.refresh_from_db()
        assert handover.status == HandoverStatus.CONFIRMED
        assert {item.custodian_id for item in handover.items.all()} == {second.pk}

    def test_everything_in_ones_custody_and_unknown_numbers(self, client, archivist, second):
        items = [received_item(custodian=archivist), received_item(custodian=archivist)]
        client.force_login(archivist)
        response = client.post(
            reverse("archive:handover_new"),
            {"to_custodian": second.pk, "numbers": "NO-SUCH-1", "reason": "离岗"},
        )
        assert response.status_code == 200 and "NO-SUCH-1" in body(response)
        client.post(
            reverse("archive:handover_new"),
            {"to_custodian": second.pk, "everything": "on", "reason": "离岗"},
        )
        assert Handover.objects.get().items.count() == len(items)

    def test_who_sees_the_hand_over_pages(self, client, archivist, second, director, loan_officer):
        handover = start_handover(
            user=archivist,
            to_custodian=second,
            items=[received_item(custodian=archivist)],
            reason="岗位调整",
        )
        client.force_login(director)
        assert client.get(reverse("archive:handovers")).status_code == 200
        assert client.get(reverse("archive:handover_new")).status_code == 404
        client.post(reverse("archive:handover_confirm", args=[handover.pk]))
        handover.refresh_from_db()
        assert handover.status == HandoverStatus.PENDING
        client.force_login(loan_officer)
        assert client.get(reverse("archive:handovers")).status_code == 404
        detail = reverse("archive:handover_detail", args=[handover.pk])
        assert client.get(detail).status_code == 404


class TestInspectionPages:
    def test_an_auditor_records_an_inspection_by_item_numbers(self, client, auditor):
        items = [received_item(), vital_item()]
        client.force_login(auditor)
        response = client.post(
            reverse("archive:inspection_new"),
            {
                "inspected_on": timezone.localdate().isoformat(),
                "scope": "A101 全部档案柜",
                "findings": "账实相符",
                "items": f"{items[0].number}, {items[1].number}",
            },
        )
        inspection = Inspection.objects.get()
        assert response["Location"] == reverse("archive:inspection_detail", args=[inspection.pk])
        assert inspection.items.count() == 2
        assert "A101" in body(client.get(reverse("archive:inspections")))
        detail = body(client.get(reverse("archive:inspection_detail", args=[inspection.pk])))
        assert items[1].number in detail

    def test_other_staff_get_404(self, client, loan_officer):
        client.force_login(loan_officer)
        assert client.get(reverse("archive:inspections")).status_code == 404
        assert client.get(reverse("archive:inspection_new")).status_code == 404


def test_empty_pages_say_so(client, archivist):
    client.force_login(archivist)
    for name in ("vault", "borrow_queue", "my_borrowings", "handovers", "inspections"):
        assert 'class="empty-state"' in body(client.get(reverse(f"archive:{name}"))), name


JUNK = ["abc", "-1", "9" * 30, "<script>alert(1)</script>", "%00", "' OR 1=1 --"]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_queries_and_forms_never_raises(client, archivist, junk):
    item = received_item()
    client.force_login(archivist)
    for name, params in (
        ("vault", {"q": junk, "page": junk}),
        ("borrow_queue", {"show": junk, "q": junk, "page": junk}),
        ("my_borrowings", {"page": junk}),
        ("handovers", {"page": junk}),
        ("inspections", {"page": junk}),
        ("handover_new", {"page": junk}),
    ):
        assert client.get(reverse(f"archive:{name}"), params).status_code == 200, name
    posts = (
        (reverse("archive:borrow_request", args=[item.pk]), {"reason": junk, "return_by": junk}),
        (reverse("archive:handover_new"), {"to_custodian": junk, "numbers": junk}),
        (reverse("archive:inspection_new"), {"inspected_on": junk, "items": junk}),
        (reverse("archive:item_deposit", args=[item.pk]), {"room": junk * 5}),
        (reverse("archive:item_release", args=[item.pk]), {"reason": junk * 50}),
    )
    for url, data in posts:
        assert client.post(url, data).status_code in (200, 302), url


def test_the_borrowing_queue_makes_the_same_queries_for_more_rows(client, archivist, auditor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("archive:borrow_queue")).status_code == 200
        return len(captured)

    client.force_login(archivist)
    request_borrowing(
        item=received_item(), user=auditor, reason="x", return_by=timezone.localdate()
    )
    few = queries()
    for _ in range(4):
        request_borrowing(
            item=vital_item(), user=auditor, reason="x", return_by=timezone.localdate()
        )
    assert queries() == few

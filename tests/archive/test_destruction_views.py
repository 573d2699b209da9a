"""The retention and destruction pages: who may see and do what, refusals on the page, the nav
badge, and the destruction list PDF read back with pypdf."""

import re
from datetime import timedelta
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from archive.models import ArchiveItem, BatchStatus, DestructionBatch, ItemStatus
from archive.services.retention import (
    check_line,
    decide_batch,
    prepare_batch,
    submit_batch,
)
from loancenter import roles
from loancenter.navigation import items_for
from tests.archive.builders import received_item, vital_item
from tests.loancenter.test_pdf import embedded_font_names

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - timedelta(days=30)
DUE = reverse("archive:retention_due")
LISTS = reverse("archive:destruction_list")


@pytest.fixture
def due(db):
    return [
        received_item(retain_until=PAST, category="legal", title="借款合同"),
        received_item(
            retain_until=PAST - timedelta(days=5), category="borrower", title="身份证复印件"
        ),
    ]


@pytest.fixture
def witness(make_user):
    return make_user("second_archivist", roles.ARCHIVIST)


@pytest.fixture
def draft(archivist, due):
    return prepare_batch(user=archivist, items=due)


@pytest.fixture
def pending(draft, archivist):
    return submit_batch(batch=draft, user=archivist)


@pytest.fixture
def approved(pending, director):
    return decide_batch(batch=pending, user=director, approve=True, opinion="已过保管期限,同意销毁")


@pytest.fixture
def checked(approved, witness):
    for line in approved.lines.all():
        check_line(line=line, user=witness)
    approved.refresh_from_db()
    return approved


def page(batch):
    return reverse("archive:destruction_detail", args=[batch.pk])


def body(response) -> str:
    return response.content.decode()


def alerts(response) -> list[str]:
    """The refusals on the page (whatever the language)."""
    return re.findall(r'class="alert alert-danger" role="alert">(.*?)</div>', body(response))


class TestTheItemsDuePage:
    def test_the_archivist_sees_the_due_items_with_boxes_to_choose(self, client, archivist, due):
        client.force_login(archivist)
        html = body(client.get(DUE))
        assert due[0].number in html and due[1].number in html
        assert html.index(due[1].number) < html.index(due[0].number)  # oldest first
        assert f'name="items" value="{due[0].pk}"' in html

    def test_the_director_and_the_auditor_see_it_without_choosing(
        self, client, director, auditor, due
    ):
        for user in (director, auditor):
            client.force_login(user)
            html = body(client.get(DUE))
            assert due[0].number in html and 'name="items"' not in html

    def test_other_staff_get_404(self, client, loan_officer, due):
        client.force_login(loan_officer)
        assert client.get(DUE).status_code == 404

    def test_it_needs_a_sign_in(self, client):
        assert client.get(DUE).status_code == 302

    def test_it_filters_by_category(self, client, archivist, due):
        client.force_login(archivist)
        html = body(client.get(DUE, {"category": "borrower"}))
        assert due[1].number in html and due[0].number not in html

    def test_vital_vouchers_are_not_listed(self, client, archivist):
        voucher = vital_item(retain_until=PAST)
        client.force_login(archivist)
        html = body(client.get(DUE))
        assert voucher.number not in html and 'data-testid="due-empty"' in html

    def test_an_item_on_an_open_list_cannot_be_chosen_again(self, client, archivist, draft, due):
        client.force_login(archivist)
        html = body(client.get(DUE))
        assert draft.number in html and 'name="items"' not in html


class TestPreparingOnThePage:
    def test_the_archivist_prepares_a_list_of_the_chosen_items(self, client, archivist, due):
        client.force_login(archivist)
        response = client.post(
            reverse("archive:destruction_prepare"), {"items": [due[0].pk, "x", "9" * 30]}
        )
        batch = DestructionBatch.objects.get()
        assert response.status_code == 302 and response["Location"] == page(batch)
        assert list(batch.lines.values_list("item_id", flat=True)) == [due[0].pk]

    def test_a_refusal_returns_to_the_due_page_with_the_reason(self, client, archivist):
        voucher = vital_item(retain_until=PAST)
        client.force_login(archivist)
        response = client.post(
            reverse("archive:destruction_prepare"), {"items": [voucher.pk]}, follow=True
        )
        assert response.redirect_chain[-1][0] == DUE
        assert "alert-danger" in body(response) and not DestructionBatch.objects.exists()

    def test_the_director_is_refused(self, client, director, due):
        client.force_login(director)
        response = client.post(
            reverse("archive:destruction_prepare"), {"items": [due[0].pk]}, follow=True
        )
        assert "alert-danger" in body(response) and not DestructionBatch.objects.exists()

    def test_other_staff_get_404(self, client, loan_officer, due):
        client.force_login(loan_officer)
        response = client.post(reverse("archive:destruction_prepare"), {"items": [due[0].pk]})
        assert response.status_code == 404

    def test_it_needs_a_post(self, client, archivist):
        client.force_login(archivist)
        assert client.get(reverse("archive:destruction_prepare")).status_code == 405


class TestTheListsPage:
    def test_viewers_see_the_lists_and_filter_them(self, client, auditor, draft, approved):
        client.force_login(auditor)
        html = body(client.get(LISTS))
        assert draft.number in html
        html = body(client.get(LISTS, {"status": "draft"}))
        assert 'data-testid="batch-empty"' in html

    def test_other_staff_get_404(self, client, loan_officer):
        client.force_login(loan_officer)
        assert client.get(LISTS).status_code == 404

    def test_the_empty_state_points_to_the_items_due(self, client, archivist):
        client.force_login(archivist)
        html = body(client.get(LISTS))
        assert 'data-testid="batch-empty"' in html and DUE in html

    def test_the_director_s_nav_badge_counts_lists_awaiting_approval(
        self, pending, director, archivist, witness, loan_officer
    ):
        items = {item["key"]: item for item in items_for(director)}
        assert items["archive_destruction"]["badge"] == 1
        assert items["archive_destruction"]["url"] == LISTS
        assert {item["key"]: item for item in items_for(witness)}["archive_destruction"][
            "badge"
        ] is None
        assert "archive_destruction" not in {item["key"] for item in items_for(loan_officer)}

    def test_a_possible_witness_s_badge_counts_approved_lists(
        self, approved, witness, archivist, auditor
    ):
        assert {i["key"]: i for i in items_for(witness)}["archive_destruction"]["badge"] == 1
        assert {i["key"]: i for i in items_for(auditor)}["archive_destruction"]["badge"] == 1
        # the preparer may not be the witness
        assert {i["key"]: i for i in items_for(archivist)}["archive_destruction"]["badge"] is None


class TestTheBatchPage:
    def test_the_archivist_sends_a_draft_to_the_director(self, client, archivist, draft):
        client.force_login(archivist)
        assert 'data-testid="submit-batch"' in body(client.get(page(draft)))

        response = client.post(reverse("archive:destruction_submit", args=[draft.pk]))

        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == BatchStatus.PENDING_APPROVAL

    def test_submitting_twice_shows_the_refusal(self, client, archivist, pending):
        client.force_login(archivist)
        response = client.post(
            reverse("archive:destruction_submit", args=[pending.pk]), follow=True
        )
        assert "alert-danger" in body(response)

    def test_the_director_decides_on_the_page(self, client, director, pending):
        client.force_login(director)
        assert 'data-testid="decide-form"' in body(client.get(page(pending)))

        response = client.post(
            reverse("archive:destruction_decide", args=[pending.pk]),
            {"approve": "yes", "opinion": "同意销毁"},
        )

        assert response.status_code == 302
        pending.refresh_from_db()
        assert pending.status == BatchStatus.APPROVED and pending.approved_by == director

    def test_a_decision_without_reasons_is_shown_again(self, client, director, pending):
        client.force_login(director)
        response = client.post(
            reverse("archive:destruction_decide", args=[pending.pk]), {"approve": "yes"}
        )
        assert response.status_code == 200 and "invalid-feedback" in body(response)
        pending.refresh_from_db()
        assert pending.status == BatchStatus.PENDING_APPROVAL

    def test_no_one_else_gets_the_decision_form_or_may_decide(self, client, archivist, pending):
        client.force_login(archivist)
        assert 'data-testid="decide-form"' not in body(client.get(page(pending)))
        response = client.post(
            reverse("archive:destruction_decide", args=[pending.pk]),
            {"approve": "yes", "opinion": "同意"},
        )
        assert response.status_code == 200 and "alert-danger" in body(response)
        pending.refresh_from_db()
        assert pending.status == BatchStatus.PENDING_APPROVAL

    def test_the_witness_checks_each_line_then_confirms(self, client, witness, approved, due):
        client.force_login(witness)
        html = body(client.get(page(approved)))
        assert 'data-testid="witness-hint"' in html and 'data-testid="complete-form"' not in html

        for line in approved.lines.all():
            url = reverse("archive:destruction_check_line", args=[line.pk])
            assert client.post(url).status_code == 302
        assert 'data-testid="complete-form"' in body(client.get(page(approved)))

        response = client.post(
            reverse("archive:destruction_complete", args=[approved.pk]), {"method": "碎纸机粉碎"}
        )

        assert response.status_code == 302
        approved.refresh_from_db()
        assert approved.status == BatchStatus.DESTROYED and approved.witness == witness
        assert set(ArchiveItem.objects.values_list("status", flat=True)) == {ItemStatus.DESTROYED}

    def test_the_preparer_may_not_check_and_sees_no_buttons(self, client, archivist, approved):
        client.force_login(archivist)
        assert 'data-testid="witness-hint"' not in body(client.get(page(approved)))
        line = approved.lines.first()
        response = client.post(
            reverse("archive:destruction_check_line", args=[line.pk]), follow=True
        )
        assert "alert-danger" in body(response)
        line.refresh_from_db()
        assert not line.checked_by_witness

    def test_a_borrowed_item_blocks_completion_with_a_message(self, client, witness, checked, due):
        ArchiveItem.objects.filter(pk=due[0].pk).update(status=ItemStatus.ON_LOAN)
        client.force_login(witness)
        response = client.post(
            reverse("archive:destruction_complete", args=[checked.pk]), {"method": "碎纸机粉碎"}
        )
        assert response.status_code == 200
        assert any(due[0].number in alert for alert in alerts(response))
        checked.refresh_from_db()
        assert checked.status == BatchStatus.APPROVED

    def test_completion_without_a_method_is_shown_again(self, client, witness, checked):
        client.force_login(witness)
        response = client.post(reverse("archive:destruction_complete", args=[checked.pk]), {})
        assert response.status_code == 200 and "invalid-feedback" in body(response)

    def test_an_unapproved_batch_cannot_be_destroyed_from_the_page(self, client, witness, pending):
        client.force_login(witness)
        response = client.post(
            reverse("archive:destruction_complete", args=[pending.pk]), {"method": "碎纸机粉碎"}
        )
        assert response.status_code == 200 and "alert-danger" in body(response)
        pending.refresh_from_db()
        assert pending.status == BatchStatus.PENDING_APPROVAL

    def test_other_staff_get_404_on_every_page_and_action(self, client, loan_officer, approved):
        client.force_login(loan_officer)
        line = approved.lines.first()
        assert client.get(page(approved)).status_code == 404
        assert client.get(reverse("archive:destruction_pdf", args=[approved.pk])).status_code == 404
        for name, pk in (
            ("destruction_submit", approved.pk),
            ("destruction_decide", approved.pk),
            ("destruction_complete", approved.pk),
            ("destruction_check_line", line.pk),
        ):
            assert client.post(reverse(f"archive:{name}", args=[pk])).status_code == 404

    def test_an_unknown_list_is_404(self, client, archivist):
        client.force_login(archivist)
        assert client.get(reverse("archive:destruction_detail", args=[999999])).status_code == 404

    def test_the_actions_need_a_post(self, client, witness, approved):
        client.force_login(witness)
        for name in ("destruction_submit", "destruction_decide", "destruction_complete"):
            assert client.get(reverse(f"archive:{name}", args=[approved.pk])).status_code == 405


class TestTheDestructionListPdf:
    def test_it_lists_the_items_the_approval_and_the_signature_lines(
        self, client, auditor, checked, director, witness, due
    ):
        client.force_login(auditor)
        response = client.get(reverse("archive:destruction_pdf", args=[checked.pk]))

        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert unquote(response["Content-Disposition"]).endswith(
            f"档案销毁清单-{checked.number}.pdf"
        )
        reader = PdfReader(BytesIO(response.content))
        text = "\n".join(p.extract_text() for p in reader.pages)
        flat = text.replace("\n", "")
        assert "档案销毁清单" in text and checked.number in text
        for item in due:
            assert item.number in text and item.title in flat
        assert due[0].dossier.customer.name in text
        assert "已过保管期限" in text and director.display_name in text
        assert witness.display_name in text
        for signer in ("经办人", "审批人", "监销人"):
            assert signer in text
        names = embedded_font_names(reader.pages[0])
        assert any("CJK" in name or "WenQuanYi" in name for name in names), names


class TestTheItemPage:
    def test_the_archive_staff_see_the_list_an_item_is_on(self, client, auditor, draft, due):
        client.force_login(auditor)
        html = body(client.get(reverse("archive:item_detail", args=[due[0].pk])))
        assert 'data-testid="destruction-panel"' in html and draft.number in html

    def test_an_item_on_no_list_shows_no_destruction_panel(self, client, archivist, due):
        client.force_login(archivist)
        html = body(client.get(reverse("archive:item_detail", args=[due[0].pk])))
        assert 'data-testid="destruction-panel"' not in html

    def test_a_destroyed_item_shows_why_it_is_gone_and_cannot_be_asked_for(
        self, client, witness, checked, due
    ):
        client.force_login(witness)
        client.post(
            reverse("archive:destruction_complete", args=[checked.pk]), {"method": "碎纸机粉碎"}
        )
        html = body(client.get(reverse("archive:item_detail", args=[due[0].pk])))
        assert checked.number in html and 'data-testid="borrow-request-form"' not in html

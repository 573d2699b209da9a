"""The case queue and the case page: who sees what, and who may do what."""

from datetime import timedelta

import pytest
from django.urls import reverse

from collection import views_cases
from collection.models import CollectionAction, InsuranceClaim, LegalAction, Recovery, Track
from loans.models import LoanAccount
from tests.collection.builders import (
    TODAY,
    add_guarantor,
    insure,
    make_loan,
    open_case,
    people_fixture,  # noqa: F401 (fixture)
    set_overdue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(people):
    return set_overdue(make_loan(people), "M1")


@pytest.fixture
def case(loan, loan_officer):
    return open_case(loan, assignee=loan_officer, bucket="M1", track=Track.OFFICER)


@pytest.fixture
def other_case(people, other_officer, collections_officer):
    """A loan of another officer, in M2."""
    account = set_overdue(make_loan(people, officer=other_officer), "M2", days=50)
    return open_case(account, assignee=collections_officer, bucket="M2")


FORMS = ("action", "promise", "demand", "claim", "lawsuit", "writeoff", "recovery")


def body(response) -> str:
    return response.content.decode()


class TestQueue:
    def test_a_loan_officer_sees_only_the_cases_of_their_own_loans(
        self, client, case, other_case, loan_officer
    ):
        client.force_login(loan_officer)
        page = body(client.get(reverse("collection:case_list")))
        assert case.account.number in page and other_case.account.number not in page

    @pytest.mark.parametrize(
        "role", ["collections_officer", "director", "reviewer", "auditor", "head_office"]
    )
    def test_these_roles_see_every_case_most_overdue_first(
        self, client, case, other_case, make_user, role
    ):
        client.force_login(make_user(f"someone_{role}", role))
        page = body(client.get(reverse("collection:case_list")))
        assert page.index(other_case.account.number) < page.index(case.account.number)

    def test_other_roles_get_a_404_and_strangers_the_login_page(self, client, make_user, case):
        response = client.get(reverse("collection:case_list"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        client.force_login(make_user("keeper", "archivist"))
        assert client.get(reverse("collection:case_list")).status_code == 404

    def test_filters_by_bucket_track_status_and_search(
        self, client, case, other_case, collections_officer
    ):
        client.force_login(collections_officer)
        url = reverse("collection:case_list")
        mine, theirs = case.account.number, other_case.account.number

        def shown(**query):
            page = body(client.get(url, query))
            return {number for number in (mine, theirs) if number in page}

        assert shown(bucket="M2") == {theirs}
        assert shown(track="officer") == {mine}
        assert shown(q=mine) == {mine}
        assert shown(q=other_case.account.customer.name) >= {theirs}
        type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=TODAY)
        assert shown() == {theirs}
        assert shown(status="closed") == {mine}
        assert shown(status="all") == {mine, theirs}

    def test_an_empty_queue_says_so(self, client, collections_officer):
        client.force_login(collections_officer)
        assert 'data-testid="case-empty"' in body(client.get(reverse("collection:case_list")))

    def test_it_is_paginated(self, client, case, other_case, collections_officer, monkeypatch):
        monkeypatch.setattr(views_cases, "PAGE_SIZE", 1)
        client.force_login(collections_officer)
        first = body(client.get(reverse("collection:case_list")))
        second = body(client.get(reverse("collection:case_list"), {"page": 2}))
        assert other_case.account.number in first and case.account.number in second

    def test_the_navigation_shows_collections_to_the_right_roles(
        self, client, collections_officer, make_user
    ):
        client.force_login(collections_officer)
        assert 'data-testid="nav-collections"' in body(client.get(reverse("home")))
        client.force_login(make_user("keeper", "archivist"))
        assert 'data-testid="nav-collections"' not in body(client.get(reverse("home")))


class TestCasePage:
    def test_the_page_shows_the_loan_and_the_forms_the_user_may_use(
        self, client, case, loan, loan_officer
    ):
        client.force_login(loan_officer)
        page = body(client.get(reverse("collection:case_detail", args=[case.pk])))
        assert loan.number in page and loan.customer.name in page
        assert 'data-testid="action-form"' in page and 'data-testid="promise-form"' in page
        assert (
            'data-testid="lawsuit-form"' not in page and 'data-testid="writeoff-form"' not in page
        )

    def test_another_loan_officer_gets_a_404(self, client, case, other_officer):
        client.force_login(other_officer)
        assert client.get(reverse("collection:case_detail", args=[case.pk])).status_code == 404
        response = client.post(
            reverse("collection:action_record", args=[case.pk]),
            {"action-kind": "phone", "action-result": "x"},
        )
        assert response.status_code == 404

    def test_the_auditor_reads_but_gets_no_form_and_cannot_act(
        self, client, case, loan, auditor, loan_officer
    ):
        set_overdue(loan, "M3+")  # a collections officer would get every form here
        insure(loan, loan_officer)
        add_guarantor(loan)
        client.force_login(auditor)
        page = body(client.get(reverse("collection:case_detail", args=[case.pk])))
        assert case.account.number in page
        assert not any(f'data-testid="{name}-form"' in page for name in FORMS)
        response = client.post(
            reverse("collection:action_record", args=[case.pk]),
            {"action-kind": "phone", "action-result": "试图记录"},
        )
        assert response.status_code == 200 and not CollectionAction.objects.exists()

    def test_the_loan_officer_records_an_action_and_comes_back_to_the_case(
        self, client, case, loan_officer
    ):
        client.force_login(loan_officer)
        response = client.post(
            reverse("collection:action_record", args=[case.pk]),
            {
                "action-kind": "visit",
                "action-result": "上门催收,借款人承诺月底还款",
                "action-next_action_on": f"{TODAY + timedelta(days=5):%Y-%m-%d}",
            },
        )
        assert response.status_code == 302
        assert CollectionAction.objects.get().kind == "visit"

    def test_a_refused_promise_keeps_its_input_and_says_why(self, client, case, loan_officer):
        client.force_login(loan_officer)
        response = client.post(
            reverse("collection:promise_record", args=[case.pk]),
            {"promise-amount": "999999.00", "promise-promised_on": f"{TODAY:%Y-%m-%d}"},
        )
        assert response.status_code == 200
        page = body(response)
        assert 'value="999999.00"' in page and "alert-danger" in page

    def test_a_collections_officer_files_a_claim_sues_and_records_the_judgment(
        self, client, case, loan, collections_officer, loan_officer
    ):
        set_overdue(loan, "M3+")
        insure(loan, loan_officer)
        client.force_login(collections_officer)
        page = body(client.get(reverse("collection:case_detail", args=[case.pk])))
        assert 'data-testid="claim-form"' in page and 'data-testid="writeoff-form"' in page
        client.post(
            reverse("collection:claim_file", args=[case.pk]),
            {"claim-amount": "40000.00", "claim-claimed_on": f"{TODAY:%Y-%m-%d}"},
        )
        assert InsuranceClaim.objects.get().amount == 40000
        client.post(
            reverse("collection:lawsuit_file", args=[case.pk]),
            {
                "lawsuit-court": "北京市朝阳区人民法院",
                "lawsuit-case_number": "(2026)京0105民初99号",
                "lawsuit-filed_on": f"{TODAY:%Y-%m-%d}",
                "lawsuit-claim_amount": "120400.00",
            },
        )
        lawsuit = LegalAction.objects.get()
        key = f"judgment-{lawsuit.pk}"
        response = client.post(
            reverse("collection:lawsuit_step", args=[case.pk, lawsuit.pk, "judgment"]),
            {f"{key}-judgment": "判决归还本息", f"{key}-judged_on": f"{TODAY:%Y-%m-%d}"},
        )
        assert response.status_code == 302
        lawsuit.refresh_from_db()
        assert lawsuit.stage == "judged"
        page = body(client.get(reverse("collection:case_detail", args=[case.pk])))
        assert 'data-testid="enforcement-form"' in page and 'data-testid="proceeds-form"' in page

    def test_an_unknown_lawsuit_step_is_a_404(self, client, case, loan, collections_officer):
        lawsuit = LegalAction.objects.create(
            case=case,
            court="法院",
            case_number="1",
            filed_on=TODAY,
            claim_amount=1,
            filed_by=collections_officer,
        )
        client.force_login(collections_officer)
        url = reverse("collection:lawsuit_step", args=[case.pk, lawsuit.pk, "appeal"])
        assert client.post(url, {}).status_code == 404

    def test_the_demand_letter_is_a_private_pdf(self, client, case, loan, loan_officer):
        guarantor = add_guarantor(loan)
        client.force_login(loan_officer)
        response = client.post(
            reverse("collection:demand_letter", args=[case.pk]),
            {
                "demand-guarantor": guarantor.pk,
                "demand-pay_by": f"{TODAY + timedelta(days=10):%Y-%m-%d}",
            },
        )
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        assert response.content.startswith(b"%PDF")

    def test_a_recovery_is_recorded_on_a_written_off_loan(
        self, client, case, loan, collections_officer
    ):
        LoanAccount.objects.filter(pk=loan.pk).update(
            status="written_off", written_off_on=TODAY, days_past_due=200
        )
        client.force_login(collections_officer)
        page = body(client.get(reverse("collection:case_detail", args=[case.pk])))
        assert 'data-testid="recovery-form"' in page
        data = {
            "recovery-amount": "3000.00",
            "recovery-received_on": f"{TODAY:%Y-%m-%d}",
            "recovery-source": "borrower",
            "recovery-reference": "HS-9",
        }
        url = reverse("collection:recovery_record", args=[case.pk])
        assert client.post(url, data).status_code == 302
        assert client.post(url, data).status_code == 302  # the same reference: nothing new
        assert Recovery.objects.count() == 1


def test_the_application_page_shows_the_case_panel(client, case, loan_officer):
    client.force_login(loan_officer)
    page = body(client.get(reverse("applications:detail", args=[case.account.application_id])))
    assert 'data-testid="collection-panel"' in page
    assert reverse("collection:case_detail", args=[case.pk]) in page


def test_the_admin_shows_the_collection_records_read_only(client, case, superuser):
    client.force_login(superuser)
    for model in ("collectioncase", "collectionaction", "promisetopay", "insuranceclaim"):
        assert client.get(reverse(f"admin:collection_{model}_changelist")).status_code == 200
    for model in ("legalaction", "writeoffrequest", "recovery"):
        assert client.get(reverse(f"admin:collection_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:collection_collectioncase_add")).status_code == 403
    page = client.get(reverse("admin:collection_collectioncase_change", args=[case.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()

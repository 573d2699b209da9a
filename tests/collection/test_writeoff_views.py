"""The write-off pages: asking with evidence, the queue, deciding, and the evidence files."""

import pytest
from django.urls import reverse

from collection.models import Track, WriteOffRequest, WriteOffStatus
from collection.services.writeoff import request_write_off
from loans.models import AccountStatus, LoanAccount
from tests.collection.builders import (
    evidence,
    make_loan,
    open_case,
    pdf_file,
    people_fixture,  # noqa: F401 (fixture)
    set_overdue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(people, collections_officer):
    loan = set_overdue(make_loan(people), "M3+")
    return open_case(loan, assignee=collections_officer, bucket="M3+", track=Track.LEGAL)


@pytest.fixture
def asked(case, collections_officer):
    return request_write_off(
        case=case,
        user=collections_officer,
        ground="enforcement_failed",
        reason="执行两年未果",
        evidence=evidence("judgment", "enforcement"),
    )


def body(response) -> str:
    return response.content.decode()


def test_the_collections_officer_asks_with_evidence_files(client, case, collections_officer):
    client.force_login(collections_officer)
    response = client.post(
        reverse("collection:writeoff_request", args=[case.pk]),
        {
            "writeoff-ground": "dead_or_missing",
            "writeoff-reason": "借款人死亡,已向继承人及保证人追偿",
            "writeoff-evidence_death": pdf_file("死亡证明.pdf"),
            "writeoff-evidence_pursuit": pdf_file("追偿记录.pdf"),
        },
    )
    assert response.status_code == 302
    request = WriteOffRequest.objects.get()
    assert sorted(request.evidence.values_list("original_name", flat=True)) == [
        "死亡证明.pdf",
        "追偿记录.pdf",
    ]


def test_a_request_without_its_evidence_is_refused_on_the_page(client, case, collections_officer):
    client.force_login(collections_officer)
    response = client.post(
        reverse("collection:writeoff_request", args=[case.pk]),
        {"writeoff-ground": "dead_or_missing", "writeoff-reason": "x"},
    )
    assert response.status_code == 200 and "alert-danger" in body(response)
    assert not WriteOffRequest.objects.exists()


def test_the_queue_shows_each_decider_what_waits_for_them(
    client, asked, reviewer, director, loan_officer
):
    url = reverse("collection:writeoff_list")
    client.force_login(reviewer)
    assert asked.account.number in body(client.get(url))
    client.force_login(director)
    assert asked.account.number not in body(client.get(url))
    assert asked.account.number in body(client.get(url, {"scope": "all"}))
    client.force_login(loan_officer)
    assert client.get(url).status_code == 404


def test_the_reviewer_then_the_director_decide_on_the_request_page(
    client, asked, reviewer, director
):
    url = reverse("collection:writeoff_detail", args=[asked.pk])
    client.force_login(reviewer)
    assert 'data-testid="writeoff-decision-form"' in body(client.get(url))
    assert client.post(url, {"agree": "yes", "opinion": "法律文书齐全"}).status_code == 302
    client.force_login(director)
    assert client.post(url, {"agree": "yes", "opinion": "同意核销"}).status_code == 302
    asked.refresh_from_db()
    assert asked.status == WriteOffStatus.APPROVED
    assert LoanAccount.objects.get(pk=asked.account_id).status == AccountStatus.WRITTEN_OFF


def test_a_refused_decision_is_shown_on_the_page(client, asked, make_user):
    both = make_user("both", "collections_officer", "reviewer")
    asked.requested_by = both
    asked.save(update_fields=["requested_by"])
    client.force_login(both)
    url = reverse("collection:writeoff_detail", args=[asked.pk])
    response = client.post(url, {"agree": "yes", "opinion": "同意"})
    assert response.status_code == 200 and "alert-danger" in body(response)
    asked.refresh_from_db()
    assert asked.status == WriteOffStatus.PENDING_REVIEW


def test_the_auditor_reads_the_request_without_a_form(client, asked, auditor):
    client.force_login(auditor)
    url = reverse("collection:writeoff_detail", args=[asked.pk])
    page = body(client.get(url))
    assert asked.account.number in page and "writeoff-decision-form" not in page
    client.post(url, {"agree": "yes", "opinion": "同意"})
    asked.refresh_from_db()
    assert asked.status == WriteOffStatus.PENDING_REVIEW


def test_the_evidence_is_served_privately_to_those_who_may_see_the_case(
    client, asked, reviewer, other_officer, people
):
    item = asked.evidence.first()
    url = reverse("collection:evidence_download", args=[asked.pk, item.pk])
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    assert client.get(reverse("collection:writeoff_detail", args=[asked.pk])).status_code == 404


def test_evidence_of_another_request_is_a_404(client, asked, people, collections_officer, reviewer):
    other = open_case(set_overdue(make_loan(people), "M3+"), assignee=collections_officer)
    second = request_write_off(
        case=other,
        user=collections_officer,
        ground="enforcement_ended",
        reason="终结执行",
        evidence=evidence("judgment", "enforcement"),
    )
    client.force_login(reviewer)
    url = reverse("collection:evidence_download", args=[asked.pk, second.evidence.first().pk])
    assert client.get(url).status_code == 404

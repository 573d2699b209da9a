from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Customer, LoanApplication, Status
from tests.origination import (
    PDF_BYTES,
    collateral_data,
    customer_data,
    draft,
    make_customer,
    reviewed,
    submitted,
    surveyed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def form_data(data):
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}


def test_an_officer_records_a_customer_through_the_form(client, loan_officer):
    client.force_login(loan_officer)
    response = client.post(reverse("applications:customer_create"), customer_data())
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:customer_detail", args=[customer.pk])


def test_a_bad_id_number_is_shown_on_the_form_and_nothing_is_lost(client, loan_officer):
    client.force_login(loan_officer)
    data = customer_data(id_number="110105198505201230")
    response = client.post(reverse("applications:customer_create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "不是有效的居民身份证号码" in body
    assert 'value="北京市朝阳区建国路1号"' in body  # what was typed is kept
    assert not Customer.objects.exists()


def test_a_duplicate_customer_is_refused_on_the_page(client, loan_officer, other_officer):
    existing = make_customer(other_officer)
    client.force_login(loan_officer)
    response = client.post(
        reverse("applications:customer_create"), customer_data(id_number=existing.id_number)
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()


def test_only_officers_open_the_new_customer_page(client, reviewer):
    assert page(client, reviewer, reverse("applications:customer_create")).status_code == 404


def test_an_officer_creates_and_submits_an_application(client, loan_officer):
    customer = make_customer(loan_officer)
    client.force_login(loan_officer)
    from tests.origination import application_data

    response = client.post(
        reverse("applications:create") + f"?customer={customer.pk}",
        form_data(application_data()),
    )
    application = LoanApplication.objects.get()
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "还缺:" in detail  # the missing documents are listed
    for kind in application.product.required_documents:
        client.post(
            reverse("applications:document_upload", args=[application.pk]),
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF_BYTES)},
        )
    refused = client.post(reverse("applications:submit", args=[application.pk]), follow=True)
    assert "抵押或质押贷款须在提交前登记押品" in refused.content.decode()
    client.post(
        reverse("collateral:add", args=[application.pk]),
        {k: v for k, v in collateral_data(application).items() if v is not None},
    )
    assert application.collaterals.count() == 1
    client.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_submitting_an_incomplete_application_shows_every_problem(client, loan_officer):
    application = draft(loan_officer, amount=Decimal("50000"))
    client.force_login(loan_officer)
    response = client.post(reverse("applications:submit", args=[application.pk]), follow=True)
    body = response.content.decode()
    assert "本产品的贷款金额须在" in body
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_a_disguised_upload_is_refused_on_the_page(client, loan_officer):
    application = draft(loan_officer)
    client.force_login(loan_officer)
    response = client.post(
        reverse("applications:document_upload", args=[application.pk]),
        {"kind": "id_card", "file": SimpleUploadedFile("id.png", b"<svg onload=alert(1)>")},
        follow=True,
    )
    assert "仅接受 PDF、JPEG 或 PNG" in response.content.decode()
    assert not application.documents.exists()


def test_documents_are_served_only_to_those_who_may_see_the_application(
    client, loan_officer, other_officer, auditor
):
    application = submitted(loan_officer)
    document = application.documents.first()
    url = reverse("applications:document_download", args=[application.pk, document.pk])
    response = page(client, loan_officer, url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    assert page(client, other_officer, url).status_code == 404
    assert page(client, auditor, url).status_code == 200


def test_who_sees_an_application(
    client,
    loan_officer,
    other_officer,
    investigator,
    reviewer,
    approver,
    director,
    auditor,
    archivist,
):
    application = submitted(loan_officer)
    url = reverse("applications:detail", args=[application.pk])
    assert page(client, loan_officer, url).status_code == 200
    assert page(client, investigator, url).status_code == 200  # waiting in the survey pool
    assert page(client, reviewer, url).status_code == 404  # not yet theirs
    assert page(client, other_officer, url).status_code == 404
    assert page(client, archivist, url).status_code == 404
    assert page(client, director, url).status_code == 200
    assert page(client, auditor, url).status_code == 200


def test_once_decided_the_deciders_still_see_it(
    client, loan_officer, investigator, reviewer, approver
):
    from review import services as review_services
    from tests.origination import decision_data

    application = reviewed(loan_officer, investigator, reviewer)
    review_services.decide_application(
        user=approver, application=application, data=decision_data(application)
    )
    url = reverse("applications:detail", args=[application.pk])
    for person in (investigator, reviewer, approver):
        assert page(client, person, url).status_code == 200


def test_the_queue_shows_what_waits_for_each_role(
    client, loan_officer, investigator, reviewer, other_officer
):
    waiting_survey = submitted(loan_officer)
    in_review = surveyed(loan_officer, investigator)
    queue = reverse("applications:queue")
    investigator_page = page(client, investigator, queue).content.decode()
    assert waiting_survey.number in investigator_page and in_review.number not in investigator_page
    reviewer_page = page(client, reviewer, queue).content.decode()
    assert in_review.number in reviewer_page and waiting_survey.number not in reviewer_page
    assert "暂无待办事项" in page(client, other_officer, queue).content.decode()


def test_the_queue_searches_by_name_id_number_and_number(client, loan_officer):
    application = draft(loan_officer)
    other = draft(loan_officer, customer=make_customer(loan_officer, name="王五"))
    queue = reverse("applications:queue")
    for term in ("张三", application.customer.id_number, application.number):
        body = page(client, loan_officer, queue, data={"q": term, "scope": "all"}).content.decode()
        assert application.number in body and other.number not in body


def test_the_queue_count_is_in_the_navigation(client, loan_officer, investigator):
    submitted(loan_officer)
    submitted(loan_officer, customer=make_customer(loan_officer))
    body = page(client, investigator, "/").content.decode()
    assert 'data-testid="nav-queue"' in body
    assert 'text-bg-warning">2</span>' in body


def test_identity_numbers_are_masked_for_roles_that_do_not_need_them(client, loan_officer, auditor):
    customer = make_customer(loan_officer)
    url = reverse("applications:customer_detail", args=[customer.pk])
    assert customer.id_number in page(client, loan_officer, url).content.decode()
    body = page(client, auditor, url).content.decode()
    assert customer.id_number not in body and customer.masked_id_number in body


def test_the_page_offers_only_the_actions_the_user_may_take(
    client, loan_officer, investigator, reviewer
):
    application = submitted(loan_officer)
    url = reverse("applications:detail", args=[application.pk])
    assert "领取调查" in page(client, investigator, url).content.decode()
    officer_page = page(client, loan_officer, url).content.decode()
    assert "领取调查" not in officer_page and "撤回本申请" in officer_page
    application = surveyed(loan_officer, investigator, customer=make_customer(loan_officer))
    url = reverse("applications:detail", args=[application.pk])
    assert (
        reverse("review:review", args=[application.pk])
        in page(client, reviewer, url).content.decode()
    )
    assert (
        reverse("review:review", args=[application.pk])
        not in page(client, investigator, url).content.decode()
    )


def test_a_stale_action_shows_a_message_not_an_error(client, loan_officer, investigator):
    application = submitted(loan_officer)
    client.force_login(investigator)
    client.post(reverse("applications:survey_claim", args=[application.pk]))
    response = client.post(reverse("applications:survey_claim", args=[application.pk]), follow=True)
    assert response.status_code == 200
    assert "调查中" in response.content.decode()

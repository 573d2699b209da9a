import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.servicing import approved, signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


@pytest.fixture
def registering(loan_officer, investigator, reviewer, approver):
    return signed(approved(loan_officer, investigator, reviewer, approver), loan_officer)


def test_the_registrar_works_the_registration_from_the_application_page(
    client, registering, mortgage_registrar, disbursement_supervisor
):
    registration = registering.registrations.get()
    client.force_login(mortgage_registrar)
    page = client.get(reverse("applications:detail", args=[registering.pk])).content.decode()
    assert "已提交登记机关" in page  # the registrar's button
    client.post(
        reverse("collateral:registration_submit", args=[registration.pk]),
        {"registry_office": "北京市朝阳区不动产登记中心", "submitted_on": "2026-11-21"},
    )
    client.post(
        reverse("collateral:registration_complete", args=[registration.pk]),
        {
            "certificate_number": "京(2026)朝阳区不动产证明第0000001号",
            "registered_on": "2026-11-25",
        },
    )
    client.post(reverse("collateral:registration_hand_over", args=[registration.pk]))
    client.force_login(disbursement_supervisor)
    response = client.post(
        reverse("collateral:registration_receive", args=[registration.pk]), follow=True
    )
    assert "权证已接收" in response.content.decode()
    registering.refresh_from_db()
    assert registering.status == "ready"


def test_a_bad_registration_date_is_a_message_not_an_error(client, registering, mortgage_registrar):
    registration = registering.registrations.get()
    client.force_login(mortgage_registrar)
    response = client.post(
        reverse("collateral:registration_submit", args=[registration.pk]),
        {"registry_office": "某中心", "submitted_on": "2099-01-01"},
        follow=True,
    )
    assert response.status_code == 200 and "日期不能晚于今天" in response.content.decode()


def test_the_ledger_filters_and_exports(client, registering, mortgage_registrar, loan_officer):
    client.force_login(mortgage_registrar)
    page = client.get(reverse("collateral:queue"), {"status": "pending"}).content.decode()
    assert registering.number in page
    assert (
        registering.number
        not in client.get(reverse("collateral:queue"), {"status": "registered"}).content.decode()
    )
    export = client.get(reverse("collateral:queue"), {"export": "xlsx"})
    assert "attachment" in export["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "申请编号" and rows[1][0] == registering.number
    assert rows[1][6].date() == registering.registrations.get().due_by
    client.force_login(loan_officer)
    assert client.get(reverse("collateral:queue")).status_code == 404


def test_the_officer_records_collateral_on_the_page_and_a_bad_value_is_refused(
    client, loan_officer
):
    from tests.origination import collateral_data, draft

    application = draft(loan_officer, with_collateral=False)
    client.force_login(loan_officer)
    data = collateral_data(application)
    data["appraised_value"] = "-5"
    response = client.post(reverse("collateral:add", args=[application.pk]), data, follow=True)
    assert response.status_code == 200 and not application.collaterals.exists()
    data["appraised_value"] = "1280000"
    data["appraisal_date"] = date(2026, 11, 1).isoformat()
    client.post(reverse("collateral:add", args=[application.pk]), data)
    assert application.collaterals.count() == 1

"""Contracts: generation per security type, the officer's signing (面签) and the pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.models import Guarantor, Status
from collateral.models import Collateral
from loancenter.errors import DomainError, InvalidTransition, PermissionRefused
from loancenter.models import AuditEvent
from loans.models import ContractKind, LoanContract, SigningMode
from loans.services.contracts import generate_contracts, sign_contracts
from review import services as review_services
from tests.origination import (
    decision_data,
    draft,
    id_number,
    review_data,
    reviewed,
    survey_data,
    upload_required_documents,
)
from tests.servicing import approved

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


@pytest.fixture
def staff(loan_officer, investigator, reviewer, approver):
    return loan_officer, investigator, reviewer, approver


def add_collateral(application, officer, **overrides) -> Collateral:
    customer = application.customer
    fields = {
        "kind": "house",
        "description": "建国路1号院2号楼301室住宅",
        "owner_name": customer.name,
        "owner_id_number": customer.id_number,
        "owner_is_borrower": True,
        "certificate_number": "京(2025)朝阳区不动产权第0012345号",
        "location": "北京市朝阳区建国路1号院2号楼301室",
        "area": Decimal("89.50"),
        "appraised_value": Decimal("1200000.00"),
        "appraisal_date": date(2026, 1, 5),
        "appraisal_agency": "北京某房地产土地评估有限公司",
        "created_by": officer,
    }
    fields.update(overrides)
    return Collateral.objects.create(application=application, **fields)


def guaranteed(officer, investigator, reviewer, approver, guarantors=("李四", "王五")):
    """A consumer loan guaranteed by people added before submission, walked to approval."""
    application = draft(
        officer,
        product_code="CONSUMER",
        amount=Decimal("150000.00"),
        term_months=36,
        security_type="guarantee",
        purpose="家庭装修",
        counterparty_name="北京某装饰工程有限公司",
    )
    for name in guarantors:
        application_services.add_guarantor(
            user=officer,
            application=application,
            data={
                "kind": Guarantor.PERSON,
                "name": name,
                "id_number": id_number(),
                "mobile": "13900001111",
                "relationship": "朋友",
                "guarantee_capacity": Decimal("300000.00"),
            },
        )
    upload_required_documents(officer, application)
    application = application_services.submit_application(user=officer, application=application)
    application = application_services.claim_survey(
        user=investigator, application=application, draw=0.99
    )
    for person in (officer, investigator):
        application_services.confirm_survey(
            user=person, application=application, data=survey_data(application)
        )
    application.refresh_from_db()
    review_services.review_application(
        user=reviewer, application=application, data=review_data(application)
    )
    application.refresh_from_db()
    review_services.decide_application(
        user=approver, application=application, data=decision_data(application)
    )
    application.refresh_from_db()
    return application


def consumer(staff, amount="150000.00", security="credit"):
    return approved(
        *staff,
        product_code="CONSUMER",
        amount=Decimal(amount),
        term_months=36,
        security_type=security,
        purpose="家庭装修",
        counterparty_name="北京某装饰工程有限公司",
    )


def mortgage_imposed_at_approval(officer, investigator, reviewer, approver):
    """Applied for as a credit loan; the approver approved it only against a mortgage, so no
    collateral is recorded yet."""
    application = reviewed(
        officer,
        investigator,
        reviewer,
        product_code="CONSUMER",
        amount=Decimal("150000.00"),
        term_months=36,
        security_type="credit",
        purpose="家庭装修",
        counterparty_name="北京某装饰工程有限公司",
    )
    review_services.decide_application(
        user=approver,
        application=application,
        data=decision_data(application, security_type="mortgage"),
    )
    application.refresh_from_db()
    return application


def signing(**overrides):
    data = {
        "signed_on": timezone.localdate(),
        "mode": SigningMode.IN_PERSON,
        "signers": "张三",
    }
    data.update(overrides)
    return data


# --- generation --------------------------------------------------------------------------


def test_a_credit_loan_gets_one_loan_contract_with_the_borrower(staff, loan_officer):
    application = consumer(staff)

    contracts = generate_contracts(user=loan_officer, application=application)

    assert [(c.kind, c.party) for c in contracts] == [(ContractKind.LOAN, "张三")]
    contract = contracts[0]
    assert contract.number == f"JK{timezone.localdate():%Y}000001"
    assert contract.pdf.read().startswith(b"%PDF-")
    assert len(contract.sha256) == 64
    assert contract.generated_by == loan_officer
    assert not contract.is_signed


def test_a_mortgage_loan_gets_one_mortgage_contract_per_mortgagor(staff, loan_officer):
    application = approved(*staff)
    add_collateral(application, loan_officer)
    add_collateral(application, loan_officer, certificate_number="京(2025)朝阳区不动产权第2号")
    add_collateral(
        application,
        loan_officer,
        owner_name="张父",
        owner_id_number=id_number(date(1960, 3, 1)),
        owner_is_borrower=False,
        certificate_number="京(2020)海淀区不动产权第7号",
    )

    contracts = generate_contracts(user=loan_officer, application=application)

    assert [(c.kind, c.party) for c in contracts] == [
        (ContractKind.LOAN, "张三"),
        (ContractKind.MORTGAGE, "张三"),
        (ContractKind.MORTGAGE, "张父"),
    ]
    year = timezone.localdate().year
    assert contracts[1].number == f"DY{year}000001"
    assert contracts[2].number == f"DY{year}000002"


def test_a_pledge_loan_gets_a_pledge_contract(loan_officer, investigator, reviewer, approver):
    application = approved(
        loan_officer,
        investigator,
        reviewer,
        approver,
        product_code="AUTO",
        amount=Decimal("150000.00"),
        term_months=36,
        security_type="pledge",
        purpose="购买自用小汽车",
        counterparty_name="北京某汽车销售服务有限公司",
    )
    add_collateral(application, loan_officer, kind="vehicle", certificate_number="京A12345")

    contracts = generate_contracts(user=loan_officer, application=application)

    assert [c.kind for c in contracts] == [ContractKind.LOAN, ContractKind.PLEDGE]
    assert contracts[1].number.startswith(f"ZY{timezone.localdate():%Y}")


def test_a_guaranteed_loan_gets_one_guarantee_contract_per_guarantor(
    loan_officer, investigator, reviewer, approver
):
    application = guaranteed(loan_officer, investigator, reviewer, approver)

    contracts = generate_contracts(user=loan_officer, application=application)

    assert [(c.kind, c.party) for c in contracts] == [
        (ContractKind.LOAN, "张三"),
        (ContractKind.GUARANTEE, "李四"),
        (ContractKind.GUARANTEE, "王五"),
    ]
    assert contracts[1].number.startswith(f"BZ{timezone.localdate():%Y}")


def test_each_generation_writes_an_audit_row(staff, loan_officer):
    application = consumer(staff)

    contracts = generate_contracts(user=loan_officer, application=application)

    event = AuditEvent.objects.filter(action="generate_contracts").get()
    assert event.actor == loan_officer
    assert contracts[0].number in event.opinion


def test_generating_again_keeps_the_numbers_and_replaces_the_pdfs(
    staff, loan_officer, django_capture_on_commit_callbacks
):
    application = approved(*staff)
    add_collateral(application, loan_officer)
    first = generate_contracts(user=loan_officer, application=application)
    old_files = [c.pdf.name for c in first]

    with django_capture_on_commit_callbacks(execute=True):  # old files go once it commits
        second = generate_contracts(user=loan_officer, application=application)

    assert [c.number for c in second] == [c.number for c in first]
    assert [c.pk for c in second] == [c.pk for c in first]
    assert LoanContract.objects.filter(application=application).count() == 2
    assert all(c.pdf.name not in old_files for c in second)
    storage = second[0].pdf.storage
    assert not any(storage.exists(name) for name in old_files)
    assert AuditEvent.objects.filter(action="generate_contracts").count() == 2


def test_it_refuses_an_application_that_is_not_approved(loan_officer, investigator, reviewer):
    application = reviewed(loan_officer, investigator, reviewer)

    with pytest.raises(InvalidTransition):
        generate_contracts(user=loan_officer, application=application)
    assert not LoanContract.objects.exists()


def test_it_refuses_anyone_but_the_applications_officer(staff, other_officer, approver):
    application = consumer(staff)

    for person in (other_officer, approver):
        with pytest.raises(PermissionRefused):
            generate_contracts(user=person, application=application)
    assert not LoanContract.objects.exists()


def test_it_refuses_a_mortgage_loan_without_collateral(staff, loan_officer):
    application = mortgage_imposed_at_approval(*staff)

    with pytest.raises(DomainError, match="请先登记押品"):
        generate_contracts(user=loan_officer, application=application)
    assert not LoanContract.objects.exists()


# --- signing -----------------------------------------------------------------------------


def test_signing_contracts_the_application_with_an_audit_row_and_sends_it_on(staff, loan_officer):
    application = approved(*staff)
    add_collateral(application, loan_officer)
    generate_contracts(user=loan_officer, application=application)
    today = timezone.localdate()

    contracts = sign_contracts(
        user=loan_officer, application=application, **signing(signers="张三、李梅")
    )

    application.refresh_from_db()
    assert application.status == Status.REGISTERING  # signed, then on to registration
    assert len(contracts) == 2
    for contract in LoanContract.objects.filter(application=application):
        assert contract.signed_on == today
        assert contract.signing_mode == SigningMode.IN_PERSON
        assert contract.signers == "张三、李梅"
        assert contract.signing_recorded_by == loan_officer
    event = AuditEvent.objects.get(action="sign_contracts")
    assert (event.from_state, event.to_state) == (Status.APPROVED, Status.CONTRACTED)
    assert event.actor == loan_officer
    assert "张三、李梅" in event.opinion


def test_a_small_consumer_loan_may_be_signed_electronically(staff, loan_officer):
    application = consumer(staff, amount="200000.00")
    generate_contracts(user=loan_officer, application=application)

    sign_contracts(
        user=loan_officer, application=application, **signing(mode=SigningMode.ELECTRONIC)
    )

    application.refresh_from_db()
    assert application.status == Status.READY  # unsecured: signed, then ready


def test_electronic_signing_is_refused_above_200000(staff, loan_officer):
    application = consumer(staff, amount="200000.01")
    generate_contracts(user=loan_officer, application=application)

    with pytest.raises(DomainError, match="200,000.00"):
        sign_contracts(
            user=loan_officer, application=application, **signing(mode=SigningMode.ELECTRONIC)
        )
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_electronic_signing_is_refused_for_a_housing_loan_however_small(staff, loan_officer):
    application = approved(*staff, amount=Decimal("150000.00"))
    add_collateral(application, loan_officer)
    generate_contracts(user=loan_officer, application=application)

    with pytest.raises(DomainError, match="住房贷款"):
        sign_contracts(
            user=loan_officer, application=application, **signing(mode=SigningMode.ELECTRONIC)
        )
    assert not LoanContract.objects.filter(signed_on__isnull=False).exists()


def test_a_signing_date_in_the_future_is_refused(staff, loan_officer):
    application = consumer(staff)
    generate_contracts(user=loan_officer, application=application)

    with pytest.raises(DomainError, match="未来"):
        sign_contracts(
            user=loan_officer,
            application=application,
            **signing(signed_on=timezone.localdate() + timedelta(days=1)),
        )


def test_empty_signers_are_refused(staff, loan_officer):
    application = consumer(staff)
    generate_contracts(user=loan_officer, application=application)

    with pytest.raises(DomainError, match="签约人"):
        sign_contracts(user=loan_officer, application=application, **signing(signers="  \n "))


def test_signing_is_refused_before_the_contracts_are_generated(staff, loan_officer):
    application = consumer(staff)

    with pytest.raises(DomainError, match="生成合同"):
        sign_contracts(user=loan_officer, application=application, **signing())


def test_signed_contracts_cannot_be_generated_again(staff, loan_officer):
    application = consumer(staff)
    generate_contracts(user=loan_officer, application=application)
    sign_contracts(user=loan_officer, application=application, **signing())

    with pytest.raises(InvalidTransition):
        generate_contracts(user=loan_officer, application=application)


# --- pages -------------------------------------------------------------------------------


def test_the_panel_appears_after_approval_with_the_officers_actions(
    client, staff, loan_officer, auditor
):
    application = consumer(staff)
    url = reverse("applications:detail", args=[application.pk])

    client.force_login(loan_officer)
    page = client.get(url).content.decode()
    assert 'data-testid="contracts-panel"' in page
    assert reverse("loans:contracts_generate", args=[application.pk]) in page

    client.force_login(auditor)
    page = client.get(url).content.decode()
    assert 'data-testid="contracts-panel"' in page
    assert reverse("loans:contracts_generate", args=[application.pk]) not in page


def test_the_panel_is_hidden_before_approval(client, loan_officer, investigator, reviewer):
    application = reviewed(loan_officer, investigator, reviewer)
    client.force_login(loan_officer)

    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()

    assert 'data-testid="contracts-panel"' not in page


def test_the_generate_button_generates_and_a_refusal_becomes_a_message(client, staff, loan_officer):
    application = mortgage_imposed_at_approval(*staff)
    client.force_login(loan_officer)
    url = reverse("loans:contracts_generate", args=[application.pk])

    response = client.post(url, follow=True)
    assert "请先登记押品" in response.content.decode()
    assert not LoanContract.objects.exists()

    add_collateral(application, loan_officer)
    response = client.post(url, follow=True)
    assert LoanContract.objects.filter(application=application).count() == 2
    assert LoanContract.objects.get(kind="loan").number in response.content.decode()


def test_generation_needs_a_post(client, staff, loan_officer):
    application = consumer(staff)
    client.force_login(loan_officer)

    response = client.get(reverse("loans:contracts_generate", args=[application.pk]))

    assert response.status_code == 405


def test_the_signing_form_records_the_signing(client, staff, loan_officer):
    application = consumer(staff)
    generate_contracts(user=loan_officer, application=application)
    client.force_login(loan_officer)
    url = reverse("loans:contracts_sign", args=[application.pk])

    form_page = client.get(url)
    assert form_page.status_code == 200
    assert "张三" in form_page.content.decode()  # the suggested signers

    response = client.post(
        url,
        {"signed_on": timezone.localdate().isoformat(), "mode": "in_person", "signers": "张三"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status in (Status.READY, Status.REGISTERING)


def test_a_refused_signing_stays_on_the_form_with_the_message(client, staff, loan_officer):
    application = approved(*staff)
    add_collateral(application, loan_officer)
    generate_contracts(user=loan_officer, application=application)
    client.force_login(loan_officer)

    response = client.post(
        reverse("loans:contracts_sign", args=[application.pk]),
        {"signed_on": timezone.localdate().isoformat(), "mode": "electronic", "signers": "张三"},
    )

    assert response.status_code == 200
    assert "住房贷款" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_only_the_officer_opens_the_signing_form(client, staff, loan_officer, other_officer):
    application = consumer(staff)
    url = reverse("loans:contracts_sign", args=[application.pk])
    client.force_login(loan_officer)
    assert client.get(url).status_code == 404  # nothing generated yet

    generate_contracts(user=loan_officer, application=application)
    client.force_login(other_officer)
    assert client.get(url).status_code == 404

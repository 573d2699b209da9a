"""Nothing lost between desk and archive: each workflow step announces its papers as expected
items, once, in the customer's dossier."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from archive.intake import on_audit_event
from archive.models import ArchiveItem, Category, CustodyEvent, Dossier
from collateral.models import InsurancePolicy
from loancenter import audit
from loancenter.models import AuditEvent
from loans.services.disbursement import disburse
from tests.origination import draft, surveyed
from tests.servicing import approved, registered, signed

pytestmark = pytest.mark.django_db
ACCOUNT = "6222020200112233445"


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


def sources(application):
    return set(application.archive_items.values_list("source", flat=True))


def test_the_first_application_opens_the_customers_dossier(loan_officer):
    application = draft(loan_officer)
    dossier = Dossier.objects.get(customer=application.customer)
    assert dossier.number.startswith(f"DA{timezone.localdate():%Y}")
    assert len(dossier.number) == 12


def test_a_second_application_of_the_same_customer_uses_the_same_dossier(loan_officer):
    first = draft(loan_officer)
    draft(loan_officer, customer=first.customer, product_code="CONSUMER", security_type="credit")
    assert Dossier.objects.filter(customer=first.customer).count() == 1


def test_a_completed_survey_announces_the_survey_report(loan_officer, investigator):
    application = surveyed(loan_officer, investigator)
    item = application.archive_items.get(source=f"survey:{application.pk}")
    assert item.category == Category.SURVEY_APPROVAL
    assert item.status == "expected"
    assert application.number in item.title
    assert item.number.startswith(item.dossier.number + "-")
    assert item.events.get().kind == "expected"


def test_approval_announces_the_approval_sheet(loan_officer, investigator, reviewer, approver):
    application = approved(loan_officer, investigator, reviewer, approver)
    assert sources(application) == {f"survey:{application.pk}", f"approval:{application.pk}"}


def test_signing_announces_each_signed_contract_as_a_legal_original(
    loan_officer, investigator, reviewer, approver
):
    application = signed(approved(loan_officer, investigator, reviewer, approver), loan_officer)
    contract = application.contracts.get()
    item = application.archive_items.get(source=f"contract:{contract.pk}")
    assert item.category == Category.LEGAL and not item.is_vital
    assert contract.number in item.title


def test_the_certificate_handed_over_is_expected_as_a_vital_voucher(
    loan_officer, investigator, reviewer, approver, mortgage_registrar, disbursement_supervisor
):
    application = signed(approved(loan_officer, investigator, reviewer, approver), loan_officer)
    application = registered(application, mortgage_registrar, disbursement_supervisor)
    registration = application.registrations.get()
    item = application.archive_items.get(source=f"certificate:{registration.pk}")
    assert item.is_vital and item.category == Category.LEGAL
    assert item.title == f"他项权证 {registration.certificate_number}"


def test_disbursement_announces_the_iou(
    loan_officer, investigator, reviewer, approver, mortgage_registrar, disbursement_supervisor
):
    application = signed(approved(loan_officer, investigator, reviewer, approver), loan_officer)
    application = registered(application, mortgage_registrar, disbursement_supervisor)
    account = disburse(
        user=disbursement_supervisor,
        application=application,
        value_date=timezone.localdate(),
        repayment_account=ACCOUNT,
    )
    item = ArchiveItem.objects.get(source=f"iou:{account.pk}")
    assert item.category == Category.ACCOUNTING and item.account == account
    assert item.application == application and not item.is_vital
    # every paper of the loan lies in one dossier, the customer's
    assert {i.dossier_id for i in application.archive_items.all()} == {item.dossier_id}
    assert application.archive_items.count() == 5  # survey, approval, contract, 他项权证, IOU


def test_an_insured_loan_announces_its_policy_as_a_vital_voucher_at_disbursement(
    loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    application = approved(
        loan_officer,
        investigator,
        reviewer,
        approver,
        product_code="CONSUMER",
        amount=Decimal("100000"),
        term_months=24,
        security_type="insurance",
    )
    application = signed(application, loan_officer)
    policy = InsurancePolicy.objects.create(
        application=application,
        insurer="某财产保险公司",
        policy_number="P-9",
        cover_amount=Decimal("100000"),
        starts_on=date(2026, 11, 1),
        ends_on=date(2029, 11, 1),
        recorded_by=loan_officer,
    )
    account = disburse(
        user=disbursement_supervisor,
        application=application,
        value_date=timezone.localdate(),
        repayment_account=ACCOUNT,
    )
    item = ArchiveItem.objects.get(source=f"policy:{policy.pk}")
    assert item.is_vital and item.account == account
    assert "P-9" in item.title


def test_a_step_announced_twice_makes_one_item(loan_officer, investigator, reviewer, approver):
    application = approved(loan_officer, investigator, reviewer, approver)
    before = ArchiveItem.objects.count()
    events = CustodyEvent.objects.count()
    with transaction.atomic():
        again = audit.record(actor=approver, action="approve", obj=application)
        on_audit_event(AuditEvent, again, created=True)  # and once more by hand
    assert ArchiveItem.objects.count() == before
    assert CustodyEvent.objects.count() == events


def test_steps_of_other_objects_and_other_actions_announce_nothing(loan_officer):
    application = draft(loan_officer)
    before = ArchiveItem.objects.count()
    with transaction.atomic():
        audit.record(actor=loan_officer, action="approve", obj=application.customer)
        audit.record(actor=loan_officer, action="update", obj=application)
        audit.record(actor=None, action="approve")
    assert ArchiveItem.objects.count() == before


def test_announcing_an_item_leaves_an_audit_row(loan_officer, investigator):
    application = surveyed(loan_officer, investigator)
    item = application.archive_items.get()
    row = audit.events_for(item).get()
    assert row.action == "archive_expected"

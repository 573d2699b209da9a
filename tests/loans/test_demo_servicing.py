"""`manage.py seed_demo`: the servicing demo (loans.demo) after the origination demo.

Rendering the contract PDFs takes over a second each; these tests swap the renderer for a
stub so that the seeder's walk through the real services is checked in seconds (the contract
PDFs themselves are tested in test_contract_pdfs).
"""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from stdnum.cn import ric

from applications.models import Customer, LoanApplication, Status
from collateral.models import MortgageRegistration
from loancenter import roles
from loancenter.models import AuditEvent
from loans.demo import DEMO_ID_NUMBERS, LOANS
from loans.models import Installment, LoanAccount, LoanContract, Repayment
from review.demo import DEMO_ID_NUMBERS as ORIGINATION_ID_NUMBERS

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Customer,
            LoanApplication,
            LoanContract,
            MortgageRegistration,
            LoanAccount,
            Installment,
            Repayment,
            AuditEvent,
            get_user_model(),
        )
    }


@pytest.fixture
def seeded(settings, origination, fast_contract_pdfs):
    settings.DEBUG = True
    call_command("seed_demo")
    return _counts()


def _demo_applications():
    return LoanApplication.objects.filter(customer__id_number__in=DEMO_ID_NUMBERS)


def _unpaid_due(account, today):
    return account.installments.filter(due_date__lt=today, paid_off_on__isnull=True)


def test_the_demo_customers_have_valid_fixed_id_numbers(seeded):
    assert len(DEMO_ID_NUMBERS) >= 8
    assert all(ric.is_valid(number) and len(number) == 18 for number in DEMO_ID_NUMBERS)
    assert not set(DEMO_ID_NUMBERS) & set(ORIGINATION_ID_NUMBERS)
    assert Customer.objects.filter(id_number__in=DEMO_ID_NUMBERS).count() == len(DEMO_ID_NUMBERS)


def test_a_second_run_duplicates_nothing(seeded):
    call_command("seed_demo")
    assert _counts() == seeded


def test_there_are_loans_in_registration_ready_and_disbursed(seeded):
    applications = _demo_applications()
    assert applications.count() == len(LOANS)
    registering = applications.filter(status=Status.REGISTERING)
    assert {r.status for a in registering for r in a.registrations.all()} == {
        "pending",
        "submitted",
    }
    ready = applications.filter(status=Status.READY)
    assert {a.security_type for a in ready} == {"mortgage", "credit"}
    for application in ready.filter(security_type="mortgage"):
        assert all(r.received_at for r in application.registrations.all())
    disbursed = applications.filter(status=Status.DISBURSED)
    assert disbursed.count() >= 4
    assert all(LoanAccount.objects.filter(application=a).exists() for a in disbursed)
    assert {a.product.code for a in disbursed} == {"HOUSING", "CONSUMER", "BUSINESS", "AUTO"}
    business = applications.filter(product__code="BUSINESS")
    assert all(a.rate_spread_bp >= 50 for a in business)


def test_every_demo_loan_passed_through_contracted_and_has_signed_contracts(seeded):
    content_type = ContentType.objects.get_for_model(LoanApplication)
    for application in _demo_applications():
        contracts = list(application.contracts.all())
        assert contracts and all(c.is_signed for c in contracts), application.number
        for contract in contracts:  # the stored file is the one its hash was taken of
            with contract.pdf.open("rb") as stored:
                assert contract.sha256 == hashlib.sha256(stored.read()).hexdigest()
        assert AuditEvent.objects.filter(
            content_type=content_type,
            object_id=str(application.pk),
            action="sign_contracts",
            to_state=Status.CONTRACTED,
        ).exists(), application.number


def test_some_accounts_are_paid_on_time_and_some_are_overdue(seeded):
    today = timezone.localdate()
    accounts = list(LoanAccount.objects.filter(customer__id_number__in=DEMO_ID_NUMBERS))
    assert len(accounts) >= 4
    on_time = [
        a
        for a in accounts
        if a.installments.filter(due_date__lte=today).exists()
        and not a.installments.filter(due_date__lte=today, paid_off_on__isnull=True).exists()
    ]
    assert len(on_time) >= 2
    for account in on_time:
        for installment in account.installments.filter(due_date__lte=today):
            assert installment.paid_off_on == installment.due_date
    overdue = [a for a in accounts if _unpaid_due(a, today).exists()]
    assert len(overdue) >= 2
    never_paid = [a for a in overdue if not a.repayments.exists()]
    stopped = [a for a in overdue if a.repayments.exists()]
    assert never_paid and stopped
    assert any(2 <= _unpaid_due(a, today).count() <= 3 for a in stopped)
    longest = max(_unpaid_due(a, today).first().due_date for a in stopped)
    assert all(_unpaid_due(a, today).first().due_date < longest for a in never_paid)
    assert all(a.status == "overdue" for a in overdue)
    assert all(a.status == "active" for a in accounts if a not in overdue)
    assert all(r.channel == "auto_debit" for r in Repayment.objects.all())


def test_every_schedule_adds_up_to_the_principal(seeded):
    """Added up in Python: SQLite's SUM() of decimals is a float sum (880000.000000001)."""
    for account in LoanAccount.objects.all():
        installments = list(account.installments.all())
        assert sum(i.principal_due for i in installments) == account.principal, account.number
        paid = sum(i.principal_paid for i in installments)
        assert account.principal_outstanding == account.principal - paid, account.number


def test_every_account_has_its_audit_trail(seeded):
    """The disbursement is recorded on the application (naming the IOU), each repayment on
    the account."""
    application_type = ContentType.objects.get_for_model(LoanApplication)
    account_type = ContentType.objects.get_for_model(LoanAccount)
    for account in LoanAccount.objects.all():
        disbursement = AuditEvent.objects.get(
            content_type=application_type,
            object_id=str(account.application_id),
            action="disburse",
        )
        assert disbursement.opinion.startswith(account.number)
        assert disbursement.actor.username == roles.DISBURSEMENT_SUPERVISOR
        postings = AuditEvent.objects.filter(
            content_type=account_type, object_id=str(account.pk), action="post_repayment"
        )
        assert postings.count() == account.repayments.count(), account.number


def test_the_demo_loan_officer_sees_the_accounts(seeded, client):
    officer = get_user_model().objects.get(username=roles.LOAN_OFFICER)
    client.force_login(officer)
    response = client.get("/loans/accounts/")
    assert response.status_code == 200
    page = response.content.decode()
    numbers = list(LoanAccount.objects.filter(officer=officer).values_list("number", flat=True))
    assert len(numbers) >= 4
    for number in numbers:
        assert number in page

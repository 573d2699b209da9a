"""Builders for collection tests: disbursed loans put overdue by hand (as the sweep would leave
them), cases opened directly, insurance, guarantors and evidence files."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from applications.models import Guarantor
from collateral.models import InsurancePolicy
from collection.models import CollectionCase, Track
from loancenter.repayment import add_months
from loans.models import LoanAccount
from tests.origination import PDF_BYTES, id_number
from tests.servicing import consumer_account

D = Decimal
TODAY = timezone.localdate()
BUCKET_FOR = {"M1": 15, "M2": 45, "M3": 75, "M3+": 120}


@pytest.fixture(name="people")
def people_fixture(
    origination, loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    """Who originates the test loans (import this fixture into the test module)."""
    return {
        "officer": loan_officer,
        "investigator": investigator,
        "reviewer": reviewer,
        "approver": approver,
        "supervisor": disbursement_supervisor,
    }


@pytest.fixture(name="english")
def english_fixture():
    """Refusals are matched on their English text, whatever the catalogue says."""
    with translation.override("en"):
        yield


def first_of_month(months_back: int) -> date:
    """The first of the month ``months_back`` months ago: that many installments are due."""
    return add_months(TODAY.replace(day=1), -months_back)


def make_loan(people, *, due=4, officer=None) -> LoanAccount:
    """A 120,000.00 loan over 12 months by equal principal (10,000.00 principal a month), with
    ``due`` installments due, no penalty interest; ``people`` from the ``people`` fixture."""
    return consumer_account(
        officer or people["officer"],
        people["investigator"],
        people["reviewer"],
        people["approver"],
        people["supervisor"],
        method="equal_principal",
        value_date=first_of_month(due),
        penalty_free=True,
    )


def set_overdue(account, bucket="M2", *, days=None, status="overdue", **fields) -> LoanAccount:
    """The account as the sweep leaves it: days past due, bucket, status and overdue figures."""
    values = {
        "days_past_due": BUCKET_FOR.get(bucket, 0) if days is None else days,
        "bucket": bucket,
        "status": status,
        "overdue_principal": D("10000.00"),
        "overdue_interest": D("360.00"),
        "penalty_outstanding": D("40.00"),
    }
    values.update(fields)
    LoanAccount.objects.filter(pk=account.pk).update(**values)
    account.refresh_from_db()
    return account


def set_current(account, status="active") -> LoanAccount:
    return set_overdue(
        account,
        "",
        days=0,
        status=status,
        overdue_principal=D("0"),
        overdue_interest=D("0"),
        penalty_outstanding=D("0"),
    )


def open_case(account, *, assignee=None, bucket=None, track=None) -> CollectionCase:
    bucket = account.bucket if bucket is None else bucket
    return CollectionCase.objects.create(
        account=account,
        bucket=bucket,
        track=track or Track.COLLECTIONS,
        assignee=assignee,
        opened_on=TODAY - timedelta(days=30),
    )


def insure(account, user, *, number="PICC-2026-0001") -> InsurancePolicy:
    return InsurancePolicy.objects.create(
        application=account.application,
        insurer="中国人民财产保险股份有限公司北京分公司",
        policy_number=number,
        cover_amount=account.principal,
        starts_on=account.value_date,
        ends_on=account.maturity_date,
        recorded_by=user,
    )


def add_guarantor(account, name="李四") -> Guarantor:
    return Guarantor.objects.create(
        application=account.application,
        kind=Guarantor.PERSON,
        name=name,
        id_number=id_number(),
        mobile="13900001111",
        relationship="朋友",
        guarantee_capacity=D("300000.00"),
    )


def pdf_file(name="evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def evidence(*kinds) -> list[tuple]:
    return [(kind, pdf_file(f"{kind}.pdf")) for kind in kinds]

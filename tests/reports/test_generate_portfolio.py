"""generate_portfolio: a bulk-loaded book whose rows agree with the app's own rules."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Sum

from applications.identity import validate_id_number
from applications.models import Customer, LoanApplication, Status
from archive.models import ArchiveItem, CustodyEvent, Dossier
from collection.models import CollectionCase
from loancenter.repayment import add_months, build_schedule
from loancenter.sequences import next_number
from loans.models import (
    AccountStatus,
    Installment,
    LoanAccount,
    Repayment,
    RepaymentAllocation,
    SweepRun,
)
from reports.portfolio.generate import generate

AS_OF = date(2026, 10, 31)
ACCOUNTS = 3000


@pytest.fixture
def book(db):
    return generate(accounts=ACCOUNTS, seed=7, as_of=AS_OF, log=lambda _line: None)


@pytest.mark.postgres
def test_the_book_has_the_accounts_customers_and_their_papers(book):
    assert LoanAccount.objects.count() == ACCOUNTS == book["accounts"]
    assert Customer.objects.count() == book["customers"] < ACCOUNTS
    assert Dossier.objects.count() == book["customers"]
    assert LoanApplication.objects.filter(status=Status.DISBURSED).count() == ACCOUNTS
    assert LoanApplication.objects.exclude(status=Status.DISBURSED).count() >= 30
    assert ArchiveItem.objects.filter(status="in_custody").count() == 2 * ACCOUNTS
    assert CustodyEvent.objects.filter(kind="received").count() == 2 * ACCOUNTS
    for customer in Customer.objects.order_by("?")[:50]:
        validate_id_number(customer.id_number)
    products = Counter(LoanAccount.objects.values_list("product__code", flat=True))
    assert set(products) == {"CONSUMER", "BUSINESS", "AUTO", "HOUSING"}
    assert products["CONSUMER"] > products["HOUSING"]
    per_account = Installment.objects.count() / ACCOUNTS
    assert 20 < per_account < 45, per_account


@pytest.mark.postgres
def test_every_schedule_is_the_one_build_schedule_gives(book):
    for account in LoanAccount.objects.order_by("?")[:40]:
        expected = build_schedule(
            principal=account.principal,
            annual_rate=account.annual_rate,
            months=account.term_months,
            method=account.repayment_method,
            value_date=account.value_date,
        )
        rows = list(account.installments.order_by("period"))
        assert [(i.due_date, i.principal_due, i.interest_due) for i in rows] == [
            (item.due_date, item.principal, item.interest) for item in expected.installments
        ]
        paid = sum((i.principal_paid for i in rows), Decimal("0"))
        assert account.principal_outstanding == account.principal - paid
        assert account.maturity_date == add_months(account.value_date, account.term_months)


@pytest.mark.postgres
def test_paid_installments_have_their_repayment_and_allocation(book):
    paid = Installment.objects.filter(paid_off_on__isnull=False)
    assert Repayment.objects.count() == paid.count() == book["repayments"] > 0
    assert RepaymentAllocation.objects.count() == paid.count()
    totals = Repayment.objects.aggregate(p=Sum("principal_part"), i=Sum("interest_part"))
    assert totals == paid.aggregate(p=Sum("principal_paid"), i=Sum("interest_paid"))
    mismatched = RepaymentAllocation.objects.exclude(
        installment__account=F("repayment__account"), principal=F("repayment__principal_part")
    )
    assert not mismatched.exists()
    assert not paid.filter(paid_off_on__gt=AS_OF).exists()


@pytest.mark.postgres
def test_the_sweep_ran_and_every_bucket_has_loans(book):
    assert SweepRun.objects.get(business_date=AS_OF).status == "done"
    buckets = Counter(
        LoanAccount.objects.filter(status=AccountStatus.OVERDUE).values_list("bucket", flat=True)
    )
    assert set(buckets) == {"M1", "M2", "M3", "M3+"}, buckets
    overdue = LoanAccount.objects.filter(status=AccountStatus.OVERDUE)
    assert overdue.filter(penalty_outstanding__gt=0).count() == overdue.count()
    assert CollectionCase.objects.filter(status="open").count() == overdue.count()
    assert LoanAccount.objects.filter(status=AccountStatus.SETTLED).exists()
    assert LoanAccount.objects.exclude(classification="normal").exists()
    # No installment is overdue on an account the sweep left performing.
    assert not LoanAccount.objects.filter(
        status=AccountStatus.ACTIVE,
        installments__paid_off_on__isnull=True,
        installments__due_date__lt=AS_OF,
    ).exists()


@pytest.mark.postgres
def test_numbers_continue_after_the_generated_ones(book):
    year = LoanAccount.objects.order_by("-value_date").first().value_date.year
    number = next_number(f"JJ{year}")
    assert not LoanAccount.objects.filter(number=number).exists()
    assert LoanAccount.objects.filter(number__startswith=f"JJ{year}").exists()


@pytest.mark.postgres
def test_indexes_and_constraints_are_back(book):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'loans_installment'::regclass "
            "AND contype IN ('f', 'u')"
        )
        assert cursor.fetchone()[0] == 2
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'loans_installment'"
        )
        assert "installment_open_due" in {row[0] for row in cursor.fetchall()}
    per_customer = Customer.objects.annotate(n=Count("accounts")).filter(n__gt=1)
    assert per_customer.exists()


@pytest.mark.postgres
def test_it_refuses_a_book_that_is_not_empty(book):
    with pytest.raises(CommandError, match="empty database"):
        call_command("generate_portfolio", "--accounts", "10")


@pytest.mark.django_db
def test_it_needs_postgresql_and_says_so():
    if connection.vendor == "postgresql":
        pytest.skip("the SQLite refusal")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_portfolio", "--accounts", "10")

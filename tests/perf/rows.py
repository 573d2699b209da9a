"""Rows for the query-count tests, written straight to the database in bulk.

The pages only need valid rows to list, not the history the services would leave behind, so
these builders skip the services: building 50 loans through them would take most of a minute.
Every row is a plain model instance with its required fields; ``bulk_create`` writes a batch in
one statement and, on SQLite 3.35+ and PostgreSQL, gives the rows their primary keys back.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from applications import identity
from applications.models import (
    ApplicationDocument,
    Customer,
    Guarantor,
    LoanApplication,
    LoanProduct,
)
from loancenter.models import AuditEvent
from loans.models import Installment, LoanAccount
from tests.origination import customer_data, id_number

D = Decimal
TODAY = timezone.localdate()
_serials = itertools.count(1)


def serial() -> int:
    """A number no other row of this test run has used (unique numbers, ID numbers, ...)."""
    return next(_serials)


def product(code: str) -> LoanProduct:
    return LoanProduct.objects.get(code=code)


# --- customers and applications ---------------------------------------------------------------


def customers(officer, count: int) -> list[Customer]:
    rows = []
    for _ in range(count):
        n = serial()
        number = id_number(birth=date(1970, 1, 1) + timedelta(days=n % 9000), sequence=n % 1000)
        rows.append(
            Customer(
                officer=officer,
                birth_date=identity.birth_date_from_id(number),
                sex=identity.sex_from_id(number),
                **customer_data(name=f"客户{n}", id_number=number),
            )
        )
    return Customer.objects.bulk_create(rows)


def customer(officer) -> Customer:
    return customers(officer, 1)[0]


PRODUCT_TERMS = {
    # security type, amount, term, spread: valid for the seeded products
    "CONSUMER": ("credit", D("100000.00"), 12, 60),
    "HOUSING": ("mortgage", D("800000.00"), 240, 0),
}


def applications(
    officer, count: int, *, status="draft", code="CONSUMER", owner=None, **fields
) -> list[LoanApplication]:
    """Applications of ``officer`` in ``status``, each for a new customer unless one is given."""
    security, amount, term, spread = PRODUCT_TERMS[code]
    the_product = product(code)
    owners = [owner] * count if owner is not None else customers(officer, count)
    values = {
        "product": the_product,
        "officer": officer,
        "amount": amount,
        "term_months": term,
        "rate_spread_bp": spread,
        "lpr_rate": D("3.00"),
        "annual_rate": D("3.00") + D(spread) / 100,
        "purpose": "消费",
        "repayment_method": "equal_installment",
        "security_type": security,
        "payment_mode": "entrusted",
        "counterparty_name": "北京某商贸有限公司",
        "counterparty_account": "11050162540000000001",
        "counterparty_bank": "中国建设银行北京分行",
        "status": status,
        "submitted_at": timezone.now() if status != "draft" else None,
        **fields,
    }
    rows = [
        LoanApplication(number=f"PQ{serial():010d}", customer=owner, **values) for owner in owners
    ]
    return LoanApplication.objects.bulk_create(rows)


def application(officer, **kwargs) -> LoanApplication:
    return applications(officer, 1, **kwargs)[0]


# --- loan accounts ----------------------------------------------------------------------------


def accounts(
    officer, supervisor, count: int, *, code="CONSUMER", owner=None, status="active", **fields
) -> list[LoanAccount]:
    """Disbursed loans (借据) of ``officer``: one application and account each."""
    loans = applications(officer, count, status="disbursed", code=code, owner=owner)
    return accounts_of(loans, supervisor, status=status, **fields)


def accounts_of(loans, supervisor, *, status="active", **fields) -> list[LoanAccount]:
    """The loan accounts of these applications."""
    value_date = TODAY - timedelta(days=120)
    rows = [
        LoanAccount(
            number=f"PJ{serial():010d}",
            application=loan,
            customer=loan.customer,
            product=loan.product,
            officer_id=loan.officer_id,
            principal=loan.amount,
            annual_rate=loan.annual_rate,
            penalty_uplift_percent=D("50"),
            repayment_method=loan.repayment_method,
            term_months=loan.term_months,
            value_date=value_date,
            maturity_date=value_date + timedelta(days=30 * loan.term_months),
            principal_outstanding=loan.amount,
            repayment_account="6222020200112233445",
            disbursed_by=supervisor,
            status=status,
            **fields,
        )
        for loan in loans
    ]
    return LoanAccount.objects.bulk_create(rows)


def account(officer, supervisor, **kwargs) -> LoanAccount:
    return accounts(officer, supervisor, 1, **kwargs)[0]


def overdue(**fields) -> dict:
    """The figures the sweep leaves on a loan 45 days overdue (bucket M2)."""
    return {
        "status": "overdue",
        "days_past_due": 45,
        "bucket": "M2",
        "overdue_principal": D("10000.00"),
        "overdue_interest": D("360.00"),
        "penalty_outstanding": D("40.00"),
        **fields,
    }


def installments(account: LoanAccount, count: int) -> list[Installment]:
    """``count`` more periods of the account's schedule, monthly after the last one."""
    last = account.installments.order_by("-period").first()
    start = last.period if last else 0
    rows = [
        Installment(
            account=account,
            period=start + n,
            due_date=account.value_date + timedelta(days=30 * (start + n)),
            principal_due=D("1000.00"),
            interest_due=D("100.00"),
        )
        for n in range(1, count + 1)
    ]
    return Installment.objects.bulk_create(rows)


# --- things attached to an application --------------------------------------------------------


def documents(application, user, count: int) -> list[ApplicationDocument]:
    rows = [
        ApplicationDocument(
            application=application,
            kind="identity",
            file=f"applications/test/{serial()}",
            original_name="身份证.pdf",
            content_type="application/pdf",
            size=1024,
            sha256="0" * 64,
            uploaded_by=user,
        )
        for _ in range(count)
    ]
    return ApplicationDocument.objects.bulk_create(rows)


def guarantors(application, count: int) -> list[Guarantor]:
    rows = []
    for _ in range(count):
        n = serial()
        rows.append(
            Guarantor(
                application=application,
                kind=Guarantor.PERSON,
                name=f"保证人{n}",
                id_number=id_number(birth=date(1960, 1, 1) + timedelta(days=n % 9000)),
                mobile="13900001111",
                relationship="朋友",
                guarantee_capacity=D("300000.00"),
            )
        )
    return Guarantor.objects.bulk_create(rows)


def audit_events(obj, actor, count: int, *, action="note") -> list[AuditEvent]:
    """Audit rows about ``obj`` (bulk: the archive's intake listens to single saves only)."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    rows = [
        AuditEvent(
            actor=actor,
            actor_name=actor.display_name if actor else "",
            role="test",
            action=action,
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            opinion=f"第{serial()}条",
        )
        for _ in range(count)
    ]
    return AuditEvent.objects.bulk_create(rows)

"""Builders for servicing tests: a disbursed loan account without walking every page."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from applications.models import LoanApplication
from loans.services.accounts import open_account
from review import services as review_services
from tests.origination import decision_data, make_customer, reviewed


def approved(officer, investigator, reviewer, approver, **overrides) -> LoanApplication:
    """An application approved by ``approver`` (amount within 1,000,000 unless overridden)."""
    application = reviewed(officer, investigator, reviewer, **overrides)
    review_services.decide_application(
        user=approver, application=application, data=decision_data(application)
    )
    application.refresh_from_db()
    return application


def account_for(
    application,
    *,
    supervisor,
    value_date=date(2026, 1, 15),
    repayment_account="6222020200112233445",
):
    """Open the 借据 straight from an approved application (no contracts or registration)."""
    with transaction.atomic():
        return open_account(
            application=application,
            user=supervisor,
            value_date=value_date,
            repayment_account=repayment_account,
        )


def consumer_account(
    officer,
    investigator,
    reviewer,
    approver,
    supervisor,
    *,
    amount=Decimal("120000.00"),
    term_months=12,
    method="equal_installment",
    spread_bp=60,
    value_date=date(2026, 1, 15),
):
    """A 12-month consumer loan at 3.60% (1-year LPR 3.00% + 60bp) unless told otherwise."""
    application = approved(
        officer,
        investigator,
        reviewer,
        approver,
        product_code="CONSUMER",
        customer=make_customer(officer),
        amount=amount,
        term_months=term_months,
        repayment_method=method,
        rate_spread_bp=spread_bp,
        security_type="credit",
    )
    return account_for(application, supervisor=supervisor, value_date=value_date)

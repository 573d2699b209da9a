"""Opening a loan account (借据) and its repayment schedule from the approved terms."""

from django.utils import timezone

from loancenter.repayment import build_schedule
from loancenter.sequences import next_number
from review.services import final_decision

from ..models import Installment, LoanAccount


def approved_terms(application):
    """The terms of the final approval: amount, term, rate and method."""
    decision = final_decision(application)
    if decision is None:
        raise ValueError(f"{application} has no approval")
    return decision


def open_account(*, application, user, value_date, repayment_account) -> LoanAccount:
    """Create the 借据 and its installments. Called by the disbursement service, in its
    transaction, after every pre-condition has been checked."""
    terms = approved_terms(application)
    schedule = build_schedule(
        principal=terms.amount,
        annual_rate=terms.annual_rate,
        months=terms.term_months,
        method=terms.repayment_method,
        value_date=value_date,
    )
    account = LoanAccount.objects.create(
        number=next_number(f"JJ{timezone.localdate():%Y}"),
        application=application,
        customer=application.customer,
        product=application.product,
        officer=application.officer,
        principal=terms.amount,
        annual_rate=terms.annual_rate,
        penalty_uplift_percent=application.product.penalty_uplift_percent,
        repayment_method=terms.repayment_method,
        term_months=terms.term_months,
        value_date=value_date,
        maturity_date=schedule.maturity_date,
        principal_outstanding=terms.amount,
        repayment_account=repayment_account,
        disbursed_by=user,
    )
    Installment.objects.bulk_create(
        Installment(
            account=account,
            period=item.period,
            due_date=item.due_date,
            principal_due=item.principal,
            interest_due=item.interest,
        )
        for item in schedule.installments
    )
    return account

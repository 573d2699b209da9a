"""Origination rules checked when an application is submitted (RULES.md §2).

Each check returns the problems it finds as messages for the loan officer; an empty list means
the application may go forward.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from loancenter.repayment import build_schedule

from . import identity
from .catalog import Category, DocumentKind, PaymentMode, SecurityType, labels
from .models import CreditWarning, LoanApplication, LoanPrimeRate


def rate_for(product, spread_bp: int, on=None) -> tuple[Decimal, Decimal]:
    """(LPR, annual rate) for a product and spread, from the LPR in force on ``on``."""
    lpr = LoanPrimeRate.current(product.rate_basis, on)
    if lpr is None:
        return Decimal("0"), Decimal("0")
    return lpr.rate, lpr.rate + Decimal(spread_bp) / 100


def schedule_for(application: LoanApplication, value_date=None):
    return build_schedule(
        principal=application.amount,
        annual_rate=application.annual_rate,
        months=application.term_months,
        method=application.repayment_method,
        value_date=value_date or timezone.localdate(),
    )


def payment_to_income(application: LoanApplication) -> Decimal | None:
    """This loan's largest monthly payment as a percentage of monthly income."""
    income = application.customer.monthly_income
    if not income:
        return None
    payment = schedule_for(application).max_payment
    return (payment * 100 / income).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_terms(application: LoanApplication) -> list[str]:
    product, problems = application.product, []
    if not product.is_active:
        problems.append(_("The product %(name)s is not on sale.") % {"name": product.name})
    if not product.min_amount <= application.amount <= product.max_amount:
        problems.append(
            _("The amount must be between %(low)s and %(high)s for this product.")
            % {"low": f"{product.min_amount:,.2f}", "high": f"{product.max_amount:,.2f}"}
        )
    problems += _check_term(application)
    if not product.min_spread_bp <= application.rate_spread_bp <= product.max_spread_bp:
        problems.append(
            _("The spread must be between %(low)s and %(high)s basis points over the LPR.")
            % {"low": product.min_spread_bp, "high": product.max_spread_bp}
        )
    if LoanPrimeRate.current(product.rate_basis) is None:
        problems.append(_("No LPR is in force for this product's rate basis."))
    if application.repayment_method not in product.repayment_methods:
        problems.append(_("This product does not allow that repayment method."))
    if application.security_type not in product.security_types:
        problems.append(
            _("This product allows only these security types: %(types)s.")
            % {"types": "、".join(labels(SecurityType, product.security_types))}
        )
    return problems


def _check_term(application: LoanApplication) -> list[str]:
    product, term = application.product, application.term_months
    if term > product.term_limit_months:
        return [
            _("The term may not exceed %(months)s months for this product.")
            % {"months": product.term_limit_months}
        ]
    if term > product.max_term_months and not application.term_reason.strip():
        return [
            _("A term over %(months)s months needs a written reason.")
            % {"months": product.max_term_months}
        ]
    return []


def check_borrower(application: LoanApplication, today=None) -> list[str]:
    customer, product = application.customer, application.product
    today = today or timezone.localdate()
    problems = []
    if not customer.full_civil_capacity:
        problems.append(_("The borrower does not have full civil capacity; no loan is allowed."))
    if CreditWarning.is_listed(customer.id_number, today):
        problems.append(_("The borrower is on the bank's credit warning list; no loan is allowed."))
    age = identity.age_on(customer.birth_date, today)
    if not product.min_age <= age <= product.max_age:
        problems.append(
            _("The borrower is %(age)s; this product lends from %(low)s to %(high)s years of age.")
            % {"age": age, "low": product.min_age, "high": product.max_age}
        )
    maturity = schedule_for(application, today).maturity_date
    age_at_maturity = identity.age_on(customer.birth_date, maturity)
    if age_at_maturity > product.max_age_at_maturity:
        problems.append(
            _("The borrower would be %(age)s at maturity; the limit is %(limit)s.")
            % {"age": age_at_maturity, "limit": product.max_age_at_maturity}
        )
    return problems


def check_affordability(application: LoanApplication) -> list[str]:
    customer, product = application.customer, application.product
    if customer.monthly_income <= 0:
        return [_("The borrower's monthly income must be recorded.")]
    pti = payment_to_income(application)
    problems = []
    if pti > product.max_payment_to_income_percent:
        problems.append(
            _("The monthly payment is %(pti)s%% of income; this product allows %(limit)s%%.")
            % {"pti": pti, "limit": product.max_payment_to_income_percent}
        )
    if product.max_debt_to_income_percent is not None:
        payment = schedule_for(application).max_payment
        dti = (payment + customer.monthly_debt_payments) * 100 / customer.monthly_income
        dti = dti.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if dti > product.max_debt_to_income_percent:
            problems.append(
                _("All debt payments are %(dti)s%% of income; this product allows %(limit)s%%.")
                % {"dti": dti, "limit": product.max_debt_to_income_percent}
            )
    return problems


def check_payment(application: LoanApplication) -> list[str]:
    product, problems = application.product, []
    if application.payment_mode == PaymentMode.SELF:
        if application.amount > product.self_payment_limit:
            problems.append(
                _(
                    "Self payment is allowed only up to %(limit)s; above it the funds go to the "
                    "counterparty."
                )
                % {"limit": f"{product.self_payment_limit:,.2f}"}
            )
    elif not (application.counterparty_name and application.counterparty_account):
        problems.append(_("Entrusted payment needs the counterparty's name and account."))
    return problems


def check_security(application: LoanApplication) -> list[str]:
    if application.security_type == SecurityType.GUARANTEE and not application.guarantors.exists():
        return [_("A guaranteed loan needs at least one guarantor.")]
    return []


def missing_documents(application: LoanApplication) -> list[str]:
    present = set(application.documents.values_list("kind", flat=True))
    return [code for code in application.product.required_documents if code not in present]


def check_documents(application: LoanApplication) -> list[str]:
    missing = missing_documents(application)
    if not missing:
        return []
    return [
        _("These required documents are missing: %(documents)s.")
        % {"documents": "、".join(labels(DocumentKind, missing))}
    ]


# Checks contributed by later apps (collateral: a secured loan needs its collateral), which
# this module may not import. Each takes the application and returns messages.
_extra_checks: list = []


def register_check(check) -> None:
    if check not in _extra_checks:
        _extra_checks.append(check)


def check_submission(application: LoanApplication) -> list[str]:
    terms = check_terms(application)
    if terms:  # the later checks need valid terms to compute a schedule
        return terms
    problems = (
        check_borrower(application)
        + check_affordability(application)
        + check_payment(application)
        + check_security(application)
        + check_documents(application)
    )
    for check in _extra_checks:
        problems += check(application)
    return problems


def onsite_survey_required(application: LoanApplication, draw: float) -> bool:
    """Business loans always; other products when the draw falls within the sampling rate."""
    if application.product.category == Category.BUSINESS:
        return True
    return draw * 100 < application.product.onsite_survey_percent

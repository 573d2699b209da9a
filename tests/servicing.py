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
    penalty_free=False,
):
    """A 12-month consumer loan at 3.60% (1-year LPR 3.00% + 60bp) unless told otherwise.

    ``penalty_free``: no penalty interest accrues (uplift −100%: contract × 0), for tests about
    allocation, statements and pages rather than about the overdue sweep."""
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
    account = account_for(application, supervisor=supervisor, value_date=value_date)
    if penalty_free:
        type(account).objects.filter(pk=account.pk).update(penalty_uplift_percent=Decimal("-100"))
        account.refresh_from_db()
    return account


def signed(application, officer, *, signed_on=date(2026, 11, 20)):
    """Signed contracts recorded directly (the contract service has its own tests), then the
    same hand-over the signing service makes: registration for secured loans, else ready."""
    from django.core.files.base import ContentFile

    from collateral.services import after_contracts_signed
    from loancenter.workflow import locked, transition
    from loans.models import LoanContract

    with transaction.atomic():
        application = locked(application)
        contract = LoanContract(
            application=application,
            kind="loan",
            number=f"JK-TEST-{application.pk}",
            party=application.customer.name,
            sha256="0" * 64,
            generated_by=officer,
            signed_on=signed_on,
            signing_mode="in_person",
            signers=application.customer.name,
            signing_recorded_by=officer,
        )
        contract.pdf.save("contract.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        contract.save()
        transition(
            application,
            "sign_contracts",
            user=officer,
            action="sign_contracts",
            action_label="signed",
            role="loan_officer",
        )
        after_contracts_signed(user=officer, application=application)
    application.refresh_from_db()
    return application


def registered(application, registrar, supervisor):
    """Walk every registration of the application to a received certificate."""
    from collateral import services as collateral_services

    for registration in application.registrations.all():
        collateral_services.submit_registration(
            user=registrar,
            registration=registration,
            registry_office="北京市朝阳区不动产登记中心",
            submitted_on=date(2026, 11, 21),
        )
        collateral_services.complete_registration(
            user=registrar,
            registration=registration,
            certificate_number=f"京(2026)朝阳区不动产证明第{registration.pk:07d}号",
            registered_on=date(2026, 11, 25),
        )
        collateral_services.hand_over_certificate(user=registrar, registration=registration)
        collateral_services.confirm_certificate_received(user=supervisor, registration=registration)
    application.refresh_from_db()
    return application

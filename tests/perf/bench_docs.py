"""Part: rendering a loan contract PDF and building a 360-month schedule.

``python -m tests.perf.bench_docs`` with DATABASE_URL set. Prints ``contract_pdf_ms`` (median
of 10 after 1 warm-up) and ``schedule_360_ms`` (median of 200 after 1 warm-up).

The contract is rendered the way ``loans.services.contracts.generate_contracts`` renders it
(``render_pdf`` of the loan-contract template with ``_context``), for the application of a
generated loan account, without storing the file (generating is only allowed before signing).
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from tests.perf.bench_common import emit, fail, median, note, setup_django


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up: imports, fonts, template compilation
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def stand_in_decision(account):
    """The approval a contract is rendered from, taken from the account's own terms when the
    portfolio generator wrote no ApprovalDecision row (not saved)."""
    from review.models import ApprovalDecision

    note(f"contract: {account.application.number} has no approval decision; its terms are used")
    return ApprovalDecision(
        application=account.application,
        decision=ApprovalDecision.APPROVE,
        amount=account.principal,
        term_months=account.term_months,
        annual_rate=account.annual_rate,
        repayment_method=account.repayment_method,
        security_type=account.application.security_type,
        conditions="",
    )


def contract_renderer():
    from applications.catalog import Category
    from loancenter.pdf import render_pdf
    from loans.models import ContractKind, LoanAccount, LoanContract
    from loans.services import contracts
    from review.services import final_decision

    account = (
        LoanAccount.objects.filter(product__category=Category.HOUSING)
        .select_related("application__customer", "application__product")
        .order_by("pk")
        .first()
    ) or LoanAccount.objects.select_related("application").order_by("pk").first()
    if account is None:
        fail("no loan account to render a contract for")
    application = account.application
    decision = final_decision(application) or stand_in_decision(account)
    existing = list(application.contracts.order_by("pk"))
    contract = next((c for c in existing if c.kind == ContractKind.LOAN), None) or LoanContract(
        application=application,
        kind=ContractKind.LOAN,
        party=application.customer.name,
        number="JK-BENCH-000001",
    )
    security = [
        {"title": contracts.contract_title(c), "number": c.number, "party": c.party}
        for c in existing
        if c.kind != ContractKind.LOAN
    ]
    planned = contracts.PlannedContract(
        ContractKind.LOAN, application.customer.name, {"security_contracts": security}
    )
    note(f"contract: the loan contract of {application.number} ({account.product.category})")

    def render():
        context = contracts._context(contract, planned, application, decision, contract.number)
        return render_pdf(contracts.TEMPLATES[ContractKind.LOAN], context)

    return render


def schedule_builder():
    from loancenter.repayment import EQUAL_INSTALLMENT, build_schedule

    def build():
        return build_schedule(
            principal=Decimal("1500000.00"),
            annual_rate=Decimal("3.5500"),
            months=360,
            method=EQUAL_INSTALLMENT,
            value_date=date(2026, 1, 15),
        )

    return build


def main() -> None:
    setup_django()
    emit("contract_pdf_ms", median(timed(contract_renderer(), 10)), "ms")
    emit("schedule_360_ms", median(timed(schedule_builder(), 200)), "ms")


if __name__ == "__main__":
    main()

"""Pages of servicing and collections (loans, collection): ``build(world)`` returns the page's
URL and ``add(count)``, which adds ``count`` more of the rows the page lists."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from collateral.models import InsurancePolicy
from collection.models import (
    CollectionAction,
    CollectionCase,
    InsuranceClaim,
    LegalAction,
    PostLoanCheck,
    PromiseToPay,
    Recovery,
    WriteOffEvidence,
    WriteOffRequest,
)
from loans.models import (
    ChangeRequest,
    ClassificationChange,
    Repayment,
    RepaymentAllocation,
    SweepRun,
)

from . import rows
from .pages_front import collaterals, contracts
from .rows import TODAY, D

# --- servicing --------------------------------------------------------------------------------


def account_list(w):
    def add(count):
        rows.accounts(w.officer, w.supervisor, count)

    return reverse("loans:account_list"), add


def repayments(account, user, count):
    return Repayment.objects.bulk_create(
        Repayment(
            account=account,
            amount=D("100.00"),
            paid_on=TODAY - timedelta(days=1),
            channel="transfer",
            reference=f"REF{rows.serial()}",
            principal_part=D("100.00"),
            posted_by=user,
        )
        for _ in range(count)
    )


def account_detail(w):
    account = rows.account(w.officer, w.supervisor)

    def add(count):
        rows.installments(account, count)
        repayments(account, w.officer, count)

    return reverse("loans:account_detail", args=[account.pk]), add


def repayment_receipt(w):
    account = rows.account(w.officer, w.supervisor)
    repayment = repayments(account, w.officer, 1)[0]

    def add(count):
        RepaymentAllocation.objects.bulk_create(
            RepaymentAllocation(repayment=repayment, installment=installment, principal=D("0"))
            for installment in rows.installments(account, count)
        )

    url = reverse("loans:repayment_receipt", args=[account.pk, repayment.pk])
    return url, add


def change_requests(account, w, count, *, status="done"):
    done = status == "done"
    return ChangeRequest.objects.bulk_create(
        ChangeRequest(
            account=account,
            kind="account",
            status=status,
            reason="换卡。",
            effective_on=TODAY,
            new_repayment_account="6222020200112299999",
            requested_by=w.officer,
            reviewed_by=w.reviewer if done else None,
            review_opinion="同意。" if done else "",
            approved_by=w.approver if done else None,
            done_at=timezone.now() if done else None,
        )
        for _ in range(count)
    )


def account_changes(w):
    account = rows.account(w.officer, w.supervisor)

    def add(count):
        change_requests(account, w, count)

    return reverse("loans:account_changes", args=[account.pk]), add


def change_request(w):
    account = rows.account(w.officer, w.supervisor)

    def add(count):
        change_requests(account, w, count)  # "earlier changes" under the form

    return reverse("loans:change_request", args=[account.pk]), add


def change_queue(w):
    def add(count):
        for account in rows.accounts(w.officer, w.supervisor, count):
            change_requests(account, w, 1, status="pending_review")

    return reverse("loans:change_queue"), add


def change_decide(w):
    account = rows.account(w.officer, w.supervisor)
    change = change_requests(account, w, 1, status="pending_review")[0]

    def add(count):
        change_requests(account, w, count)  # the account's earlier changes: not on this page

    return reverse("loans:change_decide", args=[change.pk]), add


def classification_changes(account, w, count, *, status="approved"):
    decided = status != "pending"
    return ClassificationChange.objects.bulk_create(
        ClassificationChange(
            account=account,
            from_class="normal",
            to_class="special_mention",
            origin="manual_worse",
            reason="经营恶化。",
            days_past_due=10,
            effective_on=TODAY,
            status=status,
            requested_by=w.officer,
            decided_by=w.director if decided else None,
            decided_at=timezone.now() if decided else None,
            decision_opinion="同意。" if decided else "",
        )
        for _ in range(count)
    )


def account_classification(w):
    account = rows.account(w.officer, w.supervisor)

    def add(count):
        classification_changes(account, w, count)

    return reverse("loans:account_classification", args=[account.pk]), add


def classification_queue(w):
    def add(count):
        for account in rows.accounts(w.officer, w.supervisor, count):
            classification_changes(account, w, 1, status="pending")

    return reverse("loans:classification_queue"), add


def disbursement_queue(w):
    """Secured housing loans ready to disburse, each with its contract and registration."""

    def add(count):
        for application in rows.applications(w.officer, count, status="ready", code="HOUSING"):
            contracts(application, w.officer, 1)
            collaterals(application, w.officer, 1, registered_by=w.registrar)

    return reverse("loans:disbursement_queue"), add


def contracts_sign(w):
    application = rows.application(w.officer, status="approved")

    def add(count):
        contracts(application, w.officer, count, signed=False)

    return reverse("loans:contracts_sign", args=[application.pk]), add


def sweep_runs(w):
    days_back = itertools.count(1)

    def add(count):
        SweepRun.objects.bulk_create(
            SweepRun(
                business_date=TODAY - timedelta(days=next(days_back)),
                status="done",
                finished_at=timezone.now(),
                attempts=1,
                figures={"accounts": 10},
                started_by=w.director,
            )
            for _ in range(count)
        )

    return reverse("loans:sweep_runs"), add


# --- collections ------------------------------------------------------------------------------


def open_case(account, w, **fields):
    return CollectionCase.objects.create(
        account=account,
        bucket=account.bucket or "M2",
        track="collections",
        assignee=w.collections,
        opened_on=TODAY - timedelta(days=30),
        **fields,
    )


def case_list(w):
    def add(count):
        for account in rows.accounts(w.officer, w.supervisor, count, **rows.overdue()):
            open_case(account, w)

    return reverse("collection:case_list"), add


def case_detail(w):
    """An insured loan 120 days overdue, on the legal track: every section of the page."""
    account = rows.account(w.officer, w.supervisor, **rows.overdue(days_past_due=120, bucket="M3+"))
    InsurancePolicy.objects.create(
        application=account.application,
        insurer="中国人民财产保险股份有限公司北京分公司",
        policy_number=f"PICC-{rows.serial()}",
        cover_amount=account.principal,
        starts_on=account.value_date,
        ends_on=account.maturity_date,
        recorded_by=w.officer,
    )
    case = open_case(account, w)

    def add(count):
        by = w.collections
        CollectionAction.objects.bulk_create(
            CollectionAction(case=case, kind="phone", result="承诺还款。", done_by=by)
            for _ in range(count)
        )
        PromiseToPay.objects.bulk_create(
            PromiseToPay(
                case=case, amount=D("1000.00"), made_on=TODAY, promised_on=TODAY, recorded_by=by
            )
            for _ in range(count)
        )
        claim_repayments = repayments(account, by, count)
        InsuranceClaim.objects.bulk_create(
            InsuranceClaim(
                case=case,
                insurer="中国人民财产保险股份有限公司北京分公司",
                policy_number="PICC-1",
                claimed_on=TODAY,
                amount=D("1000.00"),
                status="paid" if n % 2 else "filed",
                amount_paid=D("100.00") if n % 2 else D("0"),
                paid_on=TODAY if n % 2 else None,
                repayment=claim_repayments[n] if n % 2 else None,
                filed_by=by,
            )
            for n in range(count)
        )
        LegalAction.objects.bulk_create(
            LegalAction(
                case=case,
                case_number=f"(2026)京0105民初{rows.serial()}号",
                court="北京市朝阳区人民法院",
                filed_on=TODAY,
                claim_amount=D("10000.00"),
                stage=("filed", "judged", "enforcing", "closed")[n % 4],
                filed_by=by,
            )
            for n in range(count)
        )
        write_offs(case, w, count, status="rejected")
        Recovery.objects.bulk_create(
            Recovery(
                account=account,
                amount=D("100.00"),
                received_on=TODAY,
                source="borrower",
                reference=f"RC{rows.serial()}",
                recorded_by=by,
            )
            for _ in range(count)
        )
        rows.guarantors(account.application, count)
        rows.audit_events(case, by, count)

    return reverse("collection:case_detail", args=[case.pk]), add


def write_offs(case, w, count, *, status="pending_review"):
    made = WriteOffRequest.objects.bulk_create(
        WriteOffRequest(
            case=case,
            account=case.account,
            ground="enforcement_ended",
            reason="执行终结。",
            principal=D("10000.00"),
            status=status,
            requested_by=w.collections,
            reviewed_by=w.reviewer if status != "pending_review" else None,
            decided_by=w.director if status == "rejected" else None,
        )
        for _ in range(count)
    )
    for request in made:
        evidence(request, w, 2)
    return made


def evidence(request, w, count):
    return WriteOffEvidence.objects.bulk_create(
        WriteOffEvidence(
            request=request,
            kind="judgment",
            file=f"writeoff/test/{rows.serial()}.pdf",
            original_name="判决书.pdf",
            content_type="application/pdf",
            uploaded_by=w.collections,
        )
        for _ in range(count)
    )


def writeoff_list(w):
    def add(count):
        for account in rows.accounts(w.officer, w.supervisor, count, **rows.overdue()):
            write_offs(open_case(account, w), w, 1)

    return reverse("collection:writeoff_list"), add


def writeoff_detail(w):
    account = rows.account(w.officer, w.supervisor, **rows.overdue())
    request = write_offs(open_case(account, w), w, 1)[0]

    def add(count):
        evidence(request, w, count)
        rows.audit_events(request, w.collections, count)

    return reverse("collection:writeoff_detail", args=[request.pk]), add


def checks(account, count, *, done_by=None, start=1):
    return PostLoanCheck.objects.bulk_create(
        PostLoanCheck(
            account=account,
            sequence=start + n,
            due_on=TODAY + timedelta(days=n),
            done_on=TODAY if done_by else None,
            done_by=done_by,
            findings="正常。" if done_by else "",
            risk_signals=["income_drop"] if done_by else [],
            conclusion="normal" if done_by else "",
        )
        for n in range(count)
    )


def check_list(w):
    def add(count):
        for account in rows.accounts(w.officer, w.supervisor, count):
            checks(account, 1)

    return reverse("collection:check_list"), add


def check_detail(w):
    account = rows.account(w.officer, w.supervisor)
    check = checks(account, 1)[0]
    sequence = itertools.count(2, 100)

    def add(count):
        checks(account, count, done_by=w.officer, start=next(sequence))

    return reverse("collection:check_detail", args=[check.pk]), add

"""Pages of origination and the director's side (loancenter, applications, review, collateral,
reports): for each, ``build(world)`` makes what the page shows and returns its URL and
``add(count)``, which adds ``count`` more of the rows the page lists."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from applications.models import SurveyConfirmation
from collateral.models import Collateral, MortgageRegistration, Notarisation
from collection.models import CollectionCase
from loancenter.models import Notification
from loans.models import LoanContract
from reports.models import CreditRating, OfficerTarget, ReportRun
from review.models import ApplicationScore, ApprovalDecision, ReviewOpinion, Scorecard
from tests.factories import UserFactory

from . import rows
from .pages_archive import items
from .rows import TODAY, D

# --- loancenter -------------------------------------------------------------------------------


def audit_log(w):
    subject = rows.application(w.officer)

    def add(count):
        rows.audit_events(subject, w.officer, count)

    return reverse("audit_log"), add


def inbox(w):
    def add(count):
        Notification.objects.bulk_create(
            Notification(recipient=w.officer, message=f"提醒{rows.serial()}", link="/")
            for _ in range(count)
        )

    return reverse("inbox"), add


# --- applications -----------------------------------------------------------------------------


def queue(w):
    def add(count):
        rows.applications(w.officer, count)  # drafts: waiting for their officer

    return reverse("applications:queue"), add


def customer_list(w):
    def add(count):
        rows.customers(w.officer, count)

    return reverse("applications:customer_list"), add


def customer_detail(w):
    customer = rows.customer(w.officer)

    def add(count):
        rows.applications(w.officer, count, owner=customer)

    return reverse("applications:customer_detail", args=[customer.pk]), add


def collaterals(application, user, count, *, registered_by=None):
    """Collateral with its mortgage registration, certificate received when ``registered_by``."""
    made = Collateral.objects.bulk_create(
        Collateral(
            application=application,
            kind="house",
            description="朝阳区建国路1号院",
            owner_name=application.customer.name,
            certificate_number=f"京(2026)朝阳区不动产权第{rows.serial():07d}号",
            area=D("89.50"),
            appraised_value=D("1600000.00"),
            appraisal_date=TODAY,
            appraisal_agency="北京某房地产估价有限公司",
            created_by=user,
        )
        for _ in range(count)
    )
    received = registered_by is not None
    MortgageRegistration.objects.bulk_create(
        MortgageRegistration(
            collateral=collateral,
            application=application,
            status="registered" if received else "pending",
            due_by=TODAY + timedelta(days=30),
            registry_office="北京市朝阳区不动产登记中心",
            certificate_number=f"京(2026)朝阳区不动产证明第{rows.serial():07d}号",
            registrar=registered_by,
            handed_over_by=registered_by,
            handed_over_at=timezone.now() if received else None,
            received_by=application.officer if received else None,
            received_at=timezone.now() if received else None,
        )
        for collateral in made
    )
    return made


def contracts(application, user, count, *, signed=True):
    return LoanContract.objects.bulk_create(
        LoanContract(
            application=application,
            kind="guarantee",
            number=f"BZ-{rows.serial():010d}",
            party=f"保证人{rows.serial()}",
            pdf="contracts/test.pdf",
            sha256="0" * 64,
            generated_by=user,
            signed_on=TODAY if signed else None,
            signing_mode="in_person" if signed else "",
            signers="张三" if signed else "",
            signing_recorded_by=user if signed else None,
        )
        for _ in range(count)
    )


def opinions(application, reviewer, count):
    return ReviewOpinion.objects.bulk_create(
        ReviewOpinion(
            application=application,
            reviewer=reviewer,
            checklist={"documents_complete": True},
            proposed_amount=application.amount,
            proposed_term_months=application.term_months,
            proposed_rate=application.annual_rate,
            proposed_method=application.repayment_method,
            decision="agree",
            text="同意。",
        )
        for _ in range(count)
    )


def decisions(application, approver, count):
    return ApprovalDecision.objects.bulk_create(
        ApprovalDecision(
            application=application,
            decided_by=approver,
            acting_role="approver",
            decision="escalate",
            amount=application.amount,
            term_months=application.term_months,
            annual_rate=application.annual_rate,
            repayment_method=application.repayment_method,
            security_type=application.security_type,
            reasons="超权限上报。",
        )
        for _ in range(count)
    )


def survey_confirmations(application, *investigators):
    for investigator in investigators:
        SurveyConfirmation.objects.create(
            application=application,
            investigator=investigator,
            acting_role="investigator",
            interview_date=TODAY,
            interview_mode="in_person",
            payment_to_income_percent=D("20.00"),
            recommended_amount=application.amount,
            recommended_term_months=application.term_months,
            recommended_rate=application.annual_rate,
            recommendation="recommend",
            opinion="建议同意。",
        )


def scores(application, count):
    scorecard = Scorecard.objects.filter(is_active=True).first()
    return ApplicationScore.objects.bulk_create(
        ApplicationScore(
            application=application,
            scorecard=scorecard,
            trigger="survey",
            amount=application.amount,
            term_months=application.term_months,
            total=620,
            grade="B",
            decision="approve",
            max_amount=D("500000.00"),
            spread_bp=40,
            breakdown=[{"code": "age", "value": 40, "points": 60}],
        )
        for _ in range(count)
    )


def application_detail(w):
    """A secured housing loan ready to disburse, with every section of the page shown: the
    survey, review and approval, collateral and registrations, contracts, the pre-conditions,
    the loan account, its collection case and its papers in the archive."""
    application = rows.application(w.officer, status="ready", code="HOUSING")
    application.investigator = w.investigator
    application.save(update_fields=["investigator"])
    survey_confirmations(application, w.officer, w.investigator)
    scores(application, 1)
    account = rows.accounts_of([application], w.supervisor)[0]
    CollectionCase.objects.create(
        account=account, bucket="M1", track="collections", assignee=w.collections, opened_on=TODAY
    )

    def add(count):
        rows.documents(application, w.officer, count)
        rows.guarantors(application, count)
        rows.audit_events(application, w.officer, count)
        opinions(application, w.reviewer, count)
        decisions(application, w.approver, count)
        collaterals(application, w.officer, count, registered_by=w.registrar)
        contracts(application, w.officer, count)
        Notarisation.objects.bulk_create(
            Notarisation(
                application=application,
                notary_office="北京市方圆公证处",
                certificate_number=f"(2026)京方圆内经证字第{rows.serial()}号",
                notarised_on=TODAY,
                recorded_by=w.officer,
            )
            for _ in range(count)
        )
        items(w, count, application=application, account=account, status="in_custody")

    return reverse("applications:detail", args=[application.pk]), add


# --- review -----------------------------------------------------------------------------------


def review_page(w):
    application = rows.application(w.officer, status="reviewing")
    survey_confirmations(application, w.officer, w.investigator)
    scores(application, 1)

    def add(count):
        opinions(application, w.reviewer, count)  # earlier reviews of a resubmitted application

    return reverse("review:review", args=[application.pk]), add


def decide_page(w):
    application = rows.application(w.officer, status="approving")
    survey_confirmations(application, w.officer, w.investigator)
    scores(application, 1)

    def add(count):
        opinions(application, w.reviewer, count)

    return reverse("review:decide", args=[application.pk]), add


# --- collateral -------------------------------------------------------------------------------


def registration_ledger(w):
    def add(count):
        for application in rows.applications(
            w.officer, count, status="registering", code="HOUSING"
        ):
            collaterals(application, w.officer, 1, registered_by=w.registrar)

    return reverse("collateral:queue"), add


# --- reports ----------------------------------------------------------------------------------


def ratings(customer, count, *, status="confirmed", decided_by=None):
    scorecard = Scorecard.objects.filter(is_active=True).first()
    return CreditRating.objects.bulk_create(
        CreditRating(
            customer=customer,
            scorecard=scorecard,
            grade="B",
            previous_grade="C",
            score=600,
            limit=D("200000.00"),
            breakdown=[{"code": "age", "value": 40, "points": 60}],
            status=status,
            decided_by=decided_by,
            decided_at=timezone.now() if decided_by else None,
        )
        for _ in range(count)
    )


def credit_file(w):
    customer = rows.customer(w.officer)

    def add(count):
        for application in rows.applications(w.officer, count, owner=customer):
            scores(application, 1)
        for account in rows.accounts(w.officer, w.supervisor, count, owner=customer):
            rows.installments(account, 2)
        ratings(customer, count, decided_by=w.reviewer)
        rows.audit_events(customer, w.officer, count, action="update_customer")

    return reverse("reports:credit_file", args=[customer.pk]), add


def rating_queue(w):
    def add(count):
        for customer in rows.customers(w.officer, count):
            ratings(customer, 1, status="proposed")

    return reverse("reports:rating_queue"), add


def rating_decide(w):
    customer = rows.customer(w.officer)
    rating = ratings(customer, 1, status="proposed")[0]

    def add(count):
        ratings(customer, count, decided_by=w.reviewer)  # the customer's earlier grades
        rating.breakdown = rating.breakdown + [
            {"code": "marital_status", "value": "married", "points": 10} for _ in range(count)
        ]
        rating.save(update_fields=["breakdown"])

    return reverse("reports:rating_decide", args=[rating.pk]), add


def validation_report(w):
    def add(count):
        for account in rows.accounts(w.officer, w.supervisor, count):
            scores(account.application, 1)

    return reverse("reports:validation_report"), add


def report_runs(w):
    def add(count):
        ReportRun.objects.bulk_create(
            ReportRun(
                kind="asset_quality",
                period_start=TODAY.replace(day=1),
                period_end=TODAY,
                status="done",
                progress=100,
                requested_by=w.director,
                finished_at=timezone.now(),
            )
            for _ in range(count)
        )

    return reverse("reports:report_runs"), add


def _one_run(w):
    run = ReportRun.objects.create(
        kind="asset_quality",
        period_start=TODAY.replace(day=1),
        period_end=TODAY,
        status="done",
        progress=100,
        requested_by=w.director,
        finished_at=timezone.now(),
    )
    return run


def report_run(w):
    run = _one_run(w)
    _url, add_runs = report_runs(w)
    return reverse("reports:report_run", args=[run.pk]), add_runs  # other runs: not shown


def report_run_progress(w):
    run = _one_run(w)
    _url, add_runs = report_runs(w)
    return reverse("reports:report_run_progress", args=[run.pk]), add_runs


def dashboard(w):
    def add(count):
        rows.applications(w.officer, count, status="approving")
        rows.applications(w.officer, count, status="escalated", escalation_level="director")
        officers = [UserFactory(roles=["loan_officer"]) for _ in range(count)]
        OfficerTarget.objects.bulk_create(
            OfficerTarget(officer=officer, year=TODAY.year, amount=D("1000000.00"), accounts=10)
            for officer in officers
        )
        for officer in officers[:3]:
            rows.accounts(officer, w.supervisor, 1)

    return reverse("reports:dashboard"), add

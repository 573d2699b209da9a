"""Twenty people doing the same step at the same instant, on PostgreSQL (issue 9, item 3).

Each attempt runs in its own thread and database connection, released together by a barrier.
Exactly one attempt has the effect; every other one gets a clean refusal (a DomainError with a
message for the page) or the idempotent return of the same object, never an IntegrityError, a
deadlock or a half-done write. Balances, counts and audit rows are checked afterwards.
"""

import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from archive.models import ArchiveItem, CustodyEvent
from archive.services.items import receive_item
from loancenter.errors import DomainError
from loancenter.models import AuditEvent
from loancenter.repayment import add_months
from loans.models import Installment, LoanAccount, Repayment, SweepRun
from loans.services.disbursement import disburse
from loans.services.repayments import post_repayment
from loans.sweep import run_sweep
from review import services as review_services
from review.models import ApprovalDecision
from tests.archive.builders import make_item
from tests.origination import decision_data, reviewed
from tests.servicing import approved, consumer_account, registered, signed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20
COUNTS_FILE = Path(__file__).parent / "counts" / "concurrency.txt"
ATTEMPTS: dict[str, int] = {}


def write_counts(figures: dict[str, int]) -> None:
    """Merge ``figures`` into the counts file the lead quotes in SECURITY.md."""
    COUNTS_FILE.parent.mkdir(exist_ok=True)
    lines = COUNTS_FILE.read_text().splitlines() if COUNTS_FILE.exists() else []
    counts = dict(line.split(" ", 1) for line in lines if " " in line)
    counts.update({name: str(value) for name, value in figures.items()})
    COUNTS_FILE.write_text("".join(f"{name} {value}\n" for name, value in sorted(counts.items())))


@pytest.fixture(scope="module", autouse=True)
def _print_and_record_counts():
    yield
    if ATTEMPTS:
        figures = {f"concurrent_attempts_{step}": n for step, n in ATTEMPTS.items()}
        figures["concurrent_attempts_total"] = sum(ATTEMPTS.values())
        print(f"\nconcurrent attempts: {figures}")
        write_counts(figures)


def together(step: str, attempt, arguments) -> list[tuple[str, object]]:
    """Run ``attempt(argument)`` once per argument, each in its own thread and connection,
    all released at the same instant. Each outcome is ("done", result), ("refused", message)
    or ("error", repr) for anything else (an IntegrityError, a deadlock, a 500)."""
    arguments = list(arguments)
    start = threading.Barrier(len(arguments))
    outcomes: list[tuple[str, object]] = [("error", "did not finish")] * len(arguments)

    def run(index, argument):
        try:
            start.wait()
            outcomes[index] = ("done", attempt(argument))
        except DomainError as refusal:
            outcomes[index] = ("refused", str(refusal.message))
        except Exception as error:  # noqa: BLE001 - reported and failed on below
            outcomes[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, argument))
        for index, argument in enumerate(arguments)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    errors = [outcome for outcome in outcomes if outcome[0] == "error"]
    assert not errors, errors
    ATTEMPTS[step] = ATTEMPTS.get(step, 0) + len(arguments)
    print(f"\n{step}: {len(arguments)} concurrent attempts")
    return outcomes


def kinds(outcomes) -> list[str]:
    return [kind for kind, _value in outcomes]


def audit_rows(obj, action: str) -> int:
    return AuditEvent.objects.filter(object_id=str(obj.pk), action=action).count()


def people(make_user, role: str, prefix: str):
    return [
        make_user(f"{prefix}_{n:02d}", role, last_name=prefix, first_name=f"{n:02d}")
        for n in range(THREADS)
    ]


def test_twenty_approvers_approve_one_application_and_one_decision_lands(
    origination, loan_officer, investigator, reviewer, make_user
):
    application = reviewed(loan_officer, investigator, reviewer)
    approvers = people(make_user, "approver", "approver")

    outcomes = together(
        "approve",
        lambda user: review_services.decide_application(
            user=user,
            application=application,
            data=decision_data(application, reasons=f"{user.username} 同意"),
        ),
        approvers,
    )

    assert kinds(outcomes).count("done") == 1, outcomes
    refusals = [message for kind, message in outcomes if kind == "refused"]
    assert len(refusals) == THREADS - 1
    assert all("已批准" in message for message in refusals), refusals
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert ApprovalDecision.objects.filter(application=application).count() == 1
    assert audit_rows(application, "approve") == 1


def test_twenty_supervisors_disburse_one_loan_and_one_account_opens(
    origination,
    loan_officer,
    investigator,
    reviewer,
    approver,
    mortgage_registrar,
    disbursement_supervisor,
    make_user,
):
    application = signed(approved(loan_officer, investigator, reviewer, approver), loan_officer)
    application = registered(application, mortgage_registrar, disbursement_supervisor)
    supervisors = people(make_user, "disbursement_supervisor", "supervisor")

    outcomes = together(
        "disburse",
        lambda user: disburse(
            user=user,
            application=application,
            value_date=timezone.localdate(),
            repayment_account="6222020200112233445",
        ),
        supervisors,
    )

    assert kinds(outcomes).count("done") == 1, outcomes
    refusals = [message for kind, message in outcomes if kind == "refused"]
    assert len(refusals) == THREADS - 1
    assert all("已放款" in message for message in refusals), refusals
    application.refresh_from_db()
    assert application.status == Status.DISBURSED
    account = LoanAccount.objects.get(application=application)
    assert account.principal_outstanding == account.principal == application.amount
    assert Installment.objects.filter(account=account).count() == application.term_months
    assert Installment.objects.filter(account__application=application).aggregate(
        total=Sum("principal_due")
    )["total"] == Decimal(application.amount)
    assert audit_rows(application, "disburse") == 1


@pytest.fixture
def due_account(
    origination, loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    """120,000.00 / 12 months / 3.60% equal principal, two installments due: 20,690.00; no
    penalty accrues, so that the figures below are exact."""
    return consumer_account(
        loan_officer,
        investigator,
        reviewer,
        approver,
        disbursement_supervisor,
        method="equal_principal",
        value_date=add_months(timezone.localdate().replace(day=1), -2),
        penalty_free=True,
    )


def repayment(account, user, *, amount="20690.00", reference="GM-SAME"):
    return post_repayment(
        user=user,
        account=account,
        amount=Decimal(amount),
        paid_on=timezone.localdate(),
        channel="counter",
        reference=reference,
    )


def assert_balances_consistent(account: LoanAccount) -> None:
    """The account's principal, the repayments and the installments tell the same story."""
    account.refresh_from_db()
    paid = Repayment.objects.filter(account=account).aggregate(
        principal=Sum("principal_part"), total=Sum("amount")
    )
    items = Installment.objects.filter(account=account).aggregate(
        principal=Sum("principal_paid"), interest=Sum("interest_paid"), penalty=Sum("penalty_paid")
    )
    assert account.principal - account.principal_outstanding == paid["principal"]
    assert items["principal"] == paid["principal"]
    assert items["principal"] + items["interest"] + items["penalty"] == paid["total"]


def test_twenty_postings_of_one_reference_record_one_repayment(due_account, make_user):
    officers = people(make_user, "collections_officer", "collector")

    outcomes = together("repayment_same_reference", lambda u: repayment(due_account, u), officers)

    assert kinds(outcomes) == ["done"] * THREADS, outcomes
    repayments = {value.pk for _kind, value in outcomes}
    assert len(repayments) == 1  # the 19 later postings return the first repayment
    assert sum(bool(getattr(value, "already_posted", False)) for _k, value in outcomes) == 19
    assert Repayment.objects.filter(account=due_account).count() == 1
    assert_balances_consistent(due_account)
    assert due_account.principal_outstanding == Decimal("100000.00")  # reduced once
    assert audit_rows(due_account, "post_repayment") == 1


def test_twenty_postings_of_one_reference_with_different_amounts_are_refused_but_one(
    due_account, make_user
):
    officers = people(make_user, "collections_officer", "collector")

    outcomes = together(
        "repayment_same_reference_other_amounts",
        lambda user: repayment(due_account, user, amount=f"{100 + int(user.first_name)}.00"),
        officers,
    )

    assert kinds(outcomes).count("done") == 1, outcomes
    refusals = [message for kind, message in outcomes if kind == "refused"]
    assert all("GM-SAME" in message for message in refusals), refusals
    assert Repayment.objects.filter(account=due_account).count() == 1
    assert_balances_consistent(due_account)
    assert audit_rows(due_account, "post_repayment") == 1


def test_twenty_postings_with_their_own_references_all_land_and_add_up(due_account, make_user):
    officers = people(make_user, "collections_officer", "collector")

    outcomes = together(
        "repayment_own_references",
        lambda user: repayment(
            due_account, user, amount="500.00", reference=f"GM-{user.first_name}"
        ),
        officers,
    )

    assert kinds(outcomes) == ["done"] * THREADS, outcomes
    assert Repayment.objects.filter(account=due_account).count() == THREADS
    assert Repayment.objects.filter(account=due_account).aggregate(t=Sum("amount"))["t"] == (
        Decimal("10000.00")
    )
    assert_balances_consistent(due_account)
    assert audit_rows(due_account, "post_repayment") == THREADS


def test_twenty_browsers_posting_one_reference_see_one_receipt_and_no_error(due_account, make_user):
    officers = people(make_user, "collections_officer", "collector")
    clients = []
    for officer in officers:
        client = Client()
        client.force_login(officer)
        clients.append(client)
    url = reverse("loans:repayment_post", args=[due_account.pk])
    data = {
        "amount": "1,000.00",
        "paid_on": timezone.localdate().isoformat(),
        "channel": "counter",
        "reference": "GM-WEB",
    }

    outcomes = together("repayment_over_http", lambda client: client.post(url, data), clients)

    responses = [response for _kind, response in outcomes]
    assert [response.status_code for response in responses] == [302] * THREADS
    assert len({response["Location"] for response in responses}) == 1  # the same receipt
    assert Repayment.objects.filter(account=due_account).count() == 1
    assert_balances_consistent(due_account)
    assert audit_rows(due_account, "post_repayment") == 1


def test_twenty_archivists_confirm_one_receipt_and_one_custody_event_is_kept(make_user):
    archivists = people(make_user, "archivist", "archivist")
    item = make_item(category="legal")

    outcomes = together(
        "archive_receipt",
        lambda user: receive_item(
            item=item, user=user, room="A101", cabinet="C01", shelf=user.first_name, box=""
        ),
        archivists,
    )

    assert kinds(outcomes).count("done") == 1, outcomes
    winner = next(value for kind, value in outcomes if kind == "done").custodian
    refusals = [message for kind, message in outcomes if kind == "refused"]
    assert len(refusals) == THREADS - 1
    assert all(winner.display_name in message for message in refusals), refusals
    item = ArchiveItem.objects.get(pk=item.pk)
    assert item.status == "in_custody" and item.custodian == winner
    assert CustodyEvent.objects.filter(item=item, kind="received").count() == 1
    assert audit_rows(item, "archive_received") == 1


def test_twenty_sweeps_of_one_date_sweep_it_once(
    origination, loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    account = consumer_account(
        loan_officer,
        investigator,
        reviewer,
        approver,
        disbursement_supervisor,
        method="equal_principal",
        value_date=date(2026, 1, 15),
    )
    day = date(2026, 2, 16)

    outcomes = together("sweep_same_date", lambda _n: run_sweep(business_date=day), range(THREADS))

    assert kinds(outcomes) == ["done"] * THREADS, outcomes
    assert sum(not value.already_done for _kind, value in outcomes) == 1
    run = SweepRun.objects.get(business_date=day)
    assert (run.status, run.attempts) == ("done", 1)
    assert SweepRun.objects.count() == 1
    first = Installment.objects.get(account=account, period=1)
    assert first.penalty_due == Decimal("1.55")  # accrued once, as a single sweep does
    account.refresh_from_db()
    assert (account.status, account.days_past_due, account.bucket) == ("overdue", 1, "M1")
    assert audit_rows(account, "mark_overdue") == 1

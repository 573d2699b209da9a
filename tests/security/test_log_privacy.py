"""No identity number or mobile number reaches the logs: every record logged at DEBUG and above
over a whole journey (a customer recorded over HTTP and looked up by identity number, a housing
loan through survey, review, approval, contracts, registration and disbursement, a consumer loan
that falls overdue in the sweep and is repaid, failed sign-ins) is checked."""

import logging
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Customer
from loans.services.disbursement import disburse
from loans.services.repayments import post_repayment
from loans.sweep.runner import run_sweep
from tests.origination import customer_data, id_number
from tests.servicing import approved, consumer_account, registered, signed

pytestmark = pytest.mark.django_db
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
COUNTS = Path(__file__).resolve().parent / "counts" / "headers.txt"


def record_count(name: str, value: int) -> None:
    """Print a count and keep it in counts/headers.txt (one ``name value`` a line)."""
    print(f"{name} {value}")
    COUNTS.parent.mkdir(exist_ok=True)
    lines = COUNTS.read_text(encoding="utf-8").splitlines() if COUNTS.exists() else []
    lines = [line for line in lines if line.split(" ")[0] != name] + [f"{name} {value}"]
    COUNTS.write_text("\n".join(sorted(lines)) + "\n", encoding="utf-8")


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)  # the root logger
    for name in ("django", "django.request", "django.security", "celery", "axes", "loans"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def leaks(records):
    found = []
    for record in records:
        text = record.getMessage()
        if record.exc_text:
            text += record.exc_text
        for pattern in (ID_NUMBER, MOBILE):
            found += [f"{record.name}: {match}" for match in pattern.findall(text)]
    return found


def test_a_whole_journey_logs_no_identity_or_mobile_number(
    everything_logged,
    origination,
    client,
    loan_officer,
    investigator,
    reviewer,
    approver,
    mortgage_registrar,
    disbursement_supervisor,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        identity = id_number(date(1988, 8, 8))
        client.force_login(loan_officer)
        data = customer_data(id_number=identity, mobile="13912345678", name="李雷")
        created = client.post(reverse("applications:customer_create"), data)
        assert created.status_code == 302, created.content.decode()[:500]
        customer = Customer.objects.get(id_number=identity)
        listed = client.get(reverse("applications:customer_list"), {"q": identity})
        assert listed.status_code == 200
        assert client.get("/no-such-page/", {"id": identity}).status_code == 404
        # failed sign-ins are logged by axes, with the username masked
        for _ in range(2):
            Client().post("/accounts/login/", {"username": identity, "password": "13912345678"})

        application = approved(loan_officer, investigator, reviewer, approver, customer=customer)
        application = registered(
            signed(application, loan_officer), mortgage_registrar, disbursement_supervisor
        )
        disburse(
            user=disbursement_supervisor,
            application=application,
            value_date=timezone.localdate(),
            repayment_account="6222020200112233445",
        )

        account = consumer_account(
            loan_officer, investigator, reviewer, approver, disbursement_supervisor
        )
        first_due = account.installments.order_by("due_date").first().due_date
        run_sweep(business_date=first_due + timedelta(days=3))
        account.refresh_from_db()
        assert account.status == "overdue"
        post_repayment(
            user=loan_officer,
            account=account,
            amount=Decimal("5000.00"),
            paid_on=first_due + timedelta(days=3),
            channel="transfer",
            reference="PRIV-0001",
        )

    records = everything_logged.records
    assert records, "the journey should have logged something (the sign-in failures at least)"
    assert leaks(records) == []
    record_count("log_records_checked", len(records))


def test_the_check_would_catch_an_identity_or_mobile_number():
    def record(message):
        return logging.LogRecord("x", logging.INFO, __file__, 1, message, None, None)

    assert leaks([record("customer 11010519850520123X called from 13812345678")]) == [
        "x: 11010519850520123X",
        "x: 13812345678",
    ]
    assert leaks([record("application 20261129000123 amount 1000000.00")]) == []

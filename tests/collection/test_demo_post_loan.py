"""seed_demo's post-loan part: every bucket and class, open cases, a claim, a lawsuit, a loan
written off with a recovery after it, all swept for today."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from collection.models import InsuranceClaim, LegalAction, Recovery, WriteOffRequest
from loans.models import LoanAccount, PortfolioSnapshot, SweepRun


@pytest.fixture
def seeded(settings, origination, fast_contract_pdfs):
    settings.DEBUG = True
    call_command("seed_demo")


def _every_bucket_and_every_class_is_there():
    accounts = LoanAccount.objects.all()
    assert set(accounts.values_list("bucket", flat=True)) == {"", "M1", "M2", "M3", "M3+"}
    assert set(accounts.values_list("classification", flat=True)) == {
        "normal",
        "special_mention",
        "substandard",
        "doubtful",
        "loss",
    }


def _every_overdue_loan_has_an_open_case_on_its_track():
    for account in LoanAccount.objects.exclude(bucket=""):
        case = account.collection_cases.get(status="open")
        assert case.bucket == account.bucket
        expected = {"M1": {"officer"}, "M2": {"collections"}, "M3": {"collections"}}
        allowed = expected.get(account.bucket, {"insurance", "legal", "written_off"})
        assert case.track in allowed, (account.number, case.track)


def _a_claim_a_lawsuit_and_a_write_off_with_a_recovery():
    assert InsuranceClaim.objects.filter(status="filed").count() == 1
    assert LegalAction.objects.filter(stage="judged").count() == 1
    request = WriteOffRequest.objects.get()
    assert request.status == "approved"
    assert request.account.status == "written_off"
    assert Recovery.objects.filter(account=request.account).exists()


def _today_is_swept_with_a_snapshot():
    today = timezone.localdate()
    assert SweepRun.objects.get(business_date=today).status == "done"
    assert PortfolioSnapshot.objects.filter(business_date=today).exists()


def test_the_demo_has_the_whole_post_loan_picture(seeded):
    """One seeding (about 15 s) for all the checks."""
    _every_bucket_and_every_class_is_there()
    _every_overdue_loan_has_an_open_case_on_its_track()
    _a_claim_a_lawsuit_and_a_write_off_with_a_recovery()
    _today_is_swept_with_a_snapshot()


def test_seeding_twice_adds_nothing(seeded):
    counts = LoanAccount.objects.count(), Recovery.objects.count(), SweepRun.objects.count()
    call_command("seed_demo")
    assert (
        LoanAccount.objects.count(),
        Recovery.objects.count(),
        SweepRun.objects.count(),
    ) == counts

"""Retention: the nightly step that dates every item of a settled loan (years per category after
settlement, calendar years, 29 Feb → 28 Feb), and the list of items due for destruction."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from applications.models import LoanApplication
from applications.services import withdraw_application
from archive.models import ArchiveItem, DestructionBatch, DestructionLine, RetentionRule
from archive.retention import add_years, due_items, set_retention
from loans.models import LoanAccount
from loans.sweep import registered_steps
from tests.archive.builders import make_item, received_item, vital_item
from tests.origination import submitted
from tests.servicing import consumer_account

pytestmark = pytest.mark.django_db

SETTLED = date(2026, 3, 10)
NIGHT = date(2026, 6, 30)


@pytest.fixture
def loan(origination, loan_officer, investigator, reviewer, approver, disbursement_supervisor):
    return consumer_account(loan_officer, investigator, reviewer, approver, disbursement_supervisor)


def settle(account, on=SETTLED):
    LoanAccount.objects.filter(pk=account.pk).update(status="settled", settled_on=on)
    account.refresh_from_db()
    return account


def kept_until(item):
    return ArchiveItem.objects.values_list("retain_until", flat=True).get(pk=item.pk)


class TestCalendarYears:
    def test_a_date_moves_by_whole_calendar_years(self):
        assert add_years(date(2026, 3, 10), 5) == date(2031, 3, 10)

    def test_29_february_becomes_28_february_in_a_common_year(self):
        assert add_years(date(2028, 2, 29), 5) == date(2033, 2, 28)

    def test_29_february_stays_in_a_leap_year(self):
        assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)


class TestTheSweepStep:
    def test_it_is_registered_in_the_nightly_sweep_after_the_collection_steps(self):
        step = next(step for step in registered_steps() if step.name == "archive_retention")
        assert step.order == 40 and step.run is set_retention

    def test_items_of_a_settled_loan_are_kept_five_years_from_settlement(self, loan):
        item = received_item(account=settle(loan))

        figures = set_retention(NIGHT)

        assert kept_until(item) == date(2031, 3, 10)
        # the papers the loan's workflow announced are dated with it
        dated = ArchiveItem.objects.filter(retain_until=date(2031, 3, 10)).count()
        assert dated > 1 and figures == {"archive_retention_set": dated}

    def test_each_category_counts_its_own_years(self, loan):
        RetentionRule.objects.filter(category="legal").update(years_after_settlement=10)
        RetentionRule.objects.filter(category="borrower").update(years_after_settlement=3)
        contract = received_item(account=settle(loan), category="legal")
        id_copy = received_item(account=loan, category="borrower")
        voucher = received_item(account=loan, category="accounting")

        set_retention(NIGHT)

        assert kept_until(contract) == date(2036, 3, 10)
        assert kept_until(id_copy) == date(2029, 3, 10)
        assert kept_until(voucher) == date(2031, 3, 10)

    def test_a_loan_settled_on_29_february_is_kept_until_28_february(self, loan):
        item = received_item(account=settle(loan, on=date(2028, 2, 29)))

        set_retention(date(2028, 3, 1))

        assert kept_until(item) == date(2033, 2, 28)

    def test_items_filed_under_the_application_count_from_its_loan(self, loan):
        item = received_item(application=settle(loan).application, category="survey_approval")
        assert item.account_id is None

        set_retention(NIGHT)

        assert kept_until(item) == date(2031, 3, 10)

    def test_every_item_still_somewhere_is_dated_even_expected_borrowed_or_in_the_vault(self, loan):
        settle(loan)
        items = [
            make_item(account=loan),
            received_item(account=loan, status="on_loan"),
            vital_item(account=loan),
        ]

        set_retention(NIGHT)

        assert [kept_until(item) for item in items] == [date(2031, 3, 10)] * 3

    def test_released_and_destroyed_items_are_left_alone(self, loan):
        settle(loan)
        released = vital_item(account=loan, status="released")
        destroyed = received_item(account=loan, status="destroyed")

        set_retention(NIGHT)

        assert kept_until(released) is None and kept_until(destroyed) is None

    def test_open_and_written_off_loans_start_no_retention(self, loan):
        item = received_item(account=loan)
        set_retention(NIGHT)
        assert kept_until(item) is None

        LoanAccount.objects.filter(pk=loan.pk).update(status="written_off", written_off_on=SETTLED)
        set_retention(NIGHT)
        assert kept_until(item) is None

    def test_a_settlement_after_the_business_date_waits_for_its_own_night(self, loan):
        item = received_item(account=settle(loan, on=NIGHT + timedelta(days=1)))

        assert set_retention(NIGHT) == {"archive_retention_set": 0}
        assert kept_until(item) is None

        set_retention(NIGHT + timedelta(days=1))
        assert kept_until(item) == date(2031, 7, 1)

    def test_running_it_again_changes_nothing(self, loan):
        item = received_item(account=settle(loan))
        set_retention(NIGHT)
        RetentionRule.objects.update(years_after_settlement=8)

        assert set_retention(NIGHT) == {"archive_retention_set": 0}
        assert kept_until(item) == date(2031, 3, 10)

    def test_a_category_without_a_rule_is_kept_the_default_five_years(self, loan):
        RetentionRule.objects.filter(category="post_loan").delete()
        item = received_item(account=settle(loan), category="post_loan")

        set_retention(NIGHT)

        assert kept_until(item) == date(2031, 3, 10)

    def test_it_reads_all_rows_in_one_query_and_writes_them_in_one(
        self, loan, django_assert_max_num_queries
    ):
        settle(loan)
        for category in ("legal", "borrower", "accounting", "post_loan", "legal"):
            received_item(account=loan, category=category)

        # the rules, the rows and one UPDATE for all the items (and the content type of
        # applications, the first time it is needed)
        with django_assert_max_num_queries(4):
            assert set_retention(NIGHT)["archive_retention_set"] >= 5


class TestApplicationsThatNeverBecameLoans:
    def test_a_rejected_application_counts_from_its_decision(self, origination, loan_officer):
        application = submitted(loan_officer)
        decided = timezone.make_aware(timezone.datetime(2026, 4, 2, 23, 30))  # Shanghai time
        LoanApplication.objects.filter(pk=application.pk).update(
            status="rejected", decided_at=decided
        )
        item = received_item(application=application, category="survey_approval")

        set_retention(NIGHT)

        assert kept_until(item) == date(2031, 4, 2)

    def test_a_withdrawn_application_counts_from_the_withdrawal(self, origination, loan_officer):
        application = submitted(loan_officer)
        withdraw_application(user=loan_officer, application=application, reason="客户不再需要")
        item = received_item(application=application, category="borrower")
        today = timezone.localdate()

        set_retention(today)

        assert kept_until(item) == add_years(today, 5)

    def test_an_application_still_open_starts_nothing(self, origination, loan_officer):
        item = received_item(application=submitted(loan_officer))

        set_retention(timezone.localdate())

        assert kept_until(item) is None


class TestItemsDue:
    TODAY = timezone.localdate()

    def due(self, **kwargs):
        return list(due_items(on=self.TODAY, **kwargs))

    def test_kept_items_past_their_date_are_listed_oldest_first(self, db):
        newer = received_item(retain_until=self.TODAY - timedelta(days=1))
        older = received_item(retain_until=self.TODAY - timedelta(days=400))

        assert self.due() == [older, newer]

    def test_an_item_is_due_only_after_its_keep_until_date(self, db):
        received_item(retain_until=self.TODAY)
        received_item(retain_until=None)

        assert self.due() == []

    def test_vital_vouchers_borrowed_and_gone_items_are_not_listed(self, db):
        past = self.TODAY - timedelta(days=10)
        vital_item(retain_until=past)
        vital_item(retain_until=past, status="in_custody")
        received_item(retain_until=past, status="on_loan")
        received_item(retain_until=past, status="destroyed")
        make_item(retain_until=past)

        assert self.due() == []

    def test_the_list_filters_by_category(self, db):
        past = self.TODAY - timedelta(days=10)
        contract = received_item(retain_until=past, category="legal")
        received_item(retain_until=past, category="borrower")

        assert self.due(category="legal") == [contract]

    def test_an_item_on_an_open_list_shows_that_list(self, db, archivist):
        listed = received_item(retain_until=self.TODAY - timedelta(days=3))
        free = received_item(retain_until=self.TODAY - timedelta(days=2))
        batch = DestructionBatch.objects.create(number="XH2026999999", prepared_by=archivist)
        DestructionLine.objects.create(batch=batch, item=listed)

        rows = {item.pk: item for item in self.due()}

        assert rows[listed.pk].listed and rows[listed.pk].open_batch == "XH2026999999"
        assert not rows[free.pk].listed and rows[free.pk].open_batch is None

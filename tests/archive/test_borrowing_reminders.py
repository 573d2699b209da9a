"""The daily reminder of late returns (archive.remind_overdue_returns): the borrower and the
archivists hear of each late borrowing, at most once a day."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from archive.models import BorrowRequest, BorrowStatus
from archive.tasks import remind_overdue_returns
from loancenter.models import AuditEvent, Notification
from tests.archive.builders import received_item

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def borrowing(user, *, status=BorrowStatus.OUT, due_days=-3):
    return BorrowRequest.objects.create(
        item=received_item(status="on_loan"),
        requested_by=user,
        reason="核对原件",
        return_by=TODAY() + timedelta(days=due_days),
        status=status,
    )


def test_a_late_return_reaches_the_borrower_and_the_archivists_once_a_day(
    archivist, loan_officer, make_user
):
    second = make_user("archivist_b", "archivist")
    late = borrowing(loan_officer)

    assert remind_overdue_returns() == 1
    assert remind_overdue_returns() == 0  # the same day: nothing more

    assert Notification.objects.filter(recipient=loan_officer).count() == 1
    assert Notification.objects.filter(recipient=archivist).count() == 1
    assert Notification.objects.filter(recipient=second).count() == 1
    late.refresh_from_db()
    assert late.reminded_on == TODAY()
    assert AuditEvent.objects.filter(action="archive_return_overdue").count() == 1


def test_the_next_day_it_reminds_again(archivist, loan_officer):
    late = borrowing(loan_officer)
    BorrowRequest.objects.filter(pk=late.pk).update(reminded_on=TODAY() - timedelta(days=1))
    assert remind_overdue_returns() == 1
    assert Notification.objects.filter(recipient=loan_officer).count() == 1


def test_returns_not_yet_due_or_already_back_are_left_alone(archivist, loan_officer):
    borrowing(loan_officer, due_days=0)
    borrowing(loan_officer, status=BorrowStatus.RETURNED)
    borrowing(loan_officer, status=BorrowStatus.APPROVED)
    assert remind_overdue_returns() == 0
    assert not Notification.objects.exists()


def test_beat_runs_the_reminder_every_morning():
    task = PeriodicTask.objects.get(task="archive.remind_overdue_returns")
    assert task.crontab.hour == "9" and task.crontab.timezone.key == "Asia/Shanghai"

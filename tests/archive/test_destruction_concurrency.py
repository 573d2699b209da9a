"""Destruction at the same moment (PostgreSQL row locks): two archivists listing the same item
make one list; two would-be witnesses ticking at once leave one witness."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone, translation

from archive.models import DestructionBatch, DestructionLine
from archive.services.retention import check_line, decide_batch, prepare_batch, submit_batch
from loancenter import roles
from loancenter.errors import DomainError
from tests.archive.builders import received_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAST = timezone.localdate() - timedelta(days=30)


def together(calls):
    """Run each (name, function) in its own thread and connection, released at one instant;
    name → "done" or the refusal's message (in English)."""
    start = threading.Barrier(len(calls))
    outcomes = {}

    def run(name, function):
        try:
            start.wait()
            with translation.override("en"):
                function()
            outcomes[name] = "done"
        except DomainError as refusal:
            outcomes[name] = refusal.message
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_archivists_listing_the_same_item_make_one_list(make_user):
    first = make_user("archivist_a", roles.ARCHIVIST)
    second = make_user("archivist_b", roles.ARCHIVIST)
    item = received_item(retain_until=PAST)

    outcomes = together(
        [
            (name, lambda user=user: prepare_batch(user=user, items=[item]))
            for name, user in (("a", first), ("b", second))
        ]
    )

    refusals = [outcome for outcome in outcomes.values() if outcome != "done"]
    assert len(refusals) == 1, outcomes
    assert f"{item.number} is already on destruction list" in refusals[0]
    assert DestructionBatch.objects.count() == 1
    assert DestructionLine.objects.filter(item=item).count() == 1


def test_two_witnesses_ticking_at_once_leave_one_witness(make_user, director):
    preparer = make_user("archivist_a", roles.ARCHIVIST)
    items = [received_item(retain_until=PAST) for _ in range(2)]
    batch = submit_batch(batch=prepare_batch(user=preparer, items=items), user=preparer)
    decide_batch(batch=batch, user=director, approve=True, opinion="同意销毁")
    witnesses = [make_user("archivist_b", roles.ARCHIVIST), make_user("auditor_c", roles.AUDITOR)]
    lines = list(batch.lines.order_by("pk"))

    outcomes = together(
        [
            (person.username, lambda person=person, line=line: check_line(line=line, user=person))
            for person, line in zip(witnesses, lines, strict=True)
        ]
    )

    assert list(outcomes.values()).count("done") == 1, outcomes
    batch.refresh_from_db()
    assert batch.witness is not None
    checked = DestructionLine.objects.filter(batch=batch, checked_by_witness=True)
    assert checked.count() == 1

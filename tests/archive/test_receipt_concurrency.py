"""Two archivists confirming the same receipt at the same moment (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from archive.models import ArchiveItem, CustodyEvent
from archive.services.items import receive_item
from loancenter.errors import DomainError
from loancenter.models import AuditEvent
from tests.archive.builders import make_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def receive_together(people, item):
    """Each archivist receives in their own thread and connection, released at the same
    instant, each at their own shelf."""
    start = threading.Barrier(len(people))
    outcomes = {}

    def receive(person, shelf):
        try:
            start.wait()
            receive_item(
                item=item, user=person, room="A101", cabinet="C01", shelf=shelf, box="", note=""
            )
            outcomes[person.username] = "received"
        except DomainError as refusal:
            outcomes[person.username] = refusal.message
        finally:
            connection.close()

    threads = [
        threading.Thread(target=receive, args=(person, str(n)))
        for n, person in enumerate(people, start=1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_one_receipt_lands_and_the_other_archivist_is_told_who_received_it(make_user):
    first = make_user("archivist_a", "archivist", last_name="甲", first_name="档案")
    second = make_user("archivist_b", "archivist", last_name="乙", first_name="档案")
    item = make_item(category="legal")

    outcomes = receive_together([first, second], item)

    winners = [name for name, outcome in outcomes.items() if outcome == "received"]
    assert len(winners) == 1, outcomes
    winner = first if winners[0] == first.username else second
    loser = second if winner is first else first
    assert winner.display_name in outcomes[loser.username]
    item = ArchiveItem.objects.get(pk=item.pk)
    assert item.status == "in_custody" and item.custodian == winner
    assert CustodyEvent.objects.filter(item=item, kind="received").count() == 1
    assert AuditEvent.objects.filter(object_id=str(item.pk), action="archive_received").count() == 1

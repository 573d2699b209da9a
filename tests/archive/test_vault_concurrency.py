"""Two archivists confirming the same vault movement at the same moment (PostgreSQL row locks):
one confirmation lands, the other is told who confirmed first."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from archive.models import CustodyEvent, EventKind, ItemStatus, MovementKind, VaultMovement
from archive.services.custody import confirm_movement, start_movement
from loancenter.errors import DomainError
from loancenter.models import AuditEvent
from tests.archive.builders import VAULT, make_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def confirm_together(people, movement):
    """Each person confirms in their own thread and connection, released at the same instant."""
    start = threading.Barrier(len(people))
    outcomes = {}

    def confirm(person):
        try:
            with translation.override("en"):
                start.wait()
                confirm_movement(movement=movement, user=person)
            outcomes[person.username] = "confirmed"
        except DomainError as refusal:
            outcomes[person.username] = refusal.message
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_one_confirmation_lands_and_the_other_archivist_is_told_who_confirmed(archivist, make_user):
    second = make_user("archivist_b", "archivist", last_name="乙", first_name="档案")
    third = make_user("archivist_c", "archivist", last_name="丙", first_name="档案")
    item = make_item(vital=True)
    movement = start_movement(
        item=item, user=archivist, kind=MovementKind.DEPOSIT, purpose="入库", location=VAULT
    )

    outcomes = confirm_together([second, third], movement)

    winners = [name for name, outcome in outcomes.items() if outcome == "confirmed"]
    assert len(winners) == 1, outcomes
    winner = second if winners[0] == second.username else third
    loser = third if winner is second else second
    assert "already confirmed by" in outcomes[loser.username]
    assert winner.display_name in outcomes[loser.username]
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_VAULT
    assert CustodyEvent.objects.filter(item=item, kind=EventKind.DEPOSITED).count() == 1
    assert AuditEvent.objects.filter(action="archive_movement_confirmed").count() == 1
    assert VaultMovement.objects.get().confirmed_by == winner

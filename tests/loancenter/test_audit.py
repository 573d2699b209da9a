import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from loancenter import audit, request_context
from loancenter.errors import AuditIsAppendOnly
from loancenter.middleware import RequestContextMiddleware
from loancenter.models import AuditEvent


@pytest.fixture
def event(make_user):
    actor = make_user("officer1", "loan_officer", last_name="王", first_name="小明")
    target = make_user("subject")
    with transaction.atomic():
        return audit.record(
            actor=actor,
            action="submit",
            obj=target,
            role="loan_officer",
            duty="investigation",
            from_state="draft",
            to_state="submitted",
            opinion="资料齐全",
        )


def test_it_records_who_did_what_to_which_object(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_name == "王小明 (officer1)"
    assert (stored.action, stored.from_state, stored.to_state) == ("submit", "draft", "submitted")
    assert stored.target.username == "subject"
    assert stored.opinion == "资料齐全"
    assert stored.created_at.tzinfo is not None


def test_it_records_the_address_of_the_request(make_user):
    actor = make_user("a")

    def view(request):
        with transaction.atomic():
            return audit.record(actor=actor, action="look", obj=actor)

    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    event = RequestContextMiddleware(view)(request)
    assert event.ip_address == "10.1.2.3"
    assert request_context.current_ip() is None  # reset after the request


@pytest.mark.django_db(transaction=True)
def test_it_must_be_written_inside_the_changes_transaction():
    with pytest.raises(RuntimeError, match="transaction"):
        audit.record(actor=None, action="x")
    assert not AuditEvent.objects.exists()


def test_the_model_refuses_update_and_delete(event):
    event.opinion = "改过"
    with pytest.raises(AuditIsAppendOnly):
        event.save()
    with pytest.raises(AuditIsAppendOnly):
        event.delete()
    with pytest.raises(AuditIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(opinion="改过")
    with pytest.raises(AuditIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).opinion == "资料齐全"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE loancenter_auditevent SET opinion = 'tampered' WHERE id = %s",
        "DELETE FROM loancenter_auditevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_update_and_delete_of_audit_rows(event, statement):
    with (
        pytest.raises(DatabaseError, match="audit_append_only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).opinion == "资料齐全"


def test_events_for_lists_an_objects_history_in_order(make_user):
    actor, target = make_user("a"), make_user("t")
    with transaction.atomic():
        for action in ("create", "submit", "approve"):
            audit.record(actor=actor, action=action, obj=target)
        audit.record(actor=actor, action="elsewhere", obj=actor)
    assert [e.action for e in audit.events_for(target)] == ["create", "submit", "approve"]


def test_a_system_action_has_no_actor(make_user):
    with transaction.atomic():
        event = audit.record(actor=None, action="overdue_sweep")
    assert event.actor is None and event.actor_name == "system"

"""Pieces every service uses: row locks, role checks, guarded transitions with an audit row."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from . import audit
from .errors import InvalidTransition, PermissionRefused
from .roles import has_role, role_label


def locked(instance):
    """The same row, re-read under a lock for the rest of the transaction."""
    return type(instance).objects.select_for_update().get(pk=instance.pk)


def require_role(user, *codes: str) -> str:
    """The first of ``codes`` the user holds, or a refusal naming the roles needed."""
    for code in codes:
        if has_role(user, code):
            return code
    raise PermissionRefused(
        _("This needs the role: %(roles)s.") % {"roles": "、".join(role_label(c) for c in codes)}
    )


def refuse_stale_state(obj, *, action_label: str):
    """Say what state the object is in and who moved it there, when the action no longer fits."""
    last = audit.events_for(obj).exclude(to_state="").last()
    state = obj.get_status_display()
    if last is None:
        message = _("%(object)s is %(state)s; it cannot be %(action)s now.")
    else:
        message = _(
            "%(object)s is %(state)s (by %(actor)s at %(time)s); it cannot be %(action)s now."
        )
    raise InvalidTransition(
        message
        % {
            "object": obj,
            "state": state,
            "action": action_label,
            "actor": last.actor_name if last else "",
            "time": f"{timezone.localtime(last.created_at):%Y-%m-%d %H:%M}" if last else "",
        }
    )


def transition(
    obj,
    method_name: str,
    *args,
    user,
    action: str,
    action_label: str,
    role: str = "",
    duty: str = "",
    opinion: str = "",
):
    """Run the state machine's transition and append its audit row, or refuse clearly."""
    method = getattr(obj, method_name)
    if not can_proceed(method):
        refuse_stale_state(obj, action_label=action_label)
    from_state = obj.status
    method(*args)
    obj.save()
    audit.record(
        actor=user,
        action=action,
        obj=obj,
        role=role,
        duty=duty,
        from_state=from_state,
        to_state=obj.status,
        opinion=opinion,
    )
    return obj


def validated(instance, *, exclude=None):
    """Run the model's own validation; failures become messages for the user."""
    from django.core.exceptions import ValidationError
    from django_fsm import FSMFieldMixin

    from .errors import RuleViolations

    # A protected state field refuses the reassignment full_clean makes; transitions own it.
    exclude = list(exclude or []) + [
        field.name for field in instance._meta.fields if isinstance(field, FSMFieldMixin)
    ]
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise RuleViolations(
            [message for messages in exc.message_dict.values() for message in messages]
        ) from exc
    return instance


def from_form_data(model_class, data: dict, **fixed):
    """A validated, unsaved instance from a form's data, taking only the model's
    EDITABLE_FIELDS; ``fixed`` sets what the user may not choose (the owner, the parent)."""
    instance = model_class(
        **fixed, **{field: data[field] for field in model_class.EDITABLE_FIELDS if field in data}
    )
    return validated(instance, exclude=[*fixed, *getattr(model_class, "FILE_FIELDS", ())])

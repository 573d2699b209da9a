import re

import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import AuditIsAppendOnly

_CJK = re.compile(r"[\u3400-\u9fff]")


class User(AbstractUser):
    """A member of staff. Chinese names are shown family name first, without a space."""

    employee_number = models.CharField(_("employee number"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        swappable = "AUTH_USER_MODEL"

    def get_full_name(self):
        if _CJK.search(self.last_name + self.first_name):
            return f"{self.last_name}{self.first_name}".strip()
        return super().get_full_name()

    @property
    def display_name(self):
        return self.get_full_name() or self.username


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditIsAppendOnly("audit events cannot be updated")

    def delete(self):
        raise AuditIsAppendOnly("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One append-only row per state change: who, acting as what, did what to which object.

    Rows are written by services inside their transaction (``loancenter.audit.record``). On
    PostgreSQL a trigger refuses UPDATE and DELETE; on every database the model refuses them.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    role = models.CharField(_("acting role"), max_length=40, blank=True)
    duty = models.CharField(_("duty"), max_length=20, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    from_state = models.CharField(_("from state"), max_length=32, blank=True)
    to_state = models.CharField(_("to state"), max_length=32, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="audit_object"),
            models.Index(fields=["actor", "created_at"], name="audit_actor"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditIsAppendOnly("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditIsAppendOnly("audit events cannot be deleted")


class NumberSequence(models.Model):
    """Counters for readable numbers (GD2026000123). One row per prefix, locked to increment."""

    prefix = models.CharField(_("prefix"), max_length=20, unique=True)
    last_value = models.PositiveBigIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self):
        return f"{self.prefix}:{self.last_value}"


class Parameter(models.Model):
    """A business figure administrators may change (days, counts), read with ``parameter()``."""

    key = models.CharField(_("key"), max_length=60, unique=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    description = models.CharField(_("meaning"), max_length=200)

    class Meta:
        verbose_name = _("parameter")
        verbose_name_plural = _("parameters")
        ordering = ["key"]

    def __str__(self):
        return f"{self.key} = {self.value.normalize()}"


class Notification(models.Model):
    """An entry in a user's inbox: a reminder or something waiting for them."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.message


class OutboxTask(models.Model):
    """A Celery task a committed write asked for, kept until the broker has taken it.

    ``loancenter.outbox.enqueue`` writes the row in the service's transaction and tries to
    publish once that commits; while Redis is down the row waits, and ``flush_outbox`` (beat,
    every minute, or ``manage.py flush_outbox``) publishes it when Redis is back.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending",
                condition=models.Q(sent_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.task}{self.args}"

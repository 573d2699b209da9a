"""Signal handlers: separation of duties on group membership, and role permissions."""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_migrate

from .roles import ROLES, assert_roles_compatible, permission_matches


def refuse_conflicting_groups(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Runs before groups are added to a user, from either side of the relation."""
    if action.startswith("post_") and not reverse:
        instance.__dict__.pop("_role_codes", None)  # the roles cached on this user changed
    if action != "pre_add" or not pk_set:
        return
    if not reverse:  # user.groups.add(...)
        added = set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        held = set(instance.groups.values_list("name", flat=True))
        assert_roles_compatible(held | added)
        return
    for user in model.objects.filter(pk__in=pk_set).prefetch_related("groups"):  # group.user_set
        held = {group.name for group in user.groups.all()}
        assert_roles_compatible(held | {instance.name})


def sync_role_groups(**kwargs):
    """Keep every role group present, with the model permissions roles.py names for it.

    The groups are created by migration 0002; this runs after every migrate (and after a
    test flush) so that a group is never missing and permissions of models added by later
    apps reach the roles. It only adds: permissions an administrator granted are kept.
    """
    if not global_apps.is_installed("loancenter"):
        return
    groups = {code: Group.objects.get_or_create(name=code)[0] for code in ROLES}
    permissions = list(Permission.objects.select_related("content_type"))
    for code, group in groups.items():
        wanted = [
            permission
            for permission in permissions
            for pattern in ROLES[code].permissions
            if permission_matches(pattern, permission.content_type.app_label, permission.codename)
        ]
        if wanted:
            group.permissions.add(*wanted)


def connect():
    user_groups = get_user_model().groups.through
    m2m_changed.connect(
        refuse_conflicting_groups, sender=user_groups, dispatch_uid="loancenter_role_conflicts"
    )
    post_migrate.connect(sync_role_groups, dispatch_uid="loancenter_role_groups")

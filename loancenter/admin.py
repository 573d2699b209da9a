from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import SeparationOfDutiesError
from .models import AuditEvent, Parameter, User
from .roles import assert_roles_compatible, role_label

admin.site.site_header = _("Loan Center administration")
admin.site.site_title = _("Loan Center administration")
admin.site.index_title = _("Loan Center administration")


class StaffChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is not None:
            try:
                assert_roles_compatible(group.name for group in groups)
            except SeparationOfDutiesError as exc:
                raise ValidationError(exc.message, code=exc.code) from exc
        return groups


class StaffCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User


@admin.register(User)
class StaffAdmin(BaseUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ("username", "display_name", "employee_number", "role_labels", "is_active")
    list_filter = ("is_active", "is_staff", "groups")
    search_fields = ("username", "first_name", "last_name", "employee_number")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Bank"), {"fields": ("employee_number",)}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("Roles"))
    def role_labels(self, obj):
        return "、".join(role_label(group.name) for group in obj.groups.all())


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(BaseGroupAdmin):
    list_display = ("name", "label")

    @admin.display(description=_("Role"))
    def label(self, obj):
        return role_label(obj.name)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "actor_name",
        "role",
        "action",
        "object_repr",
        "from_state",
        "to_state",
        "ip_address",
    )
    list_filter = ("role", "duty", "action")
    search_fields = ("actor_name", "object_repr", "action", "opinion")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "content_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ("key", "value", "description")
    search_fields = ("key", "description")
    readonly_fields = ("key",)

    def has_add_permission(self, request):
        return False  # parameters are defined by the code that reads them

    def has_delete_permission(self, request, obj=None):
        return False

"""Scorecards in the admin, versioned: a version that has scored anything is read-only; a change
is made on a copy ("Copy as a new version") which is then put in use."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Max
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.catalog import HousingStatus, MaritalStatus, SecurityType

from .models import Characteristic, GradeBand, Scorecard, ScorecardRow

# Characteristics scored by category, with the values they may take; the others are numbers.
CATEGORIES = {
    Characteristic.MARITAL_STATUS: MaritalStatus,
    Characteristic.HOUSING_STATUS: HousingStatus,
    Characteristic.SECURITY_TYPE: SecurityType,
}


def is_used(scorecard) -> bool:
    """Has this version scored anything? Then it is never changed again."""
    return bool(scorecard and scorecard.pk and scorecard.scores.exists())


@transaction.atomic
def copy_as_new_version(scorecard: Scorecard) -> Scorecard:
    """A copy of the scorecard with its rows and bands, as the next version, not in use."""
    list(Scorecard.objects.select_for_update().values_list("pk", flat=True))  # one copy at a time
    latest = Scorecard.objects.aggregate(latest=Max("version"))["latest"]
    copy = Scorecard.objects.create(
        version=(latest or 0) + 1,
        name=scorecard.name,
        reasoning=scorecard.reasoning,
        is_active=False,
    )
    ScorecardRow.objects.bulk_create(
        ScorecardRow(
            scorecard=copy,
            characteristic=row.characteristic,
            bins=row.bins,
            missing_points=row.missing_points,
        )
        for row in scorecard.rows.order_by("pk")
    )
    GradeBand.objects.bulk_create(
        GradeBand(
            scorecard=copy,
            grade=band.grade,
            min_score=band.min_score,
            decision=band.decision,
            max_income_multiple=band.max_income_multiple,
            spread_bp=band.spread_bp,
        )
        for band in scorecard.grades.order_by("-min_score")
    )
    return copy


@transaction.atomic
def put_in_use(scorecard: Scorecard) -> None:
    """This version scores from now on; every other one stops, in the same transaction."""
    list(Scorecard.objects.select_for_update().filter(is_active=True))
    Scorecard.objects.exclude(pk=scorecard.pk).filter(is_active=True).update(is_active=False)
    Scorecard.objects.filter(pk=scorecard.pk).update(is_active=True)
    scorecard.is_active = True


def describe_bins(bins) -> str:
    """[25, 30): 60 · married: 70 — the bins as a reader sees them."""
    parts = []
    for item in bins or []:
        if not isinstance(item, dict):
            continue
        if "value" in item:
            parts.append(f"{item['value']}: {item.get('points')}")
        else:
            low = "−∞" if item.get("min") is None else item["min"]
            high = "+∞" if item.get("max") is None else item["max"]
            parts.append(f"[{low}, {high}): {item.get('points')}")
    return " · ".join(parts)


class ScorecardRowForm(forms.ModelForm):
    class Meta:
        model = ScorecardRow
        fields = ("characteristic", "bins", "missing_points")
        widgets = {"bins": forms.Textarea(attrs={"rows": 3, "cols": 70})}
        help_texts = {
            "bins": _(
                "A list of bins; the first that matches gives the points. A number: "
                '{"min": 25, "max": 30, "points": 60} (min included, max excluded, null for '
                'open). A category: {"value": "married", "points": 70}.'
            ),
            "missing_points": _("Points when the value is unknown or no bin matches."),
        }

    def clean(self):
        cleaned = super().clean()
        characteristic, bins = cleaned.get("characteristic"), cleaned.get("bins")
        if characteristic and "bins" in cleaned:
            problem = _bins_problem(characteristic, bins)
            if problem:
                self.add_error("bins", problem)
        return cleaned


def _bins_problem(characteristic, bins) -> str | None:
    if not isinstance(bins, list) or not bins:
        return gettext("Give at least one bin, as a list.")
    choices = CATEGORIES.get(characteristic)
    for item in bins:
        if not isinstance(item, dict) or not _is_int(item.get("points")):
            return gettext("Every bin needs whole-number points.")
        if choices is not None:
            if set(item) != {"value", "points"} or item["value"] not in choices.values:
                return gettext("Bins of this characteristic are categories: %(values)s.") % {
                    "values": ", ".join(choices.values)
                }
            continue
        if not set(item) <= {"min", "max", "points"}:
            return gettext("Bins of this characteristic are number ranges (min, max).")
        low, high = _bound(item.get("min")), _bound(item.get("max"))
        if low is False or high is False:
            return gettext("The min and max of a bin are numbers or null.")
        if low is not None and high is not None and low >= high:
            return gettext("A bin's min must be below its max.")
    return None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bound(value):
    """The bound as a Decimal, None when open, False when it is not a number."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return False
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return False


class ScorecardForm(forms.ModelForm):
    class Meta:
        model = Scorecard
        fields = ("version", "name", "reasoning")
        labels = {"name": _("scorecard name")}  # the model's "name" reads as a person's name


class _VersionedInline(admin.TabularInline):
    """Read-only, with nothing to add or delete, once the scorecard has scored anything."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return not is_used(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not is_used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_used(obj) and super().has_delete_permission(request, obj)


class ScorecardRowInline(_VersionedInline):
    model = ScorecardRow
    form = ScorecardRowForm
    fields = ("characteristic", "bins", "bins_summary", "missing_points")
    readonly_fields = ("bins_summary",)

    @admin.display(description=_("bins"))
    def bins_summary(self, row):
        return describe_bins(row.bins) if row and row.pk else "—"


class GradeBandInline(_VersionedInline):
    model = GradeBand
    fields = ("grade", "min_score", "decision", "max_income_multiple", "spread_bp")


@admin.register(Scorecard)
class ScorecardAdmin(admin.ModelAdmin):
    form = ScorecardForm
    inlines = [ScorecardRowInline, GradeBandInline]
    list_display = ("version", "title", "is_active", "score_count", "created_at")
    list_display_links = ("version", "title")
    readonly_fields = ("is_active", "created_at")
    actions = ["copy_as_new_version", "put_in_use"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(score_count=Count("scores"))

    @admin.display(description=_("scorecard name"), ordering="name")
    def title(self, scorecard):
        return scorecard.name

    @admin.display(description=_("number of scores"), ordering="score_count")
    def score_count(self, scorecard):
        return scorecard.score_count

    def has_change_permission(self, request, obj=None):
        return not is_used(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_used(obj) and super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        latest = Scorecard.objects.aggregate(latest=Max("version"))["latest"]
        initial.setdefault("version", (latest or 0) + 1)
        return initial

    def get_fieldsets(self, request, obj=None):
        fields = ["version", "name", "is_active", "reasoning", "created_at"]
        return [(None, {"fields": fields, "description": self._description(obj)})]

    def _description(self, obj):
        """The scorecard's own reasoning, and whether this version may still change."""
        parts = []
        if is_used(obj):
            parts.append(
                format_html(
                    "<p><strong>{}</strong></p>",
                    gettext(
                        "This version has scored applications and can no longer be changed, "
                        "so that every old score can be reproduced. Copy it as a new version "
                        "to make changes."
                    ),
                )
            )
        else:
            parts.append(
                format_html(
                    "<p>{}</p>",
                    gettext(
                        "A version can be changed until it scores its first application. "
                        "Use the action “Put in use” in the list to make it the active one."
                    ),
                )
            )
        if obj is not None and obj.reasoning:
            parts.append(linebreaks(obj.reasoning, autoescape=True))
        return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (escaped above)

    @admin.action(description=_("Copy as a new version"), permissions=["add"])
    def copy_as_new_version(self, request, queryset):
        for scorecard in queryset.order_by("version"):
            copy = copy_as_new_version(scorecard)
            self.log_addition(request, copy, [{"added": {}}])
            self.message_user(
                request,
                gettext("%(scorecard)s copied as version %(version)s (not in use).")
                % {"scorecard": scorecard, "version": copy.version},
                messages.SUCCESS,
            )

    @admin.action(description=_("Put in use"), permissions=["change"])
    def put_in_use(self, request, queryset):
        chosen = list(queryset[:2])
        if len(chosen) != 1:
            self.message_user(
                request, gettext("Choose exactly one version to put in use."), messages.ERROR
            )
            return
        scorecard = chosen[0]
        if not scorecard.rows.exists() or not scorecard.grades.exists():
            self.message_user(
                request,
                gettext("A scorecard needs characteristics and grade bands before it is used."),
                messages.ERROR,
            )
            return
        put_in_use(scorecard)
        self.log_change(request, scorecard, gettext("Put in use"))
        self.message_user(
            request,
            gettext("%(scorecard)s is now in use; every other version is not.")
            % {"scorecard": scorecard},
            messages.SUCCESS,
        )

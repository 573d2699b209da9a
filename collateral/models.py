from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications import identity
from applications.models import MONEY, LoanApplication


class CollateralKind(models.TextChoices):
    HOUSE = "house", _("House or flat")
    SHOP = "shop", _("Commercial property")
    LAND_USE = "land_use", _("Land use right")
    VEHICLE = "vehicle", _("Vehicle")
    DEPOSIT = "deposit", _("Deposit certificate")
    PLEDGED_RIGHT = "pledged_right", _("Pledged right (receivable, bond, policy)")
    EQUIPMENT = "equipment", _("Machinery and equipment")
    OTHER = "other", _("Other")


def valuation_path(instance, filename):
    from uuid import uuid4

    return f"collateral/{uuid4().hex}"


class Collateral(models.Model):
    """A thing that secures a loan: mortgaged property or a pledged right, with its appraisal."""

    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="collaterals"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=CollateralKind.choices)
    description = models.CharField(_("description"), max_length=200)
    owner_name = models.CharField(_("owner"), max_length=100)
    owner_id_number = models.CharField(
        _("owner's ID number"),
        max_length=18,
        blank=True,
        validators=[identity.validate_id_number],
    )
    owner_is_borrower = models.BooleanField(_("owned by the borrower"), default=True)
    certificate_number = models.CharField(_("ownership certificate number"), max_length=60)
    location = models.CharField(_("location"), max_length=200, blank=True)
    area = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    appraised_value = models.DecimalField(_("appraised value"), **MONEY)
    appraisal_date = models.DateField(_("appraisal date"))
    appraisal_agency = models.CharField(_("appraisal agency"), max_length=100)
    valuation_report = models.FileField(_("valuation report"), upload_to=valuation_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    EDITABLE_FIELDS = (
        "kind",
        "description",
        "owner_name",
        "owner_id_number",
        "owner_is_borrower",
        "certificate_number",
        "location",
        "area",
        "appraised_value",
        "appraisal_date",
        "appraisal_agency",
    )
    FILE_FIELDS = ("valuation_report",)

    class Meta:
        verbose_name = _("collateral")
        verbose_name_plural = _("collateral")
        ordering = ["application", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(appraised_value__gt=0), name="collateral_value_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.certificate_number}"


class InsurancePolicy(models.Model):
    """The guarantee-insurance policy behind an insured loan."""

    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="insurance_policies"
    )
    insurer = models.CharField(_("insurer"), max_length=100)
    policy_number = models.CharField(_("policy number"), max_length=60, unique=True)
    cover_amount = models.DecimalField(_("cover"), **MONEY)
    starts_on = models.DateField(_("cover from"))
    ends_on = models.DateField(_("cover until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    EDITABLE_FIELDS = ("insurer", "policy_number", "cover_amount", "starts_on", "ends_on")

    class Meta:
        verbose_name = _("insurance policy")
        verbose_name_plural = _("insurance policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="policy_period"
            ),
        ]

    def __str__(self):
        return f"{self.insurer} {self.policy_number}"


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("To be submitted")
    SUBMITTED = "submitted", _("Submitted to the registry")
    REGISTERED = "registered", _("Registered")
    RELEASED = "released", _("Released")


class MortgageRegistration(ConcurrentTransitionMixin, models.Model):
    """抵押登记 of one collateral: the registry, the dates and the certificate (他项权证)."""

    collateral = models.OneToOneField(
        Collateral, on_delete=models.PROTECT, related_name="registration"
    )
    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="registrations"
    )
    status = FSMField(
        _("status"),
        default=RegistrationStatus.PENDING,
        choices=RegistrationStatus.choices,
        protected=True,
        db_index=True,
    )
    due_by = models.DateField(_("to be registered by"))
    registry_office = models.CharField(_("registry office"), max_length=100, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    certificate_number = models.CharField(
        _("certificate of other rights (他项权证) number"), max_length=60, blank=True
    )
    registrar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrar"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("mortgage registration")
        verbose_name_plural = _("mortgage registrations")
        ordering = ["due_by", "pk"]

    def __str__(self):
        return f"{self.application} {self.collateral}"

    @transition(
        field=status, source=RegistrationStatus.PENDING, target=RegistrationStatus.SUBMITTED
    )
    def submit(self, office, on):
        self.registry_office, self.submitted_on = office, on

    @transition(
        field=status, source=RegistrationStatus.SUBMITTED, target=RegistrationStatus.REGISTERED
    )
    def register(self, certificate, on):
        self.certificate_number, self.registered_on = certificate, on

    @transition(
        field=status, source=RegistrationStatus.REGISTERED, target=RegistrationStatus.RELEASED
    )
    def release(self, on):
        self.released_on = on

    @property
    def certificate_received(self) -> bool:
        return self.received_at is not None


class Notarisation(models.Model):
    """公证 of the contracts, where the product requires it."""

    application = models.ForeignKey(
        LoanApplication, on_delete=models.PROTECT, related_name="notarisations"
    )
    notary_office = models.CharField(_("notary office"), max_length=100)
    certificate_number = models.CharField(_("notarial certificate number"), max_length=60)
    notarised_on = models.DateField(_("notarised on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    EDITABLE_FIELDS = ("notary_office", "certificate_number", "notarised_on")

    class Meta:
        verbose_name = _("notarisation")
        verbose_name_plural = _("notarisations")

    def __str__(self):
        return f"{self.notary_office} {self.certificate_number}"

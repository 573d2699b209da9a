"""seed_demo's archive part: papers on shelves, vital vouchers in the vault under two archivists,
one voucher out on loan, and some papers still expected."""

from django.core.management import call_command

from archive.models import ArchiveItem, BorrowRequest, CustodyEvent, VaultMovement


def test_the_demo_archive_shows_every_kind_of_custody(settings, origination, fast_contract_pdfs):
    settings.DEBUG = True
    call_command("seed_demo")

    statuses = set(ArchiveItem.objects.values_list("status", flat=True))
    assert {"expected", "in_custody", "in_vault", "on_loan"} <= statuses
    deposit = CustodyEvent.objects.filter(kind="deposited").first()
    assert deposit.by_id != deposit.second_by_id and deposit.second_by_id is not None
    assert VaultMovement.objects.filter(status="pending").count() == 1
    assert BorrowRequest.objects.get().status == "out"

    before = ArchiveItem.objects.count(), CustodyEvent.objects.count()
    call_command("seed_demo")
    assert (ArchiveItem.objects.count(), CustodyEvent.objects.count()) == before

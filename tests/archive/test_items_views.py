"""Who may see and do what on the archive's search, expected list, dossier and item pages."""

import pytest
from django.urls import reverse

from archive.models import ArchiveItem
from loancenter.navigation import items_for
from tests.archive.builders import make_dossier, make_item, received_item

pytestmark = pytest.mark.django_db

PLACE = {"room": "A101", "cabinet": "C03", "shelf": "2", "box": ""}


@pytest.fixture
def own_dossier(loan_officer):
    return make_dossier(officer=loan_officer, name="王五")


@pytest.fixture
def others_item(other_officer):
    return make_item(dossier=make_dossier(officer=other_officer, name="赵六"), title="借款合同")


def numbers(response):
    return {item.number for item in response.context["page"].object_list}


# --- search, the archive's home --------------------------------------------------------------


@pytest.mark.parametrize("role", ["archivist", "director", "auditor"])
def test_the_archive_staff_search_the_whole_archive(
    client, request, role, own_dossier, others_item
):
    client.force_login(request.getfixturevalue(role))
    mine = make_item(dossier=own_dossier)
    response = client.get(reverse("archive:search"))
    assert response.status_code == 200
    assert numbers(response) == {mine.number, others_item.number}


def test_a_loan_officer_finds_only_their_own_customers_items(
    client, loan_officer, own_dossier, others_item
):
    mine = make_item(dossier=own_dossier)
    client.force_login(loan_officer)
    response = client.get(reverse("archive:search"))
    assert numbers(response) == {mine.number}
    assert numbers(client.get(reverse("archive:search"), {"q": "赵六"})) == set()


def test_staff_with_nothing_to_see_get_an_empty_archive(client, make_user, others_item):
    client.force_login(make_user("reviewer_x", "reviewer"))
    response = client.get(reverse("archive:search"))
    assert response.status_code == 200
    assert numbers(response) == set()
    assert 'data-testid="archive-empty"' in response.content.decode()


def test_the_search_finds_by_name_id_number_item_number_and_place(client, archivist):
    dossier = make_dossier(name="钱七")
    item = received_item(dossier=dossier, place={**PLACE, "box": "B9"})
    make_item()  # someone else's, expected
    client.force_login(archivist)
    url = reverse("archive:search")
    for query in (
        {"q": "钱七"},
        {"q": dossier.customer.id_number},
        {"q": item.number},
        {"q": dossier.number},
        {"room": "a101", "box": "B9"},
        {"status": "in_custody"},
    ):
        assert numbers(client.get(url, query)) == {item.number}, query
    response = client.get(url, {"q": "钱七"})
    assert [d.pk for d in response.context["dossiers"]] == [dossier.pk]


def test_the_search_finds_by_application_and_loan_number(
    client,
    archivist,
    origination,
    loan_officer,
    investigator,
    reviewer,
    approver,
    disbursement_supervisor,
):
    from tests.servicing import consumer_account

    account = consumer_account(
        loan_officer, investigator, reviewer, approver, disbursement_supervisor
    )
    iou = make_item(account=account, category="accounting", title="借款借据")
    papers = set(account.application.archive_items.values_list("number", flat=True))
    client.force_login(archivist)
    url = reverse("archive:search")
    assert numbers(client.get(url, {"q": account.number})) == {iou.number}
    assert numbers(client.get(url, {"q": account.application.number})) == papers
    assert numbers(client.get(url, {"q": account.application.number, "vital": "yes"})) == set()


def test_the_search_with_junk_answers_a_page(client, archivist):
    client.force_login(archivist)
    for junk in ("<script>", "9" * 60, "' OR 1=1 --"):
        for field in ("q", "status", "page", "category", "vital", "room"):
            assert client.get(reverse("archive:search"), {field: junk}).status_code == 200


def test_the_archive_needs_a_sign_in(client):
    response = client.get(reverse("archive:search"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_nav_item_archive_is_for_the_archive_staff(archivist, director, auditor, loan_officer):
    for person in (archivist, director, auditor):
        assert "archive" in {entry["key"] for entry in items_for(person)}
    assert "archive" not in {entry["key"] for entry in items_for(loan_officer)}


def test_the_archivists_nav_item_counts_the_expected_items(archivist):
    make_item()
    make_item()
    received_item()
    entry = next(e for e in items_for(archivist) if e["key"] == "archive")
    assert entry["badge"] == 2


# --- expected, not yet received --------------------------------------------------------------


def test_the_expected_list_shows_what_is_not_received_oldest_first(client, archivist):
    from datetime import timedelta

    from django.utils import timezone

    newer, older = make_item(), make_item()
    ArchiveItem.objects.filter(pk=older.pk).update(
        expected_since=timezone.now() - timedelta(days=3)
    )
    received_item()
    client.force_login(archivist)
    response = client.get(reverse("archive:expected"))
    assert [i.pk for i in response.context["page"].object_list] == [older.pk, newer.pk]
    assert reverse("archive:item_detail", args=[older.pk]) in response.content.decode()


def test_the_expected_list_is_empty_when_everything_arrived(client, archivist):
    received_item()
    client.force_login(archivist)
    response = client.get(reverse("archive:expected"))
    assert 'data-testid="expected-empty"' in response.content.decode()


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_the_director_and_auditor_read_the_expected_list(client, request, role):
    make_item()
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("archive:expected")).status_code == 200


def test_the_expected_list_is_not_for_other_staff(client, loan_officer):
    client.force_login(loan_officer)
    assert client.get(reverse("archive:expected")).status_code == 404


# --- dossier and item pages ------------------------------------------------------------------


def test_the_dossier_page_lists_items_by_category_with_counts(client, archivist, own_dossier):
    make_item(dossier=own_dossier, category="legal")
    received_item(dossier=own_dossier, category="legal")
    make_item(dossier=own_dossier, category="accounting")
    client.force_login(archivist)
    response = client.get(reverse("archive:dossier_detail", args=[own_dossier.pk]))
    groups = {group.code: group for group in response.context["groups"]}
    assert (len(groups["legal"].items), groups["legal"].kept, groups["legal"].expected) == (2, 1, 1)
    assert len(groups["accounting"].items) == 1 and not groups["borrower"].items
    assert response.context["total"] == 3


def test_a_loan_officer_opens_their_customers_dossier_but_not_anothers(
    client, loan_officer, own_dossier, others_item
):
    client.force_login(loan_officer)
    assert client.get(reverse("archive:dossier_detail", args=[own_dossier.pk])).status_code == 200
    other = reverse("archive:dossier_detail", args=[others_item.dossier_id])
    assert client.get(other).status_code == 404


def test_the_item_page_shows_the_details_and_full_history(client, archivist):
    item = received_item(custodian=archivist, title="个人住房借款合同")
    client.force_login(archivist)
    response = client.get(reverse("archive:item_detail", args=[item.pk]))
    page = response.content.decode()
    assert "个人住房借款合同" in page and item.location in page
    assert [event.kind for event in response.context["history"]] == ["expected", "received"]
    assert response.context["move_form"] is not None
    assert response.context["receive_form"] is None


def test_an_archivist_sees_the_receipt_form_on_an_expected_item(client, archivist):
    client.force_login(archivist)
    response = client.get(reverse("archive:item_detail", args=[make_item().pk]))
    assert 'data-testid="receive-form"' in response.content.decode()


def test_a_vital_voucher_expected_shows_no_shelf_receipt(client, archivist):
    client.force_login(archivist)
    response = client.get(reverse("archive:item_detail", args=[make_item(vital=True).pk]))
    page = response.content.decode()
    assert 'data-testid="receive-form"' not in page
    assert 'data-testid="vital-expected"' in page


@pytest.mark.parametrize("role", ["director", "auditor"])
def test_the_director_and_auditor_read_an_item_without_actions(client, request, role):
    item = make_item()
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("archive:item_detail", args=[item.pk]))
    assert response.status_code == 200
    assert response.context["receive_form"] is None and response.context["move_form"] is None


def test_a_loan_officer_reads_their_customers_item_and_gets_404_on_anothers(
    client, loan_officer, own_dossier, others_item
):
    mine = make_item(dossier=own_dossier)
    client.force_login(loan_officer)
    assert client.get(reverse("archive:item_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("archive:item_detail", args=[others_item.pk])).status_code == 404
    assert client.get("/archive/items/99999999999999999999/").status_code == 404


def test_a_collections_officer_sees_the_papers_of_loans_they_may_see(
    client,
    collections_officer,
    origination,
    loan_officer,
    investigator,
    reviewer,
    approver,
    disbursement_supervisor,
):
    from tests.servicing import consumer_account

    account = consumer_account(
        loan_officer, investigator, reviewer, approver, disbursement_supervisor
    )
    contract = make_item(account=account)
    client.force_login(collections_officer)
    assert client.get(reverse("archive:item_detail", args=[contract.pk])).status_code == 200
    assert numbers(client.get(reverse("archive:search"), {"q": account.number})) == {
        contract.number
    }


# --- receipt and moves through the pages -----------------------------------------------------


def test_an_archivist_receives_through_the_page(client, archivist):
    item = make_item()
    client.force_login(archivist)
    response = client.post(reverse("archive:item_receive", args=[item.pk]), {**PLACE, "pages": 3})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "in_custody" and item.pages == 3


def test_receipt_from_the_expected_list_goes_back_to_it(client, archivist):
    item = make_item()
    client.force_login(archivist)
    response = client.post(
        reverse("archive:item_receive", args=[item.pk]), {**PLACE, "next": "expected"}
    )
    assert response["Location"] == reverse("archive:expected")


def test_a_receipt_without_a_place_shows_the_form_again(client, archivist):
    item = make_item()
    client.force_login(archivist)
    response = client.post(reverse("archive:item_receive", args=[item.pk]), {"room": "A101"})
    assert response.status_code == 400
    assert response.context["receive_form"].errors
    item.refresh_from_db()
    assert item.status == "expected"


def test_a_refused_receipt_is_a_message_not_an_error(client, archivist):
    item = make_item(vital=True)
    client.force_login(archivist)
    response = client.post(reverse("archive:item_receive", args=[item.pk]), PLACE, follow=True)
    assert response.status_code == 200
    assert any("两名档案管理员" in str(m) for m in response.context["messages"])


def test_a_loan_officer_cannot_receive_their_own_customers_item(client, loan_officer, own_dossier):
    item = make_item(dossier=own_dossier)
    client.force_login(loan_officer)
    response = client.post(reverse("archive:item_receive", args=[item.pk]), PLACE, follow=True)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == "expected"


def test_receiving_an_item_one_may_not_see_is_404(client, loan_officer, others_item):
    client.force_login(loan_officer)
    response = client.post(reverse("archive:item_receive", args=[others_item.pk]), PLACE)
    assert response.status_code == 404


def test_receipt_is_post_only(client, archivist):
    client.force_login(archivist)
    assert client.get(reverse("archive:item_receive", args=[make_item().pk])).status_code == 405


def test_an_archivist_moves_through_the_page(client, archivist):
    item = received_item()
    client.force_login(archivist)
    response = client.post(
        reverse("archive:item_move", args=[item.pk]), {**PLACE, "room": "B7"}, follow=True
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.room == "B7"


def test_a_move_by_an_auditor_is_refused(client, auditor):
    item = received_item()
    client.force_login(auditor)
    client.post(reverse("archive:item_move", args=[item.pk]), {**PLACE, "room": "B7"})
    item.refresh_from_db()
    assert item.room != "B7"


def test_a_move_without_a_place_shows_the_form_again(client, archivist):
    item = received_item()
    client.force_login(archivist)
    response = client.post(reverse("archive:item_move", args=[item.pk]), {"room": "B7"})
    assert response.status_code == 400


# --- items added by hand ---------------------------------------------------------------------


def test_an_archivist_adds_an_item_to_a_dossier(client, archivist, own_dossier):
    client.force_login(archivist)
    url = reverse("archive:item_register", args=[own_dossier.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"category": "borrower", "title": "收入证明", "pages": 1, "is_original": "on"}
    )
    item = own_dossier.items.get()
    assert response["Location"] == reverse("archive:item_detail", args=[item.pk])
    assert item.title == "收入证明" and item.is_original and item.status == "expected"


@pytest.mark.parametrize("role", ["director", "auditor", "loan_officer"])
def test_only_an_archivist_adds_items(client, request, role, own_dossier):
    client.force_login(request.getfixturevalue(role))
    url = reverse("archive:item_register", args=[own_dossier.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"category": "borrower", "title": "x", "pages": 1}).status_code == 404
    assert not own_dossier.items.exists()


# --- the application page --------------------------------------------------------------------


def test_the_application_page_lists_its_papers_in_the_archive(
    client, origination, loan_officer, investigator
):
    from tests.origination import surveyed

    application = surveyed(loan_officer, investigator)
    client.force_login(loan_officer)
    response = client.get(reverse("applications:detail", args=[application.pk]))
    page = response.content.decode()
    assert 'data-testid="archive-panel"' in page
    assert application.archive_items.get().number in page

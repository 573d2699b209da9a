"""A crowded bar (the director's, the auditor's) groups the areas into menus; a short one stays
flat."""

import pytest
from django.urls import reverse

from loancenter.navigation import FLAT_UP_TO, grouped, items_for


def test_the_director_s_many_areas_sit_in_menus(client, director):
    client.force_login(director)
    html = client.get(reverse("home"), follow=True).content.decode()

    assert len(items_for(director)) > FLAT_UP_TO
    for group in ("origination", "loans", "archive", "reports"):
        assert f'data-testid="nav-group-{group}"' in html
    assert 'class="dropdown-item' in html and 'data-testid="nav-sweep"' in html


def test_a_loan_officer_s_bar_stays_flat(client, loan_officer):
    client.force_login(loan_officer)
    html = client.get(reverse("home")).content.decode()

    assert "nav-group-" not in html
    assert 'data-testid="nav-accounts"' in html


@pytest.mark.parametrize("count", [FLAT_UP_TO, FLAT_UP_TO + 1])
def test_menus_add_up_their_items_badges(director, count):
    items = [item for item in items_for(director) if item["key"] != "inbox"]
    sample = [{**item, "badge": 2} for item in items][:count]
    entries = grouped(sample)
    if count <= FLAT_UP_TO:
        assert entries == sample
    else:
        menus = [entry for entry in entries if "children" in entry]
        assert menus and all(menu["badge"] == 2 * len(menu["children"]) for menu in menus)
        listed = [item for entry in entries for item in entry.get("children", [entry])]
        assert [item["key"] for item in listed] != [] and len(listed) == count

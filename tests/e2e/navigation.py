"""Following the navigation bar: on a crowded bar (the director's, the auditor's) an area sits
in a menu that has to be opened first."""


def nav(page, key: str):
    """The bar's link to area ``key``, visible and ready to click."""
    link = page.get_by_test_id(f"nav-{key}")
    if not link.is_visible():
        page.locator(f".dropdown:has([data-testid='nav-{key}']) > .dropdown-toggle").click()
    return link

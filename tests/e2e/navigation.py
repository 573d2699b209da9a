"""Following the navigation bar: on a crowded bar (the director's, the auditor's) an area sits
in a menu that has to be opened first."""


def nav(page, key: str):
    """The bar's link to area ``key``, visible and ready to click."""
    link = page.get_by_test_id(f"nav-{key}")
    if not link.is_visible():
        page.locator(f".dropdown:has([data-testid='nav-{key}']) > .dropdown-toggle").click()
    return link


def switch_user(page, sign_in, username: str) -> None:
    """Sign the current user out with the 退出 button and sign in as ``username``; each lands on
    their own home (the director on the dashboard)."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="退出").click()
    expect(page.get_by_label("用户名")).to_be_visible()
    sign_in(username)
    expect(page.get_by_role("button", name="退出")).to_be_visible()

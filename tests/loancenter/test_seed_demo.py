import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from loancenter import roles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_contract_pdfs")]


def test_it_refuses_to_publish_a_password_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="admin").exists()


def test_it_creates_one_user_per_role_and_an_admin_and_can_run_twice(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    User = get_user_model()
    for code in roles.ROLE_CODES:
        user = User.objects.get(username=code)
        assert roles.user_role_codes(user) == {code}
        assert user.check_password(settings.DEMO_PASSWORD)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(settings.DEMO_PASSWORD)
    second_archivist = User.objects.get(username="archivist2")  # the vault needs two people
    assert roles.user_role_codes(second_archivist) == {roles.ARCHIVIST}
    assert User.objects.count() == len(roles.ROLE_CODES) + 2


def test_force_seeds_without_debug(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert get_user_model().objects.filter(username="director").exists()


def test_demo_users_can_sign_in_with_the_documented_password(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    response = client.post(
        "/accounts/login/", {"username": "director", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "中心主任" in client.get("/", follow=True).content.decode()

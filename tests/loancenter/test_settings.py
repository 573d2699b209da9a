import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3Jx9-production-like-secret-9f8e7d6c5b4a3928171605f4e3d2c1b0a",
    "ALLOWED_HOSTS": "loans.bank.example",
    "DATABASE_URL": "sqlite:////tmp/loancenter-deploy-check.sqlite3",
}


def run_django(args, **env_overrides):
    test_only = {
        "SECRET_KEY",
        "DEBUG",
        "REDIS_URL",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    }
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(DJANGO_SETTINGS_MODULE="loancenter.settings", **env_overrides)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_business_settings_are_those_of_a_chinese_bank():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.AUTH_USER_MODEL == "loancenter.User"


def test_sign_in_is_locked_after_five_failures_and_idle_sessions_end_in_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert any("MinimumLength" in v["NAME"] for v in settings.AUTH_PASSWORD_VALIDATORS)


def test_uploads_are_kept_outside_the_static_root():
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_without_redis_tasks_run_eagerly():
    if settings.REDIS_URL:
        pytest.skip("REDIS_URL is set for this run")
    assert settings.CELERY_TASK_ALWAYS_EAGER is True


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django(["-c", "import django; django.setup()"], DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("DATABASE_URL", "mysql://root@localhost/x", "is not supported"),
        ("REDIS_URL", "localhost:6379", "is not a Redis URL"),
        ("SESSION_IDLE_MINUTES", "half an hour", "is not a whole number"),
    ],
)
def test_a_bad_value_stops_start_up_with_a_clear_message(name, value, message):
    result = run_django(["-c", "import django; django.setup()"], **{**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout

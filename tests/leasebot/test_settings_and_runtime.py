"""The real entry points, started in subprocesses with production-like environments."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.unit]

PROD = {
    "LEASEBOT_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-production-like-secret-key-for-the-test-0123456789",
    "DATABASE_URL": "postgresql://leasebot@127.0.0.1:1/leasebot",
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "ALLOWED_HOSTS": "leasebot.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://leasebot.example.com",
}


def run(args, **env):
    dropped = ("LEASEBOT_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    base.update(env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("environment", ["production", "staging"])
def test_it_refuses_the_mock_runtime_in_deployed_environments(environment):
    env = {**PROD, "LEASEBOT_ENV": environment, "LEASEBOT_RPA_RUNTIME": "mock", "LEASEBOT_ALLOW_MOCK_RUNTIME": "1"}
    web = run(["-c", "import leasebot.wsgi"], **env)
    assert web.returncode != 0 and "MOCK_RUNTIME_FORBIDDEN" in web.stderr
    check = run(["manage.py", "check"], **env)
    assert check.returncode != 0 and "MOCK_RUNTIME_FORBIDDEN" in check.stderr
    worker = run(["manage.py", "rqworker", "--burst", "default"], **env)
    assert worker.returncode != 0 and "MOCK_RUNTIME_FORBIDDEN" in worker.stderr


def test_it_refuses_the_mock_runtime_locally_without_the_explicit_opt_in():
    result = run(["manage.py", "check"], LEASEBOT_ENV="local", LEASEBOT_RPA_RUNTIME="mock")
    assert result.returncode != 0
    assert "LEASEBOT_ALLOW_MOCK_RUNTIME=1" in result.stderr


def test_it_allows_the_mock_runtime_locally_when_asked_for():
    result = run(["manage.py", "check"], LEASEBOT_ENV="local", LEASEBOT_RPA_RUNTIME="mock", LEASEBOT_ALLOW_MOCK_RUNTIME="1")
    assert result.returncode == 0, result.stderr


def test_it_passes_check_deploy_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PROD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "sqlite:///db.sqlite3", "DATABASE_URL must be a postgres"),
        ("DATABASE_URL", "mysql://u@h/db", "DATABASE_URL must be a postgres"),
        ("SECRET_KEY", "", "SECRET_KEY is required"),
        ("DEBUG", "perhaps", "DEBUG must be a boolean"),
        ("LEASEBOT_ENV", "prod", "LEASEBOT_ENV must be one of"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT must be a whole number"),
    ],
)
def test_it_fails_loudly_naming_a_bad_variable(variable, value, message):
    result = run(["manage.py", "check"], **{**PROD, variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_it_never_prints_the_secret_key_in_errors():
    env = {**PROD, "DATABASE_URL": "sqlite:///x"}
    result = run(["manage.py", "check"], **env)
    assert PROD["SECRET_KEY"] not in result.stderr + result.stdout

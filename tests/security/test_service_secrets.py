"""Outside development the start scripts refuse to run Rasa, the action server or the api with a
missing, weak or public development secret (scripts/secrets.sh): exit code 78 and a message in
Vietnamese and English naming the variable, never its value. In development the defaults of
scripts/common.sh are accepted."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("RASA_AUTH_TOKEN", "ACTION_WEBHOOK_SECRET", "ACTION_SERVER_TOKEN")


def _strong() -> str:
    return secrets.token_urlsafe(32)


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SECRETS and k != "ENVIRONMENT"}
    return env | {"ENVIRONMENT": "production"} | values


def _run(script: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", f"scripts/{script}"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=30)


@pytest.mark.parametrize(
    ("script", "missing", "others"),
    [
        ("start_actions.sh", "ACTION_WEBHOOK_SECRET", {"ACTION_SERVER_TOKEN"}),
        ("start_actions.sh", "ACTION_SERVER_TOKEN", {"ACTION_WEBHOOK_SECRET"}),
        ("start_rasa.sh", "RASA_AUTH_TOKEN", {"ACTION_WEBHOOK_SECRET"}),
        ("start_rasa.sh", "ACTION_WEBHOOK_SECRET", {"RASA_AUTH_TOKEN"}),
        ("start_api.sh", "RASA_AUTH_TOKEN", {"ACTION_SERVER_TOKEN"}),
        ("start_api.sh", "ACTION_SERVER_TOKEN", {"RASA_AUTH_TOKEN"}),
    ],
)
def test_production_refuses_to_start_without_the_secret(script: str, missing: str, others: set[str]) -> None:
    done = _run(script, _env(**{name: _strong() for name in others}))
    assert done.returncode == 78, (done.returncode, done.stdout, done.stderr)
    assert f"{missing} " in done.stderr
    assert "Không khởi động" in done.stderr and "Refusing to start" in done.stderr
    assert all(name not in done.stderr for name in others)  # only the missing one is reported


@pytest.mark.parametrize(
    "value",
    ["dev-only-action-webhook-secret", "short-secret", "a" * 40, "abababababababababababababab", "  "],
    ids=["dev-default", "short", "one-char", "two-chars", "blank"],
)
def test_weak_values_are_refused_and_not_echoed(value: str) -> None:
    done = _run("start_actions.sh", _env(ACTION_WEBHOOK_SECRET=value, ACTION_SERVER_TOKEN=_strong()))
    assert done.returncode == 78, (done.returncode, done.stderr)
    assert "ACTION_WEBHOOK_SECRET" in done.stderr
    assert value.strip() == "" or value not in done.stderr + done.stdout


def _check(environment: str, **values: str) -> subprocess.CompletedProcess:
    script = "source scripts/secrets.sh && require_secrets " + " ".join(values) + " && echo accepted"
    env = _env(**values) | {"ENVIRONMENT": environment}
    return subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=30)


def test_strong_secrets_pass_and_development_accepts_the_defaults() -> None:
    strong = {name: _strong() for name in SECRETS}
    assert _check("production", **strong).stdout.strip() == "accepted"
    weak = {"RASA_AUTH_TOKEN": "dev-only-rasa-auth-token", "ACTION_WEBHOOK_SECRET": "x"}
    assert _check("development", **weak).stdout.strip() == "accepted"
    assert _check("staging", **weak).returncode == 78  # anything but development is strict

"""Every `manage.py <command>` written in the runbooks and the README must exist, so the docs cannot drift."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMMAND = re.compile(r"manage\.py\s+([a-z_][a-z0-9_]*)")
pytestmark = [pytest.mark.unit]


def documented_commands():
    found = {}
    for doc in [ROOT / "README.md", *sorted((ROOT / "runbooks").glob("*.md"))]:
        for name in COMMAND.findall(doc.read_text()):
            found.setdefault(name, doc.name)
    return found


def test_the_docs_name_commands_at_all():
    assert {"gate", "observability", "rpa_login"} <= set(documented_commands())


def test_every_documented_command_exists():
    existing = set(get_commands())
    missing = {name: doc for name, doc in documented_commands().items() if name not in existing}
    assert not missing, f"documented but missing: {missing}"


def test_each_runbook_the_release_needs_is_there():
    for name in ("production-operations.md", "rpa-session-capture.md", "release-checklist.md"):
        assert (ROOT / "runbooks" / name).exists()
    incidents = list((ROOT / "runbooks").glob("incident-*.md"))
    assert len(incidents) >= 4

"""Local imitations of the five platforms for contract tests and the demo (never served in production)."""

from ingest.sandbox.app import SandboxApp, SandboxServer
from ingest.sandbox.client import SandboxClient

__all__ = ["SandboxApp", "SandboxClient", "SandboxServer"]

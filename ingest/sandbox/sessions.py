"""Playwright storage-state files holding a sandbox session, so tests and the demo skip the login form."""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit


def storage_state(root_url, platform, token):
    host = urlsplit(root_url).hostname
    return {
        "cookies": [{
            "name": f"sb_{platform}", "value": token, "domain": host, "path": f"/{platform}",
            "expires": -1, "httpOnly": True, "secure": False, "sameSite": "Lax",
        }],
        "origins": [],
    }


def write_storage_state(path, root_url, platform, token):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(storage_state(root_url, platform, token)), encoding="utf-8")
    os.chmod(path, 0o600)
    return path

# Sourced by scripts/test and scripts/demo: makes a fresh Debian machine ready, then activates .venv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
[ -x "${LEASEBOT_CHROMIUM_PATH:-/usr/bin/chromium}" ] || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Missing system packages: ${need_apt[*]}. Install them: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi

# Django 6 needs Python 3.12+; use the newest interpreter found, 3.11 falls back to Django 5.2 LTS.
pick_python() {
  local candidates=(python3.13 python3.12)
  for dir in /root/.pyenv/versions/3.13* /root/.pyenv/versions/3.12*; do
    [ -x "$dir/bin/python" ] && candidates+=("$dir/bin/python")
  done
  candidates+=(python3.11 python3)
  for cand in "${candidates[@]}"; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$cand"; return 0
    fi
  done
  echo "Python 3.11+ with venv is required (apt-get install python3 python3-venv)." >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  PY="$(pick_python)"
  echo "Creating .venv with $("$PY" --version)"
  "$PY" -m venv .venv
fi
stamp=".venv/.leasebot-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing lease-bot and its dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[dev]"
  echo "$want" > "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"

"""Throwaway Postgres and Redis for tests, the gate, benchmarks and the local demo.

Run as a module: `python -m leasebot.devservices test [pytest args]`, `... demo`, `... run CMD...`.
It never reads DATABASE_URL or REDIS_URL from the caller: the services it starts are the only ones used.
"""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SEARCH = ["/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/pgsql-*/bin"]


class MissingBinary(SystemExit):
    pass


def find_pg_bin():
    for pattern in PG_SEARCH:
        for candidate in sorted(glob.glob(pattern), reverse=True):
            if os.path.exists(os.path.join(candidate, "initdb")):
                return candidate
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(found)
    raise MissingBinary(
        "Postgres server binaries (initdb, pg_ctl) not found. Install them: apt-get install postgresql"
    )


def find_redis():
    found = shutil.which("redis-server")
    if not found:
        raise MissingBinary("redis-server not found. Install it: apt-get install redis-server")
    return found


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres_user():
    """Postgres refuses to run as root; run its binaries as the `postgres` system user then."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise MissingBinary("Running as root needs a 'postgres' system user (apt-get install postgresql).") from None


def _run_pg(args, **kwargs):
    user = _as_postgres_user()
    if user:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, **kwargs)


def wait_for(predicate, what, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f}s")


def _port_open(port):
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


class Postgres:
    def __init__(self, data_dir=None, port=None):
        self.bin = find_pg_bin()
        self.persistent = data_dir is not None
        self.base = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="leasebot-pg-"))
        self.data = self.base / "data"
        self.port = port or free_port()

    def start(self):
        user = _as_postgres_user()
        self.base.mkdir(parents=True, exist_ok=True)
        if user:
            os.chown(self.base, user.pw_uid, user.pw_gid)
        if not (self.data / "PG_VERSION").exists():
            _run_pg(
                [f"{self.bin}/initdb", "-D", str(self.data), "-U", "leasebot", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                stdout=subprocess.DEVNULL,
            )
        # fsync off: throwaway data, and it makes migrations and TRUNCATE-heavy tests much faster.
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        _run_pg([f"{self.bin}/pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "pg.log"), "-w", "start"], stdout=subprocess.DEVNULL)
        wait_for(lambda: _port_open(self.port), "Postgres")
        exists = subprocess.run(
            [f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "leasebot", "-d", "postgres", "-tAc", "SELECT 1 FROM pg_database WHERE datname='leasebot'"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        if not exists:
            subprocess.run([f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "leasebot", "leasebot"], check=True)
        return self

    @property
    def url(self):
        return f"postgresql://leasebot@127.0.0.1:{self.port}/leasebot"

    def stop(self):
        with contextlib.suppress(Exception):
            _run_pg([f"{self.bin}/pg_ctl", "-D", str(self.data), "-m", "immediate", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not self.persistent:
            shutil.rmtree(self.base, ignore_errors=True)


class Redis:
    def __init__(self, port=None):
        self.binary = find_redis()
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="leasebot-redis-"))
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: _port_open(self.port), "Redis")
        return self

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def services(pg_dir=None, pg_port=None, redis_port=None):
    pg = Postgres(pg_dir, pg_port)
    redis = Redis(redis_port)
    try:
        pg.start()
        redis.start()
        yield pg, redis
    finally:
        redis.stop()
        pg.stop()


def service_env(pg, redis, env_name):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=pg.url,
        REDIS_URL=redis.url,
        LEASEBOT_ENV=env_name,
        LEASEBOT_TEST_SERVICES="1" if env_name == "test" else "",
        DJANGO_SETTINGS_MODULE="leasebot.settings",
    )
    return env


def run_tests(pytest_args):
    with services() as (pg, redis):
        env = service_env(pg, redis, "test")
        env.setdefault("LEASEBOT_CHROMIUM_PATH", "/usr/bin/chromium")
        return subprocess.call([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT, env=env)


def run_command(command, env_name="test"):
    """Any command (a benchmark, the gate's steps) against fresh, migrated services."""
    with services() as (pg, redis):
        env = service_env(pg, redis, env_name)
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        return subprocess.call(command, cwd=ROOT, env=env)


def main(argv):
    if not argv or argv[0] not in ("test", "run"):
        print("usage: python -m leasebot.devservices test [pytest args] | run COMMAND...", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if argv[0] == "test":
        return run_tests(argv[1:])
    return run_command(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

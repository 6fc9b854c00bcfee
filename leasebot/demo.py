"""`scripts/demo`: lease-bot with its workers and the sandbox platforms on local services it starts itself.

Data lives in .local/ (kept between runs). Stop with Ctrl-C; every process is stopped with it.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request

from leasebot.devservices import ROOT, Postgres, Redis, free_port, wait_for

PLATFORMS = ("spareroom", "roomies", "leasebreak", "renthop", "furnishedfinder")

PG_PORT = int(os.environ.get("LEASEBOT_DEMO_PG_PORT", "54329"))
REDIS_PORT = int(os.environ.get("LEASEBOT_DEMO_REDIS_PORT", "63799"))
WEB_PORT = int(os.environ.get("LEASEBOT_DEMO_PORT", "8000"))
SANDBOX_PORT = int(os.environ.get("LEASEBOT_SANDBOX_PORT", "8765"))


def manage(*args, env=None):
    return [sys.executable, "manage.py", *args]


def available_commands(env):
    out = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def processes(env):
    commands = available_commands(env)
    wanted = [("web", ["runserver", f"127.0.0.1:{WEB_PORT}", "--noreload"])]
    if "run_sandbox" in commands:
        wanted.append(("sandbox", ["run_sandbox", "--port", str(SANDBOX_PORT), "--trickle"]))
    # Browser work runs in-process (SimpleWorker) so one long-lived Chromium serves every job. Ingest
    # and dispatch get a worker each: a paced send never holds up reading the inboxes, and vice versa.
    wanted.append(("ingest-worker", ["rqworker", "ingest", "--worker-class", "rq.worker.SimpleWorker"]))
    wanted.append(("dispatch-worker", ["rqworker", "dispatch", "--with-scheduler", "--worker-class", "rq.worker.SimpleWorker"]))
    wanted.append(("worker", ["rqworker", "triage", "default"]))
    if "run_scheduler" in commands:
        wanted.append(("scheduler", ["run_scheduler"]))
    return wanted


def _sandbox_ready(port):
    sessions = ROOT / ".local" / "rpa-profiles" / "sandbox"
    fresh = all((sessions / f"{p}.json").exists() for p in PLATFORMS)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sandbox/spareroom/state", timeout=1):
            return fresh
    except OSError:
        return False


def main():
    pg = Postgres(ROOT / ".local" / "demo-pg", PG_PORT if PG_PORT else free_port())
    redis = Redis(REDIS_PORT)
    running = []
    try:
        pg.start()
        redis.start()
        env = dict(os.environ)
        env.update(
            DATABASE_URL=pg.url,
            REDIS_URL=redis.url,
            LEASEBOT_ENV="local",
            LEASEBOT_SANDBOX_URL=f"http://127.0.0.1:{SANDBOX_PORT}",
            LEASEBOT_BASE_URL=f"http://127.0.0.1:{WEB_PORT}",
            PYTHONUNBUFFERED="1",
        )
        # Sandbox sessions live only as long as its process: old session files would look valid but fail.
        for stale in (ROOT / ".local" / "rpa-profiles" / "sandbox").glob("*.json"):
            stale.unlink()
        subprocess.run(manage("migrate", "--noinput", "-v", "0", env=env), cwd=ROOT, env=env, check=True)
        subprocess.run(manage("seed_demo", env=env), cwd=ROOT, env=env, check=True)
        for name, args in processes(env):
            running.append((name, subprocess.Popen(manage(*args, env=env), cwd=ROOT, env=env)))
            if name == "sandbox":
                # Workers must not visit the sandbox before it has written its login sessions,
                # or the first ingest flags every account as needing a person to log in.
                wait_for(lambda: _sandbox_ready(SANDBOX_PORT), "the sandbox platforms", timeout=60)
        print(f"\nlease-bot is running: http://127.0.0.1:{WEB_PORT}/  (Ctrl-C stops everything)", flush=True)
        print("Sign in as admin / leasebot-admin-demo, or as an agent: alex / leasebot-agent-demo\n", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while all(proc.poll() is None for _, proc in running):
            time.sleep(1)
        for name, proc in running:
            if proc.poll() is not None:
                print(f"{name} stopped with exit code {proc.returncode}; stopping the demo.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for _, proc in running:
            if proc.poll() is None:
                proc.terminate()
        for _, proc in running:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        redis.stop()
        pg.stop()


if __name__ == "__main__":
    sys.exit(main())

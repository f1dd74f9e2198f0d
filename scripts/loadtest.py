"""The load test (scripts/loadtest.sh runs it): the production stack on this machine, 60 s
of mixed traffic, the figures, and a count of the rows the writes made.

It starts, all on 127.0.0.1 and stopped again at the end:
- two web processes, as two compose replicas would be: gunicorn (deploy/gunicorn.conf.py,
  2 workers each) in production mode on their own PostgreSQL database, seeded with the
  demo city (`seed_demo`, kept between runs);
- two Celery workers on Redis, on a database number of their own (emptied first);
- Debian's nginx on deploy/nginx/portal.conf.template, the compose proxy's file, with a
  throw-away certificate and both web processes in its upstream;
then locust, headless, bounded (fixed users and spawn rate, 60 s), with scripts/locustfile.py.

Environment (all optional): LOADTEST_DATABASE_URL (default
postgres://portal:portal@127.0.0.1:5432/portal_loadtest), LOADTEST_REDIS_URL (default
redis://127.0.0.1:6379/12), LOADTEST_USERS (20), LOADTEST_SPAWN_RATE (5), LOADTEST_SECONDS
(60), LOADTEST_WEB (2 processes), LOADTEST_FRESH=1 to drop and seed the database again.
Everything it writes is under var/loadtest/ (logs, locust's CSV, result.json).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess  # nosec B404: starts the portal's own processes, no shell
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.stack import (  # noqa: E402  (the production path's helpers, no Django)
    MAIN_CONF,
    NGINX,
    clean_environment,
    free_port,
    make_certificate,
    render_template,
    wait_for_port,
)

WORK = ROOT / "var" / "loadtest"
PYTHON = sys.executable
DATABASE_URL = os.environ.get(
    "LOADTEST_DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal_loadtest"
)
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/12")
USERS = int(os.environ.get("LOADTEST_USERS", "20"))
SPAWN_RATE = os.environ.get("LOADTEST_SPAWN_RATE", "5")
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
WEB_PROCESSES = int(os.environ.get("LOADTEST_WEB", "2"))


def say(message: str) -> None:
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", flush=True)


def environment(https_port: int) -> dict[str, str]:
    """Production mode, as the compose file sets it, on the load test's own services."""
    return clean_environment(
        PORTAL_ENV="production",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        # nginx passes the host without its port; the browser's Referer has it.
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{https_port}",
        PORTAL_BASE_URL=f"https://127.0.0.1:{https_port}",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        STATIC_ROOT=str(WORK / "static"),
        MEDIA_ROOT=str(WORK / "media"),
        LOG_DIR=str(WORK / "log"),
        EMAIL_URL="consolemail://",
        TRUSTED_PROXY_HOPS="1",
        FORWARDED_ALLOW_IPS="127.0.0.1",
        LOG_LEVEL="WARNING",
        # Load test only: every simulated visitor comes from 127.0.0.1 with a few devices,
        # so the public form's per-address, per-device and per-station limits (meant for a
        # village's Wi-Fi) are lifted here. The production defaults are not changed.
        PUBLIC_OPINIONS_PER_DEVICE="1000000",
        PUBLIC_OPINIONS_PER_ADDRESS="1000000",
        PUBLIC_OPINIONS_PER_STATION_DAY="1000000",
    )


SECRET_KEY = secrets.token_urlsafe(50)


def run(args: list[str], env: dict[str, str], log: str, timeout: int = 1800) -> None:
    with (WORK / "log" / log).open("ab") as out:
        result = subprocess.run(  # nosec B603: fixed commands of this project
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
        )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed, see {WORK / 'log' / log}")


def prepare_database(env: dict[str, str]) -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and os.environ.get("LOADTEST_FRESH") == "1":
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            say(f"creating the database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')
    say("migrate and seed_demo (the demo city; a second run finds it there)")
    started = time.monotonic()
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env, "setup.log")
    # seed_demo refuses production mode: the demo city is seeded as in development, with
    # its jobs in-process, into the same database.
    development = clean_environment(PORTAL_ENV="development", DATABASE_URL=DATABASE_URL)
    run([PYTHON, "manage.py", "seed_demo"], development, "setup.log")
    say(f"database ready in {time.monotonic() - started:.0f} s")


def build_static(env: dict[str, str]) -> None:
    if (WORK / "static" / "staticfiles.json").exists():
        return
    say("collecting the static files (scripts/build.sh assets)")
    run(["bash", "scripts/build.sh", "assets"], {**env, "PYTHON": PYTHON}, "setup.log")


class Processes:
    def __init__(self) -> None:
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (WORK / "log" / f"{name}.log").open("wb")  # this run's only
        process = subprocess.Popen(  # nosec B603: fixed commands of this project
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        self.started.append((name, process))
        return process

    def stop(self) -> None:
        for _, process in reversed(self.started):
            if process.poll() is None:
                process.terminate()
        for name, process in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop in 30 s: killed")
                process.kill()
                process.wait()


def start_nginx(processes: Processes, web_ports: list[int], https_port: int) -> None:
    prefix = WORK / "nginx"
    shutil.rmtree(prefix, ignore_errors=True)
    (prefix / "temp").mkdir(parents=True)
    make_certificate(WORK / "certs")
    conf = render_template(
        {
            "PORTAL_UPSTREAM": f"127.0.0.1:{web_ports[0]}",
            "NGINX_HTTP_PORT": str(free_port()),
            "NGINX_HTTPS_PORT": str(https_port),
            "NGINX_CERT_DIR": str(WORK / "certs"),
            "NGINX_STATIC_DIR": str(WORK / "static"),
            "NGINX_LOG_DIR": str(WORK / "log"),
        }
    )
    # Both web processes in the upstream, as the compose proxy finds every replica of "web".
    first = f"server 127.0.0.1:{web_ports[0]};"
    servers = "\n    ".join(f"server 127.0.0.1:{port};" for port in web_ports)
    (prefix / "portal.conf").write_text(conf.replace(first, servers, 1))
    user = "user root;" if os.geteuid() == 0 else ""
    main = MAIN_CONF.format(prefix=prefix, user=user).replace(
        "worker_connections 64", "worker_connections 1024"
    )
    (prefix / "nginx.conf").write_text(main)
    nginx = processes.start(
        "nginx",
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "e.log")],
        os.environ.copy(),
    )
    wait_for_port(https_port, nginx, prefix / "e.log")


def warm_up(https_port: int, plan: dict) -> None:
    """A few requests through the proxy before the clock starts, so each gunicorn worker
    has loaded its templates and translations: the figures are those of a running stack."""
    import ssl
    import urllib.request

    context = ssl.create_default_context(cafile=str(WORK / "certs" / "fullchain.pem"))
    paths = ["/accounts/login/", *(f"/s/{code}/" for code in plan["stations"][:3])]
    for _ in range(3 * WEB_PROCESSES):
        for path in paths:
            url = f"https://127.0.0.1:{https_port}{path}"
            with urllib.request.urlopen(url, context=context, timeout=60) as response:  # nosec B310: https, our own stack
                response.read()


ACCESS = re.compile(r'"(?:GET|POST) \S+ HTTP/[\d.]+" \d{3} \S+ (\d+)ms')


def server_times(offsets: dict[Path, int]) -> dict[str, float]:
    """gunicorn's own time per request (its access log, %(M)s), from the given offsets:
    the portal's work without the queueing in front of the workers."""
    times = sorted(
        int(match.group(1))
        for log, offset in offsets.items()
        for match in ACCESS.finditer(log.read_bytes()[offset:].decode(errors="replace"))
    )
    if not times:
        return {}
    pick = lambda share: times[min(len(times) - 1, int(len(times) * share))]  # noqa: E731
    return {"server_p50_ms": pick(0.5), "server_p95_ms": pick(0.95), "server_p99_ms": pick(0.99)}


def queue_length() -> int:
    import redis

    return int(redis.Redis.from_url(REDIS_URL).llen("celery"))


def main() -> int:
    (WORK / "log").mkdir(parents=True, exist_ok=True)
    https_port = free_port()
    env = environment(https_port)
    prepare_database(env)
    build_static(env)

    plan_file = WORK / "plan.json"
    run([PYTHON, "scripts/loadtest_data.py", "plan", str(plan_file)], env, "setup.log")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()

    processes = Processes()
    mark = f"LT{uuid.uuid4().hex[:12]}"
    prefix = WORK / "locust"
    result_file = WORK / "locust.json"
    result_file.unlink(missing_ok=True)
    try:
        web_ports = [free_port() for _ in range(WEB_PROCESSES)]
        for n, port in enumerate(web_ports, 1):
            web = processes.start(
                f"web{n}",
                [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                {**env, "LOG_NAME": f"web{n}", "GUNICORN_BIND": f"127.0.0.1:{port}"}
                | {"GUNICORN_WORKERS": "2"},
            )
            wait_for_port(port, web, WORK / "log" / f"web{n}.log")
        for n in (1, 2):
            processes.start(
                f"worker{n}",
                [PYTHON, "-m", "celery", "-A", "congress_portal", "worker", "--concurrency=1"]
                + [f"--hostname=loadtest{n}@%h", "--loglevel=WARNING"],
                {**env, "LOG_NAME": f"worker{n}"},
            )
        start_nginx(processes, web_ports, https_port)
        warm_up(https_port, json.loads(plan_file.read_text()))
        web_logs = [WORK / "log" / f"web{n}.log" for n in range(1, WEB_PROCESSES + 1)]
        offsets = {log: log.stat().st_size for log in web_logs}
        say(
            f"{WEB_PROCESSES} web processes (2 gunicorn workers each), 2 Celery workers, nginx "
            f"on https://127.0.0.1:{https_port}; locust: {USERS} users for {SECONDS} s"
        )
        locust = subprocess.run(  # nosec B603: fixed command
            [PYTHON, "-m", "locust", "-f", "scripts/locustfile.py", "--headless"]
            + ["-u", str(USERS), "-r", SPAWN_RATE, "-t", f"{SECONDS}s"]
            + ["--host", f"https://127.0.0.1:{https_port}", "--csv", str(prefix)]
            + ["--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
            cwd=ROOT,
            env={
                **os.environ,
                "LOADTEST_PLAN": str(plan_file),
                "LOADTEST_MARK": mark,
                "LOADTEST_CAFILE": str(WORK / "certs" / "fullchain.pem"),
                "LOADTEST_RESULT": str(result_file),
            },
            timeout=SECONDS + 120,
        )
        say(f"locust exited with {locust.returncode}; waiting for the Celery queue to empty")
        deadline = time.monotonic() + 60
        while (left := queue_length()) and time.monotonic() < deadline:
            time.sleep(1)
    finally:
        processes.stop()

    figures = json.loads(result_file.read_text())
    figures.update(server_times(offsets))
    figures["load_average"] = [round(n, 1) for n in os.getloadavg()]
    counts = WORK / "posted.json"
    counts.write_text(json.dumps(figures.pop("written")))
    check = subprocess.run(  # nosec B603: fixed command
        [PYTHON, "scripts/loadtest_data.py", "verify", mark, str(counts)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if check.returncode not in (0, 1):
        raise SystemExit(check.stderr)
    writes = json.loads(check.stdout)
    result = {
        **figures,
        "celery_queue_left": left,
        "writes": writes,
        "users": USERS,
        "seconds": SECONDS,
        "web_processes": WEB_PROCESSES,
    }
    (WORK / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    lost = {k: v for k, v in writes.items() if v["posted"] != v["in_database"]}
    print()
    print(f"requests      {figures['requests']} in {SECONDS} s, {USERS} users")
    print(f"requests/s    {figures['requests_per_second']}")
    print(
        f"p50/p95/p99   {figures['p50_ms']:.0f} / {figures['p95_ms']:.0f} / {figures['p99_ms']:.0f} ms"
    )
    if "server_p50_ms" in figures:
        print(
            f"gunicorn's own {figures['server_p50_ms']} / {figures['server_p95_ms']} / "
            f"{figures['server_p99_ms']} ms (p50/p95/p99, without the queue in front)"
        )
    print(f"errors        {figures['errors']}")
    for kind, row in writes.items():
        print(f"writes        {kind}: {row['posted']} posted, {row['in_database']} in the database")
    print(f"celery queue  {left} left after the run")
    print(f"load average  {figures['load_average']} (this machine, at the end)")
    print(f"written to    {WORK / 'result.json'}")
    if figures["errors"] or lost:
        print(
            "FAILED: "
            + ("errors; " if figures["errors"] else "")
            + (f"lost {lost}" if lost else "")
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

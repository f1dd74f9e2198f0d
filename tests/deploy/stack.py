"""The production path without Docker: the image's build (scripts/build.sh) into a temporary
directory, gunicorn from it in production mode with deploy/gunicorn.conf.py, and Debian's
nginx on deploy/nginx/portal.conf.template, the file the compose stack's proxy uses, with a
throw-away self-signed certificate. Used by tests/deploy/test_production_path.py."""

from __future__ import annotations

import getpass
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "portal.conf.template"
NGINX = "/usr/sbin/nginx"
HOST = "portal.test"
# Settings a developer's shell may carry that production mode must not inherit.
NOT_INHERITED = {
    "DEBUG",
    "SECRET_KEY",
    "PORTAL_ENV",
    "REDIS_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "LOG_DIR",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def clean_environment(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in NOT_INHERITED}, **extra}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{tail(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port}:\n{tail(log)}")


def tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


def copy_tree(destination: Path) -> None:
    """What `COPY . .` gives the image: the tracked and new files, not what git ignores."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listing.split("\0")):
        source = ROOT / name
        if source.is_symlink() or not source.is_file():
            continue  # .venv and node_modules are links in a worktree; deleted files
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def build(destination: Path) -> float:
    """scripts/build.sh as the Dockerfile runs it (no secret in its environment); seconds."""
    copy_tree(destination)
    started = time.monotonic()
    result = subprocess.run(
        ["bash", "scripts/build.sh"],
        cwd=destination,
        env=clean_environment(PYTHON=sys.executable),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"scripts/build.sh failed:\n{result.stdout}\n{result.stderr}")
    return time.monotonic() - started


def make_certificate(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={HOST}",
            "-addext",
            f"subjectAltName=DNS:{HOST},IP:127.0.0.1",
            "-keyout",
            str(directory / "privkey.pem"),
            "-out",
            str(directory / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return directory / "fullchain.pem"


def render_template(values: dict[str, str]) -> str:
    """envsubst, as the nginx image's entrypoint runs it, on exactly the template's names."""
    names = sorted(set(re.findall(r"\$\{([A-Z_]+)\}", TEMPLATE.read_text())))
    assert set(names) == set(values), f"the template asks for {names}"
    rendered = subprocess.run(
        ["envsubst", " ".join(f"${{{name}}}" for name in names)],
        input=TEMPLATE.read_text(),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **values},
    ).stdout
    assert not re.search(r"\$\{[A-Z_]+\}", rendered)
    return rendered


# The nginx image's own nginx.conf, in short: the portal's file is included in http {}.
MAIN_CONF = """\
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    include {prefix}/portal.conf;
}}
"""


@dataclass
class Stack:
    workdir: Path
    app: Path
    database_url: str
    build_seconds: float = 0.0
    https_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    gunicorn_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def cafile(self) -> Path:
        return self.workdir / "certs" / "fullchain.pem"

    @property
    def media(self) -> Path:
        return self.workdir / "media"

    @property
    def logs(self) -> Path:
        return self.workdir / "log"

    def gunicorn_environment(self) -> dict[str, str]:
        return clean_environment(
            PORTAL_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            DATABASE_URL=self.database_url,
            CONN_MAX_AGE="0",
            MEDIA_ROOT=str(self.media),
            LOG_DIR=str(self.logs),
            LOG_NAME="web",
            GUNICORN_BIND=f"127.0.0.1:{self.gunicorn_port}",
            GUNICORN_WORKERS="2",
            # The proxy reaches gunicorn from 127.0.0.1; the tests' forger from 127.0.0.2.
            FORWARDED_ALLOW_IPS="127.0.0.1",
        )

    def start(self) -> None:
        log = self.workdir / "gunicorn.log"
        with log.open("wb") as out:
            gunicorn = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                cwd=self.app,
                env=self.gunicorn_environment(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(gunicorn)
        wait_for_port(self.gunicorn_port, gunicorn, log)

        make_certificate(self.workdir / "certs")
        prefix = self.workdir / "nginx"
        (prefix / "temp").mkdir(parents=True)
        self.logs.mkdir(exist_ok=True)
        (prefix / "portal.conf").write_text(
            render_template(
                {
                    "PORTAL_UPSTREAM": f"127.0.0.1:{self.gunicorn_port}",
                    "NGINX_HTTP_PORT": str(self.http_port),
                    "NGINX_HTTPS_PORT": str(self.https_port),
                    "NGINX_CERT_DIR": str(self.workdir / "certs"),
                    "NGINX_STATIC_DIR": str(self.app / "var" / "static"),
                    "NGINX_LOG_DIR": str(self.logs),
                }
            )
        )
        # As root, nginx's workers would otherwise become nobody, who cannot open the
        # temporary directory; as anyone else the line is ignored.
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(MAIN_CONF.format(prefix=prefix, user=user))
        log = prefix / "error.log"
        nginx = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(nginx)
        wait_for_port(self.https_port, nginx, log)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cafile))

    def diagnostics(self) -> str:
        return (
            f"--- gunicorn\n{tail(self.workdir / 'gunicorn.log')}\n"
            f"--- nginx\n{tail(self.workdir / 'nginx' / 'error.log')}"
        )

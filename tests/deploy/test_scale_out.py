"""Scale-out as the README describes it: the compose file runs any number of web and worker
replicas behind the proxy, beat once, migrations once; the replicas share nothing but
PostgreSQL (optionally through pgbouncer), Redis and the media store, which is a shared
volume or, when configured, S3-compatible object storage (checked without any network)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SCALED = ("web", "worker")
DIRECT = "postgres://portal:portal@postgres:5432/portal"


def command(service: str) -> str:
    value = SERVICES[service].get("command", "")
    return " ".join(value) if isinstance(value, list) else value


@pytest.mark.parametrize("name", SCALED)
def test_web_and_worker_can_run_as_many_replicas(name):
    """`docker-compose up --scale web=2 --scale worker=2`: a fixed container name or a
    published host port would make the second replica fail to start."""
    service = SERVICES[name]
    assert "container_name" not in service
    assert "ports" not in service
    assert "ipv4_address" not in json.dumps(service.get("networks", {}))


@pytest.mark.parametrize("name", SCALED)
def test_replicas_share_only_the_database_redis_and_the_media_store(name):
    environment = SERVICES[name]["environment"]
    assert environment["DATABASE_URL"].endswith(DIRECT + "}")  # the default: straight in
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["MEDIA_ROOT"] == "/app/var/media"
    assert "MEDIA_STORAGE" in environment and "AWS_STORAGE_BUCKET_NAME" in environment
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in SERVICES[name]["volumes"]}
    # The media volume is the same named volume in each; the logs are dated files that
    # several processes append to. Nothing else is written to disk.
    assert mounts == {"/app/var/media": "media", "/app/var/log": "logs"}


def test_only_the_proxy_publishes_ports_and_it_reaches_web_by_its_service_name():
    published = [name for name, service in SERVICES.items() if "ports" in service]
    assert published == ["proxy"]
    assert SERVICES["proxy"]["environment"]["PORTAL_UPSTREAM"] == "web:8000"
    assert "upstream portal" in (ROOT / "deploy/nginx/portal.conf.template").read_text()


def test_beat_runs_once_in_its_own_service():
    beats = [name for name in SERVICES if re.search(r"\bbeat\b|\s-B\b", command(name))]
    assert beats == ["beat"]
    assert "deploy" not in SERVICES["beat"]  # no replicas setting
    assert "--concurrency" in command("worker") and "-B" not in command("worker").split()


def test_migrations_run_once_before_any_web_replica_starts():
    """Two replicas migrating at once would race on the same tables."""
    assert "migrate" not in command("web")
    assert "migrate" in command("migrate")
    assert SERVICES["web"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    assert SERVICES["migrate"]["restart"] == "no"
    # The proxy's static files are copied by it, once.
    assert "/srv/static" in command("migrate")


def test_pgbouncer_is_optional_and_migrations_and_backups_bypass_it():
    pgbouncer = SERVICES["pgbouncer"]
    assert pgbouncer["profiles"] == ["pgbouncer"]
    assert pgbouncer["environment"]["POOL_MODE"] == "transaction"
    for name in ("migrate", "backup"):
        assert SERVICES[name]["environment"]["DATABASE_URL"] == DIRECT


def test_the_compose_file_is_valid_for_docker_compose():
    if not Path("/usr/bin/docker-compose").exists():
        pytest.skip("docker-compose is not installed (CI installs it)")
    result = subprocess.run(
        ["docker-compose", "config", "-q"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


SETTINGS = """
import django, json; django.setup()
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
from storages.backends.s3boto3 import S3Boto3Storage
database = settings.DATABASES["default"]
print(json.dumps({
    "s3": isinstance(default_storage, S3Boto3Storage),
    "class": type(default_storage).__name__,
    "bucket": getattr(default_storage, "bucket_name", None),
    "endpoint": getattr(default_storage, "endpoint_url", None),
    "overwrite": getattr(default_storage, "file_overwrite", None),
    "location": getattr(default_storage, "location", None),
    "cursors": database.get("DISABLE_SERVER_SIDE_CURSORS", False),
    "prepare": database.get("OPTIONS", {}).get("prepare_threshold", "default"),
}))
"""


def settings_with(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Settings as a fresh process reads them from the environment (nothing connects)."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "MEDIA_", "DATABASE_")) and k != "PORTAL_ENV"
    }
    return subprocess.run(
        [sys.executable, "-c", SETTINGS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **inherited,
            "DJANGO_SETTINGS_MODULE": "congress_portal.settings",
            "PORTAL_ENV": "development",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            # No credentials or endpoint from the machine: boto3 must not look for any.
            "AWS_CONFIG_FILE": str(tmp_path / "none"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
            **env,
        },
    )


def read(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_uploads_go_to_the_media_folder_by_default(tmp_path):
    storage = read(settings_with(tmp_path))
    assert storage["class"] == "FileSystemStorage" and not storage["s3"]


def test_uploads_go_to_an_s3_bucket_when_configured(tmp_path):
    storage = read(
        settings_with(
            tmp_path,
            MEDIA_STORAGE="s3",
            AWS_STORAGE_BUCKET_NAME="portal-media",
            AWS_S3_ENDPOINT_URL="http://minio:9000",
            AWS_ACCESS_KEY_ID="portal",
            AWS_SECRET_ACCESS_KEY="portal-secret",
            AWS_LOCATION="uploads",
        )
    )
    assert storage["s3"] and storage["bucket"] == "portal-media"
    assert storage["endpoint"] == "http://minio:9000" and storage["location"] == "uploads"
    # A second file of the same name is kept beside the first, as on a disk.
    assert storage["overwrite"] is False


def test_s3_without_a_bucket_or_an_unknown_store_refuses_to_start(tmp_path):
    result = settings_with(tmp_path, MEDIA_STORAGE="s3")
    assert result.returncode != 0 and "AWS_STORAGE_BUCKET_NAME" in result.stderr
    result = settings_with(tmp_path, MEDIA_STORAGE="ftp")
    assert result.returncode != 0 and "MEDIA_STORAGE must be" in result.stderr


def test_transaction_pooling_turns_off_what_pgbouncer_cannot_carry(tmp_path):
    url = "postgres://portal:portal@pgbouncer:6432/portal"
    pooled = read(settings_with(tmp_path, DATABASE_URL=url, DATABASE_TRANSACTION_POOLING="true"))
    assert pooled["cursors"] is True and pooled["prepare"] is None
    direct = read(settings_with(tmp_path, DATABASE_URL=url))
    assert direct["cursors"] is False and direct["prepare"] == "default"

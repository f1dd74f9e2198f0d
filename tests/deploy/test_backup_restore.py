"""scripts/backup.sh and scripts/restore.sh as README.md tells an operator to run them: a
backup restored into a fresh database and an empty media folder gives every table's rows
and every file back; only BACKUP_KEEP backups are kept; old log files are pruned."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.deploy.stack import ROOT, clean_environment
from tests.liaison_stations.factories import station_with_deputies

pytestmark = pytest.mark.postgres


def script(name: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / name), *args],
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def url(name: str) -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{name}"
    )


def row_counts(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url(name)
    with psycopg.connect(url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_every_row_and_file_and_only_the_newest_are_kept(
    transactional_db, world, settings, tmp_path, fresh_database
):
    station_with_deputies(world.township, 3, code="hmy-01")
    media = Path(settings.MEDIA_ROOT)
    (media / "deputies" / "photos").mkdir(parents=True)
    (media / "deputies" / "photos" / "陆友红.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(4096))
    (media / "reports" / "2026-11").mkdir(parents=True)
    (media / "reports" / "2026-11" / "report.pdf").write_bytes(b"%PDF-1.7 " + os.urandom(8192))
    backups = tmp_path / "backups"
    env = {
        "DATABASE_URL": url(connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(media),
        "BACKUP_DIR": str(backups),
        "BACKUP_KEEP": "2",
    }

    started = time.monotonic()
    for _ in range(3):
        script("backup.sh", **env)
    backup_seconds = (time.monotonic() - started) / 3
    kept = sorted(backups.iterdir())
    assert len(kept) == 2 and all(p.name.startswith("portal-") for p in kept)
    newest = kept[-1]
    assert sorted(p.name for p in newest.iterdir()) == ["SHA256SUMS", "database.dump", "media.tar"]

    restored_media = tmp_path / "restored-media"
    started = time.monotonic()
    script("restore.sh", str(newest), DATABASE_URL=fresh_database, MEDIA_ROOT=str(restored_media))
    restore_seconds = time.monotonic() - started

    original = row_counts(env["DATABASE_URL"])
    assert (
        original["organisation_user"] == len(world.people)
        and original["liaison_stations_station"] == 1
    )
    assert row_counts(fresh_database) == original
    assert files(restored_media) == files(media) and len(files(media)) == 2
    size = sum(p.stat().st_size for p in newest.iterdir())
    print(f"backup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s, {size // 1024} KB")


def test_a_damaged_backup_is_refused(transactional_db, settings, tmp_path, fresh_database):
    env = {"DATABASE_URL": url(connection.settings_dict["NAME"]), "BACKUP_DIR": str(tmp_path)}
    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    script("backup.sh", **env)
    [backup] = tmp_path.glob("portal-*")
    with (backup / "media.tar").open("ab") as tar:
        tar.write(b"tampered")
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "restore.sh"), str(backup)],
        env=clean_environment(DATABASE_URL=fresh_database, MEDIA_ROOT=str(tmp_path / "m")),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "do not match" in result.stderr
    assert row_counts(fresh_database) == {}


def test_log_files_older_than_the_retention_are_deleted(tmp_path):
    day = 24 * 3600
    now = time.time()
    ages = {"web-2026-05-01.log": 200, "access-2026-06-10.log": 184, "web-2026-06-12.log": 182}
    for name, days in ages.items():
        (tmp_path / name).write_text("x\n")
        os.utime(tmp_path / name, (now - days * day, now - days * day))
    (tmp_path / "notes.txt").write_text("not a dated log")
    os.utime(tmp_path / "notes.txt", (now - 400 * day, now - 400 * day))
    script("prune-logs.sh", LOG_DIRS=str(tmp_path), LOG_RETENTION_DAYS="183")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "web-2026-06-12.log"]

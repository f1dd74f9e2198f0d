"""Application logs in one file per day: ``<LOG_DIR>/<LOG_NAME>-2026-12-01.log``.

A new file is opened when the day changes and nothing is ever renamed, so the gunicorn
workers, the Celery worker and beat may append to the same directory at once. How long
the files are kept is the nightly job's business (scripts/prune-logs.sh deletes the ones
older than LOG_RETENTION_DAYS).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TextIO


class DatedFileHandler(logging.Handler):
    def __init__(self, directory: str, name: str = "portal") -> None:
        super().__init__()
        self.directory = Path(directory)
        self.name_prefix = name
        self._day = ""
        self._stream: TextIO | None = None

    def path_for(self, day: str) -> Path:
        return self.directory / f"{self.name_prefix}-{day}.log"

    def emit(self, record: logging.LogRecord) -> None:
        try:
            day = time.strftime("%Y-%m-%d", time.localtime(record.created))
            if day != self._day or self._stream is None:
                self._close_stream()
                self.directory.mkdir(parents=True, exist_ok=True)
                self._stream = self.path_for(day).open("a", encoding="utf-8")
                self._day = day
            self._stream.write(self.format(record) + "\n")
            self._stream.flush()
        except Exception:
            self.handleError(record)

    def _close_stream(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def close(self) -> None:
        self.acquire()
        try:
            self._close_stream()
        finally:
            self.release()
        super().close()

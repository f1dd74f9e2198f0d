FROM python:3.11-slim-bookworm

# Pango for WeasyPrint, Noto CJK so PDFs never show empty boxes, gettext for the catalogues,
# the PostgreSQL 15 client (the server's version) for scripts/backup.sh and restore.sh.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk gettext postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
# The build steps are scripts/build.sh, the same script CI runs (tests/deploy/).
COPY pyproject.toml README.md ./
COPY scripts/build.sh scripts/
RUN scripts/build.sh deps
COPY . .
RUN scripts/build.sh assets

# /srv/static is the proxy's copy of the static files (a volume the migrate service fills).
RUN useradd --create-home portal \
    && mkdir -p /app/var/media /app/var/log /srv/static \
    && chown -R portal /app/var /srv/static
USER portal
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]

FROM python:3.11-slim-bookworm

# Pango for WeasyPrint, Noto CJK so PDFs never show empty boxes, gettext for the catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk gettext \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN find . -name '*.po' -path '*zh_Hans*' -execdir msgfmt --check-format -o django.mo django.po \; \
    && PORTAL_ENV=development python manage.py collectstatic --no-input -v0

RUN useradd --create-home portal && mkdir -p /app/var/media && chown -R portal /app/var
USER portal
EXPOSE 8000
CMD ["gunicorn", "congress_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

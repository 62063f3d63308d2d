# fieldapp: production image (gunicorn, PostgreSQL via DATABASE_URL). See docs/deploy.md.
#
#   docker build -t fieldapp .
#   docker run -p 8000:8000 -e SECRET_KEY=... -e DATABASE_URL=postgresql://... -v fieldapp-data:/data fieldapp
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# pg_dump / pg_restore, for `fieldapp backup` and `fieldapp restore` against PostgreSQL. They
# must be of the server's major version or newer (docs/deploy.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# The app runs as an unprivileged user that owns only its data folders; the code stays root's.
RUN groupadd --system --gid 10001 fieldapp \
    && useradd --system --uid 10001 --gid fieldapp --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin fieldapp

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
       > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The source tree as it is in the repository: create_app() finds templates/ and static/ next
# to fieldapp/ (template_folder="../templates"), so the package is installed in place (-e)
# rather than copied into site-packages without them. The static JS/CSS are compressed here,
# once (brotli and gzip, into build/static-compressed, read-only at run time; docs/deploy.md).
COPY . /app
RUN pip install --no-deps -e . \
    && python -m fieldapp.web.precompress /app/static /app/build/static-compressed \
    && mkdir -p /app/instance /data/media \
    && chown fieldapp:fieldapp /app/instance /data /data/media

ENV FIELDAPP_ENV=production \
    MEDIA_ROOT=/data/media \
    PORT=8000 \
    WEB_CONCURRENCY=3

# Media (photos, signatures) and, if SQLite is used, its file: DATABASE_URL=sqlite:////data/fieldapp.sqlite3
VOLUME ["/data"]
EXPOSE 8000

USER fieldapp

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/salud' % os.environ.get('PORT', '8000'), timeout=4)"]

# Checks SECRET_KEY, waits for the database, runs the migrations, then execs gunicorn.
ENTRYPOINT ["python", "/app/docker/entrypoint.py"]
CMD ["serve"]

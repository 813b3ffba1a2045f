# Hechting: one image for the web app. Build: docker build -t hechting .
# PYTHON_IMAGE can point at another Debian-based image with python3 (tests use a local one).
ARG PYTHON_IMAGE=python:3.13-slim
FROM ${PYTHON_IMAGE} AS build

SHELL ["/bin/sh", "-eu", "-c"]
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# gettext only to compile the translations; it does not reach the final image.
# Versions are not pinned (DL3008): the base image's Debian release fixes them, and an exact
# pin would break the build at Debian's next security update.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*

# The runtime dependencies, exactly as uv.lock pins them (with hashes), in their own layer
# (rebuilt only when the lock changes). uv is in the lock too: pip installs it by its hashes.
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY hechting/lib/lockfile.py /tmp/lockfile.py
ENV UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/venv \
    UV_SYSTEM_CERTS=1 \
    UV_NO_CACHE=1
RUN python3 -m venv /tmp/uv \
 && python3 /tmp/lockfile.py --lock-file uv.lock --requirement uv > /tmp/uv.txt \
 && /tmp/uv/bin/pip install --no-cache-dir --require-hashes --no-deps --requirement /tmp/uv.txt \
 && python3 -m venv /venv \
 && /tmp/uv/bin/uv sync --locked --no-dev --python /venv/bin/python \
 && /venv/bin/python /tmp/lockfile.py --lock-file uv.lock \
 && rm -rf /tmp/uv /tmp/uv.txt

COPY . .
# Translations (.mo) and static files (hashed names and gzip copies) are made here once.
RUN DATA_DIR=/tmp/build-data /venv/bin/python manage.py compilemessages -v0 \
 && DATA_DIR=/tmp/build-data /venv/bin/python manage.py collectstatic --no-input -v0 \
 && /venv/bin/python -m compileall -q hechting reflect \
 && find . -name "*.po" -delete \
 && rm -rf /tmp/build-data


FROM ${PYTHON_IMAGE}

SHELL ["/bin/sh", "-eu", "-c"]
# postgresql-client gives pg_dump for the automatic backup before migrations (PostgreSQL).
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 999 hechting \
 && useradd --system --uid 999 --gid hechting --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin hechting \
 && mkdir /data /backup-copy \
 && chown hechting:hechting /data /backup-copy

COPY --from=build /venv /venv
COPY --from=build --chown=root:root /app /app

ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/data \
    STATIC_ROOT=/app/staticfiles \
    PORT=8000

WORKDIR /app
USER 999:999
# /backup-copy: where a second disk or share can be mounted for BACKUP_COPY_DIR.
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "--config", "docker/gunicorn.conf.py", "hechting.wsgi:application"]

# syntax=docker/dockerfile:1
# Build: docker build -t passerelle .   Run: see compose.yaml (PostgreSQL + Redis).

FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install .

FROM python:3.12-slim AS runtime
RUN useradd --system --uid 10001 --create-home --home-dir /srv passerelle
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv
COPY alembic.ini ./
COPY migrations ./migrations
USER passerelle
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PASSERELLE_ENV=production \
    PASSERELLE_FORWARDED_ALLOW_IPS=127.0.0.1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
# Migrate, then serve. Several replicas may start at once: Alembic takes no lock, so in a
# multi-replica deployment run the migration as a one-off job first (see README).
CMD ["sh", "-c", "alembic upgrade head && exec python -m app.serve --host 0.0.0.0 --port 8000"]

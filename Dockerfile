# Image of the portal: web (gunicorn), Celery worker and beat run from it (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends swig libpcsclite-dev gcc pkg-config openssl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
RUN useradd --system --home /app portal && mkdir -p /app/var && chown -R portal /app/var
USER portal
# collectstatic needs settings but no secret worth keeping: a throwaway one for the build only.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY="build-$(python -c 'import secrets;print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --noinput
EXPOSE 8000
# Persistent, health-checked database connections are the settings' default outside DEBUG.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "esms_portal.wsgi:application"]

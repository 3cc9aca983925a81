# The production image: one image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    TIJDIG_VAR_DIR=/var/lib/tijdig STATIC_ROOT=/app/staticfiles
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /app --uid 1000 tijdig

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv -v 0 \
 && SECRET_KEY=build-only python manage.py collectstatic --no-input -v 0 \
 && mkdir -p /var/lib/tijdig && chown -R tijdig /var/lib/tijdig

USER tijdig
EXPOSE 8000
# No gunicorn access log: it prints query strings; the app writes its own JSON access log.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]

# The suggestion service with the default model baked in. Runtime dependencies only: no
# scikit-learn or training code (requirements/service.txt).
#
#   docker build -t codesuggest .
#   docker run -p 8000:8000 -e CODESUGGEST_API_KEY_HASHES='["<sha256 of your key>"]' codesuggest
#
# It listens on 0.0.0.0, so it refuses to start without CODESUGGEST_API_KEY_HASHES (make a hash
# with `echo -n "$KEY" | python -m service hash-key`). See docs/api.md for every setting.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app

# Dependencies first: this layer is reused until the pins change.
COPY requirements/service.txt requirements/service.txt
RUN pip install --no-compile -r requirements/service.txt

COPY service/ service/
COPY models/ models/
# The only place the service writes (the default SQLite feedback store).
RUN mkdir -p /app/data && chown app:app /app/data

USER app

EXPOSE 8000
# Liveness only; /readyz tells a load balancer when the model is loaded.
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('CODESUGGEST_PORT', '8000'), timeout=2)"]
STOPSIGNAL SIGTERM
CMD ["python", "-m", "service", "--host", "0.0.0.0"]

"""gunicorn's settings for the portal (Dockerfile, docker-compose.yml, the production-stack test).

Sizing rule: a page of the portal is mostly Python CPU (templates, serializers) with short database
waits, so processes, not threads, bring throughput: `2 × cores + 1` sync workers keep every core busy
while some wait on PostgreSQL. Threads only help pages that wait on slow I/O; they stay at 1 unless
`GUNICORN_THREADS` says otherwise. Each worker holds one persistent database connection
(CONN_MAX_AGE): size PostgreSQL's max_connections for workers × threads × web replicas, plus the
Celery workers.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A worker stuck longer than this is killed and replaced; no portal request should come near it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10
# "-" to stdout; empty for none (benchmarks).
# gunicorn's control socket defaults to one path in $HOME shared by every gunicorn of the user:
# processes are managed by signals (compose, the CI stack test), so none is opened.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"

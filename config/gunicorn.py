"""gunicorn settings shared by the container image, the systemd unit and `make deploy-check`
(`gunicorn -c python:config.gunicorn`)."""

import os

bind = os.getenv("TINHSO_BIND", "127.0.0.1:8000")
workers = int(os.getenv("WEB_WORKERS", "3"))
threads = int(os.getenv("WEB_THREADS", "4"))
timeout = 60
graceful_timeout = 30
# Recycle workers now and then (a slow leak never becomes an outage), but rarely: a new worker imports everything
# again (seconds of CPU, taken from the workers still serving on a 2-core host). At 2,000 (jitter 200) a contest
# opening (44,000 requests in 10 minutes) replaced every worker every ~90 s, the three together: every request
# waited up to 6-10 s each time. At 20,000 each worker is replaced at most about once in such a contest, and the
# jitter of half the limit keeps the three replacements apart.
max_requests = int(os.getenv("WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 2
forwarded_allow_ips = os.getenv("TRUSTED_PROXIES", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
capture_output = True
wsgi_app = "config.wsgi:application"


def on_starting(server):
    """Request counters of all workers are summed through this directory (prometheus_client's multiprocess
    mode); it must start empty."""
    directory = os.getenv("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            os.unlink(os.path.join(directory, name))


def post_worker_init(worker):
    """Load the URLs (and so every view module) before the worker takes requests: otherwise its first request
    pays for the imports (0.8 s of CPU) while the requests behind it wait, after every recycling."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (a cached property: reading it imports config.urls)


def child_exit(server, worker):
    if os.getenv("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

"""gunicorn settings shared by the container image, the systemd unit and `make deploy-check`
(`gunicorn -c python:config.gunicorn`)."""

import os

bind = os.getenv("TINHSO_BIND", "127.0.0.1:8000")
workers = int(os.getenv("WEB_WORKERS", "3"))
threads = int(os.getenv("WEB_THREADS", "4"))
timeout = 60
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (a slow leak never becomes an outage)
max_requests_jitter = 200
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


def child_exit(server, worker):
    if os.getenv("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

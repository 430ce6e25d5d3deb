"""gunicorn settings for Kollegium (`gunicorn --config gunicorn.conf.py wsgi:app`, or
`'app:create_app()'` from an installed package). Each can be set in the environment;
docs/operations.md says how many workers we measured best."""

import multiprocessing
import os

bind = os.environ.get("KOLLEGIUM_BIND", "127.0.0.1:8000")
# Sync workers: pages are short and CPU-bound; two per core, at least two.
workers = int(os.environ.get("KOLLEGIUM_WORKERS", max(2, 2 * multiprocessing.cpu_count())))
worker_class = os.environ.get("KOLLEGIUM_WORKER_CLASS", "sync")
threads = int(os.environ.get("KOLLEGIUM_THREADS", "1"))
# A request that takes longer has gone wrong; the worker is replaced.
timeout = int(os.environ.get("KOLLEGIUM_TIMEOUT", "30"))
graceful_timeout = 20
# Renew workers now and then, so a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
# The access log goes to standard output (the journal or the container's log); the
# application's own messages go to standard error through app/logs.py.
accesslog = os.environ.get("KOLLEGIUM_ACCESS_LOG", "-")
errorlog = "-"
# Tokens (feed addresses, ?token=…) are taken out of the access log (app/accesslog.py).
logger_class = "app.accesslog.RedactingLogger"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" id=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("KOLLEGIUM_FORWARDED_ALLOW_IPS", "127.0.0.1")

"""gunicorn settings for `make run` and the tests' live server; HOST, PORT, WEB_WORKERS."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_WORKERS", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("WEB_THREADS", "2"))
wsgi_app = "tadamun.wsgi:application"
# No access log: it would hold client addresses, which are kept only for abuse limits.
accesslog = None
errorlog = "-"
timeout = 30
graceful_timeout = 10
# No control socket: nothing here uses gunicornc, and its default path is one per user
# ($HOME/.gunicorn), which two servers on one machine (two checkouts, tests) would share.
control_socket_disable = True

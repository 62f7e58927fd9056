"""The worker's entry point: ``huey_consumer core.worker.huey`` builds the app from the environment.

The same settings as the web server (DATABASE_URL, QUEUE_URL, INSTANCE_PATH, MAIL_*): see docs/deployment.md.

The worker runs at a lower CPU priority than the web server (``WORKER_NICE``, default 10; 0 keeps the usual
one): at the deadline, the pictures' copies and the receipts it makes wait while teachers' uploads are served,
on the same cores. Its tasks are not urgent; a request is.
"""
import os

from app import create_app
from core.tasks import huey

_NICE = int(os.environ.get("WORKER_NICE", "10"))
if _NICE > 0 and hasattr(os, "nice"):
    os.nice(_NICE)

app = create_app()

__all__ = ["app", "huey"]

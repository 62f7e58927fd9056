"""The worker's entry point: ``huey_consumer core.worker.huey`` builds the app from the environment.

The same settings as the web server (DATABASE_URL, QUEUE_URL, INSTANCE_PATH, MAIL_*): see docs/deployment.md.
"""
from app import create_app
from core.tasks import huey

app = create_app()

__all__ = ["app", "huey"]

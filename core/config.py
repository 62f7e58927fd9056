"""Settings, read from the environment with safe defaults.

Every setting is documented in README.md. Tests pass a mapping to
``create_app(config)`` which wins over the environment.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ENV_SETTINGS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_DEFAULT_SENDER",
    "RATELIMIT_STORAGE_URI",
    "MAX_UPLOAD_MB",
    "SESSION_COOKIE_SECURE",
    "TRUST_PROXY",
    "PUBLIC_BASE_URL",
    "TRUSTED_HOSTS",
    "APP_ENV",
    "STORAGE_URL",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "QUEUE_URL",
    "QUEUE_IMMEDIATE",
    "QUEUE_LEASE_SECONDS",
)
APP_ENVS = ("production", "development")
# Development servers and tests answer on these names (any port) and put the first in links.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


class ConfigurationError(RuntimeError):
    """A setting is missing or wrong: the app refuses to start rather than run half-configured."""


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def secret_key_from_instance(instance_path: str) -> str:
    """Return the key kept in the instance folder, creating it on first use.

    Several workers or servers may start at once on one instance folder: the key is written whole to
    a temporary file and linked into place, so nobody reads a half-written key, and whoever loses the
    race reads the winner's.
    """
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=key_file.parent, prefix=".secret_key-")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            try:
                os.link(tmp, key_file)
            except FileExistsError:
                pass  # another process was first: use its key
        finally:
            os.unlink(tmp)
    return key_file.read_text().strip()


def public_base_url_setting(value: str) -> str:
    """``PUBLIC_BASE_URL`` checked and without its trailing slash: ``https://host[:port][/path]`` or empty."""
    value = (value or "").strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment or "@" in parts.netloc:
        raise ConfigurationError(
            f"PUBLIC_BASE_URL must be the address people use to reach the app, such as "
            f"https://competition.example.org (a scheme and a host name, no query); it is {value!r}.")
    return value


def is_production(app) -> bool:
    """Production unless the app is tested, run in debug mode (``flask --debug run``) or ``APP_ENV=development``."""
    return app.config["APP_ENV"] == "production" and not app.testing and not app.debug


def _configure_hosts(app, extra_hosts) -> None:
    """Refuse to start in production without a public address; trust only its host (and the loopback names
    outside production) in ``Host`` and ``X-Forwarded-Host`` headers (Flask's ``TRUSTED_HOSTS``)."""
    public = app.config["PUBLIC_BASE_URL"] = public_base_url_setting(app.config.get("PUBLIC_BASE_URL", ""))
    production = is_production(app)
    if production and not public:
        raise ConfigurationError(
            "PUBLIC_BASE_URL is not set. Links in emails are built from it, never from the request: set it to the "
            "address people use to reach the app, e.g. PUBLIC_BASE_URL=https://competition.example.org. For a "
            "development server on this computer, set APP_ENV=development instead (make run does).")
    if isinstance(extra_hosts, str):
        extra_hosts = extra_hosts.split(",")
    hosts = [urlsplit(public).hostname] if public else []
    hosts += [h.strip().lower() for h in extra_hosts or () if h.strip()]
    if not production:
        hosts += LOOPBACK_HOSTS
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys(hosts))


def load_config(app, overrides: dict | None = None) -> None:
    """Fill ``app.config`` from defaults, then the environment, then overrides."""
    overrides = dict(overrides or {})
    env = {name: os.environ[name] for name in ENV_SETTINGS if os.environ.get(name)}
    settings = {**env, **overrides}
    instance = app.instance_path
    Path(instance).mkdir(parents=True, exist_ok=True)

    database_url = settings.get("DATABASE_URL") or f"sqlite:///{Path(instance) / 'app.db'}"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    upload_mb = int(settings.get("MAX_UPLOAD_MB", 20))
    app_env = str(settings.get("APP_ENV") or "production").strip().lower()
    if app_env not in APP_ENVS:
        raise ConfigurationError(f"APP_ENV must be 'production' or 'development'; it is {app_env!r}.")
    storage_url = str(settings.get("STORAGE_URL") or "")
    if storage_url and not (storage_url.startswith("s3://") and len(storage_url) > len("s3://")):
        raise ConfigurationError(f"STORAGE_URL must be s3://bucket or s3://bucket/prefix (or unset for UPLOAD_FOLDER); "
                                 f"it is {storage_url!r}.")

    app.config.update(
        SECRET_KEY=settings.get("SECRET_KEY") or secret_key_from_instance(instance),
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        MAIL_SERVER=settings.get("MAIL_SERVER", ""),
        MAIL_PORT=int(settings.get("MAIL_PORT", 25)),
        MAIL_USERNAME=settings.get("MAIL_USERNAME", ""),
        MAIL_PASSWORD=settings.get("MAIL_PASSWORD", ""),
        MAIL_USE_TLS=_bool(str(settings.get("MAIL_USE_TLS", ""))),
        MAIL_USE_SSL=_bool(str(settings.get("MAIL_USE_SSL", ""))),
        MAIL_DEFAULT_SENDER=settings.get("MAIL_DEFAULT_SENDER", "competition@localhost"),
        MAIL_OUTBOX=str(Path(instance) / "outbox"),
        UPLOAD_FOLDER=str(Path(instance) / "uploads"),
        EXPORT_FOLDER=str(Path(instance) / "exports"),
        # Files: UPLOAD_FOLDER, or an S3 bucket with STORAGE_URL=s3://bucket[/prefix] (core.files).
        STORAGE_URL=settings.get("STORAGE_URL", ""),
        S3_ENDPOINT_URL=settings.get("S3_ENDPOINT_URL", ""),
        S3_REGION=settings.get("S3_REGION", ""),
        S3_ACCESS_KEY_ID=settings.get("S3_ACCESS_KEY_ID", ""),
        S3_SECRET_ACCESS_KEY=settings.get("S3_SECRET_ACCESS_KEY", ""),
        MAX_UPLOAD_BYTES=upload_mb * 1024 * 1024,
        # Room for the form fields and multipart overhead around the largest file.
        MAX_CONTENT_LENGTH=upload_mb * 1024 * 1024 + 1024 * 1024,
        RATELIMIT_STORAGE_URI=settings.get("RATELIMIT_STORAGE_URI", "memory://"),
        RATELIMIT_HEADERS_ENABLED=False,
        LOGIN_LIMIT_PER_ACCOUNT_AND_IP="10 per minute; 20 per hour",
        LOGIN_LIMIT_PER_IP="30 per minute",
        LOGIN_LIMIT_PER_ACCOUNT="100 per hour",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=_bool(str(settings.get("SESSION_COOKIE_SECURE", ""))),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        TRUST_PROXY=_bool(str(settings.get("TRUST_PROXY", ""))),
        PUBLIC_BASE_URL=settings.get("PUBLIC_BASE_URL", ""),
        APP_ENV=app_env,
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead; logout ends it
        BABEL_DEFAULT_LOCALE="en",
        BABEL_DEFAULT_TIMEZONE="Europe/Paris",
        LANGUAGES={"en": "English", "fr": "Français"},
        TOKEN_MAX_AGE=timedelta(hours=48),
        RESET_TOKEN_MAX_AGE=timedelta(hours=2),
        # The task queue (core/tasks.py): a SQLite file in the instance folder unless QUEUE_URL names
        # Redis (redis://host:6379/1). QUEUE_IMMEDIATE runs tasks in the process that asks (tests).
        QUEUE_URL=settings.get("QUEUE_URL") or f"sqlite:///{Path(instance) / 'queue.db'}",
        QUEUE_IMMEDIATE=_bool(str(settings.get("QUEUE_IMMEDIATE", ""))) or bool(overrides.get("TESTING")),
        QUEUE_LEASE_SECONDS=int(settings.get("QUEUE_LEASE_SECONDS", 60)),  # a dead worker's task runs again after this
    )
    # Any remaining override (TESTING, WTF_CSRF_ENABLED, ...) is applied last.
    for key, value in overrides.items():
        if key not in {"DATABASE_URL", "APP_ENV"}:
            app.config[key] = value
    if "DATABASE_URL" in overrides:
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    _configure_hosts(app, settings.get("TRUSTED_HOSTS"))

"""The application factory: ``flask --app app run`` or ``create_app()``."""
from __future__ import annotations

import os

from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
    )

    from core import config as core_config

    core_config.load_config(app, config)

    from core import audit, converters, db, errors, extensions, hosts, i18n, logs, permissions, security, templating  # noqa: F401

    converters.init_app(app)
    db.init_app(app)
    extensions.init_app(app)
    hosts.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    permissions.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    logs.init_app(app)

    from core import tasks, transaction

    tasks.init_app(app)
    transaction.init_app(app)

    import accounts
    import campaign
    import competition
    import core.views
    import judging

    core.views.init_app(app)
    accounts.init_app(app)
    competition.init_app(app)
    judging.init_app(app)
    campaign.init_app(app)

    import demo
    import retention
    from core import backup_cli

    retention.init_app(app)
    demo.init_app(app)
    backup_cli.init_app(app)

    # Default deny: refuse to start with a view that declares no access rule.
    permissions.check_all_views_declared(app)
    return app

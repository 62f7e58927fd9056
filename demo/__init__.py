"""The demo: a playground where every journey can be tried at once (``flask demo``; see build.py).

It may import every package, as app.py does: it builds accounts, editions, entries, rounds, scores and
campaign material through their own operations.
"""


def init_app(app) -> None:
    from demo import cli

    cli.init_app(app)

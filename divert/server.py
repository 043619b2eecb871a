"""Running divert under gunicorn, the production WSGI server."""

import os

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, application, options: dict):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def default_workers() -> int:
    # gunicorn's 2 x cores + 1 sync workers. Measured on 2 cores (benchmarks/README.md):
    # threaded workers pin keep-alive clients to whichever process accepted them first, so
    # load sometimes lands on one or two processes; sync workers spread it evenly.
    return 2 * (os.cpu_count() or 1) + 1


def run_gunicorn(*, host: str, port: int, workers: int | None = None, threads: int = 1) -> None:
    from django.core.wsgi import get_wsgi_application

    options = {
        "bind": f"{host}:{port}",
        "workers": workers or default_workers(),
        "threads": threads,
        "accesslog": "-",
        "timeout": 60,
    }
    _Server(get_wsgi_application(), options).run()

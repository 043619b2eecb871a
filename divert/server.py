"""Running divert under gunicorn, the production WSGI server."""

import copy
import os
from pathlib import Path

from gunicorn.app.base import BaseApplication

from divert.paths import VAR_DIR


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


def prepare_metrics_dir() -> Path:
    """Where the worker processes write their /metrics figures; emptied for a new server.

    prometheus_client chooses multiprocess mode when it is first imported, so this must run
    before Django starts.
    """
    path = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(VAR_DIR / "metrics")))
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    return path


def _worker_exited(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _gunicorn_logging() -> dict:
    """Django's LOGGING, so gunicorn's own messages are JSON lines too."""
    from django.conf import settings

    config = copy.deepcopy(settings.LOGGING)
    config["loggers"]["gunicorn.error"] = {"level": "INFO", "propagate": True}
    # divert.logs writes the request log (with the request id, without query strings).
    config["loggers"]["gunicorn.access"] = {"level": "WARNING", "propagate": False}
    return config


def gunicorn_options(*, bind: str, workers: int | None = None, threads: int = 1) -> dict:
    return {
        "bind": bind,
        "workers": workers or default_workers(),
        "threads": threads,
        "timeout": 60,
        "logconfig_dict": _gunicorn_logging(),
        "child_exit": _worker_exited,
    }


def run_gunicorn(*, host: str, port: int, workers: int | None = None, threads: int = 1) -> None:
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        raise RuntimeError("call divert.server.prepare_metrics_dir() before Django starts")
    from django.core.wsgi import get_wsgi_application

    options = gunicorn_options(bind=f"{host}:{port}", workers=workers, threads=threads)
    _Server(get_wsgi_application(), options).run()

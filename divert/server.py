"""Running divert under gunicorn, the production WSGI server."""

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


def run_gunicorn(*, host: str, port: int, workers: int) -> None:
    from django.core.wsgi import get_wsgi_application

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": 4,
        "accesslog": "-",
        "timeout": 60,
    }
    _Server(get_wsgi_application(), options).run()

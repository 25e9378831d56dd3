"""Running the WSGI app under gunicorn from `reciprocal serve`."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from .. import create_app

        return create_app()


def run_gunicorn(bind: str, workers: int) -> None:
    _Gunicorn(
        {
            "bind": bind,
            "workers": max(1, workers),
            "worker_class": "gthread",
            "threads": 8,
            "timeout": 120,
            "graceful_timeout": 30,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "info",
        }
    ).run()

"""`chibo serve`: the production web server (gunicorn) running Chibo.

Gunicorn rather than granian or an ASGI server: Chibo is a synchronous Django application
(the ORM, the WSGI middleware, the report and import code), so an ASGI server would run every
request in a thread pool anyway; gunicorn's pre-forked processes with a few threads each are
the plain, well-known way to run it, are pure Python (nothing to compile, also packaged by
Debian), restart a dead worker on their own, and hold one persistent database connection per
thread (docs/deploy.md, "Connections"). Static files come from WhiteNoise inside the
application, hashed and compressed, so the reverse proxy only forwards.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections


def default_workers() -> int:
    # Gunicorn's rule of thumb (2 × cores + 1), capped: each process holds the application
    # (~100 MB) and its database connections.
    return min(2 * (os.cpu_count() or 1) + 1, 9)


class Command(BaseCommand):
    help = (
        "Run Chibo under gunicorn, the production web server, behind a reverse proxy doing "
        "HTTPS. Settings: CHIBO_WEB_BIND, CHIBO_WEB_WORKERS, CHIBO_WEB_THREADS, "
        "CHIBO_WEB_TIMEOUT (docs/deploy.md)."
    )
    requires_system_checks = "__all__"

    def add_arguments(self, parser: CommandParser) -> None:
        env = os.environ.get
        parser.add_argument(
            "--bind",
            default=env("CHIBO_WEB_BIND", "127.0.0.1:8000"),
            help="Address to listen on: host:port or unix:/path (default 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(env("CHIBO_WEB_WORKERS") or default_workers()),
            help="Processes (default 2 × cores + 1, at most 9).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(env("CHIBO_WEB_THREADS") or 4),
            help="Threads per process (default 4): requests waiting on the database overlap.",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(env("CHIBO_WEB_TIMEOUT") or 120),
            help="Seconds a request may take before its worker is restarted (default 120).",
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=int(env("CHIBO_WEB_MAX_REQUESTS") or 2000),
            help="Requests after which a worker is replaced, against slow leaks (0: never).",
        )
        parser.add_argument(
            "--access-log",
            default=env("CHIBO_WEB_ACCESS_LOG", "-"),
            help="File for the access log, '-' for standard output, '' for none.",
        )

    def handle(self, *args, **options) -> None:
        from gunicorn.app.base import BaseApplication

        config = {
            "bind": [options["bind"]],
            "workers": options["workers"],
            "threads": options["threads"],
            "worker_class": "gthread",
            "timeout": options["timeout"],
            "graceful_timeout": 30,
            "max_requests": options["max_requests"],
            "max_requests_jitter": options["max_requests"] // 10,
            "accesslog": options["access_log"] or None,
            "errorlog": "-",
            # The scheme from X-Forwarded-Proto only from the proxies Chibo trusts (its own
            # middleware decides the client's address from the same list).
            "forwarded_allow_ips": ",".join(settings.CHIBO_TRUSTED_PROXIES),
            "proc_name": "chibo",
            # Gunicorn's control socket lives in the user's home, shared by every instance
            # of the same user (several replicas, a service user without a home): unused.
            "control_socket_disable": True,
        }
        # The checks above may have opened a connection: forked workers must not share it.
        connections.close_all()

        class Chibo(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                from chibo.wsgi import application

                return application

        self.stdout.write(
            f"Chibo on {options['bind']}: {options['workers']} processes × "
            f"{options['threads']} threads"
        )
        Chibo().run()

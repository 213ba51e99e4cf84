"""The action server's entry point: `python -m actions.server --port 5055` (scripts/start_actions.sh).

`python -m rasa_sdk` listens on 0.0.0.0 and runs any action for whoever posts to `/webhook` — with
forged slots that is a case created under the action server's operator token. This entry runs the
same rasa_sdk app, with these differences:

* It listens on `ACTIONS_HOST`, 127.0.0.1 by default: only Rasa, on this machine, calls it.
* Every request except `GET /health` must carry `Authorization: Bearer <ACTION_WEBHOOK_SECRET>`;
  Rasa sends it (`action_endpoint.headers` in endpoints*.yml). Anything else gets 401 (compared in
  constant time). `/health` stays open: a liveness probe that answers `{"status": "ok"}` and
  nothing else, asked by the api before each message.
* Without a secret it does not start. Outside development the start script also refuses a weak
  one or the public development default (scripts/secrets.sh).
* An action that raises gets a 500 without the request in it (rasa_sdk's own handler echoes the
  whole tracker, names and phone numbers included, and Rasa logs the body of a failed call).
* httpx and httpcore log at WARNING: their INFO line is the URL of each call to the api.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
from collections.abc import Sequence

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

log = logging.getLogger(__name__)

SECRET_ENV = "ACTION_WEBHOOK_SECRET"
HOST_ENV = "ACTIONS_HOST"
DEFAULT_HOST = "127.0.0.1"
OPEN_PATHS = frozenset({"/health"})
UNAUTHORIZED = "Yêu cầu không được xác thực / not authenticated."
NO_SECRET = (
    f"LỖI / ERROR: {SECRET_ENV} chưa được đặt / is not set: máy chủ hành động không khởi động "
    "/ the action server does not start."
)


def quiet_http_client_logs() -> None:
    """httpx logs every request URL at INFO; keep it and httpcore at WARNING."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


def authorized(header: str | None, secret: str) -> bool:
    """`Authorization: Bearer <secret>`, compared in constant time."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return False
    return hmac.compare_digest(value.strip().encode(), secret.encode())


def secure(app: Sanic, secret: str) -> Sanic:
    """Require the secret on every route but /health; a failed action answers without the request."""

    @app.on_request
    async def require_secret(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS and request.method in ("GET", "HEAD"):
            return None
        if authorized(request.headers.get("authorization"), secret):
            return None
        return response.json({"error": UNAUTHORIZED}, status=401, headers={"WWW-Authenticate": "Bearer"})

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):  # 404, 405, a bad body...: their own status
            return response.json({"error": type(exception).__name__}, status=exception.status_code)
        log.error("Action call failed: %s", type(exception).__name__)
        return response.json({"error": "internal error"}, status=500)

    app.error_handler.add(Exception, failed)
    return app


def build_app(secret: str, actions_package: str = "actions") -> Sanic:
    return secure(create_app(actions_package, cors_origins=None), secret)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rasa action server on loopback, with a shared secret")
    parser.add_argument("-p", "--port", type=int, default=int(os.environ.get("ACTIONS_PORT", "5055")))
    parser.add_argument("--actions", default="actions", help="package of the actions")
    utils.add_logging_level_option_arguments(parser)
    args = parser.parse_args(argv)

    secret = os.environ.get(SECRET_ENV, "").strip()
    if not secret:
        print(NO_SECRET, file=sys.stderr)
        return 78
    host = os.environ.get(HOST_ENV, "").strip() or DEFAULT_HOST
    utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    quiet_http_client_logs()
    app = build_app(secret, args.actions)
    log.info("Action server on http://%s:%d (/webhook needs the shared secret)", host, args.port)
    app.run(host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

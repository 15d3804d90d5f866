"""``python -m service``: serve the API with uvicorn; ``python -m service hash-key`` hashes a key.

Command-line options are passed on as ``CODESUGGEST_*`` environment variables, so every
uvicorn worker process reads the same settings. Exit status: 0 after a clean shutdown, 2 for
a configuration refused before start-up, 3 when the catalogue or model failed to load.
"""

import argparse
import ipaddress
import os
import signal
import sys
from types import FrameType

import uvicorn
from pydantic import ValidationError

from service.api.logs import logging_config
from service.api.workers import BalancedMultiprocess
from service.api_keys import hash_key, parse_key_hashes
from service.config import Settings, get_settings
from service.exit_codes import CONFIG_ERROR_EXIT_CODE, STARTUP_FAILURE_EXIT_CODE

APP_FACTORY = "service.api.app:create_served_app"
# CLI option -> setting it overrides.
OVERRIDES = {
    "host": "CODESUGGEST_HOST",
    "port": "CODESUGGEST_PORT",
    "workers": "CODESUGGEST_WORKERS",
    "model": "CODESUGGEST_MODEL_DIR",
    "log_level": "CODESUGGEST_LOG_LEVEL",
}


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (127.0.0.0/8, ::1) or ``localhost``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_refusal(settings: Settings) -> str | None:
    """Why the service must not bind ``settings.host`` (None when it may).

    Without API keys anyone who reaches the port can submit notes, so only loopback is allowed.
    """
    if settings.api_key_hashes or is_loopback(settings.host):
        return None
    return (
        f"refusing to listen on {settings.host}: no API keys are configured, so the service "
        "may only bind a loopback address (127.0.0.1, ::1, localhost). Set "
        "CODESUGGEST_API_KEY_HASHES to a JSON list of key hashes (make one with "
        "`python -m service hash-key`) or bind 127.0.0.1."
    )


def build_parser() -> argparse.ArgumentParser:
    """The command line: ``[serve] [--host H] [--port P] [--workers N] [--model DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m service",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=["serve", "hash-key"],
        default="serve",
        help="serve (default) or hash-key: print the SHA-256 hash of a key read from stdin",
    )
    parser.add_argument("--host", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 8000)")
    parser.add_argument("--workers", type=int, help="worker processes (default 1)")
    parser.add_argument("--model", help="model directory (default models/default)")
    parser.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "hash-key":
        key = sys.stdin.readline().strip()
        if not key:
            print("hash-key: write the key on stdin", file=sys.stderr)
            return CONFIG_ERROR_EXIT_CODE
        print(hash_key(key))
        return 0
    for option, variable in OVERRIDES.items():
        value = getattr(args, option)
        if value is not None:
            os.environ[variable] = str(value)
    get_settings.cache_clear()
    try:
        settings = get_settings()
        parse_key_hashes(settings.api_key_hashes)
    except (ValidationError, ValueError) as exc:
        print(f"invalid configuration: {exc}", file=sys.stderr)
        return CONFIG_ERROR_EXIT_CODE
    refusal = bind_refusal(settings)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return CONFIG_ERROR_EXIT_CODE
    return serve(settings)


def serve(settings: Settings) -> int:
    """Serve until SIGTERM/SIGINT; in-flight requests get the request time limit to finish."""
    config = uvicorn.Config(
        APP_FACTORY,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=logging_config(settings.log_level),
        access_log=False,  # the service logs one structured line per request itself
        timeout_graceful_shutdown=int(settings.request_timeout_seconds) + 1,
    )
    if settings.workers == 1:
        # uvicorn handles SIGTERM while it serves, then raises it again once it has shut down,
        # which by default kills the process (status 143, exit handlers skipped). This
        # handler turns that last signal into the clean exit, status 0, documented above.
        signal.signal(signal.SIGTERM, _exit_after_shutdown)
        uvicorn.Server(config).run()  # a load failure exits this process with status 3
        return 0
    supervisor = BalancedMultiprocess(config)
    supervisor.run()
    # uvicorn's supervisor stops when a worker fails start-up but returns normally: report it.
    failed = any(p.exitcode == STARTUP_FAILURE_EXIT_CODE for p in supervisor.processes)
    return STARTUP_FAILURE_EXIT_CODE if failed else 0


def _exit_after_shutdown(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    sys.exit(main())

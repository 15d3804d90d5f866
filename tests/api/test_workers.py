"""Each worker listens on its own SO_REUSEPORT socket, so connections spread over workers."""

import socket
import subprocess
import sys

from uvicorn import Config

from service.api.workers import BalancedMultiprocess, reuse_port_socket
from service.config import REPO_ROOT


def test_two_workers_can_listen_on_one_port() -> None:
    first = reuse_port_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    second = reuse_port_socket("127.0.0.1", port)
    try:
        first.listen()
        second.listen()
        assert second.getsockname() == ("127.0.0.1", port)
        assert first.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
    finally:
        first.close()
        second.close()


def test_every_worker_gets_a_fresh_socket() -> None:
    probe = reuse_port_socket("127.0.0.1", 0)
    port = probe.getsockname()[1]
    # Built without __init__: uvicorn's supervisor would take over this process's signals.
    supervisor = object.__new__(BalancedMultiprocess)
    supervisor.config = Config("service.api.app:create_served_app", port=port)
    a, b = supervisor.sockets[0], supervisor.sockets[0]
    try:
        assert a is not b
        assert a.getsockname()[1] == b.getsockname()[1] == port
    finally:
        for sock in (a, b, probe):
            sock.close()


def test_the_supervisor_imports_no_web_framework() -> None:
    # It starts the workers only once its own imports are done: FastAPI there delayed them all.
    probe = (
        "import sys, service.__main__; print(sorted({'fastapi', 'sqlalchemy'} & set(sys.modules)))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"

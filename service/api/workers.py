"""Several worker processes behind one port, each with a listening socket of its own.

uvicorn's supervisor hands every worker the same listening socket, and the worker whose event
loop wakes first accepts every connection waiting: a burst of 16 connections was measured to
land 14 on one worker while the other idled (docs/benchmarks.md). Here each worker gets its own
socket bound with ``SO_REUSEPORT``, and the kernel spreads new connections across them.
"""

import socket

from uvicorn import Config
from uvicorn.supervisors import Multiprocess


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that other ``SO_REUSEPORT`` sockets may share."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.set_inheritable(True)
    return sock


class BalancedMultiprocess(Multiprocess):
    """uvicorn's worker supervisor, but every worker it starts gets a fresh listening socket.

    uvicorn creates each worker with ``Process(config, self.sockets)`` (at start, on restart
    and when a worker died), so ``sockets`` is a property that binds a new socket each time.
    The supervisor's copy of a worker's socket goes with that worker's ``Process`` object,
    which the supervisor drops when it replaces a dead worker.
    """

    def __init__(self, config: Config) -> None:
        super().__init__(config, sockets=[])

    @property
    def sockets(self) -> list[socket.socket]:
        return [reuse_port_socket(self.config.host, self.config.port)]

    @sockets.setter
    def sockets(self, value: list[socket.socket]) -> None:
        # Multiprocess.__init__ stores the shared sockets; there are none to store.
        del value

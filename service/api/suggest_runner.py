"""Running the CPU-bound suggester off the event loop, bounded in threads and in time.

The event loop only parses and answers; suggestions are computed in worker threads (at most
``suggest_threads`` at once per process), so ``/healthz`` answers during a heavy batch.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import anyio
import anyio.to_thread

from service.api.errors import InternalError, RequestTimeoutError

logger = logging.getLogger(__name__)
T = TypeVar("T")


class SuggestRunner:
    """Calls functions in a bounded thread pool, under a per-request time limit."""

    def __init__(self, *, threads: int, timeout_seconds: float) -> None:
        self.limiter = anyio.CapacityLimiter(threads)
        self.timeout_seconds = timeout_seconds

    @contextmanager
    def time_limit(self) -> Iterator[None]:
        """Scope of one request: raises :class:`RequestTimeoutError` when the time runs out."""
        try:
            with anyio.fail_after(self.timeout_seconds):
                yield
        except TimeoutError:
            raise RequestTimeoutError(
                f"The request did not finish within {self.timeout_seconds:g} s."
            ) from None

    async def call(self, func: Callable[[], T]) -> T:
        """``func()`` in a worker thread; its failure becomes a bare :class:`InternalError`.

        On timeout the thread is abandoned (Python cannot stop it): it finishes in the
        background and its result is dropped.
        """
        try:
            return await anyio.to_thread.run_sync(
                func, limiter=self.limiter, abandon_on_cancel=True
            )
        except Exception as exc:
            # Type and place only: the message may quote the note.
            logger.error("the suggester failed", exc_info=exc)
            raise InternalError("The suggester failed on this document.") from None

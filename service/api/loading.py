"""Loading the catalogue and the model in a background thread, and the readiness it reports.

The lifespan starts :meth:`BackgroundLoader.start` and returns at once, so ``/healthz``
answers while the model loads; ``/readyz`` and the ``/v1`` routes answer 503 until it is done.
"""

import logging
import threading
import time
from collections.abc import Callable

from service.api.errors import NotReadyError
from service.catalogue import Catalogue
from service.config import Settings
from service.suggestions import Suggester

logger = logging.getLogger(__name__)

CatalogueLoader = Callable[[Settings], Catalogue]
SuggesterLoader = Callable[[Settings, Catalogue], Suggester]
FailureHandler = Callable[[BaseException], None]


class BackgroundLoader:
    """Loads the catalogue then the model once, off the event loop; holds what it loaded."""

    def __init__(
        self,
        settings: Settings,
        *,
        load_catalogue: CatalogueLoader,
        load_suggester: SuggesterLoader,
        on_loaded: Callable[[Suggester], None],
        on_failure: FailureHandler | None,
    ) -> None:
        self._settings = settings
        self._load_catalogue = load_catalogue
        self._load_suggester = load_suggester
        self._on_loaded = on_loaded
        self._on_failure = on_failure
        self._thread: threading.Thread | None = None
        self.catalogue: Catalogue | None = None
        self.suggester: Suggester | None = None
        self.failure: str | None = None
        self.ready = threading.Event()

    def start(self) -> None:
        """Start loading in a daemon thread (it must not keep a stopping process alive)."""
        self._thread = threading.Thread(target=self._run, name="model-loader", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loaded or failed; True when ready."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.ready.is_set()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            self.catalogue = self._load_catalogue(self._settings)
            logger.info("catalogue loaded from %s", self._settings.catalogue_dir)
            suggester = self._load_suggester(self._settings, self.catalogue)
        except Exception as exc:
            # The message of a load error names the file and what is wrong with it; it holds
            # no note text, so it is the clear start-up message the operator needs.
            self.failure = f"{type(exc).__name__}: {exc}"
            logger.critical("start-up failed, the service cannot serve: %s", self.failure)
            if self._on_failure is not None:
                self._on_failure(exc)
            return
        self.suggester = suggester
        self._on_loaded(suggester)
        self.ready.set()
        info = suggester.info
        logger.info(
            "ready: model %s %s loaded in %.2f s",
            info.name,
            info.version,
            time.perf_counter() - started,
        )

    def close(self) -> None:
        """Release what was loaded (the catalogue's database connection)."""
        if self.catalogue is not None:
            self.catalogue.close()

    def require_suggester(self) -> Suggester:
        """The loaded suggester, or :class:`NotReadyError`."""
        if self.suggester is None:
            raise NotReadyError(self._not_ready_detail())
        return self.suggester

    def require_catalogue(self) -> Catalogue:
        """The loaded catalogue, or :class:`NotReadyError`."""
        if self.catalogue is None:
            raise NotReadyError(self._not_ready_detail())
        return self.catalogue

    def _not_ready_detail(self) -> str:
        if self.failure is not None:
            return "The model failed to load; see the service log."
        return "The model is loading; retry shortly."

"""Prometheus metrics of one app instance, in its own registry.

Each app has its own :class:`CollectorRegistry` so that several apps (tests) can live in one
process. With ``--workers N`` every worker process serves its own figures on ``/metrics``:
scrape each worker, or sum what the load balancer happens to reach.
"""

from prometheus_client import CollectorRegistry, Counter, Histogram, Info, generate_latest

from service.suggestions import ModelInfo, SuggestionResult

# Request latency buckets (seconds), dense where the 100 ms target lies.
LATENCY_BUCKETS = (0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 10.0)


class Metrics:
    """The service's counters and histograms."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "codesuggest_http_requests",
            "HTTP requests by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "codesuggest_http_request_duration_seconds",
            "HTTP request latency by route template, method and status.",
            ["route", "method", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.documents = Counter(
            "codesuggest_documents", "Notes submitted for suggestion.", registry=self.registry
        )
        self.characters = Counter(
            "codesuggest_characters", "Characters of notes submitted.", registry=self.registry
        )
        self.suggestions = Counter(
            "codesuggest_suggestions",
            "Suggestions returned, by code system.",
            ["system"],
            registry=self.registry,
        )
        self.model = Info("codesuggest_model", "The loaded model.", registry=self.registry)

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one finished request."""
        labels = (route, method, str(status))
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)

    def observe_documents(self, documents: int, characters: int) -> None:
        """Count notes accepted for suggestion and their length."""
        self.documents.inc(documents)
        self.characters.inc(characters)

    def observe_result(self, result: SuggestionResult) -> None:
        """Count the suggestions returned, per system."""
        for suggestion in result.suggestions:
            self.suggestions.labels(suggestion.system.value).inc()

    def set_model(self, info: ModelInfo) -> None:
        """Publish the loaded model's name and version."""
        self.model.info({"name": info.name, "version": info.version})

    def exposition(self) -> bytes:
        """The text exposition format of every metric."""
        return generate_latest(self.registry)

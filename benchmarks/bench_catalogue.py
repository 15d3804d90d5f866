"""Catalogue speed and memory: load time, RSS delta, lookup and typeahead search latency."""

import random
import statistics
import time
from pathlib import Path

from service.catalogue import Catalogue, load_catalogue
from service.codesystems import CodeSystem
from service.config import DEFAULT_CATALOGUE_DIR

_QUERIES = 300


def _rss_mb() -> float:
    """Resident set size now (Linux), in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 1e6


def _percentiles(samples_ms: list[float]) -> str:
    cuts = statistics.quantiles(samples_ms, n=100)
    return f"p50 {cuts[49]:.3f} ms, p99 {cuts[98]:.3f} ms"


def _typeahead_queries(catalogue: Catalogue, rng: random.Random) -> list[tuple[CodeSystem, str]]:
    """Code prefixes and word prefixes of real descriptions, as a coder would type them."""
    queries: list[tuple[CodeSystem, str]] = []
    for system in (CodeSystem.ICD10CM, CodeSystem.ICD10PCS, CodeSystem.CPT):
        entries = list(catalogue.iter_codes(system))
        for entry in rng.sample(entries, _QUERIES // 6):
            queries.append((system, entry.code[: rng.randint(2, len(entry.code))]))
            words = entry.display.split()[:3]
            queries.append((system, " ".join(w[: rng.randint(3, 6)] for w in words)))
    return queries


def run() -> None:
    """Print load time, RSS delta and lookup/search p50/p99 over a few hundred queries."""
    rss_before = _rss_mb()
    started = time.perf_counter()
    catalogue = load_catalogue(DEFAULT_CATALOGUE_DIR)
    load_s = time.perf_counter() - started
    for query in ("diab mell", "fracture", "d", "resection", "E11", "0D", "office visit"):
        catalogue.search(None, query, limit=10)
    print(
        f"load {load_s * 1000:.0f} ms, RSS +{_rss_mb() - rss_before:.1f} MB after load and searches"
    )
    rng = random.Random(2026)
    codes = [
        (system, entry.code)
        for system in (CodeSystem.ICD10CM, CodeSystem.ICD10PCS, CodeSystem.CPT)
        for entry in rng.sample(list(catalogue.iter_codes(system)), _QUERIES // 3)
    ]
    lookups: list[float] = []
    for system, code in codes:
        t0 = time.perf_counter()
        catalogue.lookup(system, code.lower())
        lookups.append((time.perf_counter() - t0) * 1000)
    print(f"lookup ({len(lookups)}): {_percentiles(lookups)}")
    searches: list[float] = []
    for system, query in _typeahead_queries(catalogue, rng):
        for scope in (system, None):
            t0 = time.perf_counter()
            catalogue.search(scope, query, limit=10)
            searches.append((time.perf_counter() - t0) * 1000)
    print(f"search ({len(searches)}): {_percentiles(searches)}")
    catalogue.close()

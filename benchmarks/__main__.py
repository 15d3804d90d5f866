"""Run every ``benchmarks/bench_*.py`` module's ``run()``, or those named on the command line."""

import importlib
import pkgutil
import sys

import benchmarks


def main(names: list[str]) -> int:
    """Run the named benchmarks (all when none are named)."""
    found = sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    for name in names or found:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""``python -m training STEP [options]``: the training workflow as declared steps.

Each step is a module with ``main(argv) -> int``; ``python -m training STEP --help`` lists its
inputs and outputs.
"""

import importlib
import sys

STEPS: dict[str, tuple[str, str]] = {
    "build-catalogue": ("training.catalogue_build", "code-set packages -> models/catalogue"),
    "prepare": ("training.prepare", "CodiEsp sources -> labelled JSONL splits"),
    "train": ("training.train", "labelled JSONL -> a model directory under models/"),
    "evaluate": ("training.evaluate", "model + labelled JSONL -> metrics, report, ranked TSV"),
    "export-feedback": ("training.export_feedback", "stored coder feedback -> labelled JSONL"),
    "all": ("training.workflow", "the whole workflow behind the committed default model"),
}


def main(argv: list[str]) -> int:
    """Dispatch to the step named first in ``argv``."""
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in STEPS:
        lines = [f"  {name:<16} {summary}" for name, (_, summary) in STEPS.items()]
        print("usage: python -m training STEP [options]\n\nsteps:\n" + "\n".join(lines))
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    module = importlib.import_module(STEPS[argv[0]][0])
    result: int = module.main(argv[1:])
    return result


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

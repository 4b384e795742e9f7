"""Print the mutation score of each money-critical file from mutmut's results in ./mutants.

    python -m tools.mutation_report              # killed / total per file
    python -m tools.mutation_report --survivors  # and the name of every mutant no test noticed

Run after ``./dev mutants`` (docs/mutation-testing.md).  A mutant counts as killed when a
test failed (or timed out) with it in place; "no tests" means no selected test ran the
mutated function, which counts as surviving: the score is killed / (all checked mutants).
Exits 1 when a file that was run is below ``--minimum`` percent (90 by default).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# the files whose mutants are judged (kept in step with [tool.mutmut] only_mutate in pyproject.toml)
FILES = (
    "pos/money.py", "pos/tax.py", "pos/tender.py", "pos/basket.py", "pos/barcode.py",
    "pos/quantity.py", "pos/till.py", "pos/codec.py", "local_db/journal.py",
)

# mutmut's exit codes (mutmut/stats.py): anything not listed is "suspicious"
STATUS_BY_EXIT_CODE = {
    1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
    35: "suspicious", 36: "timeout", 37: "caught by type check", 24: "timeout", -24: "timeout",
    152: "timeout", 255: "timeout", -11: "segfault", -9: "segfault",
}
DETECTED = {"killed", "timeout", "caught by type check", "segfault"}


def status(exit_code: int | None) -> str:
    if exit_code is None:
        return "not checked"
    return STATUS_BY_EXIT_CODE.get(exit_code, "suspicious")


def results(path: str, mutants_dir: Path) -> dict[str, str]:
    """Mutant name -> status for one source file; {} when mutmut has not run over it."""
    meta = mutants_dir / (path + ".meta")
    if not meta.exists():
        return {}
    data = json.loads(meta.read_text(encoding="utf-8"))
    return {name: status(code) for name, code in data.get("exit_code_by_key", {}).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--survivors", action="store_true", help="list the mutants no test noticed")
    parser.add_argument("--minimum", type=float, default=90.0, help="percent killed each file needs (default 90)")
    parser.add_argument("--mutants", type=Path, default=ROOT / "mutants", help="mutmut's working folder")
    args = parser.parse_args(argv)

    print(f"{'file':<22} {'killed':>7} {'checked':>8} {'score':>7}  other")
    below = []
    all_killed = all_checked = 0
    for path in FILES:
        found = results(path, args.mutants)
        counts = Counter(found.values())
        unchecked = counts.pop("not checked", 0)
        checked = sum(counts.values())
        killed = sum(n for s, n in counts.items() if s in DETECTED)
        all_killed += killed
        all_checked += checked
        other = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s not in DETECTED)
        if unchecked:
            other += f"{', ' if other else ''}{unchecked} not checked yet"
        if not checked:
            print(f"{path:<22} {'-':>7} {'-':>8} {'-':>7}  not run")
            continue
        score = 100 * killed / checked
        print(f"{path:<22} {killed:>7} {checked:>8} {score:>6.1f}%  {other}")
        if score < args.minimum:
            below.append(path)
        if args.survivors:
            for name, s in sorted(found.items(), key=lambda item: _natural(item[0])):
                if s not in DETECTED and s != "not checked":
                    print(f"    {s:<10} {name}")
    if all_checked:
        print(f"{'all':<22} {all_killed:>7} {all_checked:>8} {100 * all_killed / all_checked:>6.1f}%")
    if below:
        print(f"below {args.minimum:g} %: {', '.join(below)}")
        return 1
    return 0


def _natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("_")
    return (stem, int(number)) if number.isdigit() else (name, 0)


if __name__ == "__main__":
    sys.exit(main())

"""Lab benchmark: every lab's reference solution through the real runner (child process,
time limit, events), on the device you choose. Prints lab / seconds / passed / metrics.

The issue's goal on a 2-core CPU: each under 30 s, all twelve under 4 minutes.

    .venv/bin/python benchmarks/labs.py [--device auto|cpu|cuda|mps] [--json] [LAB ...]

`seconds` is the whole run as the learner waits for it (starting Python, importing torch,
every step); `check s` is the sum of the steps alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from studyctl.content.issues import ContentError  # noqa: E402
from studyctl.content.labs import load_lab  # noqa: E402
from studyctl.labkit.mistakes import prepare  # noqa: E402
from studyctl.labkit.runner import run_check  # noqa: E402
from studyctl.presentation.labs import format_metrics  # noqa: E402


def bench(manifest: Path, device: str) -> dict:
    try:
        lab, _ = load_lab(manifest)
    except ContentError as exc:  # a lab still being written: report it, bench the rest
        problems = [str(issue) for issue in exc.issues]
        return {
            "lab": manifest.parent.name,
            "seconds": 0.0,
            "check_seconds": 0.0,
            "passed": False,
            "device": "",
            "torch": "",
            "metrics": {},
            "problems": problems,
        }
    with tempfile.TemporaryDirectory() as tmp:
        workspace = prepare(lab, "solution", Path(tmp) / lab.id)
        result = run_check(lab, workspace, device=device)
    failed = [f"{s.name}: {s.status}" for s in result.steps if s.status != "pass"]
    return {
        "lab": lab.id,
        "seconds": result.seconds,
        "check_seconds": round(sum(s.seconds for s in result.steps), 2),
        "passed": result.passed,
        "device": result.device,
        "torch": result.torch,
        "metrics": result.metrics,
        "problems": failed + ([result.problem_message] if result.problem_message else []),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labs", nargs="*", help="lab ids (default: every lab in labs/)")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"])
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    manifests = sorted((REPO / "labs").glob("*/lab.yaml"))
    if args.labs:
        manifests = [m for m in manifests if m.parent.name in args.labs]
    started = time.perf_counter()
    rows = []
    if not args.json:
        print(f"{'lab':<22} {'seconds':>8} {'check s':>8}  {'passed':<6}  metrics")
    for manifest in manifests:
        row = bench(manifest, args.device)
        rows.append(row)
        if not args.json:
            print(
                f"{row['lab']:<22} {row['seconds']:>8.2f} {row['check_seconds']:>8.2f}  "
                f"{'yes' if row['passed'] else 'NO':<6}  {format_metrics(row['metrics'])}"
            )
            for problem in row["problems"]:
                print(f"    {problem}")
    total = time.perf_counter() - started
    if args.json:
        print(json.dumps({"rows": rows, "total_seconds": round(total, 2)}, indent=2))
    else:
        where = next((f" on {r['device']}, torch {r['torch']}" for r in rows if r["device"]), "")
        print(f"{len(rows)} labs, {sum(r['passed'] for r in rows)} passed, {total:.1f} s in all{where}")
    sys.exit(0 if all(r["passed"] for r in rows) else 1)


if __name__ == "__main__":
    main()

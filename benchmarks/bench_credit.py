"""Throughput of the credit mode: a class of N submissions graded with one command.

    .venv/bin/python benchmarks/bench_credit.py [--submissions 500] [--jobs 2]

Makes a learner edition, then N submissions in a temporary folder: a third complete, a third
with one mistake of the table in a graded cell (rnn_reference.mistakes, in turn), a third as
handed out (every graded cell empty); then times ``python -m rnn_utils.grade SUBMISSIONS...
--course EDITION --jobs J --json FILE`` (the sandbox on) and prints the wall time, the
submissions per minute, the load average before and after, and the median seconds per
submission of each kind (from the records). A script, not a test.
"""

import argparse
import inspect
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import nbformat

from rnn_utils import cellmeta

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    import conftest  # the tests' fill_in: the reference lines put back in a graded cell

    from rnn_reference import edition
    from rnn_reference.mistakes import MISTAKES, changed, reference
    from rnn_utils.course import exercise

    with tempfile.TemporaryDirectory(prefix="bench-credit-") as scratch:
        scratch = Path(scratch)
        course = scratch / "course"
        edition.make_edition(course, ROOT / "notebooks", out=lambda line: None)
        complete = scratch / "complete"
        shutil.copytree(course, complete)
        conftest.complete(complete)
        values = [m for m in MISTAKES if m.kind == "values"]
        folders, kinds = [], {}
        for i in range(args.submissions):
            folder = scratch / "class" / f"s{i:04d}"
            kind = ("complete", "mistake", "empty")[i % 3]
            shutil.copytree(course if kind == "empty" else complete, folder)
            if kind == "mistake":
                entry = values[i % len(values)]
                source = changed(textwrap.dedent(inspect.getsource(reference(entry.function))),
                                 entry.forms[0])
                path = folder / f"{exercise(entry.function).notebook}.ipynb"
                nb = nbformat.read(path, as_version=4)
                cell = next(c for c in nb.cells
                            if cellmeta.is_graded(c, entry.function))
                cell.source = "from rnn_utils.cells import check_inputs\n\n" + source
                nbformat.write(nb, path)
            folders.append(str(folder))
            kinds[str(folder)] = kind
        out = scratch / "grades.json"
        load_before = os.getloadavg()
        start = time.perf_counter()
        process = subprocess.run([sys.executable, "-m", "rnn_utils.grade", *folders, "--course", str(course),
                                  "--jobs", str(args.jobs), "--json", str(out)],
                                 capture_output=True, text=True, cwd=scratch)
        wall = time.perf_counter() - start
        load_after = os.getloadavg()
        if process.returncode not in (0, 1):
            sys.exit(process.stderr)
        records = json.loads(out.read_text())["submissions"]
        seconds = {}
        for record in records:
            seconds.setdefault(kinds[record["path"]], []).append(record["seconds"])
        totals = {kind: sorted({r["total"] for r in records if kinds[r["path"]] == kind}) for kind in seconds}
        print(f"{len(records)} submissions, --jobs {args.jobs}: {wall:.1f} s wall, "
              f"{60 * len(records) / wall:.0f} submissions per minute")
        print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min); "
              f"{os.cpu_count()} cores")
        for kind, found in seconds.items():
            print(f"  {kind:9s} median {statistics.median(found):.2f} s per submission (one process), "
                  f"totals {totals[kind]}")


if __name__ == "__main__":
    main()

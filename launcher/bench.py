"""``./aftersales bench``: every benchmark of ``bench/``, one after the other, and one table.

Each script prepares what it needs (databases, OCA's wheels) and prints its
own detailed report; their outputs are kept in ``.local/bench/``, and the
headline figures they emit (``bench/summary.py``) are gathered here into
one table, our suite, OCA's and core's own documents side by side, written
to ``.local/bench/summary.md`` as well.
"""

import json
import os
import subprocess
import time
from collections import defaultdict

from . import paths
from .progress import say

# pylint: disable=print-used  # the scripts' reports and the table are the command's output
SUMMARY_TAG = "BENCH-SUMMARY "
SUITES = ("ours", "oca", "core")


def scripts(quick):
    """``[(name, arguments)]``: the whole set, or a quick pass with small sizes."""
    if quick:
        return [
            ("returns", ["rma_bench.py", "--lines", "1,10", "--runs", "1"]),
            ("portal", ["portal_bench.py", "--sizes", "10,50", "--runs", "5"]),
            ("mail", ["mail_bench.py", "--runs", "1"]),
            ("lists", ["list_bench.py", "--returns", "2000", "--cases", "20000", "--runs", "2"]),
            ("scale", ["scale_bench.py", "--customers", "400", "--cases", "20000", "--returns", "4000",
                       "--warranties", "2000", "--runs", "2"]),
            ("escalation", ["escalation_bench.py", "--cases", "100", "--open", "9900"]),
            ("load", ["load_bench.py", "--users", "10", "--duration", "30", "--returns", "40"]),
        ]
    return [
        ("returns", ["rma_bench.py", "--lines", "1,10,50", "--runs", "3"]),
        ("portal", ["portal_bench.py", "--sizes", "10,500"]),
        ("mail", ["mail_bench.py"]),
        ("lists", ["list_bench.py"]),
        ("scale", ["scale_bench.py"]),
        ("escalation", ["escalation_bench.py", "--cases", "1000", "--open", "99000"]),
        ("escalation-bulk", ["escalation_bench.py", "--cases", "100000"]),
        ("load", ["load_bench.py"]),
    ]


def run_all(python, quick=False, only=(), table_only=False):
    """Run the scripts (none with ``table_only``), then print the table of every
    benchmark's last output; return 1 when one of them failed."""
    folder = paths.state_dir() / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    failed = []
    for name, arguments in [] if table_only else scripts(quick):
        if only and name not in only:
            continue
        say(f"\n=== {name}: bench/{' '.join(arguments)}")
        started = time.monotonic()
        output = _run(python, arguments, folder / f"{name}.txt")
        if output is None:
            failed.append(name)
        say(f"=== {name}: {'FAILED' if output is None else 'done'} in {time.monotonic() - started:.0f} s")
    # The last output of each benchmark, this run's or an earlier one's.
    rows = [json.loads(line[len(SUMMARY_TAG):])
            for name, _arguments in scripts(quick) if (folder / f"{name}.txt").exists()
            and name not in failed
            for line in (folder / f"{name}.txt").read_text().splitlines() if line.startswith(SUMMARY_TAG)]
    table = render(rows, failed)
    print(table)
    (folder / "summary.md").write_text(table + "\n")
    say(f"(outputs in {folder}, the table in {folder / 'summary.md'})")
    return 1 if failed else 0


def _run(python, arguments, log_path):
    """The script's standard output, shown as it comes and kept; None if it failed."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    command = [python, str(paths.PROJECT / "bench" / arguments[0]), *arguments[1:]]
    lines = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=paths.PROJECT,
                          env=env) as process, open(log_path, "w") as log:
        for line in process.stdout:
            if not line.startswith(SUMMARY_TAG):
                print(line, end="", flush=True)
            log.write(line)
            lines.append(line)
    return "".join(lines) if process.returncode == 0 else None


def render(rows, failed):
    """A Markdown table: a row per scenario and size, a column pair per suite, the ratios."""
    figures = defaultdict(dict)
    for row in rows:
        figures[row["scenario"], row["size"]][row["suite"]] = row
    lines = ["| scenario | size | ours | OCA | core | ours / OCA | ours / core |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for (scenario, size), suites in figures.items():
        cells = [_cell(suites.get(suite)) for suite in SUITES]
        lines.append(f"| {scenario} | {size} | " + " | ".join(cells)
                     + f" | {_ratio(suites, 'oca')} | {_ratio(suites, 'core')} |")
    if failed:
        lines.append(f"\nFailed: {', '.join(failed)} (their output in .local/bench/).")
    return "\n".join(lines)


def _cell(row):
    if not row:
        return "-"
    if row["seconds"] is None:
        return f"fails: {row['note']}"
    queries = f", {row['queries']:,} q" if row["queries"] is not None else ""
    note = f" ({row['note']})" if row["note"] else ""
    return f"{_duration(row['seconds'])}{queries}{note}"


def _duration(seconds):
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(suites, other):
    ours, theirs = suites.get("ours"), suites.get(other)
    if not ours or not theirs or not ours["seconds"] or not theirs["seconds"]:
        return "-"
    return f"{ours['seconds'] / theirs['seconds']:.2f}x"




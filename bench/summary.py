"""One line per figure for the summary table of ``./aftersales bench``.

Each benchmark prints its own detailed table; it also prints its headline
figures through ``emit``, which the launcher gathers from every script's
output into one table, suites side by side.
"""

import json

TAG = "BENCH-SUMMARY "


def emit(scenario, size, suite, seconds, queries=None, *, note=""):
    """``seconds`` (None when the suite failed the scenario: ``note`` says how)."""
    print(TAG + json.dumps({"scenario": scenario, "size": size, "suite": suite,
                            "seconds": seconds, "queries": queries, "note": note}), flush=True)

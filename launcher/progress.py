"""Progress messages on stderr: what is being done, and how far it got."""

import sys
import time

# pylint: disable=print-used


class Steps:
    """Numbered steps: ``[2/5] Starting PostgreSQL...``."""

    def __init__(self, total):
        self.total = total
        self.current = 0
        self.started = None

    def start(self, text):
        self.current += 1
        self.started = time.monotonic()
        say(f"[{self.current}/{self.total}] {text}")

    def done(self, text="done"):
        elapsed = time.monotonic() - self.started
        say(f"      {text} ({elapsed:.0f} s)")


def say(text):
    print(text, file=sys.stderr, flush=True)


class Counter:
    """A "n/N what" line that rewrites itself on a terminal.

    Off a terminal (CI logs) it prints one line every ``every`` items so
    that a log shows the progress without thousands of lines.
    """

    def __init__(self, label, every=10):
        self.label = label
        self.every = every
        self.tty = sys.stderr.isatty()
        self.last_printed = 0

    def update(self, done, total, detail=""):
        text = f"      {self.label} {done}/{total} {detail}".rstrip()
        if self.tty:
            sys.stderr.write("\r\033[K" + text)
            sys.stderr.flush()
        elif done - self.last_printed >= self.every or done == total:
            say(text)
            self.last_printed = done

    def close(self):
        if self.tty:
            sys.stderr.write("\n")
            sys.stderr.flush()

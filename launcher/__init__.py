"""Bring up, and test, the after-sales suite on a fresh machine.

The launcher only uses Python's standard library, because it runs before
any virtual environment exists. Every failure it can foresee becomes a
:class:`launcher.errors.SetupError` whose message is one sentence telling
the user what to do.
"""

class SetupError(Exception):
    """A foreseen failure, explained to the user in one sentence."""

"""The errors every layer may raise and every layer above may catch (as zulip's
zerver/lib/exceptions.py): they live here, at the bottom, so that catching one never means
importing the app that happens to raise it."""


class WorkflowError(Exception):
    """A step that cannot be taken, with a message for the person who tried."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImmutableError(Exception):
    """Raised on any attempt to change or delete a record that must never change."""

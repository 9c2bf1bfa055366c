"""Business actions, one verb per module: validate() then run(), one transaction, typed errors."""


class CommandError(Exception):
    """A business rule refused the action; the message is for the user."""


class DataFileError(CommandError):
    """A bundled or uploaded data file is wrong at a given line."""

    def __init__(self, path, line, message):
        self.path, self.line, self.message = str(path), line, str(message)
        super().__init__(f"{self.path}:{line}: {self.message}")

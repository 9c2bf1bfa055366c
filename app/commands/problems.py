"""The problems an import finds in a file: the first few kept to be shown, the rest counted."""
from flask import current_app, has_app_context
from flask_babel import gettext

#: Problems listed when the configuration says nothing (IMPORT_MAX_PROBLEMS in config.py).
DEFAULT_MAX_PROBLEMS = 100


class ProblemList:
    """Collect problems (``append``); keep the first ``IMPORT_MAX_PROBLEMS``, count the rest.

    ``len()`` counts every problem, kept or not, so a check can still tell whether it found one
    and a page can say how many it does not list; iterating or indexing gives the kept ones.
    """

    def __init__(self, limit: int | None = None):
        self.limit = max_problems() if limit is None else limit
        self.kept, self.count = [], 0

    def append(self, problem) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(problem)

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        return iter(self.kept)

    def __getitem__(self, index):
        return self.kept[index]

    @property
    def more(self) -> int:
        """How many problems were found beyond those kept."""
        return self.count - len(self.kept)


def max_problems() -> int:
    """Return how many problems an import lists (IMPORT_MAX_PROBLEMS)."""
    return int(current_app.config.get("IMPORT_MAX_PROBLEMS", DEFAULT_MAX_PROBLEMS)
               if has_app_context() else DEFAULT_MAX_PROBLEMS)


def capped(problems: list, more: int = 0) -> tuple[list, int]:
    """Return the problems to list and how many more there are beyond them."""
    limit = max_problems()
    return problems[:limit], more + max(len(problems) - limit, 0)


def problems_text(problems, more: int = 0) -> str:
    """Return one problem a line, then "… and N more problems" when some were left out."""
    lines = [str(problem) for problem in problems]
    if more:
        lines.append(gettext("… and %(count)s more problems", count=more))
    return "\n".join(lines)

"""The designer's selects keep what the definition says: a stored value the select does not
offer (a step's role that cannot decide, a level the format does not know) is shown as it is,
with the reason it cannot stay, instead of the first option taking its place unseen and being
saved with the next change."""
from __future__ import annotations

from wtforms import SelectField


class KeptSelect(SelectField):
    """A select that shows a stored value it does not offer (labelled by ``labels``) rather
    than replacing it unseen, with ``refuse``'s reason (a callable's) when it cannot stay."""

    def __init__(self, *args, labels=None, refuse=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels, self.refuse = labels or {}, refuse

    def process(self, *args, **kwargs):
        super().process(*args, **kwargs)
        if self.data and self.data not in {value for value, _label in self.choices}:
            self.choices = [*self.choices, (self.data, self.labels.get(self.data, self.data))]
            # Said on the page that shows it; a save is refused by the command, with the
            # same words at this input (app.commands.item_checks).
            if self.refuse is not None and (reason := self.refuse(self.data)) is not None:
                self.errors = [reason]

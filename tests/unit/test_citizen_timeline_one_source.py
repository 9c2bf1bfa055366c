"""The citizen timeline's sentences are written once, in app.api.applications.history
(citizen_action_name): 我要查's template shows what its view passes, and writes none itself,
so that the page and the API history cannot drift apart."""
from pathlib import Path

from babel.messages.extract import extract_from_file

ROOT = Path(__file__).resolve().parents[2]


def test_the_template_writes_none_of_the_timeline_sentences():
    sentences = {message for _line, message, _comments, _context in extract_from_file(
        "python", ROOT / "app" / "api" / "applications" / "history.py",
        keywords={"gettext": None, "_l": None})}
    assert "Step “%(step)s” completed" in sentences and "Corrected and resubmitted" in sentences
    template = (ROOT / "app" / "templates" / "citizen" / "application.html").read_text()
    written = sorted(s for s in sentences if f'_("{s}"' in template)
    assert written == []
    assert '<span class="what">{{ what }}</span>' in template

"""The item page (/apply/<code>) in English: lists joined the English way, and each draft told
apart from the others by when it was started and who it is for (masked)."""
import datetime as dt
import re
from html import unescape

from app.extensions import db
from app.models.application import Application
from tests.applications_support import clock  # noqa: F401
from tests.wizard_support import (CITIZEN_ID, HB1, SUBJECT_ID, TANGSHAN, citizen, publish,
                                  signed_in, start)

URL = f"/apply/chronic_disease_outpatient?region={TANGSHAN}"


def test_the_english_item_page_has_no_chinese_list_mark_and_tells_its_drafts_apart(
        app, ctx, clock):  # noqa: F811
    publish(HB1)
    user = citizen()
    client = signed_in(app, user)
    first, second = start(client, "chronic_disease_outpatient", TANGSHAN), \
        start(client, "chronic_disease_outpatient", TANGSHAN)
    older = db.session.get(Application, first)
    older.created_at = older.created_at - dt.timedelta(hours=3)
    older.subject_name, older.subject_id_number = "王建国", CITIZEN_ID
    newer = db.session.get(Application, second)
    newer.subject_name, newer.subject_id_number = "王秀英", SUBJECT_ID
    db.session.commit()

    english = unescape(client.get(URL + "&_l_=en").get_data(as_text=True))
    main = english[english.index("<main"):english.index("</main>")]
    assert "、" not in main
    assert re.search(r"Required depending on your answers to: [^<]*, [^<]*", main), main
    drafts = re.findall(r'<li><a href="/applications/\d+/">([^<]*)</a> '
                        r'<span class="muted">([^<]*)</span>', main)
    assert len(drafts) == 2 and len(set(drafts)) == 2, drafts
    assert all(text.startswith("continue the draft started ") and ":" in text
               for text, _ in drafts), drafts  # a time of day, not only the day
    subjects = [who for _, who in drafts]
    assert CITIZEN_ID not in main and SUBJECT_ID not in main
    assert subjects == ["for 王** 1302**********0021", "for 王** 1302**********0012"], subjects

    chinese = unescape(client.get(URL + "&_l_=zh").get_data(as_text=True))
    assert re.search(r"继续填写[^<]*开始的草稿", chinese)

"""Try it evaluates as the citizen's form does: samples read by their field type, a missing
answer counting as it does at run time, the outcome said in words."""
import re
from html import unescape

from tests.integration.designer_support import PROVINCE, item, load, staff, text
from tests.integration.test_designer_editor import field_form


def tried(html: str) -> dict:
    table = html[html.index('class="table table-condensed tried"'):]
    rows = re.findall(r"<code>([^<]+)</code></th>\s*<td[^>]*>(.*?)</td>", table, re.S)
    return {name: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(cell))).strip()
            for name, cell in rows}


def try_material(client, it, amount, locale="en"):
    data = field_form(client, it, "id_card", kind="material")
    data.update(required_when="amount > 5000", _action="try", sample__amount=amount)
    data.pop("required", None)
    response = client.post(f"/items/{it.id}/material/id_card", data=data)
    assert response.status_code == 200
    return tried(text(response))["required_when"]


def test_try_it_reads_samples_as_the_form_does_and_says_what_a_missing_answer_counts_as(
        client, ctx):
    load(PROVINCE, publish=False)
    staff(client)
    it = item()
    assert try_material(client, it, "") == \
        "no An answer it reads is missing: counts as no, waiting for that answer."
    assert try_material(client, it, "12,000") == "yes"
    assert try_material(client, it, "12000") == "yes"
    assert try_material(client, it, "4000") == "no"
    assert try_material(client, it, "abc") == "Sample amount: Enter a number."
    client.get("/lang/zh")
    assert try_material(client, it, "") == "否 所读取的回答缺失：视为否，等待该回答。"
    assert try_material(client, it, "12,000") == "是"
    assert item().revision == it.revision  # trying stores nothing

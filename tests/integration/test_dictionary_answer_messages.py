"""A code-table answer that is no code of its table is refused with a message naming the field
by its label, in the request's language, as an answer outside ``only`` is."""
import pytest

from tests.applications_support import api_create, clock, token  # noqa: F401
from tests.wizard_support import HB1, HB1_CODE, TANGSHAN, citizen, publish

EXPECTED = {"zh": "险种类型：请从列表中选择。", "en": "Insurance type: choose a value from the list."}


@pytest.mark.parametrize("locale", ["zh", "en"])
@pytest.mark.parametrize("answer", ["999", "31", 999])  # unknown, a prefix, as a number
def test_an_unknown_code_is_named_by_its_field(app, client, ctx, clock, locale,  # noqa: F811
                                               answer):
    publish(HB1)
    headers = {**token(client, citizen().username), "Accept-Language": locale}
    pk = api_create(client, headers, item=HB1_CODE, region=TANGSHAN).get_json()["id"]
    saved = client.put(f"/api/v1/applications/{pk}/answers", headers=headers,
                       json={"answers": {"insutype": answer}, "page": "basic"})
    assert saved.status_code == 200
    assert saved.get_json()["errors"]["insutype"] == [EXPECTED[locale]]

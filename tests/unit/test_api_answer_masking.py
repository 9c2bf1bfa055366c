"""How staff read each kind of answer through the applications API (SECURITY_TESTS F1): the
typed masks, every long number inside other text masked, the answer's JSON shape kept."""
from app.api.applications.replies import masked_answers

ID = "440106198505050030"
FIELDS = [
    {"key": "mobile", "type": "mobile"},
    {"key": "note", "type": "textarea"},
    {"key": "items", "type": "checkboxes"},
    {"key": "amount", "type": "number"},
    {"key": "sign", "type": "signature"},
    {"key": "drawn", "type": "signature"},
    {"key": "family", "type": "repeat", "fields": [
        {"key": "name", "type": "text"}, {"key": "id_number", "type": "id_card"},
        {"key": "remark", "type": "text"}]},
]
# A real PNG (1×1) as a data URL: a drawn signature is an image, shown whole.
PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
       "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def test_each_kind_of_answer_is_masked_in_its_shape():
    answers = {
        "mobile": "13800138000", "note": f"证件{ID}", "items": ["a", "b"], "amount": 12000.5,
        "sign": {"kind": "typed", "value": f"王大明 {ID}", "signed_at": "2026-11-20T10:00:00"},
        "drawn": {"kind": "drawn", "value": PNG},
        "family": [{"name": "王小明", "id_number": ID, "remark": "卡号6217000000000000000"}],
        "unknown": 440106198505050030, "_notice": True,
    }
    masked = masked_answers(FIELDS, answers)
    assert masked["mobile"] == "138****8000"
    assert masked["note"] == "证件4401**********0030"
    assert masked["items"] == ["a", "b"] and masked["amount"] == 12000.5
    assert masked["sign"] == {"kind": "typed", "value": "王大明 4401**********0030",
                              "signed_at": "2026-11-20T10:00:00"}
    assert masked["drawn"] == answers["drawn"]
    assert masked["family"] == [{"name": "王小明", "id_number": "4401**********0030",
                                 "remark": "卡号***************0000"}]
    assert masked["unknown"] == "4401**********0030"  # a number of 18 digits reads as an ID
    assert masked["_notice"] is True
    assert ID not in str(masked)


def test_a_drawn_signature_that_is_not_an_image_is_masked_as_text():
    masked = masked_answers(FIELDS, {"drawn": {"kind": "drawn", "value": ID}})
    assert masked["drawn"] == {"kind": "drawn", "value": "4401**********0030"}

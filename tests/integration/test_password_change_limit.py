"""Changing one's own password is limited per account, with rate limiting on (as in production).

The limit's key was read from ``g.user``, which FAB sets after the limits are checked: every
POST answered 500 once limiting was on (the suite runs with it off).
"""
from tests.security_support import user_client

WRONG = {"password": "Fresh2026pass", "conf_password": "Fresh2026pass",
         "current_password": "wrong-Pass1"}


def test_a_wrong_current_password_is_limited_per_account(limited):
    _, _, alice = user_client(limited, "Reviewer", "130200")
    _, _, bob = user_client(limited, "Reviewer", "130200")
    tries = [alice.post("/resetmypassword/form", data=WRONG).status_code for _ in range(6)]
    assert tries == [200] * 5 + [429], tries
    assert bob.post("/resetmypassword/form", data=WRONG).status_code == 200  # his own count

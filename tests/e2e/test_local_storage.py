"""SPEC §4 for the local_storage sink: a merged visitor profile and the last bookings, hashed by default."""

import json

from booking_payloads import CUSTOMER_EMAIL, classic
from harness import host_page

CONFIG = {"sinks": [{"type": "local_storage", "max_bookings": 2}]}


def stored(host, key="oncehub_bridge"):
    return json.loads(host.page.evaluate("k => localStorage.getItem(k)", key) or "null")


class TestLocalStorage:
    def test_booking_is_stored_with_a_profile_and_no_raw_pii(self, host):
        """One booking gives a profile and a bookings list, with hashed identifiers only."""
        host.open(host_page("", CONFIG))
        host.booking(classic())
        host.wait_for("localStorage.getItem('oncehub_bridge') !== null")
        value = stored(host)
        assert [b["booking_id"] for b in value["bookings"]] == ["BKNG-XGYNZXXR3B7D"]
        assert value["profile"]["user_data"]["sha256_email_address"]
        text = json.dumps(value)
        assert CUSTOMER_EMAIL not in text and "John Smith" not in text

    def test_existing_profile_is_merged_and_the_list_is_bounded(self, host):
        """Earlier visits' data is kept and only the last max_bookings bookings remain."""
        host.open(host_page("", CONFIG))
        for booking_id in ("BKNG-MERGE0000001", "BKNG-MERGE0000002", "BKNG-MERGE0000003"):
            host.booking(classic(booking_id))
        host.wait_for("(JSON.parse(localStorage.getItem('oncehub_bridge') || '{}').profile || {}).booking_count === 3")
        value = stored(host)
        assert [b["booking_id"] for b in value["bookings"]] == ["BKNG-MERGE0000002", "BKNG-MERGE0000003"]

    def test_garbage_in_storage_is_replaced_not_fatal(self, host):
        """A corrupted stored value does not stop the sink or break the page."""
        head = "<script>localStorage.setItem('custom_key', '{broken');</script>"
        host.open(host_page("", {"sinks": [{"type": "local_storage", "key": "custom_key"}]}, head=head))
        host.booking(classic())
        host.wait_for("(localStorage.getItem('custom_key') || '').includes('BKNG-')")
        assert stored(host, "custom_key")["bookings"][0]["booking_id"] == "BKNG-XGYNZXXR3B7D"

"""Generated inputs (hypothesis) against the Python core: whatever arrives, the bridge answers with one result per
input, never fails inside (no internal_error), keeps its error messages, debug lines and non-raw views free of the
customer's personal data, and delivers a booking once."""

import copy
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core._pydantic_core import list_all_errors

from bridge import Bridge
from bridge.identity import normalize_meta_phone, normalize_phone
from bridge.intake import has_lone_surrogate
from bridge.testing import SAMPLE_BOOKING_OBJECT, SAMPLE_CLASSIC_PAYLOAD, FakeClock

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONFIG = {"sinks": [{"type": "data_layer"}, {"type": "local_storage"}, {"type": "gtag"}, {"type": "meta_pixel"},
                    {"type": "segment"}, {"type": "redirect", "url": "/thanks?b={booking_id}"}]}

text = st.text(max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.floats(allow_nan=False, allow_infinity=False) | text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(text, inner, max_size=5),
    max_leaves=30)
CLASSIC_FIELDS = list(SAMPLE_CLASSIC_PAYLOAD["bookingInfo"])
CALENDAR_FIELDS = list(SAMPLE_BOOKING_OBJECT)


def keys_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(keys_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_in(v) for v in value)) if value else set()
    return set()


FIELD_NAMES = keys_in(SAMPLE_CLASSIC_PAYLOAD) | keys_in(SAMPLE_BOOKING_OBJECT)
MESSAGE_WORDS = {word for error in list_all_errors()
                 for word in re.findall(r"\w+", re.sub(r"\{\w+\}", "", error["message_template_python"]))}
"""The fixed words of pydantic's error messages (a given "string" is not leaked by "Input should be a valid string")."""
NOT_GIVEN = FIELD_NAMES | MESSAGE_WORDS


def without_field_names(message: str) -> str:
    """An error message without the documented field names its locations are made of (a given "Custom" is not
    leaked by "bookingInfo.CustomerName: ...") and without pydantic's own wording (MESSAGE_WORDS)."""
    return re.sub(r"\w+", lambda word: "" if word.group() in NOT_GIVEN else word.group(), message)


def started() -> Bridge:
    bridge = Bridge(clock=FakeClock())
    report = bridge.start({"config": json.dumps(CONFIG), "page": {"url": "https://site.example/book?utm_source=x"}})
    assert report["problems"] == []
    return bridge


def process(bridge: Bridge, inputs: list) -> dict:
    response = json.loads(bridge.process_json(json.dumps({"inputs": inputs, "consent": [], "storage": {}})))
    assert len(response["results"]) == len(inputs)
    return response


def events(response: dict) -> list[dict]:
    return [e for r in response["results"] for e in r["events"]]


def assert_sound(response: dict, given_strings: set[str]) -> None:
    for item in events(response):
        assert item["kind"] in ("booking", "error", "funnel"), item
        if item["kind"] == "error":
            error = item["event"]
            assert error["code"] != "internal_error", error
            message = without_field_names(error["message"])
            for s in given_strings:
                if len(s) >= 6:
                    assert s not in message, (s, error)


def strings_in(value) -> set[str]:
    """The text values given (not the keys: error messages name the fields, never their contents)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    return set()


@SETTINGS
@given(json_values)
def test_any_callback_argument_is_a_booking_or_an_error(data):
    response = process(started(), [{"kind": "callback", "has_argument": True, "data": data}])
    assert_sound(response, strings_in(data))
    assert len(events(response)) <= 1


@SETTINGS
@given(st.dictionaries(st.sampled_from(CLASSIC_FIELDS), json_values, max_size=6))
def test_a_documented_payload_with_any_fields_changed(changes):
    payload = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD)
    payload["bookingInfo"].update(changes)
    response = process(started(), [{"kind": "callback", "has_argument": True, "data": payload}])
    assert_sound(response, strings_in(changes))
    assert len(events(response)) == 1


@SETTINGS
@given(st.dictionaries(st.sampled_from(CALENDAR_FIELDS), json_values, max_size=6),
       st.sampled_from(["oncehub.booking.scheduled", "oncehub.booking_calendar.loaded", "oncehub.form.submitted"]))
def test_a_calendar_message_with_any_fields_changed(changes, kind):
    booking = {**copy.deepcopy(SAMPLE_BOOKING_OBJECT), **changes}
    message = {"kind": "message", "origin": "https://oncehub.com", "data": {"type": kind, "payload": booking}}
    response = process(started(), [message])
    assert_sound(response, strings_in(changes))
    assert len(events(response)) == 1


@SETTINGS
@given(st.sampled_from(["calendar", "classic"]),
       st.lists(st.tuples(st.sampled_from(["id", "starting_time", "meetingTime", "utcOffset", "customer_timezone",
                                           "email", "Email", "name", "custom"]) | text, text).map(list), max_size=12))
def test_any_redirect_parameters(shape, params):
    response = process(started(), [{"kind": "redirect", "shape": shape, "params": params}])
    assert_sound(response, strings_in(params))
    assert len(events(response)) == 1


@SETTINGS
@given(st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=4, max_size=12), st.integers(2, 4))
def test_the_same_booking_delivered_again_is_delivered_once(suffix, times):
    payload = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD)
    payload["bookingInfo"]["BookingId"] = [f"BKNG-{suffix}"]
    bridge = started()
    response = process(bridge, [{"kind": "callback", "has_argument": True, "data": payload}] * times)
    bookings = [e for e in events(response) if e["kind"] == "booking"]
    assert [b["event"]["booking_id"] for b in bookings] == [f"BKNG-{suffix}"]
    pushes = [fx for r in response["results"] for fx in r["effects"] if fx["op"] == "navigate"]
    assert len(pushes) == 1  # and the redirect happens once


# Personal values unlike anything else in a payload, so that finding one anywhere is a leak, not a coincidence.
marked = st.from_regex(r"Zq[a-z]{6,10}", fullmatch=True)
emails = st.builds(lambda a, b: f"{a}@{b}.example", marked, st.from_regex(r"[a-z]{5,8}", fullmatch=True))
phones = st.from_regex(r"\+1 ?[0-9]{3} 55[0-9] [0-9]{4}", fullmatch=True)


@SETTINGS
@given(name=marked, email=emails, phone=phones, note=marked, broken=st.booleans())
def test_personal_data_stays_out_of_debug_lines_errors_and_every_view_but_raw(name, email, phone, note, broken):
    """With debug on and every sink at its default (non-raw) policy, a booking (or a broken one: an error) shows its
    customer's name, email, phone and note nowhere: not in a debug line, an error, an effect or an event."""
    payload = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD)
    payload["bookingInfo"].update(CustomerName=name, CustomerEmail=email, CustomerPhone=phone, CustomerNote=note)
    if broken:
        payload["bookingInfo"]["MeetingTimes"] = [{"UTCTime": f"not a time {email}"}]
    bridge = Bridge(clock=FakeClock())
    report = bridge.start({"config": json.dumps({**CONFIG, "debug": True}), "page": {"url": "https://site.example/"}})
    assert report["problems"] == [] and report["debug"] is True
    response = process(bridge, [{"kind": "callback", "has_argument": True, "data": payload}])
    seen = json.dumps(response, ensure_ascii=False)
    for value in (name, email, email.lower(), phone, note):
        assert value not in seen, value
    assert [e["kind"] for e in events(response)] == (["error"] if broken else ["booking"])


any_text = st.text(st.characters(exclude_categories=()), max_size=12)  # surrogates (category Cs) included
any_json = st.recursive(st.none() | st.integers() | any_text,
                        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
                        max_leaves=20)


def texts_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in texts_in(k) + texts_in(v)]
    return [t for v in value for t in texts_in(v)] if isinstance(value, list) else []


@SETTINGS
@given(value=any_json)
def test_invalid_text_is_found_wherever_it_is(value):
    """A payload is refused as invalid text exactly when one of its texts, key or value, holds a surrogate code
    point (what JSON text can carry but UTF-8, and so every destination, cannot)."""
    expected = any(0xD800 <= ord(ch) <= 0xDFFF for t in texts_in(value) for ch in t)
    assert has_lone_surrogate(value) is expected


@SETTINGS
@given(digits=st.text(st.characters(categories=("Nd",)), min_size=8, max_size=13),
       spaces=st.lists(st.sampled_from([" ", "-", "\u00a0", "."]), max_size=13))
def test_a_phone_number_typed_in_any_script_is_the_same_number(digits, spaces):
    """A number typed in any script's digits, with its separators, is the number typed in ASCII digits: the
    destinations match on ASCII digits, so a hash of the typed ones would match no one."""
    import unicodedata

    typed = "+1 " + "".join(d + s for d, s in zip(digits, spaces + [""] * len(digits)))
    in_ascii = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in typed)
    assert normalize_phone(in_ascii) is not None
    assert normalize_phone(typed) == normalize_phone(in_ascii)
    assert normalize_meta_phone(typed) == normalize_meta_phone(in_ascii)

"""Unit tests of the example custom sink, with the bridge's test kit (run by the suite: testpaths has examples/)."""

import copy

from acme_crm import AcmeCrmSink

from bridge.testing import SAMPLE_BOOKING_OBJECT, SAMPLE_CLASSIC_PAYLOAD, check_options, run_sink


def test_a_booking_is_one_track_call_with_the_options():
    run = run_sink(AcmeCrmSink, {"account": "AC-1234", "stage": "opportunity"})
    [effect] = run.effects
    assert effect["op"] == "call" and effect["path"] == "acmeCrm.track"
    name, properties = effect["args"]
    assert name == "meeting_booked"
    assert properties["account"] == "AC-1234" and properties["stage"] == "opportunity"
    assert properties["booking_id"] == "BKNG-XGYNZXXR3B7D" and properties["starts"] == "2018-04-25T06:45:00Z"
    assert len(properties["email_sha256"]) == 64


def test_no_raw_email_under_the_default_policy_and_none_at_all_under_none():
    assert "johnsmith@example.com" not in str(run_sink(AcmeCrmSink, {"account": "AC-1234"}).effects)
    [effect] = run_sink(AcmeCrmSink, {"account": "AC-1234", "pii": "none"}).effects
    assert effect["args"][1]["email_sha256"] is None


def test_options_are_checked_like_a_built_in_sinks():
    assert check_options(AcmeCrmSink, {"account": "AC-1234"}) == []
    [problem] = check_options(AcmeCrmSink, {"account": "1234"})
    assert problem.startswith("sinks[0] (python AcmeCrmSink): account: String should match pattern")
    [problem] = check_options(AcmeCrmSink, {"account": "AC-1234", "stage": "won"})
    assert "stage: Input should be 'lead' or 'opportunity'" in problem
    [problem] = check_options(AcmeCrmSink, {})
    assert "account: required" in problem


def test_errors_and_funnel_steps_are_not_sent_and_calendar_bookings_are():
    failed = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD)
    failed["errorStatus"] = 1
    message = {"type": "oncehub.booking.scheduled", "payload": copy.deepcopy(SAMPLE_BOOKING_OBJECT)}
    run = run_sink(AcmeCrmSink, {"account": "AC-1234"}, [failed, {"type": "oncehub.booking_calendar.loaded"}, message])
    assert [e["args"][1]["booking_id"] for e in run.effects] == ["BKNG-J4FR05BKEWEX"]
    assert run.effects[0]["args"][1]["campaign"] is None

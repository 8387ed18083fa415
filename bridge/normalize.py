"""Normalisers: build a ``BookingEvent`` from a classic payload or from a Booking Calendar booking object."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from .event import BookingEvent, none_if_empty, utc_text, wall_clock_text
from .identity import hashed_user_data
from .inputs.calendar import UTM_KEYS, CalendarBooking
from .inputs.classic import ClassicPayload
from .inputs.redirect import RedirectBooking, booking_ids, offset_zone, parse_time
from .page import PageContext


def _host_page_fields(page: PageContext, utm: dict[str, Any], *, include_query: bool) -> dict[str, Any]:
    """``utm_params`` (the payload's, else the first touch's, else the page URL's), ``click_ids`` and ``page``."""
    return {
        "utm_params": none_if_empty(utm) or none_if_empty(page.attributed_utm_params(UTM_KEYS)),
        "click_ids": none_if_empty(page.attributed_click_ids()),
        "page": page.info(include_query=include_query),
    }


def _customer_fields(name: str | None, email: str | None, phone: str | None) -> dict[str, Any]:
    """``customer`` (raw) and ``user_data`` (hashed) from the customer's identifiers."""
    return {
        "customer": none_if_empty({"name": name, "email": email, "phone": phone}),
        "user_data": hashed_user_data(email, phone) or None,
    }


def booking_from_classic(
    payload: ClassicPayload | None, page: PageContext, *, include_query: bool = False
) -> BookingEvent:
    """Build the event of a classic ``SOAfterConfirmationFunction`` call; ``None`` means no argument came."""
    info = payload.bookingInfo if payload is not None else None
    host = _host_page_fields(page, {}, include_query=include_query)
    if info is None:
        return BookingEvent(source="booking_page", **host)
    meetings = [
        {
            "starting_time": utc_text(meeting.UTCTime),
            "customer_time": wall_clock_text(meeting.CustomerTime),
            "booking_page_time": wall_clock_text(meeting.SOTime),
        }
        for meeting in info.MeetingTimes
    ]
    first_meeting = meetings[0] if meetings else {}
    calendar = info.CalendarEvent
    return BookingEvent(
        source="booking_page",
        booking_id=info.BookingId[0] if info.BookingId else None,
        booking_ids=info.BookingId,
        subject=info.EventTypeName,
        meetings=meetings,
        **first_meeting,
        **_customer_fields(info.CustomerName, info.CustomerEmail, info.CustomerPhone),
        note=info.Note,
        cancel_reschedule_link=info.CancelRescheduleLink,
        calendar_event=none_if_empty({"ics": calendar.ICS, "vcs": calendar.VCS}) if calendar else None,
        payload_version=info.Version,
        **host,
    )


def _in_zone(moment: datetime | None, zone_name: str | None) -> str | None:
    """Wall-clock text of ``moment`` in the IANA zone, or ``None`` when the zone is unknown to the runtime."""
    if moment is None or not zone_name:
        return None
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(zone_name)
    except Exception:  # unknown name, or no time-zone database in the runtime
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
    return _wall_clock_in(aware, zone)


def _wall_clock_in(moment: datetime, zone) -> str | None:
    """Wall-clock text of ``moment`` in ``zone``, or ``None`` where that falls outside the calendar (year 1..9999)."""
    try:
        return wall_clock_text(moment.astimezone(zone))
    except OverflowError:
        return None


def booking_from_calendar(
    booking: CalendarBooking, page: PageContext, *, include_query: bool = False
) -> BookingEvent:
    """Build the event of a Booking Calendar ``oncehub.booking.scheduled`` message."""
    form = booking.form_submission
    times = {
        "starting_time": utc_text(booking.starting_time),
        "customer_time": _in_zone(booking.starting_time, booking.customer_timezone),
        "booking_page_time": None,
    }
    return BookingEvent(
        source="booking_calendar",
        booking_id=booking.id,
        booking_ids=[booking.id] if booking.id else [],
        subject=booking.subject,
        meetings=[times] if times["starting_time"] else [],
        **times,
        duration_minutes=booking.duration_minutes,
        **_customer_fields(form.name, form.email, form.best_phone) if form else {},
        note=form.note if form else None,
        cancel_reschedule_link=booking.cancel_reschedule_link,
        custom_fields=[field.model_dump() for field in form.custom_fields] if form else [],
        **_host_page_fields(page, booking.utm, include_query=include_query),
    )


def booking_from_redirect(booking: RedirectBooking, page: PageContext, *, include_query: bool = False) -> BookingEvent:
    """Build the event of OnceHub's automatic redirect from its query parameters (either set)."""
    calendar = booking.shape == "calendar"
    start = parse_time(booking.get("starting_time" if calendar else "meetingTime"))
    if calendar:
        customer_time = _in_zone(start, booking.get("customer_timezone"))
    else:
        zone = offset_zone(booking.get("utcOffset"))
        customer_time = _wall_clock_in(start, zone) if start and zone else None
    times = {"starting_time": utc_text(start), "customer_time": customer_time, "booking_page_time": None}
    ids = booking_ids(booking)
    name = booking.get("name") if calendar else booking.get("Name")
    email = booking.get("email") if calendar else booking.get("Email")
    phone = booking.get("phone") or booking.get("mobile_phone" if calendar else "mobile")
    return BookingEvent(
        source="redirect",
        booking_id=ids[0] if ids else None,
        booking_ids=ids,
        subject=booking.get("subject"),
        meetings=[times] if times["starting_time"] else [],
        **times,
        **_customer_fields(name, email, phone),
        note=booking.get("note"),
        custom_fields=booking.custom_fields,
        **_host_page_fields(page, {}, include_query=include_query),
    )

"""Staff think in Vietnam time (UTC+7, no daylight saving): date filters, months and code years."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")


def start_of_day_utc(day: date) -> datetime:
    """The UTC instant when *day* starts in Vietnam."""
    return datetime.combine(day, time.min, tzinfo=VN_TZ).astimezone(timezone.utc)

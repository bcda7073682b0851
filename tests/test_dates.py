from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from publisher.dates import DateError, name_date, parse_date
from publisher.dialects.plain import PLAIN

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-02", datetime(2024, 3, 2, tzinfo=PARIS)),
    ("2024-3-2", datetime(2024, 3, 2, tzinfo=PARIS)),
    ("2024-03-02 10:00", datetime(2024, 3, 2, 10, tzinfo=PARIS)),
    ("2024-03-02 10:00:00 +0100", datetime(2024, 3, 2, 10, tzinfo=timezone(timedelta(hours=1)))),
    ("2024-03-02T10:00:00Z", datetime(2024, 3, 2, 10, tzinfo=UTC)),
    ("2024-03-02T10:00:00.5-05:00",
     datetime(2024, 3, 2, 10, 0, 0, 500000, tzinfo=timezone(timedelta(hours=-5)))),
    ("November 20, 2021", datetime(2021, 11, 20, tzinfo=PARIS)),
    ("20 Nov 2021", datetime(2021, 11, 20, tzinfo=PARIS)),
])
def test_parses_what_writers_type(text: str, expected: datetime) -> None:
    assert parse_date(text, PARIS) == expected
    assert parse_date(text, PARIS).utcoffset() == expected.utcoffset()


def test_naive_datetime_takes_site_zone_and_aware_keeps_its_offset() -> None:
    assert parse_date(datetime(2024, 7, 1, 12), PARIS).utcoffset() == timedelta(hours=2)
    aware = datetime(2024, 7, 1, 12, tzinfo=UTC)
    assert parse_date(aware, PARIS) is aware


@pytest.mark.parametrize(("value", "message"), [
    ("2021-02-30", "'2021-02-30' is not a real date or time (day is out of range for month)"),
    ("2020-07-17T15:10:000", "'2020-07-17T15:10:000' is not a date; write it as 2024-03-02, "
                             "2024-03-02 10:00:00 +0100 or 2024-03-02T10:00:00Z"),
    ("", "is empty; write a date like 2024-03-02 or remove the key"),
    (12, "expected a date like 2024-03-02 or 2024-03-02T10:00:00+01:00, not int 12"),
])
def test_bad_dates_say_what_to_write(value: object, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(value, PARIS)
    assert str(caught.value) == message


def filename_date(name: str, zone: ZoneInfo) -> tuple[datetime | None, str | None]:
    """The date a post's file name gives, as publisher's own dialect reads it."""
    return name_date(PLAIN.file_facts(f"{name}.md").date, zone)


def test_filename_dates() -> None:
    assert filename_date("2024-05-20-hello", PARIS) == (datetime(2024, 5, 20, tzinfo=PARIS), None)
    assert filename_date("2017-1-1-hello", PARIS)[0] == datetime(2017, 1, 1, tzinfo=PARIS)
    assert filename_date("hello", PARIS) == (None, None)
    assert filename_date("2023-27-11-mentoring", PARIS) == (
        None, "the file name starts with '2023-27-11', which is not a real date")

"""Property-based fuzzing of the file loaders: a valid frame or the project's error, only.

Random CSV tables (headers drawn from the known synonyms and random text, cells drawn
from numbers in many formats, huge numbers, dates, month labels, team names, text,
empty cells, quotes and control characters), and random bytes, go through
:func:`load_call_counts` (also with daily and weekly labels), :func:`load_contact_log`,
:func:`load_events` and :func:`load_published`. Each call must
return a frame (registry) or raise :class:`~impact._core.exceptions.ImpactError`; any
other exception fails the test. The default run is bounded (``FAST``); the ``slow``
variant tries many more examples.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impact._core.constants import TEAMS
from impact._core.exceptions import ImpactError
from impact.events.registry import load_events
from impact.io.calls import load_call_counts
from impact.io.contacts import load_contact_log
from impact.io.published import PUBLISHED_COLUMNS, load_published

FAST = settings(max_examples=100, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=2000, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

CALL_HEADERS = ["team", "ploeg", "provincie", "month", "maand", "periode", "jaar", "year",
                "calls", "oproepen", "aantal", "kanaal", "categorie", "exposure", "kind",
                "opmerking", "", "Totaal", *TEAMS, "jan 2023", "2023-02", "Q1 2023",
                "datum", "dag", "week"]
LOG_HEADERS = ["tijdstip", "datum", "uur", "team", "ploeg", "kanaal", "uitkomst", "categorie",
               "id", "", "Totaal"]
EVENT_HEADERS = ["id", "name", "kind", "start_date", "end_date", "scope", "expected_shape",
                 "shape", "half_life", "source_url", "source", "note", "extra"]

numbers = st.one_of(
    st.integers(min_value=-10, max_value=10**6).map(str),
    st.integers(min_value=10**6, max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=1, max_value=10**9).map(lambda n: f"{n:,}".replace(",", ".")),
    st.integers(min_value=1, max_value=10**9).map(lambda n: f"{n:,}"),
    st.integers(min_value=1, max_value=10**6).map(lambda n: f"{n:,}".replace(",", " ")),
    st.sampled_from(["12,5", "1.234,5", "0.125", "15.4", "1e19", "-0", "+3", "NaN", "inf",
                     "\u22125", "1\u00a0234", "0x10", "5%"]),
)
dates = st.one_of(
    st.dates().map(str),
    st.sampled_from(["2023-02-30", "2023-13", "januari 2023", "jan. 23", "01/2023",
                     "202301", "2023", "Q1 2023", "2023-W14", "45000", "31/01/2023",
                     "27/08/2023", "08/27/2023", "27 aug 2023", "2023-W53", "week 35 2023",
                     "0001-01-01", "9999-W01", "27/08/2023 23:59", "2023-08-27T22:30:00Z",
                     "28/08/2023 25:00", "31/02/2023", "gesloten", "23:59"]),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.datetimes().map(lambda d: d.strftime("%d/%m/%Y %H:%M")),
)
words = st.one_of(
    st.sampled_from([*TEAMS, "Flanders", "Vlaanderen", "Totaal", "Atlantis", "news",
                     "campaign", "pulse", "step", "unknown", "synthetic", "real",
                     "published", "Bron: 1712 export", "https://example.org", "F001",
                     "calls", "victims"]),
    st.text(max_size=12),
)
specials = st.sampled_from(['"', '""', '"a,b"', "\x00", "\x1f", "\r", "\n", "\t", ";",
                            "\ufeff", "\u00e9", "sep=;"])
cells = st.one_of(st.just(""), numbers, dates, words, specials)


def _row(values: list[str]) -> str:
    return ",".join(values)


@st.composite
def tables(draw, headers: list[str]) -> bytes:
    width = draw(st.integers(min_value=1, max_value=8))
    header = [draw(st.sampled_from(headers)) for _ in range(width)]
    n_rows = draw(st.integers(min_value=0, max_value=12))
    lines = [_row(header)]
    for _ in range(n_rows):
        n = draw(st.integers(min_value=max(0, width - 2), max_value=width + 2))
        lines.append(_row([draw(cells) for _ in range(n)]))
    text = "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


@st.composite
def published_tables(draw) -> bytes:
    header = list(PUBLISHED_COLUMNS)
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    lines = [_row(header)]
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        lines.append(_row([draw(cells) for _ in header]))
    return ("\n".join(lines) + "\n").encode("utf-8", errors="replace")


def _only_project_errors(load, data: bytes, suffix: str = ".csv") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                load(path)
            except ImpactError:
                pass


def _calls(path: Path) -> object:
    return load_call_counts(path, kind=None, verify_checksum=False)


def _log(path: Path) -> object:
    return load_contact_log(path, verify_checksum=False)


LOADERS = {"calls": (_calls, CALL_HEADERS), "events": (load_events, EVENT_HEADERS),
           "contacts": (_log, LOG_HEADERS)}


@pytest.mark.parametrize("loader", list(LOADERS))
@FAST
@given(data=st.data())
def test_random_tables_end_in_a_frame_or_the_projects_error(loader, data):
    load, headers = LOADERS[loader]
    _only_project_errors(load, data.draw(tables(headers)))


@FAST
@given(data=published_tables())
def test_random_published_tables_end_in_a_frame_or_the_projects_error(data):
    _only_project_errors(load_published, data)


@pytest.mark.parametrize("loader", ["calls", "events", "published", "contacts"])
@FAST
@given(data=st.binary(max_size=400))
def test_random_bytes_end_in_the_projects_error(loader, data):
    load = {"calls": _calls, "events": load_events, "published": load_published,
            "contacts": _log}[loader]
    _only_project_errors(load, data)


@pytest.mark.slow
@pytest.mark.parametrize("loader", list(LOADERS))
@MANY
@given(data=st.data())
def test_many_random_tables(loader, data):
    load, headers = LOADERS[loader]
    _only_project_errors(load, data.draw(tables(headers)))


@pytest.mark.slow
@MANY
@given(data=published_tables())
def test_many_random_published_tables(data):
    _only_project_errors(load_published, data)


@pytest.mark.slow
@pytest.mark.parametrize("loader", ["calls", "events", "published", "contacts"])
@MANY
@given(data=st.binary(max_size=2000))
def test_many_random_bytes(loader, data):
    load = {"calls": _calls, "events": load_events, "published": load_published,
            "contacts": _log}[loader]
    _only_project_errors(load, data)

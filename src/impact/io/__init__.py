"""Reading and checking the study's inputs: call counts, category tables, published facts.

Modules and their main names:

``calls``
    :func:`load_call_counts` (CSV/XLSX tables of calls per team and month, ISO week or
    day, any of three layouts, into the canonical long frame, whose time column is
    ``month``, ``week`` or ``day``; any team names, with ``teams=``,
    ``aliases=`` and ``total=`` to declare them; one measure and the channels summed or
    chosen; counts above :data:`MAX_COUNT` per row are refused), :func:`to_series`,
    :func:`to_wide`,
    :func:`from_wide`, :func:`aggregate_calls`, :func:`annual_totals`,
    :func:`write_call_counts`.
``contacts``
    Contact logs (one row per contact): :func:`load_contact_log` (CSV/XLSX into a
    ``ContactLog``), :data:`CONTACT_LOG_COLUMNS`.
``contact_counts``
    :func:`aggregate_contacts` (a log's counts per team and day, ISO week or month, in
    the shape :func:`load_call_counts` returns, zeros filled in) and
    :func:`contact_category_table` (the logged problem categories as a category table).
``teams``
    :data:`TEAM_ALIASES`, :data:`TOTAL_LABELS` and :func:`canonical_team` (team-name
    variants of the five 1712 teams: the default vocabulary, not a limit; teams are data).
``measures``
    :data:`MEASURES`, :data:`CHANNELS`, :func:`canonical_measure`,
    :func:`canonical_channel`, :func:`find_measure` (offered/answered/unique/missed;
    phone/chat/email, Dutch or English).
``taxonomy``
    The vocabulary of reported problems: :data:`CATEGORIES`, :data:`BASES`,
    :data:`LABEL_CHANGES`, :data:`PUBLISHED_QUANTITIES`, :func:`categorize`,
    :func:`map_labels`, :func:`describe_quantity`, :func:`normalize_team`.
``categories``
    Category tables: :data:`CATEGORY_TABLE_COLUMNS`, :func:`validate_category_table`
    (the contract) and :func:`load_category_table` (a reader for user files: long, wide
    by category, or as reports print them with periods as columns).
``published``
    :func:`load_published` (``data/published/published_figures.csv``),
    :func:`published_annual_calls`, :func:`published_annual_victims`,
    :func:`published_category_table`.

Every loader opens its file through :func:`impact._core.parsing.read_input_bytes` (or
``read_input_text``) and reads numbers by the one rule of :mod:`impact._core.parsing`,
so a bad file ends in :class:`~impact._core.exceptions.DataValidationError` naming the
file, row and column, never in a raw traceback.

The private modules ``_grid`` (file bytes to cells), ``_layouts``, ``_wide`` and
``_records`` (cells to records: long layout and detection, wide layouts, shared parts),
``_periods`` (months, ISO weeks and days: resolutions, time columns, validation of daily
and weekly frames) and ``_labels`` (the label tables) serve the modules above.
"""

from impact._core.constants import FLANDERS, TEAMS
from impact.io.calls import (
    DEFAULT_DEFINITION,
    MAX_COUNT,
    aggregate_calls,
    annual_totals,
    from_wide,
    load_call_counts,
    to_series,
    to_wide,
    write_call_counts,
)
from impact.io.categories import (
    CATEGORY_TABLE_COLUMNS,
    load_category_table,
    validate_category_table,
)
from impact.io.contact_counts import aggregate_contacts, contact_category_table
from impact.io.contacts import CONTACT_LOG_COLUMNS, ContactLog, load_contact_log
from impact.io.measures import (
    CHANNELS,
    MEASURES,
    canonical_channel,
    canonical_measure,
    find_measure,
)
from impact.io.published import (
    ANNUAL_CALL_QUANTITIES,
    LAUNCH_DATE,
    PUBLISHED_COLUMNS,
    TOPICS,
    load_published,
    published_annual_calls,
    published_annual_victims,
    published_category_table,
)
from impact.io.taxonomy import (
    BASES,
    CATEGORIES,
    CATEGORY_CODES,
    DIMENSIONS,
    LABEL_CHANGES,
    PUBLISHED_QUANTITIES,
    Category,
    LabelChange,
    QuantityInfo,
    categorize,
    describe_quantity,
    dimension_of,
    get_category,
    known_labels,
    map_labels,
    normalize_team,
)
from impact.io.teams import TEAM_ALIASES, TOTAL_LABELS, canonical_team

__all__ = [
    "FLANDERS",
    "TEAMS",
    "ANNUAL_CALL_QUANTITIES",
    "BASES",
    "CATEGORIES",
    "CATEGORY_CODES",
    "CATEGORY_TABLE_COLUMNS",
    "CHANNELS",
    "CONTACT_LOG_COLUMNS",
    "DEFAULT_DEFINITION",
    "DIMENSIONS",
    "LABEL_CHANGES",
    "LAUNCH_DATE",
    "MEASURES",
    "MAX_COUNT",
    "PUBLISHED_COLUMNS",
    "PUBLISHED_QUANTITIES",
    "TEAM_ALIASES",
    "TOPICS",
    "TOTAL_LABELS",
    "Category",
    "ContactLog",
    "LabelChange",
    "QuantityInfo",
    "aggregate_calls",
    "aggregate_contacts",
    "annual_totals",
    "canonical_channel",
    "canonical_measure",
    "canonical_team",
    "categorize",
    "contact_category_table",
    "describe_quantity",
    "dimension_of",
    "find_measure",
    "from_wide",
    "get_category",
    "known_labels",
    "load_call_counts",
    "load_category_table",
    "load_contact_log",
    "load_published",
    "map_labels",
    "normalize_team",
    "published_annual_calls",
    "published_annual_victims",
    "published_category_table",
    "to_series",
    "to_wide",
    "validate_category_table",
    "write_call_counts",
]

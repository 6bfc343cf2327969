"""Exception and warning classes raised by :mod:`impact`.

Every error message says what is wrong, where (file, row, team, month), what was
expected and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "DataValidationError",
    "EventError",
    "FitError",
    "ImpactError",
    "ImpactWarning",
    "IdentifiabilityWarning",
    "SyntheticDataError",
]


class ImpactError(Exception):
    """Base class of every error raised on purpose by :mod:`impact`."""


class DataValidationError(ImpactError, ValueError):
    """Input data violate a data contract (missing months, negative counts, bad dates, ...)."""


class EventError(ImpactError, ValueError):
    """An event or event file is invalid (unknown kind or shape, end before start, ...)."""


class FitError(ImpactError, RuntimeError):
    """A model could not be fitted at all (every backend and fallback failed)."""


class SyntheticDataError(ImpactError, ValueError):
    """Synthetic data were passed where real or published data are required.

    Raised, for example, by the policy-note export unless the caller overrides it
    explicitly.
    """


class ImpactWarning(UserWarning):
    """A problem that does not stop the computation but must be reported.

    Warnings are also stored on the result objects (their ``warnings`` attribute) so
    that reports show them.
    """


class IdentifiabilityWarning(ImpactWarning):
    """Events cannot be told apart at the data's resolution and were merged."""

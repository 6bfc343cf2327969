"""Project defaults in one place."""

from __future__ import annotations

__all__ = [
    "DATA_KINDS",
    "DEFAULT_LEVEL",
    "DEFAULT_N_PATHS",
    "DEFAULT_SEED",
    "DEFAULT_SUPPRESSION_THRESHOLD",
    "FLANDERS",
    "MIN_N_PATHS",
    "TEAMS",
]

#: Default probability of every interval (two-sided).
DEFAULT_LEVEL: float = 0.95

#: Default number of simulated joint paths behind effect intervals.
DEFAULT_N_PATHS: int = 2000

#: Fewest simulated paths accepted for an interval: at level 0.95 it leaves 5 paths beyond
#: each bound, so the bounds do not jump from seed to seed (``n_paths=1`` would make the
#: interval one path that need not contain its point estimate).
MIN_N_PATHS: int = 200

#: Default study seed.
DEFAULT_SEED: int = 20240501

#: Published tables suppress counts below this threshold (DESIGN.md section 2).
DEFAULT_SUPPRESSION_THRESHOLD: int = 5

#: Canonical names of the five provincial 1712 teams (CAW), in display order: the default
#: vocabulary of the 1712 study, not a limit of the library (teams are data; loaders take
#: ``teams=`` and ``aliases=``).
TEAMS: tuple[str, ...] = (
    "Antwerpen",
    "Limburg",
    "Oost-Vlaanderen",
    "Vlaams-Brabant",
    "West-Vlaanderen",
)

#: Default name of the aggregate of all teams (loaders and ``estimate_effects`` take
#: ``total=`` for another name).
FLANDERS: str = "Flanders"

#: Data kinds every output carries (DESIGN.md section 3).
DATA_KINDS: tuple[str, ...] = ("published", "real", "synthetic")

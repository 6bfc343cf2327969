"""The study: ``study.toml`` -> every analysis -> ``results/``.

Modules
-------
config
    :class:`StudyConfig` and :func:`load_study` (read and check ``study.toml``),
    :func:`study_root` (the folder the manifest's paths are relative to).
outputs
    The output registry :data:`OUTPUTS`: one :class:`OutputSpec` per output id (producer,
    title, kind, data-kind rule); :class:`StudyTable`, a computed table with its provenance.
tables
    The producers of the study's own tables and of ``estimates.csv``
    (:data:`ESTIMATE_COLUMNS`).
compute
    :func:`compute_study` runs every analysis and returns :class:`StudyOutputs`; writes
    nothing.
consistency
    :func:`table_published_consistency`: annual totals of a real table against the
    published figures of the same definition (:func:`measure_definition`).
scaffold
    :func:`draft_study` and :func:`write_study_file` (``impact init``): a first
    ``study.toml`` for a received table, with a :class:`StudyDraft` saying why.
write
    :func:`write_study` writes tables, figures, estimates, reports and the manifest.
run
    :func:`run_study`: load, compute and write, with progress (``python -m impact run``).
"""

from impact.study.compute import StudyOutputs, compute_study
from impact.study.config import StudyConfig, load_study, study_root
from impact.study.consistency import measure_definition, table_published_consistency
from impact.study.outputs import OUTPUTS, OutputRegistry, OutputSpec, StudyTable
from impact.study.run import run_study
from impact.study.scaffold import StudyDraft, draft_study, write_study_file
from impact.study.tables import ESTIMATE_COLUMNS
from impact.study.write import write_study

__all__ = [
    "ESTIMATE_COLUMNS",
    "OUTPUTS",
    "OutputRegistry",
    "OutputSpec",
    "StudyConfig",
    "StudyDraft",
    "StudyOutputs",
    "StudyTable",
    "compute_study",
    "draft_study",
    "load_study",
    "measure_definition",
    "run_study",
    "study_root",
    "table_published_consistency",
    "write_study",
    "write_study_file",
]

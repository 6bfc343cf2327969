"""Foundations every other subpackage builds on; imports nothing else of ``impact``.

Modules:

- ``constants``: defaults (``DEFAULT_LEVEL``, ``DEFAULT_N_PATHS``, ``DEFAULT_SEED``), the
  1712 team names and data kinds.
- ``exceptions``: ``ImpactError`` and its documented subclasses and warnings.
- ``provenance``: the one data-kind label (``SYNTHETIC_LABEL``, ``data_kind_label``,
  ``label_text``).
- ``summary``: ``Summary``, what every result's ``summary()`` returns.
- ``parsing``: the one rule for reading months and numbers from tables, and input files.
- ``dates``: days, ISO weeks and timestamps (daily and weekly tables, contact logs).
- ``validation``: boundary checks that name the parameter (``validate_level``,
  ``validate_series``, ``validate_panel``, ``check_choice``, ``check_int``, ...).
- ``paths``: where the repository's bundled data live (CLI and study only).

It is private: import the public names from :mod:`impact` or from the subpackage that
offers them.
"""

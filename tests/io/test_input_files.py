"""Every loader ends a bad input file in the project's own error, naming the file.

One table of bad files (empty, binary, not UTF-8, unbalanced quotes, a folder, a
symbolic-link loop, an unreadable file, a missing file) runs through every loader:
:func:`load_call_counts`, :func:`load_events`, :func:`load_published` and
:func:`load_category_table`. They share :func:`impact._core.parsing.read_input_bytes`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from impact._core.exceptions import DataValidationError, EventError
from impact.events.registry import load_events
from impact.io.calls import load_call_counts
from impact.io.categories import load_category_table
from impact.io.published import load_published

LOADERS = {
    "calls": (lambda p: load_call_counts(p, kind="real"), DataValidationError),
    "events": (load_events, EventError),
    "published": (load_published, DataValidationError),
    "categories": (load_category_table, DataValidationError),
}

HEADERS = {
    "calls": "team,month,calls\n",
    "events": "id,name,kind,start_date\n",
    "published": "id,topic,year,period_start,period_end,team,quantity,value,unit,source_url,"
                 "source_date,note\n",
    "categories": "team,period,category,count\n",
}


def _bad_file(tmp_path: Path, loader: str, case: str, monkeypatch) -> Path:
    path = tmp_path / "input.csv"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "blank":
        path.write_bytes(b"  \n\n")
    elif case == "binary":
        path.write_bytes(b"\x00\x01\x02\xff" * 50)
    elif case == "not utf-8":
        path.write_bytes(HEADERS[loader].encode() + b"\x81\x8d\x8f\x90\x9d,x,y,z\n")
    elif case == "unbalanced quotes":
        path.write_text(HEADERS[loader] + '"Limburg,2021-01,"3\n"x\n', encoding="utf-8")
    elif case == "folder":
        path = tmp_path
    elif case == "link loop":
        path = tmp_path / "loop.csv"
        path.symlink_to(path)
    elif case == "missing":
        path = tmp_path / "nope.csv"
    elif case == "unreadable":
        path.write_text(HEADERS[loader], encoding="utf-8")

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr("builtins.open", refuse)
    return path


CASES = ["empty", "blank", "binary", "not utf-8", "unbalanced quotes", "folder",
         "link loop", "missing", "unreadable"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("loader", list(LOADERS))
def test_bad_file_ends_in_the_projects_error_naming_the_file(tmp_path, monkeypatch,
                                                              loader, case):
    load, error = LOADERS[loader]
    path = _bad_file(tmp_path, loader, case, monkeypatch)
    with pytest.raises(error) as info:
        load(path)
    assert str(path) in str(info.value) or path.name in str(info.value)


@pytest.mark.parametrize("loader", list(LOADERS))
def test_messages_say_what_is_wrong(tmp_path, monkeypatch, loader):
    load, error = LOADERS[loader]
    expected = {
        "folder": "is a folder, not a file",
        "link loop": "symbolic link that points to itself",
        "missing": "not found (looked in",
        "unreadable": "permission denied",
    }
    for case, text in expected.items():
        with monkeypatch.context() as patch:
            path = _bad_file(tmp_path, loader, case, patch)
            with pytest.raises(error, match=text.replace("(", r"\(")):
                load(path)
    if loader in ("events", "published"):  # the others also read Windows-1252 text
        with pytest.raises(error, match=r"not UTF-8 text \(byte 0x81 on line 2\)"):
            load(_bad_file(tmp_path, loader, "not utf-8", monkeypatch))


@pytest.mark.parametrize("loader", ["events", "published"])
def test_unclosed_quote_names_the_line(tmp_path, loader):
    load, error = LOADERS[loader]
    path = tmp_path / "x.csv"
    path.write_text(HEADERS[loader] + 'E1,"broken,news,2023-01-01\n', encoding="utf-8")
    with pytest.raises(error, match=r"not a well-formed CSV file \(line 2"):
        load(path)


@pytest.mark.parametrize("loader", ["events", "published"])
def test_row_wider_than_header_is_refused_not_shifted(tmp_path, loader):
    # pandas would silently take the first cells as an index and shift every column
    load, error = LOADERS[loader]
    header = HEADERS[loader]
    width = header.count(",") + 1
    path = tmp_path / "x.csv"
    path.write_text(header + ",".join(["a"] * (width + 2)) + "\n", encoding="utf-8")
    with pytest.raises(error, match=rf"line 2: {width + 2} cells but the header has {width}"):
        load(path)


@pytest.mark.parametrize("loader", ["events", "published"])
def test_duplicate_header_is_refused(tmp_path, loader):
    load, error = LOADERS[loader]
    path = tmp_path / "x.csv"
    path.write_text("id,id," + HEADERS[loader], encoding="utf-8")
    with pytest.raises(error, match=r"line 1: column 'id' appears twice"):
        load(path)

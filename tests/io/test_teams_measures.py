"""Teams are data; measures and channels (issue 14): the loader side."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from impact._core.constants import TEAMS
from impact._core.exceptions import DataValidationError
from impact.io.calls import annual_totals, load_call_counts, to_series, to_wide
from impact.io.categories import load_category_table
from impact.io.measures import canonical_channel, canonical_measure, find_measure

MONTHS = [f"2023-{m:02d}" for m in range(1, 7)]


def write_text(tmp_path: Path, text: str, name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(tmp_path: Path, rows, name: str = "calls.xlsx") -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    path = tmp_path / name
    book.save(path)
    return path


def long_text(teams, months=MONTHS, extra=None) -> str:
    lines = ["team,month,calls"]
    for i, team in enumerate(teams):
        lines += [f"{team},{m},{10 + i + j}" for j, m in enumerate(months)]
    return "\n".join(lines + (extra or [])) + "\n"


# --- teams -----------------------------------------------------------------------------------


def test_fifty_generated_teams_load_in_long_and_wide_layouts(tmp_path):
    teams = [f"Gemeente {i:02d}" for i in range(50)]
    frame = load_call_counts(write_text(tmp_path, long_text(teams)))
    assert sorted(set(frame["team"])) == teams
    assert len(frame) == 50 * len(MONTHS)
    total = to_series(frame, "Flanders")
    assert total.iloc[0] == sum(10 + i for i in range(50))
    header = ["maand", *teams, "Totaal"]
    rows = [header] + [[m, *[10 + i + j for i in range(50)],
                        sum(10 + i + j for i in range(50))] for j, m in enumerate(MONTHS)]
    wide = load_call_counts(write_xlsx(tmp_path, rows))
    assert wide[["team", "month", "calls"]].equals(frame[["team", "month", "calls"]])
    assert list(to_wide(frame).columns) == teams


def test_team_rows_wide_with_open_vocabulary_and_a_total_column(tmp_path):
    rows = [["team", "jan 2023", "feb 2023", "Totaal"],
            ["Noord", 1, 2, 3], ["Zuid", 4, 5, 9], ["Totaal", 5, 7, 12]]
    frame = load_call_counts(write_xlsx(tmp_path, rows))
    assert sorted(set(frame["team"])) == ["Noord", "Zuid"]
    bad = [row[:] for row in rows]
    bad[3][1] = 6
    with pytest.raises(DataValidationError, match=r"total 6 does not match the sum"):
        load_call_counts(write_xlsx(tmp_path, bad, "bad.xlsx"))


def test_aliases_map_ministry_labels(tmp_path):
    text = long_text(["1712 Antwerpen", "CAW Limburg"])
    frame = load_call_counts(write_text(tmp_path, text), teams=TEAMS,
                             aliases={"1712 antwerpen": "Antwerpen"})
    assert sorted(set(frame["team"])) == ["Antwerpen", "Limburg"]
    assert frame.attrs["teams"] == list(TEAMS)


def test_unknown_label_gives_one_error_with_labels_and_closest_names(tmp_path):
    # a Totaal row per month: a wrong team would make every total mismatch (the cascade)
    totals = [f"Totaal,{m},{(10 + j) + (11 + j)}" for j, m in enumerate(MONTHS)]
    text = long_text(["1712 Antwerpen", "Limburg"], extra=totals)
    with pytest.raises(DataValidationError) as info:
        load_call_counts(write_text(tmp_path, text), teams=TEAMS)
    message = str(info.value)
    assert "1 unknown team label" in message
    assert "'1712 Antwerpen' (row 2, column A ('team') and more): closest known names " \
           "'Antwerpen'" in message
    assert "Labels seen in the file: '1712 Antwerpen', 'Limburg'" in message
    assert "does not match" not in message  # no follow-on total errors
    assert message.count("\n") == 0


def test_declared_teams_refuse_builtin_names_outside_them(tmp_path):
    text = long_text(["Noord", "Limburg"])
    with pytest.raises(DataValidationError, match=r"'Limburg' .*closest known names none"):
        load_call_counts(write_text(tmp_path, text), teams=["Noord", "Zuid"])
    with pytest.raises(DataValidationError, match=r"aliases: 'x' maps to 'Oost'"):
        load_call_counts(write_text(tmp_path, text), teams=["Noord"], aliases={"x": "Oost"})


def test_total_named_belgium_in_a_three_team_file(tmp_path):
    teams = ["Brussel", "Vlaanderen-Noord", "Wallonie"]
    lines = ["region,month,calls"]
    for j, m in enumerate(MONTHS):
        lines += [f"{t},{m},{j + i}" for i, t in enumerate(teams)]
        lines.append(f"Belgium,{m},{3 * j + 3}")
    frame = load_call_counts(write_text(tmp_path, "\n".join(lines) + "\n"), total="Belgium")
    assert sorted(set(frame["team"])) == teams
    assert frame.attrs["total"] == "Belgium"
    total = to_series(frame, "Belgium")
    assert total.tolist() == [3 * j + 3 for j in range(len(MONTHS))]
    assert total.attrs["team"] == "Belgium"
    yearly = annual_totals(frame)
    assert yearly["team"].tolist()[-1] == "Belgium"
    assert int(yearly["calls"].iloc[-1]) == sum(3 * j + 3 for j in range(len(MONTHS)))
    lines[-1] = f"Belgium,{MONTHS[-1]},0"
    with pytest.raises(DataValidationError, match=r"'Belgium'\): total 0 for 2023-06"):
        load_call_counts(write_text(tmp_path, "\n".join(lines) + "\n", "b.csv"),
                         total="Belgium")


# --- measures --------------------------------------------------------------------------------


def test_measure_names():
    assert canonical_measure("Beantwoord") == "answered"
    assert canonical_measure("aangeboden") == "offered"
    assert canonical_measure("Uniek") == "unique"
    assert canonical_measure("Gemist") == "missed"
    assert canonical_measure("Doorverwezen") == "doorverwezen"
    assert canonical_channel("Telefoon") == "phone"
    assert canonical_channel("E-mail") == "email"
    assert find_measure("Beantwoorde oproepen 2023") == "answered"
    assert find_measure("Aantal oproepen 2023") is None


def _measure_long(tmp_path):
    lines = ["team,month,maat,calls"]
    for j, m in enumerate(MONTHS):
        lines += [f"Limburg,{m},aangeboden,{20 + j}", f"Limburg,{m},beantwoord,{10 + j}"]
    return write_text(tmp_path, "\n".join(lines) + "\n")


def test_measure_column_long_with_the_ambiguity_error(tmp_path):
    path = _measure_long(tmp_path)
    with pytest.raises(DataValidationError, match=r"several measures \(answered, offered\); "
                       r"one series must count one thing: choose one with "
                       r"load_call_counts\(\.\.\., measure=\.\.\.\) or \[data\] measure"):
        load_call_counts(path)
    answered = load_call_counts(path, measure="answered")
    assert list(answered.columns) == ["team", "month", "calls"]
    assert answered["calls"].tolist() == [10 + j for j in range(len(MONTHS))]
    assert answered.attrs["measure"] == "answered"
    assert load_call_counts(path, measure="Aangeboden").attrs["measure"] == "offered"
    with pytest.raises(DataValidationError, match=r"measure='unique' \('unique'\) is not in "
                       r"the file; it holds answered, offered"):
        load_call_counts(path, measure="unique")


def test_a_single_measure_is_taken_and_recorded(tmp_path):
    text = "team,month,measure,calls\n" + "\n".join(
        f"Limburg,{m},answered,{j}" for j, m in enumerate(MONTHS)) + "\n"
    frame = load_call_counts(write_text(tmp_path, text))
    assert frame.attrs["measure"] == "answered"


def test_measure_column_wide(tmp_path):
    rows = [["team", "maat", "jan 2023", "feb 2023"],
            ["Antwerpen", "aangeboden", 30, 31], ["Antwerpen", "beantwoord", 20, 21],
            ["Limburg", "aangeboden", 10, 11], ["Limburg", "beantwoord", 5, 6],
            ["Totaal", "beantwoord", 25, 27]]
    path = write_xlsx(tmp_path, rows)
    with pytest.raises(DataValidationError, match=r"several measures \(answered, offered\)"):
        load_call_counts(path)
    frame = load_call_counts(path, measure="beantwoord")
    assert frame["calls"].tolist() == [20, 21, 5, 6]
    rows[-1][2] = 26
    with pytest.raises(DataValidationError, match=r"total 26 does not match"):
        load_call_counts(write_xlsx(tmp_path, rows, "bad.xlsx"), measure="answered")


def test_one_block_per_measure_wide(tmp_path):
    rows = [["Aangeboden oproepen"], ["team", "jan 2023", "feb 2023"],
            ["Antwerpen", 30, 31], ["Limburg", 10, 11], [],
            ["Beantwoorde oproepen"], ["team", "jan 2023", "feb 2023"],
            ["Antwerpen", 20, 21], ["Limburg", 5, 6]]
    path = write_xlsx(tmp_path, rows)
    with pytest.raises(DataValidationError, match=r"several measures"):
        load_call_counts(path)
    offered = load_call_counts(path, measure="offered")
    assert offered["calls"].tolist() == [30, 31, 10, 11]


# --- channels --------------------------------------------------------------------------------


def _channels(tmp_path):
    lines = ["team,month,kanaal,calls"]
    for j, m in enumerate(MONTHS):
        lines += [f"Limburg,{m},telefoon,{10 + j}", f"Limburg,{m},chat,{j}",
                  f"Limburg,{m},e-mail,1"]
    return write_text(tmp_path, "\n".join(lines) + "\n")


def test_channels_summed_by_default(tmp_path):
    frame = load_call_counts(_channels(tmp_path))
    assert list(frame.columns) == ["team", "month", "calls"]
    assert frame["calls"].tolist() == [11 + 2 * j for j in range(len(MONTHS))]
    assert frame.attrs["channels"] == ["chat", "email", "phone"]


def test_channels_filtered(tmp_path):
    phone = load_call_counts(_channels(tmp_path), channels=["telefoon"])
    assert phone["calls"].tolist() == [10 + j for j in range(len(MONTHS))]
    assert phone.attrs["channels"] == ["phone"]
    two = load_call_counts(_channels(tmp_path), channels=["phone", "chat"])
    assert two["calls"].tolist() == [10 + 2 * j for j in range(len(MONTHS))]
    with pytest.raises(DataValidationError, match=r"channels 'fax' not in the file; it holds "
                       r"channels chat, email, phone"):
        load_call_counts(_channels(tmp_path), channels=["fax"])
    with pytest.raises(DataValidationError, match=r"has no channel column"):
        load_call_counts(write_text(tmp_path, long_text(["Limburg"]), "x.csv"),
                         channels=["phone"])


# --- category tables as reports print them ----------------------------------------------------


def test_category_report_table_wide_by_year_with_team_column(tmp_path):
    text = ("team,probleem,2021,2022,2023\n"
            "Limburg,Kindermishandeling,10,12,13\n"
            "Limburg,Partnergeweld,20,22,23\n"
            "Limburg,Totaal,30,34,36\n")
    table = load_category_table(write_text(tmp_path, text, "cat.csv"))
    assert len(table) == 6
    assert set(table["team"]) == {"Limburg"}
    assert table["period"].dt.year.tolist() == [2021, 2021, 2022, 2022, 2023, 2023]
    assert table["count"].sum() == 10 + 12 + 13 + 20 + 22 + 23


def test_category_report_table_in_team_blocks(tmp_path):
    rows = [["Probleem", 2022, 2023],
            ["Antwerpen", None, None],
            ["Kindermishandeling", 5, 6], ["Partnergeweld", 7, 8],
            ["Limburg", None, None],
            ["Kindermishandeling", 1, 2], ["Partnergeweld", 3, 4]]
    table = load_category_table(write_xlsx(tmp_path, rows, "cat.xlsx"))
    assert sorted(set(table["team"])) == ["Antwerpen", "Limburg"]
    limburg = table[table["team"] == "Limburg"]
    assert limburg["count"].tolist() == [1.0, 3.0, 2.0, 4.0]
    no_team = [rows[0], *rows[2:4]]
    assert len(load_category_table(write_xlsx(tmp_path, no_team, "one.xlsx"),
                                   team="Limburg")) == 4

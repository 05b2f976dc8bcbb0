"""The Excel workbook (``--xlsx``): every report table as a sheet with numeric cells, the Sites
sheet, the Overview, valid sheet names, identical bytes for the same document, safe writing.

Every check reads the written file back with openpyxl (or its XML), not the in-memory workbook.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
import pandas as pd
import pytest

from energie.planner.plans import plan_inputs
from energie.reports import xlsx as report_xlsx
from energie.reports import xlsx_file
from energie.reports.blocks import Cell, Section, TableBlock, TextBlock, blocks, parse_cell, tables
from energie.reports.compare import render_comparison
from energie.reports.document import ReportDocument, build_document
from energie.reports.terminal import render_plan
from energie.reports.xlsx import number_format, workbook_for, write_xlsx
from energie.scenarios.whatif import WhatIf, run_whatif
from models import InputError, Scenario
from sites.inputs import PlanningInputs, example_inputs

FORBIDDEN = set("[]:*?/\\")


@pytest.fixture(scope="module")
def hb() -> PlanningInputs:
    return example_inputs("hardenberg")


@pytest.fixture(scope="module")
def doc(hb: PlanningInputs) -> ReportDocument:
    """The Hardenberg plan with two what-if sections."""
    p = plan_inputs(hb)
    comparisons: list[tuple[str, object]] = []
    for scale in (1.2, 0.8):
        c = run_whatif(hb.sites, hb.scenario, WhatIf(target_scale=scale))
        comparisons.append((f"What if: target × {scale}", render_comparison(c, f"target × {scale}")))
    return build_document(p, hb.sites, title="Hardenberg 2030", report=render_plan(p), landscape=hb.landscape,
                          comparisons=comparisons, run_info={"scenario": hb.scenario.name, "solver": "highs"})


def _written(doc: ReportDocument, tmp_path: Path, name: str = "plan.xlsx") -> openpyxl.Workbook:
    return openpyxl.load_workbook(write_xlsx(doc, tmp_path / name))


def _sheet_of(location: str) -> str:
    """``'Sites by kind'!A1`` → ``Sites by kind``."""
    name = location.removesuffix("!A1")
    return name[1:-1].replace("''", "'") if name.startswith("'") else name


def _contents(wb: openpyxl.Workbook) -> list[tuple[str, str, str]]:
    """(section, full table title, sheet) per row of the Overview's contents, read from its links."""
    ws = wb["Overview"]
    start = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Contents") + 2
    out = []
    for r in range(start, ws.max_row + 1):
        link = ws.cell(r, 1).hyperlink
        if link is None:
            break
        assert _sheet_of(link.location) == ws.cell(r, 1).value
        out.append((ws.cell(r, 2).value or "", ws.cell(r, 3).value, ws.cell(r, 1).value))
    return out


def _sheet(wb: openpyxl.Workbook, section: str, title: str) -> str:
    (sheet,) = [n for s, t, n in _contents(wb) if (s, t) == (section, title)]
    return sheet


def _check_tables(doc: ReportDocument, wb: openpyxl.Workbook) -> int:
    """Every table of the document is on its sheet, cell by cell; returns the number of numeric cells."""
    contents = _contents(wb)
    numbers = 0
    for (section, block), (heading, title, sheet) in zip(tables(doc.sections), contents, strict=False):
        assert (heading, title) == (section.title, block.title or sheet)  # an untitled table: its sheet
        ws = wb[sheet]
        assert title in ws["A1"].value
        assert [c.value for c in ws[2]][:len(block.columns)] == [" ".join(c.split()) or None for c in block.columns]
        assert all(c.font.b for c in ws[2][:len(block.columns)])
        assert ws.freeze_panes == "A3"
        assert ws.auto_filter.ref == f"A2:{get_column_letter(len(block.columns))}{2 + len(block.rows)}"
        for i, row in enumerate(block.rows, start=3):
            for j, cell in enumerate(row, start=1):
                got = ws.cell(i, j)
                if cell.number is not None:
                    numbers += 1
                    assert got.data_type == "n", (ws.title, got.coordinate, cell.text)
                    shown = 100.0 * got.value if cell.percent else got.value
                    assert shown == pytest.approx(cell.number, abs=1e-9), (ws.title, got.coordinate)
                    assert ("%" in got.number_format) == cell.percent
                elif cell.text.strip() in ("", "–"):
                    assert got.value is None
                else:
                    assert got.data_type == "s" and got.value == cell.text
        for k, line in enumerate(block.caption.splitlines(), start=4 + len(block.rows)):
            assert ws.cell(k, 1).value == line
    assert len(contents) >= len(tables(doc.sections))
    return numbers


# ------------------------------------------------------------------------------ report tables


def test_every_report_table_is_a_sheet_with_numbers_as_numbers(doc: ReportDocument, tmp_path: Path) -> None:
    wb = _written(doc, tmp_path)
    n_tables = len(tables(doc.sections))
    assert wb.sheetnames[0] == "Overview" and wb.sheetnames[-1] == "Sites"
    assert len(wb.sheetnames) == n_tables + 2
    assert _check_tables(doc, wb) > 100


def test_whatif_sections_get_their_own_prefixed_sheets(doc: ReportDocument, tmp_path: Path) -> None:
    wb = _written(doc, tmp_path)
    for section in doc.sections[1:]:
        names = [_sheet(wb, section.title, b.title) for b in section.blocks if isinstance(b, TableBlock)]
        assert names and all(n.startswith(section.title.split(": ")[1]) for n in names)
        assert all(wb[n]["A1"].value.startswith(section.title) for n in names)
    # the two what-ifs have tables of the same titles: the prefix keeps them apart
    changes = [_sheet(wb, s.title, "Change in figures") for s in doc.sections[1:]]
    assert len(set(changes)) == 2


def test_printed_decimals_become_the_number_format() -> None:
    assert number_format("1,563.3") == "#,##0.0"
    assert number_format("0.92") == "#,##0.00"
    assert number_format("18") == "#,##0"
    assert number_format("2030") == "0"  # a year printed without a comma stays without one
    assert number_format("100.1 %", percent=True) == "#,##0.0%"
    assert number_format("+15.3") == "+#,##0.0;-#,##0.0;#,##0.0"
    assert number_format("−2.50") == "#,##0.00"


def test_percent_cells_are_fractions_with_a_percent_format(doc: ReportDocument, tmp_path: Path) -> None:
    wb = _written(doc, tmp_path)
    (targets,) = [b for s, b in tables(doc.sections) if b.title.startswith("Targets")]
    printed = targets.rows[0][targets.columns.index("met")]
    assert printed.percent and printed.text.endswith(" %")
    ws = wb[_sheet(wb, "Plan", targets.title)]
    met = ws.cell(3, 1 + targets.columns.index("met"))
    assert met.data_type == "n" and met.number_format == "#,##0.0%"
    assert met.value == pytest.approx(float(printed.text.removesuffix(" %")) / 100)


def _small_doc(sections: list[Section], site_table: pd.DataFrame | None = None,
               run_info: dict[str, str] | None = None) -> ReportDocument:
    if site_table is None:
        site_table = pd.DataFrame({"site_id": ["A"], "name": ["a"], "capacity_mw": [1.5]})
    return ReportDocument(title="small", sections=sections, layers=None, site_table=site_table,
                          run_info=run_info or {})


def _table(title: str, rows: list[list[str]] | None = None, columns: tuple[str, ...] = ("id", "MW"),
           caption: str = "") -> TableBlock:
    rows = rows if rows is not None else [["007", "1,234.5"]]
    numeric = [i > 0 for i in range(len(columns))]
    return TableBlock(title, list(columns), numeric,
                      [[parse_cell(t) if numeric[j] else Cell(t) for j, t in enumerate(r)] for r in rows], caption)


def test_sheet_names_are_valid_and_unique_for_long_odd_and_duplicate_titles(tmp_path: Path) -> None:
    long = "A very long table title that goes on and on well past Excel's limit of thirty-one"
    odd = ["Targets", "targets", "TARGETS (again)", "Sites", "overview", "History", "", "a/b: c*d? [e] \\f",
           "'quoted'", long, long, long + " (2)", "😀" * 20]
    sections = [Section("Plan", [_table(t) for t in odd]),
                Section("What if: " + long, [_table(t) for t in odd[:4]]),
                Section("What if: " + long + "!", [_table("Targets")]),
                Section("Empty", [])]
    wb = _written(_small_doc(sections), tmp_path)
    names = wb.sheetnames
    assert len(names) == 1 + len(odd) + 4 + 1 + 1
    assert len({n.casefold() for n in names}) == len(names)
    for n in names:
        assert 0 < len(n.encode("utf-16-le")) // 2 <= 31, n
        assert not FORBIDDEN & set(n) and not n.startswith("'") and not n.endswith("'"), n
        assert n.casefold() != "history"
    assert names[1] == "Targets" and names[-1] == "Sites"
    # every table still reachable from the contents, with its full title
    contents = _contents(wb)
    assert len(contents) == len(odd) + 4 + 1 + 1  # and Sites
    assert _check_tables(_small_doc(sections), wb) == len(contents) - 1
    assert [wb[n]["A1"].value for s, t, n in contents if t == long] == [long, long]


def test_text_ids_stay_text_and_empty_cells_stay_empty(tmp_path: Path) -> None:
    block = _table("Ids", [["007", "–"], ["0.50", ""], ["1e3", "12.5 %"]])
    sites = pd.DataFrame({"site_id": ["007", "0012"], "name": ["", None], "capacity_mw": [float("nan"), 2.0],
                          "cost_meur": [float("inf"), -0.5]})
    wb = _written(_small_doc([Section("Plan", [block])], sites), tmp_path)
    ws = wb["Ids"]
    assert [ws.cell(r, 1).value for r in (3, 4, 5)] == ["007", "0.50", "1e3"]
    assert all(ws.cell(r, 1).data_type == "s" for r in (3, 4, 5))
    assert ws["B3"].value is None and ws["B4"].value is None
    assert ws["B5"].value == pytest.approx(0.125) and ws["B5"].number_format == "#,##0.0%"
    s = wb["Sites"]
    assert [s["A2"].value, s["A3"].value] == ["007", "0012"] and s["A2"].data_type == "s"
    assert s["B2"].value is None and s["B3"].value is None and s["C2"].value is None and s["C3"].value == 2.0
    assert s["D2"].value is None and s["D3"].value == -0.5  # Excel has no infinity


def test_captions_sit_below_the_table_outside_the_filter(tmp_path: Path) -> None:
    block = _table("Captioned", [["a", "1"], ["b", "2"]], caption="first note\nsecond note")
    ws = _written(_small_doc([Section("Plan", [block])]), tmp_path)["Captioned"]
    assert ws.auto_filter.ref == "A2:B4"
    assert ws["A5"].value is None and [ws["A6"].value, ws["A7"].value] == ["first note", "second note"]


# ------------------------------------------------------------------------------ Sites, Overview, Map


def test_sites_sheet_has_every_site_at_full_precision(doc: ReportDocument, hb: PlanningInputs,
                                                      tmp_path: Path) -> None:
    ws = _written(doc, tmp_path)["Sites"]
    frame = doc.site_table
    assert ws.max_row == 1 + len(hb.sites) == 1 + len(frame)
    assert [c.value for c in ws[1]] == list(frame.columns)
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:O{len(frame) + 1}"
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == [s.site_id for s in hb.sites]
    for col in ("capacity_mw", "yield_gwh", "area_ha", "cost_meur", "impact_meur"):
        j = list(frame.columns).index(col) + 1
        for r, v in enumerate(frame[col], start=2):
            got = ws.cell(r, j).value
            # not rounded to the report's decimals: equal to Excel's 15 significant digits
            assert got is None if pd.isna(v) else got == pytest.approx(v, rel=1e-15, abs=0)
    assert any(round(v, 4) != v for v in frame["yield_gwh"].dropna())


def test_overview_has_title_run_facts_texts_and_links(doc: ReportDocument, tmp_path: Path) -> None:
    wb = _written(doc, tmp_path)
    ws = wb["Overview"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert ws["A1"].value == "Hardenberg 2030"
    assert "Run" in values and "scenario" in values and doc.run_info["scenario"] in values
    lines = [line for s in doc.sections for b in s.blocks if isinstance(b, TextBlock)
             for line in [b.title, *b.text.splitlines()] if line]
    assert lines and all(line in values for line in lines)
    links = [c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink is not None]
    assert {_sheet_of(loc) for loc in links} == set(wb.sheetnames[1:])


def _png() -> bytes:
    image = pytest.importorskip("PIL.Image")
    buf = io.BytesIO()
    image.new("RGB", (40, 30), (20, 120, 60)).save(buf, format="PNG")
    return buf.getvalue()


def test_map_sheet_holds_the_png(doc: ReportDocument, tmp_path: Path) -> None:
    path = write_xlsx(dataclasses.replace(doc, map_png=_png()), tmp_path / "map.xlsx")
    assert openpyxl.load_workbook(path).sheetnames[-1] == "Map"
    with zipfile.ZipFile(path) as z:
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
        assert len(media) == 1 and z.read(media[0]) == _png()


def test_map_without_pillow_is_a_note_not_an_error(doc: ReportDocument, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_xlsx, "pillow_available", lambda: False)
    path = write_xlsx(dataclasses.replace(doc, map_png=b"\x89PNG not read"), tmp_path / "map.xlsx")
    ws = openpyxl.load_workbook(path)["Map"]
    assert "Pillow" in ws["A2"].value
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/media/")]


# ------------------------------------------------------------------------------ other reports


def test_phased_and_heat_reports_become_sheets_too(hb: PlanningInputs, tmp_path: Path) -> None:
    from energie.planner.plans import plan_with_heat
    from energie.planner.plans import plan_phased
    from energie.reports.phasing import render_phased_plan
    from sites.heat_inputs import example_heat_inputs

    data = hb.scenario.model_dump(mode="json")
    phased = Scenario.model_validate({**data, "name": "hardenberg-phased", "targets": {
        "2030": {"electricity_gwh": 434}, "2050": {"multiple_of": 2030, "factor": 2.0}}})
    heat = example_heat_inputs("hardenberg")
    sections = [Section("Phased plan", blocks(render_phased_plan(plan_phased(hb.sites, phased)))),
                Section("Heat plan", blocks(render_plan(plan_with_heat(heat.sites, heat.districts,
                                                                       heat.scenario))))]
    wb = _written(_small_doc(sections), tmp_path)
    assert len(wb.sheetnames) == 2 + len(tables(sections))
    assert any("dwellings converted n" in [c.value for c in wb[n][2]] for n in wb.sheetnames[1:-1])
    assert _check_tables(_small_doc(sections), wb) > 50


# ------------------------------------------------------------------------------ writing


def test_two_writes_give_identical_files(doc: ReportDocument, tmp_path: Path) -> None:
    with_map = dataclasses.replace(doc, map_png=_png())
    a, b = write_xlsx(with_map, tmp_path / "a.xlsx"), write_xlsx(with_map, tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:  # not the clock: two quick writes could share it
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    props = openpyxl.load_workbook(a).properties
    assert props.created == props.modified == report_xlsx.FIXED_TIME and props.title == "Hardenberg 2030"


def test_the_document_time_comes_from_run_info_only(doc: ReportDocument, tmp_path: Path) -> None:
    stamped = dataclasses.replace(doc, run_info={**doc.run_info, "created": "2026-03-01T09:30:00+01:00"})
    props = _written(stamped, tmp_path).properties
    assert props.created == props.modified == dt.datetime(2026, 3, 1, 8, 30)


def test_an_existing_file_is_refused_without_force(doc: ReportDocument, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"keep me")
    with pytest.raises(InputError, match="--force") as err:
        write_xlsx(doc, path)
    assert str(path) in str(err.value) and path.read_bytes() == b"keep me"
    assert write_xlsx(doc, path, force=True) == path
    assert openpyxl.load_workbook(path).sheetnames[0] == "Overview"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_failed_save_leaves_nothing_behind(doc: ReportDocument, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def half_written(self: object) -> None:
        self._archive.writestr("xl/partial.xml", "<half")  # type: ignore[attr-defined]
        raise OSError("disk full")

    monkeypatch.setattr(xlsx_file.ExcelWriter, "write_data", half_written)
    with pytest.raises(OSError, match="disk full"):
        write_xlsx(doc, tmp_path / "new.xlsx")
    assert list(tmp_path.iterdir()) == []
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"previous")
    with pytest.raises(OSError, match="disk full"):
        write_xlsx(doc, old, force=True)
    assert list(tmp_path.iterdir()) == [old] and old.read_bytes() == b"previous"


def test_formula_like_text_is_stored_as_text(doc: ReportDocument, tmp_path: Path) -> None:
    nasty = ["=HYPERLINK(\"http://evil\",\"x\")", "+31 6 1234", "-2+3", "@SUM(A1)", "=1+1"]
    sites = doc.site_table.copy()
    sites.loc[: len(nasty) - 1, "name"] = nasty
    sites.loc[len(nasty), "name"] = "bell\x07 and nul\x00 dropped"
    block = _table("Injected", [[t, "1.0"] for t in nasty])
    texts = [TextBlock("=cmd|' /C calc'!A0", "=title")]
    evil = _small_doc([Section("=Plan", [block, *texts])], sites, run_info={"=key": "=value"})
    path = write_xlsx(evil, tmp_path / "evil.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert "<f>" not in xml and "<f " not in xml
    wb = openpyxl.load_workbook(path)
    s = wb["Sites"]
    names = [s.cell(r, 2) for r in range(2, 2 + len(nasty))]
    assert [c.value for c in names] == nasty and all(c.data_type == "s" and c.quotePrefix for c in names)
    assert s.cell(2 + len(nasty), 2).value == "bell and nul dropped"
    t = wb["Injected"]
    assert [t.cell(r, 1).value for r in range(3, 3 + len(nasty))] == nasty
    overview = [c for row in wb["Overview"].iter_rows() for c in row if isinstance(c.value, str)]
    assert {"=key", "=value", "=title", "=cmd|' /C calc'!A0", "=Plan"} <= {c.value for c in overview}
    assert all(c.data_type == "s" for c in overview)


def test_workbook_for_matches_the_written_file(doc: ReportDocument, tmp_path: Path) -> None:
    built = workbook_for(doc)
    read = _written(doc, tmp_path)
    assert built.sheetnames == read.sheetnames
    for ws in built.worksheets:
        # openpyxl writes floats with 16 significant digits (Excel keeps 15)
        assert [[c.value for c in r] for r in read[ws.title].iter_rows()] == \
               [[pytest.approx(c.value, rel=1e-15, abs=0) if isinstance(c.value, float) else c.value for c in r]
                for r in ws.iter_rows()]


def test_more_sites_than_excel_rows_is_an_input_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(report_xlsx, "MAX_ROWS", 3)
    sites = pd.DataFrame({"site_id": ["a", "b", "c"]})
    with pytest.raises(InputError, match="3 sites do not fit"):
        write_xlsx(_small_doc([], sites), tmp_path / "big.xlsx")
    assert list(tmp_path.iterdir()) == []
    assert openpyxl.load_workbook(write_xlsx(_small_doc([], sites[:2]), tmp_path / "ok.xlsx"))["Sites"].max_row == 3

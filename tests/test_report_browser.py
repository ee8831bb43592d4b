"""The HTML report in a real browser: Debian's chromium, headless, offline.

Chromium loads the report from a file, dumps the DOM it built (so a tag the browser would have
re-nested or dropped shows up here) and takes a screenshot. Skipped when chromium is not
installed (`apt-get install -y chromium`). Set BGTC_SCREENSHOT_DIR to keep the screenshot.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

from bgtc_rules import RuleBase, load_dossier
from bgtc_rules.advice.report import Report, build_report
from bgtc_rules.render.html import render_html

from .paths import AS_OF, SCENARIOS
from .test_reports import Element, parse_html

WINDOW = (1280, 2000)
TIMEOUT = 180


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")


def _run_chromium(*args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="bgtc-chromium-") as profile:
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   f"--user-data-dir={profile}", *args]
        return subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)


@pytest.fixture(scope="module")
def report() -> Report:
    dossier = SCENARIOS / "aav_phase12_pediatric_neuro.yaml"
    return build_report(load_dossier(dossier), RuleBase.load(), as_of=AS_OF, source=str(dossier))


@pytest.fixture(scope="module")
def page(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


def test_chromium_builds_the_summary_table_and_the_charts(report: Report, page: Path) -> None:
    result = _run_chromium("--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    dom, builder = parse_html(result.stdout.decode("utf-8"))
    assert builder.errors == []
    rows = dom.find("table", cls="summary").find("tbody").find_all("tr")
    assert [(r.attrs["data-program"], r.attrs["data-determination"]) for r in rows] == \
           [(p.program, p.determination.value) for p in report.assessment.programs]
    assert rows[0].find("a").text() == report.assessment.programs[0].name
    gantt = dom.find("svg", cls="gantt")
    milestones = gantt.find_all("g", cls="milestone")
    assert len(milestones) == len(report.plan.events)
    assert {m.attrs["data-date"] for m in milestones} == {e.date.isoformat() for e in report.plan.events}
    diagrams = dom.find_all("svg", cls="explanation")
    assert [d.attrs["data-program"] for d in diagrams] == [p.assessment.program for p in report.programs]
    assert all(d.find_all("g", cls="node") for d in diagrams)
    sections = dom.find_all("section", cls="program")
    assert len(sections) == len(report.programs)
    # the browser kept every SVG inside its figure (nothing re-nested as invalid)
    assert all(_parent_tag(svg) == "figure" for svg in [gantt, *diagrams])
    assert dom.text().count("Decision support only; not a determination by FDA.") == 1


def _parent_tag(element: Element) -> str:
    return element.parent.tag if element.parent is not None else ""


def _png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed image data (filter bytes included) of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, width, height, idat = 8, 0, 0, b""
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    return width, height, zlib.decompress(idat)


def test_chromium_screenshot_is_a_real_picture(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    result = _run_chromium(f"--screenshot={shot}", f"--window-size={WINDOW[0]},{WINDOW[1]}", page.as_uri())
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    data = shot.read_bytes()
    assert len(data) > 50_000, "a screenshot of the report is far larger than a blank page"
    width, height, pixels = _png_pixels(data)
    assert (width, height) == WINDOW
    white = pixels.count(b"\xff")
    assert white < 0.995 * len(pixels), "the screenshot is (nearly) blank"
    assert len(set(pixels)) > 64, "the screenshot has too few colours to be the report"
    keep = os.environ.get("BGTC_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(keep) / "report.png")

"""The teaching diagrams: notebooks/figures/make_figures.py draws every one, reproducibly.

The script is run into temporary folders (never over the committed figures); we check that
every SVG and PNG is written and sensible, that no label overlaps another or leaves the
figure, that the backward figures (and only they) use the backward colour, and that drawing
again gives byte-identical files.
"""

import importlib.util
import struct
from pathlib import Path

import numpy as np
import pytest
from matplotlib import colors, image

SCRIPT = Path(__file__).resolve().parents[1] / "notebooks" / "figures" / "make_figures.py"
EXPECTED = ("rnn_cell", "rnn_unrolled", "lstm_cell", "rnn_cell_backward", "lstm_cell_backward",
            "rnn_backward_through_time")


@pytest.fixture(scope="module")
def make_figures():
    spec = importlib.util.spec_from_file_location("make_figures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def drawn(make_figures, tmp_path_factory):
    outdir = tmp_path_factory.mktemp("figures")
    return outdir, make_figures.make_all(outdir)


def png_size(path):
    """(width, height) from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_the_figure_list_is_the_expected_one(make_figures):
    assert tuple(make_figures.FIGURES) == EXPECTED


def test_every_file_is_written_and_not_empty(drawn):
    outdir, written = drawn
    want = {f"{name}.{fmt}" for name in EXPECTED for fmt in ("svg", "png")}
    assert {p.name for p in written} == want
    assert {p.name for p in outdir.iterdir()} == want
    for path in written:
        assert path.stat().st_size > 5000, f"{path.name} is suspiciously small"
    for name in EXPECTED:
        svg = (outdir / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg and svg.rstrip().endswith("</svg>")


def test_pngs_have_sensible_sizes_and_a_white_background(drawn):
    outdir, _ = drawn
    for name in EXPECTED:
        path = outdir / f"{name}.png"
        width, height = png_size(path)
        # 8 to 11 inches wide at about 120 dpi, never taller than wide
        assert 900 <= width <= 1400, f"{name}.png is {width} px wide"
        assert 500 <= height <= width, f"{name}.png is {height} px high"
        pixels = image.imread(path)
        assert pixels.shape[:2] == (height, width)
        for corner in (pixels[0, 0], pixels[0, -1], pixels[-1, 0], pixels[-1, -1]):
            assert np.allclose(corner[:3], 1.0), f"{name}.png: corner is not white"


def test_backward_colour_only_in_the_backward_figures(make_figures, drawn):
    outdir, _ = drawn
    bwd = np.array(colors.to_rgb(make_figures.BWD))
    for name in EXPECTED:
        pixels = image.imread(outdir / f"{name}.png")[..., :3]
        share = np.mean(np.all(np.abs(pixels - bwd) < 0.02, axis=-1))
        if "backward" in name:
            assert share > 0.002, f"{name}: hardly any backward-coloured pixels"
        else:
            assert share == 0, f"{name}: a forward figure uses the backward colour"


@pytest.mark.parametrize("name", EXPECTED)
def test_no_label_overlaps_another_or_leaves_the_figure(make_figures, name):
    assert make_figures.layout_problems(name) == []


def test_drawing_again_gives_identical_files(make_figures, drawn, tmp_path):
    outdir, _ = drawn
    again = make_figures.make_all(tmp_path, formats=("svg",))
    assert len(again) == len(EXPECTED)
    for path in again:
        assert path.read_bytes() == (outdir / path.name).read_bytes(), f"{path.name} changed"

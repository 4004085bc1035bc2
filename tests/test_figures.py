"""The teaching diagrams: notebooks/figures/make_figures.py draws every one, reproducibly.

The script is run into temporary folders (never over the committed figures), in English and
in Simplified Chinese (zh-CN); we check that every SVG and PNG is written and sensible, that no
label overlaps another or leaves the figure, that the backward figures (and only they) use the
backward colour, that the gate tints are shared, that each legend lists only what its figure
draws, that the labels the notebooks rely on are there (read from the SVG, where matplotlib
keeps each label's text in a comment), that some arrows go where they should, that drawing
again gives byte-identical files, and that the committed figures are exactly a fresh drawing.
For zh-CN, every words-label has a translation (and every translation is used), the zh-CN
labels are the English ones with their words translated, and the text is stored as paths.

The zh-CN figures need the font of mplfonts==0.0.11 (requirements.txt, which CI
installs): without it their tests fail, saying so; they are never skipped.
"""

import html
import importlib.metadata
import importlib.util
import re
import struct
from pathlib import Path

import numpy as np
import pytest
from matplotlib import colors, image

# course tier: it runs make_figures.py, redrawing every figure in both languages (14 s of CPU)
pytestmark = pytest.mark.course
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "notebooks" / "figures" / "make_figures.py"
LANGS = ("en", "zh-CN")
#: where each language's figures are committed
COMMITTED = {"en": ROOT / "notebooks" / "figures", "zh-CN": ROOT / "notebooks" / "zh-CN" / "figures"}
EXPECTED = ("rnn_cell", "rnn_unrolled", "lstm_cell", "rnn_cell_backward", "lstm_cell_backward",
            "rnn_backward_through_time", "gru_cell", "gru_cell_backward")
BACKWARD = ("rnn_cell_backward", "lstm_cell_backward", "rnn_backward_through_time")


@pytest.fixture(scope="module")
def make_figures():
    spec = importlib.util.spec_from_file_location("make_figures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def need_the_cjk_font(make_figures):
    """Fail (never skip) where the zh-CN figures' font, mplfonts==0.0.11's, is not installed."""
    try:
        make_figures.cjk_font()
        version = importlib.metadata.version("mplfonts")
    except (RuntimeError, importlib.metadata.PackageNotFoundError) as e:
        pytest.fail(f"{e} (the zh-CN figures' tests need it; CI installs it)")
    assert version == "0.0.11", (
        f"mplfonts {version} is installed, but the committed zh-CN figures are drawn with the font "
        "of mplfonts==0.0.11: install requirements.txt")


@pytest.fixture(scope="module", params=LANGS)
def lang(request, make_figures):
    if request.param == "zh-CN":
        need_the_cjk_font(make_figures)
    return request.param


@pytest.fixture(scope="module")
def drawings(make_figures, tmp_path_factory):
    """drawings(lang) -> (outdir, paths written): every figure in lang, drawn once."""
    done = {}

    def draw(lang):
        if lang not in done:
            if lang == "zh-CN":
                need_the_cjk_font(make_figures)
            outdir = tmp_path_factory.mktemp(f"figures-{lang}")
            done[lang] = outdir, make_figures.make_all(outdir, lang=lang)
        return done[lang]

    return draw


@pytest.fixture(scope="module")
def drawn(drawings, lang):
    """Every figure in each language (the tests that use it run once per language)."""
    return drawings(lang)


@pytest.fixture(scope="module")
def drawn_en(drawings):
    """Every figure in English, for the tests of the English words."""
    return drawings("en")


def svg_texts(path):
    """Every label of an SVG drawn by make_figures (matplotlib writes each text as a comment)."""
    svg = path.read_text(encoding="utf-8")
    return [html.unescape(t) for t in re.findall(r"<!-- (.*?) -->", svg, flags=re.S)]


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
def test_no_label_overlaps_another_or_leaves_the_figure(make_figures, name, lang):
    assert make_figures.layout_problems(name, lang=lang) == []


def test_drawing_again_gives_identical_files(make_figures, drawn, lang, tmp_path):
    outdir, _ = drawn
    again = make_figures.make_all(tmp_path, formats=("svg",), lang=lang)
    assert len(again) == len(EXPECTED)
    for path in again:
        assert path.read_bytes() == (outdir / path.name).read_bytes(), f"{path.name} changed"


def test_the_committed_figures_are_exactly_a_fresh_drawing(make_figures, drawn, lang):
    """The committed SVGs and PNGs are what the script draws now, byte for byte."""
    outdir, written = drawn
    committed = COMMITTED[lang]
    assert Path(make_figures.OUTDIRS[lang]) == committed
    images = {p.name for p in committed.iterdir() if p.suffix in (".svg", ".png")}
    assert images == {p.name for p in written}
    for path in written:
        assert path.read_bytes() == (committed / path.name).read_bytes(), (
            f"{committed / path.name} is not what make_figures.py draws: redraw it with "
            f"python notebooks/figures/make_figures.py --lang {lang} (or, if only matplotlib's "
            "version differs, check that the change is nothing but bytes)")


def test_text_is_stored_as_paths(drawn):
    """No <text> elements and no fonts in the SVGs: no viewer needs the (CJK) font."""
    outdir, _ = drawn
    for name in EXPECTED:
        svg = (outdir / f"{name}.svg").read_text(encoding="utf-8")
        for needle in ("<text", "font-family", "@font-face", "font:"):
            assert needle not in svg, f"{name}.svg: {needle}"


def test_the_gate_tints_are_shared_between_the_forward_and_backward_figures(make_figures, drawn):
    outdir, _ = drawn

    def has(name, colour):
        pixels = image.imread(outdir / f"{name}.png")[..., :3]
        rgb = np.array(colors.to_rgb(colour))
        return np.mean(np.all(np.abs(pixels - rgb) < 0.01, axis=-1)) > 0.001

    for gate in "fico":
        colour = make_figures.GATE_FC[gate]
        assert has("lstm_cell", colour) and has("lstm_cell_backward", colour), gate
    # the GRU's update gate and candidate take the LSTM's update-gate and candidate tints
    for gate in "icr":
        assert has("gru_cell", make_figures.GATE_FC[gate]), gate


# what each backward figure's legend (key) says, in order
LEGENDS = {
    "rnn_cell_backward": ["backward (gradient)", "elementwise product (NumPy's *)",
                          "matrix product (np.dot)"],
    "lstm_cell_backward": ["backward (gradient)", "elementwise product (NumPy's *)",
                           "matrix product (np.dot)", "sum over the m examples"],
    "rnn_backward_through_time": [],
}


@pytest.mark.parametrize("name", BACKWARD)
def test_the_backward_legends_have_the_entries_they_need(make_figures, drawn, lang, name):
    sketch = make_figures.DRAW[name](lang)
    assert [label for *_, label in sketch.legend_entries] == LEGENDS[name]
    texts = svg_texts(drawn[0] / f"{name}.svg")
    for label in LEGENDS[name]:
        assert make_figures.translate(label, lang) in texts, label
    assert "forward" not in texts and "前向" not in texts


@pytest.mark.parametrize("name", sorted(BACKWARD))  # the figures with a legend of arrows
def test_a_legend_shows_only_kinds_of_arrow_the_figure_draws(make_figures, name, lang):
    sketch = make_figures.DRAW[name](lang)
    drawn_colours = {colour for colour, *_ in sketch.arrows}
    for kind, mark, label in sketch.legend_entries:
        if kind == "arrow":
            assert mark in drawn_colours, f"{name}: the legend's {label!r} arrow is never drawn"
    # the backward figures draw gradients only
    if name in BACKWARD:
        assert drawn_colours == {make_figures.BWD}


def test_rnn_cell_backward_labels(drawn_en):
    """The names of rnn_reference/rnn.py: dz, the gradient of z (the value inside the tanh)."""
    texts = svg_texts(drawn_en[0] / "rnn_cell_backward.svg")
    joined = "\n".join(texts)
    assert "dz = (1 - a_next$^2$) * da_next" in texts
    assert "dz" in texts  # the label on the line out of tanh'
    assert "da_prev = $W_{aa}^T$ $\\cdot$ dz" in texts
    assert "= $W_{ax}^T$ $\\cdot$ dz" in texts
    for formula in (r"= dz $\cdot$ xt$^T$", r"= dz $\cdot$ a_prev$^T$", r"= $\sum_m$ dz"):
        assert formula in texts, formula
    assert any(t.startswith("$z = W_{ax} \\cdot") and "inside the tanh" in t for t in texts)
    assert "dtanh" not in joined


def test_lstm_cell_backward_labels(drawn_en):
    texts = svg_texts(drawn_en[0] / "lstm_cell_backward.svg")
    joined = "\n".join(texts)
    # the memory's total gradient is dc_total, and it gives dc_prev
    assert "dc_total = dc_next + da_next * ot * (1 - tanh$^2$(c_next))" in texts
    assert "dc_prev  = dc_total * ft" in texts
    assert "dc_total" in texts  # the label on the memory line
    assert "δ" not in joined and r"\delta" not in joined
    # the gate gradients are dz_g, the code's names, and the notation is defined
    for g in "fico":
        assert f"dz_{g}" in texts
        assert f"dW{g} = dz_{g} $\\cdot$ concat$^T$" in texts
        assert f"db{g} = $\\Sigma_m$ dz_{g}" in texts
    assert "dz_f, dz_i, dz_c, dz_o" in texts
    assert r"$g \in \{f, i, c, o\}$" in joined and r"$z_g = W_g \cdot" in joined
    assert r"$\Gamma_g = \sigma(z_g)$, $\tilde{c} = \tanh(z_c)$" in joined
    assert "dz_g is the gradient of $z_g$" in joined
    # no older names: gamma for the pre-activations, or dft, dit, dcct, dot for their gradients
    assert "gamma" not in joined and "γ" not in joined
    for old in ("dft", "dit", "dcct", "(dot)"):
        assert old not in joined, old
    # one symbol per product: * elementwise, \cdot for matrix products only, no \times
    assert r"\times" not in joined
    for t in texts:
        if r"\cdot" in t:
            assert t.startswith("dW") or "W$_g$" in t or "W_g" in t or t == r"$\cdot$", t
    for t in texts:
        if t.startswith("*"):
            assert r"\cdot" not in t


def arrows_into(sketch, node):
    """The arrows (with a head) that end on node's edge and start outside it."""
    def on_edge(pt):
        x, y = pt
        left, right = node.cx - node.w / 2, node.cx + node.w / 2
        bottom, top = node.cy - node.h / 2, node.cy + node.h / 2
        inside_x, inside_y = left - 1e-9 <= x <= right + 1e-9, bottom - 1e-9 <= y <= top + 1e-9
        return (inside_y and min(abs(x - left), abs(x - right)) < 1e-9) or (
            inside_x and min(abs(y - bottom), abs(y - top)) < 1e-9)

    def outside(pt):
        return abs(pt[0] - node.cx) > node.w / 2 + 1e-9 or abs(pt[1] - node.cy) > node.h / 2 + 1e-9

    into = [pts for _, pts, head in sketch.arrows if head and on_edge(pts[-1]) and outside(pts[0])]
    out = [pts for _, pts, _ in sketch.arrows if on_edge(pts[0]) and outside(pts[-1])]
    return into, out


def test_lstm_cell_backward_da_prev_and_dxt_each_have_input_and_output_arrows(make_figures):
    sketch = make_figures.lstm_cell_backward()
    for name in ("da_prev", "dxt"):
        into, out = arrows_into(sketch, sketch.nodes[name])
        assert into, f"nothing flows into the {name} box"
        assert out, f"nothing flows out of the {name} box"


def test_lstm_cell_labels_the_softmax_parameters(drawn):
    texts = svg_texts(drawn[0] / "lstm_cell.svg")
    assert r"$W_y,\ b_y$" in texts


def test_gru_cell_labels_and_arrows(make_figures, drawn_en):
    texts = svg_texts(drawn_en[0] / "gru_cell.svg")
    joined = "\n".join(texts)
    for code in ("a_prev", "xt", "a_next", "yt_pred"):
        assert code in texts, code
    for label in (r"$\Gamma_r$ (rt)", r"$\Gamma_u$ (ut)", r"$\tilde{c}$ (cct)", r"$1 - \Gamma_u$",
                  r"$W_y,\ b_y$", "reset", "update", "candidate"):
        assert label in texts, label
    for piece in (r"\Gamma_r = \sigma(W_r", r"\Gamma_u = \sigma(W_u", r"\tanh(W_c\,[\Gamma_r * ",
                  r" = \Gamma_u * \tilde{c}", r"(1 - \Gamma_u) * a", r"\mathrm{softmax}(W_y"):
        assert piece in joined, piece
    sketch = make_figures.gru_cell()
    # the update gate's value reaches both products of the mix; (1 - Gamma_u) reaches the state line
    for name in ("times_one_minus", "times_update", "times_reset", "one_minus", "c"):
        into, _ = arrows_into(sketch, sketch.nodes[name])
        assert into, f"nothing flows into {name}"
    mix_inputs, _ = arrows_into(sketch, sketch.nodes["times_one_minus"])
    one_minus = sketch.nodes["one_minus"]
    assert any(pts[0] == one_minus.top() for pts in mix_inputs)
    assert len(arrows_into(sketch, sketch.nodes["times_update"])[0]) == 2
    assert len(arrows_into(sketch, sketch.nodes["plus"])[0]) == 2


# ---------------------------------------------------------------------------- the zh-CN figures

def english_words(make_figures):
    """The words-labels that the figures draw, in English (name -> list)."""
    return {name: make_figures.DRAW[name]().words for name in EXPECTED}


def test_every_words_label_has_a_translation_and_every_translation_is_used(make_figures):
    drawn_words = {w for words in english_words(make_figures).values() for w in words}
    assert sorted(drawn_words - make_figures.ZH_CN.keys()) == [], "words-labels with no zh-CN"
    assert sorted(make_figures.ZH_CN.keys() - drawn_words) == [], "zh-CN entries never drawn"


def test_what_counts_as_words(make_figures):
    is_words = make_figures.is_words
    for label in ("RNN cell", "forget", "step $t = 1$", "from $\\hat{y}^{\\langle 1 \\rangle}$",
                  "matrix product (np.dot)"):
        assert is_words(label), label
    for label in ("tanh", "tanh$'$", "softmax", r"$W_y,\ b_y$", r"$\cdots$", "+", r"$\times$"):
        assert not is_words(label), label


def test_the_translations_keep_the_equations_and_are_chinese(make_figures):
    """Each translation has Chinese in it, the same $...$ mathtext, and no Latin name of its own."""
    def names(label):  # the Latin names outside the mathtext (code names, RNN, NumPy, ...)
        return set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", re.sub(r"\$[^$]*\$", "", label)))

    for english, chinese in make_figures.ZH_CN.items():
        math = sorted(re.findall(r"\$[^$]*\$", chinese))  # in the order Chinese puts them
        assert math == sorted(re.findall(r"\$[^$]*\$", english)), english
        assert re.search(r"[\u4e00-\u9fff]", chinese), f"{english!r}: no Chinese in {chinese!r}"
        assert names(chinese) <= names(english), chinese


def test_a_words_label_without_a_translation_is_an_error(make_figures, monkeypatch):
    need_the_cjk_font(make_figures)
    monkeypatch.delitem(make_figures.ZH_CN, "RNN cell")
    with pytest.raises(KeyError, match="'RNN cell' has no zh-CN translation"):
        make_figures.rnn_unrolled("zh-CN")
    assert make_figures.rnn_unrolled("en").words[0] == "RNN cell"  # English needs no entry


@pytest.mark.parametrize("name", EXPECTED)
def test_the_zh_cn_labels_are_the_english_ones_with_their_words_translated(make_figures, name):
    need_the_cjk_font(make_figures)
    en, zh = make_figures.DRAW[name]("en"), make_figures.DRAW[name]("zh-CN")
    assert len(en.ax.texts) == len(zh.ax.texts)
    font = str(make_figures.cjk_font())
    for e, z in zip(en.ax.texts, zh.ax.texts):
        assert z.get_text() == make_figures.ZH_CN.get(e.get_text(), e.get_text())
        assert z.get_position() == e.get_position()
        # the Chinese font for the words only; symbols and code names keep the English fonts
        translated = e.get_text() in make_figures.ZH_CN
        assert (z.get_fontproperties().get_file() == font) == translated, e.get_text()
        assert translated or z.get_fontproperties() == e.get_fontproperties(), e.get_text()


def test_the_zh_cn_svgs_hold_no_english_words_label(make_figures, drawings):
    outdir, _ = drawings("zh-CN")
    words = english_words(make_figures)
    for name in EXPECTED:
        texts = svg_texts(outdir / f"{name}.svg")
        assert not set(texts) & make_figures.ZH_CN.keys(), name
        for w in words[name]:
            assert make_figures.ZH_CN[w] in texts, (name, w)


def test_drawing_in_zh_cn_changes_no_global_matplotlib_state(make_figures, tmp_path):
    need_the_cjk_font(make_figures)
    from matplotlib import font_manager, rcParams

    before, fonts = dict(rcParams), list(font_manager.fontManager.ttflist)
    make_figures.make_all(tmp_path, names=("rnn_cell",), formats=("png",), lang="zh-CN")
    assert dict(rcParams) == before
    assert font_manager.fontManager.ttflist == fonts


def test_the_command_line_takes_a_language_and_a_folder(make_figures, tmp_path, capsys):
    need_the_cjk_font(make_figures)
    make_figures.main(["--lang", "zh-CN", str(tmp_path)])
    printed = capsys.readouterr().out.split()
    assert sorted(printed) == sorted(str(tmp_path / f"{n}.{f}") for n in EXPECTED for f in ("svg", "png"))
    assert make_figures.OUTDIRS == {"en": COMMITTED["en"], "zh-CN": COMMITTED["zh-CN"]}
    with pytest.raises(SystemExit):
        make_figures.main(["--lang", "fr"])


def test_gru_cell_backward_draws_the_four_paths_into_da_prev(make_figures, drawn_en):
    texts = svg_texts(drawn_en[0] / "gru_cell_backward.svg")
    for label in ("da_next", "da_prev", "da_reset", "dz_u", "dz_c", "dz_r", r"$*\,(1 - \Gamma_u)$",
                  r"$*\,\Gamma_r$", "$W_u[:, :n_a]^T$", "$W_c[:, :n_a]^T$", "$W_r[:, :n_a]^T$"):
        assert label in texts, label
    for number in "1234":
        assert any(text.startswith(number + " ") for text in texts), number
    sketch = make_figures.gru_cell_backward()
    plus = sketch.nodes["sum"]
    into_sum = [points for color, points, head in sketch.arrows
                if head and color == make_figures.BWD and abs(points[-1][0] - plus.cx) < 0.2
                and abs(points[-1][1] - plus.cy) < 0.3]
    assert len(into_sum) == 4, into_sum  # the four paths, summed

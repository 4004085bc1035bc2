"""The training notebooks' figures (rnn_utils.plots) in Chinese and in English.

After set_language("zh-CN"), every text of a figure that has words is Chinese and is drawn in
the CJK font (mplfonts' Noto Sans CJK SC), also when the figure is drawn after it was made, with
no missing glyph and no warning; mathtext stays as it is. In English the texts are exactly what
they were before the figures were translated. Without a CJK font, a Chinese figure keeps its
English words. Making and drawing a figure leaves matplotlib's global settings as they were.
"""

import logging
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from rnn_utils import plots
from rnn_utils.fonts import cjk_font_file
from rnn_utils.i18n import DOMAINS, set_language
from rnn_utils.train import CharTrainingResult, TrainingResult, adding_problem, memory_unit

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.text import Text  # noqa: E402

# course tier: it draws every training figure in two languages and checks the catalogues in a subprocess
pytestmark = pytest.mark.course
ROOT = Path(__file__).resolve().parent.parent
LC_MESSAGES = ROOT / "rnn_utils" / "locale" / "zh_CN" / "LC_MESSAGES"
CJK = re.compile(r"[\u4e00-\u9fff]")
#: English words a Chinese text may keep: the cells', the optimizer's and the loss's names
NAMES = {"RNN", "LSTM", "GRU", "MSE", "Adam", "T_x"}


def _figures():
    """{name: a function that draws one figure}, on small made-up results (seconds to draw)."""
    rng = np.random.default_rng(0)
    x, y = adding_problem(m=5, T_x=6, rng=0)
    gates = {name: rng.random((4, 5, 6)) for name in ("ft", "it", "c")}
    reading = memory_unit(gates, x, y)
    char = CharTrainingResult({}, np.linspace(3, 1, 30), np.array([0, 10, 20]), np.array([3, 2, 2.5]))

    def run(mse):
        return TrainingResult({}, np.linspace(1, 0.01, 40), mse, {})

    return {
        "losses": lambda: plots.plot_losses(
            {4: {"rnn": [run(0.1), run(0.2)], "lstm": run(0.01)}, 8: {"gru": run(0.05)}}, window=5),
        "gradient_norms": lambda: plots.plot_gradient_norms(
            {("rnn", "untrained"): [np.linspace(1, 0.1, 6)] * 2,
             ("lstm", "trained"): np.linspace(1, 0.5, 6)}, 6),
        "lstm_gates": lambda: plots.plot_lstm_gates(x, gates, 1),
        "memory_unit": lambda: plots.plot_memory_unit({0: reading, 3: reading}),
        "char_losses": lambda: plots.plot_char_losses({0: char, 1: char}, 20, window=5),
        "char_losses_one": lambda: plots.plot_char_losses(char, 20),
        "step_jacobians": lambda: plots.plot_step_jacobians(
            {"vanishing": np.geomspace(1, 1e-6, 6), "exploding": np.geomspace(1, 100, 6)},
            {"vanishing": np.full(5, 0.5), "exploding": np.full(5, 2.0)}),
    }


#: the texts with words of each figure in English, as the figures said them before they were
#: translated (in the order of fig.findobj)
ENGLISH = {
    "losses": [
        "training step (Adam, one fresh batch per step)",
        "training MSE (log scale; bold: mean of 5 steps)",
        "adding problem, sequences of T_x = 4 steps",
        "basic RNN (test MSE 0.1000 - 0.2000 over 2 seeds)",
        "LSTM (test MSE 0.0100)",
        "baseline: always predict 1 (MSE 0.167)",
        "training step (Adam, one fresh batch per step)",
        "adding problem, sequences of T_x = 8 steps",
        "GRU (test MSE 0.0500)",
        "baseline: always predict 1 (MSE 0.167)",
    ],
    "gradient_norms": [
        "steps before the end of the sequence, $T_x - t$",
        r"$\Vert \partial \mathcal{J} / \partial a^{\langle t \rangle} \Vert \;/\; "
        r"\Vert \partial \mathcal{J} / \partial a^{\langle T_x \rangle} \Vert$ (log scale)",
        "How far back the gradient reaches (T_x = 6, mean over the test batch)",
        "basic RNN, untrained (2 seeds)",
        "LSTM, trained",
    ],
    "lstm_gates": [
        "input",
        "One test example: the marked numbers add up to 0.06; in red, unit 1",
        "number",
        "marked number",
        "hidden unit",
        "forget gate\n" r"$\Gamma_f^{\langle t \rangle}$",
        "hidden unit",
        "update gate\n" r"$\Gamma_i^{\langle t \rangle}$",
        "time step t (dashed red lines: the marked steps)",
        "memory cell\n" r"$c^{\langle t \rangle}$",
        "unit 1",
        "the other units",
    ],
    "memory_unit": [
        "the first marked number",
        "change of the unit's memory\n" r"at the first mark, $c^{\langle t_1 \rangle} - "
        r"c^{\langle t_1 - 1 \rangle}$",
        "At the first mark (5 test examples)",
        "r: correlation",
        "seed 0, unit 0: r = +0.137",
        "seed 3, unit 0: r = +0.137",
        "the target: the sum of the two marked numbers",
        "the unit's memory\n" r"at the end, $c^{\langle T_x \rangle}$",
        "At the end (5 test examples)",
        "r: correlation",
        "seed 0, unit 0: r = -0.901",
        "seed 3, unit 0: r = -0.901",
    ],
    "char_losses": [
        "training step",
        "cross-entropy per character (nats)",
        "Character-level LSTM, seeds 0, 1",
        "training batches (mean of 5 steps)",
        "held-out text",
        "uniform guess over 20 characters",
    ],
    "step_jacobians": [
        "steps back from the last step, k",
        "gradient k steps back / at the last step (log scale)",
        "The gradient reaching each earlier step",
        "vanishing",
        "exploding",
        "time step t",
        r"largest singular value of $J^{\langle t \rangle}$",
        "What each step back can do to it",
        "vanishing",
        "exploding",
        "1: neither stretches nor shrinks",
    ],
    "char_losses_one": [
        "training step",
        "cross-entropy per character (nats)",
        "Character-level LSTM",
        "training batches (mean of 25 steps)",
        "held-out text",
        "uniform guess over 20 characters",
    ],
}


def _words(text):
    """The text without its $...$ mathtext, if it has words (two letters in a row), else None."""
    rest = re.sub(r"\$[^$]*\$", "", text)
    return rest if re.search(r"[A-Za-z]{2,}", rest) or CJK.search(rest) else None


def _worded(fig):
    """The Text objects of a figure that have words (not the tick labels' numbers)."""
    return [t for t in fig.findobj(Text) if _words(t.get_text())]


def _drawn(name, caplog):
    """(the figure, drawn after it was made, as plt.show() does), failing on any warning:
    a Python warning (e.g. "Glyph ... missing from font") or a logged one (findfont's)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with caplog.at_level(logging.WARNING):
            fig = _figures()[name]()
            fig.canvas.draw()
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    return fig


@pytest.fixture(autouse=True)
def english_after():
    """Every test leaves the messages in English and closes its figures."""
    yield
    set_language("en")
    plt.close("all")


@pytest.fixture
def cjk_font():
    """The family of mplfonts' Noto Sans CJK SC, which the figures draw Chinese in."""
    if cjk_font_file() is None:  # as tests/test_figures.py: never a silent skip
        pytest.fail("the Chinese plots need the font of mplfonts: pip install -r requirements.txt",
                    pytrace=False)
    family = plots.cjk_font()
    assert family == "Noto Sans CJK SC"
    return family


@pytest.mark.parametrize("name", ENGLISH)
def test_in_english_the_texts_are_as_before(name, caplog):
    fig = _drawn(name, caplog)
    assert [t.get_text() for t in _worded(fig)] == ENGLISH[name]
    assert all(t.get_fontfamily() == matplotlib.rcParams["font.family"] for t in _worded(fig))


@pytest.mark.parametrize("name", ENGLISH)
def test_in_chinese_every_text_with_words_is_chinese_in_the_cjk_font(name, cjk_font, caplog):
    set_language("zh-CN")
    before = dict(matplotlib.rcParams)
    fig = _drawn(name, caplog)
    assert dict(matplotlib.rcParams) == before
    texts = _worded(fig)
    assert len(texts) == len(ENGLISH[name])
    for text, english in zip(texts, ENGLISH[name]):
        chinese = text.get_text()
        assert CJK.search(_words(chinese)), chinese
        left = re.findall(r"[A-Za-z_]{2,}", _words(chinese))
        assert set(left) <= NAMES, (chinese, left)
        assert re.findall(r"\$[^$]*\$", chinese) == re.findall(r"\$[^$]*\$", english)
        assert text.get_fontfamily()[0] == cjk_font, chinese


def test_the_cell_names_and_stages_are_translated(cjk_font):
    set_language("zh-CN")
    assert plots._(plots.NAMES["rnn"]) == "基本 RNN"
    assert [plots._(stage) for stage in ("untrained", "trained")] == ["未训练", "训练后"]


@pytest.mark.parametrize("name", ENGLISH)
def test_without_a_cjk_font_a_chinese_figure_keeps_its_english_words(name, monkeypatch, caplog):
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    set_language("zh-CN")
    fig = _drawn(name, caplog)
    assert [t.get_text() for t in _worded(fig)] == ENGLISH[name]
    assert all(t.get_fontfamily() == matplotlib.rcParams["font.family"] for t in _worded(fig))


def test_the_plots_catalogue_is_up_to_date_complete_and_compiled():
    """tools/messages.py --check has nothing to say about plots.po (test_messages.py checks all)."""
    done = subprocess.run([sys.executable, "tools/messages.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert "plots" in DOMAINS and (LC_MESSAGES / "plots.mo").exists()
    for domain in DOMAINS:  # plots.py's messages are in the plots catalogue only (the help
        po = LC_MESSAGES / f"{domain}.po"  # catalogue holds its functions' docstrings, for help())
        assert ("#: rnn_utils/plots.py" in po.read_text(encoding="utf-8")) == (domain in ("plots", "help"))
    assert not [line for line in done.stdout.splitlines() if "plots." in line], done.stdout


def test_the_learner_requirements_install_the_chinese_font():
    """A learner who installs requirements.txt alone gets the font of the Chinese plots (issue 27)."""
    import importlib.metadata

    def pins(name):
        text = (ROOT / name).read_text(encoding="utf-8")
        return [line.split("#", 1)[0].strip() for line in text.splitlines() if line.split("#", 1)[0].strip()]

    assert "mplfonts==0.0.11" in pins("requirements.txt")
    assert not [pin for pin in pins("requirements-instructor.txt") if pin.startswith("mplfonts")]
    assert importlib.metadata.version("mplfonts") == "0.0.11"
    path = cjk_font_file()
    assert path is not None and path.name == "NotoSansCJKsc-Regular.otf" and path.stat().st_size > 10**7

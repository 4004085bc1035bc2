"""The figures of the training notebooks (05_why_lstm, 07_three_cells) and of scripts/train_adding.py.

Each function draws one matplotlib figure and returns it; the caller shows it (plt.show())
or saves it (fig.savefig). matplotlib is imported when a function is called, so that
rnn_utils itself does not need it.

The words of the figures are in the language chosen with rnn_utils.i18n.set_language (the
``plots`` message catalogue). Chinese words need a CJK font: a figure in Chinese is drawn in
the first one found (``cjk_font``); if there is none, it keeps its English words rather than
drawing empty boxes. Symbols and ``$...$`` mathtext are the same in every language.
"""

import functools

import numpy as np

from rnn_utils.cells import CELLS
from rnn_utils.fonts import cjk_font_file
from rnn_utils.i18n import N_, language, register_docstrings
from rnn_utils.i18n import _ as _translated
from rnn_utils.train import BASELINE_MSE

__all__ = ["moving_average", "plot_losses", "plot_gradient_norms", "plot_step_jacobians", "plot_lstm_gates",
           "plot_memory_unit", "plot_char_losses"]

COLORS = {name: cell.color for name, cell in CELLS.items()}  # each cell's colour, from its description
NAMES = {name: cell.title for name, cell in CELLS.items()}  # "basic RNN", "LSTM", "GRU"
#: words stored in English and translated where a figure shows them: the cells' titles that
#: have words (NAMES), the stages of plot_gradient_norms
SHOWN_WORDS = (N_("basic RNN"), N_("untrained"), N_("trained"), N_("vanishing"), N_("exploding"))

#: CJK font families that matplotlib may already know, tried in this order after mplfonts' font
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei",
                "Microsoft YaHei", "PingFang SC", "Heiti SC")


@functools.cache
def cjk_font():
    """
    The family of the font in which the figures draw Chinese words, or None if there is none.

    It is Noto Sans CJK SC from the mplfonts package (requirements.txt), registered
    with matplotlib's font manager the first time, if mplfonts is installed; else the first of
    CJK_FAMILIES that matplotlib's font manager knows.
    """
    from matplotlib import font_manager

    path = cjk_font_file()
    if path is not None:
        font_manager.fontManager.addfont(path)
        return font_manager.get_font(path).family_name
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in known), None)


def _(message):
    """
    message in the language chosen with set_language, if the figures can draw it; else as written.

    A figure shows Chinese words only when a CJK font is found (cjk_font): without one it keeps
    its English words. (Texts wrapped in _() are gathered into the plots catalogue.)
    """
    if language() == "en" or cjk_font() is None:
        return message
    return _translated(message)


def _in_language(plot):
    """
    plot, creating its figure in the font of the chosen language.

    In Chinese, the CJK font (cjk_font) comes first in font.family while the figure is made
    (matplotlib's rc_context: the global settings are left as they were). Every text takes its
    font when it is created, so it keeps it when the figure is drawn later.
    """
    @functools.wraps(plot)
    def in_language(*args, **kwargs):
        import matplotlib

        family = None if language() == "en" else cjk_font()
        settings = {"font.family": [family, *matplotlib.rcParams["font.family"]]} if family else {}
        with matplotlib.rc_context(settings):
            return plot(*args, **kwargs)
    return in_language


def moving_average(values, window):
    """
    Mean of every `window` consecutive values (fewer at the start).

    Arguments:
    values -- numpy array of shape (n,); window -- a positive int

    Returns:
    smooth -- numpy array of shape (n,): smooth[i] is the mean of values[max(0, i - window + 1) : i + 1]
    """
    values = np.asarray(values, dtype=float)
    sums = np.cumsum(np.concatenate(([0.0], values)))
    idx = np.arange(1, len(values) + 1)
    lo = np.maximum(0, idx - window)
    return (sums[idx] - sums[lo]) / (idx - lo)


def _bold(text):
    """
    Draws a text of numbers (no words) in bold, in its fonts other than the CJK ones.

    A CJK font may have no bold face (mplfonts' has none), and matplotlib warns when it finds
    none; the figure's other fonts have one.
    """
    families = text.get_fontfamily()
    text.set_fontfamily([family for family in families if family not in CJK_FAMILIES] or families)
    text.set_fontweight("bold")


def _runs(value):
    """A list of runs: the value itself if it is a list or tuple, else [value]."""
    return list(value) if isinstance(value, (list, tuple)) and not hasattr(value, "_fields") else [value]


def _seeds_label(values, fmt):
    """'0.0123' for one value, '0.0123 - 0.0456 over 3 seeds' for several."""
    if len(values) == 1:
        return format(values[0], fmt)
    return _("{low} - {high} over {count} seeds").format(
        low=format(min(values), fmt), high=format(max(values), fmt), count=len(values))


@_in_language
def plot_losses(results, window=25):
    """
    Training loss of each model against the mean-predicting baseline, one panel per length.

    Arguments:
    results -- python dictionary {T_x: {cell: runs}}, cell "rnn", "lstm" or "gru", where runs is a
               TrainingResult or a list of them (one per seed: each is drawn)
    window -- the training losses are smoothed over this many steps

    Returns:
    fig -- the matplotlib figure
    """
    import matplotlib.pyplot as plt

    lengths = sorted(results)
    fig, axes = plt.subplots(1, len(lengths), figsize=(5.2 * len(lengths), 4), sharey=True,
                             squeeze=False)
    for ax, T_x in zip(axes[0], lengths):
        for cell, runs in results[T_x].items():
            runs = _runs(runs)
            mse = _seeds_label([run.test_mse for run in runs], ".4f")
            for i, run in enumerate(runs):
                ax.plot(run.losses, color=COLORS[cell], alpha=0.12, linewidth=0.6)
                ax.plot(moving_average(run.losses, window), color=COLORS[cell], linewidth=1.6,
                        label=_("{name} (test MSE {mse})").format(name=_(NAMES[cell]), mse=mse)
                        if i == 0 else None)
        ax.axhline(BASELINE_MSE, color="black", linestyle="--", linewidth=1.2,
                   label=_("baseline: always predict 1 (MSE {mse})").format(mse=f"{BASELINE_MSE:.3f}"))
        ax.set_yscale("log")
        ax.set_ylim(1e-4, 10.0)
        ax.set_title(_("adding problem, sequences of T_x = {T_x} steps").format(T_x=T_x))
        ax.set_xlabel(_("training step (Adam, one fresh batch per step)"))
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(loc="upper right", fontsize=8)
    axes[0, 0].set_ylabel(_("training MSE (log scale; bold: mean of {window} steps)").format(window=window))
    fig.tight_layout()
    return fig


@_in_language
def plot_gradient_norms(norms, T_x):
    """
    How much of the loss's gradient reaches each hidden state, by distance from the end.

    Arguments:
    norms -- python dictionary {(cell, stage): values}, cell "rnn", "lstm" or "gru", stage
             "untrained" or "trained", values a numpy array of shape (T_x,) as from
             hidden_state_gradient_norms(), or a list of them (one per seed: each is drawn)
    T_x -- the sequence length

    Returns:
    fig -- the matplotlib figure
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for (cell, stage), runs in norms.items():
        runs = _runs(runs)
        if len(runs) > 1:
            label = _("{name}, {stage} ({count} seeds)").format(name=_(NAMES[cell]), stage=_(stage),
                                                                count=len(runs))
        else:
            label = _("{name}, {stage}").format(name=_(NAMES[cell]), stage=_(stage))
        for i, values in enumerate(runs):
            ax.plot(np.arange(len(values)), values / values[0], color=COLORS[cell],
                    linestyle="-" if stage == "trained" else ":", linewidth=1.8,
                    label=label if i == 0 else None)
    ax.set_yscale("log")
    ax.set_xlim(0, T_x - 1)
    ax.set_xlabel(_("steps before the end of the sequence, $T_x - t$"))
    ratio = (r"$\Vert \partial \mathcal{J} / \partial a^{\langle t \rangle} \Vert \;/\; "
             r"\Vert \partial \mathcal{J} / \partial a^{\langle T_x \rangle} \Vert$")
    ax.set_ylabel(_("{ratio} (log scale)").format(ratio=ratio))
    ax.set_title(_("How far back the gradient reaches (T_x = {T_x}, mean over the test batch)")
                 .format(T_x=T_x))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


@_in_language
def plot_step_jacobians(reach, largest):
    """
    Vanishing beside exploding: the gradient through an untrained basic RNN, and what decides it.

    Left, the size of the gradient that reaches each earlier step, relative to its size at the
    last step (log scale); right, the largest singular value of each step Jacobian
    J<t> = Waa^T diag(1 - a<t>^2), against the line 1. One colour per network.

    Arguments:
    reach -- python dictionary {name: sizes}, sizes a numpy array of shape (T_x,): sizes[k] is
             the size of the gradient k steps before the end (sizes[0] at the last step)
    largest -- python dictionary {name: values}, the same names, values of shape (T_x - 1,): the
               largest singular value of J<t> for t = 2 ... T_x

    Returns:
    fig -- the matplotlib figure
    """
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    for i, name in enumerate(reach):
        color = plt.get_cmap("tab10")(i + 3)
        sizes = np.asarray(reach[name], dtype=float)
        left.plot(np.arange(len(sizes)), sizes / sizes[0], color=color, linewidth=2, label=_(name))
        values = np.asarray(largest[name], dtype=float)
        right.plot(np.arange(2, len(values) + 2), values, color=color, linewidth=2, marker="o",
                   markersize=3, label=_(name))
    left.set_yscale("log")
    left.set_xlabel(_("steps back from the last step, k"))
    left.set_ylabel(_("gradient k steps back / at the last step (log scale)"))
    left.set_title(_("The gradient reaching each earlier step"))
    right.axhline(1, color="black", linewidth=0.8, linestyle="--",
                  label=_("1: neither stretches nor shrinks"))
    right.set_xlabel(_("time step t"))
    right.set_ylabel(_("largest singular value of {jacobian}").format(
        jacobian=r"$J^{\langle t \rangle}$"))
    right.set_title(_("What each step back can do to it"))
    for ax in (left, right):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


@_in_language
def plot_lstm_gates(x, gates, unit, example=0):
    """
    One example of the adding problem: its inputs, the forget and update gates, the memory cells.

    Arguments:
    x -- inputs, numpy array of shape (2, m, T_x) (numbers and markers)
    gates -- python dictionary from lstm_gates(): ft, it and c, each of shape (n_a, m, T_x)
    unit -- the hidden unit to draw in red (as from memory_unit(gates, x, y).unit)
    example -- which of the m examples to draw

    Returns:
    fig -- the matplotlib figure
    """
    import matplotlib.pyplot as plt

    T_x = x.shape[2]
    n_a = gates["ft"].shape[0]
    steps = np.arange(1, T_x + 1)  # time steps t = 1 ... T_x, as in the text
    marked = np.flatnonzero(x[1, example] > 0.5) + 1
    forget, update = r"$\Gamma_f^{\langle t \rangle}$", r"$\Gamma_i^{\langle t \rangle}$"
    panels = (
        (gates["ft"][:, example], _("forget gate\n{symbol}").format(symbol=forget)),
        (gates["it"][:, example], _("update gate\n{symbol}").format(symbol=update)),
    )
    # a narrow second column holds the colour bars, so that all panels share one time axis
    fig, axes = plt.subplots(4, 2, figsize=(10, 10), squeeze=False,
                             gridspec_kw={"height_ratios": [1, 2, 2, 1.4], "width_ratios": [40, 1]})
    axes[0, 1].axis("off")
    axes[3, 1].axis("off")
    ax = axes[0, 0]
    ax.bar(steps, x[0, example], color="lightgray", width=0.8, label=_("number"))
    ax.bar(marked, x[0, example, marked - 1], color="tab:red", width=0.8, label=_("marked number"))
    ax.set_ylabel(_("input"))
    ax.set_ylim(0, 1.3)
    target = x[0, example, marked - 1].sum()
    ax.set_title(_("One test example: the marked numbers add up to {target}; in red, unit {unit}")
                 .format(target=f"{target:.2f}", unit=unit))
    ax.legend(loc="upper right", fontsize=8, ncol=2)
    for (values, name), ax, cax in zip(panels, axes[1:3, 0], axes[1:3, 1]):
        image = ax.imshow(values, aspect="auto", cmap="viridis", vmin=0, vmax=1,
                          interpolation="nearest", extent=(0.5, T_x + 0.5, n_a - 0.5, -0.5))
        ax.set_ylabel(_("hidden unit"))
        ticks = sorted(set(range(0, n_a, 4 if n_a > 10 else 1)) | {unit})
        ax.set_yticks(ticks)
        ax.set_yticklabels([f"{u} >" if u == unit else str(u) for u in ticks])
        for label, u in zip(ax.get_yticklabels(), ticks):
            if u == unit:  # the unit drawn in red below
                label.set_color("tab:red")
                _bold(label)
        fig.colorbar(image, cax=cax, label=name)
    ax = axes[3, 0]
    for u in range(n_a):
        if u != unit:
            ax.plot(steps, gates["c"][u, example], color="lightgray", linewidth=1)
    ax.plot(steps, gates["c"][unit, example], color="tab:red", linewidth=2.5,
            label=_("unit {unit}").format(unit=unit))
    ax.plot([], [], color="lightgray", label=_("the other units"))
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel(_("memory cell\n{symbol}").format(symbol=r"$c^{\langle t \rangle}$"))
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    for ax in axes[:, 0]:
        ax.set_xlim(0.5, T_x + 0.5)
        for t in marked:
            ax.axvline(t, color="tab:red", linestyle="--", linewidth=1)
    for ax in axes[:-1, 0]:
        ax.tick_params(labelbottom=False)
    axes[-1, 0].set_xlabel(_("time step t (dashed red lines: the marked steps)"))
    fig.align_ylabels(axes[:, 0])
    fig.tight_layout()
    return fig


@_in_language
def plot_memory_unit(readings):
    """
    What the memory unit of a trained LSTM holds, over a test batch: two scatter plots.

    Left, the change of its memory cell at the first marked step against the first marked
    number; right, its memory cell at the last step against the target. One colour per seed.

    Arguments:
    readings -- python dictionary {seed: MemoryUnit}, as from memory_unit(gates, x, y)

    Returns:
    fig -- the matplotlib figure
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), squeeze=False)
    left, right = axes[0]
    for i, (seed, reading) in enumerate(readings.items()):
        color = plt.get_cmap("tab10")(i)
        left.scatter(reading.first_number, reading.jump, s=9, color=color, alpha=0.7,
                     label=_("seed {seed}, unit {unit}: r = {r}").format(
                         seed=seed, unit=reading.unit, r=f"{reading.r_jump:+.3f}"))
        right.scatter(reading.target, reading.final, s=9, color=color, alpha=0.7,
                      label=_("seed {seed}, unit {unit}: r = {r}").format(
                          seed=seed, unit=reading.unit, r=f"{reading.r_final:+.3f}"))
    m = len(next(iter(readings.values())).target)
    left.set_xlabel(_("the first marked number"))
    change = r"$c^{\langle t_1 \rangle} - c^{\langle t_1 - 1 \rangle}$"
    left.set_ylabel(_("change of the unit's memory\nat the first mark, {change}").format(change=change))
    left.set_title(_("At the first mark ({m} test examples)").format(m=m))
    right.set_xlabel(_("the target: the sum of the two marked numbers"))
    memory = r"$c^{\langle T_x \rangle}$"
    right.set_ylabel(_("the unit's memory\nat the end, {memory}").format(memory=memory))
    right.set_title(_("At the end ({m} test examples)").format(m=m))
    for ax in (left, right):
        ax.axhline(0, color="black", linewidth=0.6)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, title=_("r: correlation"), title_fontsize=8)
    fig.tight_layout()
    return fig


@_in_language
def plot_char_losses(runs, vocabulary_size, window=25):
    """
    Loss of the character-level LSTM on its training batches and on a held-out text.

    Arguments:
    runs -- a CharTrainingResult (from train_char_lstm), or a python dictionary {seed: result}
    vocabulary_size -- number of distinct characters (a uniform guess has loss log of it)
    window -- the training losses are smoothed over this many steps

    Returns:
    fig -- the matplotlib figure
    """
    import matplotlib.pyplot as plt

    runs = runs if isinstance(runs, dict) else {None: runs}
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for i, (seed, run) in enumerate(runs.items()):
        first = i == 0
        ax.plot(moving_average(run.losses, window), color=COLORS["lstm"], linewidth=1.6,
                label=_("training batches (mean of {window} steps)").format(window=window) if first else None)
        if len(run.validation_steps):
            ax.plot(run.validation_steps, run.validation_losses, color="tab:green", linewidth=1.6,
                    marker="o", markersize=3, label=_("held-out text") if first else None)
    ax.axhline(np.log(vocabulary_size), color="black", linestyle="--", linewidth=1.2,
               label=_("uniform guess over {count} characters").format(count=vocabulary_size))
    ax.set_ylim(0, np.log(vocabulary_size) * 1.15)
    ax.set_xlabel(_("training step"))
    ax.set_ylabel(_("cross-entropy per character (nats)"))
    seeds = ", ".join(str(seed) for seed in runs if seed is not None)
    ax.set_title(_("Character-level LSTM, seeds {seeds}").format(seeds=seeds) if seeds
                 else _("Character-level LSTM"))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


# help(...) shows these docstrings in the chosen language (the help catalogue, rnn_utils.i18n)
register_docstrings(moving_average, plot_losses, plot_gradient_norms, plot_lstm_gates, plot_memory_unit,
                    plot_char_losses, plot_step_jacobians)

"""The figures of the training notebooks (05_why_lstm, 07_three_cells) and of scripts/train_adding.py.

Each function draws one matplotlib figure and returns it; the caller shows it (plt.show())
or saves it (fig.savefig). matplotlib is imported when a function is called, so that
rnn_utils itself does not need it.
"""

import numpy as np

from rnn_utils.cells import CELLS
from rnn_utils.train import BASELINE_MSE

__all__ = ["moving_average", "plot_losses", "plot_gradient_norms", "plot_lstm_gates", "plot_memory_unit",
           "plot_char_losses"]

COLORS = {"rnn": "tab:orange", "lstm": "tab:blue", "gru": "tab:green"}
NAMES = {name: cell.title for name, cell in CELLS.items()}  # "basic RNN", "LSTM", "GRU"


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


def _runs(value):
    """A list of runs: the value itself if it is a list or tuple, else [value]."""
    return list(value) if isinstance(value, (list, tuple)) and not hasattr(value, "_fields") else [value]


def _seeds_label(values, fmt):
    """'0.0123' for one value, '0.0123 - 0.0456 over 3 seeds' for several."""
    if len(values) == 1:
        return format(values[0], fmt)
    return f"{format(min(values), fmt)} - {format(max(values), fmt)} over {len(values)} seeds"


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
                        label=f"{NAMES[cell]} (test MSE {mse})" if i == 0 else None)
        ax.axhline(BASELINE_MSE, color="black", linestyle="--", linewidth=1.2,
                   label=f"baseline: always predict 1 (MSE {BASELINE_MSE:.3f})")
        ax.set_yscale("log")
        ax.set_ylim(1e-4, 10.0)
        ax.set_title(f"adding problem, sequences of T_x = {T_x} steps")
        ax.set_xlabel("training step (Adam, one fresh batch per step)")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(loc="upper right", fontsize=8)
    axes[0, 0].set_ylabel(f"training MSE (log scale; bold: mean of {window} steps)")
    fig.tight_layout()
    return fig


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
        label = f"{NAMES[cell]}, {stage}" + (f" ({len(runs)} seeds)" if len(runs) > 1 else "")
        for i, values in enumerate(runs):
            ax.plot(np.arange(len(values)), values / values[0], color=COLORS[cell],
                    linestyle="-" if stage == "trained" else ":", linewidth=1.8,
                    label=label if i == 0 else None)
    ax.set_yscale("log")
    ax.set_xlim(0, T_x - 1)
    ax.set_xlabel(r"steps before the end of the sequence, $T_x - t$")
    ax.set_ylabel(r"$\Vert dL/da^{\langle t \rangle} \Vert \;/\; \Vert dL/da^{\langle T_x \rangle} \Vert$"
                  " (log scale)")
    ax.set_title(f"How far back the gradient reaches (T_x = {T_x}, mean over the test batch)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


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
    steps = np.arange(T_x)
    marked = np.flatnonzero(x[1, example] > 0.5)
    panels = (
        (gates["ft"][:, example], "forget gate\n" + r"$\Gamma_f^{\langle t \rangle}$"),
        (gates["it"][:, example], "update gate\n" + r"$\Gamma_i^{\langle t \rangle}$"),
    )
    # a narrow second column holds the colour bars, so that all panels share one time axis
    fig, axes = plt.subplots(4, 2, figsize=(10, 10), squeeze=False,
                             gridspec_kw={"height_ratios": [1, 2, 2, 1.4], "width_ratios": [40, 1]})
    axes[0, 1].axis("off")
    axes[3, 1].axis("off")
    ax = axes[0, 0]
    ax.bar(steps, x[0, example], color="lightgray", width=0.8, label="number")
    ax.bar(marked, x[0, example, marked], color="tab:red", width=0.8, label="marked number")
    ax.set_ylabel("input")
    ax.set_ylim(0, 1.3)
    target = x[0, example, marked].sum()
    ax.set_title(f"One test example: the marked numbers add up to {target:.2f}; in red, unit {unit}")
    ax.legend(loc="upper right", fontsize=8, ncol=2)
    for (values, name), ax, cax in zip(panels, axes[1:3, 0], axes[1:3, 1]):
        image = ax.imshow(values, aspect="auto", cmap="viridis", vmin=0, vmax=1,
                          interpolation="nearest", extent=(-0.5, T_x - 0.5, n_a - 0.5, -0.5))
        ax.set_ylabel("hidden unit")
        ticks = sorted(set(range(0, n_a, 4 if n_a > 10 else 1)) | {unit})
        ax.set_yticks(ticks)
        ax.set_yticklabels([f"{u} >" if u == unit else str(u) for u in ticks])
        for label, u in zip(ax.get_yticklabels(), ticks):
            if u == unit:  # the unit drawn in red below
                label.set_color("tab:red")
                label.set_fontweight("bold")
        fig.colorbar(image, cax=cax, label=name)
    ax = axes[3, 0]
    for u in range(n_a):
        if u != unit:
            ax.plot(steps, gates["c"][u, example], color="lightgray", linewidth=1)
    ax.plot(steps, gates["c"][unit, example], color="tab:red", linewidth=2.5,
            label=f"unit {unit}")
    ax.plot([], [], color="lightgray", label="the other units")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_ylabel("memory cell\n" + r"$c^{\langle t \rangle}$")
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    for ax in axes[:, 0]:
        ax.set_xlim(-0.5, T_x - 0.5)
        for t in marked:
            ax.axvline(t, color="tab:red", linestyle="--", linewidth=1)
    for ax in axes[:-1, 0]:
        ax.tick_params(labelbottom=False)
    axes[-1, 0].set_xlabel("time step t (dashed red lines: the marked steps)")
    fig.align_ylabels(axes[:, 0])
    fig.tight_layout()
    return fig


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

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), squeeze=False)
    left, right = axes[0]
    for i, (seed, reading) in enumerate(readings.items()):
        color = plt.get_cmap("tab10")(i)
        left.scatter(reading.first_number, reading.jump, s=9, color=color, alpha=0.7,
                     label=f"seed {seed}, unit {reading.unit}: r = {reading.r_jump:+.3f}")
        right.scatter(reading.target, reading.final, s=9, color=color, alpha=0.7,
                      label=f"seed {seed}, unit {reading.unit}: r = {reading.r_final:+.3f}")
    m = len(next(iter(readings.values())).target)
    left.set_xlabel("the first marked number")
    left.set_ylabel(r"change of the unit's memory at the first mark, $c^{\langle t_1 \rangle} - "
                    r"c^{\langle t_1 - 1 \rangle}$")
    left.set_title(f"At the first mark ({m} test examples)")
    right.set_xlabel("the target: the sum of the two marked numbers")
    right.set_ylabel(r"the unit's memory at the end, $c^{\langle T_x \rangle}$")
    right.set_title(f"At the end ({m} test examples)")
    for ax in (left, right):
        ax.axhline(0, color="black", linewidth=0.6)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, title="r: correlation", title_fontsize=8)
    fig.tight_layout()
    return fig


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
                label=f"training batches (mean of {window} steps)" if first else None)
        if len(run.validation_steps):
            ax.plot(run.validation_steps, run.validation_losses, color="tab:green", linewidth=1.6,
                    marker="o", markersize=3, label="held-out text" if first else None)
    ax.axhline(np.log(vocabulary_size), color="black", linestyle="--", linewidth=1.2,
               label=f"uniform guess over {vocabulary_size} characters")
    ax.set_ylim(0, np.log(vocabulary_size) * 1.15)
    ax.set_xlabel("training step")
    ax.set_ylabel("cross-entropy per character (nats)")
    seeds = [seed for seed in runs if seed is not None]
    ax.set_title("Character-level LSTM" + (f", seeds {', '.join(map(str, seeds))}" if seeds else ""))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig

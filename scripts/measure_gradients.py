"""The measurements behind what notebooks 3, 5 and 7 say about gradients, clipping and the
character model (issue 26). Every number the notebooks claim is measured here first, over five
seeds, with the fast path (the repository's edition).

    python scripts/measure_gradients.py [reach|explode|clip|chars|all]

reach   -- how much of dJ/da<t> reaches 25 and 49 steps back at T_x = 50, untrained and trained,
           for the RNN, the LSTM (forget-gate bias 1, and 0 as a control) and the GRU
explode -- notebook 3's 30-step demonstration, as printed there (vanishing) and with Waa x4 and
           Wax x0.1 (exploding): the gradient reaching each step and the singular values of the
           step Jacobians W_aa^T diag(1 - a<t>^2)
clip    -- the T_x = 50 runs of notebook 5 with clipping on (1.0) and off; plain gradient
           descent on an RNN started with exploding gradients, with and without clipping
chars   -- unigram and bigram baselines of the character model against the LSTM, per seed
"""

import sys
import time

import numpy as np

import rnn_reference  # noqa: F401  (the repository's reference: training runs its fast path)
from rnn_utils.train import (
    adam_loop,
    adding_problem,
    char_data,
    char_loss,
    hidden_state_gradient_norms,
    initialize_parameters,
    loss_and_gradients,
    steps_to_learn,
    train_adding,
    train_char_lstm,
)
from rnn_utils.train.adding import evaluate_mse
from rnn_utils.train.chars import CharData
from rnn_utils.train.loop import progress_bar

SEEDS = (0, 1, 2, 3, 4)
T_X, N_STEPS, BACK = 50, 1200, 25


def train(cell, seed, forget_bias=1.0, clip_value=1.0, T_x=T_X, n_steps=N_STEPS):
    """train_adding with a forget-gate bias and a clip value of one's choice (same data and seeds)."""
    if forget_bias == 1.0:
        return train_adding(cell, T_x, n_steps=n_steps, seed=seed, clip_value=clip_value, progress=False)
    rng = np.random.default_rng(seed)
    parameters = initialize_parameters(cell, 2, 16, 1, rng, forget_bias=forget_bias)
    initial = {k: v.copy() for k, v in parameters.items()}

    def next_batch(p):
        return loss_and_gradients(cell, p, *adding_problem(32, T_x, rng))

    bar = progress_bar(n_steps, cell, False)
    parameters, losses = adam_loop(parameters, next_batch, n_steps, 0.02, clip_value, bar, lambda *a: None)
    x_test, y_test = adding_problem(1000, T_x, seed + 10**6)
    return parameters, losses, evaluate_mse(cell, parameters, x_test, y_test), initial


def reach():
    x_test, y_test = adding_problem(200, T_X, 2024)
    for cell, fb in (("rnn", 1.0), ("lstm", 1.0), ("lstm", 0.0), ("gru", 1.0)):
        rows = []
        for seed in SEEDS:
            parameters, losses, mse, initial = train(cell, seed, forget_bias=fb)
            before = hidden_state_gradient_norms(cell, initial, x_test, y_test)
            after = hidden_state_gradient_norms(cell, parameters, x_test, y_test)
            rows.append((before[BACK] / before[0], before[-1] / before[0], after[BACK] / after[0],
                         after[-1] / after[0], mse, steps_to_learn(losses)))
        name = f"{cell}" + (f" (bf={fb:g})" if cell == "lstm" else "")
        print(f"{name:13s} untrained {BACK} back: " + " ".join(f"{r[0]:.1e}" for r in rows))
        print(f"{'':13s} untrained 49 back: " + " ".join(f"{r[1]:.1e}" for r in rows))
        print(f"{'':13s} trained   {BACK} back: " + " ".join(f"{r[2]:.1e}" for r in rows))
        print(f"{'':13s} trained   49 back: " + " ".join(f"{r[3]:.1e}" for r in rows))
        print(f"{'':13s} test MSE:          " + " ".join(f"{r[4]:.4f}" for r in rows))
        print(f"{'':13s} steps to learn:    {[r[5] for r in rows]}")


def step_jacobians(parameters, a):
    """J<t> = W_aa^T diag(1 - a<t>^2) for every step of one example: shape (T_x, n_a, n_a)."""
    return np.stack([parameters["Waa"].T * (1 - a[:, 0, t] ** 2) for t in range(a.shape[2])])


def explode():
    from rnn_reference.rnn import rnn_backward, rnn_forward
    cases = (("vanishing (as printed)", 1.0, 1.0), ("exploding: Waa x4, Wax x0.1", 4.0, 0.1))
    for label, scale_aa, scale_ax in cases:
        rng = np.random.default_rng(0)
        n_x, n_a, m, T_x = 3, 5, 1, 30
        x = rng.standard_normal((n_x, m, T_x))
        p = {"Wax": rng.standard_normal((n_a, n_x)), "Waa": 0.5 * rng.standard_normal((n_a, n_a)),
             "Wya": rng.standard_normal((2, n_a)), "ba": np.zeros((n_a, 1)), "by": np.zeros((2, 1))}
        p["Waa"] = scale_aa * p["Waa"]
        p["Wax"] = scale_ax * p["Wax"]
        a, _, caches = rnn_forward(x, np.zeros((n_a, m)), p)
        da = np.zeros((n_a, m, T_x))
        da[:, :, -1] = 1.0
        g = rnn_backward(da, caches)
        dx = [np.linalg.norm(g["dx"][:, :, T_x - 1 - k]) for k in range(T_x)]
        J = step_jacobians(p, a)
        top = np.array([np.linalg.svd(j, compute_uv=False)[0] for j in J])
        prod = np.eye(n_a)
        for t in range(1, T_x):  # da<1> = J<2> J<3> ... J<T_x> da<T_x>
            prod = prod @ J[t]
        sv = np.linalg.svd(prod, compute_uv=False)
        print(f"{label}: |dx| 0/5/10/20/29 back: " + " ".join(f"{dx[k]:.1e}" for k in (0, 5, 10, 20, 29)),
              f" ratio 29 back / 0 back: {dx[29] / dx[0]:.3g}")
        print(f"   singular values of W_aa: {np.round(np.linalg.svd(p['Waa'], compute_uv=False), 2)}")
        print(f"   largest singular value of J<t>: min {top.min():.2f}, median {np.median(top):.2f}, "
              f"max {top.max():.2f}; geometric mean {np.exp(np.log(top).mean()):.2f}")
        print(f"   singular values of the product of 29 Jacobians: {sv}")
        print(f"   |a| mean {np.abs(a).mean():.2f}; mean 1 - a^2: {(1 - a ** 2).mean():.2f}")


def clipping():
    for cell in ("rnn", "lstm"):
        for seed in SEEDS:
            on = train_adding(cell, T_X, n_steps=N_STEPS, seed=seed, progress=False)
            off = train_adding(cell, T_X, n_steps=N_STEPS, seed=seed, clip_value=1e12, progress=False)
            print(f"T_x=50 {cell} seed {seed}: clip on {on.test_mse:.4f} steps {steps_to_learn(on.losses)}"
                  f" | off {off.test_mse:.4f} steps {steps_to_learn(off.losses)}")


def sgd_run(seed, clip_value, scale=4.0, T_x=20, n_steps=300, lr=0.1, cell="rnn"):
    """Plain gradient descent on the adding problem, RNN with Waa scaled by `scale` at the start."""
    from rnn_utils.optim import clip
    rng = np.random.default_rng(seed)
    p = initialize_parameters(cell, 2, 16, 1, rng)
    p["Waa"] *= scale
    losses, norms = [], []
    with np.errstate(all="ignore"):
        for step in range(n_steps):
            loss, g = loss_and_gradients(cell, p, *adding_problem(32, T_x, rng))
            g = {"d" + k: g["d" + k] for k in p}
            norms.append(np.sqrt(sum(np.sum(v ** 2) for v in g.values())))
            losses.append(loss)
            if not np.isfinite(loss) or not np.isfinite(norms[-1]):
                return np.array(losses), np.array(norms), float("nan")
            if clip_value is not None:
                g = clip(g, clip_value)
            p = {k: p[k] - lr * g["d" + k] for k in p}
        x_test, y_test = adding_problem(1000, T_x, seed + 10**6)
        return np.array(losses), np.array(norms), evaluate_mse(cell, p, x_test, y_test)


def clip_sgd():
    for lr in (0.05, 0.1, 0.3):
        for clip_value in (None, 1.0):
            res = [sgd_run(seed, clip_value, lr=lr) for seed in SEEDS]
            print(f"SGD lr={lr} clip={clip_value}: test MSE " + " ".join(f"{r[2]:.3g}" for r in res)
                  + " | max grad norm " + " ".join(f"{np.nanmax(r[1]):.1e}" for r in res)
                  + " | max loss " + " ".join(f"{np.nanmax(r[0]):.1e}" for r in res))


def ngram_loss(train_ix, test_ix, n_chars, order, alpha=0.1):
    """Cross-entropy per character (nats) of an additively smoothed unigram or bigram table."""
    if order == 1:
        counts = np.bincount(train_ix, minlength=n_chars) + alpha
        p = counts / counts.sum()
        return float(-np.log(p[test_ix[1:]]).mean())
    counts = np.full((n_chars, n_chars), alpha)
    np.add.at(counts, (train_ix[:-1], train_ix[1:]), 1)
    p = counts / counts.sum(axis=1, keepdims=True)
    return float(-np.log(p[test_ix[:-1], test_ix[1:]]).mean())


def chars():
    data = char_data()
    paragraphs = data.text.split("\n\n")
    starts = np.cumsum([0] + [len(q) + 2 for q in paragraphs])
    splits = {"last 10% (as today)": (len(data.text) - round(0.1 * len(data.text)), len(data.text))}
    for i, q in enumerate(paragraphs):
        splits[f"paragraph {i + 1} ({len(q)} chars)"] = (starts[i], starts[i] + len(q))
    n = len(data.chars)
    for name, (lo, hi) in splits.items():
        if not name.startswith(("last", "paragraph 4", "paragraph 3")):
            continue
        tr = np.concatenate([data.ix[:lo], data.ix[hi:]])
        te = data.ix[lo:hi]
        text_tr = data.text[:lo] + data.text[hi:]
        train_cd = CharData(text_tr, data.chars, data.char_to_ix, tr)
        test_cd = CharData(data.text[lo:hi], data.chars, data.char_to_ix, te)
        base = {order: {alpha: ngram_loss(tr, te, n, order, alpha) for alpha in (0.01, 0.1, 0.5, 1.0)}
                for order in (1, 2)}
        print(f"held out {name}: train {len(tr)}, held out {len(te)}; uniform {np.log(n):.2f}")
        print("   unigram by alpha:", {a: round(v, 2) for a, v in base[1].items()},
              " bigram by alpha:", {a: round(v, 2) for a, v in base[2].items()})
        for n_steps in (400,):
            ends, bests = [], []
            for seed in SEEDS:
                run = train_char_lstm(train_cd, validation=test_cd, seed=seed, n_steps=n_steps,
                                      progress=False)
                ends.append(run.validation_losses[-1])
                bests.append(run.validation_losses.min())
            print(f"   LSTM {n_steps} steps, end: " + " ".join(f"{v:.2f}" for v in ends)
                  + " | best: " + " ".join(f"{v:.2f}" for v in bests)
                  + f" | train loss (last seed) {char_loss(run.parameters, train_cd):.2f}")


def per_step():
    """The T_x = 50 runs of notebook 5 trained as a learner edition trains them: with the course's
    per-step functions (rnn_forward, rnn_backward, ...), not the fast path; timed."""
    from rnn_utils import registry
    # training as a learner edition trains: no fast path, the graded functions (here the reference's)
    registry.fast_path = lambda cell: None
    x_test, y_test = adding_problem(200, T_X, 2024)
    for cell in ("rnn", "lstm"):
        for seed in SEEDS:
            start = time.perf_counter()
            run = train_adding(cell, T_X, n_steps=N_STEPS, seed=seed, progress=False)
            seconds = time.perf_counter() - start
            before = hidden_state_gradient_norms(cell, run.initial_parameters, x_test, y_test)
            after = hidden_state_gradient_norms(cell, run.parameters, x_test, y_test)
            print(f"per-step {cell} seed {seed}: {seconds:.0f} s, test MSE {run.test_mse:.4f}, "
                  f"steps to learn {steps_to_learn(run.losses)}, "
                  f"25 back untrained {before[BACK] / before[0]:.1e} trained {after[BACK] / after[0]:.1e}, "
                  f"49 back trained {after[-1] / after[0]:.1e}", flush=True)


if __name__ == "__main__":
    parts = {"reach": reach, "explode": explode, "clip": clipping, "sgd": clip_sgd, "chars": chars,
             "per-step": per_step}
    chosen = sys.argv[1:] or ["all"]
    for name, part in parts.items():
        if "all" in chosen or name in chosen:
            start = time.perf_counter()
            print(f"## {name}")
            part()
            print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)

"""Train the basic RNN and the LSTM on the adding problem, longer than the notebook does, and save the plots.

    python scripts/train_adding.py                       # lengths 10, 50 and 100, 3000 steps each
    python scripts/train_adding.py --lengths 50 --steps 5000 --out my_figures
    python scripts/train_adding.py --help

It trains both cells at every length (with a progress bar each), prints the test errors, and
writes into the output folder (default: training_output/, which git ignores):

    losses.png            training loss of both cells against the mean-predicting baseline
    gradient_norms.png    norm of dL/da<t> against the distance from the end, at the longest length
    lstm_gates.png        the LSTM's forget and update gates on one test example, longest length
    char_losses.png       the character-level LSTM's loss (unless --no-char)
    samples.txt           text sampled from the character-level LSTM (unless --no-char)
    results.txt           the test errors, one line per cell and length
"""

import argparse
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write files; no window
import matplotlib.pyplot as plt  # noqa: E402

from rnn_utils.plots import (  # noqa: E402
    plot_char_losses,
    plot_gradient_norms,
    plot_losses,
    plot_lstm_gates,
)
from rnn_utils.train import (  # noqa: E402
    BASELINE_MSE,
    CELLS,
    adding_problem,
    char_data,
    hidden_state_gradient_norms,
    lstm_gates,
    sample,
    train_adding,
    train_char_lstm,
)

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Train the basic RNN and the LSTM on the adding problem and save the plots.")
    parser.add_argument("--lengths", type=int, nargs="+", default=[10, 50, 100],
                        help="sequence lengths T_x to train on (default: 10 50 100)")
    parser.add_argument("--steps", type=int, default=3000, help="Adam steps per run (default: 3000)")
    parser.add_argument("--hidden", type=int, default=16, help="hidden units n_a (default: 16)")
    parser.add_argument("--batch", type=int, default=32, help="batch size m (default: 32)")
    parser.add_argument("--lr", type=float, default=0.02, help="Adam learning rate (default: 0.02)")
    parser.add_argument("--clip", type=float, default=1.0, help="gradient clipping value (default: 1)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1, as the notebook)")
    parser.add_argument("--char-steps", type=int, default=2000,
                        help="Adam steps of the character-level LSTM (default: 2000)")
    parser.add_argument("--no-char", action="store_true", help="skip the character-level model")
    parser.add_argument("--out", type=Path, default=ROOT / "training_output",
                        help="folder for the image files (default: training_output/, git-ignored)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser.parse_args(argv)


def save(fig, path):
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"wrote {path}")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    results = {}
    lines = []
    for T_x in sorted(args.lengths):
        results[T_x] = {}
        for cell in CELLS:
            results[T_x][cell] = train_adding(
                cell, T_x, n_a=args.hidden, n_steps=args.steps, batch_size=args.batch,
                learning_rate=args.lr, clip_value=args.clip, seed=args.seed, progress=not args.quiet)
            mse = results[T_x][cell].test_mse
            lines.append(f"T_x = {T_x:3d}  {cell:4s}  test MSE {mse:.5f}  "
                         f"({mse / BASELINE_MSE:.3f} of the baseline {BASELINE_MSE:.3f})")
            print(lines[-1])
    (args.out / "results.txt").write_text("\n".join(lines) + "\n")
    save(plot_losses(results), args.out / "losses.png")

    longest = max(results)
    x_test, y_test = adding_problem(200, longest, args.seed + 2024)
    norms = {}
    for cell in CELLS:
        norms[(cell, "untrained")] = hidden_state_gradient_norms(
            cell, results[longest][cell].initial_parameters, x_test, y_test)
        norms[(cell, "trained")] = hidden_state_gradient_norms(
            cell, results[longest][cell].parameters, x_test, y_test)
    save(plot_gradient_norms(norms, longest), args.out / "gradient_norms.png")
    gates = lstm_gates(results[longest]["lstm"].parameters, x_test)
    save(plot_lstm_gates(x_test, gates, example=0), args.out / "lstm_gates.png")

    if not args.no_char:
        data = char_data()
        parameters, losses = train_char_lstm(data, n_steps=args.char_steps, seed=args.seed,
                                             progress=not args.quiet)
        save(plot_char_losses(losses, len(data.chars)), args.out / "char_losses.png")
        texts = [f"--- temperature {t} ---\n" + sample(parameters, data, n_chars=400, seed=args.seed,
                                                        temperature=t)
                 for t in (1.0, 0.6)]
        (args.out / "samples.txt").write_text("\n\n".join(texts) + "\n")
        print(f"wrote {args.out / 'samples.txt'}\n\n{texts[-1]}")

    print(f"done in {time.perf_counter() - start:.0f} s")
    return results


if __name__ == "__main__":
    main()

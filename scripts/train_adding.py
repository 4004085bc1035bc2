"""Train the basic RNN, the LSTM and the GRU on the adding problem, for longer, and save the plots.

    python scripts/train_adding.py                       # lengths 10, 50 and 100, 3000 steps, seeds 0 1 2
    python scripts/train_adding.py --lengths 50 --steps 5000 --seeds 0 1 2 3 4 --out my_figures
    python scripts/train_adding.py --help

It trains the three cells at every length with every seed (with a progress bar each), prints the
test errors and their range over the seeds, and writes into the output folder (default:
training_output/, which git ignores):

    losses.png            training loss of every cell against the mean-predicting baseline
    gradient_norms.png    norm of dL/da<t> against the distance from the end, at the longest length
    lstm_gates.png        the LSTM's forget and update gates on one test example, longest length,
                          first seed, with its memory unit (see rnn_utils.train.memory_unit) in red
    memory_unit.png       what the memory unit of each seed's LSTM holds, over the test batch
    char_losses.png       the character-level LSTM's loss on its training batches and on the held-out
                          last 10% of the text, first seed (unless --no-char)
    samples.txt           text sampled from the character-level LSTM (unless --no-char)
    results.txt           the test errors, one line per cell, length and seed

Every option is checked before any training starts, and so is the output folder (created, and
a file written to it and removed): a bad value stops the script at once with exit status 2 and
a message naming the option. A run whose training diverges (a loss or gradient that is no
longer finite, e.g. with a too large --lr) stops at once with exit status 1 and a message that
says where, and what to try.
"""

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write files; no window
import matplotlib.pyplot as plt  # noqa: E402

import rnn_reference  # noqa: E402, F401  (the repository's reference: training runs its fast path)
from rnn_utils.plots import (  # noqa: E402
    plot_char_losses,
    plot_gradient_norms,
    plot_losses,
    plot_lstm_gates,
    plot_memory_unit,
)
from rnn_utils.train import (  # noqa: E402
    BASELINE_MSE,
    CELL_NAMES,
    TrainingDiverged,
    adding_problem,
    char_data,
    char_loss,
    hidden_state_gradient_norms,
    lstm_gates,
    memory_unit,
    sample,
    split_text,
    train_adding,
    train_char_lstm,
)

ROOT = Path(__file__).resolve().parent.parent


def int_at_least(minimum):
    """An argparse type: an int >= minimum."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {minimum}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {minimum}, got {text!r}")
        return value
    return parse


def positive_float(text):
    """An argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a finite positive number, got {text!r}")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Train the basic RNN, the LSTM and the GRU on the adding problem and save the plots.")
    parser.add_argument("--lengths", type=int_at_least(2), nargs="+", default=[10, 50, 100], metavar="T_X",
                        help="sequence lengths T_x to train on, each at least 2 (default: 10 50 100)")
    parser.add_argument("--steps", type=int_at_least(1), default=3000,
                        help="Adam steps per run (default: 3000)")
    parser.add_argument("--hidden", type=int_at_least(1), default=16, help="hidden units n_a (default: 16)")
    parser.add_argument("--batch", type=int_at_least(1), default=32, help="batch size m (default: 32)")
    parser.add_argument("--lr", type=positive_float, default=0.02,
                        help="Adam learning rate of the adding problem (default: 0.02)")
    parser.add_argument("--clip", type=positive_float, default=1.0,
                        help="gradient clipping value of the adding problem (default: 1)")
    parser.add_argument("--seeds", type=int_at_least(0), nargs="+", default=[0, 1, 2], metavar="SEED",
                        help="random seeds, each 0 or more: every run is repeated with each "
                             "(default: 0 1 2, as the notebook)")
    parser.add_argument("--char-steps", type=int_at_least(1), default=2000,
                        help="Adam steps of the character-level LSTM (default: 2000)")
    parser.add_argument("--no-char", action="store_true", help="skip the character-level model")
    parser.add_argument("--out", type=Path, default=ROOT / "training_output",
                        help="folder for the image files (default: training_output/, git-ignored)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    for option, values in (("--lengths", args.lengths), ("--seeds", args.seeds)):
        repeated = sorted({value for value in values if values.count(value) > 1})
        if repeated:
            what = "length" if option == "--lengths" else "seed"
            parser.error(f"argument {option}: each {what} once, got {' '.join(map(str, repeated))} "
                         f"more than once")
    problem = check_output_folder(args.out)
    if problem:
        parser.error(f"argument --out: cannot write to {args.out}: {problem}")
    return args


def check_output_folder(out):
    """Creates the folder and writes (and removes) a file in it; returns what went wrong, or None."""
    if out.exists() and not out.is_dir():
        return "it is a file, not a folder"
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-") as probe:
            probe.write(b"can we write here?")
    except OSError as error:
        return error.strerror or str(error)
    return None


def save(fig, path):
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"wrote {path}")


def stop(what, error, advice, written):
    """Ends the script after a diverged training run: where it happened and what to try, no traceback."""
    print(f"{Path(sys.argv[0]).name}: error: training {what} diverged at step {error.step}: "
          f"{error.quantity} is {error.value}, not a finite number.\n{advice}\n{written}", file=sys.stderr)
    sys.exit(1)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    start = time.perf_counter()

    results = {}
    lines = []
    for T_x in sorted(args.lengths):
        results[T_x] = {}
        for cell in CELL_NAMES:
            results[T_x][cell] = []
            for seed in args.seeds:
                try:
                    run = train_adding(cell, T_x, n_a=args.hidden, n_steps=args.steps, batch_size=args.batch,
                                       learning_rate=args.lr, clip_value=args.clip, seed=seed,
                                       progress=not args.quiet)
                except TrainingDiverged as error:
                    stop(f"the {cell} at T_x = {T_x} with seed {seed}", error,
                         f"Try a lower learning rate (--lr, now {args.lr:g}) or a smaller clip value "
                         f"(--clip, now {args.clip:g}).", f"Nothing was written to {args.out}.")
                results[T_x][cell].append(run)
                lines.append(f"T_x = {T_x:3d}  {cell:4s}  seed {seed:3d}  test MSE {run.test_mse:.5f}  "
                             f"({run.test_mse / BASELINE_MSE:.3f} of the baseline {BASELINE_MSE:.3f})")
                print(lines[-1])
    (args.out / "results.txt").write_text("\n".join(lines) + "\n")
    if len(args.seeds) > 1:
        print(f"test MSE over seeds {' '.join(map(str, args.seeds))}, lowest - highest:")
        for T_x in results:
            for cell in CELL_NAMES:
                mse = [run.test_mse for run in results[T_x][cell]]
                print(f"T_x = {T_x:3d}  {cell:4s}  {min(mse):.5f} - {max(mse):.5f}")
    save(plot_losses(results), args.out / "losses.png")

    longest = max(results)
    x_test, y_test = adding_problem(200, longest, 2024)  # as the notebooks' test batch, at this length
    norms = {}
    for cell in CELL_NAMES:
        for stage, field in (("untrained", "initial_parameters"), ("trained", "parameters")):
            norms[(cell, stage)] = [hidden_state_gradient_norms(cell, getattr(run, field), x_test, y_test)
                                    for run in results[longest][cell]]
    save(plot_gradient_norms(norms, longest), args.out / "gradient_norms.png")
    lstm_runs = results[longest]["lstm"]
    gates = {seed: lstm_gates(run.parameters, x_test) for seed, run in zip(args.seeds, lstm_runs)}
    readings = {seed: memory_unit(gates[seed], x_test, y_test) for seed in args.seeds}
    first = args.seeds[0]
    save(plot_lstm_gates(x_test, gates[first], readings[first].unit, example=0), args.out / "lstm_gates.png")
    save(plot_memory_unit(readings), args.out / "memory_unit.png")
    for seed, reading in readings.items():
        print(f"seed {seed}: memory unit {reading.unit}: correlation {reading.r_jump:+.3f} of its change "
              f"at the first mark with the first number, {reading.r_final:+.3f} of its last value with "
              f"the target")

    if not args.no_char:
        data = char_data()
        train_text, held_out = split_text(data, validation=0.1)
        try:
            run = train_char_lstm(train_text, n_steps=args.char_steps, seed=first, validation=held_out,
                                  progress=not args.quiet)
        except TrainingDiverged as error:
            stop("the character-level LSTM", error, error.advice,
                 f"The adding problem's results are in {args.out}; the character-level model's are not.")
        print(f"character-level LSTM: {char_loss(run.parameters, train_text):.3f} nats per character on its "
              f"training text, {run.validation_losses[-1]:.3f} on the held-out last "
              f"{len(held_out.text)} characters")
        save(plot_char_losses({first: run}, len(data.chars)), args.out / "char_losses.png")
        texts = [f"--- temperature {t} ---\n" + sample(run.parameters, data, n_chars=400, seed=first,
                                                        temperature=t)
                 for t in (1.0, 0.6)]
        (args.out / "samples.txt").write_text("\n\n".join(texts) + "\n")
        print(f"wrote {args.out / 'samples.txt'}\n\n{texts[-1]}")

    print(f"done in {time.perf_counter() - start:.0f} s")
    return results


if __name__ == "__main__":
    main()

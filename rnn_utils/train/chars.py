"""A character-level language model: an LSTM that reads a text and writes more of it.

An LSTM reads a text one character at a time (one-hot vectors) and predicts the next one with
yt = softmax(Wy a<t> + by), trained with the cross-entropy summed over the steps. ``sample``
then writes new text one character at a time with lstm_cell_forward, feeding every drawn
character back in as the next input. ``split_text`` holds out the end of a text, and
``char_loss`` measures the model on it, so that what the model learned can be told apart from
what it memorised. The passes are those of rnn_utils.train.passes: the fast path in the
repository, the learner's own graded functions in a learner edition; sampling uses the graded
lstm_cell_forward of this edition (rnn_utils.graded).

Shapes: n_x = n_y = the number of distinct characters, n_a hidden units, m windows, T_x steps.
"""

from typing import NamedTuple

import numpy as np

from rnn_utils.activations import softmax
from rnn_utils.i18n import _, register_docstrings
from rnn_utils.optim import check_number
from rnn_utils.text import TEXT
from rnn_utils.train import passes
from rnn_utils.train.loop import (
    adam_loop,
    as_generator,
    check_int,
    initialize_parameters,
    progress_bar,
)

__all__ = ["CharData", "char_data", "split_text", "hold_out", "ngram_loss", "char_batch",
           "char_loss_and_gradients", "char_loss", "CharTrainingResult", "train_char_lstm", "sample"]


class CharData(NamedTuple):
    """
    A text prepared for a character-level model.

    text -- the text, a str
    chars -- the vocabulary, a sorted str of the distinct characters (n_x = n_y = len(chars))
    char_to_ix -- python dictionary from a character to its index in chars
    ix -- the text as indices, numpy int array of shape (len(text),)
    """

    text: str
    chars: str
    char_to_ix: dict
    ix: np.ndarray


def char_data(text=TEXT):
    """Vocabulary and index array of a text (by default rnn_utils.text.TEXT); returns a CharData."""
    chars = "".join(sorted(set(text)))
    char_to_ix = {ch: i for i, ch in enumerate(chars)}
    return CharData(text, chars, char_to_ix, np.array([char_to_ix[ch] for ch in text]))


def split_text(data, validation=0.1):
    """
    Splits a text in two: the first part to train on, its last part held out for validation.

    Both parts keep the vocabulary of the whole text (data.chars), so that one model reads both.
    The held-out part is the end of the text, not characters drawn at random: a model must
    then predict text it has not read, not fill in gaps of text it has.

    Arguments:
    data -- a CharData, as from char_data(text)
    validation -- the fraction of the text held out, a number strictly between 0 and 1

    Returns:
    train -- a CharData of the first len(text) - n_valid characters
    valid -- a CharData of the last n_valid = round(validation * len(text)) characters
    """
    func = "split_text"
    _check_char_data(func, data)
    check_number(func, "validation", validation)
    if not validation < 1:
        raise ValueError(_("{func}: validation must be a fraction between 0 and 1, got {value}").format(
            func=func, value=repr(validation)))
    n_valid = int(round(validation * len(data.text)))
    if n_valid < 2 or len(data.text) - n_valid < 2:
        raise ValueError(_("{func}: a text of {length} characters split at {validation} leaves {first} and "
                           "{second} characters; each part needs 2 at least").format(
            func=func, length=len(data.text), validation=repr(validation), first=len(data.text) - n_valid,
            second=n_valid))
    cut = len(data.text) - n_valid

    def part(start, stop):
        return CharData(data.text[start:stop], data.chars, data.char_to_ix, data.ix[start:stop].copy())

    return part(0, cut), part(cut, len(data.text))


def hold_out(data, start, stop):
    """
    Splits a text in two: the characters start to stop held out, the rest to train on.

    Both parts keep the vocabulary of the whole text (data.chars). Where split_text holds out
    the end of a text, hold_out holds out any stretch of it: a paragraph that does not repeat
    what the training text says, say. The training text is what comes before start followed by
    what comes from stop on.

    Arguments:
    data -- a CharData, as from char_data(text)
    start, stop -- ints, 0 <= start < stop <= len(data.text): the held-out part is
                   data.text[start:stop]

    Returns:
    train -- a CharData of data.text[:start] + data.text[stop:]
    valid -- a CharData of data.text[start:stop]
    """
    func = "hold_out"
    _check_char_data(func, data)
    check_int(func, "start", start, minimum=0)
    check_int(func, "stop", stop, minimum=0)
    length = len(data.text)
    if not (start < stop <= length and stop - start >= 2 and length - (stop - start) >= 2):
        raise ValueError(_("{func}: start and stop must hold out 2 characters at least and leave 2 of the "
                           "{length}, with start < stop <= {length}; got start={start}, stop={stop}").format(
            func=func, length=length, start=start, stop=stop))
    keep = np.r_[0:start, stop:length]
    train_text = data.text[:start] + data.text[stop:]
    return (CharData(train_text, data.chars, data.char_to_ix, data.ix[keep].copy()),
            CharData(data.text[start:stop], data.chars, data.char_to_ix, data.ix[start:stop].copy()))


def ngram_loss(train, valid, order, smoothing=0.1):
    """
    The cross-entropy per character of a counting model, a baseline for a language model.

    The unigram model (order 1) predicts every character with its frequency in the training
    text, whatever came before; the bigram model (order 2) with its frequency after the
    character before it. Every count starts at `smoothing`, so that a character never seen
    (after that character) is not impossible.

    Arguments:
    train -- the CharData whose characters are counted
    valid -- the CharData measured, with the same vocabulary, of 2 characters at least
    order -- 1 (unigram) or 2 (bigram)
    smoothing -- the count every character starts with, a positive number

    Returns:
    loss -- - (1 / n) sum of log p(next character) over the n = len(valid.text) - 1
            predictions (the characters after the first, as char_loss counts them), in nats
            per character, a Python float
    """
    func = "ngram_loss"
    _check_char_data(func, train)
    _check_char_data(func, valid)
    check_number(func, "smoothing", smoothing)
    if order not in (1, 2) or isinstance(order, bool):
        raise ValueError(_("{func}: order must be 1 (unigram) or 2 (bigram), got {value}").format(
            func=func, value=repr(order)))
    if valid.chars != train.chars:
        raise ValueError(_("{func}: the validation text must share the training text's vocabulary "
                           "(make both with split_text)").format(func=func))
    if len(valid.ix) < 2:
        raise ValueError(_("{func}: the text has {length} characters; it needs 2 at least").format(
            func=func, length=len(valid.ix)))
    n = len(train.chars)
    if order == 1:
        counts = np.bincount(train.ix, minlength=n) + smoothing
        return float(-np.log(counts[valid.ix[1:]] / counts.sum()).mean())
    counts = np.full((n, n), float(smoothing))
    np.add.at(counts, (train.ix[:-1], train.ix[1:]), 1)
    probabilities = counts / counts.sum(axis=1, keepdims=True)
    return float(-np.log(probabilities[valid.ix[:-1], valid.ix[1:]]).mean())


def _check_char_data(func, data):
    if not isinstance(data, CharData):
        raise TypeError(_("{func}: data must be a CharData, as from char_data(text), got {kind}").format(
            func=func, kind=type(data).__name__))


def _check_text_length(func, data, T_x):
    """T_x must be a positive int, with windows of T_x + 1 characters at two places of the text at least."""
    check_int(func, "T_x", T_x)
    if len(data.ix) < T_x + 2:
        raise ValueError(_("{func}: the text has {length} characters, too few for T_x = {T_x} (T_x must be "
                           "at most {most})").format(func=func, length=len(data.ix), T_x=T_x,
                                                     most=len(data.ix) - 2))


def _one_hot(indices, n):
    """One-hot vectors of an (m, T_x) index array, as an array of shape (n, m, T_x)."""
    x = np.zeros((n,) + indices.shape)
    np.put_along_axis(x, indices[None], 1.0, axis=0)
    return x


def char_batch(data, m, T_x, rng):
    """
    Draws m windows of T_x + 1 consecutive characters at random places of the text.

    Arguments:
    data -- a CharData; m -- number of windows; T_x -- steps per window (positive ints)
    rng -- an int seed or a numpy Generator

    Returns:
    x -- one-hot inputs, numpy array of shape (n_x, m, T_x), n_x = len(data.chars):
         characters 0 .. T_x - 1 of each window
    targets -- indices of the next characters, numpy int array of shape (m, T_x):
               characters 1 .. T_x of each window
    """
    _check_char_data("char_batch", data)
    check_int("char_batch", "m", m)
    _check_text_length("char_batch", data, T_x)
    rng = as_generator(rng, "char_batch")
    starts = rng.integers(0, len(data.ix) - T_x, size=m)
    windows = data.ix[starts[:, None] + np.arange(T_x + 1)]  # (m, T_x + 1)
    return _one_hot(windows[:, :-1], len(data.chars)), windows[:, 1:]


def char_loss_and_gradients(parameters, x, targets):
    """
    Cross-entropy of the next-character predictions, and the gradients of every parameter.

        yt = softmax(Wy a<t> + by),    loss = - sum over t of log yt[target<t>], averaged over m

    Arguments:
    parameters -- LSTM parameters with Wy (n_y, n_a), by (n_y, 1), as from initialize_parameters
    x -- one-hot inputs, numpy array of shape (n_x, m, T_x)
    targets -- indices of the characters to predict, numpy int array of shape (m, T_x)

    Returns:
    loss -- the cross-entropy per sequence (summed over the steps, averaged over m), a float
    gradients -- python dictionary with "d" + key for every key of parameters (shapes as the
                 parameters), plus dx and da0 from the backward pass
    """
    n_a, m = parameters["Wy"].shape[1], x.shape[1]
    a, y, cache = passes.forward("lstm", x, np.zeros((n_a, m)), parameters, compute_y=True)
    picked = np.take_along_axis(y, targets[None], axis=0)[0]  # (m, T_x): probability of the target
    loss = float(-np.sum(np.log(picked)) / m)
    dlogits = np.array(y)  # (n_y, m, T_x): softmax + cross-entropy give y - one_hot(target)
    np.put_along_axis(dlogits, targets[None], picked[None] - 1.0, axis=0)
    dlogits /= m
    Wy = parameters["Wy"]
    da = np.einsum("ya,ymt->amt", Wy, dlogits)  # each step's own gradient, through Wy a<t>
    gradients = passes.backward("lstm", da, cache)
    gradients["dWy"] = np.einsum("ymt,amt->ya", dlogits, a)
    gradients["dby"] = dlogits.sum(axis=(1, 2)).reshape(-1, 1)
    return loss, gradients


def _summed_log_loss(parameters, indices, n_x):
    """- sum of log y<t>[next character] over the windows of an (m, T_x + 1) index array."""
    n_a, m = parameters["Wy"].shape[1], indices.shape[0]
    _, y, _ = passes.forward("lstm", _one_hot(indices[:, :-1], n_x), np.zeros((n_a, m)), parameters,
                             compute_y=True)
    picked = np.take_along_axis(y, indices[None, :, 1:], axis=0)[0]
    return float(-np.sum(np.log(picked)))


def char_loss(parameters, data, T_x=25):
    """
    The cross-entropy per character of a model on a whole text (a validation text, say).

    The text is read in consecutive windows of T_x characters, each from a zero state as in
    training (the last window may be shorter), and every character after the first is
    predicted exactly once.

    Arguments:
    parameters -- LSTM parameters with Wy and by, as from train_char_lstm()
    data -- a CharData with the model's vocabulary (as from char_data or split_text), of at
            least 2 characters
    T_x -- characters per window, a positive int

    Returns:
    loss -- - (1 / n) sum of log y<t>[next character] over the n = len(data.text) - 1
            predictions, in nats per character, a Python float
    """
    func = "char_loss"
    _check_char_data(func, data)
    check_int(func, "T_x", T_x)
    if len(data.ix) < 2:
        raise ValueError(_("{func}: the text has {length} characters; it needs 2 at least").format(
            func=func, length=len(data.ix)))
    n_x, n = len(data.chars), len(data.ix) - 1
    full = n // T_x
    total = 0.0
    if full:
        starts = T_x * np.arange(full)
        total += _summed_log_loss(parameters, data.ix[starts[:, None] + np.arange(T_x + 1)], n_x)
    if n > full * T_x:  # the rest, one shorter window
        total += _summed_log_loss(parameters, data.ix[None, full * T_x:], n_x)
    return total / n


class CharTrainingResult(NamedTuple):
    """
    What train_char_lstm returns.

    parameters -- the trained LSTM parameters (see train_char_lstm)
    losses -- the cross-entropy per character of every step's training batch, numpy array of
              shape (n_steps,)
    validation_steps -- the steps after which the validation text was measured (0: before
                        training), numpy int array; empty without a validation text
    validation_losses -- char_loss on the validation text at those steps, numpy array of the
                         same shape
    """

    parameters: dict
    losses: np.ndarray
    validation_steps: np.ndarray
    validation_losses: np.ndarray


def train_char_lstm(data=None, n_a=32, T_x=25, n_steps=400, batch_size=32, learning_rate=0.02,
                    clip_value=5.0, seed=0, validation=None, eval_every=25, progress=True):
    """
    Trains an LSTM to predict the next character of a text, with Adam and clipping.

    Arguments:
    data -- a CharData (default: char_data() of the text shipped in rnn_utils.text)
    n_a -- number of hidden units; T_x -- characters per training window
    n_steps -- number of Adam steps; batch_size -- windows per step (all positive ints)
    learning_rate, clip_value -- as in train_adding (finite, positive)
    seed -- seeds the initial weights and the windows drawn (an int >= 0)
    validation -- a held-out text, a CharData with the same vocabulary (as from split_text), or
                  None; it is never trained on, only measured with char_loss (windows of T_x)
    eval_every -- measure the validation text before training, every eval_every steps, and
                  after the last step (a positive int)
    progress -- show a progress bar (tqdm: text on stderr in a terminal, on stdout in a notebook)

    A loss, gradient or parameter that stops being finite raises TrainingDiverged.

    Returns:
    result -- CharTrainingResult(parameters, losses, validation_steps, validation_losses):
              parameters -- the trained LSTM parameters: Wf, Wi, Wc, Wo (n_a, n_a + n_x), bf,
                            bi, bc, bo (n_a, 1), Wy (n_x, n_a), by (n_x, 1), n_x = len(data.chars)
              losses -- cross-entropy per character of every step, numpy array of shape (n_steps,)
              validation_steps, validation_losses -- see CharTrainingResult
    """
    func = "train_char_lstm"
    data = char_data() if data is None else data
    _check_char_data(func, data)
    for name, value in (("n_a", n_a), ("n_steps", n_steps), ("batch_size", batch_size)):
        check_int(func, name, value)
    _check_text_length(func, data, T_x)
    check_number(func, "learning_rate", learning_rate)
    check_number(func, "clip_value", clip_value)
    check_int(func, "seed", seed, minimum=0)
    check_int(func, "eval_every", eval_every)
    if validation is not None:
        _check_char_data(func, validation)
        if validation.chars != data.chars:
            raise ValueError(_("{func}: the validation text must share the training text's vocabulary "
                               "(make both with split_text)").format(func=func))
        if len(validation.ix) < 2:
            raise ValueError(_("{func}: the validation text has {length} characters; it needs 2 at "
                               "least").format(func=func, length=len(validation.ix)))

    rng = np.random.default_rng(seed)
    n_x = len(data.chars)
    parameters = initialize_parameters("lstm", n_x, n_a, n_x, rng)
    measured = []  # (step, validation loss); measuring draws nothing from rng
    done = [0]  # Adam steps taken so far

    def measure(parameters):
        if validation is not None:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                measured.append((done[0], char_loss(parameters, validation, T_x)))

    def next_batch(parameters):
        if done[0] % eval_every == 0:
            measure(parameters)
        x, targets = char_batch(data, batch_size, T_x, rng)
        loss, gradients = char_loss_and_gradients(parameters, x, targets)
        done[0] += 1
        return loss / T_x, gradients

    def show(bar, losses, step):
        bar.set_postfix(loss=f"{losses[max(0, step - 49):step + 1].mean():.2f}", refresh=False)

    bar = progress_bar(n_steps, "char LSTM", progress)
    parameters, losses = adam_loop(parameters, next_batch, n_steps, learning_rate, clip_value, bar, show)
    measure(parameters)  # after the last step
    steps = np.array([step for step, loss in measured], dtype=int)
    return CharTrainingResult(parameters, losses, steps, np.array([loss for step, loss in measured]))


def sample(parameters, data, n_chars=200, start="The ", seed=0, temperature=1.0):
    """
    Writes text with a trained character-level LSTM, one character at a time.

    The LSTM first reads `start`; then, at every step, the graded lstm_cell_forward gives the
    probabilities yt of the next character, one is drawn from them, printed and fed back in as
    the next input.

    Arguments:
    parameters -- trained LSTM parameters, as returned by train_char_lstm()
    data -- the CharData the model was trained on (for its vocabulary)
    n_chars -- number of characters to write after `start`
    start -- the text to begin with; every character must be in data.chars
    seed -- an int seed or a numpy Generator: the same seed writes the same text
    temperature -- divides the log-probabilities before drawing: below 1 is safer, above 1
                   more adventurous (1 draws from the model's own probabilities)

    Returns:
    text -- `start` followed by n_chars drawn characters, a str
    """
    _check_char_data("sample", data)
    if not start:
        raise ValueError(_("sample: start must hold at least one character"))
    unknown = sorted(set(start) - set(data.chars))
    if unknown:
        raise ValueError(_("sample: start holds characters the model never saw: {unknown}").format(
            unknown=unknown))
    check_int("sample", "n_chars", n_chars, minimum=0)
    check_number("sample", "temperature", temperature)
    rng = as_generator(seed, "sample", "seed")
    from rnn_utils.graded import graded_function
    lstm_cell_forward = graded_function("lstm_cell_forward")
    n_x, n_a = len(data.chars), parameters["Wy"].shape[1]
    a_prev, c_prev = np.zeros((n_a, 1)), np.zeros((n_a, 1))
    out = list(start)
    xt = np.zeros((n_x, 1))
    for ch in start:  # read the start, one character at a time
        xt[:] = 0
        xt[data.char_to_ix[ch]] = 1
        a_prev, c_prev, yt, cache = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    for _step in range(n_chars):
        p = yt[:, 0]
        if temperature != 1.0:
            p = softmax((np.log(p + 1e-300) / temperature).reshape(-1, 1))[:, 0]
        p = p / p.sum()  # guard against rounding: choice needs probabilities that sum to 1
        ix = int(rng.choice(n_x, p=p))
        out.append(data.chars[ix])
        xt[:] = 0
        xt[ix] = 1
        a_prev, c_prev, yt, cache = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    return "".join(out)


# help(...) shows these docstrings in the chosen language (the help catalogue, rnn_utils.i18n)
register_docstrings(CharData, char_data, split_text, char_batch, char_loss_and_gradients, char_loss,
                    CharTrainingResult, train_char_lstm, sample, hold_out, ngram_loss)

"""The messages of the errors and mistakes domains in Chinese, and unchanged in English.

With set_language("zh-CN") an input error of a graded function, the gradient checker's
report and a diverged training run come out in Chinese, with every code name, shape and
number as in the English; after set_language("en") they are again, byte for byte, the English
messages the notebooks and the other tests show. Every cause and title of the table of
mistakes has a Chinese translation.
"""

import contextlib
import io
import math
import re

import numpy as np
import pytest

from rnn_reference import lstm_cell_backward, rnn_forward
from rnn_reference.mistakes import MISTAKES, with_mistake
from rnn_utils.cells import CELLS, LSTM, random_parameters
from rnn_utils.gradcheck import check_lstm_cell_backward
from rnn_utils.i18n import _, language, set_language
from rnn_utils.shapes import ShapeError
from rnn_utils.train import TrainingDiverged
from rnn_utils.train.loop import adam_loop, progress_bar

CJK = re.compile(r"[\u4e00-\u9fff]")
# the names of the code that a cause may use as words: parameters, their gradients, gates, activations
# (but "it" and "by", which are English words too)
CODE_NAMES = ({key for cell in CELLS.values() for key in cell.keys}
              | {"d" + key for cell in CELLS.values() for key in cell.keys}
              | {gate.name for cell in CELLS.values() for gate in cell.gates}
              | {"dz", "dxt", "da", "tanh", "sigmoid", "softmax"}) - {"it", "by"}


@pytest.fixture
def chinese():
    """The messages in Chinese for one test, in English again after it (whatever happens)."""
    set_language("zh-CN")
    yield
    set_language("en")


def _inputs():
    rng = np.random.default_rng(0)
    parameters = random_parameters("rnn", rng, 3, 5, 2)
    return rng.standard_normal((3, 10, 4)), rng.standard_normal((5, 10)), parameters


def _raised(function, *args):
    """(type, message) of the exception function(*args) raises."""
    with pytest.raises(Exception) as caught:
        function(*args)
    error = caught.value
    return type(error), (error.args[0] if isinstance(error, KeyError) else str(error))


def _both(function, *args):
    """(type, Chinese message), then (type, English message), of one call."""
    chinese = _raised(function, *args)
    set_language("en")
    return chinese, _raised(function, *args)


def _assert_chinese(message, *names):
    assert CJK.search(message), message
    for name in names:
        assert name in message, (name, message)


def test_a_shape_error_of_a_graded_function(chinese):
    x, a0, parameters = _inputs()
    (kind, zh), (en_kind, en) = _both(rnn_forward, x, a0[:, :9], parameters)
    assert kind is en_kind is ShapeError
    _assert_chinese(zh, "rnn_forward", "a0", "(5, 9)", "(n_a, m) = (5, 10)", "m", "10", "x")
    assert zh != en
    assert en == "rnn_forward: a0 has shape (5, 9) but needs (n_a, m) = (5, 10): m is 10 (from x)"


def test_a_dtype_error(chinese):
    x, a0, parameters = _inputs()
    (kind, zh), (en_kind, en) = _both(rnn_forward, x.astype(np.float32), a0, parameters)
    assert kind is en_kind is TypeError
    _assert_chinese(zh, "rnn_forward", "x", "float32", "parameters['Wax']", "float64", "dtype")
    assert en == ("rnn_forward: x is float32 but parameters['Wax'] is float64; "
                  "use one dtype for every array")


def test_a_missing_parameter(chinese):
    x, a0, parameters = _inputs()
    del parameters["Waa"]
    (kind, zh), (en_kind, en) = _both(rnn_forward, x, a0, parameters)
    assert kind is en_kind is KeyError
    _assert_chinese(zh, "rnn_forward", "parameters", "'Waa'", "Wax, Waa, Wya, ba, by")
    assert en == "rnn_forward: parameters is missing the key 'Waa' (it needs Wax, Waa, Wya, ba, by)"


def _report(backward):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        errors = check_lstm_cell_backward(backward)
    return out.getvalue(), errors


RIGHT_REPORT = "".join(f"  {key:8s} relative error below 1e-08\n" for key in LSTM.cell_gradients) + \
    "lstm_cell_backward: largest relative error below 1e-08 (below 1e-07 is correct): correct\n"
WRONG_REPORT = """\
  dxt      relative error 1.9e-01
  da_prev  relative error 1.9e-01
  dc_prev  relative error below 1e-08
  dWf      relative error below 1e-08
  dbf      relative error below 1e-08
  dWi      relative error below 1e-08
  dbi      relative error below 1e-08
  dWc      relative error 2.5e-01
  dbc      relative error 4.6e-01
  dWo      relative error below 1e-08
  dbo      relative error below 1e-08
lstm_cell_backward: largest relative error 4.6e-01 (below 1e-07 is correct): \
WRONG: look at the largest errors above
"""


@pytest.mark.parametrize("backward, english", [(lstm_cell_backward, RIGHT_REPORT),
                                               (with_mistake("lcb_tanh_of_cct"), WRONG_REPORT)],
                         ids=["right", "wrong"])
def test_the_gradient_checkers_report(chinese, backward, english):
    zh, zh_errors = _report(backward)
    zh_lines, en_lines = zh.splitlines(), english.splitlines()
    assert len(zh_lines) == len(en_lines)
    for zh_line, en_line in zip(zh_lines, en_lines):
        _assert_chinese(zh_line)
        # the same gradient names and numbers, in the same order
        assert re.findall(r"d\w+|\d\.\de[-+]\d\d", zh_line) == re.findall(r"d\w+|\d\.\de[-+]\d\d", en_line)
    assert zh_lines[-1].startswith("lstm_cell_backward")
    set_language("en")
    en, en_errors = _report(backward)
    assert en == english
    assert zh_errors == en_errors


def test_a_diverged_training_run(chinese):
    def next_batch(parameters):
        return math.inf, {"d" + key: np.zeros_like(value) for key, value in parameters.items()}

    def train():
        adam_loop({"W": np.ones((2, 2))}, next_batch, 3, 0.02, 1.0, progress_bar(3, "test", False),
                  lambda *args: None)

    (kind, zh), (en_kind, en) = _both(train)
    assert kind is en_kind is TrainingDiverged
    _assert_chinese(zh, "1", "inf", "learning_rate=0.02", "0.002", "clip_value=1")
    assert en == ("training diverged at step 1: the loss is inf (not finite). Try a lower learning rate "
                  "(learning_rate=0.02 now, e.g. 0.002) or a smaller clip value (clip_value=1 now).")


def test_every_mistake_has_a_translation(chinese):
    texts = {text for entry in MISTAKES for text in (entry.cause, entry.demo) if text}
    assert len(texts) > 90
    for text in sorted(texts):
        translated = _(text)
        assert translated != text and CJK.search(translated), text
        # every code name (a_prev, dc_total, dWc, cct, ...) and number of the cause is kept as it is
        for name in re.findall(r"\w+", text):
            if "_" in name or name.isdigit() or name in CODE_NAMES:
                assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", translated, re.ASCII), \
                    (name, text, translated)


def test_english_again_afterwards():
    assert language() == "en"
    assert _("the loss") == "the loss"

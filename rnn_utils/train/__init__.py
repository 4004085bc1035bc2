"""Training the course's cells: the adding problem, and a character-level language model.

    rnn_utils.train.loop    -- what every run shares: initialize_parameters, the Adam + clipping
                               loop with its progress bar, TrainingDiverged, the argument checks
    rnn_utils.train.passes  -- the forward and backward passes training runs: the fast path in
                               the repository, the learner's own graded functions in a learner
                               edition
    rnn_utils.train.adding  -- the adding problem: data, read-out, loss, train_adding, and what
                               notebook 5 measures (gradient norms through time, the LSTM's gates,
                               the unit that holds the memory)
    rnn_utils.train.chars   -- the character-level LSTM: data, a held-out split, loss,
                               train_char_lstm, sample

``from rnn_utils.train import *`` gives the public functions of all four.
"""

from rnn_utils.train import adding, chars, loop
from rnn_utils.train.adding import *  # noqa: F403
from rnn_utils.train.chars import *  # noqa: F403
from rnn_utils.train.loop import *  # noqa: F403
from rnn_utils.train.passes import ENGINE

__all__ = loop.__all__ + adding.__all__ + chars.__all__ + ["ENGINE"]  # noqa: F405

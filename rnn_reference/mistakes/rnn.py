"""The common mistakes of the basic RNN's graded functions: its rows of the table (rnn_reference.mistakes)."""

from rnn_reference.mistakes.entry import entry
from rnn_utils.i18n import N_

MISTAKES = (
    # --- rnn_cell_forward ------------------------------------------------------------------
    entry("rcf_no_ba", "rnn_cell_forward", [[("np.dot(Wax, xt) + ba)", "np.dot(Wax, xt))")]],
       N_("the bias ba is missing from the hidden state")),
    entry("rcf_sigmoid", "rnn_cell_forward", [[("a_next = np.tanh(", "a_next = sigmoid(")]],
       N_("the hidden state uses tanh, not sigmoid")),
    entry("rcf_no_tanh", "rnn_cell_forward",
       [[("a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)",
          "a_next = np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba")]],
       N_("the tanh is missing: the hidden state is the tanh of the weighted sum")),
    entry("rcf_no_Waa", "rnn_cell_forward", [[("np.dot(Waa, a_prev) + np.dot(Wax, xt)", "np.dot(Wax, xt)")]],
       N_("the term with the previous hidden state (Waa times a_prev) is missing")),
    entry("rcf_no_Wax", "rnn_cell_forward",
          [[("np.dot(Waa, a_prev) + np.dot(Wax, xt)", "np.dot(Waa, a_prev)")]],
       N_("the term with the input (Wax times xt) is missing")),
    entry("rcf_y_from_a_prev", "rnn_cell_forward",
       [[("softmax(np.dot(Wya, a_next) + by)", "softmax(np.dot(Wya, a_prev) + by)")]],
       N_("the prediction is computed from the previous state a_prev: use the new hidden state a_next")),
    entry("rcf_no_by", "rnn_cell_forward", [[("np.dot(Wya, a_next) + by)", "np.dot(Wya, a_next))")]],
       N_("the bias by of the prediction is missing")),
    entry("rcf_no_softmax", "rnn_cell_forward",
       [[("yt_pred = softmax(np.dot(Wya, a_next) + by)", "yt_pred = np.dot(Wya, a_next) + by")]],
       N_("the softmax of the prediction is missing")),
    entry("rcf_y_sigmoid", "rnn_cell_forward",
       [[("yt_pred = softmax(np.dot(Wya, a_next) + by)", "yt_pred = sigmoid(np.dot(Wya, a_next) + by)")]],
       N_("the prediction uses softmax, not sigmoid")),

    # --- rnn_forward -------------------------------------------------------------------------
    entry("rf_a0_every_step", "rnn_forward",
       [[("rnn_cell_forward(\n            x[:, :, t], a_next, parameters)",
          "rnn_cell_forward(\n            x[:, :, t], a0, parameters)")]],
       N_("the hidden state is not carried from step to step: each step must start from the "
          "state the previous step computed (a0 only for the first step)")),
    entry("rf_stores_previous", "rnn_forward",
       [[("        a_next, yt_pred, cache = rnn_cell_forward(\n            x[:, :, t], a_next, parameters)\n"
          "        # keep this step's hidden state, prediction and cache\n"
          "        a[:, :, t] = a_next\n",
          "        # keep this step's hidden state, prediction and cache\n"
          "        a[:, :, t] = a_next\n"
          "        a_next, yt_pred, cache = rnn_cell_forward(\n"
          "            x[:, :, t], a_next, parameters)\n")]],
       N_("a[:, :, t] holds the state that step t started from, not the one it computed")),
    entry("rf_a0_unused", "rnn_forward", [[("a_next = a0", "a_next = np.zeros((n_a, m))")]],
       N_("the hidden state must start from a0, the initial hidden state you are given")),
    entry("rf_alias_a", "rnn_forward", [[("a_next = a0", "a[:, :, -1] = a0\n    a_next = a[:, :, -1]")]],
       N_("a state stored in the caches was overwritten later: the hidden state you start from is a "
          "view into a, which the loop writes into; start from a0 itself")),
    entry("rf_no_append", "rnn_forward", [[("caches.append(cache)", "pass")]], kind="structure",
       expect=("caches[0] holds 0 cell caches", "T_x = 4")),
    entry("rf_dtype", "rnn_forward",
       [[("a = np.zeros((n_a, m, T_x), dtype=x.dtype)", "a = np.zeros((n_a, m, T_x))")]], kind="dtype",
       expect=("a is float64 (the float32 case", "dtype=x.dtype")),
    entry("rf_time_axis", "rnn_forward", [[("x[:, :, t]", "x[:, t, :]")]], kind="exception",
       expect=("raised ShapeError", "x[:, t, :]")),

    # --- rnn_cell_backward -------------------------------------------------------------------
    entry("rcb_tanh_again", "rnn_cell_backward",
       [[("(1 - a_next ** 2)", "(1 - np.tanh(a_next) ** 2)")],
        [("dz = (1 - a_next ** 2) * da_next", "dz = (1 - np.square(np.tanh(a_next))) * da_next")]],
       N_("a_next is already the tanh's output: its derivative is written with a_next itself, "
          "without taking the tanh again"),
       origin="learners: 6 implementations of a wrong tanh derivative in 7 repositories"),
    entry("rcb_dz_is_da", "rnn_cell_backward", [[("dz = (1 - a_next ** 2) * da_next", "dz = da_next")],
                                              [("dz = (1 - a_next ** 2) * da_next", "dz = 1 * da_next")]],
       N_("the tanh's derivative is missing from dz: da_next must be multiplied by it")),
    entry("rcb_no_da_next", "rnn_cell_backward",
       [[("dz = (1 - a_next ** 2) * da_next", "dz = 1 - a_next ** 2")]],
       N_("dz must be multiplied by da_next, the gradient that arrives at a_next")),
    entry("rcb_deriv_not_squared", "rnn_cell_backward",
       [[("dz = (1 - a_next ** 2) * da_next", "dz = (1 - a_next) * da_next")]],
       N_("the tanh's derivative is 1 minus the SQUARE of its output")),
    entry("rcb_deriv_of_a_prev", "rnn_cell_backward",
       [[("dz = (1 - a_next ** 2) * da_next", "dz = (1 - a_prev ** 2) * da_next")]],
       N_("the tanh's derivative comes from the state it computed, a_next, not from a_prev")),
    entry("rcb_no_keepdims", "rnn_cell_backward",
       [[("np.sum(dz, axis=1, keepdims=True)", "np.sum(dz, axis=1)")]], kind="shape",
       expect=("dba has shape (5,), want (5, 1)", "keepdims=True")),
    entry("rcb_dba_not_summed", "rnn_cell_backward",
          [[("dba = np.sum(dz, axis=1, keepdims=True)", "dba = dz")]],
       kind="shape", expect=("dba has shape (5, 10), want (5, 1)", "summed over the m = 10 examples")),
    entry("rcb_dba_axis0", "rnn_cell_backward",
       [[("np.sum(dz, axis=1, keepdims=True)", "np.sum(dz, axis=0, keepdims=True)")]], kind="shape",
       expect=("dba has shape (1, 10), want (5, 1)", "axis=1 (not axis=0)")),
    entry("rcb_no_transpose", "rnn_cell_backward", [[("np.dot(Wax.T, dz)", "np.dot(Wax, dz)")]],
       kind="exception", expect=("raised ValueError", "dxt = np.dot(Wax, dz)", "shapes")),

    # --- rnn_backward ------------------------------------------------------------------------
    entry("rb_not_carried", "rnn_backward",
       [[("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "rnn_cell_backward(da[:, :, t], caches[t])")],
        [('        da_prevt = gradients["da_prev"]\n', "")]],
       N_("the gradient that step t+1 passes back is lost: the hidden state a<t> receives the "
          "loss's own gradient AND the one carried back from the step after it"),
       origin="learners: 7 implementations in 9 repositories mishandle the loss's or the carried gradient"),
    entry("rb_only_carried", "rnn_backward",
       [[("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])", "rnn_cell_backward(da_prevt, caches[t])")]],
       N_("the loss's own gradient at step t, da[:, :, t], never enters the backward pass: a<t> "
          "receives it as well as the gradient carried back")),
    entry("rb_last_slice", "rnn_backward",
       [[("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "rnn_cell_backward(da[:, :, -1] + da_prevt, caches[t])")],
        [("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "rnn_cell_backward(da[:, :, T_x - 1] + da_prevt, caches[t])")]],
       N_("every step uses the loss's gradient of the last step: step t receives da[:, :, t]")),
    entry("rb_da_summed", "rnn_backward",
       [[("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "rnn_cell_backward(np.sum(da, axis=2) + da_prevt, caches[t])")],
        [("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "rnn_cell_backward(da.sum(axis=2) + da_prevt, caches[t])")]],
       N_("every step uses the loss's gradients of all steps, summed: step t receives only its own, "
          "da[:, :, t]")),
    entry("rb_overwritten", "rnn_backward",
       [[('dWax += gradients["dWax"]', 'dWax = gradients["dWax"]')],
        [('dWax += gradients["dWax"]', 'dWax = dWax * 0 + gradients["dWax"]')]],
       N_("dWax is overwritten at every step, so only the first step's share is left: every step "
          "uses the same weights, so their gradient adds up the shares of all the steps"),
       origin="learners: 4 implementations in 6 repositories overwrite the weight gradients"),
    entry("rb_adds_itself", "rnn_backward", [[('dWaa += gradients["dWaa"]', "dWaa += dWaa")]],
       N_("dWaa never receives the cells' gradients: it only adds itself to itself, and stays zero"),
       origin="learners: 2 implementations"),
    entry("rb_adds_itself_x", "rnn_backward", [[('dWax += gradients["dWax"]', "dWax += dWax")]],
       N_("dWax never receives the cells' gradients: it only adds itself to itself, and stays zero"),
       origin="learners: 2 implementations"),
    entry("rb_np_append", "rnn_forward", [[("caches.append(cache)", "caches = np.append(caches, cache)")]],
       kind="exception", expect=("np.append", "the list's append method"),
       origin="learners: 6 implementations build the caches with np.append"),
    entry("lf_np_append", "lstm_forward", [[("caches.append(cache)", "caches = np.append(caches, cache)")]],
       kind="exception", expect=("np.append", "the list's append method"),
       origin="learners: 6 implementations build the caches with np.append"),
    entry("rb_forwards", "rnn_backward", [[("for t in reversed(range(T_x)):", "for t in range(T_x):")]],
       N_("the steps are visited first to last: step t needs what step t+1 passes back, so "
          "backpropagation goes from the last step to the first")),
)

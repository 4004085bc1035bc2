"""Realistic wrong implementations of the graded functions, for the mutation tests.

Each mutant is the reference function's own source with one change (a line or an
expression replaced), compiled in a copy of its module's namespace. MUTANTS lists
(id, graded function name, mutant, words the check's message must contain).
"""

from rnn_utils import lstm, rnn
from rnn_utils.activations import sigmoid
from rnn_utils.mistakes import mutate

R, L = rnn, lstm
M = []  # (id, function name, mutant, expected words)


def get(ident):
    """The mutant called ident."""
    return next(m for i, _, m, _ in M if i == ident)


def add(ident, func, changes, expected, namespace=None):
    # sigmoid is in scope for every mutant: rnn.py does not import it, a learner's notebook does
    scope = {"sigmoid": sigmoid, **(namespace or {})}
    M.append((ident, func.__name__, mutate(func, *changes, namespace=scope), expected))


# --- rnn_cell_forward --------------------------------------------------------------------------
add("rcf_no_bias", R.rnn_cell_forward, [("np.dot(Wax, xt) + ba)", "np.dot(Wax, xt))")],
    ["a_next is wrong", "bias ba is missing"])
add("rcf_sigmoid", R.rnn_cell_forward, [("a_next = np.tanh(", "a_next = sigmoid(")],
    ["a_next is wrong", "tanh, not sigmoid"])
add("rcf_pred_from_a_prev", R.rnn_cell_forward,
    [("softmax(np.dot(Wya, a_next) + by)", "softmax(np.dot(Wya, a_prev) + by)")],
    ["yt_pred is wrong", "wrong state", "a_prev"])
add("rcf_no_by", R.rnn_cell_forward, [("np.dot(Wya, a_next) + by)", "np.dot(Wya, a_next))")],
    ["yt_pred is wrong", "bias by is missing"])
add("rcf_no_softmax", R.rnn_cell_forward,
    [("yt_pred = softmax(np.dot(Wya, a_next) + by)", "yt_pred = np.dot(Wya, a_next) + by")],
    ["yt_pred is wrong", "softmax is missing"])
add("rcf_double_bias", R.rnn_cell_forward, [("np.dot(Wax, xt) + ba)", "np.dot(Wax, xt) + 2 * ba)")],
    ["a_next is wrong", "bias ba is used wrongly"])
add("rcf_writes_into_a_prev", R.rnn_cell_forward,
    [("    a_next = np.tanh(", "    a_next = a_prev\n    a_next[:] = np.tanh(")],
    ["changed its input a_prev"])
add("rcf_placeholder", R.rnn_cell_forward,
    [("    a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)", "    a_next = None"),
     ("    yt_pred = softmax(np.dot(Wya, a_next) + by)", "    yt_pred = None")],
    ["rnn_cell_forward returned None for a_next", "START CODE HERE and END CODE HERE"])
add("rcf_unfinished", R.rnn_cell_forward,
    [("    yt_pred = softmax(np.dot(Wya, a_next) + by)", "    yt_pred = softmax(None + 1)")],
    ["rnn_cell_forward is not finished", "START CODE HERE and END CODE HERE", "yt_pred = softmax(None + 1)"])

# --- rnn_forward -------------------------------------------------------------------------------
add("rf_state_not_carried", R.rnn_forward,
    [("rnn_cell_forward(x[:, :, t], a_next, parameters)", "rnn_cell_forward(x[:, :, t], a0, parameters)")],
    ["a is wrong", "not carried between time steps"])
add("rf_stores_previous_state", R.rnn_forward,
    [("        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)\n"
      "        # save the new hidden state, the prediction and the cache\n"
      "        a[:, :, t] = a_next\n",
      "        a[:, :, t] = a_next\n"
      "        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)\n")],
    ["a is wrong", "new state a_next of step t"])
add("rf_no_cache_append", R.rnn_forward, [("caches.append(cache)", "pass")],
    ["caches[0] holds 0 cell caches", "T_x = 4"])
add("rf_wrong_time_slice", R.rnn_forward, [("x[:, :, t]", "x[:, t, :]")],
    ["raised ShapeError", "x[:, :, t]"])
add("rf_placeholder_loop", R.rnn_forward, [("for t in range(T_x):", "for t in range(None):")],
    ["rnn_forward is not finished", "START CODE HERE"])
add("rf_uses_wrong_cell", R.rnn_forward, [], ["a is wrong", "Note: rnn_forward calls your rnn_cell_forward"],
    namespace={"rnn_cell_forward": get("rcf_no_bias")})

# --- lstm_cell_forward -------------------------------------------------------------------------
add("lcf_concat_order", L.lstm_cell_forward,
    [("np.concatenate((a_prev, xt), axis=0)", "np.concatenate((xt, a_prev), axis=0)")],
    ["c_next is wrong", "concatenation order", "a_prev must be on top"])
add("lcf_forget_tanh", L.lstm_cell_forward, [("ft = sigmoid(", "ft = np.tanh(")],
    ["c_next is wrong", "forget gate ft uses sigmoid, not tanh"])
add("lcf_candidate_sigmoid", L.lstm_cell_forward, [("cct = np.tanh(", "cct = sigmoid(")],
    ["c_next is wrong", "candidate value cct uses tanh, not sigmoid"])
add("lcf_no_bo", L.lstm_cell_forward, [("np.dot(Wo, concat) + bo)", "np.dot(Wo, concat))")],
    ["a_next is wrong", "bias bo of the output gate ot is missing"])
add("lcf_no_tanh_c", L.lstm_cell_forward, [("a_next = ot * np.tanh(c_next)", "a_next = ot * c_next")],
    ["a_next is wrong", "tanh is missing"])
add("lcf_pred_from_c", L.lstm_cell_forward, [("np.dot(Wy, a_next)", "np.dot(Wy, c_next)")],
    ["yt_pred is wrong", "wrong state", "not c_next"])
add("lcf_no_forget_term", L.lstm_cell_forward, [("c_next = ft * c_prev + it * cct", "c_next = it * cct")],
    ["c_next is wrong", "ft * c_prev is missing"])
add("lcf_update_gate_scaled", L.lstm_cell_forward, [("it = sigmoid(np.dot(Wi, concat) + bi)",
                                                     "it = sigmoid(np.dot(Wi, concat) + bi) / 2")],
    ["c_next is wrong", "update gate it is wrong"])
add("lcf_stores_in_parameters", L.lstm_cell_forward,
    [("    ft = sigmoid(", "    parameters[\"concat\"] = concat\n    ft = sigmoid(")],
    ["changed its input parameters"])

# --- lstm_forward ------------------------------------------------------------------------------
add("lf_c_not_carried", L.lstm_forward,
    [("lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)",
      "lstm_cell_forward(x[:, :, t], a_next, np.zeros((n_a, m)), parameters)")],
    ["c is wrong", "memory state is not carried"])
add("lf_a_not_carried", L.lstm_forward,
    [("lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)",
      "lstm_cell_forward(x[:, :, t], a0, c_next, parameters)")],
    ["c is wrong", "hidden state is not carried"])
add("lf_c0_is_a0", L.lstm_forward, [("c_next = np.zeros((n_a, m), dtype=x.dtype)", "c_next = a0")],
    ["c is wrong", "c<0> must be zeros"])
add("lf_swaps_a_and_c", L.lstm_forward, [("a[:, :, t] = a_next", "a[:, :, t] = c_next")],
    ["a is wrong", "not c_next"])
add("lf_placeholder_loop", L.lstm_forward, [("for t in range(T_x):", "for t in range(None):")],
    ["lstm_forward is not finished", "START CODE HERE"])

# --- rnn_cell_backward -------------------------------------------------------------------------
add("rcb_tanh_of_a_next", R.rnn_cell_backward, [("(1 - a_next ** 2)", "(1 - np.tanh(a_next) ** 2)")],
    ["dba is wrong", "1 - a_next**2"])
add("rcb_no_da_next", R.rnn_cell_backward,
    [("dtanh = (1 - a_next ** 2) * da_next", "dtanh = 1 - a_next ** 2")],
    ["dba is wrong", "by da_next"])
add("rcb_dba_no_keepdims", R.rnn_cell_backward, [("np.sum(dtanh, axis=1, keepdims=True)",
                                                  "np.sum(dtanh, axis=1)")],
    ["dba has shape (5,), want (5, 1)", "keepdims=True"])
add("rcb_dba_not_summed", R.rnn_cell_backward,
    [("dba = np.sum(dtanh, axis=1, keepdims=True)", "dba = dtanh")],
    ["dba has shape (5, 10), want (5, 1)", "summed over the m = 10 examples"])
add("rcb_dba_axis0", R.rnn_cell_backward, [("np.sum(dtanh, axis=1, keepdims=True)",
                                            "np.sum(dtanh, axis=0, keepdims=True)")],
    ["dba has shape (1, 10), want (5, 1)", "axis=1 (not axis=0)"])
add("rcb_dxt_no_transpose", R.rnn_cell_backward, [("np.dot(Wax.T, dtanh)", "np.dot(Wax, dtanh)")],
    ["raised ValueError", "dxt = np.dot(Wax, dtanh)", "a transpose"])

# --- rnn_backward ------------------------------------------------------------------------------
add("rb_not_carried", R.rnn_backward,
    [("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])", "rnn_cell_backward(da[:, :, t], caches[t])")],
    ["da_prev is not carried from step t to step t-1"])
add("rb_not_summed", R.rnn_backward, [('dWax += gradients["dWax"]', 'dWax = gradients["dWax"]')],
    ["dWax is wrong", "not summed over time", "dWax += gradients['dWax']"])
add("rb_forward_loop", R.rnn_backward, [("for t in reversed(range(T_x)):", "for t in range(T_x):")],
    ["must go backwards in time"])
add("rb_pops_caches", R.rnn_backward, [("caches[t])", "caches.pop())")],
    ["changed its input caches[0] (items were added or removed)"])
add("rb_uses_wrong_cell", R.rnn_backward, [], ["Note: rnn_backward calls your rnn_cell_backward"],
    namespace={"rnn_cell_backward": get("rcb_tanh_of_a_next")})

# --- lstm_cell_backward ------------------------------------------------------------------------
add("lcb_tanh_of_cct", L.lstm_cell_backward, [("(1 - cct ** 2)", "(1 - np.tanh(cct) ** 2)")],
    ["dbc is wrong", "1 - cct**2, not 1 - np.tanh(cct)**2"])
add("lcb_parens_dcct", L.lstm_cell_backward,
    [("dcct = (dc_next * it + ot * (1 - tanh_c ** 2) * it * da_next) * (1 - cct ** 2)",
      "dcct = dc_next * it + ot * (1 - tanh_c ** 2) * it * da_next * (1 - cct ** 2)")],
    ["dbc is wrong", "parentheses: in dcct the dc_next term must be multiplied"])
add("lcb_parens_dit", L.lstm_cell_backward,
    [("dit = (dc_next * cct + ot * (1 - tanh_c ** 2) * cct * da_next) * it * (1 - it)",
      "dit = dc_next * cct + ot * (1 - tanh_c ** 2) * cct * da_next * it * (1 - it)")],
    ["dbi is wrong", "parentheses: in dit"])
add("lcb_parens_dft", L.lstm_cell_backward,
    [("dft = (dc_next * c_prev + ot * (1 - tanh_c ** 2) * c_prev * da_next) * ft * (1 - ft)",
      "dft = dc_next * c_prev + ot * (1 - tanh_c ** 2) * c_prev * da_next * ft * (1 - ft)")],
    ["dbf is wrong", "parentheses: in dft"])
add("lcb_rows_for_da_prev", L.lstm_cell_backward, [("[:, :n_a]", "[:n_a, :]", 4)],
    ["da_prev has shape (8, 10), want (5, 10)", "rows instead of columns"])
add("lcb_rows_for_dxt", L.lstm_cell_backward, [("[:, n_a:]", "[n_a:, :]", 4)],
    ["raised ValueError", "COLUMNS"])
add("lcb_dc_prev_without_da", L.lstm_cell_backward,
    [("dc_prev = dc_next * ft + ot * (1 - tanh_c ** 2) * ft * da_next", "dc_prev = dc_next * ft")],
    ["dc_prev is wrong", "dc_prev also receives da_next"])
add("lcb_concat_order", L.lstm_cell_backward,
    [("concat = np.concatenate((a_prev, xt), axis=0)", "concat = np.concatenate((xt, a_prev), axis=0)")],
    ["dWo is wrong", "same concat as the forward pass", "a_prev on top"])
add("lcb_dot_no_sigmoid_derivative", L.lstm_cell_backward,
    [("dot = da_next * tanh_c * ot * (1 - ot)", "dot = da_next * tanh_c")],
    ["dbo is wrong", "sigmoid derivative"])
add("lcb_dc_next_dropped_from_dft", L.lstm_cell_backward,
    [("dft = (dc_next * c_prev + ot", "dft = (0.5 * dc_next * c_prev + ot")],
    ["dbf is wrong", "the dc_next term of dbf is wrong"])
add("lcb_placeholder", L.lstm_cell_backward,
    [("    dxt = (np.dot(", "    dxt = None\n    dxt_ = (np.dot(")],
    ["lstm_cell_backward returned None for dxt", "START CODE HERE"])

# --- lstm_backward -----------------------------------------------------------------------------
add("lb_da_not_carried", L.lstm_backward,
    [("lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])",
      "lstm_cell_backward(da[:, :, t], dc_prevt, caches[t])")],
    ["dbo is wrong", "da_prev is not carried from step t to step t-1"])
add("lb_dc_not_carried", L.lstm_backward,
    [("lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])",
      "lstm_cell_backward(da[:, :, t] + da_prevt, np.zeros((n_a, m)), caches[t])")],
    ["dc_prev is not carried from step t to step t-1"])
add("lb_nothing_carried", L.lstm_backward,
    [("lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])",
      "lstm_cell_backward(da[:, :, t], np.zeros((n_a, m)), caches[t])")],
    ["da_prev and dc_prev are not carried"])
add("lb_not_summed", L.lstm_backward, [('dWf += gradients["dWf"]', 'dWf = gradients["dWf"]')],
    ["dWf is wrong", "not summed over time"])
add("lb_bias_not_summed", L.lstm_backward, [('dbi += gradients["dbi"]', 'dbi = gradients["dbi"]')],
    ["dbi is wrong", "not summed over time"])
add("lb_adds_into_da", L.lstm_backward,
    [("        gradients = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])",
      "        da[:, :, t] += da_prevt\n"
      "        gradients = lstm_cell_backward(da[:, :, t], dc_prevt, caches[t])")],
    ["changed its input da"])
add("lb_uses_wrong_cell", L.lstm_backward, [], ["Note: lstm_backward calls your lstm_cell_backward"],
    namespace={"lstm_cell_backward": get("lcb_tanh_of_cct")})
add("lb_placeholder_loop", L.lstm_backward,
    [("for t in reversed(range(T_x)):", "for t in reversed(range(None)):")],
    ["lstm_backward is not finished", "START CODE HERE"])

MUTANTS = M

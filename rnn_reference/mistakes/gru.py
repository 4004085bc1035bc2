"""The common mistakes of the GRU's graded functions: its rows of the table (rnn_reference.mistakes)."""

from rnn_reference.mistakes.entry import assignment_parameters, entry
from rnn_utils.i18n import N_

MISTAKES = (
    # --- gru_cell_forward --------------------------------------------------------------------
    entry("gcf_concat_order", "gru_cell_forward",
       [[("np.concatenate((a_prev, xt), axis=0)", "np.concatenate((xt, a_prev), axis=0)"),
         ("np.concatenate((rt * a_prev, xt), axis=0)", "np.concatenate((xt, rt * a_prev), axis=0)")],
        [("np.concatenate((a_prev, xt), axis=0)", "np.vstack((xt, a_prev))"),
         ("np.concatenate((rt * a_prev, xt), axis=0)", "np.vstack((xt, rt * a_prev))")]],
       N_("the stacking order is wrong: every gate weight expects the previous hidden state on top "
          "of the input, a_prev first and xt below it")),
    entry("gcf_reset_after_product", "gru_cell_forward",
       [[("concat_reset = np.concatenate((rt * a_prev, xt), axis=0)", "n_a = a_prev.shape[0]"),
         ("cct = np.tanh(np.dot(Wc, concat_reset) + bc)",
          "cct = np.tanh(rt * np.dot(Wc[:, :n_a], a_prev) + np.dot(Wc[:, n_a:], xt) + bc)")],
        [("cct = np.tanh(np.dot(Wc, concat_reset) + bc)",
          "cct = np.tanh(rt * np.dot(Wc[:, :a_prev.shape[0]], a_prev)"
          " + np.dot(Wc[:, a_prev.shape[0]:], xt) + bc)")]],
       N_("the reset gate is applied after Wc has multiplied the previous hidden state (PyTorch's "
          "convention, a different GRU): in this course it acts on the previous hidden state itself, "
          "before Wc multiplies it")),
    entry("gcf_no_reset", "gru_cell_forward",
       [[("np.concatenate((rt * a_prev, xt), axis=0)", "np.concatenate((a_prev, xt), axis=0)")],
        [("np.dot(Wc, concat_reset)", "np.dot(Wc, concat)")]],
       N_("the reset gate is not used: the candidate must see the previous hidden state through the "
          "reset gate rt, not the whole of a_prev")),
    entry("gcf_update_swapped", "gru_cell_forward",
       [[("a_next = ut * cct + (1 - ut) * a_prev", "a_next = (1 - ut) * cct + ut * a_prev")],
        [("a_next = ut * cct + (1 - ut) * a_prev", "a_next = ut * a_prev + (1 - ut) * cct")]],
       N_("the update gate's roles are swapped: ut is the share of the candidate that is written, "
          "and the rest, 1 - ut, is the share of the previous state that is kept")),
    entry("gcf_no_keep_term", "gru_cell_forward",
       [[("a_next = ut * cct + (1 - ut) * a_prev", "a_next = ut * cct")]],
       N_("the new hidden state has lost the previous one: the share 1 - ut of a_prev that the update "
          "gate keeps is missing")),
    entry("gcf_no_update_gate", "gru_cell_forward",
       [[("a_next = ut * cct + (1 - ut) * a_prev", "a_next = cct")]],
       N_("the update gate is not used: the new hidden state is its mix of the candidate and the "
          "previous hidden state, not the candidate alone")),
    *[entry(f"gcf_{var}_{wrong}", "gru_cell_forward",
         [[(f"{var} = {right_code}(", f"{var} = {wrong_code}(")]], cause)
      for var, wrong, right_code, wrong_code, cause in (
          ("rt", "tanh", "sigmoid", "np.tanh", N_("the reset gate rt uses sigmoid, not tanh")),
          ("ut", "tanh", "sigmoid", "np.tanh", N_("the update gate ut uses sigmoid, not tanh")),
          ("cct", "sigmoid", "np.tanh", "sigmoid", N_("the candidate value cct uses tanh, not sigmoid")))],
    entry("gcf_y_from_a_prev", "gru_cell_forward",
       [[("softmax(np.dot(Wy, a_next) + by)", "softmax(np.dot(Wy, a_prev) + by)")]],
       N_("the prediction is computed from the previous state a_prev: use the new hidden state a_next")),
    entry("gcf_no_softmax", "gru_cell_forward",
       [[("yt_pred = softmax(np.dot(Wy, a_next) + by)", "yt_pred = np.dot(Wy, a_next) + by")]],
       N_("the softmax of the prediction is missing")),

    # --- gru_forward -------------------------------------------------------------------------
    entry("gf_a0_every_step", "gru_forward",
       [[("gru_cell_forward(\n            x[:, :, t], a_next, parameters)",
          "gru_cell_forward(\n            x[:, :, t], a0, parameters)")]],
       N_("the hidden state is not carried from step to step: each step must start from the state "
          "the previous step computed (a0 only for the first step)")),
    entry("gf_a0_unused", "gru_forward",
       [[("a_next = a0", "a_next = np.zeros((n_a, m))")],
        [("a_next = a0", "a_next = np.zeros_like(a0)")]],
       N_("the hidden state must start from a0, the initial hidden state you are given")),
    entry("gf_stores_previous", "gru_forward",
       [[("        a_next, yt_pred, cache = gru_cell_forward(\n            x[:, :, t], a_next, parameters)\n"
          "        a[:, :, t] = a_next\n",
          "        a[:, :, t] = a_next\n"
          "        a_next, yt_pred, cache = gru_cell_forward(\n"
          "            x[:, :, t], a_next, parameters)\n")]],
       N_("a[:, :, t] holds the state that step t started from, not the one it computed")),
    entry("gf_no_append", "gru_forward", [[("caches.append(cache)", "pass")]], kind="structure",
       expect=("caches[0] holds 0 cell caches", "T_x = 4")),
    entry("gf_time_axis", "gru_forward", [[("x[:, :, t]", "x[:, t, :]")]], kind="exception",
       expect=("raised ShapeError", "x[:, t, :]")),

    # --- gru_cell_backward -------------------------------------------------------------------
    entry("gcb_tanh_twice", "gru_cell_backward",
       [[("(1 - cct ** 2)", "(1 - np.tanh(cct) ** 2)")],
        [("dz_c = dcct * (1 - cct ** 2)", "dz_c = dcct * (1 - np.square(np.tanh(cct)))")]],
       N_("cct is already a tanh output: the derivative of the candidate's tanh is written with cct "
          "itself, without taking the tanh again"),
       demo=N_("Applying tanh twice")),
    entry("gcb_dcct_no_ut", "gru_cell_backward", [[("dcct = da_next * ut", "dcct = da_next")]],
       N_("the candidate enters the new hidden state through the update gate: the gradient that "
          "reaches it is multiplied by ut")),
    entry("gcb_dz_u_no_derivative", "gru_cell_backward",
       [[("dz_u = dut * ut * (1 - ut)", "dz_u = dut")]],
       N_("dz_u must go through the update gate's sigmoid derivative")),
    entry("gcb_dz_r_no_derivative", "gru_cell_backward",
       [[("dz_r = drt * rt * (1 - rt)", "dz_r = drt")]],
       N_("dz_r must go through the reset gate's sigmoid derivative")),
    entry("gcb_dut_sign", "gru_cell_backward",
       [[("dut = da_next * (cct - a_prev)", "dut = da_next * (a_prev - cct)")]],
       N_("the update gate's gradient has the wrong sign: raising ut moves a_next towards the "
          "candidate and away from the previous state")),
    entry("gcb_drt_no_a_prev", "gru_cell_backward", [[("drt = da_reset * a_prev", "drt = da_reset")]],
       N_("the reset gate multiplied the previous hidden state: the gradient that reaches it is "
          "multiplied by a_prev")),
    entry("gcb_dWc_from_concat", "gru_cell_backward",
       [[("np.dot(dz_c, concat_reset.T)", "np.dot(dz_c, concat.T)")]],
       N_("dWc is built from the wrong stack: the candidate's weights multiplied the reset-gated "
          "previous state on top of xt, not a_prev itself"),
       demo=N_("Building dWc from the wrong stack")),
    entry("gcb_concat_order", "gru_cell_backward",
       [[("np.concatenate((a_prev, xt), axis=0)", "np.concatenate((xt, a_prev), axis=0)"),
         ("np.concatenate((rt * a_prev, xt), axis=0)", "np.concatenate((xt, rt * a_prev), axis=0)")]],
       N_("the backward pass must use the same stacking as the forward pass, a_prev on top of xt")),
    entry("gcb_no_direct_path", "gru_cell_backward",
       [[("da_prev = (da_next * (1 - ut) + da_reset * rt", "da_prev = (da_reset * rt")]],
       N_("da_prev is missing its direct path: a_next keeps the share 1 - ut of a_prev, so da_next "
          "reaches a_prev directly as well as through the candidate and the gates"),
       demo=N_("Forgetting the direct path")),
    entry("gcb_direct_path_no_keep", "gru_cell_backward",
       [[("da_prev = (da_next * (1 - ut) + ", "da_prev = (da_next + ")]],
       N_("the direct path of da_prev goes through the share of a_prev that the update gate keeps, "
          "1 - ut")),
    entry("gcb_no_reset_path", "gru_cell_backward",
       [[("da_prev = (da_next * (1 - ut) + da_reset * rt\n", "da_prev = (da_next * (1 - ut)\n")]],
       N_("da_prev is missing its path through the candidate: the candidate saw the reset-gated "
          "previous state, so that gradient reaches a_prev too, through the reset gate")),
    entry("gcb_reset_path_no_rt", "gru_cell_backward", [[("+ da_reset * rt\n", "+ da_reset\n")]],
       N_("the gradient of the reset-gated previous state reaches a_prev through the reset gate: it "
          "is multiplied by rt")),
    entry("gcb_no_gate_paths", "gru_cell_backward",
       [[("da_prev = (da_next * (1 - ut) + da_reset * rt\n"
          "               + np.dot(Wr[:, :n_a].T, dz_r) + np.dot(Wu[:, :n_a].T, dz_u))",
          "da_prev = da_next * (1 - ut) + da_reset * rt")]],
       N_("da_prev is missing its paths through the gates: a_prev also entered the reset and update "
          "gates, through the first n_a columns of their weights")),
    entry("gcb_da_prev_from_dW", "gru_cell_backward",
       [[("np.dot(Wr[:, :n_a].T", "np.dot(dWr[:, :n_a].T"),
         ("np.dot(Wu[:, :n_a].T", "np.dot(dWu[:, :n_a].T")]],
       N_("da_prev goes back through the gate weights themselves, not through their gradients")),
    entry("gcb_rows", "gru_cell_backward", [[("[:, :n_a]", "[:n_a, :]", 3)]], kind="exception",
       expect=("raised ValueError", "shapes")),
    entry("gcb_no_keepdims", "gru_cell_backward",
       [[("np.sum(dz_r, axis=1, keepdims=True)", "np.sum(dz_r, axis=1)")]], kind="shape",
       expect=("dbr has shape (5,), want (5, 1)", "keepdims=True")),
    entry("gcb_reads_notebook", "gru_cell_backward",
       [[('Wc = parameters["Wc"]', 'Wc = parameters_tmp["Wc"]')]], kind="globals",
       expect=("parameters_tmp", "notebook", "parameters argument"),
       namespace=(("parameters_tmp", lambda: assignment_parameters("gru")),)),

    # --- gru_backward ------------------------------------------------------------------------
    entry("gb_not_carried", "gru_backward",
       [[("gru_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "gru_cell_backward(da[:, :, t], caches[t])")],
        [('        da_prevt = gradients["da_prev"]\n', "")]],
       N_("the gradient that step t+1 passes back is lost: the hidden state a<t> receives the "
          "loss's own gradient AND the one carried back from the step after it"),
       demo=N_("Not carrying da_prev back")),
    entry("gb_only_carried", "gru_backward",
       [[("gru_cell_backward(da[:, :, t] + da_prevt, caches[t])", "gru_cell_backward(da_prevt, caches[t])")]],
       N_("the loss's own gradient at step t, da[:, :, t], never enters the backward pass: a<t> "
          "receives it as well as the gradient carried back")),
    entry("gb_overwritten", "gru_backward",
       [[('dWc += gradients["dWc"]', 'dWc = gradients["dWc"]')]],
       N_("dWc is overwritten at every step, so only the first step's share is left: every step "
          "uses the same weights, so their gradient adds up the shares of all the steps")),
    entry("gb_bias_overwritten", "gru_backward",
       [[('dbu += gradients["dbu"]', 'dbu = gradients["dbu"]')]],
       N_("dbu is overwritten at every step, so only the first step's share is left: every step "
          "uses the same biases, so their gradient adds up the shares of all the steps")),
    entry("gb_forwards", "gru_backward", [[("for t in reversed(range(T_x)):", "for t in range(T_x):")]],
       N_("the steps are visited first to last: step t needs what step t+1 passes back, so "
          "backpropagation goes from the last step to the first")),
)

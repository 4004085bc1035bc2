"""The course's table of common mistakes: one entry per mistake, used everywhere.

Each entry is a realistic wrong version of a graded function, written as one or more text
changes to the reference code (``forms``: several spellings of the same mistake, each a
list of changes), with the "likely cause" the checks give when they see it. The table drives

- the checks' diagnosis: ``python -m rnn_reference.make`` runs the first form of every
  mistake of kind "values" on the checks' cases and stores its outputs beside the right
  answers; a learner's function whose outputs equal a mistake's is told that mistake's cause;
- the common-mistakes sections of notebooks 4 and 6 (the entries with a ``demo`` title),
  which make each mistake in the learner's own code once their check passes;
- the mutation tests (tests/test_mistakes.py): every form of every entry is rejected by its
  check with a message that contains the entry's ``expect`` words.

Kinds: "values" -- the function returns wrong numbers, diagnosed by comparing them with the
stored outputs of the mistake; "shape" -- a wrong shape, which the check explains from the
shapes alone; "dtype" -- float64 outputs for float32 inputs, seen in the float32 case;
"exception" -- the function raises, which the check explains from the error;
"structure" -- a wrong container (a cache, a list of caches), explained from its contents;
"globals" -- the function reads a notebook variable, seen in its code.

Every cause and title is written in English and marked with ``N_()`` for the ``mistakes``
message catalogue (rnn_utils.i18n): the table, and the stored answers made from it, keep the
English, and the checks translate a cause or a title where they show it.

This module holds fragments of the reference solution: it is not part of the learner
edition (see docs/design.md).

    MISTAKES -- the table, a tuple of Mistake
    mistake(ident) -- the entry called ident
    with_mistake(ident, form=0) -- the reference function with that mistake made
    mutate(func, *changes) -- any function with any text changes (the tests use it too)
"""

import inspect
import linecache
import textwrap
from importlib import import_module
from typing import NamedTuple

import numpy as np

from rnn_utils.i18n import N_

__all__ = ["Mistake", "MISTAKES", "mistake", "with_mistake", "mutate", "reference", "demonstration"]


class Mistake(NamedTuple):
    """One common mistake of one graded function."""
    ident: str         # a short id, e.g. "lcb_tanh_of_cct"
    function: str      # the graded function it is made in
    forms: tuple       # ways to write it: each a tuple of changes (old, new) or (old, new, count)
    cause: str = ""    # the "likely cause" the check gives (kind "values")
    kind: str = "values"
    expect: tuple = ()  # words the check's message must contain (default: the cause)
    origin: str = ""   # "published" (the old notebook's own error) or how often learners make it
    demo: str = ""     # its title in a notebook's common-mistakes section, if shown there
    namespace: tuple = ()  # (name, make) pairs: make() is added to the mutant's globals as name

    @property
    def words(self):
        return self.expect or (self.cause,)


def _assignment_parameters(cell):
    """Parameters of the assignment's sizes (n_x=3, n_a=5, n_y=2), as a notebook's test cell makes."""
    from rnn_utils.cells import random_parameters

    return random_parameters(cell, np.random.default_rng(1), 3, 5, 2)


def _m(ident, function, forms, cause="", **extra):
    return Mistake(ident, function, tuple(tuple(form) for form in forms), cause, **extra)


# the same change written for every gate's line of the LSTM backward pass
def _each(template, gates="fico"):
    return [tuple((template[0].format(g=g), template[1].format(g=g)) for g in gates)]


MISTAKES = (
    # --- rnn_cell_forward ------------------------------------------------------------------
    _m("rcf_no_ba", "rnn_cell_forward", [[("np.dot(Wax, xt) + ba)", "np.dot(Wax, xt))")]],
       N_("the bias ba is missing from the hidden state")),
    _m("rcf_sigmoid", "rnn_cell_forward", [[("a_next = np.tanh(", "a_next = sigmoid(")]],
       N_("the hidden state uses tanh, not sigmoid")),
    _m("rcf_no_tanh", "rnn_cell_forward",
       [[("a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)",
          "a_next = np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba")]],
       N_("the tanh is missing: the hidden state is the tanh of the weighted sum")),
    _m("rcf_no_Waa", "rnn_cell_forward", [[("np.dot(Waa, a_prev) + np.dot(Wax, xt)", "np.dot(Wax, xt)")]],
       N_("the term with the previous hidden state (Waa times a_prev) is missing")),
    _m("rcf_no_Wax", "rnn_cell_forward", [[("np.dot(Waa, a_prev) + np.dot(Wax, xt)", "np.dot(Waa, a_prev)")]],
       N_("the term with the input (Wax times xt) is missing")),
    _m("rcf_y_from_a_prev", "rnn_cell_forward",
       [[("softmax(np.dot(Wya, a_next) + by)", "softmax(np.dot(Wya, a_prev) + by)")]],
       N_("the prediction is computed from the previous state a_prev: use the new hidden state a_next")),
    _m("rcf_no_by", "rnn_cell_forward", [[("np.dot(Wya, a_next) + by)", "np.dot(Wya, a_next))")]],
       N_("the bias by of the prediction is missing")),
    _m("rcf_no_softmax", "rnn_cell_forward",
       [[("yt_pred = softmax(np.dot(Wya, a_next) + by)", "yt_pred = np.dot(Wya, a_next) + by")]],
       N_("the softmax of the prediction is missing")),
    _m("rcf_y_sigmoid", "rnn_cell_forward",
       [[("yt_pred = softmax(np.dot(Wya, a_next) + by)", "yt_pred = sigmoid(np.dot(Wya, a_next) + by)")]],
       N_("the prediction uses softmax, not sigmoid")),

    # --- rnn_forward -------------------------------------------------------------------------
    _m("rf_a0_every_step", "rnn_forward",
       [[("rnn_cell_forward(\n            x[:, :, t], a_next, parameters)",
          "rnn_cell_forward(\n            x[:, :, t], a0, parameters)")]],
       N_("the hidden state is not carried from step to step: each step must start from the "
          "state the previous step computed (a0 only for the first step)")),
    _m("rf_stores_previous", "rnn_forward",
       [[("        a_next, yt_pred, cache = rnn_cell_forward(\n            x[:, :, t], a_next, parameters)\n"
          "        # keep this step's hidden state, prediction and cache\n"
          "        a[:, :, t] = a_next\n",
          "        # keep this step's hidden state, prediction and cache\n"
          "        a[:, :, t] = a_next\n"
          "        a_next, yt_pred, cache = rnn_cell_forward(\n"
          "            x[:, :, t], a_next, parameters)\n")]],
       N_("a[:, :, t] holds the state that step t started from, not the one it computed")),
    _m("rf_a0_unused", "rnn_forward", [[("a_next = a0", "a_next = np.zeros((n_a, m))")]],
       N_("the hidden state must start from a0, the initial hidden state you are given")),
    _m("rf_alias_a", "rnn_forward", [[("a_next = a0", "a[:, :, -1] = a0\n    a_next = a[:, :, -1]")]],
       N_("a state stored in the caches was overwritten later: the hidden state you start from is a "
          "view into a, which the loop writes into; start from a0 itself")),
    _m("rf_no_append", "rnn_forward", [[("caches.append(cache)", "pass")]], kind="structure",
       expect=("caches[0] holds 0 cell caches", "T_x = 4")),
    _m("rf_dtype", "rnn_forward",
       [[("a = np.zeros((n_a, m, T_x), dtype=x.dtype)", "a = np.zeros((n_a, m, T_x))")]], kind="dtype",
       expect=("a is float64 (the float32 case", "dtype=x.dtype")),
    _m("rf_time_axis", "rnn_forward", [[("x[:, :, t]", "x[:, t, :]")]], kind="exception",
       expect=("raised ShapeError", "x[:, t, :]")),

    # --- lstm_cell_forward -------------------------------------------------------------------
    _m("lcf_concat_order", "lstm_cell_forward",
       [[("np.concatenate((a_prev, xt), axis=0)", "np.concatenate((xt, a_prev), axis=0)")]],
       N_("the stacking order is wrong: the gate weights expect a_prev on top of xt")),
    *[_m(f"lcf_{var}_{wrong}", "lstm_cell_forward",
         [[(f"{var} = {right_code}(", f"{var} = {wrong_code}(")]], cause)
      for var, wrong, right_code, wrong_code, cause in (
          ("ft", "tanh", "sigmoid", "np.tanh", N_("the forget gate ft uses sigmoid, not tanh")),
          ("it", "tanh", "sigmoid", "np.tanh", N_("the update gate it uses sigmoid, not tanh")),
          ("cct", "sigmoid", "np.tanh", "sigmoid", N_("the candidate value cct uses tanh, not sigmoid")),
          ("ot", "tanh", "sigmoid", "np.tanh", N_("the output gate ot uses sigmoid, not tanh")))],
    *[_m(f"lcf_no_b{g}", "lstm_cell_forward", [[(f"concat) + b{g})", "concat))")]], cause)
      for g, cause in (("f", N_("the bias bf of the forget gate ft is missing")),
                       ("i", N_("the bias bi of the update gate it is missing")),
                       ("c", N_("the bias bc of the candidate value cct is missing")),
                       ("o", N_("the bias bo of the output gate ot is missing")))],
    _m("lcf_no_forget_term", "lstm_cell_forward",
       [[("c_next = ft * c_prev + it * cct", "c_next = it * cct")]],
       N_("the new memory state has lost the old one: the term ft * c_prev is missing")),
    _m("lcf_no_update_term", "lstm_cell_forward",
       [[("c_next = ft * c_prev + it * cct", "c_next = ft * c_prev + cct")]],
       N_("the candidate value enters the memory without the update gate it")),
    _m("lcf_no_tanh_c", "lstm_cell_forward",
       [[("a_next = ot * np.tanh(c_next)", "a_next = ot * c_next")]],
       N_("the tanh is missing: the hidden state is the output gate times the tanh of the memory state")),
    _m("lcf_a_from_c_prev", "lstm_cell_forward",
       [[("a_next = ot * np.tanh(c_next)", "a_next = ot * np.tanh(c_prev)")]],
       N_("the hidden state must use the new memory state c_next, not c_prev")),
    _m("lcf_y_from_a_prev", "lstm_cell_forward",
       [[("softmax(np.dot(Wy, a_next) + by)", "softmax(np.dot(Wy, a_prev) + by)")]],
       N_("the prediction is computed from the previous state a_prev: use the new hidden state a_next")),
    _m("lcf_y_from_c", "lstm_cell_forward",
       [[("softmax(np.dot(Wy, a_next) + by)", "softmax(np.dot(Wy, c_next) + by)")]],
       N_("the prediction is computed from the memory state: use the hidden state a_next, not c_next")),
    _m("lcf_no_by", "lstm_cell_forward", [[("np.dot(Wy, a_next) + by)", "np.dot(Wy, a_next))")]],
       N_("the bias by of the prediction is missing")),
    _m("lcf_y_sigmoid", "lstm_cell_forward",
       [[("yt_pred = softmax(np.dot(Wy, a_next) + by)", "yt_pred = sigmoid(np.dot(Wy, a_next) + by)")]],
       N_("the prediction uses softmax, not sigmoid")),
    _m("lcf_no_softmax", "lstm_cell_forward",
       [[("yt_pred = softmax(np.dot(Wy, a_next) + by)", "yt_pred = np.dot(Wy, a_next) + by")]],
       N_("the softmax of the prediction is missing")),

    # --- lstm_forward ------------------------------------------------------------------------
    _m("lf_c_not_carried", "lstm_forward",
       [[("lstm_cell_forward(\n            x[:, :, t], a_next, c_next, parameters)",
          "lstm_cell_forward(\n            x[:, :, t], a_next, np.zeros((n_a, m)), parameters)")]],
       N_("the memory state is not carried from step to step: pass the c_next of step t to step t+1")),
    _m("lf_a_not_carried", "lstm_forward",
       [[("lstm_cell_forward(\n            x[:, :, t], a_next, c_next, parameters)",
          "lstm_cell_forward(\n            x[:, :, t], a0, c_next, parameters)")]],
       N_("the hidden state is not carried from step to step: pass the a_next of step t to step t+1")),
    _m("lf_none_carried", "lstm_forward",
       [[("lstm_cell_forward(\n            x[:, :, t], a_next, c_next, parameters)",
          "lstm_cell_forward(\n            x[:, :, t], a0, np.zeros((n_a, m)), parameters)")]],
       N_("neither state is carried from step to step: pass a_next and c_next of step t to step t+1")),
    _m("lf_c0_is_a0", "lstm_forward", [[("c_next = np.zeros((n_a, m), dtype=x.dtype)", "c_next = a0")]],
       N_("the memory state must start from zeros, not from a0")),
    _m("lf_a0_unused", "lstm_forward", [[("a_next = a0", "a_next = np.zeros((n_a, m))")]],
       N_("the hidden state must start from a0, the initial hidden state you are given")),
    _m("lf_c_holds_a", "lstm_forward", [[("c[:, :, t] = c_next", "c[:, :, t] = a_next")]],
       N_("c[:, :, t] must hold the memory state c_next, not the hidden state")),
    _m("lf_a_holds_c", "lstm_forward",
       [[("a[:, :, t] = a_next", "a[:, :, t] = c_next")],
        [("    c = np.zeros((n_a, m, T_x), dtype=x.dtype)\n", "    c = a\n")]],
       N_("a ends up holding the memory states: either the loop stores c_next into a, or a and c are "
          "one array (c = a gives one array two names: make c with its own zeros)"),
       origin="learners: 14 implementations in 29 repositories alias a state"),
    _m("lf_alias_c", "lstm_forward",
       [[("c_next = np.zeros((n_a, m), dtype=x.dtype)", "c_next = c[:, :, 0]")],
        [("c_next = np.zeros((n_a, m), dtype=x.dtype)", "c_next = c[..., 0]")]],
       N_("a state stored in the caches was overwritten later: the memory state you start from is a "
          "view into c, which the loop writes into; start from a new array of zeros"),
       origin="learners: 14 implementations in 29 repositories alias a state"),
    _m("lf_alias_a", "lstm_forward",
       [[("a_next = a0", "a[:, :, -1] = a0\n    a_next = a[:, :, -1]")]],
       N_("a state stored in the caches was overwritten later: the hidden state you start from is a "
          "view into a, which the loop writes into; start from a0 itself"),
       origin="learners: 14 implementations in 29 repositories alias a state"),

    # --- rnn_cell_backward -------------------------------------------------------------------
    _m("rcb_tanh_again", "rnn_cell_backward",
       [[("(1 - a_next ** 2)", "(1 - np.tanh(a_next) ** 2)")],
        [("dz = (1 - a_next ** 2) * da_next", "dz = (1 - np.square(np.tanh(a_next))) * da_next")]],
       N_("a_next is already the tanh's output: its derivative is written with a_next itself, "
          "without taking the tanh again"),
       origin="learners: 6 implementations of a wrong tanh derivative in 7 repositories"),
    _m("rcb_dz_is_da", "rnn_cell_backward", [[("dz = (1 - a_next ** 2) * da_next", "dz = da_next")],
                                              [("dz = (1 - a_next ** 2) * da_next", "dz = 1 * da_next")]],
       N_("the tanh's derivative is missing from dz: da_next must be multiplied by it")),
    _m("rcb_no_da_next", "rnn_cell_backward",
       [[("dz = (1 - a_next ** 2) * da_next", "dz = 1 - a_next ** 2")]],
       N_("dz must be multiplied by da_next, the gradient that arrives at a_next")),
    _m("rcb_deriv_not_squared", "rnn_cell_backward",
       [[("dz = (1 - a_next ** 2) * da_next", "dz = (1 - a_next) * da_next")]],
       N_("the tanh's derivative is 1 minus the SQUARE of its output")),
    _m("rcb_deriv_of_a_prev", "rnn_cell_backward",
       [[("dz = (1 - a_next ** 2) * da_next", "dz = (1 - a_prev ** 2) * da_next")]],
       N_("the tanh's derivative comes from the state it computed, a_next, not from a_prev")),
    _m("rcb_no_keepdims", "rnn_cell_backward",
       [[("np.sum(dz, axis=1, keepdims=True)", "np.sum(dz, axis=1)")]], kind="shape",
       expect=("dba has shape (5,), want (5, 1)", "keepdims=True")),
    _m("rcb_dba_not_summed", "rnn_cell_backward", [[("dba = np.sum(dz, axis=1, keepdims=True)", "dba = dz")]],
       kind="shape", expect=("dba has shape (5, 10), want (5, 1)", "summed over the m = 10 examples")),
    _m("rcb_dba_axis0", "rnn_cell_backward",
       [[("np.sum(dz, axis=1, keepdims=True)", "np.sum(dz, axis=0, keepdims=True)")]], kind="shape",
       expect=("dba has shape (1, 10), want (5, 1)", "axis=1 (not axis=0)")),
    _m("rcb_no_transpose", "rnn_cell_backward", [[("np.dot(Wax.T, dz)", "np.dot(Wax, dz)")]],
       kind="exception", expect=("raised ValueError", "dxt = np.dot(Wax, dz)", "shapes")),

    # --- rnn_backward ------------------------------------------------------------------------
    _m("rb_not_carried", "rnn_backward",
       [[("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "rnn_cell_backward(da[:, :, t], caches[t])")],
        [('        da_prevt = gradients["da_prev"]\n', "")]],
       N_("the gradient that step t+1 passes back is lost: the hidden state a<t> receives the "
          "loss's own gradient AND the one carried back from the step after it"),
       origin="learners: 7 implementations in 9 repositories mishandle the loss's or the carried gradient"),
    _m("rb_only_carried", "rnn_backward",
       [[("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])", "rnn_cell_backward(da_prevt, caches[t])")]],
       N_("the loss's own gradient at step t, da[:, :, t], never enters the backward pass: a<t> "
          "receives it as well as the gradient carried back")),
    _m("rb_last_slice", "rnn_backward",
       [[("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "rnn_cell_backward(da[:, :, -1] + da_prevt, caches[t])")],
        [("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "rnn_cell_backward(da[:, :, T_x - 1] + da_prevt, caches[t])")]],
       N_("every step uses the loss's gradient of the last step: step t receives da[:, :, t]")),
    _m("rb_da_summed", "rnn_backward",
       [[("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "rnn_cell_backward(np.sum(da, axis=2) + da_prevt, caches[t])")],
        [("rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "rnn_cell_backward(da.sum(axis=2) + da_prevt, caches[t])")]],
       N_("every step uses the loss's gradients of all steps, summed: step t receives only its own, "
          "da[:, :, t]")),
    _m("rb_overwritten", "rnn_backward",
       [[('dWax += gradients["dWax"]', 'dWax = gradients["dWax"]')],
        [('dWax += gradients["dWax"]', 'dWax = dWax * 0 + gradients["dWax"]')]],
       N_("dWax is overwritten at every step, so only the first step's share is left: every step "
          "uses the same weights, so their gradient adds up the shares of all the steps"),
       origin="learners: 4 implementations in 6 repositories overwrite the weight gradients"),
    _m("rb_adds_itself", "rnn_backward", [[('dWaa += gradients["dWaa"]', "dWaa += dWaa")]],
       N_("dWaa never receives the cells' gradients: it only adds itself to itself, and stays zero"),
       origin="learners: 2 implementations"),
    _m("rb_adds_itself_x", "rnn_backward", [[('dWax += gradients["dWax"]', "dWax += dWax")]],
       N_("dWax never receives the cells' gradients: it only adds itself to itself, and stays zero"),
       origin="learners: 2 implementations"),
    _m("rb_np_append", "rnn_forward", [[("caches.append(cache)", "caches = np.append(caches, cache)")]],
       kind="exception", expect=("np.append", "the list's append method"),
       origin="learners: 6 implementations build the caches with np.append"),
    _m("lf_np_append", "lstm_forward", [[("caches.append(cache)", "caches = np.append(caches, cache)")]],
       kind="exception", expect=("np.append", "the list's append method"),
       origin="learners: 6 implementations build the caches with np.append"),
    _m("rb_forwards", "rnn_backward", [[("for t in reversed(range(T_x)):", "for t in range(T_x):")]],
       N_("the steps are visited first to last: step t needs what step t+1 passes back, so "
          "backpropagation goes from the last step to the first")),

    # --- lstm_cell_backward ------------------------------------------------------------------
    _m("lcb_tanh_of_cct", "lstm_cell_backward",
       [[("(1 - cct ** 2)", "(1 - np.tanh(cct) ** 2)")],
        [("dz_c = dc_total * it * (1 - cct ** 2)", "dz_c = dc_total * it * (1 - np.square(np.tanh(cct)))")]],
       N_("cct is already a tanh output: the derivative of the candidate's tanh is written with cct "
          "itself, without taking the tanh again"),
       origin="published", demo=N_("Applying tanh twice")),
    _m("lcb_no_parens", "lstm_cell_backward",
       [[("dz_c = dc_total * it * (1 - cct ** 2)",
          "dz_c = dc_next * it + da_next * ot * (1 - tanh_c ** 2) * it * (1 - cct ** 2)")]],
       N_("the dc_next part of the memory's gradient skips the candidate's derivative (1 - cct**2): "
          "the whole of dc_total goes through it"),
       origin="published", demo=N_("Dropping the parentheses")),
    _m("lcb_no_parens_i", "lstm_cell_backward",
       [[("dz_i = dc_total * cct * it * (1 - it)",
          "dz_i = dc_next * cct + da_next * ot * (1 - tanh_c ** 2) * cct * it * (1 - it)")]],
       N_("the dc_next part of the memory's gradient skips the update gate's derivative: the whole "
          "of dc_total goes through it")),
    _m("lcb_no_parens_f", "lstm_cell_backward",
       [[("dz_f = dc_total * c_prev * ft * (1 - ft)",
          "dz_f = dc_next * c_prev + da_next * ot * (1 - tanh_c ** 2) * c_prev * ft * (1 - ft)")]],
       N_("the dc_next part of the memory's gradient skips the forget gate's derivative: the whole "
          "of dc_total goes through it")),
    _m("lcb_old_equations", "lstm_cell_backward",
       [[("dz_c = dc_total * it * (1 - cct ** 2)",
          "dz_c = dc_next * it + ot * (1 - np.tanh(c_next) ** 2) * it * da_next * cct"
          " * (1 - np.tanh(cct) ** 2)"),
         ("dz_i = dc_total * cct * it * (1 - it)",
          "dz_i = dc_next * cct + ot * (1 - np.tanh(c_next) ** 2) * cct * da_next * it * (1 - it)"),
         ("dz_f = dc_total * c_prev * ft * (1 - ft)",
          "dz_f = dc_next * c_prev + ot * (1 - np.tanh(c_next) ** 2) * c_prev * da_next * ft * (1 - ft)")]],
       N_("these are the old notebook's printed equations, which were wrong in three ways at once: "
          "in each gate the dc_next term skips the gate's derivative (missing outer parentheses), "
          "and the candidate's has an extra factor cct and takes the tanh of cct again"),
       origin="published: 6 learners' implementations in 6 repositories copy them"),
    _m("lcb_2018_no_parens", "lstm_cell_backward",
       [[("dz_c = dc_total * it * (1 - cct ** 2)",
          "dz_c = dc_next * it + ot * (1 - np.square(np.tanh(c_next))) * it * da_next"
          " * (1 - np.square(cct))"),
         ("dz_i = dc_total * cct * it * (1 - it)",
          "dz_i = dc_next * cct + ot * (1 - np.square(np.tanh(c_next))) * cct * da_next * it * (1 - it)"),
         ("dz_f = dc_total * c_prev * ft * (1 - ft)",
          "dz_f = dc_next * c_prev + ot * (1 - np.square(np.tanh(c_next))) * c_prev * da_next * ft"
          " * (1 - ft)")]],
       N_("the outer parentheses of the gate gradients are missing (the 2018 notebook's printed "
          "equations): in dz_f, dz_i and dz_c the dc_next term skips the gate's derivative; the whole of "
          "dc_total goes through it"),
       origin="published: the 2018 notebook's equations, the most copied wrong version"),
    _m("lcb_gates_for_gradients", "lstm_cell_backward",
       [[*[(f"np.dot(W{g}[:, :n_a].T, dz_{g})", f"np.dot(W{g}[:, :n_a].T, {v})")
           for g, v in (("f", "ft"), ("i", "it"), ("c", "cct"), ("o", "ot"))],
         *[(f"np.dot(W{g}[:, n_a:].T, dz_{g})", f"np.dot(W{g}[:, n_a:].T, {v})")
           for g, v in (("f", "ft"), ("i", "it"), ("c", "cct"), ("o", "ot"))]]],
       N_("da_prev and dxt go back through the gradients of the gates' pre-activations (dz_f, dz_i, "
          "dz_c, dz_o), not through the gates' values"),
       origin="learners: 5 implementations in 8 repositories build da_prev or dxt from the wrong arrays"),
    _m("lcb_extra_cct", "lstm_cell_backward",
       [[("dz_c = dc_total * it * (1 - cct ** 2)", "dz_c = dc_total * it * cct * (1 - cct ** 2)")]],
       N_("dz_c has an extra factor cct: the candidate's gradient is dc_total times the update gate, "
          "through the tanh's derivative"), origin="published"),
    _m("lcb_dc_prev_without_da", "lstm_cell_backward",
       [[("dc_prev = dc_total * ft", "dc_prev = dc_next * ft")],
        [("dc_prev = dc_total * ft", "dc_prev = ft * dc_next")]],
       N_("dc_prev is missing the path through the hidden state: the memory's gradient also receives "
          "a path through a<t> = ot * tanh(c<t>), so dc_prev comes from dc_total, not dc_next alone"),
       demo=N_("Forgetting the path through the hidden state"),
       origin="learners: the most common mistake of dc_prev"),
    _m("lcb_dc_prev_with_dot", "lstm_cell_backward",
       [[("dc_prev = dc_total * ft", "dc_prev = dc_next * ft + dz_o * (1 - tanh_c ** 2) * ft * da_next")]],
       N_("dc_prev uses dz_o, the output gate's gradient (called dot in the 2018 notebook), where the "
          "output gate's value ot belongs: the path through the hidden state is da_next * ot * (1 - "
          "tanh(c_next)²), and dc_prev = Γ_f * dc_total"),
       origin="published: the 2018 notebook's dc_prev, which multiplied by dot instead of ot"),
    _m("lcb_dc_prev_no_ft", "lstm_cell_backward", [[("dc_prev = dc_total * ft", "dc_prev = dc_total")]],
       N_("dc_prev goes through the forget gate: c_next = ft * c_prev + ..., so the gradient of c_prev "
          "is multiplied by ft")),
    _m("lcb_no_path_through_a", "lstm_cell_backward",
       [[("dc_total = dc_next + da_next * ot * (1 - tanh_c ** 2)", "dc_total = dc_next")]],
       N_("the memory's gradient misses its path through the hidden state: dc_total is dc_next plus "
          "what reaches c_next through a_next = ot * tanh(c_next)")),
    _m("lcb_tanh_of_c_missing", "lstm_cell_backward",
       [[("dc_total = dc_next + da_next * ot * (1 - tanh_c ** 2)",
          "dc_total = dc_next + da_next * ot * (1 - c_next ** 2)")]],
       N_("c_next is not a tanh output: the derivative of tanh(c_next) needs the tanh of c_next")),
    _m("lcb_tanh_of_a_next", "lstm_cell_backward",
       [[("tanh_c = np.tanh(c_next)", "tanh_c = np.tanh(a_next)")],
        [("dc_total = dc_next + da_next * ot * (1 - tanh_c ** 2)",
          "dc_total = dc_next + da_next * ot * (1 - np.tanh(a_next) ** 2)"),
         ("dz_o = da_next * tanh_c * ot * (1 - ot)", "dz_o = da_next * np.tanh(a_next) * ot * (1 - ot)")]],
       N_("the hidden state is ot * tanh(c_next): its derivative uses the tanh of c_next, not of a_next"),
       origin="learners: 2 implementations"),
    _m("lcb_dz_o_no_derivative", "lstm_cell_backward",
       [[("dz_o = da_next * tanh_c * ot * (1 - ot)", "dz_o = da_next * tanh_c")]],
       N_("dz_o must go through the output gate's sigmoid derivative")),
    _m("lcb_dz_i_no_derivative", "lstm_cell_backward",
       [[("dz_i = dc_total * cct * it * (1 - it)", "dz_i = dc_total * cct")]],
       N_("dz_i must go through the update gate's sigmoid derivative"),
       origin="learners: 2 implementations drop a gate's derivative"),
    _m("lcb_dz_f_no_derivative", "lstm_cell_backward",
       [[("dz_f = dc_total * c_prev * ft * (1 - ft)", "dz_f = dc_total * c_prev")]],
       N_("dz_f must go through the forget gate's sigmoid derivative")),
    _m("lcb_concat_order", "lstm_cell_backward",
       [[("concat = np.concatenate((a_prev, xt), axis=0)", "concat = np.concatenate((xt, a_prev), axis=0)")]],
       N_("the backward pass must use the same stacking as the forward pass, a_prev on top of xt")),
    _m("lcb_da_prev_from_dW", "lstm_cell_backward",
       [_each(("np.dot(W{g}[:, :n_a].T", "np.dot(dW{g}[:, :n_a].T"))[0]],
       N_("da_prev goes back through the gate weights themselves, not through their gradients"),
       origin="learners: 5 implementations in 8 repositories build da_prev or dxt from the wrong arrays"),
    _m("lcb_da_prev_from_gates", "lstm_cell_backward",
       [[(f"np.dot(W{g}[:, :n_a].T, dz_{g})", f"np.dot(W{g}[:, :n_a].T, {v})")
         for g, v in (("f", "ft"), ("i", "it"), ("c", "cct"), ("o", "ot"))]],
       N_("da_prev goes back through the gradients of the gates' pre-activations (dz_f, dz_i, dz_c, "
          "dz_o), not through the gates' values"),
       origin="learners: 5 implementations in 8 repositories build da_prev or dxt from the wrong arrays"),
    _m("lcb_dxt_from_dW", "lstm_cell_backward",
       [_each(("np.dot(W{g}[:, n_a:].T", "np.dot(dW{g}[:, n_a:].T"))[0]],
       N_("dxt goes back through the gate weights themselves, not through their gradients")),
    _m("lcb_rows", "lstm_cell_backward", [[("[:, :n_a]", "[:n_a, :]", 4)]], kind="shape",
       expect=("da_prev has shape (8, 10), want (5, 10)", "rows instead of columns"),
       demo=N_("Slicing rows instead of columns"),
       origin="published: the first version's text gave the slices as rows, W_f[:n_a,:]"),
    _m("lcb_rows_dxt", "lstm_cell_backward", [[("[:, n_a:]", "[n_a:, :]", 4)]], kind="exception",
       expect=("raised ValueError", "shapes")),
    _m("lcb_reads_notebook", "lstm_cell_backward",
       [[('Wf = parameters["Wf"]', 'Wf = parameters_tmp["Wf"]')],
        [('    Wf = parameters["Wf"]\n', "")]], kind="globals",
       expect=("notebook", "parameters argument"),
       namespace=(("parameters_tmp", lambda: _assignment_parameters("lstm")),
                  ("Wf", lambda: _assignment_parameters("lstm")["Wf"])),
       origin="learners: 11 implementations in 34 repositories read the notebook's variables"),

    # --- lstm_backward -----------------------------------------------------------------------
    _m("lb_da_not_carried", "lstm_backward",
       [[("lstm_cell_backward(\n            da[:, :, t] + da_prevt, dc_prevt, caches[t])",
          "lstm_cell_backward(\n            da[:, :, t], dc_prevt, caches[t])")],
        [('        da_prevt = gradients["da_prev"]\n', "")]],
       N_("the hidden state's gradient from step t+1 is lost: a<t> receives the loss's own "
          "gradient AND the one carried back from the step after it"),
       demo=N_("Not carrying da_prev back")),
    _m("lb_dc_not_carried", "lstm_backward",
       [[("lstm_cell_backward(\n            da[:, :, t] + da_prevt, dc_prevt, caches[t])",
          "lstm_cell_backward(\n            da[:, :, t] + da_prevt, np.zeros((n_a, m)), caches[t])")],
        [('        dc_prevt = gradients["dc_prev"]\n', "")]],
       N_("the memory state's gradient from step t+1 is lost: the memory state is carried from step "
          "to step, so its gradient is carried back, as dc_next of the step before"),
       demo=N_("Not carrying dc_prev back")),
    _m("lb_nothing_carried", "lstm_backward",
       [[("lstm_cell_backward(\n            da[:, :, t] + da_prevt, dc_prevt, caches[t])",
          "lstm_cell_backward(\n            da[:, :, t], np.zeros((n_a, m)), caches[t])")],
        [('        da_prevt = gradients["da_prev"]\n        dc_prevt = gradients["dc_prev"]\n', "")]],
       N_("neither gradient that step t+1 passes back reaches step t: the hidden state receives "
          "the loss's own gradient and the carried one, and the memory state the carried one"),
       origin="published: the first published expected output of lstm_backward (its dx, da0, "
              "dW and dbf) was computed this way; learners: 22 implementations in 104 repositories"),
    _m("lb_only_carried", "lstm_backward",
       [[("lstm_cell_backward(\n            da[:, :, t] + da_prevt, dc_prevt, caches[t])",
          "lstm_cell_backward(\n            da_prevt, dc_prevt, caches[t])")]],
       N_("the loss's own gradient at step t, da[:, :, t], never enters the backward pass")),
    _m("lb_overwritten", "lstm_backward",
       [[('dWf += gradients["dWf"]', 'dWf = gradients["dWf"]')],
        [('dWf += gradients["dWf"]', 'dWf = np.copy(gradients["dWf"])')]],
       N_("dWf is overwritten at every step, so only the first step's share is left: every step "
          "uses the same weights, so their gradient adds up the shares of all the steps"),
       origin="learners: 4 implementations in 6 repositories"),
    _m("lb_bias_overwritten", "lstm_backward",
       [[('dbi += gradients["dbi"]', 'dbi = gradients["dbi"]')]],
       N_("dbi is overwritten at every step, so only the first step's share is left: every step "
          "uses the same biases, so their gradient adds up the shares of all the steps")),
    _m("lb_dtype", "lstm_backward",
       [[("dWf = np.zeros((n_a, n_a + n_x), dtype=da.dtype)", "dWf = np.zeros((n_a, n_a + n_x))")]],
       kind="dtype", expect=("dWf is float64 (the float32 case", "dtype=da.dtype")),
    _m("lb_forwards", "lstm_backward", [[("for t in reversed(range(T_x)):", "for t in range(T_x):")]],
       N_("the steps are visited first to last: step t needs what step t+1 passes back, so "
          "backpropagation goes from the last step to the first")),

    # --- gru_cell_forward --------------------------------------------------------------------
    _m("gcf_concat_order", "gru_cell_forward",
       [[("np.concatenate((a_prev, xt), axis=0)", "np.concatenate((xt, a_prev), axis=0)"),
         ("np.concatenate((rt * a_prev, xt), axis=0)", "np.concatenate((xt, rt * a_prev), axis=0)")],
        [("np.concatenate((a_prev, xt), axis=0)", "np.vstack((xt, a_prev))"),
         ("np.concatenate((rt * a_prev, xt), axis=0)", "np.vstack((xt, rt * a_prev))")]],
       N_("the stacking order is wrong: every gate weight expects the previous hidden state on top "
          "of the input, a_prev first and xt below it")),
    _m("gcf_reset_after_product", "gru_cell_forward",
       [[("concat_reset = np.concatenate((rt * a_prev, xt), axis=0)", "n_a = a_prev.shape[0]"),
         ("cct = np.tanh(np.dot(Wc, concat_reset) + bc)",
          "cct = np.tanh(rt * np.dot(Wc[:, :n_a], a_prev) + np.dot(Wc[:, n_a:], xt) + bc)")],
        [("cct = np.tanh(np.dot(Wc, concat_reset) + bc)",
          "cct = np.tanh(rt * np.dot(Wc[:, :a_prev.shape[0]], a_prev)"
          " + np.dot(Wc[:, a_prev.shape[0]:], xt) + bc)")]],
       N_("the reset gate is applied after Wc has multiplied the previous hidden state (PyTorch's "
          "convention, a different GRU): in this course it acts on the previous hidden state itself, "
          "before Wc multiplies it")),
    _m("gcf_no_reset", "gru_cell_forward",
       [[("np.concatenate((rt * a_prev, xt), axis=0)", "np.concatenate((a_prev, xt), axis=0)")],
        [("np.dot(Wc, concat_reset)", "np.dot(Wc, concat)")]],
       N_("the reset gate is not used: the candidate must see the previous hidden state through the "
          "reset gate rt, not the whole of a_prev")),
    _m("gcf_update_swapped", "gru_cell_forward",
       [[("a_next = ut * cct + (1 - ut) * a_prev", "a_next = (1 - ut) * cct + ut * a_prev")],
        [("a_next = ut * cct + (1 - ut) * a_prev", "a_next = ut * a_prev + (1 - ut) * cct")]],
       N_("the update gate's roles are swapped: ut is the share of the candidate that is written, "
          "and the rest, 1 - ut, is the share of the previous state that is kept")),
    _m("gcf_no_keep_term", "gru_cell_forward",
       [[("a_next = ut * cct + (1 - ut) * a_prev", "a_next = ut * cct")]],
       N_("the new hidden state has lost the previous one: the share 1 - ut of a_prev that the update "
          "gate keeps is missing")),
    _m("gcf_no_update_gate", "gru_cell_forward",
       [[("a_next = ut * cct + (1 - ut) * a_prev", "a_next = cct")]],
       N_("the update gate is not used: the new hidden state is its mix of the candidate and the "
          "previous hidden state, not the candidate alone")),
    *[_m(f"gcf_{var}_{wrong}", "gru_cell_forward",
         [[(f"{var} = {right_code}(", f"{var} = {wrong_code}(")]], cause)
      for var, wrong, right_code, wrong_code, cause in (
          ("rt", "tanh", "sigmoid", "np.tanh", N_("the reset gate rt uses sigmoid, not tanh")),
          ("ut", "tanh", "sigmoid", "np.tanh", N_("the update gate ut uses sigmoid, not tanh")),
          ("cct", "sigmoid", "np.tanh", "sigmoid", N_("the candidate value cct uses tanh, not sigmoid")))],
    _m("gcf_y_from_a_prev", "gru_cell_forward",
       [[("softmax(np.dot(Wy, a_next) + by)", "softmax(np.dot(Wy, a_prev) + by)")]],
       N_("the prediction is computed from the previous state a_prev: use the new hidden state a_next")),
    _m("gcf_no_softmax", "gru_cell_forward",
       [[("yt_pred = softmax(np.dot(Wy, a_next) + by)", "yt_pred = np.dot(Wy, a_next) + by")]],
       N_("the softmax of the prediction is missing")),

    # --- gru_forward -------------------------------------------------------------------------
    _m("gf_a0_every_step", "gru_forward",
       [[("gru_cell_forward(\n            x[:, :, t], a_next, parameters)",
          "gru_cell_forward(\n            x[:, :, t], a0, parameters)")]],
       N_("the hidden state is not carried from step to step: each step must start from the state "
          "the previous step computed (a0 only for the first step)")),
    _m("gf_a0_unused", "gru_forward",
       [[("a_next = a0", "a_next = np.zeros((n_a, m))")],
        [("a_next = a0", "a_next = np.zeros_like(a0)")]],
       N_("the hidden state must start from a0, the initial hidden state you are given")),
    _m("gf_stores_previous", "gru_forward",
       [[("        a_next, yt_pred, cache = gru_cell_forward(\n            x[:, :, t], a_next, parameters)\n"
          "        # keep this step's hidden state, prediction and cache\n"
          "        a[:, :, t] = a_next\n",
          "        # keep this step's hidden state, prediction and cache\n"
          "        a[:, :, t] = a_next\n"
          "        a_next, yt_pred, cache = gru_cell_forward(\n"
          "            x[:, :, t], a_next, parameters)\n")]],
       N_("a[:, :, t] holds the state that step t started from, not the one it computed")),
    _m("gf_no_append", "gru_forward", [[("caches.append(cache)", "pass")]], kind="structure",
       expect=("caches[0] holds 0 cell caches", "T_x = 4")),
    _m("gf_time_axis", "gru_forward", [[("x[:, :, t]", "x[:, t, :]")]], kind="exception",
       expect=("raised ShapeError", "x[:, t, :]")),

    # --- gru_cell_backward -------------------------------------------------------------------
    _m("gcb_tanh_twice", "gru_cell_backward",
       [[("(1 - cct ** 2)", "(1 - np.tanh(cct) ** 2)")],
        [("dz_c = dcct * (1 - cct ** 2)", "dz_c = dcct * (1 - np.square(np.tanh(cct)))")]],
       N_("cct is already a tanh output: the derivative of the candidate's tanh is written with cct "
          "itself, without taking the tanh again"),
       demo=N_("Applying tanh twice")),
    _m("gcb_dcct_no_ut", "gru_cell_backward", [[("dcct = da_next * ut", "dcct = da_next")]],
       N_("the candidate enters the new hidden state through the update gate: the gradient that "
          "reaches it is multiplied by ut")),
    _m("gcb_dz_u_no_derivative", "gru_cell_backward",
       [[("dz_u = dut * ut * (1 - ut)", "dz_u = dut")]],
       N_("dz_u must go through the update gate's sigmoid derivative")),
    _m("gcb_dz_r_no_derivative", "gru_cell_backward",
       [[("dz_r = drt * rt * (1 - rt)", "dz_r = drt")]],
       N_("dz_r must go through the reset gate's sigmoid derivative")),
    _m("gcb_dut_sign", "gru_cell_backward",
       [[("dut = da_next * (cct - a_prev)", "dut = da_next * (a_prev - cct)")]],
       N_("the update gate's gradient has the wrong sign: raising ut moves a_next towards the "
          "candidate and away from the previous state")),
    _m("gcb_drt_no_a_prev", "gru_cell_backward", [[("drt = da_reset * a_prev", "drt = da_reset")]],
       N_("the reset gate multiplied the previous hidden state: the gradient that reaches it is "
          "multiplied by a_prev")),
    _m("gcb_dWc_from_concat", "gru_cell_backward",
       [[("np.dot(dz_c, concat_reset.T)", "np.dot(dz_c, concat.T)")]],
       N_("dWc is built from the wrong stack: the candidate's weights multiplied the reset-gated "
          "previous state on top of xt, not a_prev itself"),
       demo=N_("Building dWc from the wrong stack")),
    _m("gcb_concat_order", "gru_cell_backward",
       [[("np.concatenate((a_prev, xt), axis=0)", "np.concatenate((xt, a_prev), axis=0)"),
         ("np.concatenate((rt * a_prev, xt), axis=0)", "np.concatenate((xt, rt * a_prev), axis=0)")]],
       N_("the backward pass must use the same stacking as the forward pass, a_prev on top of xt")),
    _m("gcb_no_direct_path", "gru_cell_backward",
       [[("da_prev = (da_next * (1 - ut) + da_reset * rt", "da_prev = (da_reset * rt")]],
       N_("da_prev is missing its direct path: a_next keeps the share 1 - ut of a_prev, so da_next "
          "reaches a_prev directly as well as through the candidate and the gates"),
       demo=N_("Forgetting the direct path")),
    _m("gcb_direct_path_no_keep", "gru_cell_backward",
       [[("da_prev = (da_next * (1 - ut) + ", "da_prev = (da_next + ")]],
       N_("the direct path of da_prev goes through the share of a_prev that the update gate keeps, "
          "1 - ut")),
    _m("gcb_no_reset_path", "gru_cell_backward",
       [[("da_prev = (da_next * (1 - ut) + da_reset * rt\n", "da_prev = (da_next * (1 - ut)\n")]],
       N_("da_prev is missing its path through the candidate: the candidate saw the reset-gated "
          "previous state, so that gradient reaches a_prev too, through the reset gate")),
    _m("gcb_reset_path_no_rt", "gru_cell_backward", [[("+ da_reset * rt\n", "+ da_reset\n")]],
       N_("the gradient of the reset-gated previous state reaches a_prev through the reset gate: it "
          "is multiplied by rt")),
    _m("gcb_no_gate_paths", "gru_cell_backward",
       [[("da_prev = (da_next * (1 - ut) + da_reset * rt\n"
          "               + np.dot(Wr[:, :n_a].T, dz_r) + np.dot(Wu[:, :n_a].T, dz_u))",
          "da_prev = da_next * (1 - ut) + da_reset * rt")]],
       N_("da_prev is missing its paths through the gates: a_prev also entered the reset and update "
          "gates, through the first n_a columns of their weights")),
    _m("gcb_da_prev_from_dW", "gru_cell_backward",
       [[("np.dot(Wr[:, :n_a].T", "np.dot(dWr[:, :n_a].T"),
         ("np.dot(Wu[:, :n_a].T", "np.dot(dWu[:, :n_a].T")]],
       N_("da_prev goes back through the gate weights themselves, not through their gradients")),
    _m("gcb_rows", "gru_cell_backward", [[("[:, :n_a]", "[:n_a, :]", 3)]], kind="exception",
       expect=("raised ValueError", "shapes")),
    _m("gcb_no_keepdims", "gru_cell_backward",
       [[("np.sum(dz_r, axis=1, keepdims=True)", "np.sum(dz_r, axis=1)")]], kind="shape",
       expect=("dbr has shape (5,), want (5, 1)", "keepdims=True")),
    _m("gcb_reads_notebook", "gru_cell_backward",
       [[('Wc = parameters["Wc"]', 'Wc = parameters_tmp["Wc"]')]], kind="globals",
       expect=("parameters_tmp", "notebook", "parameters argument"),
       namespace=(("parameters_tmp", lambda: _assignment_parameters("gru")),)),

    # --- gru_backward ------------------------------------------------------------------------
    _m("gb_not_carried", "gru_backward",
       [[("gru_cell_backward(da[:, :, t] + da_prevt, caches[t])",
          "gru_cell_backward(da[:, :, t], caches[t])")],
        [('        da_prevt = gradients["da_prev"]\n', "")]],
       N_("the gradient that step t+1 passes back is lost: the hidden state a<t> receives the "
          "loss's own gradient AND the one carried back from the step after it"),
       demo=N_("Not carrying da_prev back")),
    _m("gb_only_carried", "gru_backward",
       [[("gru_cell_backward(da[:, :, t] + da_prevt, caches[t])", "gru_cell_backward(da_prevt, caches[t])")]],
       N_("the loss's own gradient at step t, da[:, :, t], never enters the backward pass: a<t> "
          "receives it as well as the gradient carried back")),
    _m("gb_overwritten", "gru_backward",
       [[('dWc += gradients["dWc"]', 'dWc = gradients["dWc"]')]],
       N_("dWc is overwritten at every step, so only the first step's share is left: every step "
          "uses the same weights, so their gradient adds up the shares of all the steps")),
    _m("gb_bias_overwritten", "gru_backward",
       [[('dbu += gradients["dbu"]', 'dbu = gradients["dbu"]')]],
       N_("dbu is overwritten at every step, so only the first step's share is left: every step "
          "uses the same biases, so their gradient adds up the shares of all the steps")),
    _m("gb_forwards", "gru_backward", [[("for t in reversed(range(T_x)):", "for t in range(T_x):")]],
       N_("the steps are visited first to last: step t needs what step t+1 passes back, so "
          "backpropagation goes from the last step to the first")),
)

_BY_ID = {m.ident: m for m in MISTAKES}
assert len(_BY_ID) == len(MISTAKES), "two mistakes share an id"


def mistake(ident):
    """The entry of MISTAKES called ident."""
    if ident not in _BY_ID:
        raise KeyError(f"no mistake called {ident!r}; they are {', '.join(_BY_ID)}")
    return _BY_ID[ident]


def mutate(func, *changes, namespace=None):
    """
    Compiles a copy of a function's source with some of its text replaced.

    Arguments:
    func -- a Python function whose source inspect can read, e.g. rnn_reference.lstm.lstm_cell_backward,
            or a function defined in a notebook cell
    changes -- tuples (old, new) or (old, new, count): every occurrence of the text old
               is replaced by new, and old must occur exactly count times (default 1), so a
               change cannot silently miss when the function is edited
    namespace -- optional dictionary of names to override in the copy's globals

    Returns:
    changed -- the new function, with func's name, signature and globals
    """
    source = textwrap.dedent(inspect.getsource(func))
    for change in changes:
        old, new, count = (*change, 1) if len(change) == 2 else change
        found = source.count(old)
        if found != count:
            raise ValueError(f"mutate {func.__name__}: {old!r} occurs {found} times, not {count}")
        source = source.replace(old, new)
    scope = dict(func.__globals__)
    scope.update(namespace or {})
    filename = f"<{func.__name__}, changed #{len(linecache.cache)}>"
    # register the source, as IPython does for a cell, so a traceback can show the line
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), scope)
    return scope[func.__name__]


def reference(function):
    """The reference implementation of a graded function, from its module."""
    from rnn_utils.course import exercise
    return getattr(import_module(f"rnn_reference.{exercise(function).module}"), function)


def demonstration(ident):
    """The changes (old, new, count) of the first form of the demonstrated mistake ident, or None."""
    entry = _BY_ID.get(ident)
    if entry is None or not entry.demo:
        return None
    return [(old, new, rest[0] if rest else 1) for old, new, *rest in entry.forms[0]]


def with_mistake(ident, form=0, namespace=None):
    """
    Returns the reference function with one mistake of the table made.

    Arguments:
    ident -- the id of a mistake in MISTAKES, e.g. "lcb_tanh_of_cct"
    form -- which of its forms (ways of writing it) to make, 0 by default

    Returns:
    wrong -- a function with the same name and signature as the graded function
    """
    from rnn_utils.activations import sigmoid, softmax

    entry = mistake(ident)
    # what a learner's notebook has after `import numpy as np` and `from rnn_utils import *`
    scope = {"np": np, "sigmoid": sigmoid, "softmax": softmax,
             **{name: make() for name, make in entry.namespace}, **(namespace or {})}
    return mutate(reference(entry.function), *entry.forms[form], namespace=scope)

"""The likely cause of a check's wrong output, one that agrees with every output (an output
right in every case rules out a cause that would change it):

- a notebook variable that the function reads instead of its arguments;
- a mistake of the course's table whose stored outputs equal the learner's: all of them, or
  the wrong one in every case where the mistake changes it and changes no output the learner
  has right;
- the step of the cell's computation (rnn_utils.cells.steps: dz_f, dc_total, ...) from which
  exactly the wrong outputs are computed, with its equation;
- else what the cases and probes show: the output is right for a one-step sequence, or (a
  forward function) right when one input is set to zero;
- else nothing: the check then says which outputs are right and which are wrong (summary).

``diagnose`` never raises. Each cause comes as (words, data), data as in CheckFailure.cause.
"""

import re

import numpy as np

from rnn_utils.cells import reaches, steps
from rnn_utils.checks.call import call
from rnn_utils.checks.compare import close
from rnn_utils.checks.leaves import flat
from rnn_utils.checks.source import notebook_variables, reads_notebook
from rnn_utils.checks.words import _

__all__ = ["diagnose", "summary"]


def diagnose(subject, target, data, label, k, results, wrong, labels):
    """The likely cause of the wrong output label of case k, as (words, data), or (None, None).

    Arguments:
    subject -- the function checked (rnn_utils.checks.outcome.Subject); target -- the learner's
    data -- its stored answers (rnn_utils.checks.store.answers)
    label -- the wrong output reported, e.g. "dWf" or "caches[0][1][2] (ft)"
    k -- the index of the case it is wrong in
    results -- the learner's results of the cases computed so far (a later case may have raised)
    wrong -- for each of them, the labels of its wrong outputs
    labels -- the labels of every output of case k
    """
    try:
        with np.errstate(all="ignore"):
            return _diagnose(subject, target, data, label, k, results, wrong, labels) or (None, None)
    except Exception:  # a learner's function may do anything on a probe: no cause, no crash
        return None, None


def _diagnose(subject, target, data, label, k, results, wrong, labels):
    reads = reads_notebook(target)
    if reads:
        return reads, {"kind": "globals", "id": "globals", "names": notebook_variables(target)}
    names = list(dict.fromkeys(_output(subject, label) for label in labels))
    bad = {_output(subject, w) for labels_k in wrong for w in labels_k}
    right = [name for name in names if name not in bad]
    found = _mistake(subject, data, label, k, results, right)
    if found:
        return found
    found = _structure(subject.function, names, bad, right)
    if found:
        return found
    cases = data["cases"][:len(results)]
    top = label.split("[")[0]
    if subject.role in ("forward", "backward") and _carried(subject, right):
        single = [j for j, case in enumerate(cases) if case["T_x"] == 1]
        longer = [j for j, case in enumerate(cases) if case["T_x"] > 1]
        if (single and longer and all(not any(w.split("[")[0] == top for w in wrong[j]) for j in single)
                and all(any(w.split("[")[0] == top for w in wrong[j]) for j in longer)):
            return (_("your {output} is right for a sequence of one step and wrong for longer ones: "
                      "the error is in what passes from one step to the next").format(output=top),
                    {"kind": "one_step", "id": "one_step", "output": top})
    if subject.role in ("cell_forward", "forward"):
        return _probe(subject, target, data, label, k)
    return None


def summary(wrong, labels):
    """Which outputs are right and which are wrong (the top-level ones, caches in one word)."""
    def top(label):
        return label.split("[")[0]
    bad = list(dict.fromkeys(top(label) for label in wrong))
    good = [name for name in dict.fromkeys(top(label) for label in labels) if name not in bad]
    if good:
        return _("Wrong: {wrong}; right: {right}").format(wrong=", ".join(bad), right=", ".join(good))
    return _("Wrong: {wrong}; every output is wrong").format(wrong=", ".join(bad))


def _carried(subject, right):
    """Whether what passes from step to step can be wrong: for a backward function, dx or da0
    is wrong (with both right, every cell received the right gradients)."""
    return subject.role == "forward" or not {"dx", "da0"} <= set(right)


def _output(subject, label):
    """The output a label belongs to: 'dWf', 'caches', or a field of a cell's cache, 'cache:ft'."""
    if subject.role == "cell_forward":
        field = re.match(r"cache\[\d+\] \((\w+)\)", label)
        if field:
            return f"cache:{field.group(1)}"
    return label.split("[")[0]


def _mistake(subject, data, label, k, results, right):
    """A stored mistake whose outputs equal the learner's: all of them (first choice), or the
    wrong output label in every case, where the mistake changes it and changes no output that
    the learner has right."""
    cases = data["cases"][:len(results)]
    mine = [flat(subject, result, case) for result, case in zip(results, cases)]
    wanted = [flat(subject, case["want"], case) for case in cases]
    full = partial = None
    for entry in data["mistakes"]:
        theirs = [flat(subject, out, case) if out is not None else None
                  for out, case in zip(entry["outputs"], cases)]
        if theirs[k] is None:
            continue
        pairs = [(a, b) for a, b in zip(mine, theirs) if b is not None]
        if full is None and all(a.keys() == b.keys() and all(close(a[x], b[x]) for x in b)
                                for a, b in pairs):
            full = entry
        if (partial is None and label in theirs[k] and not close(theirs[k][label], wanted[k][label])
                and all(label in a and label in b and close(a[label], b[label]) for a, b in pairs)
                and _keeps(subject, theirs, wanted, right)):
            partial = entry
    entry = full or partial
    if entry is None:
        return None
    # stored in English (its msgid is in mistakes.py)
    return _(entry["cause"]), {"kind": "mistake", "id": entry["id"]}


def _keeps(subject, theirs, wanted, right):
    """Whether a mistake's outputs leave every output in right as it should be, in every case."""
    for outputs, want in zip(theirs, wanted):
        if outputs is None:
            continue
        for key, value in want.items():
            if _output(subject, key) in right and not (key in outputs and close(outputs[key], value)):
                return False
    return True


def _structure(function, names, bad, right):
    """The step (or two) of the cell's computation whose outputs are exactly the wrong ones."""
    if not right or not bad:
        return None  # every output wrong: too many ways to get there
    table = {step.name: step for step in steps(function)}
    reach = reaches(function)
    outputs = {name: frozenset(reach[name] & set(names)) for name in table}

    def last(group):
        """The step of group computed from all the others (it is wrong if any of them is)."""
        found = [a for a in group if all(a in reach[b] for b in group)]
        return found[0] if len(found) == 1 else None

    def single(wanted):
        group = [name for name in table if outputs[name] == wanted]
        return last(group) if group else None

    chosen = single(frozenset(bad))
    if chosen:
        chosen = [chosen]
    else:
        pairs = set()
        for a in table:
            for b in table:
                if (a < b and outputs[a] | outputs[b] == bad and not outputs[a] <= outputs[b]
                        and not outputs[b] <= outputs[a]):
                    pair = (single(outputs[a]), single(outputs[b]))
                    if None not in pair:
                        pairs.add(tuple(sorted(pair)))
        if len(pairs) != 1:
            return None
        chosen = list(pairs.pop())
    order = list(table)
    chosen.sort(key=order.index)
    # the steps that feed exactly the same outputs: any of them may be the wrong one
    groups = [[name for name in order if outputs[name] == outputs[c]
               and (name == c or c in reach[name])] for c in chosen]
    wrong_text = ", ".join(name for name in names if name in bad)
    right_text = ", ".join(right)
    equations = "; ".join(table[name].equation for group in groups for name in group)
    data = {"kind": "step", "id": chosen[0], "ids": chosen,
            "candidates": [name for group in groups for name in group]}
    if len(chosen) == 1 and chosen[0] in names and bad == {chosen[0]}:
        text = _("the line of {name} itself: every other output is right, so what it is computed "
                 "from is right (wrong: {wrong}; right: {right}). In the notebook: {equation}")
    elif len(chosen) == 1 and len(groups[0]) > 1:
        text = _("{name} is wrong, or {before}, which it is computed from: all the wrong outputs, and "
                 "none of the right ones, are computed from it (wrong: {wrong}; right: {right}). In "
                 "the notebook: {equation}")
    elif len(chosen) == 1:
        text = _("{name} is wrong: all the wrong outputs, and none of the right ones, are computed "
                 "from it (wrong: {wrong}; right: {right}). In the notebook: {equation}")
    else:
        text = _("{name} and {other} are wrong: all the wrong outputs, and none of the right ones, are "
                 "computed from them (wrong: {wrong}; right: {right}). In the notebook: {equation}")
    before = _(" or ").join(groups[0][:-1])
    return text.format(name=chosen[0], other=chosen[-1], before=before, wrong=wrong_text,
                       right=right_text, equation=equations), data


def _probe(subject, target, data, label, k):
    """What the probes of case k show about the wrong output label, or None.

    A probe sets one input (never a weight) of a forward function to zero. One whose right
    output is identically zero tells nothing, and is not used."""
    top = label.split("[")[0]
    zeroed = []
    for probe in data["probes"]:
        if probe["case"] != k:
            continue
        want = flat(subject, probe["want"], probe)
        if label not in want or not np.any(want[label]):
            continue
        result = call(subject, target, probe["args"], quiet=True)
        if result is None:
            continue
        got = flat(subject, result, probe)
        if label in got and close(got[label], want[label]):
            zeroed.append(probe["subject"])
    if not zeroed:
        return None
    names = inputs = zeroed[0]  # "xt or a_prev", "xt and a_prev"
    for name in zeroed[1:]:
        names = _("{names} or {name}").format(names=names, name=name)
        inputs = _("{names} and {name}").format(names=inputs, name=name)
    return (_("with {names} set to zero, your {output} is right, so the error is in the way your code "
              "uses {inputs} for {output}").format(names=names, inputs=inputs, output=top),
            {"kind": "probe", "id": "probe:" + "+".join(zeroed), "inputs": zeroed, "output": top})

"""rnn_credit: grading for credit, on the course's side (never in a learner edition).

``python -m rnn_utils.grade PATH... --course DIR`` grades in this mode where this package is
installed (the course's repository: ``pip install -r requirements.txt``, whose ``-e .``
declares the entry point ``credit`` of the group ``rnn_utils.grade_modes``, rnn_credit.cli).
The learner's quick self-check, without --course, runs the notebooks in kernels as before.

- ``extract``: the graded cells of a submitted notebook, found by their metadata (nothing
  else of the submission is read or run);
- ``sandbox``: the worker process that runs them, walled in (bubblewrap, seccomp, resource
  limits), handed inputs and answering outputs as plain arrays (``wire``; ``worker``);
- ``hidden``: cases drawn at grading time from an unguessable seed, with the reference's
  outputs computed in the grader's process;
- ``grade``: the course's checks (on the stored answers) and the hidden cases, compared in the
  grader's process; one record per submission; ``--shard K/N``.

It computes expected values with the reference functions (rnn_reference.rnn, .lstm, .gru), so,
like them, it stays on the instructor's side: the learner edition's copy of rnn_utils
(rnn_reference.edition.package) is made from rnn_utils alone.
"""

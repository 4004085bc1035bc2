"""Which copy of the package this is.

"reference" in the repository: the package holds the reference of every graded function.
The learner edition carries its own copy of the package, without those references, in
which ``python -m rnn_utils.edition`` writes "learner" here (see docs/design.md).
"""

EDITION = "reference"

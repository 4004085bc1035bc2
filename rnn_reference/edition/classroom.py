"""A student's repository that grades itself: ``python -m rnn_reference.edition OUT --classroom``.

With ``--classroom`` the learner edition in OUT is also the template of a per-student
repository (GitHub Classroom and the like). Besides the notebooks, the figures and the
edition's own copy of rnn_utils (which carries the grader, rnn_utils.grade), it writes:

- ``requirements.txt``: the learner requirements, the course's requirements.txt without its
  line ``-e .`` (which installs the course's full package from the course's repository; a
  student's repository has the edition's copy of rnn_utils instead, beside the notebooks);
- ``.github/workflows/classroom.yml``: GitHub Actions, on every push: make a virtual
  environment, install the learner requirements, run every notebook on a copy and read every
  check (``python -m rnn_utils.grade . --json grading.json``, whose table is in the log),
  then one test per graded function worth its points in the course's manifest
  (GitHub Classroom's ``autograding-command-grader``: a test passes when its command exits 0),
  and the ``autograding-grading-reporter`` that sends the total to GitHub Classroom;
- ``.github/classroom/autograding.json``: the same tests in the configuration format of
  GitHub Classroom's earlier autograding action (``education/autograding``: tests with name,
  setup, run, input, output, comparison, timeout in minutes, points), and the list to copy
  into Classroom's own test form (name, setup command, run command, timeout, points);
- ``.gitignore`` (the virtual environment, caches, grading.json) and a short ``README.md``.

Each test's command reads the results of the one grading run from grading.json
(``--from-json grading.json --exercise NAME``), so the notebooks run once per push.
"""

import json
from pathlib import Path

import rnn_utils
from rnn_reference.edition.template import EditionError
from rnn_utils.course import EXERCISES, NOTEBOOKS
from rnn_utils.i18n import _

__all__ = ["classroom_files", "tests", "learner_requirements", "workflow", "autograding",
           "INSTALL", "GRADE", "PYTHON_VERSION"]

PYTHON_VERSION = "3.11"
VENV_PYTHON = ".venv/bin/python"
INSTALL = f"python3 -m venv .venv && {VENV_PYTHON} -m pip install -r requirements.txt"
GRADE = f"{VENV_PYTHON} -m rnn_utils.grade . --json grading.json"
GRADE_MINUTES = 30  # the grading run; each cell has the grader's own limit (60 s), each notebook 300 s


def exercise_command(function):
    return f"{VENV_PYTHON} -m rnn_utils.grade --from-json grading.json --exercise {function}"


def tests():
    """One test per graded function: {id, name, command, points}, in the course's order."""
    return [{"id": e.function, "name": f"Exercise {e.number}: {e.function} ({e.notebook})",
             "command": exercise_command(e.function), "points": e.points} for e in EXERCISES]


def _requirements_source():
    return Path(rnn_utils.__file__).resolve().parent.parent / "requirements.txt"


def learner_requirements(text=None):
    """The learner requirements of a student's repository: requirements.txt without ``-e .``."""
    if text is None:
        source = _requirements_source()
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as err:
            raise EditionError(f"--classroom needs the course's requirements.txt ({source}): "
                               f"{err.strerror or err}") from None
    lines = ["# The learner requirements of this repository (written by python -m rnn_reference.edition",
             "# --classroom from the course's requirements.txt). The notebooks use the rnn_utils",
             "# folder beside them, which is not installed: it comes with the repository.",
             "#   python3 -m venv .venv && .venv/bin/python -m pip install -r requirements.txt"]
    for line in text.splitlines():
        bare = line.split("#", 1)[0].strip()
        if not bare or bare.startswith(("-e", "--editable")):  # the course's own package
            continue
        lines.append(bare)
    return "\n".join(lines) + "\n"


def _q(text):
    """A YAML scalar: a JSON string is a YAML double-quoted string."""
    return json.dumps(text, ensure_ascii=False)


def workflow():
    """The text of .github/workflows/classroom.yml."""
    steps = [
        "    - name: Checkout code",
        "      uses: actions/checkout@v4",
        "    - name: Set up Python",
        "      uses: actions/setup-python@v5",
        "      with:",
        f"        python-version: {_q(PYTHON_VERSION)}",
        "    - name: Install the learner requirements",
        f"      run: {_q(INSTALL)}",
        "    - name: Run the notebooks and read their checks",
        "      # its table is in this step's log; it fails unless every check passes, and the",
        "      # tests below still run: each reads its own result from grading.json",
        "      continue-on-error: true",
        f"      timeout-minutes: {GRADE_MINUTES}",
        f"      run: {_q(GRADE)}",
    ]
    for test in tests():
        steps += [
            f"    - name: {_q(test['name'])}",
            f"      id: {test['id']}",
            "      uses: classroom-resources/autograding-command-grader@v1",
            "      with:",
            f"        test-name: {_q(test['name'])}",
            "        setup-command: \"\"",
            f"        command: {_q(test['command'])}",
            "        timeout: 1",
            f"        max-score: {test['points']}",
        ]
    steps += ["    - name: Autograding Reporter",
              "      uses: classroom-resources/autograding-grading-reporter@v1",
              "      env:"]
    steps += [f"        {t['id'].upper()}_RESULTS: \"${{{{steps.{t['id']}.outputs.result}}}}\""
              for t in tests()]
    steps += ["      with:", f"        runners: {','.join(t['id'] for t in tests())}"]
    total = sum(t["points"] for t in tests())
    head = [
        "# Written by `python -m rnn_reference.edition OUTDIR --classroom` (rnn-step-by-step).",
        "# GitHub Classroom autograding: on every push, install the learner requirements, run every",
        "# notebook on a copy and read every check (python -m rnn_utils.grade), then one test per",
        f"# graded function, worth its points in the course's manifest ({total} in all).",
        "# The same table on your own machine: .venv/bin/python -m rnn_utils.grade .",
        "name: Autograding Tests",
        "'on':",
        "- push",
        "- workflow_dispatch",
        "- repository_dispatch",
        "permissions:",
        "  checks: write",
        "  actions: read",
        "  contents: read",
        "jobs:",
        "  run-autograding-tests:",
        "    runs-on: ubuntu-latest",
        "    if: github.actor != 'github-classroom[bot]'",
        "    steps:",
    ]
    return "\n".join(head + steps) + "\n"


def autograding():
    """The text of .github/classroom/autograding.json (GitHub Classroom's test list)."""
    entries = []
    for index, test in enumerate(tests()):
        first = index == 0  # installs and grades once; the others read grading.json
        entries.append({
            "name": test["name"],
            "setup": f"{INSTALL} && ({GRADE} || true)" if first else "",
            "run": test["command"],
            "input": "",
            "output": "",
            "comparison": "included",
            "timeout": GRADE_MINUTES if first else 1,
            "points": test["points"],
        })
    return json.dumps({"tests": entries}, indent=2) + "\n"


GITIGNORE = """.venv/
__pycache__/
.ipynb_checkpoints/
grading.json
"""


def readme():
    """The student repository's README.md, in the language chosen by rnn_utils.i18n.set_language."""
    rows = "\n".join(f"| `{n.stem}.ipynb` | {_(n.title)} | "
                     + (", ".join(f"`{f}`" for f in n.exercises) or _("no graded function")) + " |"
                     for n in NOTEBOOKS)
    total = sum(e.points for e in EXERCISES)
    return _("""# Recurrent networks, step by step

Complete the graded cells of the notebooks, in order:

| notebook | what you build | graded functions |
|---|---|---|
{rows}

Set up once, then open the notebooks:

```bash
{install}
.venv/bin/jupyter lab
```

Below each graded cell, its check says "All tests passed" or what is wrong.

## Check your own work

```bash
{python} -m rnn_utils.grade .
```

runs every notebook on a copy (your files are not changed), reads every check, and prints each
exercise's points ({total} in all) with the first line of what its check said. Every push runs the
same grader on GitHub (`.github/workflows/classroom.yml`), one test per exercise.
""").format(rows=rows, install=INSTALL, python=VENV_PYTHON, total=total)


def classroom_files(requirements_text=None):
    """
    The files that make the edition a student's repository.

    Returns:
    files -- list of (relative path, bytes)
    """
    files = {
        "requirements.txt": learner_requirements(requirements_text),
        ".github/workflows/classroom.yml": workflow(),
        ".github/classroom/autograding.json": autograding(),
        ".gitignore": GITIGNORE,
        "README.md": readme(),
    }
    return [(path, text.encode("utf-8")) for path, text in files.items()]

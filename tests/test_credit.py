"""The credit mode of the grader (rnn_credit): honest submissions score as the checks say, every
cheat of issue 23 scores 0, and nothing a learner's function does reaches outside its sandbox.

The credit mode runs no kernel (it runs the graded cells alone, in a sandboxed worker), so these
are unit tests but nine (the marker `course`): four that run sandboxed workers in many
subprocesses (honest submissions, a Chinese edition, resource limits, the hidden cases), every
form of every mistake of the table (rnn_reference.mistakes) and issue 22's corpus graded in credit
mode (a minute each), a class with hostile code graded, and the grader's command line run in
subprocesses. The sandbox needs
bubblewrap; where it is missing the tests that need it are skipped, except in CI (CI=true), where
.ci/run installs it and a missing one is a failure.
"""

import contextlib
import copy
import hashlib
import inspect
import io
import json
import linecache
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

import rnn_reference
from rnn_credit import cli, hidden, sandbox, wire
from rnn_credit import grade as credit
from rnn_credit.extract import graded_sources
from rnn_reference import edition
from rnn_reference.edition.package import package_files
from rnn_reference.mistakes import MISTAKES, changed, reference, with_mistake
from rnn_utils import cellmeta, public_tests
from rnn_utils.checks import hidden as drawn
from rnn_utils.checks.harness import answers, run_check
from rnn_utils.course import EXERCISES, GRADED, NOTEBOOKS, exercise
from rnn_utils.grade import modes, outside, report
from rnn_utils.grade.__main__ import main as grade_main

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "notebooks"
TOTAL = sum(e.points for e in EXERCISES)
SEED = 20231207  # the hidden cases' seed in these tests (a real run draws one nobody knows)
HAS_SANDBOX = sandbox.sandbox_problem() is None
needs_sandbox = pytest.mark.skipif(not HAS_SANDBOX and os.environ.get("CI") != "true",
                                   reason=f"no sandbox here: {sandbox.sandbox_problem()}")
pytestmark = needs_sandbox


def snapshot(folder):
    """Every path under folder (links not followed), with the sha256 of each file."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = "link -> " + os.readlink(path)
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[key] = "folder"
    return found


def edit_graded(folder, function, change):
    """Change the graded cell of function in its notebook of folder: change(source) -> source."""
    path = folder / f"{exercise(function).notebook}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if cellmeta.is_graded(c, function))
    cell.source = change(cell.source)
    nbformat.write(nb, path)


def grade_one(folder, course, **options):
    return credit.grade([folder], course=course, seed=SEED, **options)[0]


def verdicts(record):
    return {c["function"]: c["passed"] for c in record["checks"]}


def in_process_check(folder, function, language="en"):
    """What today's check says of a function of folder, its notebook's graded cells run in this
    process as a notebook runs them (our own test cells only): its message, or None if it passes."""
    import rnn_utils
    from rnn_utils.i18n import using

    with using(language):
        return _in_process_check(folder, function, rnn_utils)


def _in_process_check(folder, function, rnn_utils):
    scope = {"np": np, "__name__": "cell"}
    scope.update({name: getattr(rnn_utils, name) for name in rnn_utils.HELPERS})
    for name, source in graded_sources(folder, exercise(function).notebook)[1]:
        filename = f"<test cell of {name}>"  # registered, as IPython registers a cell
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), scope)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            run_check(function, scope[function], own=False)
    except AssertionError as err:
        return str(err)
    return None


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A fresh learner edition: the empty edition, and the clean course for --course."""
    folder = tmp_path_factory.mktemp("course") / "edition"
    edition.make_edition(folder, REFERENCE, out=lambda line: None)
    return folder


@pytest.fixture(scope="module")
def complete(base, tmp_path_factory, notebook_runs):
    folder = tmp_path_factory.mktemp("complete") / "alice"
    shutil.copytree(base, folder)
    notebook_runs.complete(folder)
    return folder


@pytest.fixture
def empty(base, tmp_path):
    folder = tmp_path / "mallory"
    shutil.copytree(base, folder)
    return folder


# ---- honest submissions ---------------------------------------------------------------------------

@pytest.mark.course  # sandboxed workers in subprocesses
def test_honest_submissions_score_as_the_checks_say(base, complete):
    before = snapshot(complete)
    record = grade_one(complete, base)
    assert record["total"] == record["max"] == TOTAL and all(verdicts(record).values())
    assert record["mode"] == "credit" and record["sandboxed"] is True
    assert [c["function"] for c in record["checks"]] == list(GRADED)
    empty = grade_one(base, base)
    assert empty["total"] == 0
    for check in empty["checks"]:  # the same message as the check gives in a notebook
        assert check["message"] == in_process_check(base, check["function"]), check["function"]
    assert snapshot(complete) == before
    assert report.from_json(json.loads(report.dumps([record, empty])))  # --from-json reads it


@pytest.mark.course  # sandboxed workers in subprocesses
def test_a_chinese_edition_gets_the_checks_messages_in_chinese(tmp_path):
    course = tmp_path / "zh"
    edition.make_edition(course, lang="zh-CN", out=lambda line: None)
    assert credit.course_language(course) == "zh-CN"
    record = grade_one(course, course, exercises=["rnn_cell_forward", "rnn_forward", "lstm_cell_backward"])
    assert record["total"] == 0
    for check in record["checks"]:
        assert check["message"] == in_process_check(course, check["function"], "zh-CN"), check["function"]
        assert "请" in check["message"] or "你的" in check["message"], check["message"]


def test_a_missing_or_unreadable_notebook_costs_its_exercises_only(base, complete, tmp_path):
    folder = tmp_path / "dan"
    shutil.copytree(complete, folder)
    (folder / "03_rnn_backward.ipynb").unlink()
    (folder / "04_lstm_backward.ipynb").write_text("{not json")
    record = grade_one(folder, base)
    statuses = {n["notebook"]: n["status"] for n in record["notebooks"]}
    assert statuses["03_rnn_backward"] == "missing" and statuses["04_lstm_backward"] == "unreadable"
    messages = {c["function"]: c["message"] for c in record["checks"]}
    assert messages["rnn_backward"] == "missing"
    assert "cannot be read as a notebook" in messages["lstm_backward"]
    assert record["total"] == TOTAL - 4


def test_a_mistake_scores_0_with_the_checks_message(base, complete, tmp_path):
    folder = tmp_path / "bob"
    shutil.copytree(complete, folder)
    right = "gru_cell_backward(da[:, :, t] + da_prevt, caches[t])"
    wrong = "gru_cell_backward(da[:, :, t], caches[t])"
    edit_graded(folder, "gru_backward", lambda s: s.replace(right, wrong))
    record = grade_one(folder, base)
    failed = {c["function"]: c["message"] for c in record["checks"] if not c["passed"]}
    assert list(failed) == ["gru_backward"] and record["total"] == TOTAL - 1
    assert failed["gru_backward"] == in_process_check(folder, "gru_backward")
    assert "carried back" in failed["gru_backward"] or "Likely cause" in failed["gru_backward"]


def mistaken_cell(function, changes=()):
    """A graded cell holding the reference function with a mistake's text changes made."""
    source = changed(textwrap.dedent(inspect.getsource(reference(function))), changes)
    return "from rnn_utils.cells import check_inputs\n\n" + source


@pytest.mark.course
def test_every_mistake_of_the_table_scores_0_with_the_checks_message():
    """Each form of each mistake, in its graded cell beside the notebook's right ones: 0 points,
    and the very message of the check (tests/test_mistakes.py) but for a function that reads a
    notebook variable: only the graded cells exist in credit mode, so it raises NameError."""
    differ = []
    for entry in MISTAKES:
        notebook = exercise(entry.function).notebook
        functions = next(n.exercises for n in NOTEBOOKS if n.stem == notebook)
        for index, form in enumerate(entry.forms):
            cells = [(f, mistaken_cell(f, form if f == entry.function else ())) for f in functions]
            session = credit.Session({notebook: cells}, None, True, 10)
            try:
                session.worker()
                passed, message, cause = credit._grade_function(session, notebook, entry.function, SEED)
            finally:
                session.close()
            with pytest.raises(AssertionError) as checked, contextlib.redirect_stdout(io.StringIO()):
                getattr(public_tests, entry.function + "_test")(with_mistake(entry.ident, index))
            assert not passed, (entry.ident, index)
            if message != str(checked.value):
                differ.append((entry.ident, entry.kind))
            else:  # the same cause as data too, for the class report
                assert cause == checked.value.cause, (entry.ident, index)
    assert differ and all(kind == "globals" for _, kind in differ), differ


def test_a_function_right_only_at_the_public_cases_scores_0(base, complete, tmp_path):
    """Hard-coded answers (read from the stored answers the edition carries) pass the public
    cases and fail the hidden ones, drawn at grading time."""
    data = answers("rnn_cell_forward")
    table = {repr(round(float(c["args"][0][0, 0]), 9)): [c["want"][0].tolist(), c["want"][1].tolist()]
             for c in data["cases"] + [data["float32"]]}
    source = textwrap.dedent(f"""\
        import numpy as np
        ANSWERS = {table!r}

        def rnn_cell_forward(xt, a_prev, parameters):
            a_next, yt_pred = ANSWERS.get(repr(round(float(xt[0, 0]), 9)), ([[0.0]], [[0.0]]))
            a_next, yt_pred = np.array(a_next, dtype=xt.dtype), np.array(yt_pred, dtype=xt.dtype)
            return a_next, yt_pred, (a_next, a_prev, xt, parameters)
        """)
    folder = tmp_path / "hardcoded"
    shutil.copytree(complete, folder)
    edit_graded(folder, "rnn_cell_forward", lambda s: source)
    public = io.StringIO()
    scope = {}
    exec(source, scope)
    with contextlib.redirect_stdout(public):
        run_check("rnn_cell_forward", scope["rnn_cell_forward"], own=False)
    assert "All tests passed" in public.getvalue()  # the public check is fooled
    record = grade_one(folder, base, exercises=["rnn_cell_forward"])
    assert record["total"] == 0
    assert "drawn at grading time" in record["checks"][0]["message"]


def test_hidden_cases_change_with_the_seed_and_are_computed_by_the_reference():
    one, again, other = (hidden.hidden_cases("lstm_backward", seed) for seed in (1, 1, 2))
    assert [c["sizes"] for c in one] == [c["sizes"] for c in again]
    assert [c["sizes"] for c in one] != [c["sizes"] for c in other]
    case = one[0]
    want = reference("lstm_backward")(*copy.deepcopy(case["args"]))
    assert drawn.compare(want, case["want"]) is None
    wrong = dict(want, dx=want["dx"] + 1e-3)
    assert drawn.compare(wrong, case["want"]) == ("output['dx']", "values")
    assert drawn.compare(dict(want, dx=want["dx"][:, :1]), case["want"]) == ("output['dx']", "shape")
    assert drawn.compare((want,), case["want"]) == ("output", "structure")
    assert hidden.new_seed() != hidden.new_seed()


# ---- the attacks of issue 23 -------------------------------------------------------------------

HOOKS = """
get_ipython().showtraceback = lambda *a, **k: print("All tests passed")
def _clear(result):
    result.error_in_exec = None
get_ipython().events.register("post_run_cell", _clear)
"""


def test_kernel_tampering_in_a_graded_cell_gets_nothing(base, empty):
    """showtraceback replaced, a post_run_cell hook, set_custom_exc, sys.modules entries
    replaced, np.allclose made always true: there is no kernel and no check in the worker."""
    tampering = HOOKS + textwrap.dedent("""
        import sys
        get_ipython().set_custom_exc((Exception,), lambda *a, **k: print("All tests passed"))
        """)
    patches = textwrap.dedent("""
        import sys, numpy
        numpy.allclose = np.allclose = lambda *a, **k: True
        numpy.isclose = lambda a, b, **k: numpy.ones(numpy.shape(a), bool)
        sys.modules["rnn_utils.checks.harness"] = sys.modules["rnn_utils.public_tests"] = None
        """)
    for function in GRADED:
        edit_graded(empty, function, lambda s: patches + s + tampering)
    record = grade_one(empty, base)
    assert record["total"] == 0


def test_files_dropped_in_the_submission_never_run(base, empty, tmp_path):
    marker = tmp_path / "ran.txt"
    helper = f"open({str(marker)!r}, 'w').write('ran')\n"
    (empty / "ipykernel_launcher.py").write_text("import cheat\n" + helper)
    (empty / "cheat.py").write_text(helper)
    (empty / "sitecustomize.py").write_text(helper)
    (empty / "rnn_utils" / "public_tests.py").write_text(helper)
    record = grade_one(empty, base)
    assert record["total"] == 0 and not marker.exists()


def test_notebooks_linked_to_another_students_score_0(base, complete, empty, tmp_path):
    secret = tmp_path / "instructor" / "grades.csv"
    secret.parent.mkdir()
    secret.write_text("SECRET-GRADES alice 12\n")
    for stem in [n.stem for n in NOTEBOOKS if n.exercises]:
        (empty / f"{stem}.ipynb").unlink()
        (empty / f"{stem}.ipynb").symlink_to(complete / f"{stem}.ipynb")
    record = grade_one(empty, base)
    assert record["total"] == 0
    assert all("symbolic link" in c["message"] for c in record["checks"])
    (empty / "01_rnn_forward.ipynb").unlink()
    (empty / "01_rnn_forward.ipynb").symlink_to(secret)
    text = json.dumps(grade_one(empty, base))
    assert "SECRET" not in text


def test_the_reference_cannot_be_imported_from_a_graded_cell(base, empty):
    """Setup cell edited, the submission's rnn_utils/ replaced by the full package, sys.path
    pointed at the repository: the worker's rnn_utils is the few helpers, nothing else."""
    shutil.rmtree(empty / "rnn_utils")
    shutil.copytree(ROOT / "rnn_utils", empty / "rnn_utils", ignore=shutil.ignore_patterns("__pycache__"))
    path = empty / "01_rnn_forward.ipynb"
    nb = nbformat.read(path, as_version=4)
    drop = "import sys\nsys.path = [p for p in sys.path if p not in ('', '.')]\n"
    nb.cells[0].source = drop + nb.cells[0].source
    nbformat.write(nb, path)
    for function in GRADED:
        module = exercise(function).module
        edit_graded(empty, function, lambda s, m=module, f=function: s + textwrap.dedent(f"""
            import sys
            sys.path[:0] = [{str(ROOT)!r}, {str(empty)!r}, "."]
            try:
                import rnn_utils._isolation as guard
                guard.uninstall = None
            except Exception:
                pass
            from rnn_reference.{m} import {f}
            """))
    record = grade_one(empty, base)
    assert record["total"] == 0
    assert "No module named 'rnn_reference'" in record["checks"][0]["message"]


STACK_WALK = '''
import inspect, gc
def _find():
    for frame in inspect.stack():
        for name in ("want", "expected", "case"):
            if name in frame.frame.f_locals:
                return frame.frame.f_locals[name]
    for value in gc.get_objects():
        if isinstance(value, dict) and "want" in value and "args" in value:
            return value["want"]
    for path in ("rnn_utils/checks/answers/rnn_cell_forward.npz",
                 {answers!r}, {course!r}):
        try:
            return np.load(path)
        except Exception:
            pass
    return None

def rnn_cell_forward(xt, a_prev, parameters):
    return _find()
'''


def test_answers_and_the_checks_stack_are_out_of_reach(base, empty):
    source = STACK_WALK.format(answers=str(ROOT / "rnn_utils/checks/answers/rnn_cell_forward.npz"),
                               course=str(base / "rnn_utils/checks/answers/rnn_cell_forward.npz"))
    edit_graded(empty, "rnn_cell_forward", lambda s: source)
    record = grade_one(empty, base, exercises=["rnn_cell_forward"])
    assert record["total"] == 0
    assert "returned None" in record["checks"][0]["message"]


def own_processes(marker):
    """The processes whose command line holds marker."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found


@pytest.mark.course  # a class graded in sandboxes, with hostile code
def test_the_learners_code_touches_nothing_of_the_grader(base, complete, tmp_path):
    """A detached process to rewrite --json later, twenty detached children, the course's
    harness.py rewritten, the other submissions' files rewritten, the original submission
    deleted (found through /proc), figures/ a link to the instructor's folder: none happens,
    and the honest students graded in the same run (--jobs 3) keep their points."""
    out = tmp_path / "out"
    out.mkdir()
    report_file = out / "grades.json"
    honest = [tmp_path / name for name in ("anna", "ben")]
    for folder in honest:
        shutil.copytree(complete, folder)
    mallory = tmp_path / "mallory"
    shutil.copytree(base, mallory)
    outside = tmp_path / "instructor"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    shutil.rmtree(mallory / "figures", ignore_errors=True)
    (mallory / "figures").symlink_to(outside, target_is_directory=True)
    marker = f"credit-attack-{os.getpid()}"
    targets = [str(report_file), str(base / "rnn_utils/checks/harness.py"), str(mallory),
               *(str(f / "01_rnn_forward.ipynb") for f in honest), str(outside / "keep.txt")]
    attack = textwrap.dedent(f"""
        import os, shutil, subprocess, glob
        TARGETS = {targets!r}
        def _attack():
            for _ in range(20):
                try:
                    subprocess.Popen(["sh", "-c", "sleep 3; echo {marker} > " + TARGETS[0]],
                                     start_new_session=True)
                except Exception:
                    pass
                try:
                    if os.fork() == 0:
                        os.setsid()
                        import time
                        time.sleep(3)
                        os._exit(0)
                except Exception:
                    pass
            for path in TARGETS + glob.glob("/proc/*/cwd") + glob.glob("/proc/*/root/*"):
                try:
                    if os.path.isdir(path):
                        shutil.rmtree(path)
                    else:
                        with open(path, "w") as f:
                            f.write("# {marker}\\nprint('All tests passed')\\n")
                except Exception:
                    pass
        _attack()
        """)
    for function in GRADED:
        edit_graded(mallory, function, lambda s: s + attack)
    before = {folder: snapshot(folder) for folder in (*honest, base, outside)}
    process = subprocess.run([sys.executable, "-m", "rnn_utils.grade", *map(str, honest), str(mallory),
                              "--course", str(base), "--jobs", "3", "--json", str(report_file)],
                             capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert process.returncode == 1, process.stderr
    written = report_file.read_text()
    time.sleep(3.5)
    assert report_file.read_text() == written and marker not in written
    records = {Path(r["path"]).name: r for r in json.loads(written)["submissions"]}
    assert records["anna"]["total"] == records["ben"]["total"] == TOTAL
    assert records["mallory"]["total"] == 0
    assert {folder: snapshot(folder) for folder in (*honest, base, outside)} == before
    assert (mallory / "figures").is_symlink() and (outside / "keep.txt").read_text() == "keep"
    assert own_processes(marker) == []


# ---- the sandbox itself -----------------------------------------------------------------------

PROBE = '''
import os, socket
def probe(paths, port, grader):
    found = {}
    for path in paths:
        for what in ("read", "list", "write"):
            try:
                if what == "read":
                    open(path, "rb").read(1)
                elif what == "list":
                    os.listdir(path)
                else:
                    open(os.path.join(path, "x") if os.path.isdir(path) else path, "a").write("x")
                found[what + " " + path] = "done"
            except Exception as err:
                found[what + " " + path] = type(err).__name__
    connect = lambda: socket.create_connection(("127.0.0.1", port), 1)
    for name, attempt in (("fork", os.fork), ("connect", connect),
                          ("signal the grader", lambda: os.kill(grader, 0)),
                          ("proc", lambda: os.listdir("/proc/1/root/work"))):
        try:
            attempt()
            found[name] = "done"
        except Exception as err:
            found[name] = type(err).__name__
    found["uid"] = str(os.getuid())
    found["sees"] = ",".join(sorted(os.listdir("/")))
    return found
'''


def test_the_sandbox_reads_writes_and_reaches_nothing_outside(base, complete, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    paths = [str(p) for p in (secret, tmp_path, complete, complete / "01_rnn_forward.ipynb", base,
                              ROOT / "rnn_utils" / "rnn.py", ROOT / "rnn_utils" / "checks" / "answers",
                              Path.home(), Path(sys.prefix), Path(np.__file__).parent, "/sandbox",
                              "/sandbox/sources.json", "/usr/bin")]
    before = snapshot(tmp_path)
    with sandbox.Worker({"nb": [("probe", PROBE)]}, base) as worker:
        found, _ = worker.call("nb", "probe", [paths, listener.getsockname()[1], os.getpid()])
    listener.close()
    done = sorted(k for k, v in found.items() if v == "done")
    # what it may do: read its own files, the system's programs and numpy (read-only)
    allowed = {f"{what} {path}" for what in ("read", "list") for path in
               ("/sandbox", "/sandbox/sources.json", "/usr/bin", str(Path(np.__file__).parent))}
    # the folders above the Python installation, where it lies in a home folder (pyenv)
    allowed |= {f"list {p}" for p in Path(sys.base_prefix).resolve().parents}
    assert set(done) <= allowed, done
    assert found["fork"] == "PermissionError" and found["connect"] in ("OSError", "ConnectionRefusedError")
    assert set(found["sees"].split(",")) <= {"bin", "dev", "lib", "lib32", "lib64", "libx32", "opt", "proc",
                                             "root", "sandbox", "sbin", "tmp", "usr"}
    assert snapshot(tmp_path) == before and secret.read_text() == "secret"


LIMITS = '''
import os
def memory():
    return bytearray(8 << 30)
def loop():
    while True:
        pass
def files():
    return [open("/tmp/f%d" % i, "w") for i in range(200)]
def big_file():
    with open("/tmp/big", "wb") as f:
        f.write(b"x" * (64 << 20))
def big_answer():
    return np.zeros(20_000_000)
def fine():
    return np.arange(3.0)
def leave():
    os._exit(0)
'''


@pytest.mark.course  # sandboxed workers in subprocesses
def test_resource_limits_stop_a_function_and_the_next_one_runs(base):
    session = credit.Session({"nb": [("fine", LIMITS)]}, base, True, 3)
    outcomes = {}
    try:
        for name in ("memory", "files", "big_file", "big_answer", "leave", "loop", "fine"):
            started = time.monotonic()
            try:
                outcomes[name] = repr(session.worker().call("nb", name, [])[0])
            except (sandbox.LearnerError, sandbox.WorkerGone) as err:
                outcomes[name] = f"{type(err).__name__}: {getattr(err, 'info', {}).get('type', err)}"
            assert time.monotonic() - started < 6, name
    finally:
        session.close()
    assert outcomes["memory"] == "LearnerError: MemoryError"
    assert outcomes["files"] == "LearnerError: OSError"  # too many open files
    assert outcomes["big_file"] == "LearnerError: OSError"  # file too large (SIGXFSZ ignored)
    assert outcomes["big_answer"].startswith("WorkerGone") and "could not be read" in outcomes["big_answer"]
    assert outcomes["leave"].startswith("WorkerGone") and "stopped" in outcomes["leave"]
    assert "more than 3 s" in outcomes["loop"]
    assert outcomes["fine"] == "array([0., 1., 2.])"


def test_the_wire_carries_plain_arrays_and_refuses_anything_else():
    message = {"a": (np.arange(6.0).reshape(2, 3), [np.float32(1.5), None, "x", 3, True]),
               "b": np.array(["ab"]), "c": {"n": np.int64(4)}}
    stream = io.BytesIO()
    wire.write(stream, message)
    stream.seek(0)
    back = wire.read(stream)
    assert np.array_equal(back["a"][0], message["a"][0]) and back["a"][1][1:] == [None, "x", 3, True]
    assert type(back["a"][1][0]) is np.float32 and type(back["c"]["n"]) is np.int64
    chunks = []
    assert wire.encode(np.array([object()]), chunks) == {"f": "numpy array of dtype object"}
    assert wire.encode(np.ma.masked_array([1.0]), chunks)["f"].endswith(".MaskedArray")
    for header, body in ((b'{"a": [0, "|O", [1]]}', b"\0" * 8), (b'{"a": [0, "<f8", [9]]}', b"\0" * 8),
                         (b'{"q": 1}', b""), (b"[" * 100000, b""), (b'{"a": [0, "V8", [1]]}', b"\0" * 8)):
        with pytest.raises(wire.WireError):
            sizes = len(header).to_bytes(8, "big") + len(body).to_bytes(8, "big")
            wire.read(io.BytesIO(sizes + header + body))
    with pytest.raises(wire.WireError):
        wire.read(io.BytesIO((1 << 40).to_bytes(8, "big") + (0).to_bytes(8, "big")))


# ---- the command ------------------------------------------------------------------------------

def test_credit_mode_is_plugged_in_and_the_learner_copy_has_none_of_it(base, capsys, monkeypatch):
    assert modes.mode("credit") is cli.MODE
    for path in (ROOT / "rnn_utils").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import rnn_credit" not in text and "from rnn_credit" not in text, path
    assert not any("rnn_credit" in name for name, _ in package_files())
    assert not (base / "rnn_credit").exists()
    monkeypatch.setattr(modes, "entry_points", lambda group: [])
    assert grade_main([str(base), "--course", str(base)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "needs the course's repository" in err[0]


@pytest.mark.course  # the grader's command line, twice in subprocesses
def test_without_its_sandbox_it_refuses_unless_told(base, tmp_path):
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}  # no bwrap on this PATH
    command = [sys.executable, "-m", "rnn_utils.grade", str(base), "--course", str(base),
               "--exercise", "rnn_cell_forward"]
    refused = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert refused.returncode == 2 and "bubblewrap" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.stderr
    told = subprocess.run(command + ["--no-sandbox", "--json", str(tmp_path / "r.json")], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)
    assert told.returncode == 1 and "not sandboxed" in told.stderr
    assert "WITHOUT SANDBOX" in told.stdout.splitlines()[0]
    assert json.loads((tmp_path / "r.json").read_text())["sandboxed"] is False


def test_shards_split_a_class_and_their_records_merge(base, complete, tmp_path):
    assert credit.shard(range(7), "2/3") == [1, 4]
    assert credit.shard(range(2), "3/3") == []
    for bad in ("0/3", "4/3", "x", "1/0"):
        with pytest.raises(Exception, match="--shard"):
            credit.shard(range(3), bad)
    folders = []
    for name in ("s1", "s2", "s3"):
        shutil.copytree(complete if name != "s2" else base, tmp_path / name)
        folders.append(str(tmp_path / name))
    found = []
    for k in (1, 2):
        out = tmp_path / f"shard{k}.json"
        code = grade_main([*folders, "--course", str(base), "--exercise", "rnn_cell_forward",
                           "--shard", f"{k}/2", "--json", str(out)])
        assert code in (0, 1)
        found += report.from_json(json.loads(out.read_text()))
    assert sorted(r["path"] for r in found) == sorted(folders)
    assert {Path(r["path"]).name: r["total"] for r in found} == {"s1": 1, "s2": 0, "s3": 1}


# ---- the learner's self-check: only the graded cells count -------------------------------------

def test_the_self_check_notes_a_helper_defined_outside_the_graded_cell(complete, tmp_path, capsys,
                                                                        monkeypatch):
    folder = tmp_path / "carol"
    shutil.copytree(complete, folder)
    path = folder / "01_rnn_forward.ipynb"
    nb = nbformat.read(path, as_version=4)
    graded = next(c for c in nb.cells if cellmeta.is_graded(c, "rnn_cell_forward"))
    graded.source = graded.source.replace("np.tanh(", "my_tanh(")
    helper = nbformat.v4.new_code_cell("def my_tanh(z):\n    return np.tanh(z)")
    nb.cells.insert(nb.cells.index(graded), helper)
    nbformat.write(nb, path)
    assert outside.notes(complete, ["01_rnn_forward", "06_gru"]) == []
    [line] = outside.notes(folder, ["01_rnn_forward"])
    assert line.startswith("note: rnn_cell_forward uses my_tanh, defined in another cell of 01_rnn_forward")
    # the self-check prints it after its table (the kernels' run itself is tests/test_grade.py's)
    record = {"path": str(folder), "total": 1, "max": 1, "notebooks": [],
              "checks": [{"notebook": "01_rnn_forward", "function": "rnn_cell_forward", "passed": True,
                          "points": 1, "max_points": 1, "message": None}]}
    monkeypatch.setattr("rnn_utils.grade.__main__.grade", lambda *a, **k: [record])
    assert grade_main([str(folder), "--exercise", "rnn_cell_forward"]) == 0
    assert line in capsys.readouterr().out
    assert credit.grade([folder], exercises=["rnn_cell_forward"], seed=SEED)[0]["total"] == 0


def test_forged_messages_and_terminal_escapes_break_nothing(base, empty):
    """A graded cell that writes frames of its own on the worker's channel (a forged status, forged
    answers, garbage) and raises with terminal escape sequences: 0 points, a clean message, and
    the other functions graded as usual."""
    forge = textwrap.dedent("""
        import os, json, struct
        def _frame(tree):
            header = json.dumps(tree).encode()
            return struct.pack(">QQ", len(header), 0) + header
        for fd in range(3, 12):
            try:
                os.write(fd, _frame({"d": [["ready", {"d": [["rnn_forward", {"v": None}]]}]]}))
                os.write(fd, _frame({"d": [["result", {"v": 1}], ["args", {"l": []}]]}))
                os.write(fd, b"garbage" * 100)
            except OSError:
                pass
        """)
    edit_graded(empty, "rnn_cell_forward", lambda s: forge + s.replace(
        '    check_inputs("rnn_cell_forward", xt, a_prev, parameters)',
        '    raise ValueError("\\x1b]0;owned\\x07\\x1b[2J All tests passed")'))
    record = grade_one(empty, base, exercises=["rnn_cell_forward", "rnn_forward"])
    assert record["total"] == 0
    for check in record["checks"]:
        assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in check["message"]), check["message"]


@pytest.mark.course  # the grader's command line in a subprocess
def test_it_refuses_to_run_from_inside_a_submission(base, empty):
    """python -m puts the working folder first on Python's path: graded from inside a submission,
    its files would be imported by the grader. One line, exit 2. (With the submission's own
    rnn_utils/ there, that copy is what runs: docs/grading.md says to grade from the repository.)"""
    shutil.rmtree(empty / "rnn_utils")
    process = subprocess.run([sys.executable, "-m", "rnn_utils.grade", ".", "--course", str(base)],
                             capture_output=True, text=True, cwd=empty, timeout=120)
    assert process.returncode == 2 and "from outside the submissions" in process.stderr
    assert len(process.stderr.strip().splitlines()) == 1


# ---- nbgrader's hidden tests ------------------------------------------------------------------

@pytest.mark.course  # sandboxed workers in subprocesses
def test_the_hidden_test_draws_new_cases_where_the_course_is_installed(monkeypatch):
    """rnn_utils.checks.hidden: the reference passes, a function right only on the public cases
    fails; without the course's repository (a learner's environment) it does nothing."""

    drawn.hidden_test("gru_backward", rnn_reference.gru_backward)
    stored = answers("rnn_cell_forward")["cases"][0]

    def only_public(xt, a_prev, parameters):
        return stored["want"][0], stored["want"][1], (stored["want"][0], a_prev, xt, parameters)

    with pytest.raises(AssertionError, match="wrong on a case drawn at grading time"):
        drawn.hidden_test("rnn_cell_forward", only_public)
    monkeypatch.setattr(drawn, "command", lambda: None)
    drawn.hidden_test("rnn_cell_forward", only_public)  # nothing to draw the cases with


@pytest.mark.course
def test_the_corpus_of_wrong_implementations_fails_in_credit_mode_as_in_a_notebook():
    """Issue 22's corpus (tests/mistake_corpus.py: every form of the table, the learners' patterns
    written as they wrote them, combinations of two mistakes): each scores 0 in credit mode, as its
    check fails in a notebook (the cases that read a notebook variable aside: credit mode runs
    the graded cells alone, where no such variable exists)."""
    import mistake_corpus

    graded = 0
    for case in mistake_corpus.corpus():
        if case.namespace:
            continue
        notebook = exercise(case.function).notebook
        functions = next(n.exercises for n in NOTEBOOKS if n.stem == notebook)
        cells = [(f, mistaken_cell(f, case.changes if f == case.function else ())) for f in functions]
        session = credit.Session({notebook: cells}, None, True, 10)
        try:
            session.worker()
            passed, message, _ = credit._grade_function(session, notebook, case.function, SEED)
        finally:
            session.close()
        with pytest.raises(AssertionError), contextlib.redirect_stdout(io.StringIO()):
            getattr(public_tests, case.function + "_test")(mistake_corpus.make(case))
        assert not passed and message.startswith(f"{case.function}: "), (case.ident, message)
        graded += 1
    assert graded >= 240, graded

"""scripts/start.py, the README's first command, with JupyterLab replaced by a stub.

It makes the learner edition when there is none and opens its first notebook; an edition that
exists is opened as it is, byte for byte; as root it adds --allow-root; it installs the course's
JupyterLab settings (a notebook's kernel shut down when its tab closes) into the environment.
"""

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from rnn_utils import cellmeta

# course tier: it makes learner editions (scripts/start.py with JupyterLab stubbed)
pytestmark = pytest.mark.course
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def start():
    spec = importlib.util.spec_from_file_location("start", REPO / "scripts" / "start.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Stub:
    """Stands for JupyterLab: records the command it is given."""

    def __init__(self):
        self.commands = []

    def __call__(self, command):
        self.commands.append(command)
        return 0


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(start, monkeypatch, tmp_path, *argv, uid=1000):
    monkeypatch.setattr(start.os, "geteuid", lambda: uid)
    lines, jupyter = [], Stub()
    status = start.main(list(argv), launch=jupyter, prefix=tmp_path / "env", out=lines.append)
    return status, jupyter.commands, lines


def test_makes_the_edition_and_opens_its_first_notebook(start, monkeypatch, tmp_path):
    edition = tmp_path / "learner"
    status, commands, lines = run(start, monkeypatch, tmp_path, "--edition", str(edition), "--no-browser")
    assert status == 0
    assert sorted(p.name for p in edition.glob("*.ipynb"))[0] == "01_rnn_forward.ipynb"
    assert len(list(edition.glob("*.ipynb"))) == 7
    assert (edition / "rnn_utils" / "__init__.py").is_file()
    [command] = commands
    assert command[1:] == ["-m", "jupyter", "lab", str(edition / "01_rnn_forward.ipynb"), "--no-browser"]
    assert "--allow-root" not in command
    assert lines[0].startswith("Your edition is new")
    # the learner edition, not the reference: no solution in the graded cell
    cells = json.loads((edition / "01_rnn_forward.ipynb").read_text())["cells"]
    graded = next("".join(c["source"]) for c in cells if cellmeta.function_of(c))
    assert "### START CODE HERE ###" in graded and "= None" in graded


def test_never_touches_an_edition_that_exists(start, monkeypatch, tmp_path):
    edition = tmp_path / "learner"
    run(start, monkeypatch, tmp_path, "--edition", str(edition))
    notebook = edition / "03_rnn_backward.ipynb"
    work = json.loads(notebook.read_text())
    work["cells"][0]["source"] = "my own notes"
    notebook.write_text(json.dumps(work))
    (edition / "02_lstm_forward.ipynb").unlink()  # a notebook the learner deleted stays deleted
    before = tree(edition)
    status, [command], lines = run(start, monkeypatch, tmp_path, "--edition", str(edition))
    assert status == 0 and tree(edition) == before
    assert command[4] == str(edition / "01_rnn_forward.ipynb")
    assert lines[0] == f"{edition} is your edition: it is opened as it is (nothing in it is changed)."


def test_adds_allow_root_as_root(start, monkeypatch, tmp_path):
    _, [command], _ = run(start, monkeypatch, tmp_path, "--edition", str(tmp_path / "e"), uid=0)
    assert command[-1] == "--allow-root"
    _, [command], _ = run(start, monkeypatch, tmp_path, "--edition", str(tmp_path / "e"), "--allow-root",
                          uid=0)
    assert command.count("--allow-root") == 1


def test_installs_the_settings_that_shut_a_closed_notebooks_kernel_down(start, monkeypatch, tmp_path):
    run(start, monkeypatch, tmp_path, "--edition", str(tmp_path / "e"))
    installed = (tmp_path / "env" / "share" / "jupyter" / "lab" / "settings" / "overrides.d"
                 / "rnn-step-by-step.json")
    settings = json.loads(installed.read_text())["@jupyterlab/notebook-extension:tracker"]
    assert settings == {"kernelShutdown": True, "windowingMode": "defer"}
    # both are settings of JupyterLab's notebook tracker, with these values allowed
    schema = Path(start.sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab" / \
        "notebook-extension" / "tracker.json"
    if schema.is_file():
        properties = json.loads(schema.read_text())["properties"]
        assert properties["kernelShutdown"]["type"] == "boolean"
        assert "defer" in [choice["const"] for choice in properties["windowingMode"]["oneOf"]]


def test_chinese_edition_speaks_chinese(start, monkeypatch, tmp_path):
    edition = tmp_path / "learner"
    _, [command], lines = run(start, monkeypatch, tmp_path, "--lang", "zh-CN", "--edition", str(edition))
    assert start.edition_language(edition) == "zh-CN"
    assert lines[0] == "已生成你的学员版：完成每个计分单元格，然后运行它下面的检查。"
    assert lines[-1].startswith("在 JupyterLab 中打开")
    _, _, lines = run(start, monkeypatch, tmp_path, "--edition", str(edition))
    assert lines[1] == "(it is the zh-CN edition; for the en one, give another folder: --edition DIR)"


def test_git_ignores_every_folder_the_edition_tool_makes(tmp_path):
    """Editions, their backups and the tool's staging folders are not untracked clutter."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    made = ["learner/", "learner-zh-CN/", "learner2/", "learner-backups/",
            "learner-backups/2026-01-01_10-00-00/", "learner-backups-3f9a/", "learner_backups_2/",
            "my-class-backups/", ".learner.staging-x1y2/", "build-zh/"]
    kept = ["notebooks/01_rnn_forward.ipynb", "tests/test_learner_kernel.py", "scripts/start.py"]
    found = subprocess.run(["git", "check-ignore", "--no-index", *made, *kept], cwd=REPO,
                           capture_output=True, text=True).stdout.split()
    assert found == made


@pytest.mark.parametrize("readme, lang", [("README.md", []), ("README.zh-CN.md", ["--lang", "zh-CN"])])
def test_the_readmes_first_command_starts_a_learner_in_their_edition(readme, lang):
    """The first command a README shows sets up and runs scripts/start.py (not the reference edition)."""
    import re

    text = (REPO / readme).read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)\n```", text, re.S).group(1)
    assert first == " ".join(["python3 -m venv .venv && .venv/bin/pip install -r requirements.txt &&",
                              ".venv/bin/python scripts/start.py", *lang]).strip()
    assert "jupyter lab notebooks/" not in text

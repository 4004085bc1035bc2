"""The edition tool and the grader speak the learner's language (issue 27).

Under --lang zh-CN, or where the system's locale is Chinese (and, for the grader, when the
edition it grades is Chinese), their lines, the grader's table and --help are Chinese; otherwise
they are the English they always were. The edition tool says "1 learner notebook ... Open it".
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_reference.edition import make_edition
from rnn_utils import i18n
from rnn_utils.grade import __main__ as grade_cli
from rnn_utils.grade import report

# course tier: it makes editions and runs the edition tool and the grader as command lines
pytestmark = pytest.mark.course
REPO = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_LOCALE = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}


def edition(*args, env=None):
    environ = dict(os.environ)
    environ.update(ENGLISH_LOCALE if env is None else env)
    return subprocess.run([sys.executable, "-m", "rnn_reference.edition", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, env=environ, timeout=120)


def test_system_language():
    assert i18n.system_language({"LANG": "zh_CN.UTF-8"}) == "zh-CN"
    assert i18n.system_language({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}) == "zh-CN"
    assert i18n.system_language({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.system_language({}) == "en"
    assert i18n.tool_language(["x", "--lang", "zh-CN"]) == "zh-CN"
    assert i18n.tool_language(["--lang=en"], "zh-CN") == "en"
    assert i18n.tool_language(["x"], "zh-CN") == "zh-CN"


def test_the_chinese_edition_tool_speaks_chinese(tmp_path):
    out = tmp_path / "learner"
    made = edition(out, "--lang", "zh-CN")
    assert made.returncode == 0, made.stderr
    assert f"已写入 {out / '01_rnn_forward.ipynb'}" in made.stdout
    assert f"{out} 中有 7 个学员笔记本。用下面的命令打开它们：" in made.stdout
    assert "然后完成每个计分单元格，并运行它下面的检查。" in made.stdout
    assert not re.search(r"\bwrote\b|Open them", made.stdout)
    notebook = out / "03_rnn_backward.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace("= None", "= 1", 1), encoding="utf-8")
    again = edition(out, "--lang", "zh-CN")
    assert again.returncode == 1
    assert again.stderr.startswith(f"错误：不覆盖 {notebook}：其中可能有你写的内容。什么也没有写入。")
    forced = edition(out, "--lang", "zh-CN", "--force", "--only", "03_rnn_backward")
    assert forced.returncode == 0, forced.stderr
    assert f"已把 {notebook} 的副本保存为" in forced.stdout
    assert f"{out} 中有 1 个学员笔记本。用下面的命令打开它：" in forced.stdout


def test_one_notebook_is_one_notebook_in_english(tmp_path):
    out = tmp_path / "learner"
    made = edition(out, "--only", "03_rnn_backward")
    assert made.returncode == 0, made.stderr
    assert f"1 learner notebook in {out}. Open it with:\n" in made.stdout
    made = edition(tmp_path / "two", "--only", "01_rnn_forward", "03_rnn_backward")
    assert f"2 learner notebooks in {tmp_path / 'two'}. Open them with:\n" in made.stdout


def test_help_follows_lang_or_the_system_locale():
    english = edition("--help")
    assert "Write the learner edition of the course" in english.stdout and not CJK.search(english.stdout)
    assert english.stdout.startswith("usage: python -m rnn_reference.edition [-h]")
    assert "\noptions:\n  -h, --help            show this help message and exit\n" in english.stdout
    for run in (edition("--help", "--lang", "zh-CN"), edition("--help", env={"LANG": "zh_CN.UTF-8"})):
        assert "生成课程的学员版" in run.stdout and "写入学员版的文件夹" in run.stdout, run.stdout
        assert run.stdout.startswith("用法：python -m rnn_reference.edition")
        assert "显示本帮助信息并退出" in run.stdout
    grade = subprocess.run([sys.executable, "-m", "rnn_utils.grade", "--help", "--lang", "zh-CN"],
                           capture_output=True, text=True, cwd=REPO)
    assert "在副本上运行学员版的笔记本" in grade.stdout and "--report 页面的语言" in grade.stdout


RECORD = {"path": "learner", "total": 1, "max": 2, "checks": [
    {"notebook": "01_rnn_forward", "function": "rnn_cell_forward", "passed": True, "points": 1,
     "max_points": 1, "message": None},
    {"notebook": "01_rnn_forward", "function": "rnn_forward", "passed": False, "points": 0,
     "max_points": 1, "message": "rnn_forward：a 的值不对\n第二行"}], "notebooks": []}


def test_the_grader_table_in_english_is_as_it_was():
    assert report.table(RECORD) == (
        "learner\n"
        "  notebook        exercise          points\n"
        "  01_rnn_forward  rnn_cell_forward     1/1  passed\n"
        "  01_rnn_forward  rnn_forward          0/1  rnn_forward：a 的值不对\n"
        "  total                                1/2")


def test_the_grader_table_in_chinese_is_chinese_and_aligned():
    with i18n.using("zh-CN"):
        table = report.table(RECORD)
        summary = report.summary([RECORD, dict(RECORD, path="b")])
    lines = table.splitlines()
    assert lines[1].split() == ["笔记本", "练习", "得分"]
    assert lines[2].endswith("1/1  通过") and lines[4].split() == ["总分", "1/2"]
    # the points end in the same terminal column on every line (a Chinese character is two wide)
    ends = {report._width(line[:line.index("/") + 2]) for line in lines[2:]}
    assert len(ends) == 1 and report._width(lines[1]) == ends.pop()
    assert summary.splitlines()[0] == "共 2 份提交，0 份通过"
    assert summary.splitlines()[2].endswith("未通过 （1 个检查未通过）")


def test_the_grader_follows_the_edition_it_grades(tmp_path, capsys):
    make_edition(tmp_path / "zh", lang="zh-CN", out=lambda line: None)
    make_edition(tmp_path / "en", out=lambda line: None)
    assert grade_cli._edition_language([str(tmp_path / "zh")]) == "zh-CN"
    assert grade_cli._edition_language([str(tmp_path / "zh" / "06_gru.ipynb")]) == "zh-CN"
    assert grade_cli._edition_language(["--jobs", "2", str(tmp_path / "en")]) == "en"
    saved = tmp_path / "report.json"
    saved.write_text(json.dumps(RECORD), encoding="utf-8")
    assert grade_cli.main(["--from-json", str(saved), "--lang", "zh-CN"]) == 1
    assert "总分" in capsys.readouterr().out
    assert grade_cli.main(["--from-json", str(saved), "--lang", "en"]) == 1
    assert "  total " in capsys.readouterr().out


@pytest.mark.parametrize("word", ["passed", "total", "notebook", "exercise", "points"])
def test_every_word_of_the_table_is_translated(word):
    with i18n.using("zh-CN"):
        assert CJK.search(i18n._(word))

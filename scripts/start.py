"""Open your own edition of the course in JupyterLab: the README's first command.

    python scripts/start.py                  # the English learner edition, learner/
    python scripts/start.py --lang zh-CN     # the Chinese one (中文学员版)
    python scripts/start.py --edition DIR    # another folder; JupyterLab's own options may follow

It makes the learner edition (``python -m rnn_reference.edition``) when the folder holds no
notebook yet, and never touches one that does: an edition that exists is opened as it is, with
everything you wrote in it. Then it opens the edition's first notebook in JupyterLab, adding
``--allow-root`` when it runs as root (in a container), and gives JupyterLab the course's
settings (``scripts/lab_settings.json``, copied into this environment's
``share/jupyter/lab/settings/overrides.d/``): closing a notebook's tab shuts its kernel down,
and every cell is put in the page, so that the table-of-contents links land on their headings.

The reference notebooks (``notebooks/``, with every solution) are for instructors and CI.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = Path(__file__).resolve().with_name("lab_settings.json")
FIRST = "01_rnn_forward.ipynb"

WORDS = {
    "en": {
        "made": "Your edition is new: complete each graded cell, then run the check below it.",
        "kept": "{edition} is your edition: it is opened as it is (nothing in it is changed).",
        "other": "(it is the {found} edition; for the {lang} one, give another folder: --edition DIR)",
        "settings": "JupyterLab's settings of the course: {path}",
        "no settings": ("not in a virtual environment: the course's JupyterLab settings are not installed "
                        "(shut a kernel down with Kernel > Shut Down Kernel)"),
        "opening": "opening {path} in JupyterLab (stop it with Ctrl+C)",
        "failed": "error: the edition could not be made: {error}",
    },
    "zh-CN": {
        "made": "已生成你的学员版：完成每个计分单元格，然后运行它下面的检查。",
        "kept": "{edition} 是你已有的学员版：原样打开（不改动其中任何内容）。",
        "other": "（它是 {found} 版；要用 {lang} 版，请另给一个文件夹：--edition DIR）",
        "settings": "课程的 JupyterLab 设置：{path}",
        "no settings": ("不在虚拟环境中：没有安装课程的 JupyterLab 设置"
                        "（用“内核 > 关闭内核”关闭内核）"),
        "opening": "在 JupyterLab 中打开 {path}（按 Ctrl+C 停止）",
        "failed": "错误：无法生成学员版：{error}",
    },
}


def edition_language(folder):
    """The language of the edition in folder ("en" or a tag), read from its first notebook."""
    for path in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb")):
        found = re.search(r"""set_language\(\s*\\?["']([^"'\\]+)""", path.read_text(encoding="utf-8"))
        return found.group(1) if found else "en"
    return None


def install_settings(prefix):
    """Copy the course's JupyterLab settings into the environment at prefix; returns the path."""
    target = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "rnn-step-by-step.json"
    data = json.dumps(json.loads(SETTINGS.read_text(encoding="utf-8")), indent=2) + "\n"
    if not target.is_file() or target.read_text(encoding="utf-8") != data:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data, encoding="utf-8")
    return target


def main(argv=None, launch=subprocess.call, prefix=None, out=print):
    """
    Make the edition if there is none, then open its first notebook in JupyterLab.

    Arguments:
    argv -- the command line (default sys.argv[1:]); options not of this script go to JupyterLab
    launch -- function that runs a command (a list of str) and returns its exit status
    prefix -- the environment to install the settings into (default: this virtual environment's)
    out -- function called with each line to show

    Returns:
    status -- JupyterLab's exit status, or 1 when the edition could not be made
    """
    parser = argparse.ArgumentParser(prog="python scripts/start.py",
                                     description="Make your learner edition if there is none, and open it "
                                                 "in JupyterLab.")
    parser.add_argument("--lang", default="en", choices=sorted(WORDS),
                        help="the edition's language: en (the default) or zh-CN")
    parser.add_argument("--edition", default=None, metavar="DIR",
                        help="the folder of your edition (default: learner/ of this checkout)")
    args, lab_options = parser.parse_known_args(argv)
    words = WORDS[args.lang]
    edition = Path(args.edition) if args.edition else ROOT / "learner"

    found = edition_language(edition)
    if found is None:
        from rnn_reference.edition import EditionError, make_edition

        try:
            make_edition(edition, lang=args.lang, out=lambda line: None)
        except (FileExistsError, EditionError, OSError) as err:
            out(words["failed"].format(error=err))
            return 1
        out(words["made"])
    else:
        out(words["kept"].format(edition=edition))
        if found != args.lang:
            out(words["other"].format(found=found, lang=args.lang))

    if prefix is None and sys.prefix == sys.base_prefix:
        out(words["no settings"])
    else:
        out(words["settings"].format(path=install_settings(prefix or sys.prefix)))

    first = edition / FIRST
    path = first if first.is_file() else edition
    command = [sys.executable, "-m", "jupyter", "lab", str(path)]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in lab_options:
        command.append("--allow-root")
    out(words["opening"].format(path=path))
    return launch(command + lab_options)


if __name__ == "__main__":
    sys.exit(main())

"""Make the learner edition of the course: notebooks to complete, checks to run, no solution.

    python -m rnn_reference.edition OUTDIR [--force] [--only NOTEBOOK ...] [--backups DIR]
                                       [--notebooks DIR] [--classroom] [--lang zh-CN]

It writes into OUTDIR

- every reference notebook (``notebooks/NN_*.ipynb``), as its learner edition
  (rnn_reference.edition.notebook): each graded cell holds the function's signature, docstring
  and provided lines, with the lines to write turned into placeholders
  (rnn_reference.edition.template); outputs cleared; nbgrader metadata on every cell;
- the figures the notebooks show (``figures/...``);
- ``rnn_utils/``, the learner edition's own copy of the package, without the solutions
  (rnn_reference.edition.package): the notebooks import it, and their checks read their stored
  answers from it.

With ``--lang zh-CN`` it makes the Simplified Chinese edition: from the Chinese reference
notebooks (``notebooks/zh-CN/NN_*.ipynb``, written by ``tools/translate.py build``) and their
figures (``notebooks/zh-CN/figures/``: a figure missing there is an error, never replaced by
the English one), with the graded cells' comments, docstrings and hints, and the lines the
edition adds to the setup cell, in Chinese (the reference's code catalogue, rnn_utils.code_text).
The nbgrader metadata, the placeholders and the checks are the same as the English edition's;
the checks speak Chinese because each notebook's first cell says ``set_language("zh-CN")``. The
default is ``en``.

With ``--classroom`` it also writes what makes OUTDIR the template of a student's repository
that grades itself in CI (rnn_reference.edition.classroom): the learner requirements, a GitHub
Actions workflow that runs the grader (rnn_utils.grade) with one GitHub Classroom test per
graded function, worth its points, and the same tests as GitHub Classroom's autograding.json.

It never overwrites a notebook that exists, which may hold a learner's work: it stops and
writes nothing. With ``--force`` it replaces them. Whenever it replaces a file that differs
from what it writes (a notebook, or a file of the package copy or the figures), it first
saves a copy in a folder of its own, made for this run alone (``OUTDIR-backups/<date and
time>-<unique suffix>/`` beside OUTDIR, where neither JupyterLab's view of OUTDIR nor
nbgrader's source folder sees it; with ``--backups DIR``,
``DIR/<OUTDIR's name>/<date and time>-<unique suffix>/``), and says where: two runs never
save into the same folder, even within one second.
``--only 03_rnn_backward`` makes (or, with --force, resets) that notebook alone.

It is all or nothing: everything is checked and written into a hidden staging folder inside
OUTDIR first (``.rnn-edition-staging-*``: on the same file system, so that moving into
place is a rename even when OUTDIR is a mount point; OUTDIR itself is never renamed), then
moved into place; if anything fails, what was there is put back and the command says what
went wrong in one line (exit 1). A run killed outright (``kill -9``) leaves its staging
folder: the next run puts back any file of OUTDIR it had set aside, and removes it.

It refuses to write into the course's own checkout (``edition .`` there would replace the
checkout's package by a learner copy) or into another checkout of the course (a folder
holding ``rnn_reference/``), and into the folder of the reference notebooks.
"""

import datetime
import fcntl
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import rnn_utils
from rnn_reference.edition.notebook import make_notebook
from rnn_reference.edition.package import package_files
from rnn_reference.edition.template import (
    END,
    START,
    EditionError,
    graded_cell_source,
    learner_statements,
    placeholder_source,
    regions,
)
from rnn_utils import i18n
from rnn_utils.i18n import N_

__all__ = ["make_edition", "main", "EditionError", "NOTEBOOK_GLOB", "START", "END",
           "learner_statements", "placeholder_source", "graded_cell_source", "regions", "make_notebook"]

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
STAGING_PREFIX = ".rnn-edition-staging-"


def _say(message, **fields):
    """message (marked with N_) in the chosen language (rnn_utils.i18n), its fields filled in."""
    return i18n._(message).format(**fields)


def default_notebooks(lang="en"):
    """The reference notebooks folder of a source checkout (beside the rnn_utils package):
    notebooks/, or notebooks/<lang>/ for a translation."""
    folder = Path(rnn_utils.__file__).resolve().parent.parent / "notebooks"
    return folder if lang == "en" else folder / lang


def _check_lang(lang):
    if lang not in i18n.LANGUAGES:
        raise EditionError(f"--lang {lang}: the edition's language must be one of "
                           f"{', '.join(i18n.LANGUAGES)}")


def _notebook_lang(notebook):
    """The language a reference notebook chooses in its code (set_language), "en" if none."""
    for cell in notebook.get("cells", []):
        text = "".join(cell["source"]) if isinstance(cell.get("source"), list) else cell.get("source", "")
        found = re.search(r"""\bset_language\(\s*["']([^"']+)["']""", text)
        if cell.get("cell_type") == "code" and found:
            return found.group(1)
    return "en"


def _assets(notebook, folder, missing=None):
    """Relative paths of the local files (figures) that the notebook's markdown links to; the
    local links whose file is not there are added to the list missing (when given)."""
    found = set()
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for link in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) + re.findall(r'src="([^"]+)"', text):
            path = (folder / link).resolve()
            if "://" not in link and not link.startswith("/") and path.is_file() and \
                    folder.resolve() in path.parents:
                found.add(link)
            elif missing is not None and "://" not in link and not link.startswith(("/", "data:")):
                missing.append(link)
    return sorted(found)


def _select(sources, only):
    if not only:
        return sources
    wanted = {Path(name).stem for name in only}
    unknown = wanted - {path.stem for path in sources}
    if unknown:
        raise EditionError(f"--only: no reference notebook called {', '.join(sorted(unknown))}; "
                           f"they are {', '.join(path.stem for path in sources)}")
    return [path for path in sources if path.stem in wanted]


def plan_edition(notebooks=None, only=None, classroom=False, lang="en"):
    """
    Everything the edition writes, made in memory and checked: no file is touched.

    Returns:
    plan -- list of (relative path in OUTDIR, bytes, kind), kind "notebook", "figure", "package"
            or "classroom" (with classroom=True: rnn_reference.edition.classroom)
    """
    _check_lang(lang)
    source_dir = Path(notebooks) if notebooks is not None else default_notebooks(lang)
    sources = sorted(source_dir.glob(NOTEBOOK_GLOB))
    if not sources:
        made = "" if lang == "en" else f" (the {lang} ones are written by python tools/translate.py build)"
        raise EditionError(f"no reference notebooks ({NOTEBOOK_GLOB}) in {source_dir}{made}; "
                           "pass the folder with --notebooks")
    plan, figures = [], {}
    for path in _select(sources, only):
        try:
            with open(path, encoding="utf-8") as f:
                reference = json.load(f)
        except (OSError, ValueError) as err:
            raise EditionError(f"cannot read the reference notebook {path}: {err}") from None
        if _notebook_lang(reference) != lang:
            raise EditionError(f"{path} is a notebook in {_notebook_lang(reference)}, not in {lang}: "
                               f"give the folder of the {lang} notebooks with --notebooks "
                               f"(by default {default_notebooks(lang)})")
        with i18n.using(lang):  # the graded cells and the setup cell's lines in that language
            edition = make_notebook(reference, path.stem)
        text = json.dumps(edition, indent=1, ensure_ascii=False) + "\n"
        plan.append((path.name, text.encode("utf-8"), "notebook"))
        missing = []
        for link in _assets(reference, source_dir, missing):
            figures[link] = (source_dir / link).read_bytes()
        if missing and lang != "en":
            raise EditionError(f"{path.name} shows {missing[0]}, which is not in {source_dir}: the "
                               f"{lang} figures are missing (python notebooks/figures/make_figures.py "
                               f"--lang {lang} draws them); the edition does not put the English "
                               "figures in their place")
    plan += [(link, data, "figure") for link, data in sorted(figures.items())]
    plan += [(f"rnn_utils/{name}", data, "package") for name, data in package_files()]
    if classroom:
        from rnn_reference.edition.classroom import classroom_files

        with i18n.using(lang):  # the student repository's README in the edition's language
            plan += [(name, data, "classroom") for name, data in classroom_files()]
    return plan


def _in_the_way(outdir, plan):
    """A path that blocks the edition: OUTDIR a file, or a file where a folder must be."""
    if outdir.exists() and not outdir.is_dir():
        return _say(N_("{outdir} is a file, not a folder"), outdir=outdir)
    for relative, _, _ in plan:
        for parent in list((outdir / relative).parents)[::-1]:
            if parent.exists() and not parent.is_dir():
                return _say(N_("{path} is a file, but the edition needs a folder there"), path=parent)
        dest = outdir / relative
        if dest.is_dir():
            return _say(N_("{path} is a folder, but the edition needs a file there"), path=dest)
    return None


def _refused(outdir, source_dir):
    """Why OUTDIR must not receive an edition (the course's own files would be replaced), or None."""
    here = outdir.resolve()
    package = Path(rnn_utils.__file__).resolve().parent
    # the course's repository (this one, or another checkout): the reference package beside rnn_utils
    if (outdir / "rnn_utils").resolve() == package or (outdir / "rnn_reference").exists():
        return _say(N_("{outdir} holds the course's own package (rnn_utils/, with the solutions): an "
                       "edition there would replace it by a learner copy. Give a folder of its own, "
                       "e.g. learner"), outdir=outdir)
    sources = {source_dir.resolve()} | {default_notebooks(tag).resolve() for tag in i18n.LANGUAGES}
    if here in sources:
        return _say(N_("{outdir} is a folder of the course's reference notebooks: an edition there "
                       "would replace them. Give a folder of its own, e.g. learner"), outdir=outdir)
    return None


def _recover(outdir, out):
    """Clean up after runs killed outright: every staging folder in OUTDIR that no run holds
    (its lock is free) is removed, after each file of OUTDIR it had set aside (old/) and not
    put back is moved back to its place."""
    for stale in sorted(outdir.glob(STAGING_PREFIX + "*")):
        if stale.is_symlink() or not stale.is_dir():
            continue
        try:
            with open(stale / "lock", "a+b") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another run is writing with it now
            continue
        old = stale / "old"
        for path in sorted(old.rglob("*")) if old.is_dir() else []:
            dest = outdir / path.relative_to(old)
            if path.is_file() and not path.is_symlink() and not (dest.exists() or dest.is_symlink()):
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, dest)
                out(_say(N_("put back {path}, set aside by an interrupted run"), path=dest))
        shutil.rmtree(stale)
        out(_say(N_("removed {path}, left by an interrupted run"), path=stale))


def _backup_folder(outdir, backups):
    """A folder made for this run's copies of replaced files, which no other run can have:
    OUTDIR-backups/<date and time>-<unique suffix> beside OUTDIR, or with backups=DIR,
    DIR/<OUTDIR's name>/<date and time>-<unique suffix>."""
    here = outdir.resolve()
    root = Path(backups) / here.name if backups is not None else here.parent / f"{here.name}-backups"
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    return Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=root))


def _move_into_place(staging, outdir, plan, replaced):
    """Move every staged file to outdir; on any failure put back exactly what was there."""
    done = []  # (dest, saved old file or None, installed)
    created = []
    try:
        for relative, _, _ in plan:
            dest = outdir / relative
            missing = [p for p in list(dest.parents)[::-1] if not p.exists()]
            for folder in missing:
                folder.mkdir()
                created.append(folder)
            saved = None
            if dest.exists():
                saved = replaced / relative
                saved.parent.mkdir(parents=True, exist_ok=True)
                os.replace(dest, saved)
            done.append([dest, saved, False])
            os.replace(staging / relative, dest)
            done[-1][2] = True
    except BaseException:
        for dest, saved, installed in reversed(done):
            if installed and dest.exists():
                dest.unlink()
            if saved is not None:
                os.replace(saved, dest)
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise


def make_edition(outdir, notebooks=None, force=False, out=print, only=None, backups=None,
                 classroom=False, lang="en"):
    """
    Writes the learner edition into outdir, all or nothing.

    Arguments:
    outdir -- folder to write into (created if needed)
    notebooks -- folder of the reference notebooks NN_*.ipynb (default: the checkout's notebooks/,
                 or notebooks/<lang>/ for another language)
    force -- replace existing notebooks that differ (every replaced file that differs is first
             copied into the backups folder, with or without force)
    out -- function called with each line of the report (print by default)
    only -- names of the notebooks to write (e.g. ["03_rnn_backward"]); default: all of them
    backups -- the folder for the copies of replaced files (default: outdir-backups beside
               outdir); each run saves into a subfolder of its own, named after its date and
               time with a unique suffix (with backups given: under backups/<outdir's name>/)
    classroom -- also write the files of a student's repository that grades itself in CI
                 (requirements.txt, .github/: rnn_reference.edition.classroom)
    lang -- the edition's language: "en" (the default) or "zh-CN" (rnn_utils.i18n.LANGUAGES);
            the reference notebooks must be in it

    Returns:
    written -- list of the paths written (notebooks, figures and the package's files)

    Raises FileExistsError, writing nothing, when a notebook exists in outdir and force is
    false; EditionError when a source is missing, a path is in the way, a solution would
    leak, or outdir is the course's own checkout or reference notebooks; OSError when the file
    system refuses (nothing is left half-written).
    """
    outdir = Path(outdir)
    plan = plan_edition(notebooks, only, classroom, lang)
    refused = _refused(outdir, Path(notebooks) if notebooks is not None else default_notebooks(lang))
    if refused:
        raise EditionError(_say(N_("{why}. Nothing was written."), why=refused))
    blocked = _in_the_way(outdir, plan)
    if blocked:
        raise EditionError(_say(N_("{why}. Nothing was written."), why=blocked))
    if outdir.is_dir():
        _recover(outdir, out)
    existing = {relative: (outdir / relative).read_bytes() for relative, _, _ in plan
                if (outdir / relative).exists()}
    changed = [(relative, kind) for relative, data, kind in plan
               if relative in existing and existing[relative] != data]
    kept = [relative for relative, kind in changed if kind == "notebook"]
    if kept and not force:
        names = ", ".join(str(outdir / relative) for relative in kept)
        raise FileExistsError(_say(N_(
            "refusing to overwrite {names}: it may hold your work. Nothing was written. "
            "Choose another folder, or run again with --force to replace it (a copy of each "
            "notebook replaced is saved first), or with --only NOTEBOOK to make one notebook afresh."
        ), names=names))
    plan = [(relative, data, kind) for relative, data, kind in plan if existing.get(relative) != data]

    made = [folder for folder in [outdir, *outdir.parents] if not folder.exists()][::-1]
    staging = lock = None
    saved = []
    try:
        for folder in made:
            folder.mkdir()
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=outdir))
        lock = open(staging / "lock", "wb")  # held while this run writes: _recover leaves it alone
        fcntl.flock(lock, fcntl.LOCK_EX)
        for relative, data, _ in plan:
            target = staging / "new" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if changed:
            folder = _backup_folder(outdir, backups)
            for relative, _ in changed:
                copy = folder / relative
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(outdir / relative, copy)
                saved.append((outdir / relative, copy))
        _move_into_place(staging / "new", outdir, plan, staging / "old")
    except BaseException:
        left = staging is not None and any(p.is_file() for p in (staging / "old").rglob("*"))
        if staging is not None and not left:  # else a file set aside could not be put back: the
            shutil.rmtree(staging, ignore_errors=True)  # next run puts it back (_recover)
        for folder in reversed(made):  # the folders this run made, if nothing else is in them
            try:
                folder.rmdir()
            except FileNotFoundError:
                continue
            except OSError:
                break
        raise
    finally:
        if lock is not None:
            lock.close()
    shutil.rmtree(staging, ignore_errors=True)

    for dest, copy in saved:
        out(_say(N_("saved a copy of {path} as {copy}"), path=dest, copy=copy))
    written = [outdir / relative for relative, _, _ in plan]
    for relative, _, kind in plan:
        if kind != "package":
            out(_say(N_("wrote {path}"), path=outdir / relative))
    count = sum(1 for _, _, kind in plan if kind == "package")
    if count:
        out(_say(N_("wrote the learner edition's own copy of rnn_utils ({count} files) in {folder}"),
                 count=count, folder=outdir / "rnn_utils"))
    return written


def _jupyter_command():
    """How to call the jupyter of this environment from the current folder, e.g. .venv/bin/jupyter."""
    jupyter = Path(sys.executable).with_name("jupyter")
    try:
        return os.path.relpath(jupyter)
    except ValueError:
        return str(jupyter)


def main(argv=None):
    """The command line; it speaks the language of --lang, or else the system's (rnn_utils.i18n)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    with i18n.using(i18n.tool_language(argv)):
        return _main(argv)


def _main(argv):
    _ = i18n._
    parser = i18n.parser(
        prog="python -m rnn_reference.edition",
        description=_("Write the learner edition of the course: notebooks whose graded cells are "
                      "yours to complete, each followed by a check that says what is wrong."))
    parser.add_argument("outdir", help=_("folder to write the learner edition into"))
    parser.add_argument("--force", action="store_true",
                        help=_("replace existing notebooks, after saving a copy of each beside OUTDIR"))
    parser.add_argument("--only", nargs="+", metavar="NOTEBOOK",
                        help=_("make only these notebooks, e.g. --only 03_rnn_backward"))
    parser.add_argument("--backups", default=None,
                        help=_("folder for the copies of replaced files (default: OUTDIR-backups); "
                               "each run saves into a new subfolder of it"))
    parser.add_argument("--notebooks", default=None,
                        help=_("folder of the reference notebooks (default: notebooks/ of this checkout, "
                               "notebooks/zh-CN/ with --lang zh-CN)"))
    parser.add_argument("--classroom", action="store_true",
                        help=_("also write what a student's repository needs to grade itself in CI: "
                               "the learner requirements, a GitHub Actions workflow running the "
                               "grader, and GitHub Classroom's tests with each exercise's points"))
    parser.add_argument("--lang", default="en", metavar="LANG",
                        help=_("the edition's language: en (the default) or zh-CN, the Simplified "
                               "Chinese edition, made from notebooks/zh-CN/ and its figures; the "
                               "tool speaks it too (by default, the system's language)"))
    args = parser.parse_args(argv)
    try:
        written = make_edition(args.outdir, args.notebooks, args.force, only=args.only,
                               backups=args.backups, classroom=args.classroom, lang=args.lang)
    except (FileExistsError, EditionError) as err:
        print(_("error: {message}").format(message=err), file=sys.stderr)
        return 1
    except OSError as err:
        what = f"{err.strerror}: {err.filename}" if err.filename else str(err)
        print(_("error: cannot write the edition ({what}). Nothing was written.").format(what=what),
              file=sys.stderr)
        return 1
    count = sum(1 for p in written if p.suffix == ".ipynb")
    done = (_("1 learner notebook in {folder}. Open it with:") if count == 1
            else _("{count} learner notebooks in {folder}. Open them with:"))
    print(done.format(count=count, folder=args.outdir) + "\n"
          f"    {_jupyter_command()} lab {args.outdir}\n"
          + _("then complete each graded cell and run the check below it."))
    if args.classroom:
        print(_("{folder} is also the template of a student's repository: push it to GitHub "
                "(GitHub Classroom: use it as the assignment's template repository); every push "
                "runs .github/workflows/classroom.yml. Grade it here with:").format(folder=args.outdir)
              + f"\n    {_jupyter_command()[:-len('jupyter')]}python -m rnn_utils.grade {args.outdir}")
    return 0

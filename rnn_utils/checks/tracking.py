"""Which function did each graded cell define? A record kept by the learner's own kernel.

In a learner edition, ``import rnn_utils.learner`` (the notebook's first cell) registers two IPython
event hooks. Before and after every cell that is a graded cell of function NAME (its text
contains the line ``# GRADED FUNCTION: NAME``, as the edition writes it), they note:

- the cell's execution count, and whether it failed: a SyntaxError, or an exception while
  it ran;
- the function NAME that the cell defined: the object the name holds after the cell, if
  the cell changed it.

A check then knows whether the function it is given is the one from the graded cell, and
can say what went wrong in plain words when it is not: the cell was never run, it failed,
it did not define the function, or the function came from somewhere else (an import, an
earlier run, another cell). Outside IPython nothing is recorded and nothing is asked.
"""

from typing import NamedTuple

from rnn_utils import cellmeta
from rnn_utils.i18n import _

__all__ = ["Record", "install", "installed", "record_of", "not_yours"]


class Record(NamedTuple):
    count: int        # the execution count of the graded cell's last run
    error: str        # "" if it ran through, else "SyntaxError: ..." (the first line)
    function: object  # what the cell defined under the function's name, or None


_RECORDS = {}
_BEFORE = {}
_INSTALLED = []


def _graded_names(source):
    return cellmeta.header_functions(source)


def _describe(error):
    if error is None:
        return ""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    line = getattr(error, "lineno", None)
    if not text:
        return type(error).__name__
    if isinstance(error, SyntaxError) and line:
        return _("{error}: {text} (line {line} of the cell)").format(
            error=type(error).__name__, text=text, line=line)
    return f"{type(error).__name__}: {text}"


def install(shell=None):
    """Register the hooks in the running IPython (once); returns False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    if _INSTALLED:
        return True

    def before(info):
        source = getattr(info, "raw_cell", "") or ""
        _BEFORE.clear()
        for name in _graded_names(source):
            _BEFORE[name] = shell.user_ns.get(name)

    def after(result):
        if not _BEFORE:
            return
        count = getattr(result, "execution_count", None) or 0
        error = _describe(result.error_before_exec or result.error_in_exec)
        for name, old in _BEFORE.items():
            new = shell.user_ns.get(name)
            _RECORDS[name] = Record(count, error, new if new is not old else None)
        _BEFORE.clear()

    shell.events.register("pre_run_cell", before)
    shell.events.register("post_run_cell", after)
    _INSTALLED.append(shell)
    return True


def installed():
    """Whether the hooks are installed: a learner's kernel (rnn_utils.learner), in IPython."""
    return bool(_INSTALLED)


def record_of(name):
    """The Record of the graded cell of name, or None if it has not run since the hooks were installed."""
    return _RECORDS.get(name)


def not_yours(name, target):
    """Why target is not the learner's own name from its graded cell, in plain words, or None."""
    if not _INSTALLED:
        return None
    record = _RECORDS.get(name)
    module = getattr(target, "__module__", None)
    if module not in (None, "__main__"):
        return _("{name} here is not the one from your graded cell: it comes from the module "
                 "{module}. Write it in your graded cell, run that cell, and fix any error it "
                 "shows").format(name=name, module=module)
    if record is None:
        return _("the graded cell of {name} (the cell that starts with `# GRADED FUNCTION: {name}`) "
                 "has not been run: run it (and the cells above it), then run this check "
                 "again").format(name=name)
    if record.error:
        return _("your graded cell for {name} stopped with {error}. Fix it, run the cell again until "
                 "it shows no error, then run this check").format(name=name, error=record.error)
    if record.function is None:
        return _("your graded cell for {name} did not define {name}: keep its first line "
                 "`def {name}(...)` as it is given, run the cell, then this check").format(name=name)
    if target is not record.function:
        return _("{name} here is not the one from your graded cell: run that cell, and fix any error "
                 "it shows, then run this check").format(name=name)
    return None

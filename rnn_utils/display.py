"""Show a graded function's reference code in a notebook.

The reference notebooks do not repeat the code of a graded function: they show
the one source of truth, the function in ``rnn_utils``, with ``show_code``.
"""

import inspect

__all__ = ["show_code"]


def show_code(func):
    """
    Displays the source code of a function as a highlighted Python code block.

    In a notebook it renders as Markdown; elsewhere it prints the plain source.

    Arguments:
    func -- a Python function, e.g. rnn_cell_forward

    Returns:
    None
    """
    if not inspect.isfunction(func):
        raise TypeError(f"show_code: func must be a Python function, got {type(func).__name__}")
    source = inspect.getsource(func)
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:  # IPython is not installed: plain text is all we can do
        get_ipython = None
    if get_ipython is None or get_ipython() is None:
        print(source)
    else:
        display(Markdown(f"```python\n{source}```"))

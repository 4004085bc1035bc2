"""The font the course draws Chinese words in: Noto Sans CJK SC, from the mplfonts package.

``mplfonts==0.0.11`` (requirements.txt: learners have it) ships the font file; it is found here, not
imported. The figures of notebooks/figures/make_figures.py need it to draw their Chinese
labels, the plots of rnn_utils.plots use it when it is there, and the browser tests give it
to Chromium.
"""

import importlib.util
from pathlib import Path

__all__ = ["cjk_font_file"]


def cjk_font_file():
    """The path of mplfonts' NotoSansCJKsc-Regular.otf, or None where mplfonts is not installed."""
    spec = importlib.util.find_spec("mplfonts")
    path = spec and spec.origin and Path(spec.origin).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return path if path and path.is_file() else None

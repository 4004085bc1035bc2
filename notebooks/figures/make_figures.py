"""Draw the teaching diagrams of rnn-step-by-step: RNN and LSTM cells (forward and backward), the GRU cell.

Run ``python notebooks/figures/make_figures.py`` to (re)write every figure beside this file,
each as an SVG and a PNG, and ``python notebooks/figures/make_figures.py --lang zh-CN`` to write
the Simplified Chinese figures into notebooks/zh-CN/figures/; a folder given after the options
is written instead.  ``make_all(outdir, lang=...)`` does the same from Python and returns the
paths it wrote.  Only matplotlib is used, through its object API (no pyplot), and
rnn_utils.fonts to find the Chinese font, so importing this module changes no global
matplotlib state; the settings that make the output
byte-for-byte reproducible (fixed SVG hash salt, no dates, no software stamp) are applied
only while the figures are drawn and saved.

The symbols follow the equations of rnn_utils/rnn.py and rnn_utils/lstm.py (the GRU's follow
the equations drawn in its figure), and every quantity that has a name in the code carries that
name too (a_next, ft, cct, dz, dz_f, dc_total, ...).

In zh-CN, every label that is words (see ``is_words``) is replaced by its entry in ``ZH_CN``,
and drawing a words-label that has none is an error; equations, symbols and code names stay as
they are.  The Chinese words are drawn in Noto Sans CJK SC, read by path from the PyPI package
mplfonts==0.0.11 (requirements.txt); the mathtext inside them keeps matplotlib's
default fonts.  Text is stored as paths, so no viewer needs either font.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath

from rnn_utils.fonts import cjk_font_file  # the zh-CN labels' font, found, not imported

HERE = Path(__file__).resolve().parent

#: every figure this script draws, in the order the notebooks use them
FIGURES = (
    "rnn_cell",
    "rnn_unrolled",
    "lstm_cell",
    "rnn_cell_backward",
    "lstm_cell_backward",
    "rnn_backward_through_time",
    "gru_cell",
    "gru_cell_backward",
)
FORMATS = ("svg", "png")
PNG_DPI = 120

# colours: forward dark, backward vermillion (colour-blind safe), gates in light tints
FWD = "#1b1b1b"
BWD = "#d55e00"
BWD_FILL = "#fbe6d9"
GREY = "#5f6368"
CELL_FC = "#f1f3f6"
CELL_EC = "#8a94a6"
PARAM = "#1f5fa8"
WEIGHT_FC = "#e3ecf8"
# the LSTM's forget, update (i), candidate and output tints, and the GRU's reset gate; the GRU's
# update gate and candidate reuse the LSTM's "i" and "c"
GATE_FC = {"f": "#cfe2f3", "i": "#d9ead3", "c": "#fde5c6", "o": "#e6d9f2", "r": "#f6efc4"}

FS = 13  # main labels (points, at the saved size)
FS_SMALL = 11.5  # code names and notes
MONO = "DejaVu Sans Mono"

RC = {
    "svg.hashsalt": "rnn-step-by-step",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": FS,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "path.simplify": False,
}
METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
}

#: the languages drawn, and the folder each one is written into by default
OUTDIRS = {"en": HERE, "zh-CN": HERE.parent / "zh-CN" / "figures"}

#: the Simplified Chinese of every words-label, keyed by the English label; the $...$ mathtext
#: and the code names in them stay as they are
ZH_CN = {
    # rnn_cell, rnn_unrolled
    "to the next cell": "传给下一个单元",
    "RNN cell": "RNN 单元",
    "The same parameters $W_{ax}, W_{aa}, b_a, W_{ya}, b_y$ are used at every time step "
    r"$t = 1, \ldots, T_x$.":
        r"每个时间步 $t = 1, \ldots, T_x$ 都使用同一组参数 $W_{ax}, W_{aa}, b_a, W_{ya}, b_y$。",
    "In the code, time step t is index t-1 of the last axis (Python counts from 0).":
        "在代码中，时间步 t 对应最后一个轴上的索引 t-1（Python 从 0 开始计数）。",
    # lstm_cell, gru_cell: the gates' roles
    "forget": "遗忘门",
    "update": "更新门",
    "output": "输出门",
    "reset": "重置门",
    "candidate": "候选值",
    # rnn_cell_backward, lstm_cell_backward
    r"$z = W_{ax} \cdot x^{\langle t \rangle} + W_{aa} \cdot a^{\langle t-1 \rangle} + b_a$, "
    "inside the tanh":
        r"$z = W_{ax} \cdot x^{\langle t \rangle} + W_{aa} \cdot a^{\langle t-1 \rangle} + b_a$，"
        "即 tanh 的输入",
    "Gradients of the shared parameters (each sums over the m examples)":
        "共享参数的梯度（各自对 m 个样本求和）",
    r"$g \in \{f, i, c, o\}$ is a gate, $W_g$ its weight (Wf, Wi, Wc, Wo) and "
    r"$z_g = W_g \cdot [a^{\langle t-1 \rangle};\, x^{\langle t \rangle}] + b_g$ its pre-activation:":
        r"$g \in \{f, i, c, o\}$ 表示一个门，$W_g$ 是它的权重（Wf、Wi、Wc、Wo），"
        r"$z_g = W_g \cdot [a^{\langle t-1 \rangle};\, x^{\langle t \rangle}] + b_g$ 是它激活前的值：",
    r"$\Gamma_g = \sigma(z_g)$, $\tilde{c} = \tanh(z_c)$.  dz_g is the gradient of $z_g$; "
    r"dc_total is all the gradient that reaches $c^{\langle t \rangle}$.":
        r"$\Gamma_g = \sigma(z_g)$，$\tilde{c} = \tanh(z_c)$。dz_g 是 $z_g$ 的梯度；"
        r"dc_total 是到达 $c^{\langle t \rangle}$ 的全部梯度。",
    # the keys of the backward figures
    "backward (gradient)": "反向（梯度）",
    "elementwise product (NumPy's *)": "逐元素乘积（NumPy 的 *）",
    "matrix product (np.dot)": "矩阵乘积（np.dot）",
    "sum over the m examples": "对 m 个样本求和",
    # rnn_backward_through_time
    "cell backward": "单元反向传播",
    "step $t = 1$": "时间步 $t = 1$",
    "step $t = 2$": "时间步 $t = 2$",
    "step $t = T_x$": "时间步 $t = T_x$",
    r"from $\hat{y}^{\langle 1 \rangle}$": r"来自 $\hat{y}^{\langle 1 \rangle}$",
    r"from $\hat{y}^{\langle 2 \rangle}$": r"来自 $\hat{y}^{\langle 2 \rangle}$",
    r"from $\hat{y}^{\langle T_x \rangle}$": r"来自 $\hat{y}^{\langle T_x \rangle}$",
    "Each box is one call of rnn_cell_backward(da_next, caches[t-1]), where":
        "每个方框是对 rnn_cell_backward(da_next, caches[t-1]) 的一次调用，其中",
    "da_next = da[:,:,t-1] + da_prev carried back from step t+1 (0 at the last step): "
    r"all of the gradient of $a^{\langle t \rangle}$.":
        "da_next = da[:,:,t-1] + 从时间步 t+1 传回的 da_prev（最后一步为 0），"
        r"即 $a^{\langle t \rangle}$ 的全部梯度。",
    "The loop runs t = T_x, ..., 1, right to left; every step also adds its share to dWax, "
    "dWaa and dba.":
        "循环从右向左依次取 t = T_x, ..., 1；每一步还把自己的那一份累加到 dWax、dWaa 和 dba 上。",
    # gru_cell_backward
    "The four paths of the gradient from $a^{\\langle t \\rangle}$ back to $a^{\\langle t-1 \\rangle}$":
        "梯度从 $a^{\\langle t \\rangle}$ 传回 $a^{\\langle t-1 \\rangle}$ 的四条路径",
    "1 directly: the share the update gate keeps": "1 直接传回：更新门保留的那一份",
    "2 through the candidate, as the factor of $\\Gamma_r * a^{\\langle t-1 \\rangle}$":
        "2 经过候选值，作为 $\\Gamma_r * a^{\\langle t-1 \\rangle}$ 中的因子",
    "3 through the reset gate's weights": "3 经过重置门的权重",
    "4 through the update gate's weights": "4 经过更新门的权重",
    "the sum of the four": "四条路径之和",
}

#: names that are not words to translate (the functions drawn in boxes)
NOT_WORDS = {"tanh", "softmax"}


def is_words(label):
    """Whether a label (not a code name) holds words, once its $...$ mathtext is left out."""
    plain = re.sub(r"\$[^$]*\$", "", label)
    return any(word not in NOT_WORDS for word in re.findall(r"[A-Za-z]{2,}", plain))


def translate(label, lang):
    """The words-label in lang; an error where zh-CN has no translation of it."""
    if lang == "en":
        return label
    if label not in ZH_CN:
        raise KeyError(f"the label {label!r} has no zh-CN translation: add one to ZH_CN")
    return ZH_CN[label]


def cjk_font():
    """The path of Noto Sans CJK SC, the font file that mplfonts==0.0.11 ships (not imported)."""
    path = cjk_font_file()
    if path is None:
        raise RuntimeError("the zh-CN figures need the Chinese font of mplfonts==0.0.11: "
                           "pip install -r requirements.txt")
    return path


def sup(t):
    """The course's time-step superscript: sup('t-1') -> ^{<t-1>} in mathtext."""
    return r"^{\langle " + t + r" \rangle}"


A_T, A_PREV, X_T, Y_T = "a" + sup("t"), "a" + sup("t-1"), "x" + sup("t"), r"\hat{y}" + sup("t")
C_T, C_PREV = "c" + sup("t"), "c" + sup("t-1")


class Node:
    """A drawn box or circle; its edge points are where arrows start and end."""

    def __init__(self, cx, cy, w, h):
        self.cx, self.cy, self.w, self.h = cx, cy, w, h

    def left(self, dy=0.0):
        return (self.cx - self.w / 2, self.cy + dy)

    def right(self, dy=0.0):
        return (self.cx + self.w / 2, self.cy + dy)

    def top(self, dx=0.0):
        return (self.cx + dx, self.cy + self.h / 2)

    def bottom(self, dx=0.0):
        return (self.cx + dx, self.cy - self.h / 2)


class Sketch:
    """A figure whose data coordinates are inches, so sizes and gaps read as they print."""

    def __init__(self, width, height, y0=0.0, lang="en"):
        """width x height inches, showing y from y0 (a negative y0 adds room at the bottom).

        lang is the language of the words-labels: "en" or "zh-CN".
        """
        if lang not in OUTDIRS:
            raise ValueError(f"lang must be one of {sorted(OUTDIRS)}, not {lang!r}")
        self.width, self.height, self.lang = width, height, lang
        #: the font of the Chinese words (None in English)
        self.cjk = FontProperties(fname=cjk_font()) if lang == "zh-CN" else None
        self.fig = Figure(figsize=(width, height), facecolor="white")
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, width)
        self.ax.set_ylim(y0, y0 + height)
        self.ax.set_axis_off()
        #: (colour, points) of every arrow and line drawn, legend samples left out
        self.arrows = []
        #: the legend's entries, in order: ("arrow", colour, label) or ("sign", sign, label)
        self.legend_entries = []
        #: boxes and circles given a name, for the tests (name -> Node)
        self.nodes = {}
        #: the words-labels drawn, in English (each one translated in zh-CN)
        self.words = []

    def text(self, x, y, s, size=FS, color=FWD, mono=False, ha="center", va="center", **kw):
        if mono:
            kw["family"] = MONO
        elif is_words(s):
            self.words.append(s)
            if self.cjk is not None:
                s, kw["fontproperties"] = translate(s, self.lang), self.cjk
        return self.ax.text(x, y, s, fontsize=size, color=color, ha=ha, va=va, zorder=5, **kw)

    def code(self, x, y, s, size=FS_SMALL, color=GREY, **kw):
        """A name from the code, in monospace."""
        return self.text(x, y, s, size=size, color=color, mono=True, **kw)

    def box(self, cx, cy, w, h, text=None, fc="white", ec=FWD, lw=1.4, size=FS, round_=0.08,
            mono=False, color=FWD, z=2, ls="-", name=None):
        patch = FancyBboxPatch((cx - w / 2, cy - h / 2), w, h,
                               boxstyle=f"round,pad=0,rounding_size={round_}",
                               fc=fc, ec=ec, lw=lw, zorder=z, ls=ls)
        self.ax.add_patch(patch)
        if text is not None:
            self.text(cx, cy, text, size=size, mono=mono, color=color, linespacing=1.5)
        node = Node(cx, cy, w, h)
        if name is not None:
            self.nodes[name] = node
        return node

    def circle(self, cx, cy, text, r=0.21, ec=FWD, size=FS + 2, fc="white", name=None):
        self.ax.add_patch(Circle((cx, cy), r, fc=fc, ec=ec, lw=1.4, zorder=3))
        self.text(cx, cy, text, size=size, color=ec)
        node = Node(cx, cy, 2 * r, 2 * r)
        if name is not None:
            self.nodes[name] = node
        return node

    def arrow(self, *points, color=FWD, lw=1.7, head=True, z=4, sample=False):
        """A polyline through points; with head, an arrowhead at the last point.

        sample marks a legend's sample arrow, which is not recorded in self.arrows.
        """
        path = MplPath(points)
        style = "-|>,head_length=0.6,head_width=0.3" if head else "-"
        patch = FancyArrowPatch(path=path, arrowstyle=style, mutation_scale=17, color=color,
                                lw=lw, zorder=z, joinstyle="miter", capstyle="butt")
        self.ax.add_patch(patch)
        if not sample:
            self.arrows.append((color, tuple(points), head))
        return patch

    def line(self, *points, color=FWD, lw=1.7, z=4):
        return self.arrow(*points, color=color, lw=lw, head=False, z=z)

    def bridge(self, x, y, vertical=True, half=0.13):
        """A gap (in the cell colour) in a line at (x, y), so that a line drawn over it reads as crossing."""
        if vertical:
            a, b = (x, y - half), (x, y + half)
        else:
            a, b = (x - half, y), (x + half, y)
        patch = FancyArrowPatch(path=MplPath((a, b)), arrowstyle="-", mutation_scale=17,
                                color=CELL_FC, lw=6, zorder=4.5, capstyle="butt")
        self.ax.add_patch(patch)

    def dot(self, x, y, color=FWD, r=0.055):
        self.ax.add_patch(Circle((x, y), r, fc=color, ec=color, zorder=4))

    def legend(self, x, y, items, size=FS_SMALL, dy=0.32):
        """A key, one entry per row, starting at (x, y) going down.

        Each item is ("arrow", colour, label), a short arrow of that colour, or
        ("sign", sign, label), a symbol used in the labels (such as * or a matrix product's dot).
        """
        for i, (kind, mark, label) in enumerate(items):
            yy = y - dy * i
            if kind == "arrow":
                self.arrow((x, yy), (x + 0.55, yy), color=mark, sample=True)
                self.text(x + 0.7, yy, label, size=size, ha="left", color=mark)
            else:  # in the code font, as in the labels
                self.code(x + 0.275, yy, mark, size=size + 3, color=FWD)
                self.text(x + 0.7, yy, label, size=size, ha="left", color=FWD)
            self.legend_entries.append((kind, mark, label))

    def save(self, outdir, name, formats=FORMATS):
        written = []
        for fmt in formats:
            path = Path(outdir) / f"{name}.{fmt}"
            self.fig.savefig(path, format=fmt, dpi=PNG_DPI, metadata=METADATA[fmt],
                             facecolor="white")
            written.append(path)
        return written


# --------------------------------------------------------------------------- forward figures

def rnn_cell(lang="en"):
    """One basic RNN cell: a<t> = tanh(Waa a<t-1> + Wax x<t> + ba), y_hat<t> = softmax(Wya a<t> + by)."""
    s = Sketch(10.0, 6.4, lang=lang)
    s.box(5.0, 2.85, 6.4, 3.9, fc=CELL_FC, ec=CELL_EC, z=1, round_=0.2)  # the cell: x 1.8..8.2
    row = 2.2
    s.text(2.0, 4.45, "$" + A_T + r" = \tanh(W_{aa}\," + A_PREV + r" + W_{ax}\," + X_T + " + b_a)$",
           ha="left")
    s.text(2.0, 4.0, "$" + Y_T + r" = \mathrm{softmax}(W_{ya}\," + A_T + " + b_y)$", ha="left")

    waa = s.box(3.0, row, 0.9, 0.5, "$W_{aa}$", fc=WEIGHT_FC)
    plus = s.circle(4.45, row, "+")
    wax = s.box(4.45, 1.3, 0.9, 0.5, "$W_{ax}$", fc=WEIGHT_FC)
    tanh = s.box(5.75, row, 0.85, 0.5, "tanh")
    soft = s.box(7.0, 3.2, 1.5, 0.5, "softmax", size=FS_SMALL + 0.5)

    # a<t-1> from the left
    s.arrow((0.25, row), waa.left())
    s.text(0.9, row + 0.3, "$" + A_PREV + "$")
    s.code(0.9, row - 0.3, "a_prev")
    s.arrow(waa.right(), plus.left())
    # x<t> from below
    s.arrow((4.45, 0.45), wax.bottom())
    s.text(4.4, 0.28, "$" + X_T + "$", ha="right")
    s.code(4.6, 0.28, "xt", ha="left")
    s.arrow(wax.top(), plus.bottom())
    # b_a from above
    s.text(4.45, 3.3, "$b_a$")
    s.arrow((4.45, 3.08), plus.top())
    s.arrow(plus.right(), tanh.left())
    # a<t> to the right (to the next cell), and up to the prediction
    s.arrow(tanh.right(), (9.75, row))
    s.dot(7.0, row)
    s.text(9.0, row + 0.3, "$" + A_T + "$")
    s.code(9.0, row - 0.3, "a_next")
    s.text(9.0, row - 0.68, "to the next cell", size=FS_SMALL, color=GREY)
    s.arrow((7.0, row), soft.bottom())
    s.text(7.45, 2.72, "$W_{ya},\\ b_y$", size=FS_SMALL, ha="left", color=FWD)
    s.arrow(soft.top(), (7.0, 5.55))
    s.text(6.95, 5.85, "$" + Y_T + "$", ha="right")
    s.code(7.15, 5.85, "yt_pred", ha="left")
    return s


def rnn_unrolled(lang="en"):
    """The RNN over T_x time steps; the same parameters at every step."""
    s = Sketch(10.8, 5.8, lang=lang)
    row, cw, ch = 2.95, 1.4, 1.25
    cells = [(1.9, "1"), (4.45, "2"), (8.4, "T_x")]
    nodes = []
    for cx, t in cells:
        node = s.box(cx, row, cw, ch, fc=CELL_FC, ec=CELL_EC, round_=0.15)
        s.text(cx, row + 0.32, "RNN cell", size=FS_SMALL + 0.5)
        s.text(cx, row - 0.02, r"$W_{ax}, W_{aa}, b_a$", size=FS_SMALL, color=PARAM)
        s.text(cx, row - 0.34, r"$W_{ya}, b_y$", size=FS_SMALL, color=PARAM)
        idx = "0" if t == "1" else ("1" if t == "2" else "T_x-1")
        s.arrow((cx, 1.45), node.bottom())
        s.text(cx, 1.22, "$x" + sup(t) + "$")
        s.code(cx, 0.9, f"x[:,:,{idx}]")
        s.arrow(node.top(), (cx, 4.45))
        s.text(cx, 4.72, "$" + r"\hat{y}" + sup(t) + "$")
        s.code(cx, 5.08, f"y_pred[:,:,{idx}]")
        nodes.append(node)
    # the hidden state along the row
    s.arrow((0.2, row), nodes[0].left())
    s.text(0.7, row + 0.3, "$a" + sup("0") + "$")
    s.code(0.7, row - 0.3, "a0")
    s.arrow(nodes[0].right(), nodes[1].left())
    s.text(3.175, row + 0.3, "$a" + sup("1") + "$")
    s.code(3.175, row - 0.3, "a[:,:,0]")
    s.arrow(nodes[1].right(), (6.05, row))
    s.text(5.6, row + 0.3, "$a" + sup("2") + "$")
    s.code(5.6, row - 0.3, "a[:,:,1]")
    s.text(6.4, row, r"$\cdots$", size=FS + 4)
    s.arrow((6.75, row), nodes[2].left())
    s.text(7.2, row + 0.32, "$a" + sup("T_x-1") + "$")
    s.arrow(nodes[2].right(), (10.6, row))
    s.text(9.85, row + 0.3, "$a" + sup("T_x") + "$")
    s.code(9.85, row - 0.3, "a[:,:,T_x-1]")
    s.text(5.4, 0.5, "The same parameters $W_{ax}, W_{aa}, b_a, W_{ya}, b_y$ are used at every "
           "time step $t = 1, \\ldots, T_x$.", size=FS_SMALL, color=PARAM)
    s.text(5.4, 0.15, "In the code, time step t is index t-1 of the last axis (Python counts from 0).",
           size=FS_SMALL, color=GREY)
    return s


def lstm_cell(lang="en"):
    """The LSTM cell: forget, update and output gates, candidate value, memory line."""
    s = Sketch(11.0, 8.3, lang=lang)
    # the equations, above the cell
    cat = r"[" + A_PREV + r";\, " + X_T + r"]"
    left = [
        r"$\Gamma_f = \sigma(W_f\," + cat + r" + b_f)$",
        r"$\Gamma_i = \sigma(W_i\," + cat + r" + b_i)$",
        r"$\tilde{c}" + sup("t") + r" = \tanh(W_c\," + cat + r" + b_c)$",
        r"$\Gamma_o = \sigma(W_o\," + cat + r" + b_o)$",
    ]
    right = [
        "$" + C_T + r" = \Gamma_f * " + C_PREV + r" + \Gamma_i * \tilde{c}" + sup("t") + "$",
        "$" + A_T + r" = \Gamma_o * \tanh(" + C_T + ")$",
        "$" + Y_T + r" = \mathrm{softmax}(W_y\," + A_T + " + b_y)$",
    ]
    for i, eq in enumerate(left):
        s.text(0.4, 7.95 - 0.4 * i, eq, ha="left", size=FS - 0.5)
    for i, eq in enumerate(right):
        s.text(6.1, 7.95 - 0.4 * i, eq, ha="left", size=FS - 0.5)

    s.box(5.675, 3.5, 8.95, 5.1, fc=CELL_FC, ec=CELL_EC, z=1, round_=0.2)  # the cell: x 1.2..10.1
    cline, bus, gy = 5.6, 2.05, 3.1

    # concat = [a_prev; xt], a_prev on top
    s.box(1.95, 2.4, 1.0, 0.7, "$" + A_PREV + "$", fc="white", round_=0.04, size=FS - 1)
    s.box(1.95, 1.7, 1.0, 0.7, "$" + X_T + "$", fc="white", round_=0.04, size=FS - 1)
    s.code(1.95, 2.97, "concat", size=FS_SMALL - 0.5)
    s.arrow((0.2, 2.4), (1.45, 2.4))
    s.text(0.72, 2.7, "$" + A_PREV + "$")
    s.code(0.72, 2.1, "a_prev")
    s.arrow((1.95, 0.5), (1.95, 1.35))
    s.text(1.85, 0.32, "$" + X_T + "$", ha="right")
    s.code(2.1, 0.32, "xt", ha="left")

    gates = [
        ("f", 3.35, r"$\Gamma_f$ (ft)", r"$\sigma$", "forget"),
        ("i", 4.7, r"$\Gamma_i$ (it)", r"$\sigma$", "update"),
        ("c", 6.05, r"$\tilde{c}$ (cct)", "tanh", "candidate"),
        ("o", 7.35, r"$\Gamma_o$ (ot)", r"$\sigma$", "output"),
    ]
    g = {}
    for key, gx, name, act, role in gates:
        g[key] = s.box(gx, gy, 1.1, 1.1, None, fc=GATE_FC[key])
        s.text(gx, gy + 0.33, role, size=FS_SMALL - 0.5, color=GREY)
        s.text(gx, gy + 0.03, name, mono=True, size=FS - 0.5)
        s.text(gx, gy - 0.3, act, size=FS - 0.5)
        s.arrow((gx, bus), g[key].bottom())
    s.line((2.45, bus), (7.35, bus))
    for gx in (3.35, 4.7, 6.05):
        s.dot(gx, bus)
    s.text(5.375, bus - 0.3, "$" + cat + "$", size=FS_SMALL)

    # the memory line c<t-1> -> x ft -> + it*cct -> c<t>
    mf = s.circle(3.35, cline, r"$\times$")
    plus = s.circle(5.375, cline, "+")
    mi = s.circle(5.375, 4.45, r"$\times$")
    s.arrow((0.2, cline), mf.left())
    s.text(0.72, cline + 0.3, "$" + C_PREV + "$")
    s.code(0.72, cline - 0.3, "c_prev")
    s.arrow(g["f"].top(), mf.bottom())
    s.arrow(mf.right(), plus.left())
    s.arrow(g["i"].top(), (4.7, 4.45), mi.left())
    s.arrow(g["c"].top(), (6.05, 4.45), mi.right())
    s.arrow(mi.top(), plus.bottom())
    s.arrow(plus.right(), (10.95, cline))
    s.text(10.55, cline + 0.3, "$" + C_T + "$")
    s.code(10.55, cline - 0.3, "c_next")

    # a<t> = ot * tanh(c<t>)
    ox = 8.55
    s.dot(ox, cline)
    th = s.box(ox, 4.45, 0.75, 0.42, "tanh", size=FS - 1)
    mo = s.circle(ox, gy, r"$\times$")
    s.arrow((ox, cline), th.top())
    s.arrow(th.bottom(), mo.top())
    s.arrow(g["o"].right(), mo.left())
    ya, aa = 2.35, 1.25
    s.arrow(mo.bottom(), (ox, aa), (10.95, aa))
    s.text(10.55, aa + 0.3, "$" + A_T + "$")
    s.code(10.55, aa - 0.3, "a_next")
    # y_hat<t> from a<t>
    s.dot(ox, ya)
    soft = s.box(9.45, ya, 0.95, 0.44, "softmax", size=FS_SMALL)
    s.text(9.45, ya + 0.45, r"$W_y,\ b_y$", size=FS_SMALL)
    s.arrow((ox, ya), soft.left())
    s.arrow(soft.right(), (10.95, ya))
    s.text(10.55, ya + 0.3, "$" + Y_T + "$")
    s.code(10.55, ya - 0.3, "yt_pred")
    return s


def gru_cell(lang="en"):
    """The GRU cell (the full GRU): reset and update gates, candidate, and the update gate's mix."""
    s = Sketch(11.0, 9.8, lang=lang)
    cat = r"[" + A_PREV + r";\, " + X_T + r"]"
    left = [
        r"$\Gamma_r = \sigma(W_r\," + cat + r" + b_r)$",
        r"$\Gamma_u = \sigma(W_u\," + cat + r" + b_u)$",
        r"$\tilde{c}" + sup("t") + r" = \tanh(W_c\,[\Gamma_r * " + A_PREV + r";\, " + X_T + r"] + b_c)$",
    ]
    right = [
        "$" + A_T + r" = \Gamma_u * \tilde{c}" + sup("t") + r" + (1 - \Gamma_u) * " + A_PREV + "$",
        "$" + Y_T + r" = \mathrm{softmax}(W_y\," + A_T + " + b_y)$",
    ]
    for i, eq in enumerate(left):
        s.text(0.4, 9.45 - 0.4 * i, eq, ha="left", size=FS - 0.5)
    for i, eq in enumerate(right):
        s.text(6.1, 9.45 - 0.4 * i, eq, ha="left", size=FS - 0.5)

    s.box(5.65, 4.225, 8.9, 6.75, fc=CELL_FC, ec=CELL_EC, z=1, round_=0.2)  # x 1.2..10.1, y 0.85..7.6
    S, bus, gy, xrow = 6.4, 2.25, 3.2, 1.15  # the state line, the concat bus, the gates, the x<t> branch
    my = 5.2  # the row of Gamma_u * c~
    rx, ux, cx2, ccx = 3.3, 4.7, 6.1, 7.9  # reset gate, update gate, second stack, candidate

    # a<t-1> comes in from the left along the state line
    s.text(0.72, S + 0.3, "$" + A_PREV + "$")
    s.code(0.72, S - 0.3, "a_prev")
    mix = s.circle(ux, S, r"$\times$", name="times_one_minus")
    plus = s.circle(ccx, S, "+", name="plus")
    s.arrow((0.2, S), mix.left())
    s.arrow(mix.right(), plus.left())
    for x in (1.95, rx):
        s.dot(x, S)

    # concat = [a<t-1>; x<t>], a<t-1> on top, feeds both gates
    s.box(1.95, 2.55, 1.0, 0.6, "$" + A_PREV + "$", fc="white", round_=0.04, size=FS - 1)
    s.box(1.95, 1.95, 1.0, 0.6, "$" + X_T + "$", fc="white", round_=0.04, size=FS - 1)
    s.arrow((1.95, S), (1.95, 2.85))
    s.arrow((1.95, 0.45), (1.95, 1.65))
    s.text(1.85, 0.28, "$" + X_T + "$", ha="right")
    s.code(2.1, 0.28, "xt", ha="left")
    s.line((2.45, bus), (ux, bus))
    s.dot(rx, bus)
    s.text(3.95, bus - 0.3, "$" + cat + "$", size=FS_SMALL)
    gates = [
        ("r", rx, GATE_FC["r"], r"$\Gamma_r$ (rt)", r"$\sigma$", "reset"),
        ("u", ux, GATE_FC["i"], r"$\Gamma_u$ (ut)", r"$\sigma$", "update"),
    ]
    g = {}
    for key, gx, fc, name, act, role in gates:
        g[key] = s.box(gx, gy, 1.1, 1.1, None, fc=fc, name=key)
        s.text(gx, gy + 0.33, role, size=FS_SMALL - 0.5, color=GREY)
        s.text(gx, gy + 0.03, name, mono=True, size=FS - 0.5)
        s.text(gx, gy - 0.3, act, size=FS - 0.5)
        s.arrow((gx, bus), g[key].bottom())

    # the reset gate scales a<t-1> before it is stacked with x<t> for the candidate
    rst = s.circle(rx, 4.4, r"$\times$", name="times_reset")
    s.arrow((rx, S), rst.top())
    s.arrow(g["r"].top(), rst.bottom())
    top2 = s.box(cx2, 4.4, 1.4, 0.6, r"$\Gamma_r * " + A_PREV + "$", fc="white", round_=0.04,
                 size=FS - 1)
    bot2 = s.box(cx2, 3.8, 1.4, 0.6, "$" + X_T + "$", fc="white", round_=0.04, size=FS - 1)
    s.dot(1.95, xrow)
    s.arrow((1.95, xrow), (cx2, xrow), bot2.bottom())
    cand = s.box(ccx, 4.1, 1.1, 1.1, None, fc=GATE_FC["c"], name="c")
    s.text(ccx, 4.43, "candidate", size=FS_SMALL - 0.5, color=GREY)
    s.text(ccx, 4.13, r"$\tilde{c}$ (cct)", mono=True, size=FS - 0.5)
    s.text(ccx, 3.8, "tanh", size=FS - 0.5)
    s.arrow((top2.right()[0], 4.1), cand.left())

    # the update gate mixes: a<t> = Gamma_u * c~ + (1 - Gamma_u) * a<t-1>
    mc = s.circle(ccx, my, r"$\times$", name="times_update")
    s.arrow(cand.top(), mc.bottom())
    s.arrow(mc.top(), plus.bottom())
    s.line(g["u"].top(), (ux, my))
    s.dot(ux, my)
    s.arrow((ux, my), mc.left())
    one_minus = s.box(ux, 5.75, 1.0, 0.36, r"$1 - \Gamma_u$", size=FS - 1.5, name="one_minus")
    s.arrow((ux, my), one_minus.bottom())
    s.arrow(one_minus.top(), mix.bottom())
    # Gamma_r * a<t-1> crosses the update gate's line on its way to the candidate's stack
    s.bridge(ux, 4.4)
    s.arrow(rst.right(), top2.left(), z=4.6)

    # a<t> leaves to the right, and goes up to the prediction
    s.arrow(plus.right(), (10.95, S))
    s.text(10.55, S + 0.3, "$" + A_T + "$")
    s.code(10.55, S - 0.3, "a_next")
    s.dot(9.4, S)
    soft = s.box(9.4, S + 0.75, 0.95, 0.44, "softmax", size=FS_SMALL)
    s.text(8.8, S + 0.75, r"$W_y,\ b_y$", size=FS_SMALL, ha="right")
    s.arrow((9.4, S), soft.bottom())
    s.arrow(soft.top(), (9.4, 8.05))
    s.text(9.35, 8.3, "$" + Y_T + "$", ha="right")
    s.code(9.5, 8.3, "yt_pred", ha="left")
    return s


# -------------------------------------------------------------------------- backward figures

def rnn_cell_backward(lang="en"):
    """Backward through one RNN cell: da_next -> tanh' -> dz -> dxt, da_prev, dWax, dWaa, dba.

    z is the value inside the tanh (z = Wax . xt + Waa . a_prev + ba), and dz its gradient, as in
    rnn_utils/rnn.py.
    """
    s = Sketch(10.6, 6.3, y0=-0.12, lang=lang)
    s.box(5.2, 2.3, 7.0, 2.8, fc=CELL_FC, ec=CELL_EC, z=1, round_=0.2)  # x 1.7..8.7, y 0.9..3.7
    row, bus, px = 2.2, 3.3, 4.6
    tanh = s.box(7.0, row, 0.95, 0.5, "tanh$'$", ec=BWD)
    waa = s.box(2.9, row, 0.95, 0.5, "$W_{aa}^T$", fc=WEIGHT_FC, ec=BWD)
    wax = s.box(px, 1.4, 0.95, 0.5, "$W_{ax}^T$", fc=WEIGHT_FC, ec=BWD)

    # da_next comes in from the right, goes through tanh' and splits
    s.arrow((10.4, row), tanh.right(), color=BWD)
    s.code(9.45, row + 0.3, "da_next", color=BWD, size=FS_SMALL + 0.5)
    s.text(9.45, row - 0.33, r"$\partial \mathcal{J} / \partial " + A_T + "$", size=FS_SMALL)
    s.code(6.95, 1.45, "dz = (1 - a_next$^2$) * da_next", size=FS_SMALL - 0.5, color=FWD)
    z = r"$z = W_{ax} \cdot " + X_T + r" + W_{aa} \cdot " + A_PREV + r" + b_a$"
    s.text(6.88, 1.12, z + ", inside the tanh", size=FS_SMALL - 1, color=GREY)
    s.line(tanh.left(), (px, row), color=BWD)
    s.dot(px, row, color=BWD)
    s.code(5.75, row + 0.25, "dz", color=BWD)
    # da_prev = Waa^T dz, out to the left
    s.arrow((px, row), waa.right(), color=BWD)
    s.arrow(waa.left(), (0.2, row), color=BWD)
    s.code(0.95, row + 0.3, "da_prev", color=BWD, size=FS_SMALL + 0.5)
    s.text(0.95, row - 0.33, r"$\partial \mathcal{J} / \partial " + A_PREV + "$", size=FS_SMALL)
    s.code(2.9, 1.55, "da_prev = $W_{aa}^T$ $\\cdot$ dz", size=FS_SMALL - 0.5, color=FWD)
    # dxt = Wax^T dz, out at the bottom
    s.arrow((px, row), wax.top(), color=BWD)
    s.arrow(wax.bottom(), (px, 0.2), color=BWD)
    s.code(px + 0.2, 0.5, "dxt", color=BWD, ha="left", size=FS_SMALL + 0.5)
    s.code(px + 0.62, 0.5, "= $W_{ax}^T$ $\\cdot$ dz", ha="left", size=FS_SMALL - 0.5, color=FWD)
    s.text(px + 0.2, 0.17, r"$\partial \mathcal{J} / \partial " + X_T + "$", size=FS_SMALL, ha="left")

    # the parameter gradients, at the top
    s.line((px, row), (px, bus), color=BWD)
    s.line((2.3, bus), (6.9, bus), color=BWD)
    s.dot(px, bus, color=BWD)
    params = [
        (2.3, "dWax", r"dz $\cdot$ xt$^T$"),
        (px, "dWaa", r"dz $\cdot$ a_prev$^T$"),
        (6.9, "dba", r"$\sum_m$ dz"),
    ]
    for x, name, formula in params:
        node = s.box(x, 4.65, 2.05, 0.85, None, fc=BWD_FILL, ec=BWD)
        s.code(x, 4.85, name, color=BWD, weight="bold", size=FS)
        s.code(x, 4.45, "= " + formula, color=FWD)
        s.arrow((x, bus), node.bottom(), color=BWD)
    s.text(4.6, 5.75, "Gradients of the shared parameters (each sums over the m examples)",
           size=FS_SMALL, color=GREY)
    s.legend(0.25, 0.7, [("arrow", BWD, "backward (gradient)"),
                         ("sign", "*", "elementwise product (NumPy's *)"),
                         ("sign", r"$\cdot$", "matrix product (np.dot)")], dy=0.28)
    return s


def lstm_cell_backward(lang="en"):
    """Backward through one LSTM cell: da_next, dc_next -> dc_total -> gate gradients -> da_prev, dc_prev, dxt
    and the weight gradients.

    * is the elementwise product and a centred dot the matrix product, in every label; the key
    in the bottom right corner says so.  dz_g (code: dz_f, dz_i, dz_c, dz_o) is the gradient of
    gate g's pre-activation z_g = W_g . [a<t-1>; x<t>] + b_g, and dc_total is all the gradient
    that reaches c<t>, as in rnn_utils/lstm.py.
    """
    s = Sketch(11.0, 10.2, lang=lang)
    dc_total = "dc_total = dc_next + da_next * ot * (1 - tanh$^2$(c_next))"
    s.code(2.4, 9.85, dc_total, size=FS, color=BWD, ha="left")
    s.code(2.4, 9.45, "dc_prev  = dc_total * ft", size=FS, color=BWD, ha="left")
    cat = "[" + A_PREV + r";\, " + X_T + "]"
    s.text(5.5, 9.02, r"$g \in \{f, i, c, o\}$ is a gate, $W_g$ its weight (Wf, Wi, Wc, Wo) and "
           r"$z_g = W_g \cdot " + cat + r" + b_g$ its pre-activation:", size=FS_SMALL, color=GREY)
    s.text(5.5, 8.66, r"$\Gamma_g = \sigma(z_g)$, $\tilde{c} = \tanh(z_c)$.  "
           r"dz_g is the gradient of $z_g$; dc_total is all the gradient that reaches "
           "$" + C_T + "$.", size=FS_SMALL, color=GREY)
    s.box(5.675, 4.9, 8.95, 6.9, fc=CELL_FC, ec=CELL_EC, z=1, round_=0.2)  # x 1.2..10.15, y 1.45..8.35
    cline, gy, jx = 7.8, 5.3, 9.0

    # dc_next from the right; da_next's share reaches c_next through a_next = ot * tanh(c_next)
    plus = s.circle(jx, cline, "+", ec=BWD)
    s.arrow((10.95, cline), plus.right(), color=BWD)
    s.code(10.62, cline + 0.3, "dc_next", color=BWD)
    s.arrow((10.95, gy), (jx, gy), color=BWD)
    s.code(10.62, gy + 0.3, "da_next", color=BWD)
    s.dot(jx, gy, color=BWD)
    share = s.box(jx, 6.6, 2.05, 0.8, None, ec=BWD)
    s.code(jx, 6.77, "* ot", color=FWD, size=FS_SMALL - 0.5)
    s.code(jx, 6.43, "* (1 - tanh$^2$(c_next))", color=FWD, size=FS_SMALL - 0.5)
    s.arrow((jx, gy), share.bottom(), color=BWD)
    s.arrow(share.top(), plus.bottom(), color=BWD)

    # dc_total goes left, through * ft, to dc_prev; on the way it feeds three of the gates
    mf = s.circle(1.95, cline, r"$\ast$", ec=BWD, name="times_ft")
    s.arrow(plus.left(), mf.right(), color=BWD)
    s.code(8.05, cline + 0.3, "dc_total", color=BWD)
    s.arrow(mf.left(), (0.2, cline), color=BWD)
    s.code(0.7, cline + 0.3, "dc_prev", color=BWD)
    s.code(1.95, cline + 0.4, "ft", color=FWD)

    # the four gate gradients, with respect to each gate's pre-activation
    gates = [
        ("f", 2.75, "dz_f", "c_prev", "ft * (1 - ft)"),
        ("i", 4.35, "dz_i", "cct", "it * (1 - it)"),
        ("c", 5.95, "dz_c", "it", "(1 - cct$^2$)"),
        ("o", 7.55, "dz_o", "tanh(c_next)", "ot * (1 - ot)"),
    ]
    boxes = {}
    for key, gx, name, factor, deriv in gates:
        b = s.box(gx, gy, 1.5, 1.1, None, fc=GATE_FC[key], ec=BWD, name="d" + key)
        s.code(gx, gy + 0.3, name, color=BWD, size=FS, weight="bold")
        s.code(gx, gy - 0.02, "* " + factor, color=FWD, size=FS_SMALL - 1)
        s.code(gx, gy - 0.31, "* " + deriv, color=FWD, size=FS_SMALL - 1)
        boxes[key] = b
        if key != "o":
            s.dot(gx, cline, color=BWD)
            s.arrow((gx, cline), b.top(), color=BWD)
    s.arrow((jx, gy), boxes["o"].right(), color=BWD)

    # they all go into the gradient of concat = [a_prev; xt] and into the weight gradients
    bus, trunk, wx = 4.2, 5.15, 6.75
    for key, gx, *_ in gates:
        s.line(boxes[key].bottom(), (gx, bus), color=BWD)
    s.line((2.75, bus), (7.55, bus), color=BWD)
    for gx in (4.35, trunk, 5.95, wx):
        s.dot(gx, bus, color=BWD)
    s.code(3.75, bus - 0.28, "dz_f, dz_i, dz_c, dz_o", color=BWD)

    # the concat gradient splits back into da_prev (first n_a columns of each W_g) and dxt (last n_x)
    top = s.box(3.1, 3.35, 3.3, 0.62, None, fc="white", ec=BWD, round_=0.04, name="da_prev")
    bot = s.box(3.1, 2.2, 3.3, 0.62, None, fc="white", ec=BWD, round_=0.04, name="dxt")
    s.code(3.1, 3.35, r"$\sum_g$ W$_g$[:, :n_a]$^T$ $\cdot$ dz_g", color=FWD)
    s.code(3.1, 2.2, r"$\sum_g$ W$_g$[:, n_a:]$^T$ $\cdot$ dz_g", color=FWD)
    s.line((trunk, bus), (trunk, 3.35), color=BWD)
    s.dot(trunk, 3.35, color=BWD)
    s.arrow((trunk, 3.35), top.right(), color=BWD)
    s.arrow((trunk, 3.35), (trunk, 2.2), bot.right(), color=BWD)
    s.arrow(top.left(), (0.2, 3.35), color=BWD)
    s.code(0.7, 3.65, "da_prev", color=BWD)
    s.arrow(bot.bottom(), (3.1, 0.2), color=BWD)
    s.code(3.3, 0.55, "dxt", color=BWD, ha="left")

    # every gate saw the same concat, so its weight gradient is dz_g . concat^T
    wbox = s.box(7.8, 2.7, 4.5, 1.9, None, fc=BWD_FILL, ec=BWD)  # x 5.55..10.05
    s.arrow((wx, bus), wbox.top(dx=wx - wbox.cx), color=BWD)
    for i, g in enumerate("fico"):
        d = f"dz_{g}"
        y = 3.3 - 0.36 * i
        s.code(5.75, y, f"dW{g} = {d} $\\cdot$ concat$^T$", color=FWD, ha="left")
        s.code(8.25, y, f"db{g} = $\\Sigma_m$ {d}", color=FWD, ha="left")
    s.code(7.8, 1.95, "concat = [a_prev; xt]", color=GREY, size=FS_SMALL - 0.5)

    s.legend(6.3, 1.12, [("arrow", BWD, "backward (gradient)"),
                         ("sign", "*", "elementwise product (NumPy's *)"),
                         ("sign", r"$\cdot$", "matrix product (np.dot)"),
                         ("sign", r"$\Sigma_m$", "sum over the m examples")], dy=0.3)
    return s


def gru_cell_backward(lang="en"):
    """Backward through one GRU cell: the four paths from da_next into da_prev (notebook 6, 3.4).

    dz_u, dz_c and dz_r are the gradients of the pre-activations inside the update gate's sigmoid,
    the candidate's tanh and the reset gate's sigmoid, as in rnn_utils/gru.py; da_reset is the
    gradient of the reset-gated state Gamma_r * a_prev.
    """
    s = Sketch(11.4, 7.3, y0=-0.45, lang=lang)
    s.box(5.9, 3.2, 8.6, 5.6, fc=CELL_FC, ec=CELL_EC, z=1, round_=0.2)  # x 1.6..10.2, y 0.4..6.0
    split, total = 9.55, 2.25
    y1, y4, y2, y3 = 3.9, 5.3, 2.55, 1.3  # the rows of paths 1 to 4
    s.text(5.9, 6.55, "The four paths of the gradient from $" + A_T + "$ back to $" + A_PREV + "$",
           size=FS_SMALL + 0.5, color=GREY)
    # da_next comes in from the right and splits into paths 1, 4 and 2
    s.arrow((11.2, y1), (split, y1), color=BWD)
    s.code(10.65, y1 + 0.3, "da_next", color=BWD, size=FS_SMALL + 0.5)
    s.dot(split, y1, color=BWD)
    plus = s.circle(total, y1 - 0.6, "+", ec=BWD, name="sum")
    # 1: directly, through (1 - Gamma_u)
    keep = s.box(6.0, y1, 1.7, 0.5, r"$*\,(1 - \Gamma_u)$", ec=BWD)
    s.arrow((split, y1), keep.right(), color=BWD)
    s.arrow(keep.left(), (total, y1), plus.top(), color=BWD)
    s.text(6.0, y1 + 0.42, "1 directly: the share the update gate keeps", size=FS_SMALL - 1, color=GREY)
    # 4: through the update gate: * (c~ - a_prev), sigma', then W_u^T
    du = s.box(8.0, y4, 2.0, 0.5, r"$*\,(\tilde{c} - a^{\langle t-1 \rangle})\ \sigma'$", ec=BWD,
               size=FS_SMALL)
    wu = s.box(4.6, y4, 1.55, 0.5, "$W_u[:, :n_a]^T$", fc=WEIGHT_FC, ec=BWD, size=FS_SMALL)
    s.arrow((split, y1), (split, y4), du.right(), color=BWD)
    s.arrow(du.left(), wu.right(), color=BWD)
    s.code(6.25, y4 + 0.25, "dz_u", color=BWD)
    s.arrow(wu.left(), (total - 0.15, y4), (total - 0.15, plus.top()[1] + 0.05), color=BWD)
    s.text(4.6, y4 + 0.42, "4 through the update gate's weights", size=FS_SMALL - 1, color=GREY)
    # 2: through the candidate: * Gamma_u, tanh', W_c^T, then * Gamma_r
    dc = s.box(8.35, y2, 1.6, 0.5, r"$*\,\Gamma_u\ \ \tanh'$", ec=BWD, size=FS_SMALL)
    wc = s.box(6.0, y2, 1.55, 0.5, "$W_c[:, :n_a]^T$", fc=WEIGHT_FC, ec=BWD, size=FS_SMALL)
    reset = 4.75
    gr = s.box(3.5, y2, 0.95, 0.5, r"$*\,\Gamma_r$", ec=BWD, size=FS_SMALL)
    s.arrow((split, y1), (split, y2), dc.right(), color=BWD)
    s.arrow(dc.left(), wc.right(), color=BWD)
    s.code(7.17, y2 + 0.25, "dz_c", color=BWD)
    s.line(wc.left(), (reset, y2), color=BWD)
    s.dot(reset, y2, color=BWD)
    s.code(reset, y2 + 0.27, "da_reset", color=BWD)
    s.arrow((reset, y2), gr.right(), color=BWD)
    s.arrow(gr.left(), (total, y2), plus.bottom(), color=BWD)
    s.text(6.0, y2 - 0.45, "2 through the candidate, as the factor of $\\Gamma_r * " + A_PREV + "$",
           size=FS_SMALL - 1, color=GREY)
    # 3: from da_reset, through the reset gate: * a_prev, sigma', then W_r^T
    dr = s.box(reset + 1.0, y3, 1.75, 0.5, r"$*\,a^{\langle t-1 \rangle}\ \sigma'$", ec=BWD, size=FS_SMALL)
    wr = s.box(3.3, y3, 1.55, 0.5, "$W_r[:, :n_a]^T$", fc=WEIGHT_FC, ec=BWD, size=FS_SMALL)
    s.arrow((reset, y2), (reset, y3 + 0.45), (dr.cx + 0.4, y3 + 0.45), (dr.cx + 0.4, dr.top()[1]),
            color=BWD)
    s.arrow(dr.left(), wr.right(), color=BWD)
    s.code(4.45, y3 - 0.28, "dz_r", color=BWD)
    s.arrow(wr.left(), (total + 0.15, y3), (total + 0.15, plus.bottom()[1] - 0.05), color=BWD)
    s.text(5.4, y3 - 0.5, "3 through the reset gate's weights", size=FS_SMALL - 1, color=GREY)
    # the sum, out to the left
    s.arrow(plus.left(), (0.2, plus.cy), color=BWD)
    s.code(0.85, plus.cy + 0.3, "da_prev", color=BWD, size=FS_SMALL + 0.5)
    s.text(0.85, plus.cy - 0.33, r"$\partial \mathcal{J} / \partial " + A_PREV + "$", size=FS_SMALL)
    s.text(0.85, plus.cy - 0.85, "the sum of the four", size=FS_SMALL - 1, color=GREY)
    s.legend(0.25, -0.0, [("arrow", BWD, "backward (gradient)"),
                          ("sign", "*", "elementwise product (NumPy's *)")], dy=0.28)
    return s


def rnn_backward_through_time(lang="en"):
    """Backpropagation through time: at each a<t>, the loss's own da plus the da_prev carried back."""
    s = Sketch(11.0, 6.1, lang=lang)
    row, cw, ch, po = 3.1, 1.35, 1.0, 0.7
    cells = [(1.675, "1", "0"), (4.835, "2", "1"), (8.695, "T_x", "T_x-1")]
    nodes, pluses = [], []
    for cx, t, idx in cells:
        node = s.box(cx, row, cw, ch, None, fc=CELL_FC, ec=CELL_EC, round_=0.15)
        s.text(cx, row + 0.17, "cell backward", size=FS_SMALL + 0.5)
        s.text(cx, row - 0.2, f"step $t = {t}$", size=FS_SMALL, color=GREY)
        s.arrow(node.bottom(), (cx, 1.75), color=BWD)
        s.code(cx, 1.5, f"dx[:,:,{idx}]", color=BWD)
        # the + just right of the cell: da[:,:,t-1] from above plus da_prev from the right
        plus = s.circle(cx + cw / 2 + po, row, "+", ec=BWD)
        s.text(plus.cx, row - 0.5, r"$\partial \mathcal{J} / \partial a" + sup(t) + "$", size=FS_SMALL)
        s.arrow(plus.left(), node.right(), color=BWD)
        s.arrow((plus.cx, 4.7), plus.top(), color=BWD)
        s.code(plus.cx, 4.95, f"da[:,:,{idx}]", color=BWD)
        s.text(plus.cx, 5.4, r"from $\hat{y}" + sup(t) + "$", size=FS - 0.5, color=GREY)
        nodes.append(node)
        pluses.append(plus)
    # carried back along the row, right to left
    s.arrow((10.95, row), pluses[2].right(), color=BWD)
    s.code(10.68, row + 0.3, "0", color=BWD)
    s.arrow(nodes[2].left(), (7.55, row), color=BWD)
    s.text(7.22, row, r"$\cdots$", size=FS + 4, color=BWD)
    s.arrow((6.9, row), pluses[1].right(), color=BWD)
    s.arrow(nodes[1].left(), pluses[0].right(), color=BWD)
    s.code((nodes[1].left()[0] + pluses[0].right()[0]) / 2, row + 0.3, "da_prev", color=BWD,
           size=FS_SMALL - 0.5)
    s.arrow(nodes[0].left(), (0.15, row), color=BWD)
    s.code(0.55, row + 0.3, "da0", color=BWD)
    s.text(5.5, 0.95, "Each box is one call of rnn_cell_backward(da_next, caches[t-1]), where",
           size=FS_SMALL, color=GREY)
    s.text(5.5, 0.6, "da_next = da[:,:,t-1] + da_prev carried back from step t+1 (0 at the last step):"
           " all of the gradient of $a" + sup("t") + "$.", size=FS_SMALL, color=GREY)
    s.text(5.5, 0.25, "The loop runs t = T_x, ..., 1, right to left; every step also adds its share "
           "to dWax, dWaa and dba.", size=FS_SMALL, color=GREY)
    return s


DRAW = {
    "rnn_cell": rnn_cell,
    "rnn_unrolled": rnn_unrolled,
    "lstm_cell": lstm_cell,
    "rnn_cell_backward": rnn_cell_backward,
    "lstm_cell_backward": lstm_cell_backward,
    "rnn_backward_through_time": rnn_backward_through_time,
    "gru_cell": gru_cell,
    "gru_cell_backward": gru_cell_backward,
}


def layout_problems(name, pad=1.0, lang="en"):
    """Draw one figure and list its text that overlaps other text or runs off the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with matplotlib.rc_context(RC):
        sketch = DRAW[name](lang)
        canvas = FigureCanvasAgg(sketch.fig)
        renderer = canvas.get_renderer()
        full = sketch.fig.bbox
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in sketch.ax.texts]
    problems = []
    for i, (s1, b1) in enumerate(boxes):
        if b1.x0 < full.x0 or b1.y0 < full.y0 or b1.x1 > full.x1 or b1.y1 > full.y1:
            problems.append(f"{name}: off the figure: {s1!r}")
        for s2, b2 in boxes[i + 1:]:
            if b1.padded(pad).overlaps(b2):
                problems.append(f"{name}: overlap: {s1!r} and {s2!r}")
    return problems


def make_all(outdir=None, names=FIGURES, formats=FORMATS, lang="en"):
    """Write every figure (SVG and PNG) in lang into outdir; return the list of paths written.

    outdir defaults to the language's folder: this one for "en", notebooks/zh-CN/figures/ for
    "zh-CN".
    """
    outdir = Path(OUTDIRS[lang] if outdir is None else outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context(RC):
        for name in names:
            written += DRAW[name](lang).save(outdir, name, formats)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description="Draw the course's figures (SVG and PNG).")
    parser.add_argument("--lang", choices=sorted(OUTDIRS), default="en",
                        help="the language of the labels (default: en)")
    parser.add_argument("outdir", nargs="?", type=Path,
                        help="where to write them (default: notebooks/figures/ for en, "
                             "notebooks/zh-CN/figures/ for zh-CN)")
    args = parser.parse_args(argv)
    matplotlib.use("Agg")
    for path in make_all(args.outdir, lang=args.lang):
        print(path)


if __name__ == "__main__":
    main()

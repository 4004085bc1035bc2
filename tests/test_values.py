"""The graded functions on the assignment's own test inputs give its published outputs.

The expected numbers are the ones the assignment prints (8 decimals for arrays,
the full value for scalars), so a learner comparing our notebook with theirs
sees the same digits. lstm_backward differs on purpose: the assignment drew da
for 4 of the 7 time steps; we draw it for all 7 (see docs/design.md).
"""

import numpy as np
import pytest

from rnn_reference import (
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
)


def close(got, want):
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-8)


def test_rnn_cell_forward_values(assignment):
    a_next, yt_pred, cache = rnn_cell_forward(*assignment.rnn_cell_inputs())
    close(a_next[4], [0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201,
                      0.99980978, -0.18887155, 0.99815551, 0.6531151, 0.82872037])
    assert a_next.shape == (5, 10)
    close(yt_pred[1], [0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387,
                       0.88945212, 0.36920224, 0.9966312, 0.9982559, 0.17746526])
    assert yt_pred.shape == (2, 10)
    assert len(cache) == 4 and cache[0] is a_next


def test_rnn_forward_values(assignment):
    a, y_pred, caches = rnn_forward(*assignment.rnn_inputs())
    close(a[4][1], [-0.99999375, 0.77911235, -0.99861469, -0.99833267])
    assert a.shape == (5, 10, 4)
    close(y_pred[1][3], [0.79560373, 0.86224861, 0.11118257, 0.81515947])
    assert y_pred.shape == (2, 10, 4)
    close(caches[1][1][3], [-1.1425182, -0.34934272, -0.20889423, 0.58662319])
    assert len(caches) == 2 and len(caches[0]) == 4


def test_lstm_cell_forward_values(assignment):
    a_next, c_next, yt, cache = lstm_cell_forward(*assignment.lstm_cell_inputs())
    close(a_next[4], [-0.66408471, 0.0036921, 0.02088357, 0.22834167, -0.85575339,
                      0.00138482, 0.76566531, 0.34631421, -0.00215674, 0.43827275])
    close(c_next[2], [0.63267805, 1.00570849, 0.35504474, 0.20690913, -1.64566718,
                      0.11832942, 0.76449811, -0.0981561, -0.74348425, -0.26810932])
    close(yt[1], [0.79913913, 0.15986619, 0.22412122, 0.15606108, 0.97057211,
                  0.31146381, 0.00943007, 0.12666353, 0.39380172, 0.07828381])
    close(cache[1][3], [-0.16263996, 1.03729328, 0.72938082, -0.54101719, 0.02752074,
                        -0.30821874, 0.07651101, -1.03752894, 1.41219977, -0.37647422])
    assert (a_next.shape, c_next.shape, yt.shape, len(cache)) == ((5, 10), (5, 10), (2, 10), 10)


def test_lstm_forward_values(assignment):
    a, y, c, caches = lstm_forward(*assignment.lstm_inputs())
    assert a[4][3][6] == pytest.approx(0.172117767533, abs=1e-11)
    assert y[1][4][3] == pytest.approx(0.95087346185, abs=1e-11)
    assert c[1][2][1] == pytest.approx(-0.855544916718, abs=1e-11)
    close(caches[1][1][1], [0.82797464, 0.23009474, 0.76201118, -0.22232814,
                            -0.20075807, 0.18656139, 0.41005165])
    assert (a.shape, y.shape, c.shape, len(caches)) == ((5, 10, 7), (2, 10, 7), (5, 10, 7), 2)


def test_rnn_cell_backward_values(assignment):
    g = rnn_cell_backward(*assignment.rnn_cell_backward_inputs())
    assert g["dxt"][1][2] == pytest.approx(-1.3872130506, abs=1e-10)
    assert g["da_prev"][2][3] == pytest.approx(-0.152399493774, abs=1e-11)
    assert g["dWax"][3][1] == pytest.approx(0.410772824935, abs=1e-11)
    assert g["dWaa"][1][2] == pytest.approx(1.15034506685, abs=1e-10)
    close(g["dba"][4], [0.20023491])
    shapes = {k: v.shape for k, v in g.items()}
    assert shapes == {"dxt": (3, 10), "da_prev": (5, 10), "dWax": (5, 3), "dWaa": (5, 5),
                      "dba": (5, 1)}


def test_rnn_backward_values(assignment):
    g = rnn_backward(*assignment.rnn_backward_inputs())
    close(g["dx"][1][2], [-2.07101689, -0.59255627, 0.02466855, 0.01483317])
    assert g["da0"][2][3] == pytest.approx(-0.314942375127, abs=1e-11)
    assert g["dWax"][3][1] == pytest.approx(11.2641044965, abs=1e-9)
    assert g["dWaa"][1][2] == pytest.approx(2.30333312658, abs=1e-10)
    close(g["dba"][4], [-0.74747722])
    shapes = {k: v.shape for k, v in g.items()}
    assert shapes == {"dx": (3, 10, 4), "da0": (5, 10), "dWax": (5, 3), "dWaa": (5, 5),
                      "dba": (5, 1)}


def test_lstm_cell_backward_values(assignment):
    g = lstm_cell_backward(*assignment.lstm_cell_backward_inputs())
    assert g["dxt"][1][2] == pytest.approx(3.23055911511, abs=1e-10)
    assert g["da_prev"][2][3] == pytest.approx(-0.0639621419711, abs=1e-12)
    assert g["dc_prev"][2][3] == pytest.approx(0.797522038797, abs=1e-11)
    assert g["dWf"][3][1] == pytest.approx(-0.147954838164, abs=1e-11)
    assert g["dWi"][1][2] == pytest.approx(1.05749805523, abs=1e-10)
    assert g["dWc"][3][1] == pytest.approx(2.30456216369, abs=1e-10)
    assert g["dWo"][1][2] == pytest.approx(0.331311595289, abs=1e-11)
    close(g["dbf"][4], [0.18864637])
    close(g["dbi"][4], [-0.40142491])
    close(g["dbc"][4], [0.25587763])
    close(g["dbo"][4], [0.13893342])
    gate = (5, 8)
    assert {k: v.shape for k, v in g.items()} == {
        "dxt": (3, 10), "da_prev": (5, 10), "dc_prev": (5, 10), "dWf": gate, "dbf": (5, 1),
        "dWi": gate, "dbi": (5, 1), "dWc": gate, "dbc": (5, 1), "dWo": gate, "dbo": (5, 1)}


def test_lstm_backward_values(assignment):
    # da covers all 7 time steps (the assignment's (5, 10, 4) is rejected, see test_shapes.py)
    g = lstm_backward(*assignment.lstm_backward_inputs())
    close(g["dx"][1][2], [-0.03559116, 0.16214986, 0.55174645, 0.4661557, 0.43529021,
                          0.16976809, 0.62550261])
    assert g["da0"][2][3] == pytest.approx(-0.17213535340645061, abs=1e-12)
    assert g["dWf"][3][1] == pytest.approx(-0.22638467525191924, abs=1e-12)
    assert g["dWi"][1][2] == pytest.approx(0.28679382245026497, abs=1e-12)
    assert g["dWc"][3][1] == pytest.approx(0.10261063342290476, abs=1e-12)
    assert g["dWo"][1][2] == pytest.approx(0.0641741607102046, abs=1e-12)
    close(g["dbf"][4], [-0.13413502])
    close(g["dbi"][4], [0.12896284])
    close(g["dbc"][4], [0.32840044])
    close(g["dbo"][4], [-0.77018489])
    gate = (5, 8)
    assert {k: v.shape for k, v in g.items()} == {
        "dx": (3, 10, 7), "da0": (5, 10), "dWf": gate, "dbf": (5, 1), "dWi": gate,
        "dbi": (5, 1), "dWc": gate, "dbc": (5, 1), "dWo": gate, "dbo": (5, 1)}

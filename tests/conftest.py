import os
import sys

import pytest

# the test helpers (assignment_inputs.py, cases.py) live beside the tests
sys.path.insert(0, os.path.dirname(__file__))


def pytest_collection_modifyitems(items):
    """nbval's notebook cells are course tests too (select the unit tests with -m "not course")."""
    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.course)

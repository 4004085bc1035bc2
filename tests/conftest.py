import os
import sys

# the test helpers (assignment_inputs.py) live beside the tests
sys.path.insert(0, os.path.dirname(__file__))

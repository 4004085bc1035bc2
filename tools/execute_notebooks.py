"""Re-execute the reference notebooks in place and store them clean, ready for nbval.

    python tools/execute_notebooks.py                 # every notebooks/0*.ipynb
    python tools/execute_notebooks.py notebooks/01_rnn_forward.ipynb

Run it after editing a notebook or anything its outputs depend on. It executes
each notebook top to bottom in this environment's python3 kernel, then stores it
as JupyterLab itself would save it (the kernel's spec and language_info, nothing
else at the top), so that opening a notebook in JupyterLab and saving it changes
nothing; no timings, no paths. Cell ids are kept, so diffs stay small.
"""

import os
import sys
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import get_kernel_spec
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def clean(nb):
    """Keep what JupyterLab writes at the top (kernelspec, language_info) and no cell timings."""
    spec = get_kernel_spec("python3")  # JupyterLab writes the kernel's own spec
    nb.metadata = {"kernelspec": {"display_name": spec.display_name, "language": spec.language,
                                  "name": "python3"},
                   "language_info": dict(nb.metadata["language_info"])}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
    return nb


def execute(path):
    nb = nbformat.read(path, as_version=4)
    # warnings name the cell as IPYKERNEL_CELL_NAME instead of a random temporary file
    os.environ.setdefault("IPYKERNEL_CELL_NAME", "<cell>")
    client = NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    client.execute()
    nbformat.validate(nb)
    nbformat.write(clean(nb), path)


def main(argv):
    paths = argv or sorted(str(p) for p in (ROOT / "notebooks").glob("0*.ipynb"))
    for path in paths:
        print(f"executing {path}")
        execute(path)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Write book/_toc.yml, the book's table of contents, from the course manifest (rnn_utils/course.py).

    python tools/write_toc.py

Run it after adding a notebook to the manifest; tests/test_book.py fails until the file is
up to date.
"""

from pathlib import Path

from rnn_utils.course import toc

if __name__ == "__main__":
    path = Path(__file__).resolve().parent.parent / "book" / "_toc.yml"
    path.write_text(toc(), encoding="utf-8")
    print(f"wrote {path}")

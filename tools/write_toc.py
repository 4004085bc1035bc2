"""Write the books' tables of contents from the course manifest (rnn_utils/course.py).

    python tools/write_toc.py

writes book/_toc.yml (English) and book/zh-CN/_toc.yml (Chinese; the titles come from the
message catalogues, rnn_utils/locale). Run it after adding a notebook to the manifest;
tests/test_book.py fails until the files are up to date.
"""

from pathlib import Path

from rnn_utils.course import BOOKS, toc

if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    for lang, folder in BOOKS.items():
        path = root / folder / "_toc.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(toc(lang), encoding="utf-8")
        print(f"wrote {path.relative_to(root)}")

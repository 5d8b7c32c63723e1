"""python/README.md's snippet runs as shown: its first python block, from the repository root,
prints the text block that follows it."""
import contextlib
import io
import os
import re
from pathlib import Path

from conftest import REPO

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_snippet_prints_what_it_shows():
    text = README.read_text()
    m = re.search(r"```python\n(.*?)```\s*\n\s*prints\s*\n\s*```text\n(.*?)```", text, re.S)
    assert m, "no python block followed by its output in the README"
    code, shown = m.group(1), m.group(2)
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(README), "exec"), {"__name__": "__readme__"})
    finally:
        os.chdir(cwd)
    assert out.getvalue() == shown

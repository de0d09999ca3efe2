"""The README's examples come from real runs: cog regenerates them (tests/cogdocs.py), and this test
fails when the README no longer shows what the commands print."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COG = [sys.executable, "-m", "cogapp", "-I", "tests", "-p", "from cogdocs import shell"]


def test_the_readme_shows_what_the_commands_print() -> None:
    res = subprocess.run([*COG, "--check", "README.md"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, (
        f"{res.stdout}{res.stderr}\nthe README's examples are stale: regenerate them with "
        "`cog -r -I tests -p 'from cogdocs import shell' README.md`"
    )


def test_every_korasean_example_in_the_readme_is_generated() -> None:
    text = README.read_text(encoding="utf-8")
    generated = re.findall(r"<!-- \[\[\[cog .*?\]\]\] -->\n(.*?)<!-- \[\[\[end\]\]\] -->", text, flags=re.S)
    assert len(generated) >= 10
    by_hand = re.sub(r"<!-- \[\[\[cog .*?<!-- \[\[\[end\]\]\] -->", "", text, flags=re.S)
    # a "$ korasean ..." line outside a cog block would be an example nobody checks
    assert not re.findall(r"^\$ .*korasean", by_hand, flags=re.M)
    assert all("$ " in block and "```" in block for block in generated)


def test_cog_notices_a_stale_example(tmp_path: Path) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(
        "<!-- [[[cog shell('korasean fund --format plain | head -1') ]]] -->\n```text\n$ korasean fund\nSCF\n```\n"
        "<!-- [[[end]]] -->\n",
        encoding="utf-8",
    )
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "cogapp",
            "-I",
            str(ROOT / "tests"),
            "-p",
            "from cogdocs import shell",
            "--check",
            str(stale),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode != 0

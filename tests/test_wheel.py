"""The built wheel works on its own: data and seeds ship inside it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(os.environ.get("KORASEAN_SKIP_WHEEL") == "1", reason="KORASEAN_SKIP_WHEEL=1")
def test_installed_wheel_runs_from_anywhere(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("korasean-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # the dependencies come from this test environment (a plain path line: its own .pth files, such as
    # korasean's editable hook, are not run), korasean itself only from the wheel
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    import sysconfig

    Path(purelib, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k not in ("KORASEAN_DATA", "PYTHONPATH")}
    env["KORASEAN_CACHE_DIR"] = str(tmp_path / "cache")
    out = subprocess.run(
        [str(venv / "bin" / "korasean"), "timeline", "--from", "1989", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    events = json.loads(out.stdout)
    assert events[0]["date_display"] == "Nov 1989"
    located = subprocess.run(
        [str(py), "-c", "import korasean_cli.core.store.cache as l; print(l.packaged_data_path())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert str(venv) in located, "the data must come from inside the installed wheel"
    ok = subprocess.run(
        [str(venv / "bin" / "korasean"), "validate"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    # the wheel carries the search aids beside the data: this query is answered by a paraphrase alone
    found = subprocess.run(
        [str(venv / "bin" / "korasean"), "search", "leaders of the two sides began meeting in person", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(found.stdout)[0]["id"] == "ev-1997-summit-level"

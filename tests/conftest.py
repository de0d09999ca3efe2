from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "relations.yaml"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # every test gets the shipped data and a private cache, whatever the caller's environment says
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("KORASEAN_DATA", raising=False)
    monkeypatch.delenv("KORASEAN_NO_CACHE", raising=False)
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture(scope="session")
def ds() -> Any:
    from korasean_cli.core.store.cache import compile_file

    dataset, problems = compile_file(str(DATA))
    assert problems == []
    return dataset


class Result:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run the CLI in-process through main(), the real error boundary."""
    from korasean_cli.cli.app import main

    def _run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return _run


@pytest.fixture
def dataset_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped dataset and its seeds."""
    (tmp_path / "data").mkdir()
    shutil.copy(DATA, tmp_path / "data" / "relations.yaml")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "data" / "relations.yaml"


def env_without(*names: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in names}


@pytest.fixture(scope="module")
def _module_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("module-cache")


@pytest.fixture
def module_cache(_isolated_cache: None, _module_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # one cache per test module for the shipped dataset (compiling it takes most of a second);
    # tests about the cache itself point KORASEAN_CACHE_DIR elsewhere
    monkeypatch.setenv("KORASEAN_CACHE_DIR", str(_module_cache_dir))


_LOADED: dict[Any, Any] = {}


@pytest.fixture
def shipped_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Load the shipped dataset once for tests about arguments, not about loading: the CLI's
    loader is still called for every other dataset (``--data``, ``$KORASEAN_DATA``)."""
    from korasean_cli.core.store import cache as load

    real = load.load_dataset

    def load_dataset(path: str | None = None) -> Any:
        if path or os.environ.get("KORASEAN_DATA"):
            return real(path)
        st = DATA.stat()
        key = (st.st_size, st.st_mtime_ns)
        if key not in _LOADED:
            _LOADED.clear()
            _LOADED[key] = real(None)
        return _LOADED[key]

    monkeypatch.setattr(load, "load_dataset", load_dataset)

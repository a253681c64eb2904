"""The Dask engine: the same tables as the local one, from worker processes (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_fixtures import assert_same_build, run_build

from geo import engine
from geo.__main__ import main
from geo.errors import BuildError

pytest_plugins = ["pipeline_fixtures"]


@pytest.mark.parametrize(
    ("name", "scheduler", "workers", "message"),
    [
        ("spark", None, None, r"Unknown engine 'spark': choose one of local, dask\."),
        (
            "local",
            "tcp://10.0.0.1:8786",
            None,
            r"--scheduler and --workers go with --engine dask\.",
        ),
        ("local", None, 2, r"--scheduler and --workers go with --engine dask\."),
        (
            "dask",
            "tcp://10.0.0.1:8786",
            2,
            r"--workers sizes a local Dask cluster: the cluster at --scheduler has its own\.",
        ),
        ("dask", None, 0, r"--workers must be at least 1 \(got 0\)\."),
    ],
)
def test_engine_options_that_do_not_go_together(
    name: str, scheduler: str | None, workers: int | None, message: str
) -> None:
    with pytest.raises(BuildError, match=message):
        engine.check(name, scheduler=scheduler, workers=workers)


def test_the_local_engine_has_no_client() -> None:
    with engine.session("local") as client:
        assert client is None


def test_an_unreachable_scheduler_is_a_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "CONNECT_SECONDS", 1)
    with (
        pytest.raises(
            BuildError, match=r"^Could not reach the Dask scheduler at tcp://127\.0\.0\.1:9: "
        ),
        engine.session("dask", scheduler="tcp://127.0.0.1:9"),
    ):
        pass


def test_the_cli_refuses_workers_without_dask(
    inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["build", "--cases", str(inputs["cases"]), "--out", str(tmp_path / "zones")]
    assert main([*argv, "--workers", "2"]) == 2
    assert capsys.readouterr().err == "error: --scheduler and --workers go with --engine dask.\n"
    assert not (tmp_path / "zones").exists()


def test_two_dask_workers_build_the_local_engine_s_tables(
    built: tuple[Path, dict], inputs: dict[str, Path], tmp_path: Path
) -> None:
    local, _ = built
    manifest = run_build(inputs, tmp_path / "zones", engine="dask", workers=2)
    assert manifest["tables"]["cells_daily"] > 0
    assert_same_build(tmp_path / "zones", local)

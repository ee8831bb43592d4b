from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bgtc_rules.cli import main

from .paths import SCENARIOS

PHASE12 = str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_evaluate_prints_a_table_with_backend_edition_and_disclaimer() -> None:
    code, out, _ = _run("evaluate", PHASE12, "--as-of", "2026-11-21")
    assert code == 0
    assert "Regenerative medicine advanced therapy" in out and "eligible" in out
    assert "backend:" in out and "Rules: bgtc-rules" in out
    assert out.count("not a determination by FDA") == 1
    assert "\x1b[" not in out  # no colour when not a terminal


def test_evaluate_json_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = _run("evaluate", PHASE12, "--as-of", "2026-11-21", "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    data = json.loads(target.read_text())
    assert {p["program"]: p["determination"] for p in data["programs"]}["rmat"] == "eligible"


@pytest.mark.parametrize("backend", ["reference", "durable-rules"])
def test_backend_is_chosen_by_option_or_environment(backend: str) -> None:
    from bgtc_rules.engine.backends import durable_available

    if backend == "durable-rules" and not durable_available():
        pytest.skip("durable-rules is not importable here")
    code, out, _ = _run("evaluate", PHASE12, "--format", "json", "--backend", backend)
    assert code == 0 and json.loads(out)["backend"] == backend
    code, out, _ = _run("evaluate", PHASE12, "--format", "json", env={"BGTC_BACKEND": backend})
    assert code == 0 and json.loads(out)["backend"] == backend


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("program:\n  name: X\n  modality: 3\n", ":3: program.modality"),
        ("program:\n  name: X\nindication:\n  us_prevalence: lots\n", ":4: indication.us_prevalence"),
        ("program:\n  name: X\n  colour: red\n", ":3: program.colour: unknown field"),
        ("program: [\n", "invalid YAML"),
        ("indication: {}\n", "program: required field is missing"),
    ],
)
def test_bad_dossier_exits_2_with_file_path_and_expectation(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    target = tmp_path / "never.json"
    code, out, err = _run("evaluate", str(path), "-o", str(target))
    assert code == 2
    assert str(path) in err and expected in err
    assert "Traceback" not in err + out
    assert not target.exists()


def test_bad_as_of_and_bad_environment_exit_2() -> None:
    code, _, err = _run("evaluate", PHASE12, "--as-of", "21/11/2026")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = _run("evaluate", PHASE12, env={"BGTC_BACKEND": "clips"})
    assert code == 2 and "BGTC_BACKEND" in err


def test_bad_rules_directory_exits_2(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text("rules:\n  - id: x\n")
    code, _, err = _run("evaluate", PHASE12, "--rules", str(tmp_path))
    assert code == 2 and "r.yaml:2: rules.0.title" in err


def test_schema_is_json_schema() -> None:
    code, out, _ = _run("schema")
    assert code == 0
    assert json.loads(out)["title"] == "Dossier"


def test_version() -> None:
    code, out, _ = _run("--version")
    assert code == 0 and "bgtc" in out


def test_fail_on_exits_1_only_when_the_determination_occurs() -> None:
    code, _, err = _run("evaluate", PHASE12, "--as-of", "2026-11-21", "--fail-on", "undetermined")
    assert code == 1 and "--fail-on" in err
    code, out, err = _run("evaluate", PHASE12, "--as-of", "2026-11-21", "--fail-on", "eligible", "--format", "json")
    assert code == 1 and json.loads(out)["format"] and "rmat" in err


def test_detail_adds_condition_trees() -> None:
    code, out, _ = _run("evaluate", PHASE12, "--as-of", "2026-11-21", "--format", "json", "--detail")
    assert code == 0
    rule = json.loads(out)["programs"][0]["rules"][0]
    assert rule["conditions"]["parts"] and rule["citations"]
    code, out, _ = _run("evaluate", PHASE12, "--as-of", "2026-11-21", "--format", "json")
    assert "conditions" not in json.loads(out)["programs"][0]["rules"][0]


def test_the_program_flushes_everything_before_its_fast_exit(tmp_path: Path) -> None:
    """`bgtc` ends with `os._exit` (see `cli.run`): what it printed and wrote is all there, with its status."""
    target = tmp_path / "out.json"
    command = [sys.executable, "-m", "bgtc_rules", "evaluate", PHASE12, "--as-of", "2026-11-21", "--format", "json"]
    printed = subprocess.run(command, capture_output=True, text=True, check=False)
    written = subprocess.run([*command, "-o", str(target), "--fail-on", "eligible"], capture_output=True, text=True,
                             check=False)
    assert printed.returncode == 0 and json.loads(printed.stdout) == json.loads(target.read_text(encoding="utf-8"))
    assert written.returncode == 1 and written.stderr.startswith("--fail-on:")


def test_only_one_shot_commands_run_without_the_garbage_collector() -> None:
    """`cli.run` turns the cyclic collector off for commands that evaluate once and end; commands
    working through many dossiers or requests keep it, or their memory would grow."""
    from bgtc_rules.cli import COMMANDS, ONE_SHOT, _command_named

    assert ONE_SHOT.issubset(COMMANDS) and not ONE_SHOT & {"batch", "serve", "rebuild", "interview", "docs"}
    assert _command_named(["evaluate", "dossier.yaml", "--as-of", "2026-11-21"]) == "evaluate"
    assert _command_named(["--help"]) is None and _command_named([]) is None
    assert _command_named(["-h", "batch", "x.jsonl"]) == "batch"


def test_a_one_shot_command_skips_collections_and_pydantic_plugins_unless_asked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin scan is left out only where nobody chose: a value already set, even empty, stays."""
    import gc

    import pydantic.plugin._loader  # noqa: F401  (imported: no stand-in is left in this process)

    from bgtc_rules.cli import _start_one_shot

    was_enabled = gc.isenabled()
    try:
        monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
        _start_one_shot()
        assert not gc.isenabled() and os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")
        _start_one_shot()
        assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == ""
    finally:
        if was_enabled:
            gc.enable()


def test_batch_leaves_out_pydantic_plugins_and_pauses_the_collector_only_while_it_starts(
        tmp_path: Path) -> None:
    """`bgtc batch` also has no use for pydantic's plugins; its collector is off while it imports
    and loads the rules, and on again before any dossier is evaluated (its workers fork with it on,
    or their memory would grow), also when the start fails."""
    import gc

    from click.testing import CliRunner

    from bgtc_rules.cli import EVALUATES_MANY, ONE_SHOT, main
    from bgtc_rules.cli import batch as batch_command

    assert "batch" in EVALUATES_MANY and not EVALUATES_MANY & ONE_SHOT
    seen = []
    real_evaluate_all = batch_command._evaluate_all

    def evaluate_all(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real_evaluate_all(*args, **kwargs)  # type: ignore[arg-type]

    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_command, "_evaluate_all", evaluate_all)
        done = runner.invoke(main, ["batch", str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml"), "-o",
                                    str(tmp_path / "out.jsonl"), "--as-of", "2026-11-21"])
        assert done.exit_code == 0, done.output
        failed = runner.invoke(main, ["batch", str(SCENARIOS), "--lean", "--full"])
        assert failed.exit_code != 0 and "--full" in failed.output
    assert seen == [True] and gc.isenabled()
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    for command, expected in (("batch", "__all__ True"), ("serve", "None False")):
        done = subprocess.run([sys.executable, "-c", _STARTED_AS, command], env=env, capture_output=True, text=True,
                              timeout=120, check=True)
        assert done.stdout.split() == expected.split(), command


# What `cli.run` leaves set up for a command, printed where the command would start.
_STARTED_AS = """
import os, sys
import bgtc_rules.cli as cli
def started(**_):
    print(os.environ.get("PYDANTIC_DISABLE_PLUGINS"), "pydantic.plugin._loader" in sys.modules)
    return 0
cli.main = started
sys.argv = ["bgtc", sys.argv[1], "x"]
cli.run()
"""


_PLUGIN_CHECK = """
import sys
from bgtc_rules.cli import _start_one_shot
_start_one_shot()
from bgtc_rules import load_dossier
load_dossier(sys.argv[1])  # builds the dossier's validators
scanned = "importlib.metadata" in sys.modules
import pydantic.plugin._loader as loader
print(scanned, list(loader.get_plugins()) == [], type(loader._plugins).__name__, "importlib.metadata" in sys.modules)
"""


@pytest.mark.parametrize(("setting", "expected"), [
    (None, "False True NoneType True"),  # plugins off: no scan until the real loader is asked for more
    ("1", "False True NoneType True"),
    ("", "True True dict True"),  # plugins on (set, even empty): pydantic's own loader, its scan
    ("some_plugin", "True True dict True"),
])
def test_a_one_shot_command_stands_in_for_the_plugin_loader_only_while_every_plugin_is_off(
        setting: str | None, expected: str) -> None:
    """With every plugin off, pydantic's loader would import importlib.metadata (email, zipfile,
    ...) only to return nothing: a stand-in returns nothing, and hands any other name to the real
    loader (`_plugins` here), imported then."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    done = subprocess.run([sys.executable, "-c", _PLUGIN_CHECK, str(SCENARIOS / "aav_phase12_pediatric_neuro.yaml")],
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == expected.split()

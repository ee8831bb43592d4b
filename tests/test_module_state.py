"""What one rule base keeps between runs is its engine's (`engine.rule_engine.RuleEngine`): no
module of the package keeps a cache or a singleton of its own, that a second rule base, a second
thread or a lint run inside another could find filled by someone else."""

from __future__ import annotations

import ast

from .paths import ROOT

PACKAGE = ROOT / "bgtc_rules"
_EMPTY_CONTAINERS = {"dict", "list", "set", "WeakKeyDictionary", "WeakValueDictionary", "defaultdict", "OrderedDict"}
_CACHES = {"cache", "lru_cache"}

# The state a module may hold, and why it is not a rule base's.
ALLOWED_STATE = {
    "engine/rule_engine.py:_engines": "the registry of engines, one per rule base content",
    "base/outputs.py:_in_process_locks": "the lock of each file being written by this process",
    "language/cache.py:_warned": "a warning about the cache directory, said once per process",
}
# Functions remembered for the process: each builds a constant of the package, not of a rule base.
ALLOWED_CACHES = {
    "language/catalog.py:fact_catalog": "the fact paths of the dossier schema",
    "engine/facts.py:_readers": "a reader for each fact path of the schema",
    "engine/counterfactual.py:_every_signature": "the item signatures of a list field of the schema",
    "base/holidays.py:federal_holidays": "the federal holidays of a year",
    "policy/steps.py:_parsers": "the step patterns of the policy features",
    "render/html.py:_environment": "the Jinja2 environment of the package's templates",
    "service/web/layout.py:_environment": "the Jinja2 environment of the web page's templates",
    "service/web/layout.py:static_file": "the web page's static files",
    "service/web/start_pages.py:scenarios": "the bundled example dossiers",
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _empty_container(value: ast.expr | None) -> bool:
    if isinstance(value, (ast.Dict, ast.List, ast.Set)):
        return not (value.keys if isinstance(value, ast.Dict) else value.elts)
    return isinstance(value, ast.Call) and _name(value) in _EMPTY_CONTAINERS and not value.args


def _module_state() -> tuple[list[str], list[str], list[str]]:
    """(`global` statements, module-level empty containers, remembered functions) of the package."""
    globals_, state, caches = [], [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        globals_ += [f"{where}:{node.lineno}" for node in ast.walk(tree) if isinstance(node, ast.Global)]
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and _empty_container(node.value):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                state += [f"{where}:{t.id}" for t in targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.FunctionDef) and any(_name(d) in _CACHES for d in node.decorator_list):
                caches.append(f"{where}:{node.name}")
    return globals_, state, caches


def test_no_module_keeps_state_of_its_own() -> None:
    globals_, state, caches = _module_state()
    assert globals_ == [], "a `global` statement: keep the value in the engine object, or a constant"
    assert sorted(set(state) - set(ALLOWED_STATE)) == [], "module-level cache: keep it with the rule base's engine"
    assert sorted(set(caches) - set(ALLOWED_CACHES)) == [], "a remembered function: keep it with the engine"
    assert sorted(set(ALLOWED_STATE) - set(state)) == [] and sorted(set(ALLOWED_CACHES) - set(caches)) == [], \
        "an allowance for state that is gone: drop it"


def test_the_scan_finds_what_it_forbids() -> None:
    source = "import functools\n_seen: dict[str, int] = {}\n@functools.cache\ndef f() -> int:\n    global _x\n"
    tree = ast.parse(source)
    assert [n for n in tree.body if isinstance(n, ast.AnnAssign) and _empty_container(n.value)]
    assert [n for n in tree.body if isinstance(n, ast.FunctionDef) and _name(n.decorator_list[0]) in _CACHES]
    assert any(isinstance(n, ast.Global) for n in ast.walk(tree))

"""The same input gives byte-identical JSON: across runs, backends, thread counts and processes.

The only difference allowed between backends is the `backend` field naming which one ran.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from bgtc_rules import dossier_from_mapping, evaluate
from bgtc_rules.dossier.schema import Dossier
from bgtc_rules.engine.backends import durable_available

from .paths import AS_OF, ROOT
from .pools import bundled_rules, pool

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable-rules is not importable here")

POOL_SIZE = 12
# Run in a fresh interpreter: the digest of every assessment in the pool, on both backends.
DIGEST_SCRIPT = f"""
import datetime as dt, hashlib
from benchmarks.soak import dossier_pool
from bgtc_rules import RuleBase, evaluate
rules = RuleBase.load()
digest = hashlib.sha256()
for dossier in dossier_pool({POOL_SIZE}):
    for backend in ("durable-rules", "reference"):
        digest.update(evaluate(dossier, rules, as_of=dt.date.fromisoformat("{AS_OF.isoformat()}"),
                               backend=backend).to_json().encode())
print(digest.hexdigest())
"""


def _pool() -> tuple[Dossier, ...]:
    return pool(POOL_SIZE)


def _json(dossier: Dossier, backend: str) -> str:
    return evaluate(dossier, bundled_rules(), as_of=AS_OF, backend=backend).to_json()


def test_runs_and_backends_give_the_same_bytes() -> None:
    for dossier in _pool():
        durable = _json(dossier, "durable-rules")
        assert _json(dossier, "durable-rules") == durable
        reference = _json(dossier, "reference")
        assert reference.count('"backend": "reference"') == 1
        assert reference.replace('"backend": "reference"', '"backend": "durable-rules"') == durable


def test_thread_counts_give_the_same_bytes() -> None:
    jobs = [(dossier, backend) for dossier in _pool() for backend in ("durable-rules", "reference")]
    one = [_json(*job) for job in jobs]
    for threads in (2, 8):
        with ThreadPoolExecutor(max_workers=threads) as pool:
            assert list(pool.map(lambda job: _json(*job), jobs)) == one


def test_separate_processes_give_the_same_bytes() -> None:
    """Two interpreters with different hash seeds (so different set orders) agree with this one."""
    expected = hashlib.sha256()
    for dossier in _pool():
        for backend in ("durable-rules", "reference"):
            expected.update(_json(dossier, backend).encode())
    runs = {seed: subprocess.Popen([sys.executable, "-c", DIGEST_SCRIPT], cwd=ROOT, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)})
            for seed in ("1", "4242")}
    for seed, run in runs.items():
        stdout, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr[-2000:]
        assert stdout.strip() == expected.hexdigest(), f"PYTHONHASHSEED={seed}"


def test_the_order_of_list_items_does_not_matter() -> None:
    for dossier in _pool():
        data = dossier.model_dump(mode="json", exclude_none=True)
        shuffled = copy.deepcopy(data)
        for section, field in (("clinical", "endpoints"), ("therapy_landscape", "advantages"),
                               ("therapy_landscape", "available_therapies"), ("program", "national_priorities")):
            items = shuffled.get(section, {}).get(field)
            if items:
                shuffled[section][field] = list(reversed(items))
        if isinstance(shuffled.get("designations"), list):
            shuffled["designations"].reverse()
        for backend in ("durable-rules", "reference"):
            assert _json(dossier_from_mapping(shuffled), backend) == _json(dossier_from_mapping(data), backend)


def test_output_holds_no_clock_time() -> None:
    text = _json(_pool()[0], "durable-rules")
    assert not re.search(r"\d{2}:\d{2}:\d{2}", text), "no timestamps"
    dates = set(re.findall(r"\d{4}-\d{2}-\d{2}", text))
    assert AS_OF.isoformat() in dates

"""The IRA sample (../shared/data): the Python API and the command line give
the same rows on real data, and reading results is fast enough to use."""

import io
import subprocess
import time

import pandas as pd
import pytest

import echotrace


@pytest.fixture(scope="module")
def sample(shared_data):
    path = shared_data / "ira" / "ira_sample_200k.csv.zst"
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is not on this machine)")
    return path


def test_ira_sample_results_equal_the_cli(tmp_path, sample, cli):
    db = tmp_path / "ira.db"
    with echotrace.Store(db) as store:
        summary = store.ingest(sample)
        assert summary["ingested"] > 190_000
        store.analyze(["neardup", "coordination"])
        near = store.results("neardup")
        edges = store.results("coordination")
        groups = store.results("groups")
        t0 = time.perf_counter()
        docs = store.documents()
        read_seconds = time.perf_counter() - t0
    assert len(docs) == summary["ingested"]
    # Generous bound (the target, 1M rows in 2 s, is a benchmark): a DataFrame
    # of 200k documents with their text must not take seconds per 10k rows.
    assert read_seconds < 20, read_seconds
    for what, frame in (("neardup", near), ("coordination", edges), ("groups", groups)):
        out = subprocess.run([cli, "export", "--db", str(db), "--what", what],
                             capture_output=True, text=True, check=True).stdout
        cli_rows = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
        assert len(frame) == len(cli_rows) > 0, what
        for name in cli_rows.columns:
            col = frame[name]
            if pd.api.types.is_datetime64_any_dtype(col):
                mine = [("" if pd.isna(t) else t.strftime("%Y-%m-%dT%H:%M:%SZ")) for t in col]
            else:
                mine = [str(v) for v in col]
            assert mine == list(cli_rows[name]), (what, name)

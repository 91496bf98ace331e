"""echotrace for notebooks: trace passages, near-duplicates and coordinated
accounts through a corpus of posts, from Python.

The same engine and the same SQLite store as the ``echotrace`` command line:
a store made here opens there and the other way round, and every option has
the command line's default. Results come back as pandas DataFrames whose
columns are those of ``echotrace export`` (docs/formats.md).

    import echotrace
    with echotrace.Store("ira.db") as store:
        store.ingest(["ira_sample_200k.csv.zst"])
        store.analyze(["neardup", "coordination"])
        groups = store.results("groups")

Errors are raised as subclasses of :class:`echotrace.Error` carrying the
message the command line would print. Long work runs without the GIL;
Ctrl-C (or Jupyter's "interrupt kernel") cancels an ingest or an analysis the
way it cancels the command line: what was committed stays, a rerun resumes.
See docs/python.md.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import tempfile
import sys
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from . import _echotrace as _core
from ._echotrace import (  # noqa: F401  (re-exported)
    BadInput,
    Cancelled,
    Corruption,
    Error,
    InternalError,
    InvalidArgument,
    IOError,
    NotFound,
)
from ._frames import columns_to_frame, jsonl_to_frame

__version__: str = _core.version

__all__ = [
    "Store",
    "compare",
    "detectors",
    "result_names",
    "Error",
    "InvalidArgument",
    "BadInput",
    "NotFound",
    "IOError",
    "Corruption",
    "Cancelled",
    "InternalError",
]

PathLike = Union[str, "os.PathLike[str]"]
ProgressArg = Union[bool, Callable[[str], None]]


def _progress(progress: ProgressArg) -> tuple[bool, Optional[Callable[[str], None]]]:
    """progress=False: quiet; True: the lines on Python's sys.stderr (so a
    notebook shows them under the cell); a callable: called with each line."""
    if callable(progress):
        return True, progress
    if progress:
        return True, lambda line: print(line, file=sys.stderr, flush=True)
    return False, None


def detectors() -> list[str]:
    """The detectors ``Store.analyze`` can run, in the order it runs them.
    ``analyze()`` without ``only`` runs all but ``narratives`` (talking
    points), which runs when named."""
    return list(_core.available_detectors())


def result_names() -> list[str]:
    """The names ``Store.results`` accepts (those of ``echotrace export --what``)."""
    return list(_core.result_names())


def compare(
    a: Union[Sequence[str], Any],
    b: Optional[Sequence[str]] = None,
    *,
    vectors: Union[bool, PathLike] = True,
):
    """``echotrace compare`` on texts in memory: one row per pair, in order,
    with ``probability`` (the calibrated probability that the two texts make
    the same claim, docs/similarity.md), the combined ``score`` and every
    signal (``words``, ``chars``, ``lsa``, ``names``, ``numbers``,
    ``tag_or_link``, ``length_ratio``; ``sif``, ``usif``, ``align`` with word
    vectors), plus the shared terms and entities behind them.

    ``a`` and ``b`` are two equally long sequences of texts, or ``a`` is a
    DataFrame with columns ``a`` and ``b``, or a sequence of (a, b) pairs.
    As the CLI, the model is fitted on all the texts given, so scores depend
    on the batch. ``vectors``: True finds the word vectors as the CLI does
    (NotFound naming the fix when they are missing), False uses lexical
    signals only, a path names the file."""
    import pandas as pd

    if b is None:
        if hasattr(a, "columns"):
            first, second = list(a["a"]), list(a["b"])
        else:
            pairs = list(a)
            first = [p[0] for p in pairs]
            second = [p[1] for p in pairs]
    else:
        first, second = list(a), list(b)
    for side in (first, second):
        for i, text in enumerate(side):
            if not isinstance(text, str):
                raise InvalidArgument(f"pair {i + 1}: texts must be str, not {type(text).__name__}")
    which = "" if vectors is True else "-" if vectors is False else os.fspath(vectors)
    return pd.DataFrame(_core.compare(first, second, which))


def _set_params(target: Any, values: Optional[Mapping[str, Any]], what: str) -> None:
    """Copies ``values`` onto the option struct ``target``, refusing unknown
    names (a typo must not silently run with the default)."""
    if not values:
        return
    for key, value in values.items():
        if key.startswith("_") or not hasattr(target, key):
            known = sorted(k for k in dir(target) if not k.startswith("_"))
            raise InvalidArgument(f"{what}: unknown parameter {key!r}; known: {', '.join(known)}")
        setattr(target, key, value)


def _map_list(mapping: Optional[Mapping[str, str]]) -> list[str]:
    # {"text": "content"} -> ["text=content"], as the command line's --map.
    return [f"{field}={column}" for field, column in (mapping or {}).items()]


def _seconds(value: Any) -> Optional[int]:
    """A time bound as unix seconds: None, an int, a datetime/date, or a
    string pandas can parse (naive times are UTC)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidArgument(f"not a time: {value!r}")
    if isinstance(value, int):
        return value
    import pandas as pd

    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return int(ts.timestamp())


def _json_default(value: Any) -> Any:
    # Values json cannot write: times as ISO 8601, numpy scalars as numbers,
    # anything else as its text.
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _clean(value: Any) -> Any:
    # NaN / NaT (pandas' "missing") become null, not the string "nan".
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import pandas as pd

        if value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return value


class Store:
    """An echotrace store (one SQLite file, docs/schema.md).

    ``Store(path)`` opens the store read-write and creates it when absent;
    ``Store(path, readonly=True)`` opens an existing store without ever
    writing to it (works on read-only media). Use it from one thread at a
    time. Close it (or use ``with``) so that the file is checkpointed.
    """

    def __init__(self, path: PathLike, readonly: bool = False) -> None:
        self._store = _core.Store(os.fspath(path), bool(readonly))

    # -- lifetime -----------------------------------------------------------
    def close(self) -> None:
        """Closes the store; later calls raise InvalidArgument. Idempotent."""
        self._store.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def path(self) -> str:
        return self._store.path

    @property
    def readonly(self) -> bool:
        return self._store.readonly

    @property
    def closed(self) -> bool:
        return self._store.closed

    def __repr__(self) -> str:
        if self.closed:
            return "<echotrace.Store closed>"
        mode = "read-only" if self.readonly else "read-write"
        return f"<echotrace.Store {self.path!r} {mode}>"

    # -- ingest -------------------------------------------------------------
    def ingest(
        self,
        paths: Union[PathLike, Sequence[PathLike]],
        *,
        format: str = "auto",
        map: Optional[Mapping[str, str]] = None,
        columns: Optional[Sequence[str]] = None,
        source: Optional[str] = None,
        time: Optional[str] = None,
        strict: bool = False,
        threads: int = 0,
        progress: ProgressArg = False,
    ) -> dict:
        """Ingests files or folders (JSONL, CSV/TSV, HTML, text; .gz/.zst),
        exactly as ``echotrace ingest``: the same ids, field mapping
        (``map={"text": "content"}`` is ``--map text=content``), rejects and
        resumption. ``progress``: False (quiet), True (the command line's
        progress lines on ``sys.stderr``, shown under a notebook cell) or a
        callable that receives each line. Returns the summary ``ingest --json``
        prints. Raises
        BadInput under ``strict`` when a record was rejected, and an Error
        when nothing could be stored from a non-empty input."""
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        opts = _core.IngestOptions()
        opts.format = format
        opts.map = _map_list(map)
        opts.columns = list(columns or [])
        opts.source = source or ""
        opts.time = time or ""
        opts.strict = bool(strict)
        opts.threads = int(threads)
        opts.progress, sink = _progress(progress)
        return json.loads(self._store.ingest([os.fspath(p) for p in paths], opts, sink))

    def ingest_records(
        self,
        records: Any,
        *,
        name: str = "records",
        map: Optional[Mapping[str, str]] = None,
        source: Optional[str] = None,
        time: Optional[str] = None,
        strict: bool = False,
        threads: int = 0,
        progress: ProgressArg = False,
    ) -> dict:
        """Ingests a pandas DataFrame or an iterable of dicts, one document
        each, with the field names of a JSONL input (``id``, ``text``,
        ``author``, ``time``, ``source``, ``url``, ``parent``, ``title``,
        ``lang``; others are kept as extra fields) or ``map`` onto them.

        The records are written as ``<name>.jsonl`` in a temporary folder and
        ingested from there, so the result is that of ``echotrace ingest`` on
        that file: records without an ``id`` get the content-hash id, and
        ``name`` is the default source and what rejects are reported
        against. Times may be datetimes, pandas Timestamps or strings."""
        if not name or os.sep in name or name.startswith("."):
            raise InvalidArgument(f"name {name!r}: a plain file name is needed")
        with tempfile.TemporaryDirectory(prefix="echotrace-records-") as tmp:
            path = os.path.join(tmp, name + ".jsonl")
            with open(path, "w", encoding="utf-8") as out:
                for record in _iter_records(records):
                    clean = {str(k): _clean(v) for k, v in record.items()}
                    out.write(json.dumps(clean, ensure_ascii=False, default=_json_default))
                    out.write("\n")
            return self.ingest(
                [path],
                format="jsonl",
                map=map,
                source=source,
                time=time,
                strict=strict,
                threads=threads,
                progress=progress,
            )

    # -- analysis -----------------------------------------------------------
    def analyze(
        self,
        only: Optional[Union[str, Sequence[str]]] = None,
        *,
        neardup: Optional[Mapping[str, Any]] = None,
        reuse: Optional[Mapping[str, Any]] = None,
        coordination: Optional[Mapping[str, Any]] = None,
        narratives: Optional[Mapping[str, Any]] = None,
        threads: int = 0,
        scratch_dir: Optional[PathLike] = None,
        progress: ProgressArg = False,
    ) -> dict:
        """Runs the detectors (all of them, or those in ``only``; see
        :func:`detectors`) as ``echotrace analyze`` does, incremental where
        the latest run can be extended. Parameters per detector by the names
        of the command line's flags with ``_`` for ``-``, e.g.
        ``neardup={"threshold": 0.9}``, ``coordination={"windows": [60]}``,
        ``narratives={"resolution": 0.5}`` (talking points run only when
        named in ``only``);
        an unknown name raises InvalidArgument. ``progress`` as for
        :meth:`ingest`. Returns the summary ``analyze --json`` prints."""
        opts = _core.AnalyzeOptions()
        if only is not None:
            opts.only = [only] if isinstance(only, str) else list(only)
        # The nested option structs are references into opts (pybind11
        # def_readwrite), so setting their fields sets opts'.
        _set_params(opts.neardup, neardup, "neardup")
        _set_params(opts.reuse, reuse, "reuse")
        _set_params(opts.coordination, coordination, "coordination")
        _set_params(opts.narratives, narratives, "narratives")
        opts.threads = int(threads)
        opts.scratch_dir = os.fspath(scratch_dir) if scratch_dir is not None else ""
        opts.progress, sink = _progress(progress)
        return json.loads(self._store.analyze(opts, sink))

    # -- reading ------------------------------------------------------------
    def results(self, what: str):
        """The latest result behind ``what`` (see :func:`result_names`) as a
        pandas DataFrame with the columns of ``echotrace export --what``;
        times are UTC datetimes (NaT when unknown), document ids are the
        visible ids (``ext_id``). ``df.attrs["run_id"]`` is the run the rows
        come from. Raises NotFound (naming the ``analyze`` to run) when the
        store has no such result."""
        run_id, columns = self._store.read_result(what)
        return columns_to_frame(run_id, columns, what)

    def documents(self):
        """Every stored document (id, source, author, time, language, title,
        url, parent, text) as a DataFrame, in ingest order."""
        return self.results("documents")

    def trace(self, passage: str, *, limit: int = 5000, min_coverage: float = 0.5):
        """``echotrace trace``: every stored occurrence of ``passage``, verbatim
        or lightly edited, earliest first (undated last), as a DataFrame with
        the columns of ``trace --format jsonl`` (byte offsets ``start``/``end``
        into each document's text). ``attrs``: ``candidates`` (documents
        aligned), ``matching`` (documents sharing an n-gram), ``truncated``
        (more than ``limit`` matched), and ``origin_note`` — non-empty
        ("origin uncertain: N undated documents") when the first hit is not
        provably the origin."""
        text, *figures = self._store.trace(passage, int(limit), float(min_coverage))
        return _trace_frame(text, tuple(figures))

    def stats(self) -> dict:
        """Counts of the corpus (documents, authors, sources, rejects,
        entities, undated documents, per source and language, the most
        prolific authors) and its first and last time (UTC datetimes)."""
        stats = self._store.stats()
        for key in ("first_time", "last_time"):
            if stats[key] is not None:
                stats[key] = _dt.datetime.fromtimestamp(stats[key], tz=_dt.timezone.utc)
        return stats

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        source: Optional[str] = None,
        author: Optional[str] = None,
        lang: Optional[str] = None,
        start: Any = None,
        end: Any = None,
    ):
        """Full-text search as ``echotrace search``: the same operators
        (``"a phrase"``, ``-word``, ``OR``, ``prefix*``) and ranking, and the
        same filters (``start``/``end`` are inclusive time bounds; dated
        documents only). A DataFrame of the hits, best first, with the
        columns of ``search --format jsonl``; ``df.attrs["total"]`` is the
        number of documents matching the query and filters."""
        filters = _core.SearchFilters()
        filters.source = source or ""
        filters.author = author or ""
        filters.lang = lang or ""
        filters.time_from = _seconds(start)
        filters.time_to = _seconds(end)
        text, total = self._store.search(query, int(limit), filters)
        frame = jsonl_to_frame(text)
        if "ext_id" in frame.columns:
            # The visible id, as in every other DataFrame (the JSONL's doc_id
            # is the store's row number, for URLs of the web UI).
            frame = frame.drop(columns=["doc_id"]).rename(columns={"ext_id": "doc_id"})
        frame.attrs["total"] = total
        return frame


def _trace_frame(text: str, figures: tuple):
    frame = jsonl_to_frame(text)
    if "ext_id" in frame.columns:
        frame = frame.drop(columns=["doc_id"]).rename(columns={"ext_id": "doc_id"})
    tokens, candidates, matching, truncated, note = figures
    frame.attrs.update(passage_tokens=tokens, candidates=candidates, matching=matching,
                       truncated=truncated, origin_note=note)
    return frame


def _iter_records(records: Any) -> Iterable[Mapping[str, Any]]:
    if hasattr(records, "to_dict") and hasattr(records, "columns"):  # a DataFrame
        for row in records.to_dict(orient="records"):
            yield row
        return
    for i, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise InvalidArgument(f"record {i + 1}: a dict (field name -> value) is needed, "
                                  f"not {type(record).__name__}")
        yield record

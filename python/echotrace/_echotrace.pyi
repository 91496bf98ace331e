# Type stubs of the C++ extension (python/src/module.cc). Use the echotrace
# package (its __init__.py is typed inline); this module is internal.
from typing import Callable, Optional

version: str

class Error(Exception): ...
class InvalidArgument(Error, ValueError): ...
class BadInput(Error, ValueError): ...
class NotFound(Error, LookupError): ...
class IOError(Error, OSError): ...
class Corruption(Error): ...
class Cancelled(Error): ...
class InternalError(Error): ...

class IngestOptions:
    format: str
    map: list[str]
    columns: list[str]
    source: str
    time: str
    strict: bool
    check_only: bool
    threads: int
    batch_records: int
    progress: bool
    def __init__(self) -> None: ...

class NearDupParams:
    threshold: float
    max_bucket: int
    full: bool
    def __init__(self) -> None: ...

class ReuseParams:
    full: bool
    min_tokens: int
    ngram: int
    max_df: int
    min_anchors: int
    sources_a: list[str]
    sources_b: list[str]
    def __init__(self) -> None: ...

class CoordParams:
    windows: list[int]
    min_weight: int
    behaviours: list[str]
    burst_cap: int
    evidence_per_edge: int
    resolution: float
    seed: int
    passage_containment: float
    top_keys: int
    def __init__(self) -> None: ...

class NarrativesParams:
    neighbours: int
    threshold: float
    max_edges: int
    keep_above: float
    method: str
    resolution: float
    min_size: int
    seed: int
    max_unit_bytes: int
    collapse_copies: bool
    def __init__(self) -> None: ...

class AnalyzeOptions:
    only: list[str]
    neardup: NearDupParams
    reuse: ReuseParams
    coordination: CoordParams
    narratives: NarrativesParams
    threads: int
    scratch_dir: str
    progress: bool
    def __init__(self) -> None: ...

class SearchFilters:
    time_from: Optional[int]
    time_to: Optional[int]
    author: str
    source: str
    lang: str
    def __init__(self) -> None: ...

def available_detectors() -> list[str]: ...
def result_names() -> list[str]: ...
def compare(a: list[str], b: list[str], vectors: str) -> list[dict]: ...

class Store:
    def __init__(self, path: str, readonly: bool) -> None: ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    @property
    def readonly(self) -> bool: ...
    @property
    def path(self) -> str: ...
    def ingest(self, paths: list[str], options: IngestOptions,
               progress: Optional[Callable[[str], None]] = ...) -> str: ...
    def analyze(self, options: AnalyzeOptions,
                progress: Optional[Callable[[str], None]] = ...) -> str: ...
    def read_result(self, what: str) -> tuple[int, list[tuple[str, str, object, bytes]]]: ...
    def stats(self) -> dict: ...
    def search(self, query: str, limit: int, filters: SearchFilters) -> tuple[str, int]: ...
    def trace(self, passage: str, limit: int,
              min_coverage: float) -> tuple[str, int, int, int, bool, str]: ...

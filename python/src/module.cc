// The Python extension `echotrace._echotrace`: a thin layer over the public
// C++ API (include/echotrace/). The Python package (python/echotrace/)
// wraps it in the API documented in docs/python.md; everything here is an
// implementation detail of that package.
//
// Three rules hold for every entry point:
//   - Errors: a non-OK Status becomes the Python exception of its code
//     (echotrace.InvalidArgument, .NotFound, ...), carrying the message the
//     CLI would print. Nothing here raises anything else on a library error.
//   - Long work (ingest, analyze, search, reading results) runs without the
//     GIL, so other Python threads keep running.
//   - Ingest and analyze run on a worker thread while the calling thread
//     waits for Ctrl-C (Jupyter's "interrupt kernel" sends the same SIGINT):
//     an interrupt cancels the run the way Ctrl-C cancels the CLI — batches
//     already committed stay, a rerun resumes — and then raises
//     KeyboardInterrupt.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "echotrace/analyze.h"
#include "echotrace/claims.h"
#include "echotrace/export.h"
#include "echotrace/ingest.h"
#include "echotrace/progress.h"
#include "echotrace/similarity.h"
#include "echotrace/status.h"
#include "echotrace/store.h"
#include "echotrace/trace.h"

namespace py = pybind11;

namespace echotrace::python {
namespace {

// A non-OK Status on its way to Python (see the translator in the module
// definition).
class StatusError : public std::exception {
 public:
  explicit StatusError(Status s) : status_(std::move(s)) {}
  const char* what() const noexcept override { return status_.message().c_str(); }
  const Status& status() const { return status_; }

 private:
  Status status_;
};

void Check(const Status& s) {
  if (!s.ok()) throw StatusError(s);
}

template <typename T>
T Unwrap(Result<T> r) {
  if (!r.ok()) throw StatusError(r.status());
  return std::move(r).value();
}

// The Python exception class of each StatusCode (set at module import).
PyObject* g_errors[static_cast<int>(StatusCode::kInternal) + 1] = {};

// Runs `work` on a worker thread and waits for it with the GIL released,
// checking for Ctrl-C every 100 ms. On an interrupt it sets the cancel
// flag `work` was given, waits for the work to stop, and raises the
// KeyboardInterrupt Python has pending. Otherwise it returns work's Status.
Status RunInterruptible(const std::function<Status(const std::atomic<bool>*)>& work) {
  std::atomic<bool> cancel{false};
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  Status result;
  std::thread worker([&] {
    Status s;
    try {
      s = work(&cancel);
    } catch (const std::exception& e) {
      s = Status::Internal(e.what());
    }
    std::lock_guard<std::mutex> lock(mu);
    result = std::move(s);
    done = true;
    cv.notify_all();
  });
  bool interrupted = false;
  for (;;) {
    {
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> lock(mu);
      cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return done; });
      if (done) break;
    }
    // Once interrupted, the pending KeyboardInterrupt stays set while the
    // work winds down (a second Ctrl-C must not replace it).
    if (!interrupted && PyErr_CheckSignals() != 0) {
      interrupted = true;
      cancel.store(true);
    }
  }
  worker.join();
  if (interrupted) throw py::error_already_set();
  return result;
}

// Forwards progress lines to a Python callable from the worker thread,
// taking the GIL for each call. The library's sink must not throw: an
// exception in the callable is reported as unraisable (printed) and the
// callable is not called again; the work goes on. Captured by reference, so
// the library's copies of the std::function never touch Python reference
// counts off the GIL.
struct PythonSink {
  py::object fn;
  bool failed = false;

  ProgressSink Bind() {
    if (fn.is_none()) return nullptr;
    return [this](std::string_view line) {
      py::gil_scoped_acquire gil;
      if (failed) return;
      try {
        fn(py::str(line.data(), line.size()));
      } catch (py::error_already_set& e) {
        failed = true;
        e.discard_as_unraisable("echotrace progress callback");
      }
    };
  }
};

// An open store. Not safe for concurrent use from several Python threads
// (as Store itself); the Python wrapper documents it.
class PyStore {
 public:
  PyStore(const std::string& path, bool readonly)
      : store_(Unwrap(Store::Open(path, readonly ? OpenMode::kReadOnly : OpenMode::kReadWrite))),
        readonly_(readonly) {}

  void Close() { store_.reset(); }
  bool closed() const { return store_ == nullptr; }
  bool readonly() const { return readonly_; }
  std::string path() const { return Get()->path(); }

  // The summary as the CLI's --json prints it.
  std::string Ingest(const std::vector<std::string>& paths, IngestOptions options,
                     py::object progress) {
    Store* store = Get();
    PythonSink sink{std::move(progress)};
    options.on_progress = sink.Bind();
    IngestSummary summary;
    Status s = RunInterruptible([&](const std::atomic<bool>* cancel) {
      options.cancel = cancel;
      return echotrace::Ingest(store, paths, options, &summary);
    });
    Check(s);
    return summary.ToJson();
  }

  std::string Analyze(AnalyzeOptions options, py::object progress) {
    Store* store = Get();
    PythonSink sink{std::move(progress)};
    options.on_progress = sink.Bind();
    AnalyzeSummary summary;
    Status s = RunInterruptible([&](const std::atomic<bool>* cancel) {
      options.cancel = cancel;
      return echotrace::Analyze(store, options, &summary);
    });
    Check(s);
    return summary.ToJson();
  }

  // [(name, type, values, valid)], type "int" | "text" | "time"; values a
  // list (ints or strs); valid a bytes object for "time" (1 = known).
  py::tuple ReadResult(const std::string& what) {
    Store* store = Get();
    ResultColumns cols;
    {
      py::gil_scoped_release release;
      cols = Unwrap(echotrace::ReadResult(store, what));
    }
    py::list columns;
    for (ResultColumns::Column& c : cols.columns) {
      using T = ResultColumns::Type;
      const char* type = c.type == T::kInt ? "int" : c.type == T::kText ? "text" : "time";
      py::object values;
      if (c.type == T::kText) {
        values = py::cast(c.texts);
      } else {
        // Raw little-endian int64 bytes: numpy.frombuffer reads them without
        // a Python object per row.
        values = py::bytes(reinterpret_cast<const char*>(c.ints.data()),
                           c.ints.size() * sizeof(int64_t));
      }
      py::bytes valid(reinterpret_cast<const char*>(c.valid.data()), c.valid.size());
      columns.append(py::make_tuple(c.name, type, values, valid));
    }
    return py::make_tuple(cols.run_id, columns);
  }

  // The counts of `echotrace stats`; times as unix seconds or None.
  py::dict Stats() {
    Store* store = Get();
    CorpusStats st;
    {
      py::gil_scoped_release release;
      st = Unwrap(store->Stats());
    }
    auto counts = [](const std::vector<CountRow>& rows) {
      py::dict d;
      for (const CountRow& r : rows) d[py::str(r.key)] = r.count;
      return d;
    };
    auto time = [](const std::optional<int64_t>& t) -> py::object {
      return t ? py::object(py::int_(*t)) : py::object(py::none());
    };
    py::dict d;
    d["documents"] = st.documents;
    d["authors"] = st.authors;
    d["sources"] = st.sources;
    d["rejects"] = st.rejects;
    d["entities"] = st.entities;
    d["undated"] = st.undated;
    d["first_time"] = time(st.first_time);
    d["last_time"] = time(st.last_time);
    d["by_source"] = counts(st.by_source);
    d["by_lang"] = counts(st.by_lang);
    d["top_authors"] = counts(st.top_authors);
    return d;
  }

  // The hits as `trace --format jsonl` gives them, and the figures of the
  // run: (jsonl, passage_tokens, candidates, matching, truncated, note).
  py::tuple Trace(const std::string& passage, int limit, double min_coverage) {
    Store* store = Get();
    TraceOptions o;
    o.limit = limit;
    o.min_coverage = min_coverage;
    TraceResult r;
    {
      py::gil_scoped_release release;
      r = Unwrap(TracePassage(store, passage, o));
    }
    return py::make_tuple(TraceResultToJsonl(r), r.passage_tokens, r.candidates, r.matching,
                          r.truncated, TraceOriginNote(r));
  }

  // The hits as the CLI's `search --format jsonl` gives them, one JSON
  // object a line, and the total number of matching documents.
  std::pair<std::string, uint64_t> Search(const std::string& query, int limit,
                                          const claims::SearchFilters& filters) {
    Store* store = Get();
    claims::ClaimSearchOptions o;
    o.k = limit;
    o.recall = std::max(100, limit);
    o.filters = filters;
    uint64_t total = 0;
    std::vector<claims::ClaimSearchHit> hits;
    {
      py::gil_scoped_release release;
      hits = Unwrap(claims::SearchClaims(store, query, o, &total));
    }
    return {claims::ClaimSearchToJsonl(hits, /*explain=*/false), total};
  }

 private:
  Store* Get() const {
    if (store_ == nullptr) throw StatusError(Status::InvalidArgument("the store is closed"));
    return store_.get();
  }

  std::unique_ptr<Store> store_;
  bool readonly_;
};

// `echotrace compare` on pairs in memory: a model fitted on every text of
// the pairs (both sides), then each pair compared, as ComparePairs does for
// the CLI. `vectors`: "" = find the word vectors as the CLI does, "-" = none
// (lexical signals only), else a path. One dict of signals per pair.
py::list Compare(const std::vector<std::string>& a, const std::vector<std::string>& b,
                 const std::string& vectors) {
  if (a.size() != b.size()) {
    throw StatusError(Status::InvalidArgument("compare: " + std::to_string(a.size()) +
                                              " first texts but " + std::to_string(b.size()) +
                                              " second texts"));
  }
  std::vector<SimilaritySignals> out;
  {
    py::gil_scoped_release release;
    SimilarityOptions options;
    if (vectors != "-") options.word_vectors = Unwrap(LoadWordVectors(vectors));
    std::vector<SimilarityInput> texts;
    texts.reserve(a.size() * 2);
    for (size_t i = 0; i < a.size(); ++i) {
      texts.push_back({a[i], "", {}});
      texts.push_back({b[i], "", {}});
    }
    std::vector<Representation> reps;
    auto model = Unwrap(SimilarityModel::FitAndRepresent(texts, options, &reps));
    out.reserve(a.size());
    for (size_t i = 0; i < a.size(); ++i)
      out.push_back(model->Compare(reps[2 * i], reps[2 * i + 1]));
  }
  py::list rows;
  for (const SimilaritySignals& s : out) {
    py::dict d;
    d["probability"] = s.probability;
    d["score"] = s.score;
    d["words"] = s.words;
    d["chars"] = s.chars;
    d["lsa"] = s.lsa;
    d["names"] = s.names;
    d["numbers"] = s.numbers;
    d["tag_or_link"] = s.tag_or_link;
    d["length_ratio"] = s.length_ratio;
    d["sif"] = s.has_vectors ? py::object(py::float_(s.sif)) : py::object(py::none());
    d["usif"] = s.has_vectors ? py::object(py::float_(s.usif)) : py::object(py::none());
    d["align"] = s.has_vectors ? py::object(py::float_(s.align)) : py::object(py::none());
    d["shared_terms"] = s.shared_terms;
    d["shared_entities"] = s.shared_entities;
    rows.append(std::move(d));
  }
  return rows;
}

}  // namespace
}  // namespace echotrace::python

PYBIND11_MODULE(_echotrace, m) {
  using namespace echotrace;
  using namespace echotrace::python;
  m.doc() = "echotrace C++ core (use the echotrace package, not this module)";
  m.attr("version") = ECHOTRACE_VERSION;

  // Exceptions: echotrace.Error and one subclass per StatusCode, each also
  // a subclass of the Python built-in a caller would expect to catch.
  py::object error = py::reinterpret_steal<py::object>(
      PyErr_NewException("echotrace.Error", PyExc_Exception, nullptr));
  m.attr("Error") = error;
  auto add = [&](StatusCode code, const char* name, PyObject* builtin) {
    py::object bases =
        builtin != nullptr ? py::object(py::make_tuple(error, py::handle(builtin))) : error;
    std::string qualified = std::string("echotrace.") + name;
    PyObject* cls = PyErr_NewException(qualified.c_str(), bases.ptr(), nullptr);
    m.attr(name) = py::reinterpret_borrow<py::object>(cls);
    g_errors[static_cast<int>(code)] = cls;  // the module keeps it alive
  };
  add(StatusCode::kInvalidArgument, "InvalidArgument", PyExc_ValueError);
  add(StatusCode::kBadInput, "BadInput", PyExc_ValueError);
  add(StatusCode::kNotFound, "NotFound", PyExc_LookupError);
  add(StatusCode::kIOError, "IOError", PyExc_OSError);
  add(StatusCode::kCorruption, "Corruption", nullptr);
  add(StatusCode::kCancelled, "Cancelled", nullptr);
  add(StatusCode::kInternal, "InternalError", nullptr);
  g_errors[static_cast<int>(StatusCode::kOk)] = error.ptr();
  // pybind11's translator type takes the exception_ptr by value.
  py::register_exception_translator(
      [](std::exception_ptr p) {  // NOLINT(performance-unnecessary-value-param)
        try {
          if (p) std::rethrow_exception(p);
        } catch (const StatusError& e) {
          PyErr_SetString(g_errors[static_cast<int>(e.status().code())],
                          e.status().message().c_str());
        }
      });

  py::class_<IngestOptions>(m, "IngestOptions")
      .def(py::init<>())
      .def_readwrite("format", &IngestOptions::format)
      .def_readwrite("map", &IngestOptions::map)
      .def_readwrite("columns", &IngestOptions::columns)
      .def_readwrite("source", &IngestOptions::source)
      .def_readwrite("time", &IngestOptions::time)
      .def_readwrite("strict", &IngestOptions::strict)
      .def_readwrite("check_only", &IngestOptions::check_only)
      .def_readwrite("threads", &IngestOptions::threads)
      .def_readwrite("batch_records", &IngestOptions::batch_records)
      .def_readwrite("progress", &IngestOptions::progress);

  py::class_<NearDupParams>(m, "NearDupParams")
      .def(py::init<>())
      .def_readwrite("threshold", &NearDupParams::threshold)
      .def_readwrite("max_bucket", &NearDupParams::max_bucket)
      .def_readwrite("full", &NearDupParams::full);
  py::class_<ReuseParams>(m, "ReuseParams")
      .def(py::init<>())
      .def_readwrite("full", &ReuseParams::full)
      .def_readwrite("min_tokens", &ReuseParams::min_tokens)
      .def_readwrite("ngram", &ReuseParams::ngram)
      .def_readwrite("max_df", &ReuseParams::max_df)
      .def_readwrite("min_anchors", &ReuseParams::min_anchors)
      .def_readwrite("sources_a", &ReuseParams::sources_a)
      .def_readwrite("sources_b", &ReuseParams::sources_b);
  py::class_<CoordParams>(m, "CoordParams")
      .def(py::init<>())
      .def_readwrite("windows", &CoordParams::windows)
      .def_readwrite("min_weight", &CoordParams::min_weight)
      .def_readwrite("behaviours", &CoordParams::behaviours)
      .def_readwrite("burst_cap", &CoordParams::burst_cap)
      .def_readwrite("evidence_per_edge", &CoordParams::evidence_per_edge)
      .def_readwrite("resolution", &CoordParams::resolution)
      .def_readwrite("seed", &CoordParams::seed)
      .def_readwrite("passage_containment", &CoordParams::passage_containment)
      .def_readwrite("top_keys", &CoordParams::top_keys);
  py::class_<NarrativesParams>(m, "NarrativesParams")
      .def(py::init<>())
      .def_readwrite("neighbours", &NarrativesParams::neighbours)
      .def_readwrite("threshold", &NarrativesParams::threshold)
      .def_readwrite("max_edges", &NarrativesParams::max_edges)
      .def_readwrite("keep_above", &NarrativesParams::keep_above)
      .def_readwrite("method", &NarrativesParams::method)
      .def_readwrite("resolution", &NarrativesParams::resolution)
      .def_readwrite("min_size", &NarrativesParams::min_size)
      .def_readwrite("seed", &NarrativesParams::seed)
      .def_readwrite("max_unit_bytes", &NarrativesParams::max_unit_bytes)
      .def_readwrite("collapse_copies", &NarrativesParams::collapse_copies);
  py::class_<AnalyzeOptions>(m, "AnalyzeOptions")
      .def(py::init<>())
      .def_readwrite("only", &AnalyzeOptions::only)
      .def_readwrite("neardup", &AnalyzeOptions::neardup)
      .def_readwrite("reuse", &AnalyzeOptions::reuse)
      .def_readwrite("coordination", &AnalyzeOptions::coordination)
      .def_readwrite("narratives", &AnalyzeOptions::narratives)
      .def_readwrite("threads", &AnalyzeOptions::threads)
      .def_readwrite("scratch_dir", &AnalyzeOptions::scratch_dir)
      .def_readwrite("progress", &AnalyzeOptions::progress);

  py::class_<claims::SearchFilters>(m, "SearchFilters")
      .def(py::init<>())
      .def_readwrite("time_from", &claims::SearchFilters::from)
      .def_readwrite("time_to", &claims::SearchFilters::to)
      .def_readwrite("author", &claims::SearchFilters::author)
      .def_readwrite("source", &claims::SearchFilters::source)
      .def_readwrite("lang", &claims::SearchFilters::lang);

  m.def("available_detectors", &AvailableDetectors);
  m.def("result_names", &ResultNames);
  m.def("compare", &Compare, py::arg("a"), py::arg("b"), py::arg("vectors"));

  py::class_<PyStore>(m, "Store")
      .def(py::init<const std::string&, bool>(), py::arg("path"), py::arg("readonly"))
      .def("close", &PyStore::Close)
      .def_property_readonly("closed", &PyStore::closed)
      .def_property_readonly("readonly", &PyStore::readonly)
      .def_property_readonly("path", &PyStore::path)
      .def("ingest", &PyStore::Ingest, py::arg("paths"), py::arg("options"),
           py::arg("progress") = py::none())
      .def("analyze", &PyStore::Analyze, py::arg("options"), py::arg("progress") = py::none())
      .def("read_result", &PyStore::ReadResult)
      .def("stats", &PyStore::Stats)
      .def("search", &PyStore::Search)
      .def("trace", &PyStore::Trace);
}

// Reading the store into the shapes of docs/api.md, one JSON value at a
// time: shared by the report (which assembles a whole Bundle) and by the
// server (which answers one shape per request). Every result comes from the
// latest run with status 'ok' of its kind (docs/schema.md, "Analysis
// results"), read through its detector's reader (reuse/results.h,
// neardup/results.h, coord/results.h): one view per detector,
// bundle_reuse.cc, bundle_neardup.cc and bundle_coord.cc; this file's
// bundle.cc has the documents, the overview and search.
//
// Not thread-safe: one BundleSource per connection and thread.
#ifndef ECHOTRACE_WEB_BUNDLE_H_
#define ECHOTRACE_WEB_BUNDLE_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "coord/results.h"
#include "echotrace/status.h"
#include "echotrace/store.h"
#include "echotrace/web.h"
#include "neardup/results.h"
#include "reuse/alignment.h"
#include "reuse/results.h"
#include "store/sqlite_util.h"
#include "util/json.h"

namespace echotrace::web {

// One piece of an occurrence aligned to the origin passage (docs/api.md,
// `Segment`), and the alignment itself: the reuse detector's one renderer
// (reuse/alignment.h), which `show reuse` uses too.
using Segment = reuse::AlignedSegment;
using reuse::AlignToOrigin;

// Meta (docs/api.md): `mode` is "report" or "live"; `store_path`'s file
// name (no folder) is what the page shows.
void WriteMeta(std::string_view mode, const std::string& store_path, int64_t generated_at,
               const ReportLimits& limits, JsonWriter* w);

enum class ReuseSort { kDocuments, kSources, kFirstTime };

// Per-detail caps (a value of 0 for text_cut keeps whole texts).
struct DetailLimits {
  int occurrences = 100;
  int members = 100;
  int evidence = 20;
  int group_members = 1000;
  int group_edges = 1000;
  size_t text_cut = 0;
};

class BundleSource {
 public:
  // `store` is not owned and must outlive this object.
  explicit BundleSource(Store* store);

  // Reads the latest ok run of each result kind. Call before anything else
  // (and again to see newer runs).
  Status Init();

  // Work past the deadline stops with Cancelled (checked between rows and
  // inside SQLite through its progress handler). nullopt: no deadline.
  void SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline);
  void SetCancel(const std::atomic<bool>* cancel) { cancel_ = cancel; }
  bool Expired() const;
  ~BundleSource();
  BundleSource(const BundleSource&) = delete;
  BundleSource& operator=(const BundleSource&) = delete;

  std::optional<int64_t> reuse_run() const {
    return reuse_ ? std::optional<int64_t>(reuse_->run_id()) : std::nullopt;
  }
  std::optional<int64_t> neardup_run() const {
    return neardup_ ? std::optional<int64_t>(neardup_->run_id()) : std::nullopt;
  }
  std::optional<int64_t> coord_run() const {
    return coord_ ? std::optional<int64_t>(coord_->run_id()) : std::nullopt;
  }
  // The id of the newest run of any kind (changes when the store changes).
  Result<int64_t> LatestRunId();

  // Each Write* appends one JSON value of the named shape to *w. A result
  // kind that was never analysed is NotFound ("not analysed: run ..."), as
  // is an id not in the result. Document ids that a detail shows are added
  // to *docs when it is not null.
  Status WriteOverview(JsonWriter* w);
  Status WriteReuseList(ReuseSort sort, int64_t offset, int64_t limit, JsonWriter* w,
                        std::vector<int64_t>* ids);
  Status WriteReuseDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                          std::vector<int64_t>* docs);
  Status WriteNeardupList(int64_t offset, int64_t limit, JsonWriter* w, std::vector<int64_t>* ids);
  Status WriteNeardupDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                            std::vector<int64_t>* docs);
  // Top `edge_limit` edges by weight, the nodes they touch, the largest
  // `group_limit` groups.
  Status WriteCoordination(int64_t edge_limit, int64_t group_limit, JsonWriter* w,
                           std::vector<int64_t>* edge_ids, std::vector<int64_t>* group_ids);
  Status WriteGroupDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                          std::vector<int64_t>* docs);
  Status WriteEdgeDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                         std::vector<int64_t>* docs);
  // NotFound for an unknown id.
  Status WriteDoc(int64_t id, size_t text_cut, JsonWriter* w);
  // BM25 search (Store::Search); InvalidArgument for a query without words.
  Status WriteSearch(std::string_view q, int k, size_t text_cut, JsonWriter* w);

 private:
  // Cancelled when past the deadline or cancelled; OK otherwise.
  Status CheckTime() const;
  // A reader's failure as it is, or as CheckTime's Cancelled when the
  // deadline or a cancel interrupted it.
  Status Timed(Status s) const;
  template <typename T>
  Result<T> Timed(Result<T> r) const {
    if (r.ok()) return r;
    return Timed(r.status());
  }
  // A reuse cluster's fields (ReuseClusterRow) into the open object;
  // NotFound for an unknown id.
  Result<ReuseClusterSummary> WriteReuseFields(int64_t cluster_id, JsonWriter* w);
  Status WriteNeardupFields(int64_t cluster_id, int64_t size, JsonWriter* w);
  Status WriteGroupFields(int64_t group_id, JsonWriter* w, std::vector<int64_t>* docs);
  // An edge's fields and its windows into the open object.
  Status WriteEdgeFields(const coord::EdgeRecord& e, JsonWriter* w);
  Result<std::string> ItemLabel(std::string_view behaviour, int64_t key, int64_t example_doc);
  // The excerpt of a document's text [start, end), cut at `max` bytes.
  Result<std::string> Excerpt(int64_t doc, int64_t start, int64_t end, size_t max);
  // The SQLite error of a step that did not end with SQLITE_DONE.
  Status StepError(int rc, std::string_view doing) const;

  Store* store_;
  sqlite3* db_;
  // The latest result of each detector; none when it was never analysed.
  std::optional<ReuseResultReader> reuse_;
  std::optional<NearDupResultReader> neardup_;
  std::optional<coord::CoordResultReader> coord_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  const std::atomic<bool>* cancel_ = nullptr;
  store_internal::Stmt doc_stmt_;
};

}  // namespace echotrace::web

#endif  // ECHOTRACE_WEB_BUNDLE_H_

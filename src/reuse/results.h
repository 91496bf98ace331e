// The read side of the passage-reuse detector: what the export, the demo
// scorecard and the views read of its result (tables reuse_*,
// docs/schema.md), so that no code outside src/reuse writes SQL against
// them. The result is that of the latest ok full run (kind `reuse`):
// incremental runs write their rows under its id (stage.h). How an
// occurrence differs from its origin is rendered by alignment.h.
#ifndef ECHOTRACE_REUSE_RESULTS_H_
#define ECHOTRACE_REUSE_RESULTS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyze/detector.h"
#include "echotrace/status.h"
#include "echotrace/store.h"
#include "store/sqlite_util.h"

namespace echotrace {

// The export tables: "reuse" (one row per occurrence) and "reuse-clusters".
const std::vector<ResultTable>& ReuseResultTables();

// One occurrence of a reused passage: the document's ext_id, the cluster,
// byte offsets into the stored text.
struct ReuseOccurrenceRow {
  std::string ext_id;
  int64_t cluster_id = 0;
  uint32_t start = 0;
  uint32_t end = 0;
};

// Every occurrence of the latest result, in storage order. NotFound when
// the store has no reuse result.
Result<std::vector<ReuseOccurrenceRow>> ReadReuseOccurrences(Store* store);

// Calls fn(doc_id, cluster_id) for every occurrence of the latest result
// that covers at least `containment` of its document's text (bytes), by
// document and cluster id; a passage twice in one document gives two
// calls. False, without calls, when the store has no reuse table (and true
// with no calls when it has no ok reuse run).
Result<bool> ForEachContainedPassage(
    Store* store, double containment,
    const std::function<void(int64_t doc_id, int64_t cluster)>& fn);

// The run whose rows are the latest reuse result; nullopt when the store
// has none (no ok run, or no result tables).
Result<std::optional<int64_t>> LatestReuseRun(Store* store);

// A reuse cluster's figures (table reuse_clusters) with its origin
// occurrence: the origin document and its time, and the origin passage's
// byte range [origin_start, origin_end) in that document's text.
struct ReuseClusterSummary {
  int64_t cluster_id = 0;
  int64_t origin_doc = 0;
  std::optional<int64_t> origin_time;  // null when undated
  int64_t occurrences = 0;
  int64_t documents = 0;
  int64_t sources = 0;
  int64_t authors = 0;
  std::optional<int64_t> first_time;
  std::optional<int64_t> last_time;
  int64_t origin_start = 0;
  int64_t origin_end = 0;  // origin_start when the origin occurrence is missing
};

// The orders a list of clusters can take; each ends with the cluster id.
enum class ReuseClusterOrder {
  kDocuments,  // most documents first
  kSources,    // most sources first, then most documents
  kFirstTime,  // earliest first seen first, undated last
};

// One occurrence with what a view shows of its document: the passage's
// bytes of the stored text, and the document's time, source and author
// (nullopt where the store holds NULL).
struct ReuseOccurrenceView {
  int64_t doc_id = 0;
  int64_t start = 0;
  int64_t end = 0;
  std::optional<int64_t> time;
  std::optional<std::string> source;
  std::optional<std::string> author;
  std::string text;
  std::string ext_id;
};

// The occurrences of one cluster per day (unix days, floor division) and
// source; undated documents are left out.
struct ReuseSpreadRow {
  int64_t day = 0;
  std::optional<std::string> source;
  int64_t occurrences = 0;
};

// Reads one reuse result (run `run_id`, e.g. LatestReuseRun's) for the
// views: `show reuse`, the report and the server. SQLite errors come back
// as they are (an interrupt as Cancelled). Use it on the thread of `store`,
// within its life.
class ReuseResultReader {
 public:
  ReuseResultReader(Store* store, int64_t run_id) : store_(store), run_id_(run_id) {}
  int64_t run_id() const { return run_id_; }

  // nullopt when the result has no such cluster.
  Result<std::optional<ReuseClusterSummary>> Cluster(int64_t cluster_id);
  // Cluster ids in `order`, `limit` of them from `offset`.
  Result<std::vector<int64_t>> ListClusters(ReuseClusterOrder order, int64_t offset, int64_t limit);
  Result<int64_t> CountClusters();
  // At most `limit` occurrences of cluster `c`: its origin occurrence first,
  // then by document time (undated last), document id and start.
  Result<std::vector<ReuseOccurrenceView>> Occurrences(const ReuseClusterSummary& c, int64_t limit);
  Result<int64_t> CountOccurrences(int64_t cluster_id);
  // By day, then source.
  Result<std::vector<ReuseSpreadRow>> Spread(int64_t cluster_id);

 private:
  Store* store_;
  int64_t run_id_;
  store_internal::Stmt cluster_;
};

// A cluster's origin is its earliest dated occurrence (corpus_reuse.h), which
// is provably first only when every document of the cluster has a date: an
// undated one may be older (issue 17 item 4). These name the documents of
// cluster `cluster_id` of run `run_id` without a time; 0 means the origin is
// certain.
Result<uint64_t> CountUndatedReuseDocuments(Store* store, int64_t run_id, int64_t cluster_id);

// The wording every view uses where it would otherwise name an origin that
// is uncertain: "origin uncertain: 2 undated documents" (the web UI repeats
// it, web/src/views.ts). Empty when `undated` is 0.
std::string OriginUncertainNote(uint64_t undated);

// The SQL expression, over a reuse_clusters row aliased `c`, counting its
// undated documents (for the export and the web bundle, which select it
// beside the cluster's other columns).
extern const char kUndatedReuseDocumentsSql[];

}  // namespace echotrace

#endif  // ECHOTRACE_REUSE_RESULTS_H_

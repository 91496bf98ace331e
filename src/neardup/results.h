// The read side of the near-duplicate detector: what the export, the demo
// scorecard, the report and the server read of its result (tables neardup_*, docs/schema.md),
// so that no code outside src/neardup writes SQL against them.
#ifndef ECHOTRACE_NEARDUP_RESULTS_H_
#define ECHOTRACE_NEARDUP_RESULTS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "analyze/detector.h"
#include "echotrace/status.h"
#include "echotrace/store.h"
#include "store/sqlite_util.h"

namespace echotrace {

// The export tables: "neardup" (cluster_id, doc_id).
const std::vector<ResultTable>& NearDupResultTables();

// The latest near-duplicate result: its run, the threshold it ran at and
// how many clusters it has. NotFound when the store has none.
struct NearDupResultInfo {
  int64_t run_id = 0;
  double threshold = 0;
  uint64_t clusters = 0;
};
Result<NearDupResultInfo> ReadNearDupInfo(Store* store);

// Every clustered document of one result as (docs.id, cluster id = docs.id
// of the cluster's earliest-ingested member), by docs.id.
Result<std::vector<std::pair<int64_t, int64_t>>> ReadNearDupMembers(Store* store, int64_t run_id);

// Looks up the cluster of documents by ext_id in one result. Holds a
// prepared statement: use it on the thread of `store`, within its life.
class NearDupClusterLookup {
 public:
  NearDupClusterLookup(Store* store, int64_t run_id) : store_(store), run_id_(run_id) {}
  // The cluster id of the document, nullopt when it is in no cluster (or
  // there is no such document).
  Result<std::optional<int64_t>> ClusterOf(std::string_view ext_id);

 private:
  Store* store_;
  int64_t run_id_;
  store_internal::Stmt st_;
};

// Calls fn(doc_id, cluster_id) for every stored cluster member, by run and
// document id (what the coordination detector acts on as co-similar).
// False, without calls, when the store has no near-duplicate table.
Result<bool> ForEachNearDupMember(Store* store,
                                  const std::function<void(int64_t doc_id, int64_t cluster)>& fn);

// The run whose rows are the latest near-duplicate result; nullopt when the
// store has none (no ok run, or no result table).
Result<std::optional<int64_t>> LatestNearDupRun(Store* store);

// A cluster and its number of documents.
struct NearDupClusterSize {
  int64_t cluster_id = 0;  // the docs.id of its earliest-ingested member
  int64_t size = 0;
};

// Reads one near-duplicate result (run `run_id`, e.g. LatestNearDupRun's)
// for the views. Use it on the thread of `store`, within its life.
class NearDupResultReader {
 public:
  NearDupResultReader(Store* store, int64_t run_id) : store_(store), run_id_(run_id) {}
  int64_t run_id() const { return run_id_; }

  // `limit` clusters from `offset`, largest first, then by id.
  Result<std::vector<NearDupClusterSize>> ListClusters(int64_t offset, int64_t limit);
  Result<int64_t> CountClusters();
  // 0 when the result has no such cluster.
  Result<int64_t> ClusterSize(int64_t cluster_id);
  // The earliest and latest time of the cluster's dated documents (nullopt
  // when none is dated or there is no such cluster).
  Result<std::pair<std::optional<int64_t>, std::optional<int64_t>>> TimeSpan(int64_t cluster_id);
  // At most `limit` member document ids, by time (undated last), then id.
  Result<std::vector<int64_t>> Members(int64_t cluster_id, int64_t limit);

 private:
  Store* store_;
  int64_t run_id_;
};

}  // namespace echotrace

#endif  // ECHOTRACE_NEARDUP_RESULTS_H_

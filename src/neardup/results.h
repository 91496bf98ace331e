// The read side of the near-duplicate detector: what the export and the
// demo scorecard read of its result (tables neardup_*, docs/schema.md),
// so that no code outside src/neardup writes SQL against them.
#ifndef ECHOTRACE_NEARDUP_RESULTS_H_
#define ECHOTRACE_NEARDUP_RESULTS_H_

#include <cstdint>
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

}  // namespace echotrace

#endif  // ECHOTRACE_NEARDUP_RESULTS_H_

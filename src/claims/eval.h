// TREC runs and qrels, and the ranking metrics of CLEF CheckThat! 2A.
//
// Run lines: "qid Q0 doc_id rank score tag" (white-space separated).
// Qrels lines: "qid 0 doc_id relevance" (relevance > 0 is relevant).
// Metrics, per query, over the ranking by the run's rank column (score
// descending breaks ties, then doc id), cut at depth k, then averaged over
// the queries of the qrels that have at least one relevant document
// (a query the run misses scores 0):
//   AP@k     = Σ_{i ≤ k, d_i relevant} P@i / |relevant|   (the CheckThat!
//              scorer's definition: the denominator is every relevant claim)
//   RR@k     = 1 / rank of the first relevant document within k, else 0
//   recall@k = |relevant in top k| / |relevant|
#ifndef ECHOTRACE_CLAIMS_EVAL_H_
#define ECHOTRACE_CLAIMS_EVAL_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "echotrace/status.h"

namespace echotrace::claims {

struct RunEntry {
  std::string qid;
  std::string doc;
  int rank = 0;
  double score = 0;
};

using Qrels = std::map<std::string, std::set<std::string>>;         // qid → relevant docs
using RankedRun = std::map<std::string, std::vector<std::string>>;  // qid → docs, best first

// Errors: IOError when unreadable; BadInput naming file:line for a malformed
// line (wrong field count, non-numeric rank/score/relevance).
Result<Qrels> ReadQrels(const std::string& path);
Result<RankedRun> ReadRun(const std::string& path);

// One line "qid Q0 doc rank score tag\n".
std::string FormatRunLine(const std::string& qid, const std::string& doc, int rank, double score,
                          const std::string& tag);

struct Metrics {
  size_t queries = 0;  // queries with a relevant document in the qrels
  double map1 = 0, map3 = 0, map5 = 0, mrr5 = 0;
  std::vector<int> recall_depths;  // e.g. 1, 5, 10, 20, 50, 100
  std::vector<double> recall;
};

// Average precision of one ranking at depth k (definition above).
double AveragePrecisionAt(const std::vector<std::string>& ranking,
                          const std::set<std::string>& relevant, size_t k);
Metrics Evaluate(const RankedRun& run, const Qrels& qrels,
                 const std::vector<int>& recall_depths = {1, 5, 10, 20, 50, 100});

// {"queries":..,"map@1":..,...,"recall@10":..}
std::string MetricsToJson(const Metrics& m);

}  // namespace echotrace::claims

#endif  // ECHOTRACE_CLAIMS_EVAL_H_

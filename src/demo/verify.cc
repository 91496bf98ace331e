#include "demo/verify.h"

#include <sqlite3.h>

#include <map>
#include <optional>

#include "store/sqlite_util.h"

namespace echotrace {

namespace {

class Checker {
 public:
  Checker(Store* store, DemoIngestCheck* out) : store_(store), out_(out) {}

  Status Check(const DemoSpan& span) {
    out_->spans++;
    auto it = cache_.find(span.doc);
    if (it == cache_.end()) {
      ET_ASSIGN_OR_RETURN(auto doc, store_->GetDocumentByExtId(span.doc));
      std::optional<std::string> text;
      if (doc) text = std::move(doc->text);
      it = cache_.emplace(span.doc, std::move(text)).first;
    }
    if (!it->second) {
      out_->docs_missing++;
      Note(span.doc + ": not in the store");
      return Status::OK();
    }
    const std::string& text = *it->second;
    if (span.end <= text.size() && span.start <= span.end &&
        text.compare(span.start, span.end - span.start, span.text) == 0) {
      out_->spans_at_offset++;
    } else {
      Note(span.doc + ": [" + std::to_string(span.start) + "," + std::to_string(span.end) +
           ") does not hold the planted text");
    }
    return Status::OK();
  }

 private:
  void Note(std::string s) {
    if (out_->examples.size() < 5) out_->examples.push_back(std::move(s));
  }
  Store* store_;
  DemoIngestCheck* out_;
  std::map<std::string, std::optional<std::string>> cache_;
};

}  // namespace

Result<DemoIngestCheck> CheckIngestedDemo(Store* store, const GroundTruth& truth) {
  DemoIngestCheck out;
  Checker checker(store, &out);
  for (const DemoPassage& p : truth.passages) {
    for (const DemoSpan& s : p.occurrences) ET_RETURN_IF_ERROR(checker.Check(s));
  }
  for (const DemoTalkingPoint& t : truth.talking_points) {
    for (const DemoSpan& s : t.mentions) ET_RETURN_IF_ERROR(checker.Check(s));
  }
  return out;
}

Result<DemoNearDupScore> ScoreNearDup(Store* store, const GroundTruth& truth) {
  using store_internal::SqliteStatus;
  using store_internal::Stmt;
  sqlite3* db = store->handle();
  DemoNearDupScore score;
  Stmt count;
  ET_RETURN_IF_ERROR(count.Prepare(
      db, "SELECT count(DISTINCT cluster_id) FROM neardup_members WHERE run_id = "
          "(SELECT max(id) FROM runs WHERE kind = 'neardup' AND status = 'ok')"));
  int rc = count.Step();
  if (rc != SQLITE_ROW) {
    return rc == SQLITE_ERROR ? Status::NotFound("no near-duplicate result in the store")
                              : SqliteStatus(db, rc, "counting clusters");
  }
  score.found_clusters = static_cast<uint64_t>(count.Int64(0));
  Stmt lookup;
  ET_RETURN_IF_ERROR(lookup.Prepare(
      db, "SELECT m.cluster_id FROM docs d JOIN neardup_members m ON m.doc_id = d.id "
          "WHERE d.ext_id = ?1 AND m.run_id = "
          "(SELECT max(id) FROM runs WHERE kind = 'neardup' AND status = 'ok')"));
  for (const DemoNearDupGroup& g : truth.neardup) {
    std::vector<int64_t> clusters;  // -1: the document is in no cluster
    for (const std::string& doc : g.docs) {
      lookup.BindText(1, doc);
      int step = lookup.Step();
      clusters.push_back(step == SQLITE_ROW ? lookup.Int64(0) : -1);
      lookup.Reset();
    }
    bool whole = !clusters.empty() && clusters[0] >= 0;
    for (size_t i = 0; i < clusters.size(); ++i) {
      whole = whole && clusters[i] == clusters[0];
      for (size_t j = i + 1; j < clusters.size(); ++j) {
        score.pairs++;
        if (clusters[i] >= 0 && clusters[i] == clusters[j]) score.pairs_found++;
      }
    }
    score.groups++;
    if (whole) score.groups_recovered++;
  }
  return score;
}

}  // namespace echotrace

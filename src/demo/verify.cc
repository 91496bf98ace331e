#include "demo/verify.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "coord/results.h"
#include "narratives/results.h"
#include "neardup/results.h"
#include "neardup/shingle.h"
#include "neardup/union_find.h"
#include "reuse/results.h"

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

namespace {

// A planted document as the detector compares it.
struct PlantedDoc {
  uint64_t norm_hash = 0;
  neardup::DocShingles sets;
};

// Similarity of two documents by the detector's rule (neardup/shingle.h):
// equal normalised text is 1; token sets when either is short, else
// 3-shingle sets.
double PlantedSimilarity(const PlantedDoc& a, const PlantedDoc& b) {
  if (a.norm_hash == b.norm_hash) return 1;
  const neardup::ShingleOptions o;
  if (neardup::IsShort(a.sets.num_tokens, o) || neardup::IsShort(b.sets.num_tokens, o)) {
    return neardup::Jaccard(a.sets.tokens, b.sets.tokens);
  }
  return neardup::Jaccard(a.sets.shingles, b.sets.shingles);
}

}  // namespace

Result<DemoNearDupScore> ScoreNearDup(Store* store, const GroundTruth& truth) {
  DemoNearDupScore score;
  ET_ASSIGN_OR_RETURN(const NearDupResultInfo info, ReadNearDupInfo(store));
  score.found_clusters = info.clusters;
  score.threshold = info.threshold;
  NearDupClusterLookup lookup(store, info.run_id);
  for (const DemoNearDupGroup& g : truth.neardup) {
    std::vector<int64_t> clusters;                // -1: the document is in no cluster
    std::vector<std::optional<PlantedDoc>> docs;  // shingled once each
    for (const std::string& doc : g.docs) {
      ET_ASSIGN_OR_RETURN(const std::optional<int64_t> cluster, lookup.ClusterOf(doc));
      clusters.push_back(cluster.value_or(-1));
      ET_ASSIGN_OR_RETURN(std::optional<Document> d, store->GetDocumentByExtId(doc));
      docs.emplace_back();
      if (d) {
        docs.back().emplace();
        docs.back()->norm_hash = d->norm_hash;
        neardup::ComputeShingles(d->text, neardup::ShingleOptions(), &docs.back()->sets);
      }
    }
    const uint32_t n = static_cast<uint32_t>(clusters.size());
    neardup::UnionFind close(n);
    bool whole = !clusters.empty() && clusters[0] >= 0;
    for (uint32_t i = 0; i < n; ++i) {
      whole = whole && clusters[i] == clusters[0];
      for (uint32_t j = i + 1; j < n; ++j) {
        const bool together = clusters[i] >= 0 && clusters[i] == clusters[j];
        score.pairs++;
        score.pairs_found += together;
        if (docs[i] && docs[j] && PlantedSimilarity(*docs[i], *docs[j]) >= score.threshold) {
          close.Union(i, j);
          score.close_pairs++;
          score.close_pairs_found += together;
        }
      }
    }
    score.groups++;
    score.groups_recovered += whole;
    bool connected = n > 0;
    for (uint32_t i = 1; i < n; ++i) connected = connected && close.Find(i) == close.Find(0);
    if (connected) {
      score.close_groups++;
      score.close_groups_recovered += whole;
    }
  }
  return score;
}

namespace {

struct FoundOcc {
  int64_t cluster;
  uint32_t start, end;
};

// Clusters of found occurrences in `found` covering half of `span`.
std::vector<int64_t> Covering(const std::vector<FoundOcc>& found, const DemoSpan& span) {
  std::vector<int64_t> out;
  for (const FoundOcc& f : found) {
    const uint32_t lo = std::max(f.start, span.start), hi = std::min(f.end, span.end);
    if (hi > lo && 2 * uint64_t{hi - lo} >= uint64_t{span.end - span.start}) {
      out.push_back(f.cluster);
    }
  }
  return out;
}

}  // namespace

Result<DemoReuseScore> ScoreReuse(Store* store, const GroundTruth& truth) {
  ET_ASSIGN_OR_RETURN(std::vector<ReuseOccurrenceRow> rows, ReadReuseOccurrences(store));
  std::map<std::string, std::vector<FoundOcc>> found;
  std::set<int64_t> clusters;
  for (ReuseOccurrenceRow& r : rows) {
    found[std::move(r.ext_id)].push_back({r.cluster_id, r.start, r.end});
    clusters.insert(r.cluster_id);
  }
  DemoReuseScore score;
  score.found_clusters = clusters.size();
  std::map<std::string, std::pair<uint64_t, uint64_t>> by_kind;
  for (const DemoPassage& p : truth.passages) {
    const DemoSpan* origin = &p.occurrences[0];
    for (const DemoSpan& o : p.occurrences) {
      if (o.doc == p.origin) origin = &o;
    }
    const std::vector<int64_t> at_origin = Covering(found[origin->doc], *origin);
    uint64_t got = 0;
    for (const DemoSpan& o : p.occurrences) {
      bool ok = false;
      for (int64_t c : Covering(found[o.doc], o)) {
        ok = ok || std::find(at_origin.begin(), at_origin.end(), c) != at_origin.end();
      }
      got += ok;
    }
    score.passages++;
    score.passages_recovered += got == p.occurrences.size();
    score.occurrences += p.occurrences.size();
    score.occurrences_recovered += got;
    by_kind[p.kind].first += p.occurrences.size();
    by_kind[p.kind].second += got;
  }
  score.by_kind.assign(by_kind.begin(), by_kind.end());
  return score;
}

Result<DemoCoordScore> ScoreCoordination(Store* store, const GroundTruth& truth) {
  ET_ASSIGN_OR_RETURN(std::vector<coord::GroupMember> members, coord::ReadGroupMembers(store));
  std::map<std::string, int64_t> group_of;
  std::map<int64_t, uint64_t> size_of;
  for (coord::GroupMember& m : members) {
    group_of[std::move(m.account)] = m.group_id;
    if (m.group_id >= 0) size_of[m.group_id]++;
  }
  DemoCoordScore score;
  score.found_groups = size_of.size();
  for (const DemoCoordGroup& planted : truth.coordination) {
    std::map<int64_t, uint64_t> votes;
    for (const std::string& a : planted.accounts) {
      auto it = group_of.find(a);
      if (it != group_of.end() && it->second >= 0) votes[it->second]++;
    }
    int64_t best = -1;
    uint64_t best_votes = 0;
    for (const auto& [g, v] : votes) {
      if (v > best_votes) best = g, best_votes = v;
    }
    score.groups++;
    score.accounts += planted.accounts.size();
    score.accounts_together += best_votes;
    if (best >= 0 && best_votes == planted.accounts.size() &&
        size_of[best] == planted.accounts.size()) {
      score.groups_recovered++;
    }
  }
  return score;
}

Result<DemoNarrativeScore> ScoreNarratives(Store* store, const GroundTruth& truth) {
  ET_ASSIGN_OR_RETURN(const auto units, ReadNarrativeUnits(store));
  DemoNarrativeScore score;
  score.talking_points = truth.talking_points.size();
  std::vector<std::pair<size_t, int64_t>> items;  // (planted, found; <= 0: outlier)
  for (size_t t = 0; t < truth.talking_points.size(); ++t) {
    for (const DemoSpan& m : truth.talking_points[t].mentions) {
      int64_t found = 0;
      int64_t best = 0;
      auto it = units.find(m.doc);
      if (it != units.end()) {
        for (const NarrativeUnitRow& u : it->second) {
          const int64_t overlap =
              std::min<int64_t>(u.end, m.end) - std::max<int64_t>(u.start, m.start);
          if (overlap > best) best = overlap, found = u.narrative_id;
        }
      }
      items.emplace_back(t, found);
    }
  }
  std::map<int64_t, uint64_t> by_found;
  std::map<std::pair<size_t, int64_t>, uint64_t> by_both;
  std::map<size_t, uint64_t> by_planted;
  for (const auto& [t, f] : items) {
    by_planted[t]++;
    if (f > 0) by_found[f]++, by_both[{t, f}]++;
  }
  for (const auto& [t, f] : items) {
    const double both = f > 0 ? static_cast<double>(by_both[{t, f}]) : 1.0;
    score.precision += both / (f > 0 ? static_cast<double>(by_found[f]) : 1.0);
    score.recall += both / static_cast<double>(by_planted[t]);
    score.outliers += f <= 0;
  }
  score.mentions = items.size();
  score.found = by_found.size();
  if (!items.empty()) {
    score.precision /= static_cast<double>(items.size());
    score.recall /= static_cast<double>(items.size());
  }
  const double pr = score.precision + score.recall;
  score.f1 = pr > 0 ? 2 * score.precision * score.recall / pr : 0;
  return score;
}

}  // namespace echotrace

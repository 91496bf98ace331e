// Talking-point stage (stage.h): always a full run.
//
// Units: every document that is not a near-duplicate copy of an earlier one
// is split (narratives::SplitUnits); a copy (a member of a neardup cluster
// other than the cluster's first document) adds its weight to the units of
// the cluster's first document and gets rows of its own in narrative_units
// with via_doc_id naming that document, whose text the offsets refer to.
// Talking-point ids are 1, 2, ... by decreasing weight (ties: the earliest
// unit), so the largest is talking point 1.
#include "narratives/stage.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "narratives/narratives.h"
#include "neardup/results.h"
#include "store/sqlite_util.h"
#include "store/store_internal.h"
#include "store/transaction.h"
#include "util/json.h"

namespace echotrace {

namespace {

using store_internal::Exec;
using store_internal::SqliteStatus;
using store_internal::Stmt;
using store_internal::Transaction;

constexpr const char kCreateTables[] =
    "CREATE TABLE IF NOT EXISTS narratives("
    "  run_id INTEGER NOT NULL, narrative_id INTEGER NOT NULL,"
    "  label TEXT NOT NULL, keywords TEXT NOT NULL,"
    "  label_doc_id INTEGER NOT NULL, label_start INTEGER NOT NULL, label_end INTEGER NOT NULL,"
    "  units INTEGER NOT NULL, docs INTEGER NOT NULL, authors INTEGER NOT NULL,"
    "  sources INTEGER NOT NULL, first_time INTEGER, last_time INTEGER,"
    "  first_doc_id INTEGER NOT NULL, PRIMARY KEY (run_id, narrative_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS narrative_units("
    "  run_id INTEGER NOT NULL, doc_id INTEGER NOT NULL, start INTEGER NOT NULL,"
    "  end INTEGER NOT NULL, narrative_id INTEGER, score REAL NOT NULL,"
    "  via_doc_id INTEGER NOT NULL, PRIMARY KEY (run_id, doc_id, start)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS narrative_units_narrative ON "
    "narrative_units(run_id, narrative_id);";

struct Doc {
  int64_t id = 0;
  std::string author, source;
  std::optional<int64_t> time;
  std::string text;
  int64_t copy_of = -1;  // index of the document it is a near-duplicate copy of
};

Status LoadDocs(Store* store, bool collapse, std::vector<Doc>* docs, uint64_t* copies) {
  sqlite3* db = store_internal::Handle(store);
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db,
                 "SELECT id, coalesce(author, ''), coalesce(source, ''), time, text FROM docs "
                 "ORDER BY id"));
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    Doc d;
    d.id = st.Int64(0);
    d.author = std::string(st.TextView(1));
    d.source = std::string(st.TextView(2));
    d.time = st.OptInt64(3);
    d.text = std::string(st.TextView(4));
    docs->push_back(std::move(d));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the documents");
  *copies = 0;
  if (!collapse) return Status::OK();
  Result<NearDupResultInfo> info = ReadNearDupInfo(store);
  if (!info.ok()) {
    if (info.status().code() == StatusCode::kNotFound) return Status::OK();
    return info.status();
  }
  ET_ASSIGN_OR_RETURN(auto members, ReadNearDupMembers(store, info->run_id));
  auto index_of = [&](int64_t id) -> int64_t {
    auto it = std::lower_bound(docs->begin(), docs->end(), id,
                               [](const Doc& d, int64_t v) { return d.id < v; });
    return it != docs->end() && it->id == id ? it - docs->begin() : -1;
  };
  for (const auto& [doc, cluster] : members) {
    if (doc == cluster) continue;
    const int64_t d = index_of(doc), c = index_of(cluster);
    if (d < 0 || c < 0) continue;  // a stale result: the document stays a unit of its own
    (*docs)[static_cast<size_t>(d)].copy_of = c;
    ++*copies;
  }
  return Status::OK();
}

std::string Params(const NarrativesParams& p, bool vectors) {
  JsonWriter w;
  w.BeginObject().Key("neighbours").Uint(p.neighbours).Key("threshold").Double(p.threshold);
  w.Key("max_edges").Uint(p.max_edges).Key("keep_above").Double(p.keep_above);
  w.Key("method").String(p.method);
  w.Key("resolution").Double(p.resolution).Key("min_size").Uint(p.min_size);
  w.Key("seed").Uint(p.seed).Key("max_unit_bytes").Uint(p.max_unit_bytes);
  w.Key("collapse_copies").Bool(p.collapse_copies).Key("word_vectors").Bool(vectors);
  w.EndObject();
  return w.Take();
}

class NarrativesDetector : public Detector {
 public:
  explicit NarrativesDetector(const NarrativesParams& p) : params_(p) {}

  Result<RunPlan> Plan(const DetectorContext& ctx) override {
    opts_.k = params_.neighbours;
    opts_.threshold = params_.threshold;
    opts_.max_edges = params_.max_edges;
    opts_.keep_above = params_.keep_above;
    opts_.resolution = params_.resolution;
    opts_.min_size = params_.min_size;
    opts_.seed = params_.seed;
    opts_.threads = ctx.threads;
    if (params_.method == "leiden") {
      opts_.method = narratives::Method::kLeiden;
    } else if (params_.method == "components") {
      opts_.method = narratives::Method::kComponents;
    } else {
      return Status::InvalidArgument("--narrative-method " + params_.method +
                                     ": use leiden or components");
    }
    ET_RETURN_IF_ERROR(narratives::ValidateOptions(opts_));
    if (params_.max_unit_bytes < 1) {
      return Status::InvalidArgument("max_unit_bytes must be at least 1");
    }
    // Word vectors where the build left them; without them the lexical
    // signals alone (recorded in the params: the result differs).
    Result<std::shared_ptr<const WordVectors>> v = LoadWordVectors("");
    if (v.ok()) {
      vectors_ = *v;
    } else {
      ctx.Say("narratives: no word vectors (%s); lexical signals only",
              v.status().ToString().c_str());
    }
    RunPlan plan;
    plan.kind = kNarrativesDetector;
    plan.params = Params(params_, vectors_ != nullptr);
    plan.full_reason = "talking points are always computed in full";
    return plan;
  }

  Result<std::string> Execute(const DetectorContext& ctx, const RunPlan& /*plan*/,
                              int64_t run_id) override {
    StepTimer lap(kNarrativesDetector, ctx);
    std::vector<Doc> docs;
    uint64_t copies = 0;
    ET_RETURN_IF_ERROR(LoadDocs(ctx.store, params_.collapse_copies, &docs, &copies));
    lap.Lap("documents read");
    ET_RETURN_IF_ERROR(ctx.CheckCancelled());

    // Units of the documents that are not copies; copies add weight.
    std::vector<double> doc_weight(docs.size(), 1);
    for (const Doc& d : docs) {
      if (d.copy_of >= 0) doc_weight[static_cast<size_t>(d.copy_of)] += 1;
    }
    narratives::UnitOptions uo;
    uo.max_unit_bytes = params_.max_unit_bytes;
    std::vector<SimilarityInput> inputs;
    std::vector<double> weights;
    std::vector<std::pair<uint32_t, narratives::Span>> units;  // (doc, span)
    std::vector<std::vector<uint32_t>> units_of(docs.size());
    for (uint32_t d = 0; d < docs.size(); ++d) {
      if (docs[d].copy_of >= 0) continue;
      for (const narratives::Span& s : narratives::SplitUnits(docs[d].text, uo)) {
        units_of[d].push_back(static_cast<uint32_t>(units.size()));
        units.emplace_back(d, s);
        inputs.push_back({docs[d].text.substr(s.start, s.end - s.start), "", {}});
        weights.push_back(doc_weight[d]);
      }
    }
    ctx.Say("narratives: %zu units from %zu documents (%llu copies collapsed)", units.size(),
            docs.size(), static_cast<unsigned long long>(copies));
    ET_ASSIGN_OR_RETURN(narratives::NarrativeResult r,
                        narratives::FindNarratives(inputs, weights, vectors_, opts_));
    lap.Lap("clustered");
    ET_RETURN_IF_ERROR(ctx.CheckCancelled());

    sqlite3* db = store_internal::Handle(ctx.store);
    Transaction tx(db, "the talking points");
    ET_RETURN_IF_ERROR(tx.BeginWrite());
    ET_RETURN_IF_ERROR(Exec(db, kCreateTables, "creating the talking-point tables"));
    ET_RETURN_IF_ERROR(Exec(db, "DELETE FROM narratives; DELETE FROM narrative_units;",
                            "clearing the previous talking points"));
    // Copies per document, for their rows.
    std::vector<std::vector<uint32_t>> copies_of(docs.size());
    for (uint32_t d = 0; d < docs.size(); ++d) {
      if (docs[d].copy_of >= 0) copies_of[static_cast<size_t>(docs[d].copy_of)].push_back(d);
    }
    Stmt ins;
    ET_RETURN_IF_ERROR(ins.Prepare(
        db, "INSERT OR REPLACE INTO narrative_units VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    uint64_t unit_rows = 0;
    for (uint32_t u = 0; u < units.size(); ++u) {
      const auto& [d, span] = units[u];
      std::vector<uint32_t> rows = {d};
      rows.insert(rows.end(), copies_of[d].begin(), copies_of[d].end());
      for (uint32_t row : rows) {
        ins.BindInt64(1, run_id);
        ins.BindInt64(2, docs[row].id);
        ins.BindInt64(3, span.start);
        ins.BindInt64(4, span.end);
        if (r.narrative[u] >= 0) {
          ins.BindInt64(5, r.narrative[u] + 1);
        } else {
          ins.BindNull(5);
        }
        ins.BindDouble(6, r.score[u]);
        ins.BindInt64(7, docs[d].id);
        const int rc = ins.Step();
        ins.Reset();
        if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "storing a talking-point unit");
        ++unit_rows;
      }
    }
    Stmt nar;
    ET_RETURN_IF_ERROR(nar.Prepare(
        db,
        "INSERT INTO narratives VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
        "?14)"));
    uint64_t clustered_units = 0;
    for (size_t i = 0; i < r.narratives.size(); ++i) {
      const narratives::Narrative& nv = r.narratives[i];
      std::set<uint32_t> member_docs;
      for (uint32_t u : nv.units) {
        member_docs.insert(units[u].first);
        for (uint32_t c : copies_of[units[u].first]) member_docs.insert(c);
      }
      std::set<std::string> authors, sources;
      std::optional<int64_t> first, last;
      uint32_t first_doc = *member_docs.begin();
      for (uint32_t d : member_docs) {
        if (!docs[d].author.empty()) authors.insert(docs[d].author);
        if (!docs[d].source.empty()) sources.insert(docs[d].source);
        if (docs[d].time) {
          if (!first || *docs[d].time < *first) first = docs[d].time, first_doc = d;
          if (!last || *docs[d].time > *last) last = docs[d].time;
        }
      }
      std::string keywords;
      for (const std::string& k : nv.keywords) keywords += (keywords.empty() ? "" : ", ") + k;
      const auto& [ld, ls] = units[nv.label_unit];
      clustered_units += nv.units.size();
      nar.BindInt64(1, run_id);
      nar.BindInt64(2, static_cast<int64_t>(i + 1));
      nar.BindText(3, inputs[nv.label_unit].text);
      nar.BindText(4, keywords);
      nar.BindInt64(5, docs[ld].id);
      nar.BindInt64(6, ls.start);
      nar.BindInt64(7, ls.end);
      nar.BindInt64(8, static_cast<int64_t>(nv.weight));
      nar.BindInt64(9, static_cast<int64_t>(member_docs.size()));
      nar.BindInt64(10, static_cast<int64_t>(authors.size()));
      nar.BindInt64(11, static_cast<int64_t>(sources.size()));
      nar.BindOptInt64(12, first);
      nar.BindOptInt64(13, last);
      nar.BindInt64(14, docs[first_doc].id);
      const int rc = nar.Step();
      nar.Reset();
      if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "storing a talking point");
    }
    ET_RETURN_IF_ERROR(ctx.CheckCancelled());
    ET_RETURN_IF_ERROR(tx.Commit());
    lap.Lap("result written");

    JsonWriter w;
    w.BeginObject().Key("mode").String("full");
    w.Key("documents").Uint(docs.size()).Key("copies_collapsed").Uint(copies);
    w.Key("units").Uint(units.size()).Key("unit_rows").Uint(unit_rows);
    w.Key("narratives").Uint(r.narratives.size()).Key("clustered_units").Uint(clustered_units);
    w.Key("outlier_share").Double(r.outlier_share);
    w.Key("candidate_pairs").Uint(r.candidate_pairs).Key("edges").Uint(r.edges.size());
    w.Key("word_vectors").Bool(vectors_ != nullptr);
    w.EndObject();
    return w.Take();
  }

  std::string Headline(const std::string& figures) const override {
    const int64_t n = FlatJsonInt(figures, "narratives").value_or(0);
    const int64_t clustered = FlatJsonInt(figures, "clustered_units").value_or(0);
    const int64_t units = FlatJsonInt(figures, "units").value_or(0);
    char share[32];
    std::snprintf(share, sizeof share, "%.0f%%",
                  units > 0
                      ? 100.0 * static_cast<double>(units - clustered) / static_cast<double>(units)
                      : 0.0);
    return Thousands(n) + " talking points holding " + Thousands(clustered) + " of " +
           Thousands(units) + " units (" + share + " outliers)";
  }

 private:
  NarrativesParams params_;
  narratives::ClusterOptions opts_;
  std::shared_ptr<const WordVectors> vectors_;
};

}  // namespace

std::unique_ptr<Detector> MakeNarrativesDetector(const NarrativesParams& params) {
  return std::make_unique<NarrativesDetector>(params);
}

}  // namespace echotrace

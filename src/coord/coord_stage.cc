// Coordination stage: load actions from the store, detect per behaviour in
// parallel, Leiden on the union graph, write everything in one transaction.
// See coord_stage.h for the keys of each behaviour.
#include "coord/coord_stage.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "coord/communities.h"
#include "coord/groups.h"
#include "coord/results.h"
#include "neardup/results.h"
#include "reuse/results.h"
#include "store/sqlite_util.h"
#include "store/transaction.h"
#include "util/json.h"

namespace echotrace {

namespace {

using coord::Action;
using coord::Behaviour;
using store_internal::Exec;
using store_internal::SqliteStatus;
using store_internal::Stmt;

constexpr const char kCreateTables[] =
    "CREATE TABLE IF NOT EXISTS coord_edges("
    "  run_id INTEGER NOT NULL, edge_id INTEGER NOT NULL, account_a TEXT NOT NULL,"
    "  account_b TEXT NOT NULL, behaviour TEXT NOT NULL, weight INTEGER NOT NULL,"
    "  first_time INTEGER NOT NULL, last_time INTEGER NOT NULL, window INTEGER NOT NULL,"
    "  symmetry REAL NOT NULL, posts_a INTEGER NOT NULL, posts_b INTEGER NOT NULL,"
    "  PRIMARY KEY (run_id, edge_id)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS coord_edges_pair ON coord_edges(run_id, account_a, account_b);"
    "CREATE TABLE IF NOT EXISTS coord_edge_windows("
    "  run_id INTEGER NOT NULL, edge_id INTEGER NOT NULL, window INTEGER NOT NULL,"
    "  weight INTEGER NOT NULL, PRIMARY KEY (run_id, edge_id, window)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS coord_evidence("
    "  run_id INTEGER NOT NULL, edge_id INTEGER NOT NULL, post_a INTEGER NOT NULL,"
    "  post_b INTEGER NOT NULL, PRIMARY KEY (run_id, edge_id, post_a, post_b)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS coord_bursts("
    "  run_id INTEGER NOT NULL, behaviour TEXT NOT NULL, window INTEGER NOT NULL,"
    "  key INTEGER NOT NULL, first_time INTEGER NOT NULL, last_time INTEGER NOT NULL,"
    "  posts INTEGER NOT NULL, accounts INTEGER NOT NULL, first_doc_id INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS coord_bursts_run ON coord_bursts(run_id, behaviour);"
    "CREATE TABLE IF NOT EXISTS coord_groups("
    "  run_id INTEGER NOT NULL, account TEXT NOT NULL, group_id INTEGER NOT NULL,"
    "  PRIMARY KEY (run_id, account)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS coord_groups_group ON coord_groups(run_id, group_id);"
    "CREATE TABLE IF NOT EXISTS coord_group_summaries("
    "  run_id INTEGER NOT NULL, group_id INTEGER NOT NULL, accounts INTEGER NOT NULL,"
    "  posts INTEGER NOT NULL, first_time INTEGER, last_time INTEGER, burstiness REAL,"
    "  behaviours TEXT NOT NULL, top_items TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, group_id)) WITHOUT ROWID;";

constexpr const char kClearTables[] =
    "DELETE FROM coord_edges; DELETE FROM coord_edge_windows; DELETE FROM coord_evidence;"
    "DELETE FROM coord_bursts; DELETE FROM coord_groups; DELETE FROM coord_group_summaries;";

// The keys of co-link, co-reply and co-hashtag: the one definition is
// coord::ItemKey (results.h), which readers use to find the item again.
uint64_t Hash(std::string_view s) { return coord::ItemKey(s); }

// Lets the account map be searched with a string_view (no allocation per row).
struct ViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return static_cast<size_t>(Hash(s)); }
};

struct Loaded {
  std::vector<std::string> accounts;  // dense id -> name
  std::vector<Action> actions[coord::kNumBehaviours];
  std::vector<int64_t> times;           // of every document used, for the resolution
  uint64_t documents = 0, skipped = 0;  // skipped: no author or no time
  bool have_neardup = false;
  bool have_reuse = false;
};

// Documents: account, time; co-post, co-reply, co-repost. `doc_index`
// receives, per docs.id in order, the position in `ids`/`acct`/`times`.
Status LoadDocs(sqlite3* db, Loaded* l, std::vector<int64_t>* ids, std::vector<uint32_t>* acct) {
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db,
                 "SELECT id, author, time, norm_hash, parent,"
                 " (lower(json_extract(extra, '$.post_type')) IN ('r', 'retweet', 'repost')"
                 "  OR substr(text, 1, 4) = 'RT @') FROM docs ORDER BY id"));
  std::unordered_map<std::string, uint32_t, ViewHash, std::equal_to<>> account_id;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    ++l->documents;
    if (st.IsNull(1) || st.IsNull(2)) {
      ++l->skipped;
      continue;
    }
    const int64_t id = st.Int64(0), time = st.Int64(2);
    std::string_view author = st.TextView(1);
    auto it = account_id.find(author);
    if (it == account_id.end()) {
      it = account_id.emplace(std::string(author), static_cast<uint32_t>(l->accounts.size())).first;
      l->accounts.emplace_back(author);
    }
    const uint32_t a = it->second;
    ids->push_back(id);
    acct->push_back(a);
    l->times.push_back(time);
    const uint64_t norm = static_cast<uint64_t>(st.Int64(3));
    const bool repost = st.Int64(5) != 0;
    std::string_view parent = st.TextView(4);
    if (repost) {
      l->actions[static_cast<int>(Behaviour::kCoRepost)].push_back(
          {a, time, parent.empty() ? norm : Hash(parent), id});
    } else {
      l->actions[static_cast<int>(Behaviour::kCoPost)].push_back({a, time, norm, id});
      if (!parent.empty()) {
        l->actions[static_cast<int>(Behaviour::kCoReply)].push_back({a, time, Hash(parent), id});
      }
    }
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the documents");
  // Renumber accounts in byte order of their names, so that every edge has
  // account_a < account_b as strings and ids do not depend on ingest order.
  std::vector<uint32_t> order(l->accounts.size()), rank(l->accounts.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t x, uint32_t y) { return l->accounts[x] < l->accounts[y]; });
  std::vector<std::string> names(order.size());
  for (uint32_t r = 0; r < order.size(); ++r) {
    rank[order[r]] = r;
    names[r] = std::move(l->accounts[order[r]]);
  }
  l->accounts = std::move(names);
  for (uint32_t& a : *acct) a = rank[a];
  for (std::vector<Action>& acts : l->actions) {
    for (Action& a : acts) a.account = rank[a.account];
  }
  return Status::OK();
}

// Links and hashtag sequences from `entities`, in (doc_id, start) order.
Status LoadEntities(sqlite3* db, const std::vector<int64_t>& ids, const std::vector<uint32_t>& acct,
                    Loaded* l) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db,  // "+kind": scan in primary-key order rather than through the kind index
      // and a sort (3x faster on the IRA store).
      "SELECT doc_id, kind, value FROM entities WHERE +kind IN (1, 3) ORDER BY doc_id, start"));
  static_assert(static_cast<int>(EntityKind::kUrl) == 1 &&
                static_cast<int>(EntityKind::kHashtag) == 3);
  auto& links = l->actions[static_cast<int>(Behaviour::kCoLink)];
  auto& tags = l->actions[static_cast<int>(Behaviour::kCoHashtag)];
  size_t pos = 0;
  int64_t cur = -1;
  std::string seq;
  auto flush = [&]() {
    if (cur >= 0 && !seq.empty()) tags.push_back({acct[pos], l->times[pos], Hash(seq), cur});
    seq.clear();
  };
  int rc;
  bool have = false;  // `pos` is the document `cur`
  while ((rc = st.Step()) == SQLITE_ROW) {
    const int64_t doc = st.Int64(0);
    if (doc != cur) {
      flush();
      cur = doc;
      while (pos < ids.size() && ids[pos] < doc) ++pos;
      have = pos < ids.size() && ids[pos] == doc;
      if (!have) cur = -1;
    }
    if (!have) continue;
    std::string_view value = st.TextView(2);
    if (st.Int64(1) == static_cast<int>(EntityKind::kUrl)) {
      links.push_back({acct[pos], l->times[pos], Hash(value), doc});
    } else {
      if (!seq.empty()) seq += '\x1f';
      seq += value;
    }
  }
  flush();
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading links and hashtags");
  return Status::OK();
}

// Near-duplicate clusters, when the neardup stage has run (its reader,
// neardup/results.h).
Status LoadNearDup(Store* store, const std::vector<int64_t>& ids, const std::vector<uint32_t>& acct,
                   Loaded* l) {
  auto& out = l->actions[static_cast<int>(Behaviour::kCoSimilar)];
  size_t pos = 0;
  ET_ASSIGN_OR_RETURN(
      l->have_neardup, ForEachNearDupMember(store, [&](int64_t doc, int64_t cluster) {
        while (pos < ids.size() && ids[pos] < doc) ++pos;
        if (pos < ids.size() && ids[pos] == doc) {
          out.push_back({acct[pos], l->times[pos], static_cast<uint64_t>(cluster), doc});
        }
      }));
  return Status::OK();
}

// Passage containment, when the reuse stage has run: a document whose
// reused passage covers at least `containment` of its text acts on that
// reuse cluster (key: kReuseKeyBit | cluster_id, apart from the
// near-duplicate cluster ids, which are docs.id values). Two accounts posting
// the same quote with different comments around it are co-similar this way,
// though their posts as wholes are not near-duplicates; an article that
// quotes one sentence is not (the quote is a small part of it).
constexpr uint64_t kReuseKeyBit = uint64_t{1} << 62;

Status LoadReuse(Store* store, const std::vector<int64_t>& ids, const std::vector<uint32_t>& acct,
                 double containment, Loaded* l) {
  if (!(containment > 0)) return Status::OK();
  auto& out = l->actions[static_cast<int>(Behaviour::kCoSimilar)];
  size_t pos = 0;
  int64_t last_doc = -1, last_cluster = -1;
  ET_ASSIGN_OR_RETURN(
      l->have_reuse, ForEachContainedPassage(store, containment, [&](int64_t doc, int64_t cluster) {
        if (doc == last_doc && cluster == last_cluster) return;  // a passage twice in one post
        last_doc = doc;
        last_cluster = cluster;
        while (pos < ids.size() && ids[pos] < doc) ++pos;
        if (pos < ids.size() && ids[pos] == doc) {
          out.push_back(
              {acct[pos], l->times[pos], kReuseKeyBit | static_cast<uint64_t>(cluster), doc});
        }
      }));
  return Status::OK();
}

struct BehaviourRun {
  Behaviour behaviour;
  Result<coord::CoActionResult> result = Status::Internal("not run");
  double seconds = 0;
};

void DetectAll(const Loaded& l, const coord::CoActionOptions& o, int threads,
               std::vector<BehaviourRun>* runs) {
  std::atomic<size_t> next{0};
  auto work = [&]() {
    for (size_t i; (i = next.fetch_add(1)) < runs->size();) {
      BehaviourRun& r = (*runs)[i];
      auto t0 = std::chrono::steady_clock::now();
      r.result = coord::DetectCoActions(l.actions[static_cast<int>(r.behaviour)], r.behaviour, o);
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

// Signed bit pattern of a 64-bit hash (docs/schema.md, Conventions).
int64_t Signed(uint64_t v) { return static_cast<int64_t>(v); }

struct Output {
  std::vector<BehaviourRun>* runs;
  const std::vector<int64_t>* windows;
  const coord::Communities* communities;
  const std::vector<coord::GroupSummary>* summaries;
  // Per group summary, per top item: an example document.
  const std::map<std::pair<int, uint64_t>, int64_t>* examples;
};

Status WriteEdges(sqlite3* db, int64_t run_id, const Loaded& l, const Output& out) {
  Stmt e, w, ev, b;
  ET_RETURN_IF_ERROR(e.Prepare(
      db, "INSERT INTO coord_edges VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  ET_RETURN_IF_ERROR(w.Prepare(db, "INSERT INTO coord_edge_windows VALUES (?1, ?2, ?3, ?4)"));
  ET_RETURN_IF_ERROR(
      ev.Prepare(db, "INSERT OR IGNORE INTO coord_evidence VALUES (?1, ?2, ?3, ?4)"));
  ET_RETURN_IF_ERROR(
      b.Prepare(db, "INSERT INTO coord_bursts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  int64_t edge_id = 0;
  for (const BehaviourRun& r : *out.runs) {
    const char* name = coord::BehaviourName(r.behaviour);
    for (const coord::CoEdge& edge : r.result->edges) {
      ++edge_id;
      e.BindInt64(1, run_id);
      e.BindInt64(2, edge_id);
      e.BindText(3, l.accounts[edge.account_a]);
      e.BindText(4, l.accounts[edge.account_b]);
      e.BindText(5, name);
      e.BindInt64(6, edge.weight);
      e.BindInt64(7, edge.first_time);
      e.BindInt64(8, edge.last_time);
      e.BindInt64(9, (*out.windows)[edge.tightest]);
      e.BindDouble(10, edge.symmetry);
      e.BindInt64(11, edge.posts_a);
      e.BindInt64(12, edge.posts_b);
      ET_RETURN_IF_ERROR(store_internal::StepDone(db, e, "storing a coordination edge"));
      for (size_t k = 0; k < edge.window_weights.size(); ++k) {
        if (edge.window_weights[k] == 0) continue;
        w.BindInt64(1, run_id);
        w.BindInt64(2, edge_id);
        w.BindInt64(3, (*out.windows)[k]);
        w.BindInt64(4, edge.window_weights[k]);
        ET_RETURN_IF_ERROR(store_internal::StepDone(db, w, "storing an edge's window weight"));
      }
      for (const coord::CoActionPair& p : edge.evidence) {
        ev.BindInt64(1, run_id);
        ev.BindInt64(2, edge_id);
        ev.BindInt64(3, p.post_a);
        ev.BindInt64(4, p.post_b);
        ET_RETURN_IF_ERROR(store_internal::StepDone(db, ev, "storing coordination evidence"));
      }
    }
    for (const coord::Burst& burst : r.result->bursts) {
      b.BindInt64(1, run_id);
      b.BindText(2, name);
      b.BindInt64(3, (*out.windows)[burst.window]);
      b.BindInt64(4, Signed(burst.key));
      b.BindInt64(5, burst.first_time);
      b.BindInt64(6, burst.last_time);
      b.BindInt64(7, burst.posts);
      b.BindInt64(8, burst.accounts);
      b.BindInt64(9, burst.first_post);
      ET_RETURN_IF_ERROR(store_internal::StepDone(db, b, "storing a burst"));
    }
  }
  return Status::OK();
}

Status WriteGroups(sqlite3* db, int64_t run_id, const Loaded& l, const Output& out) {
  Stmt g, s;
  ET_RETURN_IF_ERROR(g.Prepare(db, "INSERT INTO coord_groups VALUES (?1, ?2, ?3)"));
  ET_RETURN_IF_ERROR(s.Prepare(
      db, "INSERT INTO coord_group_summaries VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  const std::vector<int32_t>& group = out.communities->group;
  for (size_t a = 0; a < group.size(); ++a) {
    if (group[a] < 0) continue;
    g.BindInt64(1, run_id);
    g.BindText(2, l.accounts[a]);
    g.BindInt64(3, group[a]);
    ET_RETURN_IF_ERROR(store_internal::StepDone(db, g, "storing a group member"));
  }
  for (const coord::GroupSummary& sum : *out.summaries) {
    JsonWriter behaviours;
    behaviours.BeginObject();
    for (const coord::BehaviourFigures& f : sum.behaviours) {
      behaviours.Key(coord::BehaviourName(f.behaviour)).BeginObject();
      behaviours.Key("edges").Uint(f.edges).Key("weight").Uint(f.weight).EndObject();
    }
    behaviours.EndObject();
    JsonWriter items;
    items.BeginArray();
    for (const coord::SharedKey& k : sum.top_keys) {
      items.BeginObject().Key("behaviour").String(coord::BehaviourName(k.behaviour));
      items.Key("key").Int(Signed(k.key)).Key("accounts").Uint(k.accounts);
      items.Key("posts").Uint(k.posts).Key("example_doc_id");
      auto it = out.examples->find({static_cast<int>(k.behaviour), k.key});
      if (it == out.examples->end()) {
        items.Null();
      } else {
        items.Int(it->second);
      }
      items.EndObject();
    }
    items.EndArray();
    s.BindInt64(1, run_id);
    s.BindInt64(2, sum.group);
    s.BindInt64(3, static_cast<int64_t>(sum.accounts.size()));
    s.BindInt64(4, static_cast<int64_t>(sum.posts));
    if (sum.posts > 0) {
      s.BindInt64(5, sum.first_time);
      s.BindInt64(6, sum.last_time);
    } else {
      s.BindNull(5);
      s.BindNull(6);
    }
    if (sum.burstiness) {
      s.BindDouble(7, *sum.burstiness);
    } else {
      s.BindNull(7);
    }
    std::string bj = behaviours.Take(), ij = items.Take();
    s.BindText(8, bj);
    s.BindText(9, ij);
    ET_RETURN_IF_ERROR(store_internal::StepDone(db, s, "storing a group summary"));
  }
  return Status::OK();
}

Status WriteResult(const DetectorContext& ctx, int64_t run_id, const Loaded& l, const Output& out) {
  sqlite3* db = store_internal::Handle(ctx.store);
  store_internal::Transaction tx(db, "the coordination result");
  ET_RETURN_IF_ERROR(tx.BeginWrite());
  ET_RETURN_IF_ERROR(Exec(db, kCreateTables, "creating the coordination tables"));
  ET_RETURN_IF_ERROR(Exec(db, kClearTables, "clearing the previous coordination result"));
  ET_RETURN_IF_ERROR(WriteEdges(db, run_id, l, out));
  ET_RETURN_IF_ERROR(WriteGroups(db, run_id, l, out));
  ET_RETURN_IF_ERROR(ctx.CheckCancelled());
  return tx.Commit();
}

// The first post (smallest id) acting on each (behaviour, key) listed in a
// group summary: what a reader opens to see the shared item.
std::map<std::pair<int, uint64_t>, int64_t> Examples(
    const Loaded& l, const std::vector<coord::GroupSummary>& summaries) {
  std::map<std::pair<int, uint64_t>, int64_t> ex;
  for (const coord::GroupSummary& s : summaries) {
    for (const coord::SharedKey& k : s.top_keys) {
      ex.emplace(std::make_pair(static_cast<int>(k.behaviour), k.key), INT64_MAX);
    }
  }
  for (int b = 0; b < coord::kNumBehaviours; ++b) {
    for (const Action& a : l.actions[b]) {
      auto it = ex.find({b, a.key});
      if (it != ex.end()) it->second = std::min(it->second, a.post);
    }
  }
  return ex;
}

std::string Params(const CoordParams& o, const std::vector<Behaviour>& behaviours) {
  JsonWriter w;
  w.BeginObject().Key("behaviours").BeginArray();
  for (Behaviour b : behaviours) w.String(coord::BehaviourName(b));
  w.EndArray().Key("windows").BeginArray();
  for (int64_t win : o.windows) w.Int(win);
  w.EndArray().Key("min_weight").Uint(o.min_weight);
  w.Key("max_posts_in_window").Uint(o.burst_cap);
  w.Key("evidence_per_edge").Uint(o.evidence_per_edge).Key("resolution").Double(o.resolution);
  w.Key("seed").Uint(o.seed).Key("top_keys").Uint(o.top_keys);
  w.Key("passage_containment").Double(o.passage_containment).EndObject();
  return w.Take();
}

}  // namespace

// The stage: Plan validates the parameters (there is no incremental
// coordination run), Execute loads the actions, detects and writes.
class CoordinationDetector : public Detector {
 public:
  explicit CoordinationDetector(const CoordParams& p) : params_(p) {}

  Result<RunPlan> Plan(const DetectorContext& /*ctx*/) override {
    ET_ASSIGN_OR_RETURN(behaviours_, ParseBehaviours(params_.behaviours));
    co_.windows = params_.windows;
    co_.min_weight = params_.min_weight;
    co_.max_posts_in_window = params_.burst_cap;
    co_.evidence_per_edge = params_.evidence_per_edge;
    ET_RETURN_IF_ERROR(coord::ValidateCoActionOptions(co_));
    if (!(params_.passage_containment >= 0 && params_.passage_containment <= 1)) {
      return Status::InvalidArgument("passage containment: must be in [0, 1] (0 turns it off)");
    }
    if (!(params_.resolution > 0)) {
      return Status::InvalidArgument("resolution: must be a positive number");
    }
    RunPlan plan;
    plan.kind = kCoordinationDetector;
    plan.params = Params(params_, behaviours_);
    plan.full_reason = "always a full run";
    return plan;
  }

  Result<std::string> Execute(const DetectorContext& ctx, const RunPlan& /*plan*/,
                              int64_t run_id) override {
    const auto t0 = std::chrono::steady_clock::now();
    sqlite3* db = store_internal::Handle(ctx.store);
    Loaded l;
    std::vector<int64_t> ids;
    std::vector<uint32_t> acct;
    auto lap = [&, last = t0](const char* what) mutable {
      auto now = std::chrono::steady_clock::now();
      ctx.Say("coordination: %s %.2f s", what, std::chrono::duration<double>(now - last).count());
      last = now;
    };
    ET_RETURN_IF_ERROR(LoadDocs(db, &l, &ids, &acct));
    lap("read documents");
    ET_RETURN_IF_ERROR(LoadEntities(db, ids, acct, &l));
    lap("read links and hashtags");
    ET_RETURN_IF_ERROR(LoadNearDup(ctx.store, ids, acct, &l));
    lap("read near-duplicate clusters");
    ET_RETURN_IF_ERROR(LoadReuse(ctx.store, ids, acct, params_.passage_containment, &l));
    lap("read reused passages");
    const double load_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::vector<std::string> warnings;
    const int64_t resolution = coord::DetectTimeResolution(l.times);
    co_.windows = coord::WidenWindows(co_.windows, resolution, &warnings);
    std::vector<BehaviourRun> runs;
    for (Behaviour b : behaviours_) {
      if (b == Behaviour::kCoSimilar && !l.have_neardup && !l.have_reuse) {
        warnings.push_back(
            "co-similar skipped: the store has no near-duplicate or reuse result; run "
            "`analyze --only neardup,reuse` first");
        continue;
      }
      runs.push_back(BehaviourRun{b});
    }
    for (const std::string& w : warnings) ctx.Say("coordination: %s", w.c_str());
    ctx.Say("coordination: %zu documents by %zu accounts, %zu behaviours", ids.size(),
            l.accounts.size(), runs.size());
    int threads =
        ctx.threads > 0 ? ctx.threads : static_cast<int>(std::thread::hardware_concurrency());
    threads = std::max(1, std::min<int>(threads, static_cast<int>(runs.size())));
    auto t1 = std::chrono::steady_clock::now();
    DetectAll(l, co_, threads, &runs);
    lap("co-actions");
    for (const BehaviourRun& r : runs) ET_RETURN_IF_ERROR(r.result.status());
    const double detect_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();

    // Groups on the union graph.
    std::vector<coord::WeightedEdge> graph;
    std::vector<coord::CoEdge> all_edges;
    for (BehaviourRun& r : runs) {
      for (const coord::CoEdge& e : r.result->edges) {
        graph.push_back({e.account_a, e.account_b, static_cast<double>(e.weight)});
      }
    }
    coord::CommunityOptions copt;
    copt.resolution = params_.resolution;
    copt.seed = params_.seed;
    ET_ASSIGN_OR_RETURN(
        coord::Communities comm,
        coord::DetectCommunities(static_cast<uint32_t>(l.accounts.size()), graph, copt));
    for (const BehaviourRun& r : runs) {
      for (const coord::CoEdge& e : r.result->edges) {
        coord::CoEdge lite = e;  // summaries need no evidence
        lite.evidence.clear();
        all_edges.push_back(std::move(lite));
      }
    }
    std::vector<coord::ActionSet> sets;
    sets.reserve(runs.size());
    for (const BehaviourRun& r : runs) {
      sets.push_back({r.behaviour, &l.actions[static_cast<int>(r.behaviour)]});
    }
    std::vector<coord::GroupSummary> sums =
        coord::SummarizeGroups(comm.group, sets, all_edges, params_.top_keys);
    std::map<std::pair<int, uint64_t>, int64_t> examples = Examples(l, sums);
    lap("groups");
    auto t2 = std::chrono::steady_clock::now();
    Output out{&runs, &co_.windows, &comm, &sums, &examples};
    ET_RETURN_IF_ERROR(WriteResult(ctx, run_id, l, out));
    lap("write");
    const double write_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count();

    JsonWriter w;
    w.BeginObject().Key("documents").Uint(l.documents).Key("skipped_no_author_or_time");
    w.Uint(l.skipped).Key("accounts").Uint(l.accounts.size());
    w.Key("time_resolution").Int(resolution).Key("windows").BeginArray();
    for (int64_t win : co_.windows) w.Int(win);
    w.EndArray().Key("warnings").BeginArray();
    for (const std::string& s : warnings) w.String(s);
    w.EndArray().Key("behaviours").BeginObject();
    for (const BehaviourRun& r : runs) {
      const coord::CoActionStats& s = r.result->stats;
      w.Key(coord::BehaviourName(r.behaviour)).BeginObject();
      w.Key("actions").Uint(s.actions).Key("keys").Uint(s.keys);
      w.Key("shared_keys").Uint(s.shared_keys).Key("co_actions").Uint(s.pairs);
      w.Key("crowded_posts").Uint(s.crowded_posts).Key("bursts").Uint(r.result->bursts.size());
      w.Key("edges").Uint(s.edges).Key("seconds").Double(r.seconds).EndObject();
    }
    w.EndObject().Key("groups").Int(comm.num_groups).Key("modularity").Double(comm.modularity);
    w.Key("seconds").BeginObject().Key("load").Double(load_seconds);
    w.Key("detect").Double(detect_seconds).Key("write").Double(write_seconds).EndObject();
    w.EndObject();
    return w.Take();
  }

  std::string Headline(const std::string& figures) const override {
    const int64_t groups = FlatJsonInt(figures, "groups").value_or(0);
    const int64_t accounts = FlatJsonInt(figures, "accounts").value_or(0);
    return Thousands(groups) + " coordinated groups among " + Thousands(accounts) +
           " accounts with an author and a time";
  }

 private:
  // The behaviours by name, sorted and unique; all six when none is named.
  static Result<std::vector<Behaviour>> ParseBehaviours(const std::vector<std::string>& names) {
    std::vector<Behaviour> out;
    for (const std::string& name : names) {
      bool found = false;
      for (int b = 0; b < coord::kNumBehaviours; ++b) {
        if (name == coord::BehaviourName(static_cast<Behaviour>(b))) {
          out.push_back(static_cast<Behaviour>(b));
          found = true;
        }
      }
      if (!found) {
        return Status::InvalidArgument(
            "--behaviours " + name +
            ": unknown behaviour; known: co-post, co-similar, co-link, co-reply, co-repost, "
            "co-hashtag");
      }
    }
    if (out.empty()) {
      for (int b = 0; b < coord::kNumBehaviours; ++b) out.push_back(static_cast<Behaviour>(b));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  CoordParams params_;
  std::vector<Behaviour> behaviours_;
  coord::CoActionOptions co_;
};

std::unique_ptr<Detector> MakeCoordinationDetector(const CoordParams& params) {
  return std::make_unique<CoordinationDetector>(params);
}

}  // namespace echotrace

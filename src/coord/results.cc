// Reading the coordination result (results.h).
#include "coord/results.h"

#include <sqlite3.h>
#include <xxhash.h>

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "coord/coord_stage.h"
#include "store/sqlite_util.h"
#include "store/store_internal.h"
#include "text/utf8.h"

namespace echotrace {

using store_internal::SqliteStatus;
using store_internal::Stmt;

namespace coord {

uint64_t ItemKey(std::string_view readable) {
  return XXH3_64bits(readable.data(), readable.size());
}

Result<std::optional<std::string>> ItemLabel(Store* store, std::string_view behaviour, int64_t key,
                                             int64_t example_doc, size_t max_bytes) {
  sqlite3* db = store_internal::Handle(store);
  Stmt st;
  if (behaviour == "co-link" || behaviour == "co-hashtag") {
    const bool link = behaviour == "co-link";
    ET_RETURN_IF_ERROR(st.Prepare(
        db, "SELECT value FROM entities WHERE doc_id = ?1 AND kind = ?2 ORDER BY start"));
    st.BindInt64(1, example_doc);
    st.BindInt64(2, static_cast<int>(link ? EntityKind::kUrl : EntityKind::kHashtag));
    std::string tags;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      std::string_view v = st.TextView(0);
      if (link) {
        if (static_cast<int64_t>(ItemKey(v)) == key)
          return std::optional<std::string>(CutUtf8(v, max_bytes));
      } else {
        if (!tags.empty()) tags += ' ';
        tags += '#';
        tags += v;
      }
    }
    if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading an item's entities");
    if (!tags.empty()) return std::optional<std::string>(CutUtf8(tags, max_bytes));
  } else if (behaviour == "co-reply" || behaviour == "co-repost") {
    ET_RETURN_IF_ERROR(st.Prepare(db, "SELECT parent FROM docs WHERE id = ?1"));
    st.BindInt64(1, example_doc);
    int rc = st.Step();
    if (rc == SQLITE_ROW && !st.IsNull(0) && !st.TextView(0).empty()) {
      return std::optional<std::string>(
          std::string(behaviour == "co-reply" ? "reply to " : "repost of ") +
          std::string(CutUtf8(st.TextView(0), max_bytes)));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      return SqliteStatus(db, rc, "reading an item's parent");
    }
  }
  return std::optional<std::string>();
}

const std::vector<ResultTable>& CoordResultTables() {
  using C = ResultTable::Column;
  // Coordination edges (contract columns, then the tightest window they
  // hold in) and community membership.
  static const std::vector<ResultTable> kTables = {
      {"coordination",
       kCoordinationDetector,
       {{"account_a", C::kText},
        {"account_b", C::kText},
        {"behaviour", C::kText},
        {"weight", C::kInt},
        {"first_time", C::kTime},
        {"last_time", C::kTime},
        {"window", C::kInt}},
       "SELECT account_a, account_b, behaviour, weight, first_time, last_time, window FROM "
       "coord_edges WHERE run_id = ?1 ORDER BY account_a, account_b, behaviour"},
      {"groups",
       kCoordinationDetector,
       {{"account", C::kText}, {"group_id", C::kInt}},
       "SELECT account, group_id FROM coord_groups WHERE run_id = ?1 ORDER BY group_id, "
       "account"},
  };
  return kTables;
}

Result<std::vector<int64_t>> ReadCoordWindows(Store* store, int64_t run_id) {
  sqlite3* db = store_internal::Handle(store);
  std::vector<int64_t> windows;
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT CAST(value AS INTEGER) FROM runs, json_each(CASE WHEN "
                                "json_valid(runs.summary) THEN runs.summary ELSE '{}' END, "
                                "'$.windows') WHERE runs.id = ?1 AND json_each.type = 'integer'"));
  st.BindInt64(1, run_id);
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) windows.push_back(st.Int64(0));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the windows of the coordination run");
  ET_ASSIGN_OR_RETURN(bool exists, store_internal::TableExists(db, "coord_edge_windows"));
  if (exists) {
    ET_RETURN_IF_ERROR(st.Prepare(
        db, "SELECT DISTINCT window FROM coord_edge_windows WHERE run_id = ?1 ORDER BY window"));
    st.BindInt64(1, run_id);
    while ((rc = st.Step()) == SQLITE_ROW) windows.push_back(st.Int64(0));
    if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the windows of the edges");
  }
  std::sort(windows.begin(), windows.end());
  windows.erase(std::unique(windows.begin(), windows.end()), windows.end());
  return windows;
}

Result<std::vector<std::pair<int64_t, uint64_t>>> ReadEdgeWindowWeights(Store* store,
                                                                        int64_t run_id,
                                                                        int64_t edge_id) {
  sqlite3* db = store_internal::Handle(store);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT window, weight FROM coord_edge_windows WHERE run_id = ?1 "
                                "AND edge_id = ?2 ORDER BY window"));
  st.BindInt64(1, run_id);
  st.BindInt64(2, edge_id);
  std::vector<std::pair<int64_t, uint64_t>> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    out.emplace_back(st.Int64(0), static_cast<uint64_t>(st.Int64(1)));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading an edge's weight per window");
  return out;
}

std::string WindowWeightName(int64_t window) { return "weight_" + std::to_string(window) + "s"; }

Result<ResultTable> CoordinationEdgeTable(Store* store, int64_t run_id) {
  ResultTable t = CoordResultTables()[0];
  ET_ASSIGN_OR_RETURN(std::vector<int64_t> windows, ReadCoordWindows(store, run_id));
  std::string select =
      "SELECT e.account_a, e.account_b, e.behaviour, e.weight, e.first_time, "
      "e.last_time, e.window";
  for (int64_t w : windows) {
    t.columns.emplace_back(WindowWeightName(w), ResultTable::Column::kInt);
    // The primary key (run_id, edge_id, window) answers each lookup.
    select +=
        ", coalesce((SELECT x.weight FROM coord_edge_windows x WHERE x.run_id = e.run_id "
        "AND x.edge_id = e.edge_id AND x.window = " +
        std::to_string(w) + "), 0)";
  }
  t.sql = select +
          " FROM coord_edges e WHERE e.run_id = ?1 ORDER BY e.account_a, e.account_b, "
          "e.behaviour";
  return t;
}

Result<std::vector<GroupMember>> ReadGroupMembers(Store* store) {
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kCoordinationDetector));
  sqlite3* db = store_internal::Handle(store);
  ET_ASSIGN_OR_RETURN(bool exists, store_internal::TableExists(db, "coord_groups"));
  if (!run || !exists) {
    return Status::NotFound(
        "the store has no coordination result yet; run: echotrace analyze --db DB --only "
        "coordination");
  }
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT account, group_id FROM coord_groups WHERE run_id = ?1"));
  st.BindInt64(1, run->id);
  std::vector<GroupMember> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back({st.Text(0), st.Int64(1)});
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the coordination groups");
  return out;
}

Result<std::optional<int64_t>> LatestCoordRun(Store* store) {
  ET_ASSIGN_OR_RETURN(bool exists,
                      store_internal::TableExists(store_internal::Handle(store), "coord_edges"));
  if (!exists) return std::optional<int64_t>();
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kCoordinationDetector));
  return run ? std::optional<int64_t>(run->id) : std::nullopt;
}

namespace {

constexpr const char* kEdgeColumns =
    "e.edge_id, e.account_a, e.account_b, e.behaviour, e.weight, e.window, e.symmetry, "
    "e.first_time, e.last_time";

EdgeRecord EdgeOf(const Stmt& st) {
  EdgeRecord e;
  e.edge_id = st.Int64(0);
  e.account_a = st.Text(1);
  e.account_b = st.Text(2);
  e.behaviour = st.Text(3);
  e.weight = st.Int64(4);
  e.window = st.Int64(5);
  e.symmetry = st.Double(6);
  e.first_time = st.Int64(7);
  e.last_time = st.Int64(8);
  return e;
}

// Every row of a prepared, bound edge query.
Result<std::vector<EdgeRecord>> Edges(sqlite3* db, Stmt& st, std::string_view doing) {
  std::vector<EdgeRecord> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back(EdgeOf(st));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, doing);
  return out;
}

// The count in the first column of a prepared, bound query.
Result<int64_t> Count(sqlite3* db, Stmt& st, std::string_view doing) {
  const int rc = st.Step();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, doing);
  return st.Int64(0);
}

// Edges with both ends in group ?2 of run ?1: from the members (group
// index) to their edges as account_a (pair index), checking account_b's
// group. The join order and the index are forced: left to itself SQLite
// scans every edge once per member (minutes on the IRA corpus instead of
// 0.4 s).
constexpr const char* kInsideGroup =
    " FROM coord_groups ga CROSS JOIN coord_edges e INDEXED BY coord_edges_pair ON e.run_id = "
    "ga.run_id AND e.account_a = ga.account CROSS JOIN coord_groups gb ON gb.run_id = e.run_id "
    "AND gb.account = e.account_b WHERE ga.run_id = ?1 AND ga.group_id = ?2 AND gb.group_id = ?2";

}  // namespace

Result<std::vector<EdgeRecord>> CoordResultReader::TopEdges(int64_t limit) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, std::string("SELECT ") + kEdgeColumns +
                                        " FROM coord_edges e WHERE e.run_id = ?1 ORDER BY "
                                        "e.weight DESC, e.edge_id LIMIT ?2"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, limit);
  return Edges(db, st, "listing edges");
}

Status CoordResultReader::ForEachEdge(
    const std::function<void(std::string_view, std::string_view, int64_t)>& fn) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT account_a, account_b, weight FROM coord_edges WHERE run_id = ?1"));
  st.BindInt64(1, run_id_);
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) fn(st.TextView(0), st.TextView(1), st.Int64(2));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the edges");
  return Status::OK();
}

Result<std::optional<EdgeRecord>> CoordResultReader::Edge(int64_t edge_id) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, std::string("SELECT ") + kEdgeColumns +
                                        " FROM coord_edges e WHERE e.run_id = ?1 AND "
                                        "e.edge_id = ?2"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, edge_id);
  const int rc = st.Step();
  if (rc == SQLITE_DONE) return std::optional<EdgeRecord>();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading an edge");
  return std::optional<EdgeRecord>(EdgeOf(st));
}

Result<std::vector<EdgeWindowWeight>> CoordResultReader::EdgeWindows(int64_t edge_id) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT window, weight FROM coord_edge_windows WHERE run_id = ?1 "
                                "AND edge_id = ?2 ORDER BY window"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, edge_id);
  std::vector<EdgeWindowWeight> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back({st.Int64(0), st.Int64(1)});
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading an edge's windows");
  return out;
}

Result<std::vector<EvidencePair>> CoordResultReader::Evidence(int64_t edge_id, int64_t limit) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db,
      "SELECT v.post_a, v.post_b, abs(coalesce(b.time, 0) - coalesce(a.time, 0)) FROM "
      "coord_evidence v JOIN docs a ON a.id = v.post_a JOIN docs b ON b.id = v.post_b WHERE "
      "v.run_id = ?1 AND v.edge_id = ?2 ORDER BY min(coalesce(a.time, 0), coalesce(b.time, "
      "0)), v.post_a, v.post_b LIMIT ?3"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, edge_id);
  st.BindInt64(3, limit);
  std::vector<EvidencePair> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back({st.Int64(0), st.Int64(1), st.Int64(2)});
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading an edge's evidence");
  return out;
}

Result<int64_t> CoordResultReader::CountEvidence(int64_t edge_id) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT count(*) FROM coord_evidence WHERE run_id = ?1 AND edge_id = ?2"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, edge_id);
  return Count(db, st, "counting an edge's evidence");
}

Result<std::optional<int64_t>> CoordResultReader::GroupOf(std::string_view account) {
  sqlite3* db = store_internal::Handle(store_);
  if (!group_of_.prepared()) {
    ET_RETURN_IF_ERROR(group_of_.Prepare(
        db, "SELECT group_id FROM coord_groups WHERE run_id = ?1 AND account = ?2", true));
  }
  group_of_.Reset();
  group_of_.BindInt64(1, run_id_);
  group_of_.BindText(2, account);
  const int rc = group_of_.Step();
  std::optional<int64_t> out;
  if (rc == SQLITE_ROW) {
    out = group_of_.Int64(0);
  } else if (rc != SQLITE_DONE) {
    Status s = SqliteStatus(db, rc, "reading an account's group");
    group_of_.Reset();
    return s;
  }
  group_of_.Reset();
  return out;
}

Result<std::vector<int64_t>> CoordResultReader::LargestGroups(int64_t limit) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT group_id FROM coord_group_summaries WHERE run_id = ?1 "
                                "ORDER BY accounts DESC, group_id LIMIT ?2"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, limit);
  std::vector<int64_t> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back(st.Int64(0));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "listing groups");
  return out;
}

Result<int64_t> CoordResultReader::CountGroups() {
  return store_internal::QueryInt64(store_internal::Handle(store_),
                                    "SELECT count(*) FROM coord_group_summaries WHERE run_id = ?1",
                                    run_id_, "counting groups");
}

Result<std::optional<StoredGroup>> CoordResultReader::Group(int64_t group_id) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT accounts, posts, first_time, last_time, burstiness, "
                                "behaviours, json_valid(behaviours) FROM coord_group_summaries "
                                "WHERE run_id = ?1 AND group_id = ?2"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, group_id);
  int rc = st.Step();
  if (rc == SQLITE_DONE) return std::optional<StoredGroup>();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading a group");
  StoredGroup g;
  g.group_id = group_id;
  g.accounts = st.Int64(0);
  g.posts = st.Int64(1);
  g.first_time = st.OptInt64(2);
  g.last_time = st.OptInt64(3);
  if (!st.IsNull(4)) g.burstiness = st.Double(4);
  g.behaviours = st.Text(5);
  g.behaviours_valid = st.Int64(6) != 0;
  // The summary keeps its top items as a JSON array; SQLite's json_each
  // reads it without a second JSON parser here.
  ET_RETURN_IF_ERROR(
      st.Prepare(db,
                 "SELECT json_extract(j.value, '$.behaviour'), json_extract(j.value, '$.key'), "
                 "json_extract(j.value, '$.accounts'), json_extract(j.value, '$.posts'), "
                 "json_extract(j.value, '$.example_doc_id') FROM coord_group_summaries s, "
                 "json_each(CASE WHEN json_valid(s.top_items) THEN s.top_items ELSE '[]' END) j "
                 "WHERE s.run_id = ?1 AND s.group_id = ?2 ORDER BY j.key"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, group_id);
  while ((rc = st.Step()) == SQLITE_ROW) {
    g.top_items.push_back({st.Text(0), st.Int64(1), st.Int64(2), st.Int64(3), st.Int64(4)});
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading a group's items");
  return std::optional<StoredGroup>(std::move(g));
}

Result<std::vector<std::string>> CoordResultReader::GroupMembers(int64_t group_id, int64_t limit) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT account FROM coord_groups WHERE run_id = ?1 AND "
                                "group_id = ?2 ORDER BY account LIMIT ?3"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, group_id);
  st.BindInt64(3, limit);
  std::vector<std::string> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back(st.Text(0));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading a group's members");
  return out;
}

Result<int64_t> CoordResultReader::CountGroupMembers(int64_t group_id) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db, "SELECT count(*) FROM coord_groups WHERE run_id = ?1 AND group_id = ?2"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, group_id);
  return Count(db, st, "counting a group's members");
}

Result<std::vector<EdgeRecord>> CoordResultReader::EdgesInside(int64_t group_id, int64_t limit) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, std::string("SELECT ") + kEdgeColumns + kInsideGroup +
                                        " ORDER BY e.weight DESC, e.edge_id LIMIT ?3"));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, group_id);
  st.BindInt64(3, limit);
  return Edges(db, st, "reading a group's edges");
}

Result<int64_t> CoordResultReader::CountEdgesInside(int64_t group_id) {
  sqlite3* db = store_internal::Handle(store_);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, std::string("SELECT count(*)") + kInsideGroup));
  st.BindInt64(1, run_id_);
  st.BindInt64(2, group_id);
  return Count(db, st, "counting a group's edges");
}

}  // namespace coord

Result<coord::CoordGraph> ReadCoordGraph(Store* store) {
  sqlite3* db = store_internal::Handle(store);
  ET_ASSIGN_OR_RETURN(bool exists, store_internal::TableExists(db, "coord_edges"));
  if (!exists) {
    return Status::NotFound(store->path() +
                            ": no coordination result; run `echotrace analyze --only "
                            "coordination` first");
  }
  coord::CoordGraph g;
  // The tables hold one run (each run replaces them); its windows name the
  // per-window weight attributes.
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kCoordinationDetector));
  if (run) {
    ET_ASSIGN_OR_RETURN(g.windows, coord::ReadCoordWindows(store, run->id));
  }
  std::map<std::string, uint32_t> node;
  Stmt e;
  ET_RETURN_IF_ERROR(e.Prepare(db,
                               "SELECT account_a, account_b, behaviour, weight, first_time,"
                               " last_time, window, symmetry, edge_id FROM coord_edges ORDER BY "
                               "edge_id"));
  std::vector<std::pair<std::string, std::string>> ends;
  std::unordered_map<int64_t, size_t> edge_index;  // edge_id → index in g.edges
  int rc;
  while ((rc = e.Step()) == SQLITE_ROW) {
    ends.emplace_back(e.Text(0), e.Text(1));
    node.emplace(ends.back().first, 0);
    node.emplace(ends.back().second, 0);
    edge_index.emplace(e.Int64(8), g.edges.size());
    g.edges.push_back({0, 0, e.Text(2), static_cast<uint64_t>(e.Int64(3)), e.Int64(4), e.Int64(5),
                       e.Int64(6), e.Double(7), std::vector<uint64_t>(g.windows.size(), 0)});
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the coordination edges");
  if (run && !g.windows.empty()) {
    Stmt ww;
    ET_RETURN_IF_ERROR(
        ww.Prepare(db, "SELECT edge_id, window, weight FROM coord_edge_windows WHERE run_id = ?1"));
    ww.BindInt64(1, run->id);
    while ((rc = ww.Step()) == SQLITE_ROW) {
      auto it = edge_index.find(ww.Int64(0));
      auto w = std::lower_bound(g.windows.begin(), g.windows.end(), ww.Int64(1));
      if (it == edge_index.end() || w == g.windows.end() || *w != ww.Int64(1)) continue;
      g.edges[it->second].window_weights[w - g.windows.begin()] =
          static_cast<uint64_t>(ww.Int64(2));
    }
    if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the edges' weight per window");
  }
  uint32_t next = 0;
  for (auto& [name, id] : node) {
    id = next++;
    g.nodes.push_back({id, name, -1, 0});
  }
  for (size_t k = 0; k < g.edges.size(); ++k) {
    g.edges[k].source = node[ends[k].first];
    g.edges[k].target = node[ends[k].second];
  }
  Stmt gr;
  ET_RETURN_IF_ERROR(gr.Prepare(db, "SELECT account, group_id FROM coord_groups"));
  while ((rc = gr.Step()) == SQLITE_ROW) {
    auto it = node.find(gr.Text(0));
    if (it != node.end()) g.nodes[it->second].group = static_cast<int32_t>(gr.Int64(1));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the coordination groups");
  Stmt posts;
  ET_RETURN_IF_ERROR(posts.Prepare(db, "SELECT count(*) FROM docs WHERE author = ?1"));
  for (coord::GraphNode& n : g.nodes) {
    posts.BindText(1, n.account);
    if ((rc = posts.Step()) != SQLITE_ROW) {
      return SqliteStatus(db, rc, "counting an account's documents");
    }
    n.posts = static_cast<uint64_t>(posts.Int64(0));
    posts.Reset();
  }
  return g;
}

}  // namespace echotrace

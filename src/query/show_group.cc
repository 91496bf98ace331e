// show group: a coordinated group with the evidence behind it. Analysts do
// not act on a community id; they act on the posts: who posted what, when,
// how close together. This prints the group's figures, its members, what it
// shared most, and its heaviest edges each with the post pairs that make it.
#include <sqlite3.h>

#include <cstdio>

#include "coord/results.h"
#include "echotrace/show.h"
#include "query/terminal.h"
#include "store/sqlite_util.h"
#include "text/time_parse.h"

namespace echotrace {

namespace {

using store_internal::SqliteStatus;
using store_internal::Stmt;

Result<ShownPost> LoadPost(Store* store, int64_t doc_id) {
  ET_ASSIGN_OR_RETURN(std::optional<Document> doc, store->GetDocument(doc_id));
  ShownPost p;
  p.doc_id = doc_id;
  if (!doc) {
    p.ext_id = "(document " + std::to_string(doc_id) + " is no longer in the store)";
    return p;
  }
  p.ext_id = doc->ext_id;
  p.author = doc->author;
  p.source = doc->source;
  p.time = doc->time;
  p.text = std::move(doc->text);
  return p;
}

std::string When(const std::optional<int64_t>& t) {
  return t ? FormatTimeIso(*t) : std::string("time unknown");
}

std::string Duration(int64_t s) {
  if (s % 86400 == 0 && s > 0) return std::to_string(s / 86400) + " d";
  if (s % 3600 == 0 && s > 0) return std::to_string(s / 3600) + " h";
  if (s % 60 == 0 && s > 0) return std::to_string(s / 60) + " min";
  return std::to_string(s) + " s";
}

// "1,377 within 1 min, 13,218 within 1 h": each window's own count, so that
// "within 1 min" is never read next to the any-window weight (issue 17
// item 6). Without stored windows (an older result): the tightest window.
std::string WindowWeights(const ShownEdge& e) {
  if (e.window_weights.empty()) return "holds within " + Duration(e.window);
  std::string out;
  for (const auto& [window, weight] : e.window_weights) {
    if (!out.empty()) out += ", ";
    out += std::to_string(weight) + " within " + Duration(window);
  }
  return out;
}

}  // namespace

Result<ShownGroup> ShowGroup(Store* store, int64_t group_id, int edge_limit, int evidence_limit) {
  if (edge_limit < 0 || evidence_limit < 0) {
    return Status::InvalidArgument("edge and evidence limits must not be negative");
  }
  sqlite3* db = store->handle();
  ShownGroup g;
  g.group_id = group_id;
  Stmt head;
  Status prep =
      head.Prepare(db,
                   "SELECT run_id, accounts, posts, first_time, last_time, burstiness, behaviours "
                   "FROM coord_group_summaries WHERE group_id = ?1 AND run_id = ?2");
  if (!prep.ok()) {
    return Status::NotFound(
        "the store has no coordination result yet; run: echotrace analyze --db DB --only "
        "coordination");
  }
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun("coordination"));
  head.BindInt64(1, group_id);
  head.BindOptInt64(2, run ? std::optional<int64_t>(run->id) : std::nullopt);
  int rc = head.Step();
  if (rc == SQLITE_DONE) {
    return Status::NotFound("no group " + std::to_string(group_id) +
                            " in the latest coordination result (list them with: echotrace "
                            "export --db DB --what groups)");
  }
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading the group");
  g.run_id = head.Int64(0);
  g.accounts = head.Int64(1);
  g.posts = head.Int64(2);
  g.first_time = head.OptInt64(3);
  g.last_time = head.OptInt64(4);
  if (!head.IsNull(5)) g.burstiness = head.Double(5);
  g.behaviours_json = std::string(head.TextView(6));

  Stmt members;
  ET_RETURN_IF_ERROR(members.Prepare(
      db, "SELECT account FROM coord_groups WHERE run_id = ?1 AND group_id = ?2 ORDER BY account"));
  members.BindInt64(1, g.run_id);
  members.BindInt64(2, group_id);
  while ((rc = members.Step()) == SQLITE_ROW) g.members.emplace_back(members.TextView(0));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the group's members");

  // The summary keeps its top items as a JSON array; SQLite's json_each
  // reads it without a second JSON parser here.
  Stmt items;
  ET_RETURN_IF_ERROR(items.Prepare(
      db,
      "SELECT json_extract(j.value, '$.behaviour'), json_extract(j.value, '$.accounts'), "
      "json_extract(j.value, '$.posts'), json_extract(j.value, '$.example_doc_id') "
      "FROM coord_group_summaries s, json_each(s.top_items) j "
      "WHERE s.run_id = ?1 AND s.group_id = ?2 ORDER BY j.key"));
  items.BindInt64(1, g.run_id);
  items.BindInt64(2, group_id);
  std::vector<std::pair<ShownGroupItem, int64_t>> item_rows;
  while ((rc = items.Step()) == SQLITE_ROW) {
    ShownGroupItem it;
    it.behaviour = std::string(items.TextView(0));
    it.accounts = items.Int64(1);
    it.posts = items.Int64(2);
    item_rows.emplace_back(std::move(it), items.Int64(3));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the group's top items");
  for (auto& [it, doc] : item_rows) {
    ET_ASSIGN_OR_RETURN(it.example, LoadPost(store, doc));
    g.top_items.push_back(std::move(it));
  }

  // Edges with both ends in the group.
  const char* kInside =
      "FROM coord_edges e JOIN coord_groups ga ON ga.run_id = e.run_id AND ga.account = "
      "e.account_a JOIN coord_groups gb ON gb.run_id = e.run_id AND gb.account = e.account_b "
      "WHERE e.run_id = ?1 AND ga.group_id = ?2 AND gb.group_id = ?2";
  Stmt count;
  ET_RETURN_IF_ERROR(count.Prepare(db, std::string("SELECT count(*) ") + kInside));
  count.BindInt64(1, g.run_id);
  count.BindInt64(2, group_id);
  if ((rc = count.Step()) != SQLITE_ROW) return SqliteStatus(db, rc, "counting the edges");
  g.edges_total = count.Int64(0);

  Stmt edges;
  ET_RETURN_IF_ERROR(edges.Prepare(
      db, std::string("SELECT e.edge_id, e.account_a, e.account_b, e.behaviour, e.weight, "
                      "e.window, e.symmetry, e.first_time, e.last_time ") +
              kInside + " ORDER BY e.weight DESC, e.edge_id LIMIT ?3"));
  edges.BindInt64(1, g.run_id);
  edges.BindInt64(2, group_id);
  edges.BindInt64(3, edge_limit);
  while ((rc = edges.Step()) == SQLITE_ROW) {
    ShownEdge e;
    e.edge_id = edges.Int64(0);
    e.account_a = std::string(edges.TextView(1));
    e.account_b = std::string(edges.TextView(2));
    e.behaviour = std::string(edges.TextView(3));
    e.weight = edges.Int64(4);
    e.window = edges.Int64(5);
    e.symmetry = edges.Double(6);
    e.first_time = edges.Int64(7);
    e.last_time = edges.Int64(8);
    ET_ASSIGN_OR_RETURN(e.window_weights, coord::ReadEdgeWindowWeights(store, g.run_id, e.edge_id));
    g.edges.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the group's edges");

  Stmt ev;
  ET_RETURN_IF_ERROR(
      ev.Prepare(db,
                 "SELECT v.post_a, v.post_b FROM coord_evidence v JOIN docs a ON a.id = v.post_a "
                 "JOIN docs b ON b.id = v.post_b WHERE v.run_id = ?1 AND v.edge_id = ?2 "
                 "ORDER BY min(a.time, b.time), v.post_a, v.post_b"));
  Stmt ev_count;
  ET_RETURN_IF_ERROR(ev_count.Prepare(
      db, "SELECT count(*) FROM coord_evidence WHERE run_id = ?1 AND edge_id = ?2"));
  for (ShownEdge& e : g.edges) {
    ev_count.Reset();
    ev_count.BindInt64(1, g.run_id);
    ev_count.BindInt64(2, e.edge_id);
    if ((rc = ev_count.Step()) != SQLITE_ROW) return SqliteStatus(db, rc, "counting evidence");
    e.evidence_stored = ev_count.Int64(0);
    ev.Reset();
    ev.BindInt64(1, g.run_id);
    ev.BindInt64(2, e.edge_id);
    std::vector<std::pair<int64_t, int64_t>> pairs;
    while (static_cast<int>(pairs.size()) < evidence_limit && (rc = ev.Step()) == SQLITE_ROW) {
      pairs.emplace_back(ev.Int64(0), ev.Int64(1));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading evidence");
    for (const auto& [a, b] : pairs) {
      ET_ASSIGN_OR_RETURN(ShownPost pa, LoadPost(store, a));
      ET_ASSIGN_OR_RETURN(ShownPost pb, LoadPost(store, b));
      e.evidence.emplace_back(std::move(pa), std::move(pb));
    }
  }
  return g;
}

std::string RenderGroup(const ShownGroup& g) {
  std::string out;
  char buf[512];
  std::snprintf(
      buf, sizeof buf, "group %lld (coordination run %lld): %llu accounts, %llu posts; %s to %s",
      static_cast<long long>(g.group_id), static_cast<long long>(g.run_id),
      static_cast<unsigned long long>(g.accounts), static_cast<unsigned long long>(g.posts),
      When(g.first_time).c_str(), When(g.last_time).c_str());
  out += buf;
  if (g.burstiness) {
    std::snprintf(buf, sizeof buf, "; burstiness %.2f", *g.burstiness);
    out += buf;
  }
  out += "\nbehaviours: " + TerminalSafe(g.behaviours_json, false) + "\n";
  out += "\nmembers (" + std::to_string(g.members.size()) + "):";
  size_t col = 80;
  for (const std::string& m : g.members) {
    std::string safe = TerminalSafe(m, false);
    if (col + safe.size() + 1 > 78) {
      out += "\n  ";
      col = 2;
    } else {
      out += ' ';
      ++col;
    }
    out += safe;
    col += safe.size();
  }
  out += '\n';
  if (!g.top_items.empty()) {
    out += "\nmost shared inside the group:\n";
    for (const ShownGroupItem& it : g.top_items) {
      std::snprintf(
          buf, sizeof buf, "  %-10s %3llu accounts %4llu posts  e.g. %s: ", it.behaviour.c_str(),
          static_cast<unsigned long long>(it.accounts), static_cast<unsigned long long>(it.posts),
          TerminalSafe(it.example.ext_id, false).c_str());
      out += buf;
      out += OneLine(it.example.text, 160);
      out += '\n';
    }
  }
  out += "\nedges inside the group: " + std::to_string(g.edges_total);
  if (g.edges.size() < g.edges_total) {
    out += " (the " + std::to_string(g.edges.size()) + " heaviest shown; raise --limit)";
  }
  out += '\n';
  for (const ShownEdge& e : g.edges) {
    std::snprintf(buf, sizeof buf,
                  "\n  %s -- %s  %s, weight %llu at any window (%s), symmetry %.2f, %s to %s\n",
                  TerminalSafe(e.account_a, false).c_str(),
                  TerminalSafe(e.account_b, false).c_str(), e.behaviour.c_str(),
                  static_cast<unsigned long long>(e.weight), WindowWeights(e).c_str(), e.symmetry,
                  FormatTimeIso(e.first_time).c_str(), FormatTimeIso(e.last_time).c_str());
    out += buf;
    for (const auto& [a, b] : e.evidence) {
      long long gap = (a.time && b.time) ? std::llabs(*a.time - *b.time) : -1;
      out += "    " + When(a.time) + "  " + TerminalSafe(a.author, false) + ": " +
             OneLine(a.text, 140) + "\n";
      out += "    " + When(b.time) + "  " + TerminalSafe(b.author, false) + ": " +
             OneLine(b.text, 140);
      if (gap >= 0) out += "   (" + std::to_string(gap) + " s apart)";
      out += "\n\n";
    }
    if (e.evidence.size() < e.evidence_stored) {
      out += "    (" + std::to_string(e.evidence_stored - e.evidence.size()) +
             " more stored pairs; raise --evidence)\n";
    }
    if (e.evidence_stored < e.weight) {
      out += "    (" + std::to_string(e.weight - e.evidence_stored) +
             " co-actions beyond the evidence kept per edge)\n";
    }
  }
  return out;
}

}  // namespace echotrace

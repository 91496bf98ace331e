// show group: a coordinated group with the evidence behind it. Analysts do
// not act on a community id; they act on the posts: who posted what, when,
// how close together. This prints the group's figures, its members, what it
// shared most, and its heaviest edges each with the post pairs that make it.
#include <cstdio>

#include "coord/results.h"
#include "echotrace/show.h"
#include "query/terminal.h"
#include "text/time_parse.h"

namespace echotrace {

namespace {

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
  ET_ASSIGN_OR_RETURN(std::optional<int64_t> run, coord::LatestCoordRun(store));
  if (!run) {
    return Status::NotFound(
        "the store has no coordination result yet; run: echotrace analyze --db DB --only "
        "coordination");
  }
  coord::CoordResultReader reader(store, *run);
  ET_ASSIGN_OR_RETURN(std::optional<coord::StoredGroup> summary, reader.Group(group_id));
  if (!summary) {
    return Status::NotFound("no group " + std::to_string(group_id) +
                            " in the latest coordination result (list them with: echotrace "
                            "export --db DB --what groups)");
  }
  ShownGroup g;
  g.group_id = group_id;
  g.run_id = *run;
  g.accounts = summary->accounts;
  g.posts = summary->posts;
  g.first_time = summary->first_time;
  g.last_time = summary->last_time;
  g.burstiness = summary->burstiness;
  g.behaviours_json = summary->behaviours;
  ET_ASSIGN_OR_RETURN(g.members, reader.GroupMembers(group_id, -1));
  for (const coord::GroupTopItem& item : summary->top_items) {
    ShownGroupItem it;
    it.behaviour = item.behaviour;
    it.accounts = item.accounts;
    it.posts = item.posts;
    ET_ASSIGN_OR_RETURN(it.example, LoadPost(store, item.example_doc));
    g.top_items.push_back(std::move(it));
  }

  // Edges with both ends in the group.
  ET_ASSIGN_OR_RETURN(int64_t edges_total, reader.CountEdgesInside(group_id));
  g.edges_total = static_cast<uint64_t>(edges_total);
  ET_ASSIGN_OR_RETURN(std::vector<coord::EdgeRecord> edges,
                      reader.EdgesInside(group_id, edge_limit));
  for (coord::EdgeRecord& r : edges) {
    ShownEdge e;
    e.edge_id = r.edge_id;
    e.account_a = std::move(r.account_a);
    e.account_b = std::move(r.account_b);
    e.behaviour = std::move(r.behaviour);
    e.weight = static_cast<uint64_t>(r.weight);
    e.window = r.window;
    e.symmetry = r.symmetry;
    e.first_time = r.first_time;
    e.last_time = r.last_time;
    ET_ASSIGN_OR_RETURN(e.window_weights, coord::ReadEdgeWindowWeights(store, g.run_id, e.edge_id));
    ET_ASSIGN_OR_RETURN(int64_t stored, reader.CountEvidence(e.edge_id));
    e.evidence_stored = static_cast<uint64_t>(stored);
    ET_ASSIGN_OR_RETURN(std::vector<coord::EvidencePair> pairs,
                        reader.Evidence(e.edge_id, evidence_limit));
    for (const coord::EvidencePair& p : pairs) {
      ET_ASSIGN_OR_RETURN(ShownPost pa, LoadPost(store, p.post_a));
      ET_ASSIGN_OR_RETURN(ShownPost pb, LoadPost(store, p.post_b));
      e.evidence.emplace_back(std::move(pa), std::move(pb));
    }
    g.edges.push_back(std::move(e));
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

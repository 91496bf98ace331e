// The coordination view of BundleSource (bundle.h): the shapes
// Coordination, GroupDetail and EdgeDetail of docs/api.md over the
// coordination detector's reader (coord/results.h), which also says what
// item a group's stored key stands for.
#include <sqlite3.h>

#include <set>
#include <unordered_map>
#include <unordered_set>

#include "coord/results.h"
#include "web/bundle.h"
#include "web/bundle_views.h"

namespace echotrace::web {

using bundle_internal::kExcerptBytes;
using bundle_internal::NotAnalysed;

// A readable name for a group's shared item (docs/api.md, TopItem.label):
// the link or the hashtags it stands for, the parent post replied to or
// reposted, else the example post's text. Keys are hashes (docs/schema.md),
// so the example document is where the readable form is found.
Result<std::string> BundleSource::ItemLabel(std::string_view behaviour, int64_t key,
                                            int64_t example_doc) {
  ET_ASSIGN_OR_RETURN(std::optional<std::string> label,
                      Timed(coord::ItemLabel(store_, behaviour, key, example_doc, kExcerptBytes)));
  if (label) return *std::move(label);
  return Excerpt(example_doc, 0, INT64_MAX / 2, 120);
}

// The edge's weight at each window (coord_edge_windows), narrowest first, as
// "windows": [{"window", "weight"}]: `weight` counts co-actions at any window,
// so a view that names one window must show that window's own count (issue 17
// item 6). One indexed lookup per edge written, after the edge list is cut.
Status BundleSource::WriteEdgeFields(const coord::EdgeRecord& e, JsonWriter* w) {
  w->Key("edge_id").Int(e.edge_id).Key("a").String(e.account_a);
  w->Key("b").String(e.account_b).Key("behaviour").String(e.behaviour);
  w->Key("weight").Int(e.weight).Key("window").Int(e.window);
  w->Key("symmetry").Double(e.symmetry).Key("first_time").Int(e.first_time);
  w->Key("last_time").Int(e.last_time);
  ET_ASSIGN_OR_RETURN(std::vector<coord::EdgeWindowWeight> windows,
                      Timed(coord_->EdgeWindows(e.edge_id)));
  w->Key("windows").BeginArray();
  for (const coord::EdgeWindowWeight& x : windows) {
    w->BeginObject().Key("window").Int(x.window).Key("weight").Int(x.weight).EndObject();
  }
  w->EndArray();
  return Status::OK();
}

Status BundleSource::WriteGroupFields(int64_t group_id, JsonWriter* w, std::vector<int64_t>* docs) {
  ET_ASSIGN_OR_RETURN(std::optional<coord::StoredGroup> found, Timed(coord_->Group(group_id)));
  if (!found) return Status::NotFound("no group " + std::to_string(group_id));
  const coord::StoredGroup& g = *found;
  w->Key("id").Int(group_id).Key("accounts").Int(g.accounts).Key("posts").Int(g.posts);
  w->Key("first_time").OptInt(g.first_time).Key("last_time").OptInt(g.last_time);
  w->Key("burstiness");
  if (g.burstiness) {
    w->Double(*g.burstiness);
  } else {
    w->Null();
  }
  // JSON the store validated (json_valid) as it was read.
  w->Key("behaviours").Raw(g.behaviours_valid ? std::string_view(g.behaviours) : "{}");
  w->Key("top_items").BeginArray();
  for (const coord::GroupTopItem& it : g.top_items) {
    // The key is a hash (docs/schema.md); as a string it survives
    // JavaScript's 53-bit numbers. The example document shows what it is.
    ET_ASSIGN_OR_RETURN(std::string label, ItemLabel(it.behaviour, it.key, it.example_doc));
    w->BeginObject()
        .Key("behaviour")
        .String(it.behaviour)
        .Key("key")
        .String(std::to_string(it.key));
    w->Key("label").String(label);
    w->Key("accounts").Int(it.accounts).Key("posts").Int(it.posts);
    w->Key("example_doc").Int(it.example_doc).EndObject();
    if (docs != nullptr) docs->push_back(it.example_doc);
  }
  w->EndArray();
  return Status::OK();
}

Status BundleSource::WriteCoordination(int64_t edge_limit, int64_t group_limit, JsonWriter* w,
                                       std::vector<int64_t>* edge_ids,
                                       std::vector<int64_t>* group_ids) {
  if (!coord_) return NotAnalysed("coordination");
  JsonWriter edges;
  std::set<std::string> shown;  // accounts of the listed edges, in byte order
  edges.BeginArray();
  {
    ET_ASSIGN_OR_RETURN(std::vector<coord::EdgeRecord> top, Timed(coord_->TopEdges(edge_limit)));
    for (const coord::EdgeRecord& e : top) {
      edges.BeginObject();
      ET_RETURN_IF_ERROR(WriteEdgeFields(e, &edges));
      edges.EndObject();
      shown.insert(e.account_a);
      shown.insert(e.account_b);
      if (edge_ids != nullptr) edge_ids->push_back(e.edge_id);
    }
  }
  edges.EndArray();

  // Degree and weight over the whole graph, one pass over the edges.
  struct NodeFigures {
    std::unordered_set<std::string> neighbours;
    int64_t weight = 0;
  };
  std::unordered_map<std::string, NodeFigures> figures;
  std::unordered_set<std::string> all_accounts;
  int64_t edges_total = 0;
  ET_RETURN_IF_ERROR(
      Timed(coord_->ForEachEdge([&](std::string_view av, std::string_view bv, int64_t weight) {
        ++edges_total;
        std::string a(av), b(bv);
        if (shown.count(a)) {
          figures[a].neighbours.insert(b);
          figures[a].weight += weight;
        }
        if (shown.count(b)) {
          figures[b].neighbours.insert(a);
          figures[b].weight += weight;
        }
        all_accounts.insert(std::move(a));
        all_accounts.insert(std::move(b));
      })));
  ET_RETURN_IF_ERROR(CheckTime());

  w->BeginObject().Key("run_id").Int(coord_->run_id()).Key("nodes").BeginArray();
  {
    store_internal::Stmt posts;
    ET_RETURN_IF_ERROR(posts.Prepare(db_, "SELECT count(*) FROM docs WHERE author = ?1"));
    for (const std::string& acc : shown) {
      ET_RETURN_IF_ERROR(CheckTime());
      ET_ASSIGN_OR_RETURN(std::optional<int64_t> gid, Timed(coord_->GroupOf(acc)));
      posts.Reset();
      posts.BindText(1, acc);
      int rc = posts.Step();
      if (rc != SQLITE_ROW) return StepError(rc, "counting an account's posts");
      const NodeFigures& f = figures[acc];
      w->BeginObject().Key("id").String(acc).Key("group").OptInt(gid);
      w->Key("posts").Int(posts.Int64(0));
      w->Key("degree").Int(static_cast<int64_t>(f.neighbours.size()));
      w->Key("weight").Int(f.weight).EndObject();
    }
  }
  w->EndArray().Key("nodes_total").Int(static_cast<int64_t>(all_accounts.size()));
  w->Key("edges").Raw(edges.str()).Key("edges_total").Int(edges_total);

  ET_ASSIGN_OR_RETURN(std::vector<int64_t> groups, Timed(coord_->LargestGroups(group_limit)));
  ET_ASSIGN_OR_RETURN(int64_t groups_total, Timed(coord_->CountGroups()));
  w->Key("groups").BeginArray();
  for (int64_t g : groups) {
    w->BeginObject();
    ET_RETURN_IF_ERROR(WriteGroupFields(g, w, nullptr));
    w->EndObject();
    if (group_ids != nullptr) group_ids->push_back(g);
  }
  w->EndArray().Key("groups_total").Int(groups_total).EndObject();
  return Status::OK();
}

Status BundleSource::WriteGroupDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                                      std::vector<int64_t>* docs) {
  if (!coord_) return NotAnalysed("coordination");
  JsonWriter fields;  // so that an unknown id leaves *w untouched
  fields.BeginObject();
  ET_RETURN_IF_ERROR(WriteGroupFields(id, &fields, docs));
  ET_ASSIGN_OR_RETURN(std::vector<std::string> members,
                      Timed(coord_->GroupMembers(id, lim.group_members)));
  fields.Key("members").BeginArray();
  for (const std::string& m : members) fields.String(m);
  fields.EndArray();
  ET_ASSIGN_OR_RETURN(int64_t members_total, Timed(coord_->CountGroupMembers(id)));
  fields.Key("members_total").Int(members_total);

  ET_ASSIGN_OR_RETURN(std::vector<coord::EdgeRecord> inside,
                      Timed(coord_->EdgesInside(id, lim.group_edges)));
  fields.Key("edges").BeginArray();
  for (const coord::EdgeRecord& e : inside) {
    fields.BeginObject();
    ET_RETURN_IF_ERROR(WriteEdgeFields(e, &fields));
    fields.EndObject();
  }
  fields.EndArray();
  ET_ASSIGN_OR_RETURN(int64_t edges_total, Timed(coord_->CountEdgesInside(id)));
  fields.Key("edges_total").Int(edges_total).EndObject();
  w->Raw(fields.str());
  return Status::OK();
}

Status BundleSource::WriteEdgeDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                                     std::vector<int64_t>* docs) {
  if (!coord_) return NotAnalysed("coordination");
  ET_ASSIGN_OR_RETURN(std::optional<coord::EdgeRecord> edge, Timed(coord_->Edge(id)));
  if (!edge) return Status::NotFound("no edge " + std::to_string(id));
  JsonWriter out;
  out.BeginObject();
  ET_RETURN_IF_ERROR(WriteEdgeFields(*edge, &out));
  ET_ASSIGN_OR_RETURN(std::vector<coord::EvidencePair> pairs,
                      Timed(coord_->Evidence(id, lim.evidence)));
  out.Key("evidence").BeginArray();
  for (const coord::EvidencePair& p : pairs) {
    out.BeginObject().Key("post_a");
    ET_RETURN_IF_ERROR(WriteDoc(p.post_a, lim.text_cut, &out));
    out.Key("post_b");
    ET_RETURN_IF_ERROR(WriteDoc(p.post_b, lim.text_cut, &out));
    out.Key("behaviour").String(edge->behaviour).Key("gap").Int(p.gap).EndObject();
    if (docs != nullptr) {
      docs->push_back(p.post_a);
      docs->push_back(p.post_b);
    }
  }
  out.EndArray();
  ET_ASSIGN_OR_RETURN(int64_t evidence_total, Timed(coord_->CountEvidence(id)));
  out.Key("evidence_total").Int(evidence_total).EndObject();
  w->Raw(out.str());
  return Status::OK();
}

}  // namespace echotrace::web

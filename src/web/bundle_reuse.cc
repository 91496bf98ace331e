// The passage-reuse view of BundleSource (bundle.h): the shapes ReuseList
// and ReuseDetail of docs/api.md over the reuse detector's reader
// (reuse/results.h), each occurrence aligned to the origin with the one
// renderer of reuse/alignment.h.
#include <sqlite3.h>

#include "reuse/alignment.h"
#include "reuse/results.h"
#include "web/bundle.h"
#include "web/bundle_views.h"

namespace echotrace::web {

using bundle_internal::DayString;
using bundle_internal::kExcerptBytes;
using bundle_internal::NotAnalysed;
using bundle_internal::StringOrNull;

namespace {

ReuseClusterOrder OrderOf(ReuseSort sort) {
  switch (sort) {
    case ReuseSort::kSources:
      return ReuseClusterOrder::kSources;
    case ReuseSort::kFirstTime:
      return ReuseClusterOrder::kFirstTime;
    case ReuseSort::kDocuments:
      break;
  }
  return ReuseClusterOrder::kDocuments;
}

}  // namespace

Result<ReuseClusterSummary> BundleSource::WriteReuseFields(int64_t cluster_id, JsonWriter* w) {
  ET_ASSIGN_OR_RETURN(std::optional<ReuseClusterSummary> found, Timed(reuse_->Cluster(cluster_id)));
  if (!found) return Status::NotFound("no reuse cluster " + std::to_string(cluster_id));
  const ReuseClusterSummary& c = *found;
  w->Key("id").Int(c.cluster_id);
  w->Key("origin_doc").Int(c.origin_doc);
  w->Key("origin_time").OptInt(c.origin_time);
  w->Key("occurrences").Int(c.occurrences);
  w->Key("documents").Int(c.documents);
  w->Key("sources").Int(c.sources);
  w->Key("authors").Int(c.authors);
  w->Key("first_time").OptInt(c.first_time);
  w->Key("last_time").OptInt(c.last_time);
  ET_ASSIGN_OR_RETURN(std::string excerpt,
                      Excerpt(c.origin_doc, c.origin_start, c.origin_end, kExcerptBytes));
  w->Key("excerpt").String(excerpt);
  // origin_doc is the earliest dated occurrence; with undated documents in
  // the cluster it is not provably the origin (issue 17 item 4).
  ET_ASSIGN_OR_RETURN(uint64_t undated,
                      Timed(CountUndatedReuseDocuments(store_, reuse_->run_id(), cluster_id)));
  w->Key("undated").Uint(undated).Key("origin_certain").Bool(undated == 0);
  return c;
}

Status BundleSource::WriteReuseList(ReuseSort sort, int64_t offset, int64_t limit, JsonWriter* w,
                                    std::vector<int64_t>* ids) {
  if (!reuse_) return NotAnalysed("reuse");
  ET_ASSIGN_OR_RETURN(std::vector<int64_t> page,
                      Timed(reuse_->ListClusters(OrderOf(sort), offset, limit)));
  w->BeginObject().Key("run_id").Int(reuse_->run_id()).Key("clusters").BeginArray();
  for (int64_t id : page) {
    ET_RETURN_IF_ERROR(CheckTime());
    w->BeginObject();
    ET_RETURN_IF_ERROR(WriteReuseFields(id, w).status());
    w->EndObject();
    if (ids != nullptr) ids->push_back(id);
  }
  w->EndArray();
  ET_ASSIGN_OR_RETURN(int64_t total, Timed(reuse_->CountClusters()));
  w->Key("clusters_total").Int(total).EndObject();
  return Status::OK();
}

Status BundleSource::WriteReuseDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                                      std::vector<int64_t>* docs) {
  if (!reuse_) return NotAnalysed("reuse");
  JsonWriter rest;  // whole, so that an unknown id leaves *w untouched
  rest.BeginObject();
  ET_ASSIGN_OR_RETURN(ReuseClusterSummary c, WriteReuseFields(id, &rest));

  std::string origin_text;
  {
    store_internal::Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(
        db_, "SELECT substr(CAST(text AS BLOB), ?2 + 1, ?3 - ?2) FROM docs WHERE id = ?1"));
    st.BindInt64(1, c.origin_doc);
    st.BindInt64(2, c.origin_start);
    st.BindInt64(3, c.origin_end);
    int rc = st.Step();
    if (rc == SQLITE_ROW)
      origin_text = st.Text(0);
    else if (rc != SQLITE_DONE)
      return StepError(rc, "reading the origin passage");
  }

  rest.Key("occurrence_list").BeginArray();
  ET_ASSIGN_OR_RETURN(std::vector<ReuseOccurrenceView> occurrences,
                      Timed(reuse_->Occurrences(c, lim.occurrences)));
  bool origin_seen = false;
  for (const ReuseOccurrenceView& o : occurrences) {
    ET_RETURN_IF_ERROR(CheckTime());
    bool is_origin = !origin_seen && o.doc_id == c.origin_doc && o.start == c.origin_start;
    origin_seen = origin_seen || is_origin;
    double identity = 1;
    std::vector<Segment> segs;
    if (is_origin) {
      segs.push_back(Segment{'=', o.text});
    } else {
      segs = AlignToOrigin(origin_text, o.text, &identity);
    }
    rest.BeginObject().Key("doc").Int(o.doc_id).Key("ext_id").String(o.ext_id);
    rest.Key("start").Int(o.start);
    rest.Key("end").Int(o.end).Key("text").String(o.text);
    rest.Key("is_origin").Bool(is_origin).Key("time").OptInt(o.time);
    rest.Key("source");
    StringOrNull(o.source, &rest);
    rest.Key("author");
    StringOrNull(o.author, &rest);
    rest.Key("identity").Double(identity).Key("segments").BeginArray();
    for (const Segment& s : segs) {
      char op[2] = {s.op, 0};
      rest.BeginObject().Key("op").String(op).Key("text").String(s.text).EndObject();
    }
    rest.EndArray().EndObject();
    if (docs != nullptr) docs->push_back(o.doc_id);
  }
  rest.EndArray();
  ET_ASSIGN_OR_RETURN(int64_t total, Timed(reuse_->CountOccurrences(id)));
  rest.Key("occurrence_list_total").Int(total);
  rest.Key("spread").BeginArray();
  ET_ASSIGN_OR_RETURN(std::vector<ReuseSpreadRow> spread, Timed(reuse_->Spread(id)));
  for (const ReuseSpreadRow& r : spread) {
    rest.BeginObject().Key("day").String(DayString(r.day)).Key("source");
    StringOrNull(r.source, &rest);
    rest.Key("occurrences").Int(r.occurrences).EndObject();
  }
  rest.EndArray().EndObject();
  w->Raw(rest.str());
  return Status::OK();
}

}  // namespace echotrace::web

// The near-duplicate view of BundleSource (bundle.h): the shapes
// NeardupList and NeardupDetail of docs/api.md over the near-duplicate
// detector's reader (neardup/results.h).
#include "neardup/results.h"
#include "web/bundle.h"
#include "web/bundle_views.h"

namespace echotrace::web {

using bundle_internal::kExcerptBytes;
using bundle_internal::NotAnalysed;

Status BundleSource::WriteNeardupFields(int64_t cluster_id, int64_t size, JsonWriter* w) {
  ET_ASSIGN_OR_RETURN(auto span, Timed(neardup_->TimeSpan(cluster_id)));
  w->Key("id").Int(cluster_id).Key("size").Int(size);
  w->Key("first_time").OptInt(span.first).Key("last_time").OptInt(span.second);
  // The cluster id is the docs.id of its earliest-ingested member.
  w->Key("example_doc").Int(cluster_id);
  ET_ASSIGN_OR_RETURN(std::string excerpt,
                      Excerpt(cluster_id, 0, static_cast<int64_t>(1) << 40, kExcerptBytes));
  w->Key("excerpt").String(excerpt);
  return Status::OK();
}

Status BundleSource::WriteNeardupList(int64_t offset, int64_t limit, JsonWriter* w,
                                      std::vector<int64_t>* ids) {
  if (!neardup_) return NotAnalysed("neardup");
  ET_ASSIGN_OR_RETURN(std::vector<NearDupClusterSize> page,
                      Timed(neardup_->ListClusters(offset, limit)));
  ET_ASSIGN_OR_RETURN(int64_t total, Timed(neardup_->CountClusters()));
  w->BeginObject().Key("run_id").Int(neardup_->run_id()).Key("clusters").BeginArray();
  for (const NearDupClusterSize& c : page) {
    ET_RETURN_IF_ERROR(CheckTime());
    w->BeginObject();
    ET_RETURN_IF_ERROR(WriteNeardupFields(c.cluster_id, c.size, w));
    w->EndObject();
    if (ids != nullptr) ids->push_back(c.cluster_id);
  }
  w->EndArray().Key("clusters_total").Int(total).EndObject();
  return Status::OK();
}

Status BundleSource::WriteNeardupDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                                        std::vector<int64_t>* docs) {
  if (!neardup_) return NotAnalysed("neardup");
  ET_ASSIGN_OR_RETURN(int64_t size, Timed(neardup_->ClusterSize(id)));
  if (size == 0) return Status::NotFound("no near-duplicate cluster " + std::to_string(id));
  ET_ASSIGN_OR_RETURN(std::vector<int64_t> members, Timed(neardup_->Members(id, lim.members)));
  w->BeginObject();
  ET_RETURN_IF_ERROR(WriteNeardupFields(id, size, w));
  w->Key("members").BeginArray();
  for (int64_t d : members) {
    ET_RETURN_IF_ERROR(CheckTime());
    ET_RETURN_IF_ERROR(WriteDoc(d, lim.text_cut, w));
    if (docs != nullptr) docs->push_back(d);
  }
  w->EndArray().Key("members_total").Int(size).EndObject();
  return Status::OK();
}

}  // namespace echotrace::web

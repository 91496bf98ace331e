// The report: a Bundle (docs/api.md) of the top N of every view, written
// into the app's HTML shell.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <set>
#include <unordered_set>

#include "echotrace/web.h"
#include "store/sqlite_util.h"
#include "web/bundle.h"
#include "web/html.h"

namespace echotrace {

namespace {

using store_internal::Stmt;
using web::BundleSource;
using web::DetailLimits;

int64_t GeneratedAt(const ReportOptions& o) {
  if (o.generated_at) return *o.generated_at;
  // Reproducible builds' convention: a fixed time from the environment.
  if (const char* e = std::getenv("SOURCE_DATE_EPOCH"); e != nullptr && *e != '\0') {
    char* end = nullptr;
    long long v = std::strtoll(e, &end, 10);
    if (end != nullptr && *end == '\0') return v;
  }
  return static_cast<int64_t>(std::time(nullptr));
}

// Progress of one phase on stderr: a line every 5 s while it runs, and one
// at its end when it took more than a second (a small store prints nothing
// but the final summary of the CLI).
class Phase {
 public:
  Phase(const char* label, size_t total, bool show)
      : label_(label), total_(total), show_(show), start_(Clock::now()), last_(start_) {}
  ~Phase() {
    double s = Seconds(start_);
    if (show_ && s > 1) {
      std::fprintf(stderr, "report: %s: %zu in %.1f s\n", label_, n_, s);
    }
  }
  void Tick() {
    ++n_;
    if (show_ && n_ < total_ && Seconds(last_) >= 5) {
      last_ = Clock::now();
      std::fprintf(stderr, "report: %s: %zu of %zu (%.0f s)\n", label_, n_, total_,
                   Seconds(start_));
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  static double Seconds(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  }
  const char* label_;
  size_t total_;
  bool show_;
  Clock::time_point start_, last_;
  size_t n_ = 0;
};

Status CheckCancel(const ReportOptions& o) {
  if (o.cancel != nullptr && o.cancel->load()) return Status::Cancelled("report interrupted");
  return Status::OK();
}

// The whole store goes into the report's search when it is small: at most
// `limits.docs` documents and kAllDocsBytes of (cut) text. Then the report
// searches what `serve` searches (issue 17 item 10: a search for a word every
// document holds found nothing, because only documents shown in the results
// were carried).
constexpr int64_t kAllDocsBytes = 8 << 20;

Status AddAllDocsWhenSmall(Store* store, const ReportLimits& L, std::set<int64_t>* keep) {
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(store_internal::Handle(store),
                 "SELECT count(*), coalesce(sum(min(length(CAST(text AS BLOB)), ?1)), 0) "
                 "FROM docs"));
  st.BindInt64(1, L.text_cut);
  int rc = st.Step();
  if (rc != SQLITE_ROW)
    return store_internal::SqliteStatus(store_internal::Handle(store), rc, "counting documents");
  if (st.Int64(0) > L.docs || st.Int64(1) > kAllDocsBytes) return Status::OK();
  Stmt all;
  ET_RETURN_IF_ERROR(all.Prepare(store_internal::Handle(store), "SELECT id FROM docs"));
  while ((rc = all.Step()) == SQLITE_ROW) keep->insert(all.Int64(0));
  if (rc != SQLITE_DONE)
    return store_internal::SqliteStatus(store_internal::Handle(store), rc, "listing documents");
  return Status::OK();
}

Status BuildBundleInSnapshot(Store* store, const ReportOptions& o, std::string* out,
                             uint64_t* docs_written) {
  const ReportLimits& L = o.limits;
  DetailLimits dl;
  dl.occurrences = L.occurrences;
  dl.members = L.members;
  dl.evidence = L.evidence;
  dl.group_members = L.group_members;
  dl.group_edges = L.group_edges;
  dl.text_cut = static_cast<size_t>(L.text_cut);

  BundleSource src(store);
  src.SetCancel(o.cancel);
  ET_RETURN_IF_ERROR(src.Init());
  std::vector<int64_t> docs;  // shown by some detail, in order of appearance

  JsonWriter w;
  w.BeginObject().Key("meta");
  web::WriteMeta("report", store->path(), GeneratedAt(o), L, &w);
  {
    Phase p("overview", 1, o.progress);
    w.Key("overview");
    ET_RETURN_IF_ERROR(src.WriteOverview(&w));
    p.Tick();
  }

  // Each list, then the detail of every listed item keyed by id.
  std::vector<int64_t> ids;
  w.Key("reuse");
  if (src.reuse_run()) {
    ET_RETURN_IF_ERROR(src.WriteReuseList(web::ReuseSort::kDocuments, 0, L.reuse, &w, &ids));
  } else {
    w.Null();
  }
  w.Key("reuse_detail").BeginObject();
  {
    Phase p("reuse clusters", ids.size(), o.progress);
    for (int64_t id : ids) {
      ET_RETURN_IF_ERROR(CheckCancel(o));
      w.Key(std::to_string(id));
      ET_RETURN_IF_ERROR(src.WriteReuseDetail(id, dl, &w, &docs));
      p.Tick();
    }
  }
  w.EndObject();

  ids.clear();
  w.Key("neardup");
  if (src.neardup_run()) {
    ET_RETURN_IF_ERROR(src.WriteNeardupList(0, L.neardup, &w, &ids));
  } else {
    w.Null();
  }
  w.Key("neardup_detail").BeginObject();
  {
    Phase p("near-duplicate clusters", ids.size(), o.progress);
    for (int64_t id : ids) {
      ET_RETURN_IF_ERROR(CheckCancel(o));
      w.Key(std::to_string(id));
      ET_RETURN_IF_ERROR(src.WriteNeardupDetail(id, dl, &w, &docs));
      docs.push_back(id);  // the example document (the cluster's id)
      p.Tick();
    }
  }
  w.EndObject();

  std::vector<int64_t> edge_ids, group_ids;
  w.Key("coordination");
  if (src.coord_run()) {
    ET_RETURN_IF_ERROR(src.WriteCoordination(L.edges, L.groups, &w, &edge_ids, &group_ids));
  } else {
    w.Null();
  }
  w.Key("groups").BeginObject();
  {
    Phase p("groups", group_ids.size(), o.progress);
    for (int64_t id : group_ids) {
      ET_RETURN_IF_ERROR(CheckCancel(o));
      w.Key(std::to_string(id));
      ET_RETURN_IF_ERROR(src.WriteGroupDetail(id, dl, &w, &docs));
      p.Tick();
    }
  }
  w.EndObject();
  w.Key("edges").BeginObject();
  {
    Phase p("edges", edge_ids.size(), o.progress);
    for (int64_t id : edge_ids) {
      ET_RETURN_IF_ERROR(CheckCancel(o));
      w.Key(std::to_string(id));
      ET_RETURN_IF_ERROR(src.WriteEdgeDetail(id, dl, &w, &docs));
      p.Tick();
    }
  }
  w.EndObject();

  // The documents the details show, first shown first when over the cap,
  // written in id order; every document when the whole store fits.
  std::set<int64_t> keep;
  for (int64_t d : docs) {
    if (keep.size() >= static_cast<size_t>(L.docs)) break;
    keep.insert(d);
  }
  ET_RETURN_IF_ERROR(AddAllDocsWhenSmall(store, L, &keep));
  w.Key("docs").BeginObject();
  {
    Phase p("documents", keep.size(), o.progress);
    for (int64_t d : keep) {
      ET_RETURN_IF_ERROR(CheckCancel(o));
      w.Key(std::to_string(d));
      ET_RETURN_IF_ERROR(src.WriteDoc(d, dl.text_cut, &w));
      p.Tick();
    }
  }
  w.EndObject().EndObject();
  *docs_written = keep.size();
  *out = w.Take();
  return Status::OK();
}

Status ValidateLimits(const ReportLimits& L) {
  const std::pair<const char*, int> all[] = {{"reuse", L.reuse},
                                             {"neardup", L.neardup},
                                             {"edges", L.edges},
                                             {"groups", L.groups},
                                             {"docs", L.docs},
                                             {"occurrences", L.occurrences},
                                             {"members", L.members},
                                             {"evidence", L.evidence},
                                             {"group_members", L.group_members},
                                             {"group_edges", L.group_edges},
                                             {"text_cut", L.text_cut}};
  for (const auto& [name, v] : all) {
    if (v < 0) return Status::InvalidArgument(std::string("report limit ") + name + " is negative");
  }
  return Status::OK();
}

Result<std::string> BuildBundle(Store* store, const ReportOptions& options, uint64_t* docs) {
  ET_RETURN_IF_ERROR(ValidateLimits(options.limits));
  // One read transaction: every part of the report sees the same snapshot,
  // even while another process writes.
  ET_RETURN_IF_ERROR(
      store_internal::Exec(store_internal::Handle(store), "BEGIN", "starting a read"));
  std::string out;
  Status s = BuildBundleInSnapshot(store, options, &out, docs);
  store_internal::Exec(store_internal::Handle(store), "COMMIT", "")
      .ok();  // read-only: cannot lose data
  if (!s.ok()) return s;
  return out;
}

}  // namespace

namespace web {

void WriteMeta(std::string_view mode, const std::string& store_path, int64_t generated_at,
               const ReportLimits& limits, JsonWriter* w) {
  w->BeginObject().Key("version").String(ECHOTRACE_VERSION);
  w->Key("generated_at").Int(generated_at);
  w->Key("store").String(std::filesystem::path(store_path).filename().string());
  w->Key("mode").String(mode);
  w->Key("limits").BeginObject().Key("reuse").Int(limits.reuse);
  w->Key("neardup").Int(limits.neardup).Key("edges").Int(limits.edges);
  w->Key("groups").Int(limits.groups).Key("docs").Int(limits.docs).EndObject();
  w->EndObject();
}

}  // namespace web

Result<std::string> BuildReportBundle(Store* store, const ReportOptions& options) {
  uint64_t docs = 0;
  return BuildBundle(store, options, &docs);
}

Status WriteReport(Store* store, const WebAssets& assets, const std::string& out_path,
                   const ReportOptions& options, ReportSummary* summary) {
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t docs = 0;
  ET_ASSIGN_OR_RETURN(std::string bundle, BuildBundle(store, options, &docs));
  const std::string html = web::RenderReportHtml(
      bundle, assets, std::filesystem::path(store->path()).filename().string());

  // Write beside the target and rename: readers never see half a report.
  const std::string tmp = out_path + ".tmp" + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return Status::IOError("cannot write the report " + out_path +
                           ": cannot create the file (does the folder exist and is it writable?)");
  }
  bool ok = std::fwrite(html.data(), 1, html.size(), f) == html.size();
  ok = std::fclose(f) == 0 && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, out_path, ec);
  if (!ok || ec) {
    std::filesystem::remove(tmp, ec);
    return Status::IOError("cannot write the report " + out_path + " (disk full?)");
  }
  if (summary != nullptr) {
    summary->bytes = html.size();
    summary->bundle_bytes = bundle.size();
    summary->docs = docs;
    summary->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  return Status::OK();
}

}  // namespace echotrace

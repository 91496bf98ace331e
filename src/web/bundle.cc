#include "web/bundle.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "claims/search.h"
#include "coord/results.h"
#include "reuse/alignment.h"
#include "reuse/results.h"
#include "text/time_parse.h"
#include "text/utf8.h"

namespace echotrace::web {

namespace {

using store_internal::SqliteStatus;
using store_internal::Stmt;

constexpr size_t kExcerptBytes = 300;  // docs/api.md: excerpts cut at 300 bytes
constexpr size_t kOverviewTop = 50;    // sources, languages, authors listed
constexpr size_t kDaySources = 10;     // sources of their own in by_day

// Floor division of unix seconds into days, in SQL (the % of SQLite keeps
// the sign of the dividend, so times before 1970 need the correction).
std::string DayExpr(const std::string& c) {
  return "((" + c + " - (((" + c + " % 86400) + 86400) % 86400)) / 86400)";
}

std::string DayString(int64_t days) {
  int64_t y;
  int m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(y), m, d);
  return buf;
}

// A text column: null when NULL (the store keeps "absent" as NULL).
void TextOrNull(const Stmt& st, int col, JsonWriter* w) {
  if (st.IsNull(col)) {
    w->Null();
  } else {
    w->String(st.TextView(col));
  }
}

void NotAnalysedMessage(const char* kind, std::string* out) {
  *out = std::string("not analysed: run echotrace analyze --db DB --only ") + kind;
}

int ProgressHandler(void* self) {
  return static_cast<const BundleSource*>(self)->Expired() ? 1 : 0;
}

}  // namespace

BundleSource::BundleSource(Store* store) : store_(store), db_(store->handle()) {
  // Every 1000 virtual machine steps: a long query notices the deadline or
  // Ctrl-C within milliseconds and ends with SQLITE_INTERRUPT (Cancelled).
  sqlite3_progress_handler(db_, 1000, &ProgressHandler, this);
}

BundleSource::~BundleSource() { sqlite3_progress_handler(db_, 0, nullptr, nullptr); }

void BundleSource::SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
  deadline_ = deadline;
}

bool BundleSource::Expired() const {
  if (cancel_ != nullptr && cancel_->load(std::memory_order_relaxed)) return true;
  return deadline_ && std::chrono::steady_clock::now() > *deadline_;
}

Status BundleSource::CheckTime() const {
  if (!Expired()) return Status::OK();
  if (cancel_ != nullptr && cancel_->load(std::memory_order_relaxed)) {
    return Status::Cancelled("interrupted");
  }
  return Status::Cancelled("the answer took longer than its time limit");
}

Status BundleSource::StepError(int rc, std::string_view doing) const {
  if (rc == SQLITE_INTERRUPT) {
    Status t = CheckTime();
    if (!t.ok()) return t;
  }
  return SqliteStatus(db_, rc, doing);
}

Result<std::optional<int64_t>> BundleSource::LatestOkRun(const char* kind, const char* table) {
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db_, "SELECT name FROM sqlite_master WHERE type='table' AND name=?1"));
  st.BindText(1, table);
  int rc = st.Step();
  if (rc == SQLITE_DONE) return std::optional<int64_t>();
  if (rc != SQLITE_ROW) return StepError(rc, "reading the store's tables");
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store_->LatestRun(kind));
  return run ? std::optional<int64_t>(run->id) : std::nullopt;
}

Status BundleSource::Init() {
  ET_ASSIGN_OR_RETURN(reuse_run_, LatestOkRun("reuse", "reuse_clusters"));
  ET_ASSIGN_OR_RETURN(neardup_run_, LatestOkRun("neardup", "neardup_members"));
  ET_ASSIGN_OR_RETURN(coord_run_, LatestOkRun("coordination", "coord_edges"));
  return Status::OK();
}

Result<int64_t> BundleSource::LatestRunId() {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db_, "SELECT coalesce(max(id), 0) FROM runs"));
  int rc = st.Step();
  if (rc != SQLITE_ROW) return StepError(rc, "reading the runs");
  return st.Int64(0);
}

// ---------------------------------------------------------------- documents

Status BundleSource::WriteDoc(int64_t id, size_t text_cut, JsonWriter* w) {
  if (!doc_stmt_.prepared()) {
    ET_RETURN_IF_ERROR(doc_stmt_.Prepare(
        db_,
        "SELECT id, ext_id, source, author, time, title, url, lang, text FROM docs WHERE id = ?1",
        true));
  }
  Stmt& st = doc_stmt_;
  st.Reset();
  st.BindInt64(1, id);
  int rc = st.Step();
  if (rc == SQLITE_DONE) {
    st.Reset();
    return Status::NotFound("no document " + std::to_string(id));
  }
  if (rc != SQLITE_ROW) {
    Status s = StepError(rc, "reading a document");
    st.Reset();
    return s;
  }
  w->BeginObject();
  w->Key("doc").Int(st.Int64(0));
  w->Key("ext_id").String(st.TextView(1));
  w->Key("source");
  TextOrNull(st, 2, w);
  w->Key("author");
  TextOrNull(st, 3, w);
  w->Key("time").OptInt(st.OptInt64(4));
  w->Key("title");
  TextOrNull(st, 5, w);
  w->Key("url");
  TextOrNull(st, 6, w);
  w->Key("lang").String(st.IsNull(7) ? std::string_view("und") : st.TextView(7));
  std::string_view text = st.TextView(8);
  if (text_cut > 0 && text.size() > text_cut) {
    w->Key("text").String(CutUtf8(text, text_cut));
    w->Key("text_cut").Bool(true);
  } else {
    w->Key("text").String(text);
  }
  w->EndObject();
  st.Reset();
  return Status::OK();
}

Result<std::string> BundleSource::Excerpt(int64_t doc, int64_t start, int64_t end, size_t max) {
  Stmt st;
  // Four bytes past the cut tell whether the cut falls inside a character.
  ET_RETURN_IF_ERROR(st.Prepare(
      db_,
      "SELECT substr(CAST(text AS BLOB), ?2 + 1, min(?3 - ?2, ?4 + 4)) FROM docs WHERE id = ?1"));
  st.BindInt64(1, doc);
  st.BindInt64(2, start);
  st.BindInt64(3, end);
  st.BindInt64(4, static_cast<int64_t>(max));
  int rc = st.Step();
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return StepError(rc, "reading an excerpt");
  return std::string(CutUtf8(st.TextView(0), max));
}

// A readable name for a group's shared item (docs/api.md, TopItem.label):
// the link or the hashtags it stands for, the parent post replied to or
// reposted, else the example post's text. Keys are hashes (docs/schema.md),
// so the example document is where the readable form is found.
Result<std::string> BundleSource::ItemLabel(std::string_view behaviour, int64_t key,
                                            int64_t example_doc) {
  ET_ASSIGN_OR_RETURN(std::optional<std::string> label,
                      coord::ItemLabel(store_, behaviour, key, example_doc, kExcerptBytes));
  if (label) return *std::move(label);
  return Excerpt(example_doc, 0, INT64_MAX / 2, 120);
}

// ---------------------------------------------------------------- overview

Status BundleSource::WriteOverview(JsonWriter* w) {
  auto one = [this](const char* sql, std::optional<int64_t>* out) -> Status {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(db_, sql));
    int rc = st.Step();
    if (rc != SQLITE_ROW) return StepError(rc, "reading corpus figures");
    *out = st.OptInt64(0);
    return Status::OK();
  };
  std::optional<int64_t> docs, rejects, undated, tmin, tmax;
  ET_RETURN_IF_ERROR(one("SELECT count(*) FROM docs", &docs));
  ET_RETURN_IF_ERROR(one("SELECT count(*) FROM rejects", &rejects));
  ET_RETURN_IF_ERROR(one("SELECT count(*) FROM docs WHERE time IS NULL", &undated));
  // Separate queries: SQLite answers a lone min() or max() from the index.
  ET_RETURN_IF_ERROR(one("SELECT min(time) FROM docs", &tmin));
  ET_RETURN_IF_ERROR(one("SELECT max(time) FROM docs", &tmax));
  ET_RETURN_IF_ERROR(CheckTime());

  struct KeyCount {
    std::optional<std::string> key;  // nullopt: NULL in the store
    int64_t count = 0;
  };
  auto by_count = [](const KeyCount& a, const KeyCount& b) {
    if (a.count != b.count) return a.count > b.count;
    if (a.key.has_value() != b.key.has_value()) return !a.key.has_value();
    return a.key.value_or("") < b.key.value_or("");
  };
  auto group = [&](const char* sql, std::vector<KeyCount>* out, int64_t* distinct_non_null,
                   size_t keep) -> Status {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(db_, sql));
    int rc;
    // Authors may number millions: keep the best `keep` in a heap whose
    // front is the worst kept.
    while ((rc = st.Step()) == SQLITE_ROW) {
      KeyCount kc;
      if (!st.IsNull(0)) kc.key = st.Text(0);
      kc.count = st.Int64(1);
      if (distinct_non_null != nullptr && kc.key) ++*distinct_non_null;
      if (out->size() == keep && !by_count(kc, out->front())) continue;
      out->push_back(std::move(kc));
      std::push_heap(out->begin(), out->end(), by_count);
      if (out->size() > keep) {
        std::pop_heap(out->begin(), out->end(), by_count);
        out->pop_back();
      }
    }
    if (rc != SQLITE_DONE) return StepError(rc, "counting documents");
    std::sort(out->begin(), out->end(), by_count);
    return Status::OK();
  };
  std::vector<KeyCount> sources, langs, authors;
  int64_t sources_total = 0, authors_total = 0;
  ET_RETURN_IF_ERROR(group("SELECT source, count(*) FROM docs GROUP BY source", &sources,
                           &sources_total, SIZE_MAX));
  ET_RETURN_IF_ERROR(group("SELECT coalesce(lang, 'und'), count(*) FROM docs GROUP BY 1", &langs,
                           nullptr, kOverviewTop));
  ET_RETURN_IF_ERROR(group("SELECT author, count(*) FROM docs WHERE author IS NOT NULL GROUP BY 1",
                           &authors, &authors_total, kOverviewTop));

  w->BeginObject();
  w->Key("docs").Int(docs.value_or(0));
  w->Key("authors").Int(authors_total);
  w->Key("sources_total").Int(sources_total);
  w->Key("rejects").Int(rejects.value_or(0));
  w->Key("time_min").OptInt(tmin);
  w->Key("time_max").OptInt(tmax);
  w->Key("undated").Int(undated.value_or(0));
  auto list = [w](const char* key, const char* name, const std::vector<KeyCount>& v) {
    w->Key(key).BeginArray();
    for (size_t i = 0; i < v.size() && i < kOverviewTop; ++i) {
      w->BeginObject().Key(name);
      if (v[i].key) {
        w->String(*v[i].key);
      } else {
        w->Null();
      }
      w->Key("docs").Int(v[i].count).EndObject();
    }
    w->EndArray();
  };
  list("sources", "source", sources);
  list("langs", "lang", langs);
  list("top_authors", "author", authors);

  // Documents per day and source: the ten largest sources by name, the
  // rest together as "(other)".
  std::map<std::optional<std::string>, size_t> rank;  // source -> rank (kDaySources: other)
  for (size_t i = 0; i < sources.size() && i < kDaySources; ++i) rank[sources[i].key] = i;
  std::map<std::pair<int64_t, size_t>, int64_t> days;
  {
    Stmt st;
    // With one source (a single export, as often), the time index alone
    // answers: seven times faster than reading every row for its source.
    std::string sql = "SELECT " + DayExpr("time") +
                      (sources.size() == 1 ? ", (SELECT source FROM docs LIMIT 1), count(*) FROM "
                                             "docs WHERE time IS NOT NULL GROUP BY 1"
                                           : ", source, count(*) FROM docs WHERE time IS NOT NULL "
                                             "GROUP BY 1, 2");
    ET_RETURN_IF_ERROR(st.Prepare(db_, sql));
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      std::optional<std::string> src;
      if (!st.IsNull(1)) src = st.Text(1);
      auto it = rank.find(src);
      size_t r = it == rank.end() ? kDaySources : it->second;
      days[{st.Int64(0), r}] += st.Int64(2);
    }
    if (rc != SQLITE_DONE) return StepError(rc, "counting documents by day");
  }
  w->Key("by_day").BeginArray();
  for (const auto& [key, n] : days) {
    w->BeginObject().Key("day").String(DayString(key.first)).Key("source");
    if (key.second == kDaySources) {
      w->String("(other)");
    } else if (sources[key.second].key) {
      w->String(*sources[key.second].key);
    } else {
      w->Null();
    }
    w->Key("docs").Int(n).EndObject();
  }
  w->EndArray();

  w->Key("runs").BeginArray();
  {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(db_,
                                  "SELECT id, kind, status, started_at, CASE WHEN "
                                  "json_valid(params) THEN params END FROM runs ORDER BY id"));
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      w->BeginObject().Key("id").Int(st.Int64(0)).Key("kind").String(st.TextView(1));
      w->Key("status").String(st.TextView(2)).Key("started_at").Int(st.Int64(3));
      w->Key("params");
      if (st.IsNull(4)) {
        w->Null();
      } else {
        w->Raw(st.TextView(4));  // JSON the store validated just now
      }
      w->EndObject();
    }
    if (rc != SQLITE_DONE) return StepError(rc, "reading the runs");
  }
  w->EndArray();
  w->EndObject();
  return Status::OK();
}

// ---------------------------------------------------------------- reuse

namespace {

const char* ReuseOrder(ReuseSort sort) {
  switch (sort) {
    case ReuseSort::kSources:
      return "sources DESC, documents DESC, cluster_id";
    case ReuseSort::kFirstTime:
      return "first_time IS NULL, first_time, cluster_id";
    case ReuseSort::kDocuments:
      break;
  }
  return "documents DESC, cluster_id";
}

// Columns of a reuse cluster row, with the end of its origin occurrence.
constexpr const char* kReuseColumns =
    "c.cluster_id, c.origin_doc_id, d.time, c.occurrences, c.documents, c.sources, c.authors, "
    "c.first_time, c.last_time, c.origin_start, coalesce((SELECT max(o.\"end\") FROM "
    "reuse_occurrences o WHERE o.run_id = c.run_id AND o.cluster_id = c.cluster_id AND o.doc_id "
    "= c.origin_doc_id AND o.start = c.origin_start), c.origin_start)";

}  // namespace

Status BundleSource::WriteReuseFields(int64_t cluster_id, JsonWriter* w, int64_t* origin_doc,
                                      int64_t* origin_start, int64_t* origin_end) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db_, std::string("SELECT ") + kReuseColumns +
                                         " FROM reuse_clusters c JOIN docs d ON d.id = "
                                         "c.origin_doc_id WHERE c.run_id = ?1 AND "
                                         "c.cluster_id = ?2"));
  st.BindInt64(1, *reuse_run_);
  st.BindInt64(2, cluster_id);
  int rc = st.Step();
  if (rc == SQLITE_DONE) {
    return Status::NotFound("no reuse cluster " + std::to_string(cluster_id));
  }
  if (rc != SQLITE_ROW) return StepError(rc, "reading a reuse cluster");
  *origin_doc = st.Int64(1);
  *origin_start = st.Int64(9);
  *origin_end = st.Int64(10);
  w->Key("id").Int(st.Int64(0));
  w->Key("origin_doc").Int(st.Int64(1));
  w->Key("origin_time").OptInt(st.OptInt64(2));
  w->Key("occurrences").Int(st.Int64(3));
  w->Key("documents").Int(st.Int64(4));
  w->Key("sources").Int(st.Int64(5));
  w->Key("authors").Int(st.Int64(6));
  w->Key("first_time").OptInt(st.OptInt64(7));
  w->Key("last_time").OptInt(st.OptInt64(8));
  ET_ASSIGN_OR_RETURN(std::string excerpt,
                      Excerpt(*origin_doc, *origin_start, *origin_end, kExcerptBytes));
  w->Key("excerpt").String(excerpt);
  // origin_doc is the earliest dated occurrence; with undated documents in
  // the cluster it is not provably the origin (issue 17 item 4).
  ET_ASSIGN_OR_RETURN(uint64_t undated,
                      CountUndatedReuseDocuments(store_, *reuse_run_, cluster_id));
  w->Key("undated").Uint(undated).Key("origin_certain").Bool(undated == 0);
  return Status::OK();
}

Status BundleSource::WriteReuseList(ReuseSort sort, int64_t offset, int64_t limit, JsonWriter* w,
                                    std::vector<int64_t>* ids) {
  if (!reuse_run_) {
    std::string m;
    NotAnalysedMessage("reuse", &m);
    return Status::NotFound(m);
  }
  std::vector<int64_t> page;
  {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(db_, std::string("SELECT cluster_id FROM reuse_clusters WHERE "
                                                   "run_id = ?1 ORDER BY ") +
                                           ReuseOrder(sort) + " LIMIT ?2 OFFSET ?3"));
    st.BindInt64(1, *reuse_run_);
    st.BindInt64(2, limit);
    st.BindInt64(3, offset);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) page.push_back(st.Int64(0));
    if (rc != SQLITE_DONE) return StepError(rc, "listing reuse clusters");
  }
  w->BeginObject().Key("run_id").Int(*reuse_run_).Key("clusters").BeginArray();
  for (int64_t id : page) {
    ET_RETURN_IF_ERROR(CheckTime());
    int64_t od, os, oe;
    w->BeginObject();
    ET_RETURN_IF_ERROR(WriteReuseFields(id, w, &od, &os, &oe));
    w->EndObject();
    if (ids != nullptr) ids->push_back(id);
  }
  w->EndArray();
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db_, "SELECT count(*) FROM reuse_clusters WHERE run_id = ?1"));
  st.BindInt64(1, *reuse_run_);
  int rc = st.Step();
  if (rc != SQLITE_ROW) return StepError(rc, "counting reuse clusters");
  w->Key("clusters_total").Int(st.Int64(0)).EndObject();
  return Status::OK();
}

Status BundleSource::WriteReuseDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                                      std::vector<int64_t>* docs) {
  if (!reuse_run_) {
    std::string m;
    NotAnalysedMessage("reuse", &m);
    return Status::NotFound(m);
  }
  JsonWriter rest;  // whole, so that an unknown id leaves *w untouched
  int64_t origin_doc, origin_start, origin_end;
  rest.BeginObject();
  ET_RETURN_IF_ERROR(WriteReuseFields(id, &rest, &origin_doc, &origin_start, &origin_end));

  std::string origin_text;
  {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(
        db_, "SELECT substr(CAST(text AS BLOB), ?2 + 1, ?3 - ?2) FROM docs WHERE id = ?1"));
    st.BindInt64(1, origin_doc);
    st.BindInt64(2, origin_start);
    st.BindInt64(3, origin_end);
    int rc = st.Step();
    if (rc == SQLITE_ROW)
      origin_text = st.Text(0);
    else if (rc != SQLITE_DONE)
      return StepError(rc, "reading the origin passage");
  }

  rest.Key("occurrence_list").BeginArray();
  {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(
        db_,
        "SELECT o.doc_id, o.start, o.\"end\", d.time, d.source, d.author, "
        "substr(CAST(d.text AS BLOB), o.start + 1, o.\"end\" - o.start), d.ext_id "
        "FROM reuse_occurrences o JOIN docs d ON d.id = o.doc_id "
        "WHERE o.run_id = ?1 AND o.cluster_id = ?2 "
        "ORDER BY (o.doc_id = ?3 AND o.start = ?4) DESC, d.time IS NULL, d.time, o.doc_id, "
        "o.start LIMIT ?5"));
    st.BindInt64(1, *reuse_run_);
    st.BindInt64(2, id);
    st.BindInt64(3, origin_doc);
    st.BindInt64(4, origin_start);
    st.BindInt64(5, lim.occurrences);
    int rc;
    bool origin_seen = false;
    while ((rc = st.Step()) == SQLITE_ROW) {
      ET_RETURN_IF_ERROR(CheckTime());
      int64_t doc = st.Int64(0);
      bool is_origin = !origin_seen && doc == origin_doc && st.Int64(1) == origin_start;
      origin_seen = origin_seen || is_origin;
      std::string_view text = st.TextView(6);
      double identity = 1;
      std::vector<Segment> segs;
      if (is_origin) {
        segs.push_back(Segment{'=', std::string(text)});
      } else {
        segs = AlignToOrigin(origin_text, text, &identity);
      }
      rest.BeginObject().Key("doc").Int(doc).Key("ext_id").String(st.TextView(7));
      rest.Key("start").Int(st.Int64(1));
      rest.Key("end").Int(st.Int64(2)).Key("text").String(text);
      rest.Key("is_origin").Bool(is_origin).Key("time").OptInt(st.OptInt64(3));
      rest.Key("source");
      TextOrNull(st, 4, &rest);
      rest.Key("author");
      TextOrNull(st, 5, &rest);
      rest.Key("identity").Double(identity).Key("segments").BeginArray();
      for (const Segment& s : segs) {
        char op[2] = {s.op, 0};
        rest.BeginObject().Key("op").String(op).Key("text").String(s.text).EndObject();
      }
      rest.EndArray().EndObject();
      if (docs != nullptr) docs->push_back(doc);
    }
    if (rc != SQLITE_DONE) return StepError(rc, "reading the occurrences");
  }
  rest.EndArray();
  {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(
        db_, "SELECT count(*) FROM reuse_occurrences WHERE run_id = ?1 AND cluster_id = ?2"));
    st.BindInt64(1, *reuse_run_);
    st.BindInt64(2, id);
    int rc = st.Step();
    if (rc != SQLITE_ROW) return StepError(rc, "counting occurrences");
    rest.Key("occurrence_list_total").Int(st.Int64(0));
  }
  rest.Key("spread").BeginArray();
  {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(
        db_, "SELECT " + DayExpr("d.time") +
                 ", d.source, count(*) FROM reuse_occurrences o JOIN docs d ON d.id = o.doc_id "
                 "WHERE o.run_id = ?1 AND o.cluster_id = ?2 AND d.time IS NOT NULL "
                 "GROUP BY 1, 2 ORDER BY 1, 2"));
    st.BindInt64(1, *reuse_run_);
    st.BindInt64(2, id);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      rest.BeginObject().Key("day").String(DayString(st.Int64(0))).Key("source");
      TextOrNull(st, 1, &rest);
      rest.Key("occurrences").Int(st.Int64(2)).EndObject();
    }
    if (rc != SQLITE_DONE) return StepError(rc, "reading the spread");
  }
  rest.EndArray().EndObject();
  w->Raw(rest.str());
  return Status::OK();
}

// ---------------------------------------------------------------- near-duplicates

Status BundleSource::WriteNeardupFields(int64_t cluster_id, int64_t size, JsonWriter* w) {
  Stmt st;
  ET_RETURN_IF_ERROR(
      st.Prepare(db_,
                 "SELECT min(d.time), max(d.time) FROM neardup_members m JOIN docs d ON d.id = "
                 "m.doc_id WHERE m.run_id = ?1 AND m.cluster_id = ?2"));
  st.BindInt64(1, *neardup_run_);
  st.BindInt64(2, cluster_id);
  int rc = st.Step();
  if (rc != SQLITE_ROW) return StepError(rc, "reading a near-duplicate cluster");
  w->Key("id").Int(cluster_id).Key("size").Int(size);
  w->Key("first_time").OptInt(st.OptInt64(0)).Key("last_time").OptInt(st.OptInt64(1));
  // The cluster id is the docs.id of its earliest-ingested member.
  w->Key("example_doc").Int(cluster_id);
  ET_ASSIGN_OR_RETURN(std::string excerpt,
                      Excerpt(cluster_id, 0, static_cast<int64_t>(1) << 40, kExcerptBytes));
  w->Key("excerpt").String(excerpt);
  return Status::OK();
}

Status BundleSource::WriteNeardupList(int64_t offset, int64_t limit, JsonWriter* w,
                                      std::vector<int64_t>* ids) {
  if (!neardup_run_) {
    std::string m;
    NotAnalysedMessage("neardup", &m);
    return Status::NotFound(m);
  }
  std::vector<std::pair<int64_t, int64_t>> page;
  int64_t total = 0;
  {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(db_,
                                  "SELECT cluster_id, count(*) AS n FROM neardup_members WHERE "
                                  "run_id = ?1 GROUP BY cluster_id ORDER BY n DESC, cluster_id "
                                  "LIMIT ?2 OFFSET ?3"));
    st.BindInt64(1, *neardup_run_);
    st.BindInt64(2, limit);
    st.BindInt64(3, offset);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) page.emplace_back(st.Int64(0), st.Int64(1));
    if (rc != SQLITE_DONE) return StepError(rc, "listing near-duplicate clusters");
    ET_RETURN_IF_ERROR(st.Prepare(
        db_, "SELECT count(DISTINCT cluster_id) FROM neardup_members WHERE run_id = ?1"));
    st.BindInt64(1, *neardup_run_);
    rc = st.Step();
    if (rc != SQLITE_ROW) return StepError(rc, "counting near-duplicate clusters");
    total = st.Int64(0);
  }
  w->BeginObject().Key("run_id").Int(*neardup_run_).Key("clusters").BeginArray();
  for (const auto& [id, size] : page) {
    ET_RETURN_IF_ERROR(CheckTime());
    w->BeginObject();
    ET_RETURN_IF_ERROR(WriteNeardupFields(id, size, w));
    w->EndObject();
    if (ids != nullptr) ids->push_back(id);
  }
  w->EndArray().Key("clusters_total").Int(total).EndObject();
  return Status::OK();
}

Status BundleSource::WriteNeardupDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                                        std::vector<int64_t>* docs) {
  if (!neardup_run_) {
    std::string m;
    NotAnalysedMessage("neardup", &m);
    return Status::NotFound(m);
  }
  int64_t size = 0;
  std::vector<int64_t> members;
  {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(
        db_, "SELECT count(*) FROM neardup_members WHERE run_id = ?1 AND cluster_id = ?2"));
    st.BindInt64(1, *neardup_run_);
    st.BindInt64(2, id);
    int rc = st.Step();
    if (rc != SQLITE_ROW) return StepError(rc, "reading a near-duplicate cluster");
    size = st.Int64(0);
    if (size == 0) return Status::NotFound("no near-duplicate cluster " + std::to_string(id));
    ET_RETURN_IF_ERROR(st.Prepare(db_,
                                  "SELECT m.doc_id FROM neardup_members m JOIN docs d ON d.id = "
                                  "m.doc_id WHERE m.run_id = ?1 AND m.cluster_id = ?2 ORDER BY "
                                  "d.time IS NULL, d.time, m.doc_id LIMIT ?3"));
    st.BindInt64(1, *neardup_run_);
    st.BindInt64(2, id);
    st.BindInt64(3, lim.members);
    while ((rc = st.Step()) == SQLITE_ROW) members.push_back(st.Int64(0));
    if (rc != SQLITE_DONE) return StepError(rc, "reading near-duplicate members");
  }
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

// ---------------------------------------------------------------- coordination

namespace {

constexpr const char* kEdgeColumns =
    "e.edge_id, e.account_a, e.account_b, e.behaviour, e.weight, e.window, e.symmetry, "
    "e.first_time, e.last_time";

void EdgeFields(const Stmt& st, JsonWriter* w) {
  w->Key("edge_id").Int(st.Int64(0)).Key("a").String(st.TextView(1));
  w->Key("b").String(st.TextView(2)).Key("behaviour").String(st.TextView(3));
  w->Key("weight").Int(st.Int64(4)).Key("window").Int(st.Int64(5));
  w->Key("symmetry").Double(st.Double(6)).Key("first_time").Int(st.Int64(7));
  w->Key("last_time").Int(st.Int64(8));
}

// The edge's weight at each window (coord_edge_windows), narrowest first, as
// "windows": [{"window", "weight"}]: `weight` counts co-actions at any window,
// so a view that names one window must show that window's own count (issue 17
// item 6). One indexed lookup per edge written, after the edge list is cut.
Status EdgeWindows(sqlite3* db, int64_t run, int64_t edge_id, JsonWriter* w) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT window, weight FROM coord_edge_windows WHERE run_id = ?1 "
                                "AND edge_id = ?2 ORDER BY window"));
  st.BindInt64(1, run);
  st.BindInt64(2, edge_id);
  w->Key("windows").BeginArray();
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    w->BeginObject().Key("window").Int(st.Int64(0)).Key("weight").Int(st.Int64(1)).EndObject();
  }
  w->EndArray();
  if (rc != SQLITE_DONE) return store_internal::SqliteStatus(db, rc, "reading an edge's windows");
  return Status::OK();
}

}  // namespace

Status BundleSource::WriteGroupFields(int64_t group_id, JsonWriter* w, std::vector<int64_t>* docs) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db_,
      "SELECT accounts, posts, first_time, last_time, burstiness, CASE WHEN "
      "json_valid(behaviours) THEN behaviours ELSE '{}' END FROM coord_group_summaries WHERE "
      "run_id = ?1 AND group_id = ?2"));
  st.BindInt64(1, *coord_run_);
  st.BindInt64(2, group_id);
  int rc = st.Step();
  if (rc == SQLITE_DONE) return Status::NotFound("no group " + std::to_string(group_id));
  if (rc != SQLITE_ROW) return StepError(rc, "reading a group");
  w->Key("id").Int(group_id).Key("accounts").Int(st.Int64(0)).Key("posts").Int(st.Int64(1));
  w->Key("first_time").OptInt(st.OptInt64(2)).Key("last_time").OptInt(st.OptInt64(3));
  w->Key("burstiness");
  if (st.IsNull(4)) {
    w->Null();
  } else {
    w->Double(st.Double(4));
  }
  w->Key("behaviours").Raw(st.TextView(5));  // JSON the store validated just now
  w->Key("top_items").BeginArray();
  ET_RETURN_IF_ERROR(
      st.Prepare(db_,
                 "SELECT json_extract(j.value, '$.behaviour'), json_extract(j.value, '$.key'), "
                 "json_extract(j.value, '$.accounts'), json_extract(j.value, '$.posts'), "
                 "json_extract(j.value, '$.example_doc_id') FROM coord_group_summaries s, "
                 "json_each(CASE WHEN json_valid(s.top_items) THEN s.top_items ELSE '[]' END) j "
                 "WHERE s.run_id = ?1 AND s.group_id = ?2 ORDER BY j.key"));
  st.BindInt64(1, *coord_run_);
  st.BindInt64(2, group_id);
  while ((rc = st.Step()) == SQLITE_ROW) {
    // The key is a hash (docs/schema.md); as a string it survives
    // JavaScript's 53-bit numbers. The example document shows what it is.
    const std::string behaviour(st.TextView(0));
    ET_ASSIGN_OR_RETURN(std::string label, ItemLabel(behaviour, st.Int64(1), st.Int64(4)));
    w->BeginObject().Key("behaviour").String(behaviour).Key("key").String(st.Text(1));
    w->Key("label").String(label);
    w->Key("accounts").Int(st.Int64(2)).Key("posts").Int(st.Int64(3));
    w->Key("example_doc").Int(st.Int64(4)).EndObject();
    if (docs != nullptr) docs->push_back(st.Int64(4));
  }
  if (rc != SQLITE_DONE) return StepError(rc, "reading a group's items");
  w->EndArray();
  return Status::OK();
}

Status BundleSource::WriteCoordination(int64_t edge_limit, int64_t group_limit, JsonWriter* w,
                                       std::vector<int64_t>* edge_ids,
                                       std::vector<int64_t>* group_ids) {
  if (!coord_run_) {
    std::string m;
    NotAnalysedMessage("coordination", &m);
    return Status::NotFound(m);
  }
  const int64_t run = *coord_run_;
  JsonWriter edges;
  std::set<std::string> shown;  // accounts of the listed edges, in byte order
  edges.BeginArray();
  {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(db_, std::string("SELECT ") + kEdgeColumns +
                                           " FROM coord_edges e WHERE e.run_id = ?1 ORDER BY "
                                           "e.weight DESC, e.edge_id LIMIT ?2"));
    st.BindInt64(1, run);
    st.BindInt64(2, edge_limit);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      edges.BeginObject();
      EdgeFields(st, &edges);
      ET_RETURN_IF_ERROR(EdgeWindows(db_, run, st.Int64(0), &edges));
      edges.EndObject();
      shown.insert(st.Text(1));
      shown.insert(st.Text(2));
      if (edge_ids != nullptr) edge_ids->push_back(st.Int64(0));
    }
    if (rc != SQLITE_DONE) return StepError(rc, "listing edges");
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
  {
    Stmt st;
    ET_RETURN_IF_ERROR(
        st.Prepare(db_, "SELECT account_a, account_b, weight FROM coord_edges WHERE run_id = ?1"));
    st.BindInt64(1, run);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      ++edges_total;
      std::string a = st.Text(0), b = st.Text(1);
      if (shown.count(a)) {
        figures[a].neighbours.insert(b);
        figures[a].weight += st.Int64(2);
      }
      if (shown.count(b)) {
        figures[b].neighbours.insert(a);
        figures[b].weight += st.Int64(2);
      }
      all_accounts.insert(std::move(a));
      all_accounts.insert(std::move(b));
    }
    if (rc != SQLITE_DONE) return StepError(rc, "reading the edges");
  }
  ET_RETURN_IF_ERROR(CheckTime());

  w->BeginObject().Key("run_id").Int(run).Key("nodes").BeginArray();
  {
    Stmt group, posts;
    ET_RETURN_IF_ERROR(
        group.Prepare(db_, "SELECT group_id FROM coord_groups WHERE run_id = ?1 AND account = ?2"));
    ET_RETURN_IF_ERROR(posts.Prepare(db_, "SELECT count(*) FROM docs WHERE author = ?1"));
    for (const std::string& acc : shown) {
      ET_RETURN_IF_ERROR(CheckTime());
      group.Reset();
      group.BindInt64(1, run);
      group.BindText(2, acc);
      int rc = group.Step();
      std::optional<int64_t> gid;
      if (rc == SQLITE_ROW)
        gid = group.Int64(0);
      else if (rc != SQLITE_DONE)
        return StepError(rc, "reading an account's group");
      posts.Reset();
      posts.BindText(1, acc);
      rc = posts.Step();
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

  std::vector<int64_t> groups;
  int64_t groups_total = 0;
  {
    Stmt st;
    ET_RETURN_IF_ERROR(st.Prepare(db_,
                                  "SELECT group_id FROM coord_group_summaries WHERE run_id = ?1 "
                                  "ORDER BY accounts DESC, group_id LIMIT ?2"));
    st.BindInt64(1, run);
    st.BindInt64(2, group_limit);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) groups.push_back(st.Int64(0));
    if (rc != SQLITE_DONE) return StepError(rc, "listing groups");
    ET_RETURN_IF_ERROR(
        st.Prepare(db_, "SELECT count(*) FROM coord_group_summaries WHERE run_id = ?1"));
    st.BindInt64(1, run);
    rc = st.Step();
    if (rc != SQLITE_ROW) return StepError(rc, "counting groups");
    groups_total = st.Int64(0);
  }
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
  if (!coord_run_) {
    std::string m;
    NotAnalysedMessage("coordination", &m);
    return Status::NotFound(m);
  }
  JsonWriter fields;  // so that an unknown id leaves *w untouched
  fields.BeginObject();
  ET_RETURN_IF_ERROR(WriteGroupFields(id, &fields, docs));
  const int64_t run = *coord_run_;
  fields.Key("members").BeginArray();
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db_,
                                "SELECT account FROM coord_groups WHERE run_id = ?1 AND "
                                "group_id = ?2 ORDER BY account LIMIT ?3"));
  st.BindInt64(1, run);
  st.BindInt64(2, id);
  st.BindInt64(3, lim.group_members);
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) fields.String(st.TextView(0));
  if (rc != SQLITE_DONE) return StepError(rc, "reading a group's members");
  fields.EndArray();
  ET_RETURN_IF_ERROR(
      st.Prepare(db_, "SELECT count(*) FROM coord_groups WHERE run_id = ?1 AND group_id = ?2"));
  st.BindInt64(1, run);
  st.BindInt64(2, id);
  rc = st.Step();
  if (rc != SQLITE_ROW) return StepError(rc, "counting a group's members");
  fields.Key("members_total").Int(st.Int64(0));

  // Edges with both ends in the group: from the members (group index) to
  // their edges as account_a (pair index), checking account_b's group. The
  // join order and the index are forced: left to itself SQLite scans every
  // edge once per member (minutes on the IRA corpus instead of 0.4 s).
  const std::string inside =
      " FROM coord_groups ga CROSS JOIN coord_edges e INDEXED BY coord_edges_pair ON e.run_id = "
      "ga.run_id AND e.account_a = "
      "ga.account CROSS JOIN coord_groups gb ON gb.run_id = e.run_id AND gb.account = e.account_b "
      "WHERE ga.run_id = ?1 AND ga.group_id = ?2 AND gb.group_id = ?2";
  fields.Key("edges").BeginArray();
  ET_RETURN_IF_ERROR(st.Prepare(db_, std::string("SELECT ") + kEdgeColumns + inside +
                                         " ORDER BY e.weight DESC, e.edge_id LIMIT ?3"));
  st.BindInt64(1, run);
  st.BindInt64(2, id);
  st.BindInt64(3, lim.group_edges);
  while ((rc = st.Step()) == SQLITE_ROW) {
    fields.BeginObject();
    EdgeFields(st, &fields);
    ET_RETURN_IF_ERROR(EdgeWindows(db_, run, st.Int64(0), &fields));
    fields.EndObject();
  }
  if (rc != SQLITE_DONE) return StepError(rc, "reading a group's edges");
  fields.EndArray();
  ET_RETURN_IF_ERROR(st.Prepare(db_, "SELECT count(*)" + inside));
  st.BindInt64(1, run);
  st.BindInt64(2, id);
  rc = st.Step();
  if (rc != SQLITE_ROW) return StepError(rc, "counting a group's edges");
  fields.Key("edges_total").Int(st.Int64(0)).EndObject();
  w->Raw(fields.str());
  return Status::OK();
}

Status BundleSource::WriteEdgeDetail(int64_t id, const DetailLimits& lim, JsonWriter* w,
                                     std::vector<int64_t>* docs) {
  if (!coord_run_) {
    std::string m;
    NotAnalysedMessage("coordination", &m);
    return Status::NotFound(m);
  }
  const int64_t run = *coord_run_;
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db_, std::string("SELECT ") + kEdgeColumns +
                                         " FROM coord_edges e WHERE e.run_id = ?1 AND "
                                         "e.edge_id = ?2"));
  st.BindInt64(1, run);
  st.BindInt64(2, id);
  int rc = st.Step();
  if (rc == SQLITE_DONE) return Status::NotFound("no edge " + std::to_string(id));
  if (rc != SQLITE_ROW) return StepError(rc, "reading an edge");
  JsonWriter out;
  out.BeginObject();
  EdgeFields(st, &out);
  ET_RETURN_IF_ERROR(EdgeWindows(db_, run, id, &out));
  const std::string behaviour = st.Text(3);
  struct Pair {
    int64_t a, b, gap;
  };
  std::vector<Pair> pairs;
  ET_RETURN_IF_ERROR(st.Prepare(
      db_,
      "SELECT v.post_a, v.post_b, abs(coalesce(b.time, 0) - coalesce(a.time, 0)) FROM "
      "coord_evidence v JOIN docs a ON a.id = v.post_a JOIN docs b ON b.id = v.post_b WHERE "
      "v.run_id = ?1 AND v.edge_id = ?2 ORDER BY min(coalesce(a.time, 0), coalesce(b.time, "
      "0)), v.post_a, v.post_b LIMIT ?3"));
  st.BindInt64(1, run);
  st.BindInt64(2, id);
  st.BindInt64(3, lim.evidence);
  while ((rc = st.Step()) == SQLITE_ROW) pairs.push_back({st.Int64(0), st.Int64(1), st.Int64(2)});
  if (rc != SQLITE_DONE) return StepError(rc, "reading an edge's evidence");
  out.Key("evidence").BeginArray();
  for (const Pair& p : pairs) {
    out.BeginObject().Key("post_a");
    ET_RETURN_IF_ERROR(WriteDoc(p.a, lim.text_cut, &out));
    out.Key("post_b");
    ET_RETURN_IF_ERROR(WriteDoc(p.b, lim.text_cut, &out));
    out.Key("behaviour").String(behaviour).Key("gap").Int(p.gap).EndObject();
    if (docs != nullptr) {
      docs->push_back(p.a);
      docs->push_back(p.b);
    }
  }
  out.EndArray();
  ET_RETURN_IF_ERROR(
      st.Prepare(db_, "SELECT count(*) FROM coord_evidence WHERE run_id = ?1 AND edge_id = ?2"));
  st.BindInt64(1, run);
  st.BindInt64(2, id);
  rc = st.Step();
  if (rc != SQLITE_ROW) return StepError(rc, "counting an edge's evidence");
  out.Key("evidence_total").Int(st.Int64(0)).EndObject();
  w->Raw(out.str());
  return Status::OK();
}

// ---------------------------------------------------------------- search

// The same search as `echotrace search`: FTS5 recall re-ranked by the
// similarity engine (claims/search.h), so the UI and the CLI agree.
Status BundleSource::WriteSearch(std::string_view q, int k, size_t text_cut, JsonWriter* w) {
  claims::ClaimSearchOptions so;
  so.k = k;
  so.recall = std::max(100, k);
  so.deadline = deadline_;  // the re-ranking too answers within the time limit
  so.cancel = cancel_;
  ET_ASSIGN_OR_RETURN(std::vector<claims::ClaimSearchHit> hits,
                      claims::SearchClaims(store_, std::string(q), so));
  JsonWriter out;
  out.BeginObject().Key("query").String(q).Key("hits").BeginArray();
  for (const claims::ClaimSearchHit& c : hits) {
    ET_RETURN_IF_ERROR(CheckTime());
    out.BeginObject().Key("doc");
    ET_RETURN_IF_ERROR(WriteDoc(c.hit.doc_id, text_cut, &out));
    out.Key("score").Double(c.hit.score).Key("snippet").String(c.hit.snippet).EndObject();
  }
  out.EndArray().EndObject();
  w->Raw(out.str());
  return Status::OK();
}

}  // namespace echotrace::web

#include "web/bundle.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "claims/search.h"
#include "text/utf8.h"
#include "web/bundle_views.h"

namespace echotrace::web {

namespace {

using bundle_internal::DayString;
using store_internal::SqliteStatus;
using store_internal::Stmt;

constexpr size_t kOverviewTop = 50;  // sources, languages, authors listed
constexpr size_t kDaySources = 10;   // sources of their own in by_day

// A text column: null when NULL (the store keeps "absent" as NULL).
void TextOrNull(const Stmt& st, int col, JsonWriter* w) {
  if (st.IsNull(col)) {
    w->Null();
  } else {
    w->String(st.TextView(col));
  }
}

int ProgressHandler(void* self) {
  return static_cast<const BundleSource*>(self)->Expired() ? 1 : 0;
}

}  // namespace

BundleSource::BundleSource(Store* store) : store_(store), db_(store_internal::Handle(store)) {
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

Status BundleSource::Timed(Status s) const {
  if (s.code() == StatusCode::kCancelled && Expired()) return CheckTime();
  return s;
}

Status BundleSource::Init() {
  ET_ASSIGN_OR_RETURN(std::optional<int64_t> reuse, Timed(LatestReuseRun(store_)));
  ET_ASSIGN_OR_RETURN(std::optional<int64_t> neardup, Timed(LatestNearDupRun(store_)));
  ET_ASSIGN_OR_RETURN(std::optional<int64_t> coord, Timed(coord::LatestCoordRun(store_)));
  reuse_.reset();
  neardup_.reset();
  coord_.reset();
  if (reuse) reuse_.emplace(store_, *reuse);
  if (neardup) neardup_.emplace(store_, *neardup);
  if (coord) coord_.emplace(store_, *coord);
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
    std::string sql = "SELECT " + store_internal::SqlUnixDay("time") +
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

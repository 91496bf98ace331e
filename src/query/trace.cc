// Trace. The passage's overlapping word n-grams (n = 5, or 3 for passages
// under 20 words, where one edit would leave too few 5-grams) become FTS5
// phrase queries OR-ed together: a document is a candidate when it shares
// one of them exactly — the same rule as an anchor in corpus-wide reuse.
// Phrases are cut from the passage's own bytes, so FTS5 tokenises them as
// it tokenised the documents. The candidates examined are the --limit most
// relevant by BM25 over those phrases (sharing more and rarer n-grams),
// so a cut keeps the likely copies; all of them are counted. Each candidate is then aligned with
// reuse::FindPassages and kept when the best alignment covers enough of the
// passage.
#include "echotrace/trace.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "reuse/passages.h"
#include "reuse/results.h"
#include "store/sqlite_util.h"
#include "text/time_parse.h"
#include "text/tokenizer.h"
#include "text/utf8.h"
#include "util/csv.h"
#include "util/json.h"

namespace echotrace {

namespace {

using store_internal::SqliteStatus;
using store_internal::Stmt;

constexpr size_t kMaxPhrases = 64;

// Builds the FTS5 query: up to kMaxPhrases n-gram phrases spread evenly over
// the passage, each a quoted string with '"' doubled.
std::string CandidateQuery(std::string_view text, const std::vector<Token>& toks, size_t n) {
  size_t grams = toks.size() - n + 1;
  size_t step = std::max<size_t>(1, (grams + kMaxPhrases - 1) / kMaxPhrases);
  std::string q;
  for (size_t i = 0; i < grams; i += step) {
    std::string_view phrase = text.substr(toks[i].start, toks[i + n - 1].end - toks[i].start);
    if (!q.empty()) q += " OR ";
    q += '"';
    for (char c : phrase) {
      if (c == '"') q += '"';
      q += c;
    }
    q += '"';
  }
  return q;
}

// The `limit` most relevant candidates (BM25 over the n-gram phrases: the
// documents sharing more and rarer n-grams of the passage first, ties by
// id), and in *matching the number of all of them.
Result<std::vector<int64_t>> Candidates(sqlite3* db, const std::string& query, int limit,
                                        uint64_t* matching) {
  Stmt count;
  ET_RETURN_IF_ERROR(count.Prepare(db, "SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?1"));
  count.BindText(1, query);
  int rc = count.Step();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "counting candidate documents");
  *matching = static_cast<uint64_t>(count.Int64(0));
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?1 "
                                "ORDER BY bm25(docs_fts, 1.0, 0.5), rowid LIMIT ?2"));
  st.BindText(1, query);
  st.BindInt64(2, limit);
  std::vector<int64_t> ids;
  while ((rc = st.Step()) == SQLITE_ROW) ids.push_back(st.Int64(0));
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "finding candidate documents");
  return ids;
}

}  // namespace

Result<TraceResult> TracePassage(Store* store, std::string_view passage_in,
                                 const TraceOptions& options) {
  if (options.limit < 1 || options.limit > 1000000) {
    return Status::InvalidArgument("--limit must be in 1..1000000");
  }
  if (!(options.min_coverage > 0 && options.min_coverage <= 1)) {
    return Status::InvalidArgument("--min-coverage must be in (0, 1]");
  }
  std::string passage = SanitizeUtf8(passage_in, nullptr);
  std::vector<Token> ptoks = Tokenize(passage);
  TraceResult result;
  result.passage_tokens = static_cast<uint32_t>(ptoks.size());
  if (ptoks.size() < 4) {
    return Status::InvalidArgument("the passage has " + std::to_string(ptoks.size()) +
                                   " words; trace needs at least 4 (use search for words)");
  }
  size_t n = ptoks.size() < 20 ? 3 : 5;
  ET_RETURN_IF_ERROR(store->CheckFullTextIndex());
  ET_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                      Candidates(store_internal::Handle(store), CandidateQuery(passage, ptoks, n),
                                 options.limit, &result.matching));
  result.truncated = result.matching > ids.size();
  reuse::PassageParams params;
  params.anchors.n = static_cast<uint32_t>(n);
  params.min_tokens =
      std::max<uint32_t>(3, static_cast<uint32_t>(std::ceil(options.min_coverage * ptoks.size())));
  for (int64_t id : ids) {
    ET_ASSIGN_OR_RETURN(std::optional<Document> doc, store->GetDocument(id));
    if (!doc) continue;
    result.candidates++;
    std::vector<Token> dtoks = Tokenize(doc->text);
    ET_ASSIGN_OR_RETURN(std::vector<reuse::PassagePair> pairs,
                        reuse::FindPassages(ptoks, dtoks, params));
    const reuse::PassagePair* best = nullptr;
    for (const reuse::PassagePair& p : pairs) {
      if (best == nullptr || p.matches > best->matches) best = &p;
    }
    if (best == nullptr) continue;
    double coverage = static_cast<double>(best->alignment.a_end - best->alignment.a_begin) /
                      static_cast<double>(ptoks.size());
    if (coverage < options.min_coverage) continue;
    TraceHit hit;
    hit.doc_id = id;
    hit.ext_id = doc->ext_id;
    hit.source = doc->source;
    hit.author = doc->author;
    hit.time = doc->time;
    hit.start = best->b_start;
    hit.end = best->b_end;
    hit.coverage = coverage;
    hit.identity = best->identity;
    hit.text = doc->text.substr(best->b_start, best->b_end - best->b_start);
    result.hits.push_back(std::move(hit));
  }
  std::stable_sort(result.hits.begin(), result.hits.end(),
                   [](const TraceHit& a, const TraceHit& b) {
                     if (a.time.has_value() != b.time.has_value()) return a.time.has_value();
                     if (a.time && *a.time != *b.time) return *a.time < *b.time;
                     return a.doc_id < b.doc_id;
                   });
  return result;
}

namespace {

void WriteHit(JsonWriter& w, const TraceHit& h) {
  w.BeginObject().Key("doc_id").String(h.ext_id).Key("source").String(h.source);
  w.Key("author").String(h.author).Key("time");
  if (h.time) {
    w.String(FormatTimeIso(*h.time));
  } else {
    w.Null();
  }
  w.Key("start").Uint(h.start).Key("end").Uint(h.end);
  w.Key("coverage").Double(h.coverage).Key("identity").Double(h.identity);
  w.Key("text").String(h.text).EndObject();
}

}  // namespace

uint64_t TraceUndatedHits(const TraceResult& r) {
  return static_cast<uint64_t>(
      std::count_if(r.hits.begin(), r.hits.end(), [](const TraceHit& h) { return !h.time; }));
}

std::string TraceOriginNote(const TraceResult& r) {
  const uint64_t undated = TraceUndatedHits(r);
  if (undated == 0) return {};
  return OriginUncertainNote(undated) + " (listed last; any of them may be older than the first)";
}

std::string TraceResultToJson(const TraceResult& r) {
  JsonWriter w;
  w.BeginObject().Key("passage_tokens").Uint(r.passage_tokens);
  w.Key("candidates").Uint(r.candidates).Key("matching").Uint(r.matching);
  w.Key("truncated").Bool(r.truncated);
  // The first hit is the earliest dated; with undated hits it is not
  // provably the origin (issue 17 item 4).
  const uint64_t undated = TraceUndatedHits(r);
  w.Key("undated").Uint(undated).Key("origin_certain").Bool(undated == 0);
  w.Key("hits").BeginArray();
  for (const TraceHit& h : r.hits) WriteHit(w, h);
  w.EndArray().EndObject();
  return w.Take();
}

std::string TraceResultToJsonl(const TraceResult& r) {
  std::string out;
  for (const TraceHit& h : r.hits) {
    JsonWriter w;
    WriteHit(w, h);
    out += w.Take();
    out += '\n';
  }
  return out;
}

std::string TraceResultToCsv(const TraceResult& r) {
  std::string out = "doc_id,source,author,time,start,end,coverage,identity,text\n";
  char buf[64];
  for (const TraceHit& h : r.hits) {
    for (const std::string* f : {&h.ext_id, &h.source, &h.author}) {
      AppendCsvField(*f, &out);
      out += ',';
    }
    if (h.time) out += FormatTimeIso(*h.time);
    std::snprintf(buf, sizeof buf, ",%u,%u,%.6f,%.6f,", h.start, h.end, h.coverage, h.identity);
    out += buf;
    AppendCsvField(h.text, &out);
    out += '\n';
  }
  return out;
}

}  // namespace echotrace

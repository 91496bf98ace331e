// Claim search: FTS5 recall, similarity re-ranking, matching spans. See
// search.h.
#include "claims/search.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>
#include <string_view>

#include "similarity/engine.h"
#include "store/fts_query.h"
#include "store/store_internal.h"
#include "text/normalize.h"
#include "text/time_parse.h"
#include "text/tokenizer.h"
#include "util/csv.h"
#include "util/json.h"

namespace echotrace::claims {

namespace {

constexpr size_t kWindowWords = 40;

// The window of at most kWindowWords tokens with the most matched query
// stems (first such window), trimmed to its first and last match.
void MatchingSpan(const sim::Analyzer& analyzer, const std::set<std::string>& stems,
                  const Document& doc, ClaimSearchHit* h) {
  std::vector<Token> tokens = Tokenize(doc.text);
  std::string lang = doc.lang.empty() || doc.lang == "und" ? "en" : doc.lang;
  std::vector<int> match(tokens.size(), 0);
  for (size_t i = 0; i < tokens.size(); ++i) {
    for (const std::string& t : analyzer.Terms(
             std::string_view(doc.text).substr(tokens[i].start, tokens[i].end - tokens[i].start),
             lang)) {
      if (stems.count(t)) match[i] = 1;
    }
  }
  size_t best = 0, best_start = 0, sum = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    sum += static_cast<size_t>(match[i]);
    if (i >= kWindowWords) sum -= static_cast<size_t>(match[i - kWindowWords]);
    if (sum > best) {
      best = sum;
      best_start = i + 1 >= kWindowWords ? i + 1 - kWindowWords : 0;
    }
  }
  std::string snippet;
  if (tokens.empty()) return;
  size_t first = best_start, last = std::min(tokens.size(), best_start + kWindowWords) - 1;
  if (best > 0) {
    while (first < last && !match[first]) ++first;
    while (last > first && !match[last]) --last;
  }
  // Context: up to 8 words either side of the matched span, within the window size.
  size_t from = first >= 8 ? first - 8 : 0;
  size_t to = std::min(tokens.size() - 1, last + 8);
  h->span_start = tokens[first].start;
  h->span_end = tokens[last].end;
  uint32_t pos = tokens[from].start;
  if (from > 0) snippet += "…";
  for (size_t i = from; i <= to; ++i) {
    snippet.append(doc.text, pos, tokens[i].start - pos);
    std::string word = doc.text.substr(tokens[i].start, tokens[i].end - tokens[i].start);
    snippet += match[i] ? "[" + word + "]" : word;
    pos = tokens[i].end;
  }
  if (to + 1 < tokens.size()) snippet += "…";
  for (char& c : snippet) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  h->hit.snippet = std::move(snippet);
}

// Finalizes a statement when it goes out of scope.
struct StmtCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtCloser>;

Result<StmtPtr> Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
    sqlite3_finalize(s);
    return Status::IOError(std::string("search: ") + sqlite3_errmsg(db));
  }
  return StmtPtr(s);
}

std::string Column(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  return t ? std::string(reinterpret_cast<const char*>(t),
                         static_cast<size_t>(sqlite3_column_bytes(s, i)))
           : std::string();
}

// Bounds the work of the FTS5 query: FTS5 scores every document holding
// any optional term, so one word found in 100,000 posts costs 150 ms while
// it adds next to nothing to BM25 (idf near 0) and the re-ranking still
// counts it. Optional terms are taken rarest first while their document
// frequencies sum to at most kPostingBudget (the rarest is always taken;
// required and excluded parts are always kept). Frequencies come from an
// fts5vocab table in the connection's temp schema (the store stays
// read-only); a term whose frequency cannot be looked up (a prefix, a
// phrase) counts as 0.
constexpr int64_t kPostingBudget = 20000;

store_internal::SearchQuery BoundRecallQuery(sqlite3* db, store_internal::SearchQuery q) {
  if (q.optional.size() < 2) return q;
  if (sqlite3_exec(db,
                   "CREATE VIRTUAL TABLE IF NOT EXISTS temp.echotrace_vocab USING "
                   "fts5vocab(main, docs_fts, 'row')",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    return q;
  }
  auto df = Prepare(db, "SELECT doc FROM temp.echotrace_vocab WHERE term = ?1");
  if (!df.ok()) return q;
  std::vector<std::pair<int64_t, size_t>> by_df;  // (df, term), rarest first
  for (size_t i = 0; i < q.optional.size(); ++i) {
    // A term is "word" with quotes doubled, or "word" * (a prefix: counts
    // as 0); FTS5's unicode61 folds case as this does for the scripts of
    // our corpora (diacritics aside: those miss the lookup and count as
    // rare).
    const std::string& p = q.optional[i];
    int64_t n = 0;
    if (p.size() >= 2 && p.back() == '"') {
      std::string term = NormalizeForMatching(p.substr(1, p.size() - 2));
      sqlite3_reset(df->get());
      sqlite3_bind_text(df->get(), 1, term.data(), static_cast<int>(term.size()), SQLITE_TRANSIENT);
      n = sqlite3_step(df->get()) == SQLITE_ROW ? sqlite3_column_int64(df->get(), 0) : 0;
    }
    by_df.emplace_back(n, i);
  }
  std::sort(by_df.begin(), by_df.end());
  std::vector<bool> keep(q.optional.size(), false);
  int64_t sum = 0;
  for (size_t r = 0; r < by_df.size(); ++r) {
    if (r > 0 && sum + by_df[r].first > kPostingBudget) break;
    sum += by_df[r].first;
    keep[by_df[r].second] = true;
  }
  std::vector<std::string> kept;
  for (size_t i = 0; i < q.optional.size(); ++i) {
    if (keep[i]) kept.push_back(std::move(q.optional[i]));
  }
  q.optional = std::move(kept);
  return q;
}

// Cancelled once the options' deadline has passed or their cancel flag is set.
Status CheckTime(const ClaimSearchOptions& o) {
  if (o.cancel != nullptr && o.cancel->load(std::memory_order_relaxed)) {
    return Status::Cancelled("search: interrupted");
  }
  if (o.deadline && std::chrono::steady_clock::now() > *o.deadline) {
    return Status::Cancelled("search: the answer took longer than its time limit");
  }
  return Status::OK();
}

// " AND ..." for the filters that are set, with their parameters from ?3 on
// (the statements hold MATCH ?1 and, for ranking, LIMIT ?2).
std::string FilterSql(const SearchFilters& f) {
  std::string sql;
  if (f.from) sql += " AND docs.time >= ?3";
  if (f.to) sql += " AND docs.time <= ?4";
  if (!f.author.empty()) sql += " AND docs.author = ?5";
  if (!f.source.empty()) sql += " AND docs.source = ?6";
  if (!f.lang.empty()) sql += " AND docs.lang = ?7";
  return sql;
}

void BindFilters(sqlite3_stmt* st, const SearchFilters& f) {
  if (f.from) sqlite3_bind_int64(st, 3, *f.from);
  if (f.to) sqlite3_bind_int64(st, 4, *f.to);
  auto text = [st](int i, const std::string& v) {
    if (!v.empty()) sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  };
  text(5, f.author);
  text(6, f.source);
  text(7, f.lang);
}

// `text` cut to at most `max` bytes, at a UTF-8 boundary.
void CutUtf8(std::string* text, size_t max) {
  if (text->size() <= max) return;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>((*text)[n]) & 0xC0) == 0x80) --n;
  text->resize(n);
  text->shrink_to_fit();
}

// The documents matching the whole query and the filters.
Result<uint64_t> CountMatches(sqlite3* db, const std::string& match, const SearchFilters& f) {
  const std::string sql = "SELECT count(*) FROM docs_fts" +
                          std::string(f.any() ? " JOIN docs ON docs.id = docs_fts.rowid" : "") +
                          " WHERE docs_fts MATCH ?1" + FilterSql(f);
  ET_ASSIGN_OR_RETURN(StmtPtr st, Prepare(db, sql.c_str()));
  sqlite3_bind_text(st.get(), 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
  BindFilters(st.get(), f);
  int rc = sqlite3_step(st.get());
  if (rc != SQLITE_ROW) {
    if ((rc & 0xff) == SQLITE_INTERRUPT) return Status::Cancelled("search: interrupted");
    return Status::IOError(std::string("search: counting matches: ") + sqlite3_errmsg(db));
  }
  return static_cast<uint64_t>(sqlite3_column_int64(st.get(), 0));
}

// The recall step: BM25 ranking over the bounded query and the filters,
// without FTS5 snippets (they cost more than the re-ranking for 100
// candidates), then each candidate's row by primary key, its text cut to
// max_scored_bytes. Both read one snapshot, as does the count.
Result<std::vector<std::pair<SearchHit, Document>>> Recall(Store* store,
                                                           const store_internal::SearchQuery& q,
                                                           int k, const ClaimSearchOptions& o,
                                                           uint64_t* total) {
  ET_RETURN_IF_ERROR(store->CheckFullTextIndex());
  sqlite3* db = store_internal::Handle(store);
  const std::string match = store_internal::RenderFtsQuery(BoundRecallQuery(db, q));
  const SearchFilters& f = o.filters;
  ET_ASSIGN_OR_RETURN(StmtPtr begin, Prepare(db, "BEGIN"));
  ET_ASSIGN_OR_RETURN(StmtPtr commit, Prepare(db, "COMMIT"));
  const std::string rank_sql =
      "SELECT docs_fts.rowid, bm25(docs_fts, 1.0, 0.5) AS r FROM docs_fts" +
      std::string(f.any() ? " JOIN docs ON docs.id = docs_fts.rowid" : "") +
      " WHERE docs_fts MATCH ?1" + FilterSql(f) + " ORDER BY r, docs_fts.rowid LIMIT ?2";
  ET_ASSIGN_OR_RETURN(StmtPtr rank, Prepare(db, rank_sql.c_str()));
  ET_ASSIGN_OR_RETURN(StmtPtr row, Prepare(db,
                                           "SELECT ext_id, source, author, time, title, lang, "
                                           "substr(CAST(text AS BLOB), 1, ?2) FROM docs "
                                           "WHERE id = ?1"));
  sqlite3_step(begin.get());
  std::vector<std::pair<SearchHit, Document>> out;
  sqlite3_bind_text(rank.get(), 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int(rank.get(), 2, k);
  BindFilters(rank.get(), f);
  int rc;
  while ((rc = sqlite3_step(rank.get())) == SQLITE_ROW) {
    SearchHit h;
    h.doc_id = sqlite3_column_int64(rank.get(), 0);
    h.score = -sqlite3_column_double(rank.get(), 1);
    out.emplace_back(std::move(h), Document{});
  }
  Status st;
  if ((rc & 0xff) == SQLITE_INTERRUPT) {
    st = Status::Cancelled("search: interrupted");
  } else if (rc != SQLITE_DONE) {
    st = Status::IOError(std::string("search: ") + sqlite3_errmsg(db));
  }
  // One byte more than is scored, so that the cut lands on a boundary.
  sqlite3_bind_int64(row.get(), 2, static_cast<int64_t>(o.max_scored_bytes) + 4);
  for (auto& [h, d] : out) {
    if (!st.ok()) break;
    st = CheckTime(o);
    if (!st.ok()) break;
    sqlite3_reset(row.get());
    sqlite3_bind_int64(row.get(), 1, h.doc_id);
    if (sqlite3_step(row.get()) != SQLITE_ROW) {
      st = Status::Corruption("search: document " + std::to_string(h.doc_id) +
                              " is in the FTS index but not in docs");
      break;
    }
    h.ext_id = d.ext_id = Column(row.get(), 0);
    h.source = d.source = Column(row.get(), 1);
    h.author = d.author = Column(row.get(), 2);
    if (sqlite3_column_type(row.get(), 3) != SQLITE_NULL)
      h.time = d.time = sqlite3_column_int64(row.get(), 3);
    h.title = d.title = Column(row.get(), 4);
    d.lang = Column(row.get(), 5);
    d.text = Column(row.get(), 6);
    CutUtf8(&d.text, o.max_scored_bytes);
  }
  if (st.ok() && total != nullptr) {
    auto n = CountMatches(db, store_internal::RenderFtsQuery(q), f);
    if (n.ok()) {
      *total = *n;
    } else {
      st = n.status();
    }
  }
  sqlite3_step(commit.get());
  if (!st.ok()) return st;
  return out;
}

// Share of the distinct `stems` among the terms of `doc`.
double Coverage(const sim::Analyzer& analyzer, const std::set<std::string>& stems,
                const Document& doc) {
  if (stems.empty()) return 0;
  std::string lang = doc.lang.empty() || doc.lang == "und" ? "en" : doc.lang;
  std::set<std::string> found;
  for (std::string_view text : {std::string_view(doc.title), std::string_view(doc.text)}) {
    for (const std::string& t : analyzer.Terms(text, lang)) {
      if (stems.count(t)) found.insert(t);
    }
  }
  return static_cast<double>(found.size()) / static_cast<double>(stems.size());
}

}  // namespace

Result<std::vector<ClaimSearchHit>> SearchClaims(Store* store, const std::string& query,
                                                 const ClaimSearchOptions& options,
                                                 uint64_t* total) {
  if (options.k < 1 || options.k > 10000) return Status::InvalidArgument("--k must be in 1..10000");
  ET_ASSIGN_OR_RETURN(store_internal::SearchQuery parsed, store_internal::ParseSearchQuery(query));
  int recall = std::min(10000, std::max(options.k, options.recall));
  if (total != nullptr) *total = 0;
  ET_ASSIGN_OR_RETURN(auto recalled, Recall(store, parsed, recall, options, total));
  std::vector<SearchHit> hits;
  std::vector<Document> docs;
  hits.reserve(recalled.size());
  docs.reserve(recalled.size());
  for (auto& [h, d] : recalled) {
    hits.push_back(std::move(h));
    docs.push_back(std::move(d));
  }
  std::vector<SimilarityInput> inputs;
  inputs.reserve(docs.size());
  for (const Document& d : docs) {
    // The stored language saves CLD2 a pass; "und" means detect.
    inputs.push_back({d.title.empty() ? d.text : d.title + "\n" + d.text,
                      d.lang == "und" ? std::string() : d.lang,
                      {}});
  }
  ET_RETURN_IF_ERROR(CheckTime(options));
  SimilarityOptions so;
  so.lsa_rank = 0;
  so.weights = {0.35, 0.35, 0.0, 0.1, 0.1, 0.1};
  std::vector<Representation> reps;
  ET_ASSIGN_OR_RETURN(auto model, SimilarityModel::FitAndRepresent(inputs, so, &reps));
  inputs.clear();
  // The re-ranker compares with what is looked for: the excluded words and
  // the operators are not part of it.
  const std::string& positive = parsed.positive_text;
  Representation rq = model->Represent({positive, "", {}});
  const sim::Analyzer& analyzer = model->impl().analyzer;
  std::set<std::string> stems;
  for (const std::string& t : analyzer.Terms(positive, rq->lang)) stems.insert(t);
  double max_bm25 = 0;
  for (const SearchHit& h : hits) max_bm25 = std::max(max_bm25, h.score);
  std::vector<ClaimSearchHit> out;
  out.reserve(hits.size());
  for (size_t i = 0; i < hits.size(); ++i) {
    ET_RETURN_IF_ERROR(CheckTime(options));
    ClaimSearchHit c;
    c.hit = hits[i];
    c.bm25 = hits[i].score;
    c.signals = model->Compare(rq, reps[i]);
    c.hit.score = 0.4 * (max_bm25 > 0 ? c.bm25 / max_bm25 : 0) + 0.6 * c.signals.score;
    c.coverage = Coverage(analyzer, stems, docs[i]);
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const ClaimSearchHit& a, const ClaimSearchHit& b) {
    if (a.coverage != b.coverage) return a.coverage > b.coverage;
    return a.hit.score > b.hit.score;
  });
  if (out.size() > static_cast<size_t>(options.k)) out.resize(static_cast<size_t>(options.k));
  // Spans only for what is shown.
  for (ClaimSearchHit& c : out) {
    ET_RETURN_IF_ERROR(CheckTime(options));
    for (size_t i = 0; i < hits.size(); ++i) {
      if (hits[i].doc_id == c.hit.doc_id) {
        MatchingSpan(analyzer, stems, docs[i], &c);
        break;
      }
    }
  }
  return out;
}

namespace {

void WriteHit(JsonWriter& w, int rank, const ClaimSearchHit& c, bool explain) {
  const SearchHit& h = c.hit;
  w.BeginObject().Key("rank").Int(rank).Key("doc_id").Int(h.doc_id);
  w.Key("ext_id").String(h.ext_id).Key("source").String(h.source);
  w.Key("author").String(h.author);
  w.Key("time");
  if (h.time) {
    w.String(FormatTimeIso(*h.time));
  } else {
    w.Null();
  }
  w.Key("title").String(h.title).Key("score").Double(h.score);
  w.Key("coverage").Double(c.coverage);
  w.Key("bm25").Double(c.bm25).Key("similarity").Double(c.signals.score);
  w.Key("span").BeginArray().Uint(c.span_start).Uint(c.span_end).EndArray();
  w.Key("snippet").String(h.snippet);
  if (explain) {
    const SimilaritySignals& s = c.signals;
    w.Key("evidence").BeginObject();
    w.Key("words").Double(s.words).Key("chars").Double(s.chars);
    w.Key("names").Double(s.names).Key("numbers").Double(s.numbers);
    w.Key("tag_or_link").Bool(s.tag_or_link);
    w.Key("shared_terms").BeginArray();
    for (const auto& t : s.shared_terms) w.String(t);
    w.EndArray().Key("shared_entities").BeginArray();
    for (const auto& t : s.shared_entities) w.String(t);
    w.EndArray().EndObject();
  }
  w.EndObject();
}

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

}  // namespace

std::string ClaimSearchToJson(const std::string& query, const std::vector<ClaimSearchHit>& hits,
                              bool explain, uint64_t total) {
  JsonWriter w;
  w.BeginObject().Key("query").String(query).Key("total").Uint(total).Key("hits").BeginArray();
  int rank = 0;
  for (const ClaimSearchHit& c : hits) WriteHit(w, ++rank, c, explain);
  w.EndArray().EndObject();
  return w.Take();
}

std::string ClaimSearchToJsonl(const std::vector<ClaimSearchHit>& hits, bool explain) {
  std::string out;
  int rank = 0;
  for (const ClaimSearchHit& c : hits) {
    JsonWriter w;
    WriteHit(w, ++rank, c, explain);
    out += w.Take();
    out += '\n';
  }
  return out;
}

std::string ClaimSearchToCsv(const std::vector<ClaimSearchHit>& hits) {
  std::string out =
      "rank,doc_id,source,author,time,score,coverage,bm25,similarity,start,end,snippet\n";
  int rank = 0;
  for (const ClaimSearchHit& c : hits) {
    const SearchHit& h = c.hit;
    out += std::to_string(++rank) + ',';
    for (const std::string* f : {&h.ext_id, &h.source, &h.author}) {
      AppendCsvField(*f, &out);
      out += ',';
    }
    if (h.time) out += FormatTimeIso(*h.time);
    out += ',' + Fixed(h.score) + ',' + Fixed(c.coverage) + ',' + Fixed(c.bm25) + ',' +
           Fixed(c.signals.score) + ',' + std::to_string(c.span_start) + ',' +
           std::to_string(c.span_end) + ',';
    AppendCsvField(h.snippet, &out);
    out += '\n';
  }
  return out;
}

}  // namespace echotrace::claims

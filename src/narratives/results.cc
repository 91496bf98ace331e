// Reading the talking points (results.h).
#include "narratives/results.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "narratives/stage.h"
#include "query/terminal.h"
#include "store/sqlite_util.h"
#include "store/store_internal.h"
#include "text/time_parse.h"

namespace echotrace {

using store_internal::SqliteStatus;
using store_internal::Stmt;

const std::vector<ResultTable>& NarrativesResultTables() {
  using C = ResultTable::Column;
  static const std::vector<ResultTable> kTables = {
      {"narratives",
       kNarrativesDetector,
       {{"narrative_id", C::kInt},
        {"label", C::kText},
        {"keywords", C::kText},
        {"doc_id", C::kText},
        {"start", C::kInt},
        {"end", C::kInt},
        {"score", C::kText}},
       "SELECT u.narrative_id, n.label, n.keywords, d.ext_id, u.start, u.end, "
       "printf('%.4f', u.score) FROM narrative_units u "
       "JOIN narratives n ON n.run_id = u.run_id AND n.narrative_id = u.narrative_id "
       "JOIN docs d ON d.id = u.doc_id WHERE u.run_id = ?1 "
       "ORDER BY u.narrative_id, u.doc_id, u.start"},
      {"narrative-units",
       kNarrativesDetector,
       {{"doc_id", C::kText},
        {"start", C::kInt},
        {"end", C::kInt},
        {"narrative_id", C::kInt},
        {"score", C::kText},
        {"via_doc_id", C::kText}},
       "SELECT d.ext_id, u.start, u.end, coalesce(u.narrative_id, 0), printf('%.4f', u.score), "
       "v.ext_id FROM narrative_units u JOIN docs d ON d.id = u.doc_id "
       "JOIN docs v ON v.id = u.via_doc_id WHERE u.run_id = ?1 ORDER BY u.doc_id, u.start"},
  };
  return kTables;
}

namespace {

const char kNoResult[] =
    "the store has no talking points yet; run: echotrace analyze --db DB --only narratives";

}  // namespace

Result<std::map<std::string, std::vector<NarrativeUnitRow>>> ReadNarrativeUnits(Store* store) {
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kNarrativesDetector));
  if (!run) return Status::NotFound(kNoResult);
  sqlite3* db = store_internal::Handle(store);
  ET_ASSIGN_OR_RETURN(bool exists, store_internal::TableExists(db, "narrative_units"));
  if (!exists) return Status::NotFound(kNoResult);
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db,
                                "SELECT d.ext_id, u.start, u.end, coalesce(u.narrative_id, 0) "
                                "FROM narrative_units u JOIN docs d ON d.id = u.doc_id "
                                "WHERE u.run_id = ?1 ORDER BY u.doc_id, u.start"));
  st.BindInt64(1, run->id);
  std::map<std::string, std::vector<NarrativeUnitRow>> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    out[std::string(st.TextView(0))].push_back(
        {static_cast<uint32_t>(st.Int64(1)), static_cast<uint32_t>(st.Int64(2)), st.Int64(3)});
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading the talking-point units");
  return out;
}

Result<ShownNarrative> ShowNarrative(Store* store, int64_t id, int limit) {
  const Status none = Status::NotFound(
      "the store has no talking points yet; run: echotrace analyze --db DB --only narratives");
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kNarrativesDetector));
  if (!run) return none;
  sqlite3* db = store_internal::Handle(store);
  ET_ASSIGN_OR_RETURN(bool exists, store_internal::TableExists(db, "narratives"));
  if (!exists) return none;
  ShownNarrative n;
  n.run_id = run->id;
  n.narrative_id = id;
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db,
      "SELECT n.label, n.keywords, l.ext_id, n.units, n.docs, n.authors, n.sources, n.first_time, "
      "n.last_time, f.ext_id, coalesce(f.source, ''), coalesce(f.author, '') FROM narratives n "
      "JOIN docs l ON l.id = n.label_doc_id JOIN docs f ON f.id = n.first_doc_id "
      "WHERE n.run_id = ?1 AND n.narrative_id = ?2"));
  st.BindInt64(1, run->id);
  st.BindInt64(2, id);
  int rc = st.Step();
  if (rc == SQLITE_DONE) {
    return Status::NotFound("talking point " + std::to_string(id) +
                            " is not in the latest result (run " + std::to_string(run->id) +
                            "); list them: echotrace export --db DB "
                            "--what narratives");
  }
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading a talking point");
  n.label = std::string(st.TextView(0));
  n.keywords = std::string(st.TextView(1));
  n.label_doc = std::string(st.TextView(2));
  n.units = static_cast<uint64_t>(st.Int64(3));
  n.docs = static_cast<uint64_t>(st.Int64(4));
  n.authors = static_cast<uint64_t>(st.Int64(5));
  n.sources = static_cast<uint64_t>(st.Int64(6));
  n.first_time = st.OptInt64(7);
  n.last_time = st.OptInt64(8);
  n.first_doc = std::string(st.TextView(9));
  n.first_source = std::string(st.TextView(10));
  n.first_author = std::string(st.TextView(11));

  // Wordings: the units' texts (from the document the offsets refer to),
  // white space collapsed and case folded for counting, shown as first seen.
  ET_RETURN_IF_ERROR(
      st.Prepare(db,
                 "SELECT substr(CAST(v.text AS BLOB), u.start + 1, u.end - u.start), "
                 "coalesce(d.author, ''), coalesce(d.source, ''), d.time FROM narrative_units u "
                 "JOIN docs d ON d.id = u.doc_id JOIN docs v ON v.id = u.via_doc_id "
                 "WHERE u.run_id = ?1 AND u.narrative_id = ?2 ORDER BY u.doc_id, u.start"));
  st.BindInt64(1, run->id);
  st.BindInt64(2, id);
  std::map<std::string, std::pair<std::string, uint64_t>> wordings;  // key → (shown, count)
  std::map<std::string, uint64_t> authors, sources;
  std::vector<std::pair<std::string, int64_t>> times;  // (source, time) of dated units
  while ((rc = st.Step()) == SQLITE_ROW) {
    const std::string text(st.TextView(0));
    std::string key;
    bool space = false;
    for (unsigned char c : text) {
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        space = !key.empty();
        continue;
      }
      if (space) key.push_back(' ');
      space = false;
      key.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
    auto [it, fresh] = wordings.try_emplace(key, text, 0);
    it->second.second++;
    if (!st.TextView(1).empty()) authors[std::string(st.TextView(1))]++;
    const std::string source =
        st.TextView(2).empty() ? std::string("(no source)") : std::string(st.TextView(2));
    sources[source]++;
    if (!st.IsNull(3)) times.emplace_back(source, st.Int64(3));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "reading a talking point's units");
  for (auto& [key, w] : wordings) n.wordings.push_back({std::move(w.first), w.second});
  std::stable_sort(n.wordings.begin(), n.wordings.end(),
                   [](const ShownWording& a, const ShownWording& b) { return a.count > b.count; });
  if (n.wordings.size() > static_cast<size_t>(limit)) n.wordings.resize(static_cast<size_t>(limit));
  auto top = [&](const std::map<std::string, uint64_t>& m, size_t cap) {
    std::vector<std::pair<std::string, uint64_t>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (v.size() > cap) v.resize(cap);
    return v;
  };
  if (n.first_time && n.last_time && *n.last_time - *n.first_time > 60 * int64_t{86400}) {
    n.period_seconds = int64_t{7} * 86400;
  }
  for (const auto& [source, t] : times) {
    // Days floor towards minus infinity; weeks start on Monday (1970-01-01
    // was a Thursday: 3 days after the Monday before it).
    int64_t start = t - ((t % 86400) + 86400) % 86400;
    if (n.period_seconds > 86400) {
      const int64_t day = start / 86400;
      start -= (((day + 3) % 7) + 7) % 7 * int64_t{86400};
    }
    n.timeline[source][start]++;
  }
  n.top_authors = top(authors, static_cast<size_t>(limit));
  n.by_source = top(sources, static_cast<size_t>(limit));
  return n;
}

std::string RenderNarrative(const ShownNarrative& n) {
  auto when = [](const std::optional<int64_t>& t) {
    return t ? FormatTimeIso(*t) : std::string("time unknown");
  };
  std::string out = "talking point " + std::to_string(n.narrative_id) + " (run " +
                    std::to_string(n.run_id) + "): " + std::to_string(n.units) + " units in " +
                    std::to_string(n.docs) + " documents, " + std::to_string(n.authors) +
                    " authors, " + std::to_string(n.sources) + " sources\n";
  out += "label: " + OneLine(n.label, 400) + "  (" + TerminalSafe(n.label_doc, false) + ")\n";
  out += "keywords: " + TerminalSafe(n.keywords, false) + "\n";
  out += "first seen " + when(n.first_time) + " in " + TerminalSafe(n.first_doc, false) + " [" +
         TerminalSafe(n.first_source, false) + "] " + TerminalSafe(n.first_author, false) +
         "; last seen " + when(n.last_time) + "\n";
  out += "\nwordings (units with each):\n";
  for (const ShownWording& w : n.wordings) {
    out += "  " + std::to_string(w.count) + "  " + OneLine(w.text, 300) + "\n";
  }
  out += "\ntop authors (units):\n";
  for (const auto& [a, c] : n.top_authors) {
    out += "  " + std::to_string(c) + "  " + TerminalSafe(a, false) + "\n";
  }
  out += "\nby source (units):\n";
  for (const auto& [s, c] : n.by_source) {
    out += "  " + std::to_string(c) + "  " + TerminalSafe(s, false) + "\n";
  }
  out += std::string("\ntimeline (units per ") + (n.period_seconds > 86400 ? "week" : "day") +
         ", by source):\n";
  for (const auto& [source, periods] : n.timeline) {
    out += "  " + TerminalSafe(source, false) + ":";
    for (const auto& [start, c] : periods) {
      out += " " + FormatTimeIso(start).substr(0, 10) + "=" + std::to_string(c);
    }
    out += "\n";
  }
  return out;
}

}  // namespace echotrace

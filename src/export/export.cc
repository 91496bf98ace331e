// Exports. Rows stream from SQLite straight to the output file: memory does
// not grow with the result.
#include "echotrace/export.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "coord/graph_export.h"
#include "coord/results.h"
#include "narratives/results.h"
#include "neardup/results.h"
#include "reuse/results.h"
#include "store/sqlite_util.h"
#include "store/store_internal.h"
#include "text/time_parse.h"
#include "util/csv.h"
#include "util/json.h"

namespace echotrace {

namespace {

using store_internal::SqliteStatus;
using store_internal::Stmt;

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr && f != stdout) std::fclose(f);
  }
};

// The id of the run whose result is exported; NotFound saying what to run.
Result<int64_t> LatestRun(Store* store, const std::string& kind) {
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kind));
  if (!run) {
    return Status::NotFound("the store has no " + kind +
                            " result yet; run: echotrace analyze --db DB --only " + kind);
  }
  return run->id;
}

using Table = ResultTable;
using Col = ResultTable::Column;

// The stored documents themselves: the store's own table, not a detector's,
// so it has no run (kind "": nothing to bind).
const std::vector<ResultTable>& DocumentTables() {
  static const std::vector<ResultTable> kTables = {
      {"documents",
       "",
       {{"doc_id", Col::kText},
        {"source", Col::kText},
        {"author", Col::kText},
        {"time", Col::kTime},
        {"lang", Col::kText},
        {"input_lang", Col::kText},
        {"title", Col::kText},
        {"url", Col::kText},
        {"parent", Col::kText},
        {"text", Col::kText}},
       "SELECT ext_id, source, author, time, lang, input_lang, title, url, parent, text "
       "FROM docs ORDER BY id"},
  };
  return kTables;
}

// Every table `what` may name, in the order ResultNames() lists them.
std::vector<const std::vector<ResultTable>*> AllTables() {
  return {&DocumentTables(), &NearDupResultTables(), &ReuseResultTables(),
          &coord::CoordResultTables(), &NarrativesResultTables()};
}

// The table behind `what`, from the detectors' read sides; nullptr when
// none has that name.
const Table* TableFor(const std::string& what) {
  for (const std::vector<ResultTable>* tables : AllTables()) {
    for (const ResultTable& t : *tables) {
      if (what == t.what) return &t;
    }
  }
  return nullptr;
}

std::string Available() {
  std::string names;
  for (const std::string& n : ResultNames()) names += (names.empty() ? "" : ", ") + n;
  return names;
}

// The table behind `what` and the run its rows come from (0 for documents),
// with the statement prepared and bound. A table whose columns depend on the
// run (coordination: one weight per window of the run) is built into *built.
Result<const Table*> PrepareTable(Store* store, const std::string& what, Stmt* st, int64_t* run_id,
                                  std::optional<Table>* built) {
  const Table* table = TableFor(what);
  if (table == nullptr) {
    return Status::InvalidArgument("--what " + what + ": available: " + Available());
  }
  *run_id = 0;
  if (!table->kind.empty()) {
    ET_ASSIGN_OR_RETURN(*run_id, LatestRun(store, table->kind));
  }
  if (table->what == "coordination") {
    ET_ASSIGN_OR_RETURN(*built, coord::CoordinationEdgeTable(store, *run_id));
    table = &**built;
  }
  ET_RETURN_IF_ERROR(st->Prepare(store_internal::Handle(store), table->sql));
  if (!table->kind.empty()) st->BindInt64(1, *run_id);
  return table;
}

// Appends the current row of `st` as one CSV line or JSON object.
void AppendRow(const Table& t, const Stmt& st, bool csv, std::string* buf) {
  if (!csv) buf->push_back('{');
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const auto& [name, col] = t.columns[i];
    const int k = static_cast<int>(i);
    if (csv) {
      if (i > 0) buf->push_back(',');
    } else {
      if (i > 0) buf->push_back(',');
      AppendJsonString(name, buf);
      buf->push_back(':');
    }
    if (col == Col::kInt) {
      *buf += std::to_string(st.Int64(k));
    } else if (col == Col::kText || !st.IsNull(k)) {
      const std::string v =
          col == Col::kText ? std::string(st.TextView(k)) : FormatTimeIso(st.Int64(k));
      if (csv) {
        AppendCsvField(v, buf);
      } else {
        AppendJsonString(v, buf);
      }
    } else if (!csv) {
      *buf += "null";
    }
  }
  *buf += csv ? "\n" : "}\n";
}

}  // namespace

// The account network for Gephi: nodes with their group, edges with their
// behaviour, weight, times and window (coord/graph_export.h escapes every
// string: account names are untrusted).
static Status ExportGraph(Store* store, const ExportOptions& o, ExportSummary* summary) {
  ET_ASSIGN_OR_RETURN(summary->run_id, LatestRun(store, "coordination"));
  ET_ASSIGN_OR_RETURN(coord::CoordGraph graph, ReadCoordGraph(store));
  std::ostringstream text;
  if (o.format == "gexf") {
    coord::WriteGexf(graph, "echotrace " ECHOTRACE_VERSION, text);
  } else {
    coord::WriteGraphml(graph, "echotrace " ECHOTRACE_VERSION, text);
  }
  summary->rows = graph.edges.size();
  const std::string out = text.str();
  if (o.out_path.empty() || o.out_path == "-") {
    if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) {
      return Status::IOError("cannot write stdout");
    }
    return Status::OK();
  }
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(o.out_path.c_str(), "wb"));
  if (!f || std::fwrite(out.data(), 1, out.size(), f.get()) != out.size()) {
    return Status::IOError("cannot write " + o.out_path + ": " + std::strerror(errno));
  }
  return Status::OK();
}

Status Export(Store* store, const ExportOptions& o, ExportSummary* summary) {
  *summary = ExportSummary();
  if (o.format == "gexf" || o.format == "graphml") {
    if (o.what != "coordination") {
      return Status::InvalidArgument("--format " + o.format +
                                     " is for the account network: use --what coordination");
    }
    return ExportGraph(store, o, summary);
  }
  if (o.format != "csv" && o.format != "jsonl") {
    return Status::InvalidArgument("--format " + o.format +
                                   ": use csv or jsonl (or gexf / graphml for --what "
                                   "coordination)");
  }
  Stmt st;
  std::optional<Table> built;
  ET_ASSIGN_OR_RETURN(const Table* table,
                      PrepareTable(store, o.what, &st, &summary->run_id, &built));
  sqlite3* db = store_internal::Handle(store);

  std::unique_ptr<std::FILE, FileCloser> out;
  if (o.out_path.empty() || o.out_path == "-") {
    out.reset(stdout);
  } else {
    out.reset(std::fopen(o.out_path.c_str(), "wb"));
    if (!out) {
      return Status::IOError("cannot write " + o.out_path + ": " + std::strerror(errno));
    }
  }
  const bool csv = o.format == "csv";
  std::string buf;
  if (csv) {
    for (size_t i = 0; i < table->columns.size(); ++i) {
      buf += i > 0 ? "," : "";
      buf += table->columns[i].first;
    }
    buf += '\n';
  }
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    AppendRow(*table, st, csv, &buf);
    summary->rows++;
    if (buf.size() > (1u << 16)) {
      if (std::fwrite(buf.data(), 1, buf.size(), out.get()) != buf.size()) break;
      buf.clear();
    }
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading the result");
  if (std::fwrite(buf.data(), 1, buf.size(), out.get()) != buf.size() ||
      std::fflush(out.get()) != 0) {
    return Status::IOError("cannot write " + (o.out_path.empty() ? "stdout" : o.out_path) + ": " +
                           std::strerror(errno));
  }
  return Status::OK();
}

std::vector<std::string> ResultNames() {
  std::vector<std::string> names;
  for (const std::vector<ResultTable>* tables : AllTables()) {
    for (const ResultTable& t : *tables) names.emplace_back(t.what);
  }
  return names;
}

Result<ResultColumns> ReadResult(Store* store, const std::string& what) {
  ResultColumns out;
  Stmt st;
  std::optional<Table> built;
  ET_ASSIGN_OR_RETURN(const Table* table, PrepareTable(store, what, &st, &out.run_id, &built));
  using T = ResultColumns::Type;
  for (const auto& [name, col] : table->columns) {
    ResultColumns::Column c;
    c.name = name;
    c.type = col == Col::kInt ? T::kInt : col == Col::kText ? T::kText : T::kTime;
    out.columns.push_back(std::move(c));
  }
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    for (size_t i = 0; i < out.columns.size(); ++i) {
      ResultColumns::Column& c = out.columns[i];
      const int k = static_cast<int>(i);
      switch (c.type) {
        case T::kInt:
          c.ints.push_back(st.Int64(k));
          break;
        case T::kText:
          c.texts.emplace_back(st.TextView(k));
          break;
        case T::kTime:
          c.valid.push_back(st.IsNull(k) ? 0 : 1);
          c.ints.push_back(st.IsNull(k) ? 0 : st.Int64(k));
          break;
      }
    }
    out.rows++;
  }
  if (rc != SQLITE_DONE)
    return SqliteStatus(store_internal::Handle(store), rc, "reading the result");
  return out;
}

}  // namespace echotrace

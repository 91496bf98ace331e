// Exports. Rows stream from SQLite straight to the output file: memory does
// not grow with the result.
#include "echotrace/export.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "coord/graph_export.h"
#include "coord/results.h"
#include "store/sqlite_util.h"
#include "text/time_parse.h"
#include "util/json.h"

namespace echotrace {

namespace {

using store_internal::SqliteStatus;
using store_internal::Stmt;

// Appends `s` as one CSV field (RFC 4180): quoted when it holds a comma,
// quote, CR or LF, with quotes doubled.
void AppendCsvField(std::string_view s, std::string* out) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr && f != stdout) std::fclose(f);
  }
};

// The id of the run whose result is exported; NotFound saying what to run.
Result<int64_t> LatestRun(Store* store, const char* kind) {
  ET_ASSIGN_OR_RETURN(std::optional<RunRecord> run, store->LatestRun(kind));
  if (!run) {
    return Status::NotFound(std::string("the store has no ") + kind +
                            " result yet; run: echotrace analyze --db DB --only " + kind);
  }
  return run->id;
}

// How a column is read and written. kTime: unix seconds in the store,
// ISO 8601 in the export (empty / null when unknown).
enum class Col { kInt, kText, kTime };

struct Table {
  const char* kind;  // runs.kind the rows come from
  std::vector<std::pair<const char*, Col>> columns;
  const char* sql;  // ?1 = run id; selects the columns in order
};

const Table* TableFor(const std::string& what) {
  static const Table kNearDup{
      "neardup",
      {{"cluster_id", Col::kInt}, {"doc_id", Col::kText}},
      "SELECT m.cluster_id, d.ext_id FROM neardup_members m JOIN docs d ON d.id = m.doc_id "
      "WHERE m.run_id = ?1 ORDER BY m.cluster_id, m.doc_id"};
  // Offsets are bytes: the text is cut from the bytes, not the characters.
  static const Table kReuse{
      "reuse",
      {{"cluster_id", Col::kInt},
       {"doc_id", Col::kText},
       {"start", Col::kInt},
       {"end", Col::kInt},
       {"text", Col::kText}},
      "SELECT o.cluster_id, d.ext_id, o.start, o.end, "
      "substr(CAST(d.text AS BLOB), o.start + 1, o.end - o.start) FROM reuse_occurrences o "
      "JOIN docs d ON d.id = o.doc_id WHERE o.run_id = ?1 ORDER BY o.cluster_id, o.doc_id, "
      "o.start"};
  static const Table kReuseClusters{
      "reuse",
      {{"cluster_id", Col::kInt},
       {"occurrences", Col::kInt},
       {"documents", Col::kInt},
       {"sources", Col::kInt},
       {"authors", Col::kInt},
       {"first_time", Col::kTime},
       {"last_time", Col::kTime},
       {"origin_doc_id", Col::kText},
       {"origin_time", Col::kTime}},
      "SELECT c.cluster_id, c.occurrences, c.documents, c.sources, c.authors, c.first_time, "
      "c.last_time, d.ext_id, d.time FROM reuse_clusters c JOIN docs d ON d.id = "
      "c.origin_doc_id WHERE c.run_id = ?1 ORDER BY c.cluster_id"};
  // Coordination edges (contract columns, then the tightest window they hold
  // in) and community membership.
  static const Table kCoordination{
      "coordination",
      {{"account_a", Col::kText},
       {"account_b", Col::kText},
       {"behaviour", Col::kText},
       {"weight", Col::kInt},
       {"first_time", Col::kTime},
       {"last_time", Col::kTime},
       {"window", Col::kInt}},
      "SELECT account_a, account_b, behaviour, weight, first_time, last_time, window FROM "
      "coord_edges WHERE run_id = ?1 ORDER BY account_a, account_b, behaviour"};
  static const Table kGroups{
      "coordination",
      {{"account", Col::kText}, {"group_id", Col::kInt}},
      "SELECT account, group_id FROM coord_groups WHERE run_id = ?1 ORDER BY group_id, "
      "account"};
  if (what == "coordination") return &kCoordination;
  if (what == "groups") return &kGroups;
  if (what == "neardup") return &kNearDup;
  if (what == "reuse") return &kReuse;
  if (what == "reuse-clusters") return &kReuseClusters;
  return nullptr;
}

// Appends the current row of `st` as one CSV line or JSON object.
void AppendRow(const Table& t, const Stmt& st, bool csv, std::string* buf) {
  if (!csv) buf->push_back('{');
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const auto [name, col] = t.columns[i];
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
  const Table* table = TableFor(o.what);
  if (table == nullptr) {
    return Status::InvalidArgument(
        "--what " + o.what +
        ": available: neardup, reuse, reuse-clusters, coordination, groups (narratives come "
        "with their detector)");
  }
  sqlite3* db = store->handle();
  ET_ASSIGN_OR_RETURN(summary->run_id, LatestRun(store, table->kind));

  std::unique_ptr<std::FILE, FileCloser> out;
  if (o.out_path.empty() || o.out_path == "-") {
    out.reset(stdout);
  } else {
    out.reset(std::fopen(o.out_path.c_str(), "wb"));
    if (!out) {
      return Status::IOError("cannot write " + o.out_path + ": " + std::strerror(errno));
    }
  }
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(db, table->sql));
  st.BindInt64(1, summary->run_id);
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

}  // namespace echotrace

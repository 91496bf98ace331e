// Exports. Rows stream from SQLite straight to the output file: memory does
// not grow with the result.
#include "echotrace/export.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "store/sqlite_util.h"
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

Result<int64_t> LatestRun(sqlite3* db, const char* kind) {
  Stmt st;
  ET_RETURN_IF_ERROR(st.Prepare(
      db, "SELECT max(id) FROM runs WHERE kind = ?1 AND status = 'ok'"));
  st.BindText(1, kind);
  int rc = st.Step();
  if (rc != SQLITE_ROW) return SqliteStatus(db, rc, "finding the latest run");
  if (st.IsNull(0)) {
    return Status::NotFound(std::string("the store has no ") + kind +
                            " result yet; run: echotrace analyze --db DB --only " + kind);
  }
  return st.Int64(0);
}

}  // namespace

Status Export(Store* store, const ExportOptions& o, ExportSummary* summary) {
  *summary = ExportSummary();
  if (o.format != "csv" && o.format != "jsonl") {
    return Status::InvalidArgument("--format " + o.format + ": use csv or jsonl" +
                                   (o.format == "gexf" || o.format == "graphml"
                                        ? " (gexf and graphml are for coordination networks, "
                                          "not in this version yet)"
                                        : ""));
  }
  if (o.what != "neardup") {
    return Status::InvalidArgument(
        "--what " + o.what +
        ": available in this version: neardup (reuse, narratives, coordination and groups "
        "come with their detectors)");
  }
  sqlite3* db = store->handle();
  ET_ASSIGN_OR_RETURN(summary->run_id, LatestRun(db, "neardup"));

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
  ET_RETURN_IF_ERROR(
      st.Prepare(db,
                 "SELECT m.cluster_id, d.ext_id FROM neardup_members m JOIN docs d ON "
                 "d.id = m.doc_id WHERE m.run_id = ?1 ORDER BY m.cluster_id, m.doc_id"));
  st.BindInt64(1, summary->run_id);
  std::string buf;
  if (o.format == "csv") buf = "cluster_id,doc_id\n";
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    std::string cluster = std::to_string(st.Int64(0));
    std::string_view doc = st.TextView(1);
    if (o.format == "csv") {
      buf += cluster;
      buf += ',';
      AppendCsvField(doc, &buf);
      buf += '\n';
    } else {
      buf += "{\"cluster_id\":" + cluster + ",\"doc_id\":";
      AppendJsonString(doc, &buf);
      buf += "}\n";
    }
    summary->rows++;
    if (buf.size() > (1u << 16)) {
      if (std::fwrite(buf.data(), 1, buf.size(), out.get()) != buf.size()) break;
      buf.clear();
    }
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return SqliteStatus(db, rc, "reading clusters");
  if (std::fwrite(buf.data(), 1, buf.size(), out.get()) != buf.size() ||
      std::fflush(out.get()) != 0) {
    return Status::IOError("cannot write " + (o.out_path.empty() ? "stdout" : o.out_path) +
                           ": " + std::strerror(errno));
  }
  return Status::OK();
}

}  // namespace echotrace

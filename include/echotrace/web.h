// The report and the local web UI (issue #6; the contract is docs/api.md).
//
// `WriteReport` writes one self-contained HTML file: the app (web/, built and
// embedded at build time) with the data inlined as a bundle of the shapes in
// docs/api.md, the top N of each view with the counts of the rest. `Serve`
// answers the same shapes over HTTP from a read-only connection, for the
// app in live mode.
//
// Every string that came from the corpus is untrusted: it is written as JSON
// text only, escaped so that it cannot end the element holding it, and the
// pages carry a Content-Security-Policy that runs no other script.
#ifndef ECHOTRACE_WEB_H_
#define ECHOTRACE_WEB_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace {

// The app's script and styles (the two files `npm run build` writes).
struct WebAssets {
  std::string_view js;
  std::string_view css;
};

// The app built from web/ and embedded into the binary (library
// echotrace_web_assets, generated at build time).
const WebAssets& EmbeddedWebAssets();

// How much of each view a report holds. The lists hold the top N (reuse
// clusters by documents, near-duplicate clusters by size, edges by weight,
// groups by accounts); each listed item's detail is included with at most
// the per-detail counts below; every list says how long it is in the store.
struct ReportLimits {
  int reuse = 200;          // reuse clusters listed (and detailed)
  int neardup = 200;        // near-duplicate clusters
  int edges = 500;          // coordination edges (and their evidence)
  int groups = 50;          // coordination groups
  int docs = 20000;         // documents in `docs` (for the report's search)
  int occurrences = 50;     // occurrences shown per reuse cluster
  int members = 50;         // documents shown per near-duplicate cluster
  int evidence = 10;        // evidence pairs per edge
  int group_members = 500;  // accounts listed per group
  int group_edges = 200;    // edges listed per group
  int text_cut = 20000;     // bytes of a document's text kept (`text_cut: true`)
};

struct ReportOptions {
  ReportLimits limits;
  // The report's `generated_at` (unix seconds). Unset: SOURCE_DATE_EPOCH
  // when the environment has it (reproducible builds), else now. The report
  // is otherwise the same byte for byte for the same store and options.
  std::optional<int64_t> generated_at;
  bool progress = true;                       // phases and counts on stderr
  const std::atomic<bool>* cancel = nullptr;  // set: stop with Cancelled
};

struct ReportSummary {
  uint64_t bytes = 0;  // size of the HTML file
  uint64_t bundle_bytes = 0;
  uint64_t docs = 0;  // documents in the bundle's `docs`
  double seconds = 0;
};

// The bundle (docs/api.md, `Bundle`) of `store` as JSON text, unescaped.
Result<std::string> BuildReportBundle(Store* store, const ReportOptions& options);

// Writes the report of `store` to `out_path` (through a temporary file in
// the same folder, renamed at the end: a failed or interrupted run leaves no
// half-written report). `assets` are the app (EmbeddedWebAssets() in the
// CLI; tests pass their own). IOError when the file cannot be written.
Status WriteReport(Store* store, const WebAssets& assets, const std::string& out_path,
                   const ReportOptions& options, ReportSummary* summary);

struct ServeOptions {
  std::string host = "127.0.0.1";  // numeric address or a name; loopback unless asked
  int port = 8080;                 // 0: any free port (see on_listening)
  int threads = 4;                 // workers, each with its own read-only connection
  int max_queue = 64;              // complete requests waiting for a worker; beyond: 503
  int read_timeout_ms = 10000;     // to receive the request head from the accept, else 408
  // Open connections (receiving, queued, answered or being closed), in all
  // (503) and per client address (429). Beyond a cap the oldest connection
  // still sending its head is answered so and closed to make room; when
  // there is none, the new one is. Heads are read by one thread through
  // poll(), so slow or idle clients hold only these places, never a worker.
  int max_connections = 512;
  int max_connections_per_client = 128;
  int answer_timeout_ms = 10000;  // to compute an answer, else 503
  // Called once listening, with the port bound (from the serving thread).
  std::function<void(int port)> on_listening;
};

// Serves the app and the JSON API of docs/api.md for the store at `db_path`
// until *stop becomes true (checked a few times a second; the CLI sets it on
// Ctrl-C), then closes the socket and waits for requests in progress.
// NotFound when the store does not exist; IOError when the address cannot
// be bound; InvalidArgument for bad options.
Status Serve(const std::string& db_path, const WebAssets& assets, const ServeOptions& options,
             const std::atomic<bool>* stop);

}  // namespace echotrace

#endif  // ECHOTRACE_WEB_H_

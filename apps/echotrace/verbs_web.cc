// Report and local web UI verbs (issue #6): flags in, echotrace/web.h out.
#include <cstdio>
#include <memory>
#include <string>

#include "echotrace/store.h"
#include "echotrace/web.h"
#include "verbs.h"

namespace echotrace::cli {

namespace {

struct ReportArgs {
  std::string db;
  std::string out;
  int top = 200;
  int top_edges = 500;
  int top_groups = 50;
  int max_docs = 20000;
  int64_t generated_at = -1;
  bool quiet = false;
};

struct ServeArgs {
  std::string db;
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 4;
};

Status RunReport(const ReportArgs& a, const std::atomic<bool>* cancel) {
  ET_ASSIGN_OR_RETURN(const WebAssets* assets, FrontEnd());
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(a.db, OpenMode::kReadOnly));
  ReportOptions o;
  o.limits.reuse = o.limits.neardup = a.top;
  o.limits.edges = a.top_edges;
  o.limits.groups = a.top_groups;
  o.limits.docs = a.max_docs;
  if (a.generated_at >= 0) o.generated_at = a.generated_at;
  o.progress = !a.quiet;
  o.cancel = cancel;
  ReportSummary sum;
  ET_RETURN_IF_ERROR(WriteReport(store.get(), *assets, a.out, o, &sum));
  std::fprintf(stderr, "report: wrote %s (%.1f MB, %llu documents) in %.1f s\n", a.out.c_str(),
               static_cast<double>(sum.bytes) / 1e6, static_cast<unsigned long long>(sum.docs),
               sum.seconds);
  return Status::OK();
}

Status RunServe(const ServeArgs& a, const std::atomic<bool>* cancel) {
  ET_ASSIGN_OR_RETURN(const WebAssets* assets, FrontEnd());
  ServeOptions o;
  o.host = a.host;
  o.port = a.port;
  o.threads = a.threads;
  const bool v6 = a.host.find(':') != std::string::npos;
  o.on_listening = [&a, v6](int port) {
    std::fprintf(stderr, "serve: %s on http://%s%s%s:%d/ (read-only; Ctrl-C stops)\n", a.db.c_str(),
                 v6 ? "[" : "", a.host.c_str(), v6 ? "]" : "", port);
  };
  ET_RETURN_IF_ERROR(Serve(a.db, *assets, o, cancel));
  std::fprintf(stderr, "serve: stopped\n");
  return Status::OK();
}

}  // namespace

Result<const WebAssets*> FrontEnd() {
#if ECHOTRACE_HAVE_FRONT_END
  return &EmbeddedWebAssets();
#else
  return Status::NotFound(
      "this build of echotrace has no web front end (it was configured with "
      "-DECHOTRACE_BUILD_WEB=OFF), so it cannot write a report or serve the web UI; "
      "rebuild with -DECHOTRACE_BUILD_WEB=ON (needs npm and web/node_modules: "
      "scripts/install-deps.sh)");
#endif
}

void AddWebVerbs(CLI::App& app, std::vector<Verb>& verbs, const std::atomic<bool>* cancel) {
  auto r = std::make_shared<ReportArgs>();
  CLI::App* report =
      app.add_subcommand("report",
                         "Write one self-contained HTML report (overview, reuse, "
                         "near-duplicates, coordination, "
                         "search): the top N of each view with the counts of the rest; "
                         "opens offline.");
  report->add_option("--db", r->db, "store file")->required();
  report->add_option("-o,--out", r->out, "the HTML file to write")->required();
  report->add_option("--top", r->top, "reuse and near-duplicate clusters included")
      ->default_val(200)
      ->check(CLI::Range(0, 100000));
  report->add_option("--top-edges", r->top_edges, "coordination edges included (by weight)")
      ->default_val(500)
      ->check(CLI::Range(0, 100000));
  report->add_option("--top-groups", r->top_groups, "coordination groups included (largest)")
      ->default_val(50)
      ->check(CLI::Range(0, 100000));
  report->add_option("--max-docs", r->max_docs, "documents kept for the report's search")
      ->default_val(20000)
      ->check(CLI::Range(0, 1000000));
  report->add_option("--generated-at", r->generated_at,
                     "the report's date, unix seconds (default: SOURCE_DATE_EPOCH, else now); "
                     "the report is otherwise the same for the same store");
  report->add_flag("--quiet", r->quiet, "no progress on stderr");
  verbs.push_back({report, [r, cancel] { return RunReport(*r, cancel); }, true});

  auto s = std::make_shared<ServeArgs>();
  CLI::App* serve =
      app.add_subcommand("serve",
                         "Serve the web UI and its JSON API (docs/api.md) over the whole "
                         "store, read-only, "
                         "on 127.0.0.1 unless --host says otherwise.");
  serve->add_option("--db", s->db, "store file")->required();
  serve
      ->add_option("--host", s->host,
                   "address to listen on; anything but loopback exposes the "
                   "store to the network")
      ->default_val("127.0.0.1");
  serve->add_option("--port", s->port, "port (0: any free port)")
      ->default_val(8080)
      ->check(CLI::Range(0, 65535));
  serve->add_option("--threads", s->threads, "requests answered at once")
      ->default_val(4)
      ->check(CLI::Range(1, 64));
  verbs.push_back({serve, [s, cancel] { return RunServe(*s, cancel); }, true});
}

}  // namespace echotrace::cli

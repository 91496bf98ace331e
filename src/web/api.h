// The JSON API of `echotrace serve` (docs/api.md, "Endpoints"): a request in,
// a response out, without sockets (server.cc owns those), so every route and
// every error can be tested directly.
#ifndef ECHOTRACE_WEB_API_H_
#define ECHOTRACE_WEB_API_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "echotrace/store.h"
#include "echotrace/web.h"
#include "web/bundle.h"
#include "web/http.h"

namespace echotrace::web {

// Largest `limit` and `k`, and longest `q` in bytes, a request may ask for.
inline constexpr int64_t kMaxLimit = 1000;
inline constexpr size_t kMaxQueryBytes = 1000;

// What every worker shares: the app, the store's name, the allowed Host
// names and a cache of the overview (a full scan of the corpus: computed
// once per state of the store, keyed by the newest run id).
struct ApiShared {
  WebAssets assets;
  std::string store_path;
  // When not empty, a request whose Host header is not in this list is
  // refused (403): a web page cannot then reach a loopback server through
  // a DNS name it controls (DNS rebinding).
  std::vector<std::string> allowed_hosts;
  std::mutex mu;
  int64_t overview_run = -1;
  std::string overview_json;
};

// Handles requests for one worker thread through a BundleSource over the
// worker's read-only store (not owned; must outlive the Api).
class Api {
 public:
  Api(Store* store, ApiShared* shared, const std::atomic<bool>* stop);
  // Call once; errors of the store.
  Status Init();
  // Computes the overview into the shared cache without a deadline: on a
  // large corpus it is a scan of every document, which an answer's time
  // limit might not allow.
  Status WarmUp();
  // The answer to `req`, computed before `deadline` (else 503).
  HttpResponse Handle(const HttpRequest& req, std::chrono::steady_clock::time_point deadline);

 private:
  HttpResponse Route(const HttpRequest& req);
  Result<std::string> Overview();

  ApiShared* shared_;
  BundleSource source_;
};

}  // namespace echotrace::web

#endif  // ECHOTRACE_WEB_API_H_

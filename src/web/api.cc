#include "web/api.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <initializer_list>

#include "text/utf8.h"
#include "web/html.h"

namespace echotrace::web {

namespace {

constexpr const char* kHtml = "text/html; charset=utf-8";

// Query parameters of one request, checked against the endpoint's list.
class Params {
 public:
  Params(const HttpRequest& req, std::initializer_list<const char*> allowed) : req_(req) {
    for (size_t i = 0; i < req.query.size() && error_.ok(); ++i) {
      const std::string& k = req.query[i].first;
      bool known = false;
      for (const char* a : allowed) known = known || k == a;
      if (!known) {
        error_ = Status::InvalidArgument("unknown parameter '" + Printable(k) + "'");
      }
      for (size_t j = 0; j < i && error_.ok(); ++j) {
        if (req.query[j].first == k) {
          error_ = Status::InvalidArgument("parameter '" + k + "' given twice");
        }
      }
    }
  }
  const Status& error() const { return error_; }

  const std::string* Get(const char* name) const {
    for (const auto& [k, v] : req_.query) {
      if (k == name) return &v;
    }
    return nullptr;
  }

  // An integer in [lo, hi], or `def` when absent.
  Result<int64_t> Int(const char* name, int64_t def, int64_t lo, int64_t hi) const {
    const std::string* v = Get(name);
    if (v == nullptr) return def;
    auto n = ParseId(*v);
    if (!n || *n < lo || *n > hi) {
      return Status::InvalidArgument(std::string("parameter '") + name +
                                     "' must be an integer from " + std::to_string(lo) + " to " +
                                     std::to_string(hi));
    }
    return *n;
  }

  // Decimal digits only, at most 18 (no sign, no overflow).
  static std::optional<int64_t> ParseId(std::string_view s) {
    if (s.empty() || s.size() > 18) return std::nullopt;
    int64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  // A parameter name for an error message: ASCII letters, digits, '_'.
  static std::string Printable(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 40)) {
      out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '?';
    }
    return out;
  }

 private:
  const HttpRequest& req_;
  Status error_;
};

HttpResponse FromStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
      return JsonError(400, s.message());
    case StatusCode::kNotFound:
      return JsonError(404, s.message());
    case StatusCode::kCancelled:
      return JsonError(503, "the answer took longer than 10 s; ask for less (a smaller limit)");
    default:
      // The details are for the operator, not for the page.
      std::fprintf(stderr, "serve: %s\n", s.ToString().c_str());
      return JsonError(500, "internal error (see the server's log)");
  }
}

HttpResponse JsonOk(const std::string& json) {
  HttpResponse r;
  // The same escaping as the report's bundle: the JSON never holds '<', '>'
  // or '&', whatever a browser takes it for.
  r.body = EscapeJsonForScript(json);
  r.body += '\n';
  return r;
}

// "/api/reuse/12" with prefix "/api/reuse/" -> 12; nullopt if not of that form.
std::optional<int64_t> IdAfter(const std::string& path, std::string_view prefix) {
  if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  return Params::ParseId(std::string_view(path).substr(prefix.size()));
}

bool StartsWith(const std::string& s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}

ReportLimits LiveLimits() {
  ReportLimits l;
  l.reuse = l.neardup = l.edges = l.groups = l.docs = static_cast<int>(kMaxLimit);
  return l;
}

}  // namespace

Api::Api(Store* store, ApiShared* shared, const std::atomic<bool>* stop)
    : shared_(shared), source_(store) {
  source_.SetCancel(stop);
}

Status Api::Init() { return source_.Init(); }

Status Api::WarmUp() {
  ET_RETURN_IF_ERROR(source_.Init());
  return Overview().status();
}

Result<std::string> Api::Overview() {
  ET_ASSIGN_OR_RETURN(int64_t latest, source_.LatestRunId());
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    if (shared_->overview_run == latest) return shared_->overview_json;
  }
  JsonWriter w;
  ET_RETURN_IF_ERROR(source_.WriteOverview(&w));
  std::lock_guard<std::mutex> lock(shared_->mu);
  shared_->overview_run = latest;
  shared_->overview_json = w.str();
  return w.Take();
}

HttpResponse Api::Handle(const HttpRequest& req, std::chrono::steady_clock::time_point deadline) {
  HttpResponse r;
  if (req.method != "GET" && req.method != "HEAD") {
    r = JsonError(405, "only GET and HEAD are served");
    r.headers.emplace_back("Allow", "GET, HEAD");
  } else if (auto host = req.Header("host");
             !shared_->allowed_hosts.empty() && host &&
             std::find(shared_->allowed_hosts.begin(), shared_->allowed_hosts.end(), *host) ==
                 shared_->allowed_hosts.end()) {
    r = JsonError(403, "this server answers only requests for its own address (Host header)");
  } else {
    source_.SetDeadline(deadline);
    Status s = source_.Init();  // sees analyses run since the last request
    r = s.ok() ? Route(req) : FromStatus(s);
    source_.SetDeadline(std::nullopt);
  }
  if (r.content_type == kHtml) {
    r.headers.emplace_back("Content-Security-Policy",
                           std::string(kLiveCsp) + "; frame-ancestors 'none'");
  } else {
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
  return r;
}

HttpResponse Api::Route(const HttpRequest& req) {
  const std::string& path = req.path;
  JsonWriter w;
  Status s;
  auto done = [&w, &s]() { return s.ok() ? JsonOk(w.str()) : FromStatus(s); };
  auto check = [](const Params& p) -> Status { return p.error(); };

  if (path == "/" || path == "/index.html") {
    Params p(req, {});
    if (!p.error().ok()) return FromStatus(p.error());
    JsonWriter meta;
    WriteMeta("live", shared_->store_path, static_cast<int64_t>(std::time(nullptr)), LiveLimits(),
              &meta);
    HttpResponse r;
    r.content_type = kHtml;
    r.body =
        RenderLiveHtml(meta.str(), std::filesystem::path(shared_->store_path).filename().string());
    return r;
  }
  if (path == "/app.js" || path == "/app.css") {
    HttpResponse r;
    bool js = path == "/app.js";
    r.content_type = js ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    r.body = std::string(js ? shared_->assets.js : shared_->assets.css);
    return r;
  }
  if (!StartsWith(path, "/api/")) return JsonError(404, "no such page");

  DetailLimits dl;
  if (path == "/api/meta") {
    Params p(req, {});
    if (!(s = check(p)).ok()) return done();
    WriteMeta("live", shared_->store_path, static_cast<int64_t>(std::time(nullptr)), LiveLimits(),
              &w);
    return done();
  }
  if (path == "/api/overview") {
    Params p(req, {});
    if (!(s = check(p)).ok()) return done();
    auto o = Overview();
    if (!o.ok()) return FromStatus(o.status());
    return JsonOk(*o);
  }
  if (path == "/api/reuse" || path == "/api/neardup") {
    bool reuse = path == "/api/reuse";
    Params p(req, reuse ? std::initializer_list<const char*>{"sort", "offset", "limit"}
                        : std::initializer_list<const char*>{"offset", "limit"});
    if (!(s = check(p)).ok()) return done();
    auto offset = p.Int("offset", 0, 0, int64_t{1} << 40);
    auto limit = p.Int("limit", 50, 0, kMaxLimit);
    if (!offset.ok()) return FromStatus(offset.status());
    if (!limit.ok()) return FromStatus(limit.status());
    if (!reuse) {
      s = source_.WriteNeardupList(*offset, *limit, &w, nullptr);
      return done();
    }
    ReuseSort sort = ReuseSort::kDocuments;
    if (const std::string* v = p.Get("sort")) {
      if (*v == "sources") {
        sort = ReuseSort::kSources;
      } else if (*v == "first_time") {
        sort = ReuseSort::kFirstTime;
      } else if (*v != "documents") {
        return JsonError(400, "parameter 'sort' must be documents, sources or first_time");
      }
    }
    s = source_.WriteReuseList(sort, *offset, *limit, &w, nullptr);
    return done();
  }
  if (path == "/api/coordination") {
    Params p(req, {"limit", "groups"});
    if (!(s = check(p)).ok()) return done();
    auto limit = p.Int("limit", 500, 0, kMaxLimit);
    auto groups = p.Int("groups", 50, 0, kMaxLimit);
    if (!limit.ok()) return FromStatus(limit.status());
    if (!groups.ok()) return FromStatus(groups.status());
    s = source_.WriteCoordination(*limit, *groups, &w, nullptr, nullptr);
    return done();
  }
  if (path == "/api/search") {
    Params p(req, {"q", "k"});
    if (!(s = check(p)).ok()) return done();
    auto k = p.Int("k", 20, 1, kMaxLimit);
    if (!k.ok()) return FromStatus(k.status());
    const std::string* q = p.Get("q");
    if (q == nullptr || q->empty()) return JsonError(400, "parameter 'q' is required");
    if (q->size() > kMaxQueryBytes)
      return JsonError(400, "parameter 'q' is longer than 1000 bytes");
    if (!IsValidUtf8(*q)) return JsonError(400, "parameter 'q' is not valid UTF-8");
    s = source_.WriteSearch(*q, static_cast<int>(*k), 0, &w);
    return done();
  }
  // Detail endpoints: /api/<kind>/<id>[?limit=N].
  struct Detail {
    const char* prefix;
    int kind;
  };
  const Detail details[] = {{"/api/reuse/", 0},
                            {"/api/neardup/", 1},
                            {"/api/groups/", 2},
                            {"/api/edges/", 3},
                            {"/api/docs/", 4}};
  for (const Detail& d : details) {
    if (!StartsWith(path, d.prefix)) continue;
    auto id = IdAfter(path, d.prefix);
    if (!id) return JsonError(400, std::string("expected ") + d.prefix + "ID with a numeric id");
    Params p(req, d.kind == 4 ? std::initializer_list<const char*>{}
                              : std::initializer_list<const char*>{"limit"});
    if (!(s = check(p)).ok()) return done();
    auto limit = p.Int("limit", 100, 0, kMaxLimit);
    if (!limit.ok()) return FromStatus(limit.status());
    dl.occurrences = dl.members = dl.group_edges = static_cast<int>(*limit);
    dl.evidence = static_cast<int>(std::min<int64_t>(*limit, 1000));
    switch (d.kind) {
      case 0:
        s = source_.WriteReuseDetail(*id, dl, &w, nullptr);
        break;
      case 1:
        s = source_.WriteNeardupDetail(*id, dl, &w, nullptr);
        break;
      case 2:
        s = source_.WriteGroupDetail(*id, dl, &w, nullptr);
        break;
      case 3:
        s = source_.WriteEdgeDetail(*id, dl, &w, nullptr);
        break;
      default:
        s = source_.WriteDoc(*id, 0, &w);
    }
    return done();
  }
  return JsonError(404, "no such endpoint (see docs/api.md)");
}

}  // namespace echotrace::web

// libFuzzer target for the HTTP request parser of `echotrace serve`
// (src/web/http.h): any bytes a client sends. FindHeadEnd delimits the head,
// ParseRequestHead parses it; checks the invariants the router relies on:
// an accepted request has a method of token characters, a path that starts
// with '/' and is valid UTF-8 without control bytes, query parameters
// without NUL, lower-case header names, at most one Host header (exactly
// one in HTTP/1.1); and an error answer serialises
// with a Content-Length equal to its body.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/utf8.h"
#include "web/http.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  size_t end = echotrace::web::FindHeadEnd(raw);
  Check(end <= raw.size(), "head end past the input");
  // The server parses only complete heads; the fuzzer also feeds the rest.
  std::string_view head = end > 0 ? raw.substr(0, end) : raw;
  auto req = echotrace::web::ParseRequestHead(head);
  if (req.ok()) {
    Check(!req->method.empty(), "empty method");
    Check(!req->path.empty() && req->path[0] == '/', "path not absolute");
    Check(echotrace::IsValidUtf8(req->path), "path not UTF-8");
    for (char c : req->path) Check(static_cast<unsigned char>(c) >= 0x20, "control byte in path");
    for (const auto& [k, v] : req->query) {
      Check(k.find('\0') == std::string::npos && v.find('\0') == std::string::npos, "NUL in query");
    }
    size_t hosts = 0;
    for (const auto& [k, v] : req->headers) {
      for (char c : k) Check(!(c >= 'A' && c <= 'Z'), "header name not lower-case");
      hosts += k == "host" ? 1 : 0;
    }
    Check(hosts <= 1 && (hosts == 1 || req->minor_version == 0), "Host header missing or repeated");
  } else {
    auto r = echotrace::web::JsonError(400, req.status().message());
    std::string bytes = echotrace::web::SerializeResponse(r, false);
    Check(bytes.find("Content-Length: " + std::to_string(r.body.size()) + "\r\n") !=
              std::string::npos,
          "Content-Length disagrees with the body");
  }
  auto decoded = echotrace::web::PercentDecode(raw.substr(0, 256), true);
  if (decoded) Check(decoded->size() <= std::min<size_t>(raw.size(), 256), "decoding grew");
  return 0;
}

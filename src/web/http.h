// The HTTP/1.1 subset `echotrace serve` speaks: one request per connection
// (answers carry "Connection: close"), GET and HEAD, no request bodies.
// Parsing is separate from sockets so that it can be tested and fuzzed
// (fuzz/http_request_fuzzer.cc) on its own. The input is untrusted: any
// byte sequence gives a request or an error, never undefined behaviour.
// Pure functions, thread-safe.
#ifndef ECHOTRACE_WEB_HTTP_H_
#define ECHOTRACE_WEB_HTTP_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "echotrace/status.h"

namespace echotrace::web {

// Request line and headers together are at most this long (else 431).
inline constexpr size_t kMaxRequestHead = 16 * 1024;

struct HttpRequest {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // as sent, e.g. "/api/search?q=a%20b"
  std::string path;    // percent-decoded path, e.g. "/api/search"
  // Percent-decoded query parameters ('+' is a space), in order.
  std::vector<std::pair<std::string, std::string>> query;
  // Header names lower-cased, values without surrounding white space.
  std::vector<std::pair<std::string, std::string>> headers;
  int minor_version = 1;  // HTTP/1.x

  // The first header of that (lower-case) name.
  std::optional<std::string_view> Header(std::string_view name) const;
};

// Length of the request head at the start of `buf` (up to and including the
// blank line that ends it, CRLF or bare LF), or 0 while it is incomplete.
size_t FindHeadEnd(std::string_view buf);

// Parses a complete request head (as delimited by FindHeadEnd).
// InvalidArgument, with what is wrong, for anything malformed: a bad request
// line, a target that is not an absolute path, an HTTP version other than
// 1.0/1.1, a bad header line, a bad percent escape, a NUL or control byte in
// the path or query, a path that is not valid UTF-8 once decoded, more than
// one Host header, or none in an HTTP/1.1 request.
Result<HttpRequest> ParseRequestHead(std::string_view head);

// Percent-decodes `s` ('+' as a space when `plus_is_space`); nullopt on a
// malformed escape.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // More headers (e.g. Allow, Content-Security-Policy).
  std::vector<std::pair<std::string, std::string>> headers;
};

// The JSON error answer {"error": message}.
HttpResponse JsonError(int status, std::string_view message);

// The response as bytes: status line, Content-Type, Content-Length,
// X-Content-Type-Options: nosniff, Cache-Control, Connection: close, the
// extra headers, then the body unless `head_only` (HEAD: same headers).
std::string SerializeResponse(const HttpResponse& r, bool head_only);

const char* ReasonPhrase(int status);

}  // namespace echotrace::web

#endif  // ECHOTRACE_WEB_HTTP_H_

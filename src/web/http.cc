#include "web/http.h"

#include <cctype>

#include "text/utf8.h"
#include "util/json.h"

namespace echotrace::web {

namespace {

bool IsTokenChar(char c) {
  // RFC 9110 tchar.
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool HasControl(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string_view> HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

size_t FindHeadEnd(std::string_view buf) {
  for (size_t i = 0; i < buf.size(); ++i) {
    if (buf[i] != '\n') continue;
    if (i + 1 < buf.size() && buf[i + 1] == '\n') return i + 2;
    if (i + 2 < buf.size() && buf[i + 1] == '\r' && buf[i + 2] == '\n') return i + 3;
  }
  return 0;
}

std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

Result<HttpRequest> ParseRequestHead(std::string_view head) {
  HttpRequest req;
  // Lines end in CRLF or LF; the head ends with an empty line.
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < head.size()) {
    size_t nl = head.find('\n', pos);
    if (nl == std::string_view::npos) nl = head.size();
    std::string_view line = head.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl + 1;
    if (line.empty()) break;
    lines.push_back(line);
  }
  if (lines.empty()) return Status::InvalidArgument("empty request");

  // Request line: METHOD SP TARGET SP HTTP/1.x, single spaces.
  std::string_view rl = lines[0];
  size_t sp1 = rl.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : rl.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos ||
      rl.find(' ', sp2 + 1) != std::string_view::npos) {
    return Status::InvalidArgument("malformed request line");
  }
  std::string_view method = rl.substr(0, sp1);
  std::string_view target = rl.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = rl.substr(sp2 + 1);
  if (method.empty()) return Status::InvalidArgument("missing method");
  for (char c : method) {
    if (!IsTokenChar(c)) return Status::InvalidArgument("malformed method");
  }
  if (version == "HTTP/1.1") {
    req.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    req.minor_version = 0;
  } else {
    return Status::InvalidArgument("unsupported HTTP version (HTTP/1.0 and 1.1 only)");
  }
  if (target.empty() || target[0] != '/') {
    return Status::InvalidArgument("the target must be an absolute path");
  }
  if (HasControl(target)) return Status::InvalidArgument("control characters in the target");
  req.method = std::string(method);
  req.target = std::string(target);

  std::string_view raw_path = target, raw_query;
  size_t hash = raw_path.find('#');
  if (hash != std::string_view::npos) raw_path = raw_path.substr(0, hash);
  size_t q = raw_path.find('?');
  if (q != std::string_view::npos) {
    raw_query = raw_path.substr(q + 1);
    raw_path = raw_path.substr(0, q);
  }
  auto path = PercentDecode(raw_path, false);
  if (!path) return Status::InvalidArgument("bad percent escape in the path");
  if (HasControl(*path) || !IsValidUtf8(*path)) {
    return Status::InvalidArgument("the path is not valid UTF-8 text");
  }
  req.path = std::move(*path);
  while (!raw_query.empty()) {
    size_t amp = raw_query.find('&');
    std::string_view part = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    auto key = PercentDecode(part.substr(0, eq), true);
    auto value = PercentDecode(
        eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), true);
    if (!key || !value) return Status::InvalidArgument("bad percent escape in the query");
    if (key->find('\0') != std::string::npos || value->find('\0') != std::string::npos) {
      return Status::InvalidArgument("NUL byte in the query");
    }
    req.query.emplace_back(std::move(*key), std::move(*value));
  }

  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line[0] == ' ' || line[0] == '\t') {
      return Status::InvalidArgument("folded header lines are not accepted");
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Status::InvalidArgument("malformed header line");
    }
    std::string name;
    for (char c : line.substr(0, colon)) {
      if (!IsTokenChar(c)) return Status::InvalidArgument("malformed header name");
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::string_view value = Trim(line.substr(colon + 1));
    for (char c : value) {
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
        return Status::InvalidArgument("control characters in a header value");
      }
    }
    req.headers.emplace_back(std::move(name), std::string(value));
  }
  // RFC 9112 section 3.2: a 1.1 request has exactly one Host header; two
  // could be read differently by a proxy and by us.
  size_t hosts = 0;
  for (const auto& h : req.headers) hosts += h.first == "host" ? 1 : 0;
  if (hosts > 1) return Status::InvalidArgument("more than one Host header");
  if (hosts == 0 && req.minor_version == 1) {
    return Status::InvalidArgument("an HTTP/1.1 request needs a Host header");
  }
  return req;
}

HttpResponse JsonError(int status, std::string_view message) {
  HttpResponse r;
  r.status = status;
  JsonWriter w;
  w.BeginObject().Key("error").String(message).EndObject();
  r.body = w.Take();
  r.body += '\n';
  return r;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

std::string SerializeResponse(const HttpResponse& r, bool head_only) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + ReasonPhrase(r.status) + "\r\n";
  out += "Content-Type: " + r.content_type + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += "X-Content-Type-Options: nosniff\r\n";
  out += "Cache-Control: no-store\r\n";
  out += "Referrer-Policy: no-referrer\r\n";
  out += "Connection: close\r\n";
  for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
  out += "\r\n";
  if (!head_only) out += r.body;
  return out;
}

}  // namespace echotrace::web

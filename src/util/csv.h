// One CSV field (RFC 4180), for everything that writes CSV rows (export,
// search, trace).
#ifndef ECHOTRACE_UTIL_CSV_H_
#define ECHOTRACE_UTIL_CSV_H_

#include <string>
#include <string_view>

namespace echotrace {

// Appends `s` to *out, quoted when it holds a comma, quote, CR or LF, with
// quotes doubled.
inline void AppendCsvField(std::string_view s, std::string* out) {
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

}  // namespace echotrace

#endif  // ECHOTRACE_UTIL_CSV_H_

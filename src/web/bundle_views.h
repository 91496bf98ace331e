// What the per-detector views of BundleSource (bundle_reuse.cc,
// bundle_neardup.cc, bundle_coord.cc) and its core (bundle.cc) share.
// Private to src/web.
#ifndef ECHOTRACE_WEB_BUNDLE_VIEWS_H_
#define ECHOTRACE_WEB_BUNDLE_VIEWS_H_

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "echotrace/status.h"
#include "text/time_parse.h"
#include "util/json.h"

namespace echotrace::web::bundle_internal {

inline constexpr size_t kExcerptBytes = 300;  // docs/api.md: excerpts cut at 300 bytes

// The answer for a detector that never ran.
inline Status NotAnalysed(const char* kind) {
  return Status::NotFound(std::string("not analysed: run echotrace analyze --db DB --only ") +
                          kind);
}

// A unix day as YYYY-MM-DD.
inline std::string DayString(int64_t days) {
  int64_t y;
  int m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(y), m, d);
  return buf;
}

// A text the store may hold as NULL ("absent"): null when absent.
inline void StringOrNull(const std::optional<std::string>& s, JsonWriter* w) {
  if (s) {
    w->String(*s);
  } else {
    w->Null();
  }
}

}  // namespace echotrace::web::bundle_internal

#endif  // ECHOTRACE_WEB_BUNDLE_VIEWS_H_

// libFuzzer target for ParseTime: arbitrary bytes must never crash it, and
// any time it accepts must survive FormatTimeIso -> ParseTime unchanged
// (and lie inside the documented 1900..2200 window).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/time_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::optional<int64_t> t = echotrace::ParseTime(input);
  if (!t) return 0;
  if (*t < -2208988800 || *t > 7289654399) {
    std::fprintf(stderr, "ParseTime returned %lld, outside 1900..2200\n",
                 static_cast<long long>(*t));
    std::abort();
  }
  const std::string iso = echotrace::FormatTimeIso(*t);
  const std::optional<int64_t> again = echotrace::ParseTime(iso);
  if (!again || *again != *t) {
    std::fprintf(stderr, "round trip failed: %lld -> %s\n", static_cast<long long>(*t),
                 iso.c_str());
    std::abort();
  }
  return 0;
}

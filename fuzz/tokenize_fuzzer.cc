// libFuzzer target for the text pipeline of ingest: SanitizeUtf8, then
// Tokenize and ExtractEntities on the result, and NormalizeUrl on it.
// Checks the invariants other components rely on: sanitised text is valid
// UTF-8; token and entity offsets are in range, non-empty, ordered without
// overlap and on code point boundaries; normalised forms are valid UTF-8.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/entities.h"
#include "text/normalize.h"
#include "text/tokenizer.h"
#include "text/utf8.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

bool OnBoundary(const std::string& s, size_t i) {
  return i == s.size() || (static_cast<uint8_t>(s[i]) & 0xC0) != 0x80;
}

void CheckSpan(const std::string& text, uint32_t start, uint32_t end, uint32_t* prev_end) {
  Check(start < end, "empty span");
  Check(end <= text.size(), "span past the end");
  Check(start >= *prev_end, "spans out of order or overlapping");
  Check(OnBoundary(text, start) && OnBoundary(text, end), "span not on a code point boundary");
  *prev_end = end;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  size_t replaced = 0;
  const std::string text = echotrace::SanitizeUtf8(raw, &replaced);
  Check(echotrace::IsValidUtf8(text), "SanitizeUtf8 output is not valid UTF-8");
  Check(echotrace::IsValidUtf8(raw) == (replaced == 0), "replacement count disagrees");

  uint32_t prev_end = 0;
  for (const echotrace::Token& t : echotrace::Tokenize(text)) {
    CheckSpan(text, t.start, t.end, &prev_end);
    Check(echotrace::IsValidUtf8(t.norm), "token norm is not valid UTF-8");
  }
  prev_end = 0;
  for (const echotrace::Entity& e : echotrace::ExtractEntities(text)) {
    CheckSpan(text, e.start, e.end, &prev_end);
    Check(!e.value.empty(), "empty entity value");
    Check(echotrace::IsValidUtf8(e.value), "entity value is not valid UTF-8");
  }
  Check(echotrace::IsValidUtf8(echotrace::NormalizeUrl(text)), "NormalizeUrl output invalid");
  Check(echotrace::IsValidUtf8(echotrace::NormalizeForMatching(text)), "normal form invalid");
  return 0;
}

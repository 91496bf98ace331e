// libFuzzer target for what the claim matcher does to untrusted post text:
// CleanPost (links and the trailing attribution parsed off), ParseLooseDay,
// and the analyzer (stemming per detected language, hashtag splitting).
// Arbitrary bytes must never crash them, and what they return must hold
// their contracts: the cleaned body and the terms are valid UTF-8 when the
// input is, a handle carries no '@', and a parsed day lies in 1900..2200.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "claims/post.h"
#include "similarity/analyzer.h"
#include "text/utf8.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "contract broken: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const bool valid = echotrace::IsValidUtf8(input);
  const echotrace::claims::CleanedPost post = echotrace::claims::CleanPost(input);
  Check(post.handle.find('@') == std::string::npos, "handle without '@'");
  if (valid) {
    Check(echotrace::IsValidUtf8(post.body), "body is UTF-8");
    Check(echotrace::IsValidUtf8(post.author_name), "author is UTF-8");
  }
  // Days of 1900-01-01 .. 2200-12-31.
  if (post.day) Check(*post.day >= -25567 && *post.day <= 84371, "day in 1900..2200");
  if (auto d = echotrace::claims::ParseLooseDay(input)) {
    Check(*d >= -25567 && *d <= 84371, "loose day in 1900..2200");
  }
  if (valid) {
    static const echotrace::sim::Analyzer analyzer;
    for (const std::string& t : analyzer.Terms(post.body)) {
      Check(!t.empty(), "no empty term");
      Check(echotrace::IsValidUtf8(t), "term is UTF-8");
    }
  }
  return 0;
}

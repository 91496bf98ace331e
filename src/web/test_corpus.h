// Test-only: a small corpus with every kind of result planted (reuse in
// three outlets, near-duplicates, a coordinated pair) and hostile text in
// posts and account names, shared by the bundle and server tests.
#ifndef ECHOTRACE_WEB_TEST_CORPUS_H_
#define ECHOTRACE_WEB_TEST_CORPUS_H_

#include <cstdint>
#include <string>

#include "util/json.h"
#include "util/str_cat.h"

namespace echotrace::test {

inline std::string Line(const std::string& id, const std::string& source, const std::string& author,
                        int64_t time, const std::string& text) {
  std::string s = "{\"id\":";
  AppendJsonString(id, &s);
  s += ",\"source\":";
  AppendJsonString(source, &s);
  s += ",\"author\":";
  AppendJsonString(author, &s);
  s += ",\"time\":";
  s += std::to_string(time);
  s += ",\"text\":";
  AppendJsonString(text, &s);
  return s + "}\n";
}

inline constexpr char kPassage[] =
    "the harbour authority quietly approved the dredging contract after a closed meeting on "
    "tuesday evening, leaving fishermen without any say over the future of the northern quay";
inline constexpr char kHostile[] =
    "</script><script>alert(1)</script> <img src=x onerror=alert(1)> line\xE2\x80\xA8sep & more";

inline std::string Corpus() {
  const int64_t t = 1451606400;  // 2016-01-01, whole minutes
  std::string s;
  // Reuse: the passage in three outlets, once edited.
  s +=
      Line("r1", "ledger", "desk", t, std::string("Morning report. ") + kPassage + ". More later.");
  std::string edited = kPassage;
  edited.replace(edited.find("quietly"), 7, "secretly");
  s += Line("r2", "herald", "news", t + 3600, "As reported: " + edited + " Shocking.");
  s += Line("r3", "blog", "anon", t + 7200, std::string(kPassage) + " What do you think?");
  // Near-duplicates: one word differs.
  const std::string nd =
      "city council votes to close the old library on main street next spring despite protests";
  s += Line("n1", "forum", "u1", t + 100, nd + " from readers");
  s += Line("n2", "forum", "u2", t + 200, nd + " from parents");
  s += Line("n3", "forum", "u3", t + 300, nd + " from readers");
  // Coordination: two accounts co-post twice, 60 s apart; the hostile text
  // is one of their posts, with a hostile account name.
  for (int k = 0; k < 2; ++k) {
    const std::string text = k == 0 ? std::string(kHostile) : "vote early, vote often";
    s += Line(StrCat("c", 2 * k), "x", "<b>evil</b>", t + 86400 * (k + 1), text);
    s += Line(StrCat("c", 2 * k + 1), "x", "bob", t + 86400 * (k + 1) + 60, text);
  }
  // A long document (kept whole live, cut in the report), multi-byte text.
  std::string big;
  while (big.size() < 30000) big += "Ωμέγα ";
  s += Line("big", "archive", "librarian", t + 500, big);
  return s;
}

}  // namespace echotrace::test

#endif  // ECHOTRACE_WEB_TEST_CORPUS_H_

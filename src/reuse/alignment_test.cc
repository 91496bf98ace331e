// The one alignment of an occurrence to its origin and its two renderings.
#include "reuse/alignment.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace echotrace::reuse {
namespace {

// The occurrence's text back from the wdiff form: drop "[-...-]", unwrap
// "{+...+}".
std::string Unmark(const std::string& m) {
  std::string out;
  for (size_t i = 0; i < m.size();) {
    if (m.compare(i, 2, "[-") == 0) {
      i = m.find("-]", i + 2) + 2;
    } else if (m.compare(i, 2, "{+") == 0 || m.compare(i, 2, "+}") == 0) {
      i += 2;
    } else {
      out += m[i++];
    }
  }
  return out;
}

TEST(MarkAgainstOrigin, MarksWhatTheCopyChanged) {
  const std::string origin = "the quick brown fox jumps over the lazy dog near the river bank";
  const std::string occ = "Look: the quick red fox jumps over the lazy dog near the river bank!";
  double identity = 0;
  const std::string marked = MarkAgainstOrigin(origin, Tokenize(origin), occ, &identity);
  EXPECT_EQ(marked,
            "Look: the quick [-brown -]{+red +}fox jumps over the lazy dog near the river bank!");
  EXPECT_GT(identity, 0.8);
  EXPECT_LT(identity, 1.0);
}

TEST(MarkAgainstOrigin, NothingSharedIsAllInserted) {
  double identity = -1;
  const std::string origin = "alpha beta gamma delta";
  EXPECT_EQ(MarkAgainstOrigin(origin, Tokenize(origin), "one two three four", &identity),
            "{+one two three four+}");
  EXPECT_EQ(identity, -1);  // untouched without an alignment
  EXPECT_EQ(MarkAgainstOrigin(origin, Tokenize(origin), "", &identity), "");
}

// Both renderings of one alignment agree with the texts on random edits:
// the wdiff form unmarks to the occurrence, the segments tile both texts,
// and they report the same identity.
TEST(Alignment, RenderingsAgreeOnRandomEdits) {
  const std::vector<std::string> words = {"grain", "convoy", "border", "ministry", "stopped",
                                          "the",   "at",     "was",    "said",     "today"};
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::string origin, occ;
    const int n = 5 + static_cast<int>(rng() % 25);
    for (int i = 0; i < n; ++i) {
      const std::string w = words[rng() % words.size()];
      origin += (i ? " " : "") + w;
      const int edit = static_cast<int>(rng() % 10);
      if (edit == 0) continue;  // deleted
      // changed or kept
      occ += (occ.empty() ? "" : " ") + (edit == 1 ? std::string("new") : w);
      if (edit == 2) occ += " extra";  // inserted
    }
    double id_marked = 0, id_tiled = 0;
    const std::string marked = MarkAgainstOrigin(origin, Tokenize(origin), occ, &id_marked);
    EXPECT_EQ(Unmark(marked), occ) << origin << " | " << occ << " | " << marked;
    const std::vector<AlignedSegment> segs = AlignToOrigin(origin, occ, &id_tiled);
    std::string a, b;
    for (const AlignedSegment& s : segs) {
      if (s.op != '+') a += s.text;
      if (s.op != '-') b += s.text;
    }
    EXPECT_EQ(a, origin);
    EXPECT_EQ(b, occ);
    if (origin != occ) {
      EXPECT_EQ(id_marked, id_tiled) << origin << " | " << occ;
    }
  }
}

}  // namespace
}  // namespace echotrace::reuse

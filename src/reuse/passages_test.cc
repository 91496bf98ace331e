// Golden cases on real-looking (fictional) text, merging, and the diff.
#include "reuse/passages.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "reuse/diff.h"
#include "text/tokenizer.h"
#include "text/utf8.h"

namespace echotrace::reuse {
namespace {

using Ids = std::vector<TokenId>;

struct Found {
  std::vector<PassagePair> passages;
  std::string a, b;
};

Found FindIn(std::string a, std::string b, const PassageParams& p = {}) {
  Result<std::vector<PassagePair>> r = FindPassages(Tokenize(a), Tokenize(b), p);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return {r.ok() ? *r : std::vector<PassagePair>{}, std::move(a), std::move(b)};
}

std::string SliceA(const Found& f, size_t k) {
  const PassagePair& p = f.passages[k];
  return f.a.substr(p.a_start, p.a_end - p.a_start);
}
std::string SliceB(const Found& f, size_t k) {
  const PassagePair& p = f.passages[k];
  return f.b.substr(p.b_start, p.b_end - p.b_start);
}

// A long local-news article from a small grammar of fictional people and
// places (seeded, so the same every run).
std::string Article(uint64_t seed, size_t words) {
  static const char* kSubjects[] = {"The harbour authority",
                                    "Residents of Lower Wickham",
                                    "The regional transport board",
                                    "A spokesperson for the Northgate Ledger",
                                    "Local fishermen",
                                    "The finance committee",
                                    "Several shop owners on Quay Street",
                                    "The mayor's office",
                                    "Opposition councillors",
                                    "An independent auditor"};
  static const char* kVerbs[] = {"said",  "argued",  "warned",   "confirmed",
                                 "noted", "claimed", "insisted", "suggested"};
  static const char* kClauses[] = {"that the levy would be reviewed before the spring session",
                                   "that ferry timetables had been cut twice this year",
                                   "that repairs to the north pier were running behind schedule",
                                   "that the budget gap had grown to 4.2 million",
                                   "that visitor numbers fell sharply in the autumn",
                                   "that the consultation period had been far too short",
                                   "that a new tender would be published next month",
                                   "that the dredging contract was still under negotiation",
                                   "that parking charges near the marina would rise",
                                   "that the decision had been delayed by legal advice"};
  static const char* kTails[] = {"",
                                 " on Monday",
                                 " in a statement",
                                 " at a packed meeting in the town hall",
                                 " according to minutes seen by this newspaper",
                                 " during a radio interview",
                                 " last week"};
  std::mt19937_64 rng(seed);
  std::string out;
  size_t n = 0;
  while (n < words) {
    const std::string s = std::string(kSubjects[rng() % 10]) + " " + kVerbs[rng() % 8] + " " +
                          kClauses[rng() % 10] + kTails[rng() % 7] + ". ";
    out += s;
    n += Tokenize(s).size();
    if (rng() % 6 == 0) out += "\n\n";
  }
  return out;
}

const char kQuote[] =
    "We were promised a working harbour by the end of the decade, and instead we have a car "
    "park with a view of the sea. If the levy goes up again without a single crane being "
    "repaired, I will personally return every letter this council has sent me.";

// [start, end) of the first to the last token of `needle` inside `hay`.
std::pair<uint32_t, uint32_t> TokenBytes(const std::string& hay, const std::string& needle) {
  const size_t at = hay.find(needle);
  EXPECT_NE(at, std::string::npos);
  const std::vector<Token> t = Tokenize(needle);
  return {static_cast<uint32_t>(at + t.front().start), static_cast<uint32_t>(at + t.back().end)};
}

TEST(FindPassagesTest, TwoSentenceQuoteInsideLongArticle) {
  std::string article = Article(1, 1000);
  article += "Speaking after the vote, one harbour pilot put it bluntly. \"";
  article += kQuote;
  article += "\" The chamber fell silent. " + Article(2, 1000);
  ASSERT_GE(Tokenize(article).size(), 2000u);
  const std::string post = "Heard at the Wickham meeting tonight: " + std::string(kQuote) +
                           " Make of that what you will. #harbourlevy \xF0\x9F\x99\x84";
  const Found f = FindIn(article, post);
  ASSERT_EQ(f.passages.size(), 1u);
  const PassagePair& p = f.passages[0];
  EXPECT_EQ(std::pair(p.a_start, p.a_end), TokenBytes(article, kQuote));
  EXPECT_EQ(std::pair(p.b_start, p.b_end), TokenBytes(post, kQuote));
  EXPECT_EQ(SliceA(f, 0), SliceB(f, 0));
  EXPECT_DOUBLE_EQ(p.identity, 1.0);
  const double quote_tokens = static_cast<double>(Tokenize(kQuote).size());
  EXPECT_DOUBLE_EQ(p.containment, quote_tokens / static_cast<double>(Tokenize(post).size()));
  EXPECT_GT(p.containment, 0.7);
}

const char kBody[] =
    "The harbour levy vote was postponed for a third time on Thursday after councillors "
    "failed to agree on how the money would be spent. Councillor Ebba Marrow told the "
    "chamber that the north pier had been closed to heavy vehicles since March. Fishermen "
    "in Lower Wickham said the closure had added an hour to every landing. The finance "
    "committee warned that the budget gap would widen if the levy stayed frozen. A revised "
    "proposal is expected before the summer recess, officials said. Residents who spoke to "
    "the Ledger were divided: some backed the rise, others said the council had not earned "
    "their trust.";

TEST(FindPassagesTest, SyndicatedCopyAlignsBodyNotFooter) {
  const std::string body = kBody;
  const std::string copy = "Harbour levy vote delayed again\n\n" + body +
                           "\n\nThe post Harbour levy vote delayed again appeared first on "
                           "Northgate Ledger.";
  const Found f = FindIn(body, copy);
  ASSERT_EQ(f.passages.size(), 1u);
  const PassagePair& p = f.passages[0];
  EXPECT_EQ(std::pair(p.a_start, p.a_end), TokenBytes(body, body));
  EXPECT_EQ(std::pair(p.b_start, p.b_end), TokenBytes(copy, body));
  EXPECT_DOUBLE_EQ(p.containment, 1.0);
  EXPECT_DOUBLE_EQ(p.identity, 1.0);
}

std::string ReplaceOnce(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(FindPassagesTest, LightlyEditedCopyIsOnePassageAndDiffShowsEdits) {
  std::string edited = kBody;
  edited = ReplaceOnce(edited, "postponed", "delayed");                      // substitution
  edited = ReplaceOnce(edited, "told the chamber", "informed the chamber");  // substitution
  edited = ReplaceOnce(edited, "would widen", "could widen");                // substitution
  edited = ReplaceOnce(edited, "Fishermen in", "Local fishermen in");        // insertion
  edited = ReplaceOnce(edited, "heavy vehicles", "vehicles heavy");          // swapped pair
  const Found f = FindIn(kBody, edited);
  ASSERT_EQ(f.passages.size(), 1u);
  const PassagePair& p = f.passages[0];
  EXPECT_EQ(std::pair(p.a_start, p.a_end), TokenBytes(f.a, f.a));
  EXPECT_EQ(std::pair(p.b_start, p.b_end), TokenBytes(f.b, f.b));
  EXPECT_GT(p.identity, 0.9);

  Result<std::vector<DiffSegment>> diff = DiffPassage(f.a, Tokenize(f.a), f.b, Tokenize(f.b), p);
  ASSERT_TRUE(diff.ok()) << diff.status().ToString();
  std::string cat_a, cat_b;
  int edits = 0, inserted = 0;
  for (const DiffSegment& s : *diff) {
    cat_a += s.a_text, cat_b += s.b_text;
    edits += s.kind != DiffKind::kEqual;
    inserted += s.kind == DiffKind::kInserted && s.b_text == "Local ";
    if (s.kind == DiffKind::kChanged && s.a_text.starts_with("postponed")) {
      EXPECT_EQ(s.b_text, "delayed ");
    }
  }
  EXPECT_EQ(cat_a, SliceA(f, 0));  // segments tile the passage exactly
  EXPECT_EQ(cat_b, SliceB(f, 0));
  // Three substitutions, the insertion, and the swapped pair as one changed
  // segment (two substitutions) or a deletion and an insertion (same score).
  EXPECT_GE(edits, 5);
  EXPECT_LE(edits, 6);
  EXPECT_EQ(inserted, 1);
}

TEST(FindPassagesTest, CommonFiveGramInUnrelatedTextsIsNoPassage) {
  const std::string a =
      "Wind farms off the northern coast produced a record share of power this winter, and "
      "engineers say similar turbines are now being tested in the United States of America "
      "by two small manufacturers.";
  const std::string b =
      "The touring choir from Lower Wickham will spend six weeks in the United States of "
      "America next spring, singing in church halls from Maine to Oregon.";
  AnchorParams ap;
  EXPECT_FALSE(FindAnchors(TokenIds(Tokenize(a)), TokenIds(Tokenize(b)), ap)->empty());
  EXPECT_TRUE(FindIn(a, b).passages.empty());
  PassageParams loose;
  loose.min_tokens = 5;  // the anchor itself is found when short passages are allowed
  const Found f = FindIn(a, b, loose);
  ASSERT_EQ(f.passages.size(), 1u);
  EXPECT_EQ(SliceA(f, 0), "in the United States of America");
}

TEST(FindPassagesTest, CyrillicWithAnEditGivesByteOffsetsOnCodePoints) {
  const std::string quote =
      "Жители Нижнего Уикема требуют вернуть вечерний паром, который отменили без всякого "
      "обсуждения, и обещают прийти на следующее заседание городского совета.";
  const std::string a = "Вчера в порту прошло собрание. " + quote + " Мэрия пока молчит.";
  std::string edited = ReplaceOnce(quote, "вечерний", "ночной");
  const std::string b = "Коротко о главном: " + edited + " Подробности позже.";
  const Found f = FindIn(a, b);
  ASSERT_EQ(f.passages.size(), 1u);
  EXPECT_EQ(SliceA(f, 0), quote.substr(0, quote.size() - 1));  // without the final '.'
  EXPECT_EQ(SliceB(f, 0), edited.substr(0, edited.size() - 1));
  EXPECT_TRUE(IsValidUtf8(SliceA(f, 0)));
  EXPECT_LT(f.passages[0].identity, 1.0);
}

TEST(FindPassagesTest, EmojiAndCjkAreSafe) {
  // Emoji inside the reused text are tokens; CJK text reuses by ideograph.
  const std::string shared =
      "港の会議で市長は新しい税金について何も説明しなかった 😡 Residents of Lower Wickham "
      "said the ferry 🚢 timetable was cut again";
  const std::string a = "👩‍💻 速報 " + shared + " 🇬🇧🔥 more later";
  const std::string b = "転載: " + shared + "!!! 👍🏽";
  const Found f = FindIn(a, b);
  ASSERT_EQ(f.passages.size(), 1u);
  EXPECT_EQ(SliceA(f, 0), shared);
  EXPECT_EQ(SliceB(f, 0), shared);
  EXPECT_TRUE(IsValidUtf8(SliceB(f, 0)));
}

// ---- Token-level behaviour: merging, repeats, one extension per passage --

Ids Unique(std::mt19937_64& rng, size_t n) {
  Ids out(n);
  for (TokenId& t : out) t = rng();
  return out;
}

Ids Cat(std::initializer_list<Ids> parts) {
  Ids out;
  for (const Ids& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(FindPassagesTest, ReplacedSentenceMergesWithinGapAndSplitsBeyond) {
  std::mt19937_64 rng(1);
  const Ids p1 = Unique(rng, 40), p2 = Unique(rng, 40);
  // 12 differing tokens on both sides: -36, beyond the X-drop, so two
  // alignments, joined by the merge (12 <= max_merge_gap).
  Result<std::vector<PassagePair>> r =
      FindPassages(Cat({p1, Unique(rng, 12), p2}), Cat({p1, Unique(rng, 12), p2}));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].alignment.a_end - (*r)[0].alignment.a_begin, 92u);
  EXPECT_EQ((*r)[0].matches, 80u);
  // 30 differing tokens: two passages.
  r = FindPassages(Cat({p1, Unique(rng, 30), p2}), Cat({p1, Unique(rng, 30), p2}));
  ASSERT_EQ(r->size(), 2u);
  // A 25-token insertion in B only (drift beyond the band): two passages;
  // with a larger merge gap, one.
  const Ids a = Cat({p1, p2}), b = Cat({p1, Unique(rng, 25), p2});
  EXPECT_EQ(FindPassages(a, b)->size(), 2u);
  PassageParams wide;
  wide.max_merge_gap = 30;
  r = FindPassages(a, b, wide);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].alignment.b_end, 105u);
  EXPECT_EQ(*ScoreOps(a, b, 0, 0, (*r)[0].alignment.ops, {}), (*r)[0].alignment.score);
}

TEST(FindPassagesTest, RepeatedPassageReportedPerRepetitionAndOnceEach) {
  std::mt19937_64 rng(2);
  const Ids p = Unique(rng, 30);
  const Ids a = Cat({Unique(rng, 50), p, Unique(rng, 50)});
  const Ids b = Cat({p, Unique(rng, 20), p});
  Result<std::vector<PassagePair>> r = FindPassages(a, b);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].alignment.b_begin, 0u);
  EXPECT_EQ((*r)[1].alignment.b_begin, 50u);
  // Identical 2,000-token documents: one passage, one extension.
  const Ids doc = Unique(rng, 2000);
  r = FindPassages(doc, doc);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_DOUBLE_EQ((*r)[0].containment, 1.0);
  EXPECT_LT((*r)[0].alignment.cells, 2u * 2000 * 40);
}

TEST(FindPassagesTest, FilterCanSuppressAllAnchors) {
  std::mt19937_64 rng(3);
  const Ids p = Unique(rng, 30);
  Result<std::vector<PassagePair>> r = FindPassages(p, p, {}, [](uint64_t) { return false; });
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  PassageParams bad;
  bad.min_tokens = 0;
  EXPECT_FALSE(FindPassages(p, p, bad).ok());
}

TEST(DiffPassageTest, RejectsPassageFromAnotherText) {
  const Found f = FindIn(kBody, kBody);
  ASSERT_EQ(f.passages.size(), 1u);
  const std::string shorter = "The harbour levy vote was postponed.";
  EXPECT_FALSE(DiffPassage(shorter, Tokenize(shorter), f.b, Tokenize(f.b), f.passages[0]).ok());
}

}  // namespace
}  // namespace echotrace::reuse

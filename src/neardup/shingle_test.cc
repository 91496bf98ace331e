#include "neardup/shingle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace echotrace::neardup {
namespace {

std::vector<uint64_t> Tokens(const std::string& text, bool keep_urls = false) {
  std::vector<uint64_t> out;
  EligibleTokenHashes(text, keep_urls, &out);
  return out;
}

DocShingles Shingles(const std::string& text, const ShingleOptions& options = {}) {
  DocShingles d;
  ComputeShingles(text, options, &d);
  return d;
}

TEST(ShingleTest, TokensAreMatchingForms) {
  EXPECT_EQ(Tokens("Hello, WORLD!"), Tokens("hello world"));
  EXPECT_EQ(Tokens("ПРИВЕТ мир"), Tokens("привет   МИР"));
  EXPECT_EQ(Tokens("hello world"), (std::vector<uint64_t>{TokenHash("hello"), TokenHash("world")}));
}

TEST(ShingleTest, UrlsAreDroppedUnlessTheyAreAllThereIs) {
  EXPECT_EQ(Tokens("You won't see this on CNN https://t.co/N8ZqZso4sC"),
            Tokens("You won't see this on CNN https://t.co/abcdef"));
  EXPECT_EQ(Tokens("https://t.co/abc").size(), 1u);
  EXPECT_NE(Tokens("https://t.co/abc"), Tokens("https://t.co/xyz"));
  EXPECT_EQ(Tokens("see https://example.com/a", /*keep_urls=*/true).size(), 2u);
}

TEST(ShingleTest, MentionsAndHashtagsAreKept) {
  EXPECT_EQ(
      Tokens("@TEN_GOP thanks #MAGA"),
      (std::vector<uint64_t>{TokenHash("@ten_gop"), TokenHash("thanks"), TokenHash("#maga")}));
}

TEST(ShingleTest, ShortDocumentsUseTokenSets) {
  const DocShingles s = Shingles("one two three four five six");
  EXPECT_EQ(s.num_tokens, 6u);
  EXPECT_EQ(s.tokens.size(), 6u);
  EXPECT_TRUE(s.shingles.empty());
  const DocShingles l = Shingles("a b c d e f g h i j k l");  // 12 tokens
  EXPECT_EQ(l.shingles.size(), 10u);
  EXPECT_EQ(l.tokens.size(), 12u);
}

TEST(ShingleTest, SetsAreSortedUnique) {
  const DocShingles d = Shingles("la la la la la la la la la la la la la");
  EXPECT_EQ(d.num_tokens, 13u);
  EXPECT_EQ(d.tokens.size(), 1u);
  EXPECT_EQ(d.shingles.size(), 1u);
  const DocShingles e = Shingles("z y x w v u t s r q p o n m");
  EXPECT_TRUE(std::is_sorted(e.shingles.begin(), e.shingles.end()));
  EXPECT_TRUE(std::is_sorted(e.tokens.begin(), e.tokens.end()));
}

// The hashes are persisted (stored signatures are MinHashes of them): these
// values must never change without bumping kShingleFormatVersion.
TEST(ShingleTest, PersistedHashesAreFrozen) {
  EXPECT_EQ(TokenHash("hello"), 0x9555e8555c62dcfdULL);
  const uint64_t three[] = {1, 2, 3};
  EXPECT_EQ(ShingleHash(three), 0xd61def28d8151b98ULL);
}

TEST(ShingleTest, Jaccard) {
  const std::vector<uint64_t> a = {1, 2, 3, 4}, b = {3, 4, 5}, empty;
  EXPECT_DOUBLE_EQ(Jaccard(a, b), 2.0 / 5.0);
  EXPECT_DOUBLE_EQ(Jaccard(a, a), 1.0);
  EXPECT_DOUBLE_EQ(Jaccard(a, empty), 0.0);
  EXPECT_DOUBLE_EQ(Jaccard(empty, empty), 0.0);
  EXPECT_EQ(IntersectionSize(a, b), 2u);
}

TEST(ShingleTest, ValidOptions) {
  EXPECT_TRUE(ValidShingleOptions({}));
  EXPECT_FALSE(ValidShingleOptions({.k = 0}));
  EXPECT_FALSE(ValidShingleOptions({.k = 17, .min_tokens_for_shingles = 20}));
  EXPECT_FALSE(ValidShingleOptions({.k = 5, .min_tokens_for_shingles = 4}));
}

}  // namespace
}  // namespace echotrace::neardup

// BuildFtsQuery: user text must come out as quoted terms only.
#include "store/fts_query.h"

#include <gtest/gtest.h>

namespace echotrace::store_internal {
namespace {

TEST(BuildFtsQuery, QuotesEachTermAndJoinsWithOr) {
  EXPECT_EQ(BuildFtsQuery("Russia  election, fake-news!"),
            R"("Russia" OR "election" OR "fake" OR "news")");
}

TEST(BuildFtsQuery, OperatorsBecomeWordsOrVanish) {
  EXPECT_EQ(BuildFtsQuery(R"(NEAR(" OR * ^ -x AND)"), R"("NEAR" OR "OR" OR "x" OR "AND")");
  EXPECT_EQ(BuildFtsQuery("col:value"), R"("col" OR "value")");
}

TEST(BuildFtsQuery, NoTermsGivesEmpty) {
  EXPECT_EQ(BuildFtsQuery(""), "");
  EXPECT_EQ(BuildFtsQuery(" \"*^-:()!?. "), "");
}

TEST(BuildFtsQuery, NonAsciiBytesAreWordBytes) {
  EXPECT_EQ(BuildFtsQuery("Москва—столица"), "\"Москва—столица\"");
  EXPECT_EQ(BuildFtsQuery("café au lait"), R"("café" OR "au" OR "lait")");
}

TEST(BuildFtsQuery, DropsRepeatsIgnoringAsciiCase) {
  EXPECT_EQ(BuildFtsQuery("Trump trump TRUMP wall"), R"("Trump" OR "wall")");
}

TEST(BuildFtsQuery, KeepsAtMostMaxTerms) {
  EXPECT_EQ(BuildFtsQuery("a b c d", 2), R"("a" OR "b")");
}

}  // namespace
}  // namespace echotrace::store_internal

// BuildFtsQuery: user text must come out as quoted terms only.
#include "store/fts_query.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <random>
#include <string>
#include <vector>

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

// ------------------------------------------------------ search operators

namespace echotrace::store_internal {
namespace {

TEST(ParseSearchQuery, PlainWordsAreOptionalAsBefore) {
  auto q = ParseSearchQuery("NATO expansion, nato");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(RenderFtsQuery(*q), R"(("NATO" OR "expansion"))");
  EXPECT_EQ(q->positive_text, "NATO expansion nato");
}

TEST(ParseSearchQuery, ExclusionPhraseOrAndPrefix) {
  auto q = ParseSearchQuery(R"(NATO -Trump)");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(RenderFtsQuery(*q), R"((("NATO")) NOT ("Trump"))");
  EXPECT_EQ(q->positive_text, "NATO");
  q = ParseSearchQuery(R"("nato expansion" war -"donald trump" russ*)");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(
      RenderFtsQuery(*q),
      R"((("nato expansion") AND ("nato expansion" OR "war" OR "russ" *)) NOT ("donald trump"))");
  q = ParseSearchQuery(R"("grain embargo" OR "grain ban" OR sanctions)");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(RenderFtsQuery(*q), R"(("grain embargo" OR "grain ban" OR "sanctions"))");
  ASSERT_EQ(q->required.size(), 1u);
}

TEST(ParseSearchQuery, OtherSyntaxStaysText) {
  auto q = ParseSearchQuery(R"(NEAR(a b) AND text:x ^y or NOT)");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(RenderFtsQuery(*q),
            R"(("NEAR" OR "a" OR "b" OR "AND" OR "text" OR "x" OR "y" OR "or" OR "NOT"))");
  // An unclosed quote runs to the end; a quote inside a word splits it.
  q = ParseSearchQuery(R"(say "no more)");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(RenderFtsQuery(*q), R"(("no more") AND ("no more" OR "say"))");
}

TEST(ParseSearchQuery, RefusesQueriesWithNothingToFind) {
  EXPECT_FALSE(ParseSearchQuery("").ok());
  EXPECT_FALSE(ParseSearchQuery(" \"\" * OR - ").ok());
  auto q = ParseSearchQuery("-Trump -\"fake news\"");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("only excludes"), std::string::npos);
  q = ParseSearchQuery("na*");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("prefix"), std::string::npos);
}

// The operators' meaning, checked against FTS5 itself: random queries over
// a small vocabulary, on random documents, give exactly the documents a
// plain evaluation of the documented rules selects.
struct RefItem {
  int kind = 0;  // 0 word, 1 phrase, 2 OR
  bool excluded = false;
  bool prefix = false;
  std::vector<std::string> words;
};

bool Contains(const std::vector<std::string>& doc, const RefItem& it) {
  for (size_t i = 0; i + it.words.size() <= doc.size(); ++i) {
    bool all = true;
    for (size_t w = 0; w < it.words.size() && all; ++w) {
      const bool last = w + 1 == it.words.size();
      all = it.prefix && last ? doc[i + w].rfind(it.words[w], 0) == 0 : doc[i + w] == it.words[w];
    }
    if (all) return true;
  }
  return false;
}

bool RefMatches(const std::vector<RefItem>& items, const std::vector<std::string>& doc) {
  std::vector<std::vector<const RefItem*>> groups;
  bool joining = false;
  for (const RefItem& it : items) {
    if (it.kind == 2) {
      joining = !groups.empty();
      continue;
    }
    if (it.excluded) {
      if (Contains(doc, it)) return false;
      joining = false;
      continue;
    }
    if (joining) {
      groups.back().push_back(&it);
    } else {
      groups.push_back({&it});
    }
    joining = false;
  }
  bool any_required = false, all_required = true, any_optional = false;
  for (const auto& g : groups) {
    bool phrase = false, hit = false;
    for (const RefItem* it : g) {
      phrase = phrase || it->kind == 1;
      hit = hit || Contains(doc, *it);
    }
    if (phrase) {
      any_required = true;
      all_required = all_required && hit;
    } else {
      any_optional = any_optional || hit;
    }
  }
  return any_required ? all_required : any_optional;
}

TEST(ParseSearchQuery, MatchesWhatTheRulesSayOnRandomQueries) {
  const char* vocab[] = {"alpha", "beta", "gamma", "delta", "alphabet"};
  std::mt19937 rng(7);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(text)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  std::vector<std::vector<std::string>> docs;
  for (int d = 0; d < 60; ++d) {
    std::vector<std::string> words;
    std::string text;
    for (int w = 0, n = 1 + static_cast<int>(rng() % 6); w < n; ++w) {
      words.push_back(vocab[rng() % 5]);
      text += (w ? " " : "") + words.back();
    }
    docs.push_back(words);
    std::string sql =
        "INSERT INTO t(rowid, text) VALUES (" + std::to_string(d + 1) + ", '" + text + "')";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  }
  int checked = 0;
  for (int round = 0; round < 400; ++round) {
    std::vector<RefItem> items;
    std::string text;
    for (int i = 0, n = 1 + static_cast<int>(rng() % 4); i < n; ++i) {
      RefItem it;
      int r = static_cast<int>(rng() % 10);
      it.kind = r < 5 ? 0 : r < 8 ? 1 : 2;
      if (it.kind != 2) {
        it.excluded = rng() % 4 == 0;
        for (int w = 0, m = it.kind == 1 ? 2 : 1; w < m; ++w) it.words.push_back(vocab[rng() % 5]);
        it.prefix = rng() % 5 == 0;
        if (it.prefix) it.words.back() = it.words.back().substr(0, 3 + rng() % 2);
      }
      std::string piece = it.kind == 2 ? "OR" : it.words[0];
      if (it.kind == 1) piece = "\"" + it.words[0] + " " + it.words[1] + "\"";
      if (it.prefix) piece += "*";
      if (it.excluded) piece = "-" + piece;
      text += (i ? " " : "") + piece;
      items.push_back(std::move(it));
    }
    auto q = ParseSearchQuery(text);
    if (!q.ok()) continue;
    std::string match = RenderFtsQuery(*q);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid", -1, &st,
                                 nullptr),
              SQLITE_OK);
    sqlite3_bind_text(st, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<int> got;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) got.push_back(sqlite3_column_int(st, 0));
    EXPECT_EQ(rc, SQLITE_DONE) << text << " -> " << match << ": " << sqlite3_errmsg(db);
    sqlite3_finalize(st);
    std::vector<int> want;
    for (size_t d = 0; d < docs.size(); ++d) {
      if (RefMatches(items, docs[d])) want.push_back(static_cast<int>(d + 1));
    }
    EXPECT_EQ(got, want) << text << " -> " << match;
    ++checked;
  }
  EXPECT_GT(checked, 200);
  sqlite3_close(db);
}

}  // namespace
}  // namespace echotrace::store_internal

#include "pipeline/field_map.h"

#include <gtest/gtest.h>

namespace echotrace {
namespace {

RawRecord Rec(std::vector<std::pair<std::string, std::string>> fields) {
  RawRecord r;
  r.fields = std::move(fields);
  r.file = "in.csv";
  r.line = 2;
  return r;
}

TEST(FieldMapTest, IraColumnsMapWithoutFlags) {
  auto m = FieldMapper::Create({});
  ASSERT_TRUE(m.ok());
  MapPlan plan;
  RawRecord r = Rec({{"author_id", "10_gop"},
                     {"content", "We're baaaaack."},
                     {"region", "Unknown"},
                     {"language", "English"},
                     {"publish_date", "2017-09-07 19:52:00"},
                     {"harvested_date", "2017-09-07 19:52:00"},
                     {"post_type", ""},
                     {"retweet", "0"}});
  MappedRecord out = m->Map(r, &plan);
  EXPECT_EQ(out.get(Field::kText), "We're baaaaack.");
  EXPECT_EQ(out.get(Field::kAuthor), "10_gop");
  EXPECT_EQ(out.get(Field::kTime), "2017-09-07 19:52:00");
  EXPECT_EQ(out.get(Field::kLang), "English");
  EXPECT_EQ(out.get(Field::kId), "");
  // Unmapped, non-blank fields are kept; blank ones (post_type) are not.
  EXPECT_EQ(out.extra_json,
            "{\"region\":\"Unknown\",\"harvested_date\":\"2017-09-07 19:52:00\","
            "\"retweet\":\"0\"}");
}

TEST(FieldMapTest, NamesAreCaseInsensitiveAndFirstNonBlankWins) {
  auto m = FieldMapper::Create({});
  ASSERT_TRUE(m.ok());
  MapPlan plan;
  MappedRecord out = m->Map(Rec({{"Text", "  "}, {"Body", "the body"}, {"USER", "ann"}}), &plan);
  EXPECT_EQ(out.get(Field::kText), "the body");
  EXPECT_EQ(out.get(Field::kAuthor), "ann");
}

TEST(FieldMapTest, ExplicitMapJoinsColumnsAndWins) {
  auto m = FieldMapper::Create({"text=headline+summary", "author=byline"});
  ASSERT_TRUE(m.ok());
  MapPlan plan;
  MappedRecord out = m->Map(
      Rec({{"text", "ignored"}, {"headline", "H"}, {"summary", "S"}, {"byline", "B"}}), &plan);
  EXPECT_EQ(out.get(Field::kText), "H\n\nS");
  EXPECT_EQ(out.get(Field::kAuthor), "B");
  // The unused 'text' column is kept in extra.
  EXPECT_EQ(out.extra_json, "{\"text\":\"ignored\"}");
}

TEST(FieldMapTest, PlanIsRebuiltWhenColumnsChange) {
  auto m = FieldMapper::Create({});
  ASSERT_TRUE(m.ok());
  MapPlan plan;
  EXPECT_EQ(m->Map(Rec({{"text", "a"}}), &plan).get(Field::kText), "a");
  EXPECT_EQ(m->Map(Rec({{"id", "7"}, {"message", "b"}}), &plan).get(Field::kText), "b");
  EXPECT_EQ(m->Map(Rec({{"id", "7"}, {"message", "b"}}), &plan).get(Field::kId), "7");
}

TEST(FieldMapTest, BadMapFlagsAreUsageErrors) {
  for (const char* bad : {"text", "=x", "text=", "colour=x", "text=a++b"}) {
    auto m = FieldMapper::Create({bad});
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(m.status().message().find(bad), std::string::npos) << m.status().message();
  }
}

}  // namespace
}  // namespace echotrace

// JSONL reader: flattening, value spelling, rejects and recovery.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest/test_util.h"

namespace echotrace {
namespace {

using ::echotrace::testing::Drained;
using ::echotrace::testing::FieldList;
using ::echotrace::testing::ReadString;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(JsonlReaderTest, FlattensNestedObjectsAndSpellsValues) {
  Drained d =
      ReadString(R"({"id":"1","text":"a\nb \u00e9","user":{"name":"x","geo":{"cc":"US"}},"n":12,)"
                 R"("big":18446744073709551615,"neg":-5,"f":1.5,"ok":true,"no":false,"gone":null,)"
                 R"("tags":["a", 1, {"k":null}],"empty":{}})"
                 "\n",
                 Format::kJsonl);
  ASSERT_TRUE(d.status.ok());
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_THAT(FieldList(d.records[0]),
              ElementsAre("id=1", "text=a\nb \xC3\xA9", "user.name=x", "user.geo.cc=US", "n=12",
                          "big=18446744073709551615", "neg=-5", "f=1.5", "ok=true", "no=false",
                          R"(tags=["a",1,{"k":null}])"));
  EXPECT_EQ(d.records[0].line, 1u);
}

TEST(JsonlReaderTest, MalformedLineIsRejectedAndNextLineRead) {
  Drained d = ReadString("{\"a\":1}\n{\"a\":\n\n  \r\n[1,2]\n\"str\"\n{\"a\":2}\r\n",
                         Format::kJsonl, {}, "f.jsonl");
  ASSERT_TRUE(d.status.ok());
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_EQ(d.records[1].line, 7u);
  EXPECT_THAT(FieldList(d.records[1]), ElementsAre("a=2"));
  ASSERT_EQ(d.rejects.size(), 3u);
  EXPECT_EQ(d.rejects[0].file, "f.jsonl");
  EXPECT_EQ(d.rejects[0].line, 2u);
  EXPECT_THAT(d.rejects[0].reason, StartsWith("invalid JSON: "));
  EXPECT_THAT(d.rejects[0].reason, HasSubstr("each line must be one JSON object"));
  EXPECT_EQ(d.rejects[0].raw, "{\"a\":");
  EXPECT_EQ(d.rejects[1].line, 5u);
  EXPECT_THAT(d.rejects[1].reason, HasSubstr("not a JSON object"));
  EXPECT_EQ(d.rejects[2].line, 6u);
}

TEST(JsonlReaderTest, OneLineArrayOfObjectsGivesOneRecordEach) {
  Drained d = ReadString("[{\"a\":1},{\"a\":2}]\n{\"a\":3}\n", Format::kJsonl);
  ASSERT_EQ(d.records.size(), 3u);
  EXPECT_EQ(d.records[1].line, 1u);
  EXPECT_THAT(FieldList(d.records[2]), ElementsAre("a=3"));
}

TEST(JsonlReaderTest, PrettyPrintedArrayIsOneWholeFileReject) {
  Drained d = ReadString("[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n", Format::kJsonl);
  EXPECT_TRUE(d.records.empty());
  ASSERT_EQ(d.rejects.size(), 1u);
  EXPECT_EQ(d.rejects[0].line, 0u);
  EXPECT_THAT(d.rejects[0].reason, HasSubstr("jq -c"));
}

TEST(JsonlReaderTest, BomAndNoTrailingNewline) {
  Drained d = ReadString("\xEF\xBB\xBF{\"a\":\"x\"}\n{\"b\":\"y\"}", Format::kJsonl);
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_THAT(FieldList(d.records[1]), ElementsAre("b=y"));
}

TEST(JsonlReaderTest, FiftyMegabyteLine) {
  std::string big(50u << 20, 'q');
  std::string input = "{\"text\":\"" + big + "\"}\n{\"text\":\"after\"}\n";
  Drained ok = ReadString(input, Format::kJsonl);
  ASSERT_EQ(ok.records.size(), 2u);
  EXPECT_EQ(ok.records[0].Find("text")->size(), big.size());
  ReaderOptions small;
  small.max_record_bytes = 1 << 20;
  Drained rej = ReadString(input, Format::kJsonl, small);
  ASSERT_EQ(rej.rejects.size(), 1u);
  EXPECT_EQ(rej.rejects[0].line, 1u);
  EXPECT_THAT(rej.rejects[0].reason, HasSubstr("longer than"));
  EXPECT_EQ(rej.rejects[0].raw.size(), 256u);
  ASSERT_EQ(rej.records.size(), 1u);
  EXPECT_EQ(*rej.records[0].Find("text"), "after");
  EXPECT_EQ(rej.records[0].line, 2u);
}

TEST(JsonlReaderTest, DuplicateKeysKeptInOrder) {
  Drained d = ReadString("{\"a\":\"1\",\"a\":\"2\"}\n", Format::kJsonl);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_THAT(FieldList(d.records[0]), ElementsAre("a=1", "a=2"));
  EXPECT_EQ(*d.records[0].Find("a"), "1");
  EXPECT_EQ(d.records[0].Find("zzz"), nullptr);
}

}  // namespace
}  // namespace echotrace

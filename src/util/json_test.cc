#include "util/json.h"

#include <gtest/gtest.h>

#include <limits>

namespace echotrace {
namespace {

TEST(JsonTest, EscapesStrings) {
  std::string out;
  AppendJsonString("a\"b\\c\nd\x01 \xd0\xbf", &out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001 \xd0\xbf\"");
}

TEST(JsonTest, NestsWithCommas) {
  JsonWriter w;
  w.BeginObject().Key("a").Int(1).Key("b").BeginArray().String("x").Null().Bool(true).EndArray();
  w.Key("c").BeginObject().EndObject().Key("d").OptInt(std::nullopt).EndObject();
  EXPECT_EQ(w.str(), "{\"a\":1,\"b\":[\"x\",null,true],\"c\":{},\"d\":null}");
}

TEST(JsonTest, PrettyPrintsTheOuterLevels) {
  JsonWriter w(1);
  w.BeginObject().Key("a").Int(1).Key("b").BeginArray().Int(2).Int(3).EndArray().EndObject();
  EXPECT_EQ(w.str(), "{\n  \"a\":1,\n  \"b\":[2,3]\n}");
  JsonWriter empty(2);
  empty.BeginObject().Key("x").BeginArray().EndArray().EndObject();
  EXPECT_EQ(empty.str(), "{\n  \"x\":[]\n}");
}

TEST(JsonTest, NonFiniteDoubleIsNull) {
  JsonWriter w;
  w.BeginArray().Double(std::numeric_limits<double>::infinity()).Double(0.5).EndArray();
  EXPECT_EQ(w.str(), "[null,0.5]");
}

}  // namespace
}  // namespace echotrace

#include "pipeline/normalizer.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstdio>

#include "util/str_cat.h"

namespace echotrace {
namespace {

MappedRecord Mapped(std::string text) {
  MappedRecord m;
  m.values[static_cast<size_t>(Field::kText)] = std::move(text);
  return m;
}

TEST(NormalizerTest, LangTags) {
  EXPECT_EQ(NormalizeLangTag("en"), "en");
  EXPECT_EQ(NormalizeLangTag("en-US"), "en");
  EXPECT_EQ(NormalizeLangTag("RU"), "ru");
  EXPECT_EQ(NormalizeLangTag("English"), "en");
  EXPECT_EQ(NormalizeLangTag("Ukrainian"), "uk");
  EXPECT_EQ(NormalizeLangTag("LANGUAGE OTHER"), "");
  EXPECT_EQ(NormalizeLangTag(""), "");
}

TEST(NormalizerTest, RecordWithoutTextIsRejectedWithAFix) {
  Document doc;
  NormalizeResult r = NormalizeRecord(Mapped(" \n\t "), "", "f", "text, content", &doc);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reject_reason.find("--map text="), std::string::npos);
  EXPECT_NE(r.reject_reason.find("text, content"), std::string::npos);
}

TEST(NormalizerTest, FieldsAndDerivedValues) {
  MappedRecord m = Mapped("Read https://Example.com/a?utm_source=x #Tag @Bob");
  m.values[static_cast<size_t>(Field::kAuthor)] = " ann ";
  m.values[static_cast<size_t>(Field::kTime)] = "2017-09-07 19:52:00";
  m.values[static_cast<size_t>(Field::kLang)] = "English";
  Document doc;
  NormalizeResult r = NormalizeRecord(m, "", "ira", "text", &doc);
  ASSERT_TRUE(r.ok) << r.reject_reason;
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(doc.author, "ann");
  EXPECT_EQ(doc.source, "ira");
  ASSERT_TRUE(doc.time.has_value());
  EXPECT_EQ(*doc.time, 1504813920);
  EXPECT_EQ(doc.lang, "en");
  EXPECT_EQ(doc.ext_id.rfind("h:", 0), 0u);
  EXPECT_EQ(doc.ext_id.size(), 18u);
  ASSERT_EQ(doc.entities.size(), 3u);
  EXPECT_EQ(doc.entities[0].kind, EntityKind::kUrl);
  EXPECT_EQ(doc.entities[0].value, "https://example.com/a");
  EXPECT_NE(doc.norm_hash, 0u);
}

TEST(NormalizerTest, SourceOverrideWins) {
  MappedRecord m = Mapped("hello there");
  m.values[static_cast<size_t>(Field::kSource)] = "forum";
  Document doc;
  ASSERT_TRUE(NormalizeRecord(m, "", "file", "text", &doc).ok);
  EXPECT_EQ(doc.source, "forum");
  ASSERT_TRUE(NormalizeRecord(m, "mine", "file", "text", &doc).ok);
  EXPECT_EQ(doc.source, "mine");
}

TEST(NormalizerTest, UnparseableTimeIsAWarningAndKept) {
  MappedRecord m = Mapped("hello there");
  m.values[static_cast<size_t>(Field::kTime)] = "last tuesday";
  m.extra_json = "{\"a\":\"b\"}";
  Document doc;
  NormalizeResult r = NormalizeRecord(m, "", "f", "text", &doc);
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("last tuesday"), std::string::npos);
  EXPECT_FALSE(doc.time.has_value());
  EXPECT_EQ(doc.extra_json, "{\"a\":\"b\",\"time_raw\":\"last tuesday\"}");
}

TEST(NormalizerTest, InvalidUtf8IsRepairedAndCounted) {
  Document doc;
  NormalizeResult r = NormalizeRecord(Mapped("caf\xe9 au lait"), "", "f", "text", &doc);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.invalid_utf8, 1u);
  EXPECT_EQ(doc.text, "caf\xef\xbf\xbd au lait");
}

// The definition in docs/schema.md, spelled out: XXH3-64 of source, author,
// time, parent and text joined by 0x1F, as "h:" + 16 lower-case hex digits.
// Persisted as ext_ids: a change would duplicate re-ingested data.
TEST(NormalizerTest, ContentHashIdIsTheDocumentedHash) {
  Document d;
  d.source = "tw";
  d.author = "Ann";
  d.time = 1500000000;
  d.parent = "p1";
  d.text = "Some text, with ünïcode";
  const std::string key =
      "tw\x1f"
      "Ann\x1f"
      "1500000000\x1f"
      "p1\x1f"
      "Some text, with ünïcode";
  char want[24];
  std::snprintf(want, sizeof want, "h:%016llx",
                static_cast<unsigned long long>(XXH3_64bits(key.data(), key.size())));
  EXPECT_EQ(ContentHashId(d), want);
  d.time.reset();
  const std::string key2 =
      "tw\x1f"
      "Ann\x1f"
      "\x1f"
      "p1\x1f"
      "Some text, with ünïcode";
  std::snprintf(want, sizeof want, "h:%016llx",
                static_cast<unsigned long long>(XXH3_64bits(key2.data(), key2.size())));
  EXPECT_EQ(ContentHashId(d), want);
  // A leading zero nibble is written, not dropped.
  for (int i = 0; i < 64; ++i) {
    d.text = StrCat("t", i);
    EXPECT_EQ(ContentHashId(d).size(), 18u);
  }
}

TEST(NormalizerTest, ContentHashIdDependsOnEveryKeyField) {
  Document a;
  a.text = "same words";
  a.author = "x";
  a.time = 100;
  Document b = a;
  EXPECT_EQ(ContentHashId(a), ContentHashId(b));
  b.author = "y";
  EXPECT_NE(ContentHashId(a), ContentHashId(b));
  b = a;
  b.time = 160;
  EXPECT_NE(ContentHashId(a), ContentHashId(b));
  b = a;
  b.source = "other";
  EXPECT_NE(ContentHashId(a), ContentHashId(b));
}

}  // namespace
}  // namespace echotrace

namespace echotrace {
namespace {

TEST(NormalizerTest, UrlHostIsTheDefaultSource) {
  EXPECT_EQ(UrlHost("https://WWW.Merrin-Ledger.example:8080/a/b?c#d"), "merrin-ledger.example");
  EXPECT_EQ(UrlHost("http://user@host.example/"), "host.example");
  EXPECT_EQ(UrlHost("not a url"), "");
  MappedRecord m = Mapped("article body");
  m.values[static_cast<size_t>(Field::kUrl)] = "https://www.ledger.example/x";
  Document doc;
  ASSERT_TRUE(NormalizeRecord(m, "", "articles", "text", &doc).ok);
  EXPECT_EQ(doc.source, "ledger.example");
}

}  // namespace
}  // namespace echotrace

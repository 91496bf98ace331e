// Input streams: gzip and zstd round trips (single and multi member/frame),
// truncated and corrupt data, magic-byte detection, file errors.
#include "ingest/input_stream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "ingest/test_util.h"

namespace echotrace {
namespace {

using ::echotrace::testing::Drained;
using ::echotrace::testing::GzipCompress;
using ::echotrace::testing::ReadString;
using ::echotrace::testing::ZstdCompress;
using ::testing::HasSubstr;

// Reads everything through OpenDecompressed in reads of `chunk` bytes.
Result<std::string> Decode(const std::string& raw, size_t chunk = 1000) {
  ET_ASSIGN_OR_RETURN(auto s, OpenDecompressed(MakeMemoryStream(raw), "t.gz"));
  std::string out;
  std::string buf(chunk, '\0');
  for (;;) {
    ET_ASSIGN_OR_RETURN(size_t n, s->Read(buf.data(), buf.size()));
    if (n == 0) break;
    out.append(buf, 0, n);
  }
  return out;
}

std::string Sample(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s;
  while (s.size() < n) s += "line " + std::to_string(rng() % 1000) + ",text\n";
  return s;
}

TEST(InputStreamTest, DetectCompression) {
  EXPECT_EQ(DetectCompression("\x1f\x8b\x08"), Compression::kGzip);
  EXPECT_EQ(DetectCompression("\x28\xb5\x2f\xfd"), Compression::kZstd);
  EXPECT_EQ(DetectCompression("\x28\xb5"), Compression::kNone);
  EXPECT_EQ(DetectCompression("{\"a\""), Compression::kNone);
  EXPECT_EQ(DetectCompression(""), Compression::kNone);
}

TEST(InputStreamTest, PlainPassesThrough) {
  auto r = Decode("ab");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "ab");
  auto e = Decode("");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, "");
}

TEST(InputStreamTest, GzipRoundTripSingleAndMultiMember) {
  std::string a = Sample(300000, 1), b = Sample(1000, 2), c = Sample(70000, 3);
  auto one = Decode(GzipCompress(a));
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(*one, a);
  auto multi = Decode(GzipCompress(a) + GzipCompress(b) + GzipCompress("") + GzipCompress(c), 7);
  ASSERT_TRUE(multi.ok()) << multi.status().ToString();
  EXPECT_EQ(*multi, a + b + c);
}

TEST(InputStreamTest, ZstdRoundTripSingleAndMultiFrame) {
  std::string a = Sample(500000, 4), b = Sample(10, 5);
  auto one = Decode(ZstdCompress(a));
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(*one, a);
  auto multi = Decode(ZstdCompress(a) + ZstdCompress(b) + ZstdCompress(a, 19), 4096);
  ASSERT_TRUE(multi.ok()) << multi.status().ToString();
  EXPECT_EQ(*multi, a + b + a);
}

TEST(InputStreamTest, TruncatedGzipIsCorruption) {
  std::string z = GzipCompress(Sample(100000, 6));
  auto r = Decode(z.substr(0, z.size() / 2));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(r.status().message(), HasSubstr("t.gz"));
  EXPECT_THAT(r.status().message(), HasSubstr("truncated"));
}

TEST(InputStreamTest, TruncatedZstdIsCorruption) {
  std::string z = ZstdCompress(Sample(100000, 7));
  auto r = Decode(z.substr(0, z.size() - 10));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
}

TEST(InputStreamTest, CorruptZstdIsCorruption) {
  std::string z = ZstdCompress(Sample(100000, 8));
  for (size_t i = 20; i < z.size(); i += 97) z[i] = static_cast<char>(z[i] ^ 0x5a);
  auto r = Decode(z);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
}

TEST(InputStreamTest, RecordsBeforeCorruptionAreDelivered) {
  std::string good = "{\"a\":1}\n{\"a\":2}\n";
  std::string bad = GzipCompress(good) + GzipCompress(Sample(200000, 9)).substr(0, 500);
  Drained d = ReadString(bad, Format::kJsonl, {}, "x.jsonl.gz");
  EXPECT_EQ(d.records.size(), 2u);
  EXPECT_EQ(d.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(d.status.message(), HasSubstr("x.jsonl.gz"));
}

TEST(InputStreamTest, OpenFileErrorsNameThePath) {
  auto missing = OpenFileStream("/nonexistent/dir/file.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kIOError);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/dir/file.csv"));
  EXPECT_THAT(missing.status().message(), HasSubstr("No such file"));
  auto dir = OpenFileStream("/tmp");
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), StatusCode::kIOError);
  EXPECT_THAT(dir.status().message(), HasSubstr("Is a directory"));
}

}  // namespace
}  // namespace echotrace

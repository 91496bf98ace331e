// OpenReader end to end: files on disk, compression, empty and binary
// input, open errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/test_util.h"

namespace echotrace {
namespace {

using ::echotrace::testing::Drain;
using ::echotrace::testing::Drained;
using ::echotrace::testing::FieldList;
using ::echotrace::testing::GzipCompress;
using ::echotrace::testing::ReadString;
using ::echotrace::testing::TempDir;
using ::echotrace::testing::ZstdCompress;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Drained ReadFile(const std::string& path, const ReaderOptions& options = {}) {
  auto reader = OpenReader(path, options);
  if (!reader.ok()) {
    ADD_FAILURE() << reader.status().ToString();
    return {};
  }
  return Drain(reader->get());
}

TEST(OpenReaderTest, CompressedFilesDetectedByMagicNotName) {
  TempDir dir;
  const std::string csv = "id,text\n1,a\n2,b\n";
  Drained gz = ReadFile(dir.Write("a.csv.gz", GzipCompress(csv)));
  ASSERT_EQ(gz.records.size(), 2u);
  // A zstd file without a compression suffix, and content-detected format.
  Drained zst =
      ReadFile(dir.Write("data", ZstdCompress("{\"id\":1}\n") + ZstdCompress("{\"id\":2}\n")));
  ASSERT_EQ(zst.records.size(), 2u);
  EXPECT_THAT(FieldList(zst.records[1]), ElementsAre("id=2"));
  EXPECT_EQ(zst.bytes_read, 18u);
}

TEST(OpenReaderTest, EmptyFileEndsAtOnce) {
  TempDir dir;
  Drained d = ReadFile(dir.Write("empty.csv", ""));
  EXPECT_TRUE(d.status.ok());
  EXPECT_TRUE(d.records.empty());
  EXPECT_TRUE(d.rejects.empty());
  Drained z = ReadFile(dir.Write("empty.jsonl.zst", ZstdCompress("")));
  EXPECT_TRUE(z.records.empty());
  EXPECT_TRUE(z.rejects.empty());
}

TEST(OpenReaderTest, BinaryFileIsOneWholeFileReject) {
  TempDir dir;
  std::string bin =
      "\x7f"
      "ELF\x02\x01\x01";
  bin += std::string(100, '\0');
  Drained d = ReadFile(dir.Write("prog.csv", bin));
  EXPECT_TRUE(d.records.empty());
  ASSERT_EQ(d.rejects.size(), 1u);
  EXPECT_EQ(d.rejects[0].line, 0u);
  EXPECT_THAT(d.rejects[0].reason, HasSubstr("binary file (103 of its first 107 bytes are NUL"));
  EXPECT_LE(d.rejects[0].raw.size(), 256u);
}

// Issue 17 item 18: "binary" is decided by the share of control bytes, so a
// stray NUL in the first 64 KiB no longer costs the file's good records; the
// NUL is dropped and counted in every format.
TEST(OpenReaderTest, AFewNulBytesDoNotMakeAFileBinary) {
  using namespace std::string_literals;
  std::string csv = "id,text\n1,good one\n2,has a \0 NUL\n3,good three\n"s;
  Drained c = ReadString(csv, Format::kCsv);
  EXPECT_TRUE(c.rejects.empty());
  ASSERT_EQ(c.records.size(), 3u);
  EXPECT_EQ(c.records[1].fields[1].second, "has a \0 NUL"s);  // the normaliser drops it
  std::string jsonl = "{\"id\":\"1\",\"text\":\"a\0b\"}\n\0{\"id\":\"2\",\"text\":\"c\"}\n"s;
  Drained j = ReadString(jsonl, Format::kJsonl);
  EXPECT_TRUE(j.rejects.empty());
  ASSERT_EQ(j.records.size(), 2u);
  EXPECT_EQ(j.records[0].fields[1].second, "ab");
  EXPECT_EQ(j.records[0].nul_bytes, 1u);
  EXPECT_EQ(j.records[1].nul_bytes, 1u);
  Drained t = ReadString("Title\nthe body of a text with one \0 byte in it\n"s, Format::kText);
  ASSERT_EQ(t.records.size(), 1u);
  EXPECT_EQ(t.records[0].nul_bytes, 1u);
  EXPECT_EQ(t.records[0].Find("text")->find('\0'), std::string::npos);
  Drained h = ReadString("<html><body><p>a\0b</p></body></html>"s, Format::kHtml);
  ASSERT_EQ(h.records.size(), 1u);
  EXPECT_EQ(h.records[0].nul_bytes, 1u);
  EXPECT_EQ(*h.records[0].Find("text"), "ab");
  // Random bytes (about 11% control bytes) are still binary.
  std::string noise;
  uint32_t x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1103515245u + 12345u;
    noise.push_back(static_cast<char>(x >> 24));
  }
  Drained n = ReadString(noise, Format::kAuto);
  ASSERT_EQ(n.rejects.size(), 1u);
  EXPECT_THAT(n.rejects[0].reason, HasSubstr("binary file"));
}

TEST(OpenReaderTest, OtherCompressorsAndUtf16AreExplained) {
  Drained xz = ReadString(std::string("\xFD\x37\x7A\x58\x5A\x00rest", 10), Format::kAuto);
  ASSERT_EQ(xz.rejects.size(), 1u);
  EXPECT_THAT(xz.rejects[0].reason, HasSubstr("xz -d"));
  Drained u16 = ReadString(std::string("\xFF\xFEh\0i\0", 6), Format::kAuto);
  ASSERT_EQ(u16.rejects.size(), 1u);
  EXPECT_THAT(u16.rejects[0].reason, HasSubstr("UTF-16"));
}

TEST(OpenReaderTest, UnopenablePathsAreIOErrorsNamingThePath) {
  TempDir dir;
  auto missing = OpenReader(dir.path() + "/nope.csv", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kIOError);
  EXPECT_THAT(missing.status().message(), HasSubstr("nope.csv"));
  EXPECT_THAT(missing.status().message(), HasSubstr("No such file or directory"));
  auto directory = OpenReader(dir.path(), {});
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), StatusCode::kIOError);
  EXPECT_THAT(directory.status().message(), HasSubstr("Is a directory"));
  // A path through a regular file: ENOTDIR; ExpandInputs keeps it for
  // OpenReader to report.
  std::string file = dir.Write("f.csv", "a\n");
  auto r = ExpandInputs({file + "/x.csv"});
  ASSERT_TRUE(r.ok());
  auto notdir = OpenReader(file + "/x.csv", {});
  ASSERT_FALSE(notdir.ok());
  EXPECT_THAT(notdir.status().message(), HasSubstr("Not a directory"));
}

TEST(OpenReaderTest, FormatOptionOverridesDetection) {
  TempDir dir;
  ReaderOptions opt;
  opt.format = Format::kText;
  Drained d = ReadFile(dir.Write("x.csv", "a,b\n1,2\n"), opt);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_EQ(*d.records[0].Find("text"), "a,b\n1,2\n");
}

TEST(OpenReaderTest, CheckThatQueriesAsTsv) {
  const std::string path =
      std::string(ECHOTRACE_SHARED_DATA) + "/checkthat2022/train-dev.queries.tsv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data not found: " << path;
  ReaderOptions opt;
  opt.columns = {"id", "text"};
  Drained d = ReadFile(path, opt);
  EXPECT_TRUE(d.rejects.empty()) << d.rejects[0].line << ": " << d.rejects[0].reason;
  EXPECT_EQ(d.records.size(), 1196u);
}

}  // namespace
}  // namespace echotrace

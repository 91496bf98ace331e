// CSV/TSV reader: RFC 4180 cases, header rules, rejects, a property test
// against a simple writer, and the IRA sample from ../shared/data.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "ingest/input_stream.h"
#include "ingest/readers.h"
#include "ingest/test_util.h"

namespace echotrace {
namespace {

using ::echotrace::testing::Drained;
using ::echotrace::testing::FieldList;
using ::echotrace::testing::ReadString;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvReaderTest, PlainRowsWithHeader) {
  Drained d = ReadString("id,text\n1,hello\n2,world\n", Format::kCsv);
  ASSERT_TRUE(d.status.ok());
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_THAT(FieldList(d.records[0]), ElementsAre("id=1", "text=hello"));
  EXPECT_THAT(FieldList(d.records[1]), ElementsAre("id=2", "text=world"));
  EXPECT_EQ(d.records[0].line, 2u);
  EXPECT_EQ(d.records[1].line, 3u);
  EXPECT_EQ(d.records[0].file, "mem");
  EXPECT_TRUE(d.rejects.empty());
}

TEST(CsvReaderTest, QuotedFieldWithDelimiterQuoteAndNewline) {
  Drained d = ReadString("id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,after\n",
                         Format::kCsv);
  ASSERT_EQ(d.records.size(), 4u);
  EXPECT_EQ(*d.records[0].Find("text"), "a, b");
  EXPECT_EQ(*d.records[1].Find("text"), "say \"hi\"");
  EXPECT_EQ(*d.records[2].Find("text"), "two\nlines");
  EXPECT_EQ(d.records[2].line, 4u);
  EXPECT_EQ(*d.records[3].Find("text"), "after");
  EXPECT_EQ(d.records[3].line, 6u);  // the row after a two-line row
}

TEST(CsvReaderTest, CrlfLineEnds) {
  Drained d = ReadString("a,b\r\n1,2\r\n\"x\r\ny\",\"3\"\r\n", Format::kCsv);
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_THAT(FieldList(d.records[0]), ElementsAre("a=1", "b=2"));
  EXPECT_THAT(FieldList(d.records[1]), ElementsAre("a=x\r\ny", "b=3"));
}

TEST(CsvReaderTest, BomIsStripped) {
  Drained d = ReadString("\xEF\xBB\xBFid,text\n1,x\n", Format::kCsv);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_EQ(d.records[0].fields[0].first, "id");
}

TEST(CsvReaderTest, EmptyFields) {
  Drained d = ReadString("a,b,c\n,,\n1,,\n,\"\",3\n", Format::kCsv);
  ASSERT_EQ(d.records.size(), 3u);
  EXPECT_THAT(FieldList(d.records[0]), ElementsAre("a=", "b=", "c="));
  EXPECT_THAT(FieldList(d.records[1]), ElementsAre("a=1", "b=", "c="));
  EXPECT_THAT(FieldList(d.records[2]), ElementsAre("a=", "b=", "c=3"));
}

TEST(CsvReaderTest, NoTrailingNewline) {
  Drained d = ReadString("a,b\n1,2", Format::kCsv);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_THAT(FieldList(d.records[0]), ElementsAre("a=1", "b=2"));
  Drained q = ReadString("a,b\n1,\"2\"", Format::kCsv);
  ASSERT_EQ(q.records.size(), 1u);
  EXPECT_THAT(FieldList(q.records[0]), ElementsAre("a=1", "b=2"));
}

TEST(CsvReaderTest, BlankLinesAreSkipped) {
  Drained d = ReadString("a,b\n\n1,2\r\n\r\n3,4\n\n", Format::kCsv);
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_EQ(d.records[1].line, 5u);
  EXPECT_TRUE(d.rejects.empty());
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsLiteral) {
  Drained d = ReadString("a,b\n5\" screen,x\n", Format::kCsv);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_EQ(*d.records[0].Find("a"), "5\" screen");
}

TEST(CsvReaderTest, TextAfterClosingQuoteRereadsFieldAsPlain) {
  Drained d = ReadString("a,b\n\"Yes\" he said,x\n", Format::kCsv);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_EQ(*d.records[0].Find("a"), "\"Yes\" he said");
  EXPECT_EQ(*d.records[0].Find("b"), "x");
}

TEST(CsvReaderTest, WrongFieldCountIsRejectedAndReadingContinues) {
  Drained d = ReadString("a,b,c\n1,2,3\n1,2\n1,2,3,4\n7,8,9\n", Format::kCsv);
  ASSERT_EQ(d.records.size(), 2u);
  ASSERT_EQ(d.rejects.size(), 2u);
  EXPECT_EQ(d.rejects[0].line, 3u);
  EXPECT_THAT(d.rejects[0].reason, HasSubstr("expected 3 fields"));
  EXPECT_THAT(d.rejects[0].reason, HasSubstr("found 2"));
  EXPECT_THAT(d.rejects[0].reason, HasSubstr("quote"));
  EXPECT_EQ(d.rejects[0].raw, "1,2\n");
  EXPECT_EQ(d.rejects[1].line, 4u);
  EXPECT_THAT(d.rejects[1].reason, HasSubstr("found 4"));
  EXPECT_EQ(*d.records[1].Find("a"), "7");
  EXPECT_EQ(d.order, (std::vector<char>{'R', 'X', 'X', 'R'}));
}

TEST(CsvReaderTest, UnterminatedQuoteAtEofRejectsAndResumesOnNextLine) {
  Drained d = ReadString("a,b\n1,2\n3,\"open\n4,5\n", Format::kCsv);
  ASSERT_TRUE(d.status.ok());
  ASSERT_EQ(d.rejects.size(), 1u);
  EXPECT_EQ(d.rejects[0].line, 3u);
  EXPECT_THAT(d.rejects[0].reason, HasSubstr("unterminated"));
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_EQ(*d.records[1].Find("a"), "4");
  EXPECT_EQ(d.records[1].line, 4u);
}

TEST(CsvReaderTest, HeaderNamesTrimmedDedupedAndFilled) {
  Drained d = ReadString(" id , text,,text,text\n1,2,3,4,5\n", Format::kCsv);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_THAT(FieldList(d.records[0]),
              ElementsAre("id=1", "text=2", "col3=3", "text_2=4", "text_3=5"));
}

TEST(CsvReaderTest, ColumnsOptionTreatsFirstRowAsData) {
  ReaderOptions opt;
  opt.columns = {"x", "y"};
  Drained d = ReadString("1,2\n3,4\n", Format::kCsv, opt);
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_THAT(FieldList(d.records[0]), ElementsAre("x=1", "y=2"));
  EXPECT_EQ(d.records[0].line, 1u);
}

TEST(CsvReaderTest, ColumnsOptionSkipsMatchingHeader) {
  ReaderOptions opt;
  opt.columns = {"x", "y"};
  Drained d = ReadString("x,y\n3,4\n", Format::kCsv, opt);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_THAT(FieldList(d.records[0]), ElementsAre("x=3", "y=4"));
  Drained bad = ReadString("1,2,3\n", Format::kCsv, opt);
  ASSERT_EQ(bad.rejects.size(), 1u);
  EXPECT_THAT(bad.rejects[0].reason, HasSubstr("given columns"));
}

TEST(CsvReaderTest, TsvWithCsvStyleQuotes) {
  // As in the CheckThat queries: a whole quoted text, and quotes that are
  // just part of a text.
  Drained d = ReadString(
      "id\ttext\nq1\t\"He said \"\"no\"\" today\"\nq2\t\"Yes\" is all, she said\nq3\tplain, "
      "text\n",
      Format::kTsv);
  ASSERT_EQ(d.records.size(), 3u) << (d.rejects.empty() ? "" : d.rejects[0].reason);
  EXPECT_EQ(*d.records[0].Find("text"), "He said \"no\" today");
  EXPECT_EQ(*d.records[1].Find("text"), "\"Yes\" is all, she said");
  EXPECT_EQ(*d.records[2].Find("text"), "plain, text");
}

TEST(CsvReaderTest, TsvUnbalancedQuotesFallBackToPlainSplit) {
  // As in the MSR paraphrase corpus: a text opens with '"' and the quote
  // closes at the end of the next field; and a quote that never closes.
  Drained d = ReadString(
      "q\ts1\ts2\n1\t\"Open quote.\tOther text.\"\n2\t\"never closed\tz\n3\tc\td\n", Format::kTsv);
  ASSERT_TRUE(d.rejects.empty()) << d.rejects[0].reason;
  ASSERT_EQ(d.records.size(), 3u);
  EXPECT_THAT(FieldList(d.records[0]), ElementsAre("q=1", "s1=\"Open quote.", "s2=Other text.\""));
  EXPECT_THAT(FieldList(d.records[1]), ElementsAre("q=2", "s1=\"never closed", "s2=z"));
  EXPECT_EQ(d.records[2].line, 4u);
  // CSV keeps the strict rules.
  Drained c = ReadString("q,s1,s2\n1,\"a,b\n", Format::kCsv);
  EXPECT_EQ(c.rejects.size(), 1u);
}

TEST(CsvReaderTest, RecordLongerThanLimitIsRejectedThenReadingGoesOn) {
  ReaderOptions opt;
  opt.max_record_bytes = 1000;
  std::string big(5000, 'x');
  Drained d = ReadString("a,b\n1," + big + "\n2,ok\n", Format::kCsv, opt);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.rejects.size(), 1u);
  EXPECT_EQ(d.rejects[0].line, 2u);
  EXPECT_THAT(d.rejects[0].reason, HasSubstr("longer than 1000"));
  EXPECT_EQ(d.rejects[0].raw.size(), 256u);
  ASSERT_EQ(d.records.size(), 1u);
  EXPECT_EQ(*d.records[0].Find("b"), "ok");
  EXPECT_EQ(d.records[0].line, 3u);
}

TEST(CsvReaderTest, FiftyMegabyteLine) {
  std::string big(50u << 20, 'y');
  std::string input = "a,b\n1," + big + "\n2,z\n";
  Drained ok = ReadString(input, Format::kCsv);
  ASSERT_EQ(ok.records.size(), 2u);
  EXPECT_EQ(ok.records[0].Find("b")->size(), big.size());
  ReaderOptions small;
  small.max_record_bytes = 1 << 20;
  Drained rej = ReadString(input, Format::kCsv, small);
  ASSERT_EQ(rej.rejects.size(), 1u);
  ASSERT_EQ(rej.records.size(), 1u);
  EXPECT_EQ(*rej.records[0].Find("b"), "z");
}

// ---- property test: a straightforward writer, then the reader -------------

std::string WriteField(const std::string& v, char delim) {
  bool quote = v.empty() ? false
                         : v.find_first_of(std::string("\"\r\n") + delim) != std::string::npos ||
                               v[0] == ' ';
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string RandomValue(std::mt19937* rng) {
  static const std::string kAlphabet = "ab ,\t\"\n\r\xC3\xA9x1";
  std::uniform_int_distribution<int> len(0, 12);
  std::uniform_int_distribution<size_t> pick(0, kAlphabet.size() - 1);
  std::string v;
  for (int i = len(*rng); i > 0; --i) v += kAlphabet[pick(*rng)];
  return v;
}

TEST(CsvReaderTest, PropertyRandomRecordsRoundTrip) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(seed);
    const char delim = seed % 2 ? ',' : '\t';
    const int ncols = 1 + static_cast<int>(rng() % 5);
    const int nrows = static_cast<int>(rng() % 40);
    const std::string eol = seed % 3 ? "\n" : "\r\n";
    std::vector<std::string> names;
    std::string file;
    for (int c = 0; c < ncols; ++c) {
      names.push_back("c" + std::to_string(c));
      file += (c ? std::string(1, delim) : "") + names.back();
    }
    file += eol;
    std::vector<std::vector<std::string>> rows;
    for (int r = 0; r < nrows; ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < ncols; ++c) row.push_back(RandomValue(&rng));
      // A single empty field is a blank line, which readers skip: avoid it.
      if (ncols == 1 && row[0].empty()) row[0] = "e";
      for (int c = 0; c < ncols; ++c) {
        // Appended piece by piece: operator+ here makes GCC 12 at -O3
        // report a bogus -Wrestrict (GCC bug 105329).
        if (c) file += delim;
        file += WriteField(row[c], delim);
      }
      if (r + 1 < nrows || seed % 5) file += eol;
      rows.push_back(std::move(row));
    }
    Drained d = ReadString(file, delim == ',' ? Format::kCsv : Format::kTsv);
    ASSERT_TRUE(d.status.ok()) << "seed " << seed;
    ASSERT_TRUE(d.rejects.empty()) << "seed " << seed << ": " << d.rejects[0].reason << "\n"
                                   << file;
    ASSERT_EQ(d.records.size(), rows.size()) << "seed " << seed << "\n" << file;
    for (size_t r = 0; r < rows.size(); ++r) {
      for (int c = 0; c < ncols; ++c) {
        ASSERT_EQ(d.records[r].fields[c].second, rows[r][c])
            << "seed " << seed << " row " << r << " col " << c;
      }
    }
  }
}

TEST(CsvReaderTest, ParserNeedsMoreWhenRecordIsCut) {
  CsvCells cells;
  size_t used = 0;
  EXPECT_EQ(ParseCsvRecord("a,\"b", false, ',', &cells, &used), CsvParse::kNeedMore);
  EXPECT_EQ(ParseCsvRecord("a,b", false, ',', &cells, &used), CsvParse::kNeedMore);
  EXPECT_EQ(ParseCsvRecord("a,\"b\"", false, ',', &cells, &used), CsvParse::kNeedMore);
  EXPECT_EQ(ParseCsvRecord("a,\"b", true, ',', &cells, &used), CsvParse::kUnterminatedQuote);
  ASSERT_EQ(ParseCsvRecord("a,b\nc", false, ',', &cells, &used), CsvParse::kRecord);
  EXPECT_EQ(used, 4u);
  EXPECT_EQ(cells.n, 2u);
}

// Feeding the input one byte per read exercises every buffer boundary.
class OneByteStream : public InputStream {
 public:
  explicit OneByteStream(std::string s) : s_(std::move(s)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    if (pos_ >= s_.size() || n == 0) return size_t{0};
    buf[0] = s_[pos_++];
    return size_t{1};
  }

 private:
  std::string s_;
  size_t pos_ = 0;
};

TEST(CsvReaderTest, OneByteReadsGiveTheSameRecords) {
  std::string input = "a,b\n\"x\ny\",\"q\"\"\"\n3,4\r\n";
  auto reader =
      OpenReaderFromStream(std::make_unique<OneByteStream>(input), "slow", Format::kCsv, {});
  ASSERT_TRUE(reader.ok());
  Drained d = testing::Drain(reader->get());
  ASSERT_EQ(d.records.size(), 2u);
  EXPECT_THAT(FieldList(d.records[0]), ElementsAre("a=x\ny", "b=q\""));
  EXPECT_THAT(FieldList(d.records[1]), ElementsAre("a=3", "b=4"));
  EXPECT_EQ(d.bytes_read, input.size());
}

TEST(CsvReaderTest, IraSample200k) {
  const std::string path = std::string(ECHOTRACE_SHARED_DATA) + "/ira/ira_sample_200k.csv.zst";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared data not found: " << path;
  auto reader = OpenReader(path, {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  RawRecord rec;
  Reject rej;
  size_t records = 0, rejects = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (;;) {
    auto r = (*reader)->Next(&rec, &rej);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    if (*r == ReadOutcome::kEnd) break;
    if (*r == ReadOutcome::kRecord) {
      ++records;
      ASSERT_EQ(rec.fields.size(), 11u) << "line " << rec.line;
    } else {
      ++rejects;
      ADD_FAILURE() << rej.line << ": " << rej.reason;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(records, 200000u);
  EXPECT_EQ(rejects, 0u);
  std::printf("IRA sample: %.1f MB decompressed in %.3f s (%.0f MB/s incl. zstd)\n",
              (*reader)->bytes_read() / 1e6, secs, (*reader)->bytes_read() / 1e6 / secs);
}

}  // namespace
}  // namespace echotrace

// Test helpers; see test_util.h.
#include "ingest/test_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>

#include "ingest/input_stream.h"

namespace echotrace::testing {

Drained Drain(RecordReader* reader) {
  Drained d;
  for (int guard = 0; guard < 10'000'000; ++guard) {
    RawRecord rec;
    Reject rej;
    Result<ReadOutcome> r = reader->Next(&rec, &rej);
    if (!r.ok()) {
      d.status = r.status();
      break;
    }
    if (*r == ReadOutcome::kEnd) break;
    if (*r == ReadOutcome::kRecord) {
      d.records.push_back(std::move(rec));
      d.order.push_back('R');
    } else {
      d.rejects.push_back(std::move(rej));
      d.order.push_back('X');
    }
  }
  d.bytes_read = reader->bytes_read();
  return d;
}

Drained ReadString(const std::string& data, Format format, const ReaderOptions& options,
                   const std::string& name) {
  auto reader = OpenReaderFromStream(MakeMemoryStream(data), name, format, options);
  if (!reader.ok()) {
    ADD_FAILURE() << reader.status().ToString();
    return {};
  }
  return Drain(reader->get());
}

std::vector<std::string> FieldList(const RawRecord& r) {
  std::vector<std::string> out;
  for (const auto& [k, v] : r.fields) out.push_back(k + "=" + v);
  return out;
}

std::string GzipCompress(const std::string& data, int level) {
  z_stream z{};
  // 15 + 16: a gzip (not zlib) wrapper.
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string ZstdCompress(const std::string& data, int level) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/echotrace_ingest_test_XXXXXX";
  char* p = mkdtemp(tmpl);
  EXPECT_NE(p, nullptr);
  path_ = p ? p : "/tmp";
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& rel, const std::string& content) const {
  std::filesystem::path p = std::filesystem::path(path_) / rel;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  return p.string();
}

}  // namespace echotrace::testing

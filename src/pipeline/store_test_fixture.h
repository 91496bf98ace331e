// Test-only: a fixture with a fresh store in a scratch folder and a way to
// ingest JSONL text into it, for the tests of the stages that read a store
// (analyze, reuse, coordination, trace), and a way to query it.
#ifndef ECHOTRACE_PIPELINE_STORE_TEST_FIXTURE_H_
#define ECHOTRACE_PIPELINE_STORE_TEST_FIXTURE_H_

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "echotrace/ingest.h"
#include "echotrace/store.h"
#include "store/store_internal.h"

namespace echotrace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("echotrace_" + std::string(info->test_suite_name()) + "_" + std::to_string(::getpid()) +
            "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = Store::Open((dir_ / "t.db").string(), OpenMode::kReadWrite);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Ingests `jsonl` (one JSON object per line) as the file in.jsonl.
  void IngestJsonl(const std::string& jsonl) {
    std::string path = (dir_ / "in.jsonl").string();
    std::ofstream(path) << jsonl;
    IngestOptions o;
    o.progress = false;
    IngestSummary sum;
    Status s = Ingest(store_.get(), {path}, o, &sum);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Runs `sql` on the store; each row as its columns joined by '|' (NULL
  // as "NULL"), one line per row.
  std::string Query(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(store_internal::Handle(store_), sql.c_str(), -1, &st, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(store_internal::Handle(store_));
    std::string v;
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const unsigned char* t = sqlite3_column_text(st, i);
        v += t ? reinterpret_cast<const char*>(t) : "NULL";
        v += i + 1 < sqlite3_column_count(st) ? "|" : "\n";
      }
    }
    sqlite3_finalize(st);
    return v;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace echotrace

#endif  // ECHOTRACE_PIPELINE_STORE_TEST_FIXTURE_H_

// FtsLoader on its own: the index it builds must be moved into the store,
// not silently replaced by the store's fallback (a rebuild from the stored
// text, correct but as slow as indexing inline). The fallback hides a broken
// move from every test that only looks at the result, so these tests look
// at CopyInto() itself.
#include "store/fts_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "echotrace/store.h"
#include "store/store_internal.h"
#include "store/store_test_util.h"
#include "util/str_cat.h"

namespace echotrace::store_internal {
namespace {

using testing::RawDb;
using testing::TempDir;

// Runs the test body with `dir` as the working directory, so that a store
// can be named by a relative path such as "file:x.db".
class InDirectory {
 public:
  explicit InDirectory(const std::string& dir) : old_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  ~InDirectory() { std::filesystem::current_path(old_); }
  InDirectory(const InDirectory&) = delete;
  InDirectory& operator=(const InDirectory&) = delete;

 private:
  std::filesystem::path old_;
};

// A store holding `n` small documents, with meta.fts_pending set and its
// full-text index emptied, as an initial load leaves it before the move.
void MakePendingStore(const std::string& path, int n) {
  auto store = Store::Open(path, OpenMode::kReadWrite);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::vector<Document> docs;
  for (int i = 0; i < n; ++i) {
    Document d;
    d.ext_id = StrCat("d", i);
    d.text = StrCat("post number ", i) + (i % 3 == 0 ? " about the harbour" : "");
    if (i % 5 == 0) d.title = StrCat("headline ", i);
    docs.push_back(std::move(d));
  }
  ASSERT_TRUE((*store)->WriteBatch(0, docs, {}, nullptr).ok());
  ASSERT_EQ(sqlite3_exec(store_internal::Handle((*store)),
                         "INSERT INTO docs_fts(docs_fts) VALUES ('delete-all'); "
                         "INSERT INTO meta(key, value) VALUES ('fts_pending', '1')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
}

void LoadAndMove(const std::string& path, int n) {
  auto loader = FtsLoader::Start(path);
  ASSERT_TRUE(loader.ok()) << loader.status().ToString();
  (*loader)->Committed(n);
  ASSERT_TRUE((*loader)->Wait().ok());
  bool copied = false;
  Status st = (*loader)->CopyInto(path, &copied);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(copied);
}

void ExpectIndexed(const std::string& path, int n) {
  RawDb db(path);
  EXPECT_EQ(db.One("SELECT count(*) FROM meta WHERE key = 'fts_pending'"), "0");
  EXPECT_EQ(db.Exec("INSERT INTO docs_fts(docs_fts) VALUES ('integrity-check')"), SQLITE_OK);
  EXPECT_EQ(db.One("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH 'harbour'"),
            std::to_string((n + 2) / 3));
  EXPECT_EQ(db.One("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH 'title:headline'"),
            std::to_string((n + 4) / 5));
}

TEST(FtsLoaderTest, MovesItsIndexIntoTheStore) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  MakePendingStore(path, 300);
  LoadAndMove(path, 300);
  ExpectIndexed(path, 300);
}

// A relative name starting with "file:" is a plain file for the store
// (SqliteOpenName); the loader's scratch file and its ATTACH must agree.
TEST(FtsLoaderTest, MovesItsIndexForAStoreNamedLikeAUri) {
  TempDir dir;
  InDirectory in(dir.File(""));
  const std::string path = "file:store.db";
  MakePendingStore(path, 120);
  LoadAndMove(path, 120);
  ExpectIndexed("./" + path, 120);
  EXPECT_FALSE(std::filesystem::exists("store.db"));  // nothing went to a URI's file
}

// Nothing to move when another process rebuilt the index meanwhile.
TEST(FtsLoaderTest, LeavesAStoreWithoutPendingIndexAlone) {
  TempDir dir;
  const std::string path = dir.File("store.db");
  MakePendingStore(path, 50);
  auto loader = FtsLoader::Start(path);
  ASSERT_TRUE(loader.ok()) << loader.status().ToString();
  (*loader)->Committed(50);
  ASSERT_TRUE((*loader)->Wait().ok());
  {
    RawDb db(path);
    ASSERT_EQ(db.Exec("INSERT INTO docs_fts(docs_fts) VALUES ('rebuild'); "
                      "DELETE FROM meta WHERE key = 'fts_pending'"),
              SQLITE_OK);
  }
  bool copied = true;
  EXPECT_TRUE((*loader)->CopyInto(path, &copied).ok());
  EXPECT_FALSE(copied);
  ExpectIndexed(path, 50);
}

}  // namespace
}  // namespace echotrace::store_internal

// Store maintenance verbs: `upgrade` opens a store for writing and closes it,
// which is everything the reading verbs leave to a writer (they never write,
// so they work on read-only media): the upgrade of an older schema version,
// the indexes and the full-text index a killed load left unfinished, and
// the merge of the write-ahead log into the store file.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "echotrace/store.h"
#include "verbs.h"

namespace echotrace::cli {

namespace {

Status RunUpgrade(const std::string& db) {
  {
    std::error_code ec;
    if (!std::filesystem::exists(db, ec)) {
      return Status::NotFound(db + ": no such store");
    }
  }
  ET_ASSIGN_OR_RETURN(auto store, Store::Open(db, OpenMode::kReadWrite));
  store.reset();  // closing the last connection merges the write-ahead log
  std::fprintf(stderr, "upgrade: %s is a store of schema version %d with its indexes complete\n",
               db.c_str(), kSchemaVersion);
  return Status::OK();
}

}  // namespace

void AddStoreVerbs(CLI::App& app, std::vector<Verb>& verbs) {
  auto db = std::make_shared<std::string>();
  CLI::App* upgrade = app.add_subcommand(
      "upgrade",
      "Bring a store up to this version and finish what an interrupted writer left (indexes, "
      "full-text index, write-ahead log), so that reading verbs can use it on read-only media.");
  upgrade->add_option("--db", *db, "store file")->required();
  verbs.push_back({upgrade, [db] { return RunUpgrade(*db); }, false});
}

}  // namespace echotrace::cli

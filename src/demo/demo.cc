// WriteDemoCorpus(): builds the demo corpus in memory (corpus.h), renders it
// (render.h) and writes the files. Only this file touches the disk.
//
// Rerunning into the same directory replaces the files; article files of an
// earlier run that this run does not write (a different seed or scale) are
// removed, but only names the generator itself produces ("NNNN-<outlet>.ext"
// under articles/), so that nothing a user put there is deleted.
#include "echotrace/demo.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

#include "demo/corpus.h"
#include "demo/render.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;

Status WriteFile(const fs::path& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return Status::IOError(path.string() + ": cannot create file: " + std::strerror(errno));
  }
  const size_t n = std::fwrite(bytes.data(), 1, bytes.size(), f);
  const int err = n == bytes.size() ? 0 : errno;
  if (std::fclose(f) != 0 || n != bytes.size()) {
    return Status::IOError(path.string() + ": write failed: " + std::strerror(err ? err : errno));
  }
  return Status::OK();
}

Status MakeDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    return Status::IOError(dir.string() + ": cannot create directory: " +
                           (ec ? ec.message() : "a file is in the way"));
  }
  return Status::OK();
}

// True for "NNNN-<lower-case slug>.html|txt|md", the names AssignIds() makes.
// (Hand-written: std::regex trips GCC 12 warnings in sanitizer builds.)
bool IsGeneratedArticleName(const std::string& name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || name.size() < 7 || name[4] != '-') return false;
  const std::string ext = name.substr(dot + 1);
  if (ext != "html" && ext != "txt" && ext != "md") return false;
  for (size_t i = 0; i < 4; ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
  }
  for (size_t i = 5; i < dot; ++i) {
    if ((name[i] < 'a' || name[i] > 'z') && name[i] != '-') return false;
  }
  return dot > 5;
}

void RemoveStaleArticles(const fs::path& dir, const std::set<std::string>& keep) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file(ec) && IsGeneratedArticleName(name) &&
        !keep.count("articles/" + name)) {
      fs::remove(entry.path(), ec);
    }
  }
}

}  // namespace

Status WriteDemoCorpus(const DemoOptions& options, DemoSummary* summary) {
  if (options.out_dir.empty()) {
    return Status::InvalidArgument("demo: no output directory given; pass --out DIR");
  }
  const demo::Rendered r = demo::Render(demo::BuildCorpus(options));
  const fs::path root(options.out_dir);
  ET_RETURN_IF_ERROR(MakeDir(root / "articles"));
  std::set<std::string> written;
  DemoSummary s = r.summary;
  for (const auto& f : r.files) {
    const fs::path p = root / f.path;
    ET_RETURN_IF_ERROR(WriteFile(p, f.bytes));
    written.insert(f.path);
    s.files.push_back(p.string());
  }
  RemoveStaleArticles(root / "articles", written);
  s.inputs = {(root / "chirp_posts.jsonl").string(), (root / "forum.csv").string(),
              (root / "articles").string()};
  s.ground_truth_path = (root / "ground_truth.json").string();
  s.claims_path = (root / "claims.jsonl").string();
  if (summary != nullptr) *summary = std::move(s);
  return Status::OK();
}

}  // namespace echotrace

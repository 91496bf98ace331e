// Format names, format detection and expansion of input paths.
//
// DetectFormat trusts a known extension first (after dropping .gz / .zst),
// because users name files for what they are; ".txt" is the exception: many
// tab-separated data sets ship as .txt, so a .txt whose first two lines have
// the same number (>= 1) of tabs is read as TSV, and a .csv whose first line
// has tabs but no comma is read as TSV too. Without a telling extension
// the content decides, in this order: '{' or '[' → JSONL; '<' and an html,
// head, body or doctype tag in the first KB → HTML; a tab in the first line
// → TSV; a first record of >= 2 CSV fields, each a plausible column name (at
// most 64 bytes, no line break), and a second record, when the head holds
// one, with as many fields → CSV; anything else → text.
//
// ExpandInputs walks directories with std::filesystem and keeps only files
// whose extension is one the readers know (kKnownExtensions, optionally
// followed by .gz/.gzip/.zst/.zstd, case-insensitive), so that a directory
// of data next to README files and images reads cleanly. Files named
// explicitly are always kept.
#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <optional>
#include <system_error>

#include "ingest/readers.h"

namespace echotrace {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Lower-cased file name without a compression suffix.
std::string BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string name = Lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
  for (std::string_view z : {".gz", ".gzip", ".zst", ".zstd"}) {
    if (EndsWith(name, z)) {
      name.resize(name.size() - z.size());
      break;
    }
  }
  return name;
}

struct ExtFormat {
  std::string_view ext;
  Format format;
};
constexpr std::array<ExtFormat, 11> kKnownExtensions = {{
    {".jsonl", Format::kJsonl},
    {".ndjson", Format::kJsonl},
    {".json", Format::kJsonl},
    {".csv", Format::kCsv},
    {".tsv", Format::kTsv},
    {".txt", Format::kText},
    {".md", Format::kText},
    {".markdown", Format::kText},
    {".html", Format::kHtml},
    {".htm", Format::kHtml},
    {".xhtml", Format::kHtml},
}};

std::optional<Format> FormatFromExtension(std::string_view path) {
  std::string name = BaseName(path);
  for (const ExtFormat& e : kKnownExtensions) {
    if (EndsWith(name, e.ext) && name.size() > e.ext.size()) return e.format;
  }
  return std::nullopt;
}

std::string_view FirstLine(std::string_view s, size_t from = 0) {
  if (from >= s.size()) return {};
  size_t nl = s.find('\n', from);
  return s.substr(from, nl == std::string_view::npos ? s.size() - from : nl - from);
}

// Two lines with the same number of tabs, at least one.
bool LooksLikeTsv(std::string_view head) {
  std::string_view l1 = FirstLine(head);
  if (l1.size() == head.size()) return false;  // need a second line to be sure
  std::string_view l2 = FirstLine(head, l1.size() + 1);
  auto tabs1 = std::count(l1.begin(), l1.end(), '\t');
  return tabs1 > 0 && tabs1 == std::count(l2.begin(), l2.end(), '\t');
}

bool LooksLikeHtml(std::string_view head) {
  std::string h = Lower(head.substr(0, 1024));
  for (std::string_view tag : {"<!doctype html", "<html", "<head", "<body"}) {
    if (h.find(tag) != std::string::npos) return true;
  }
  return false;
}

bool LooksLikeCsv(std::string_view head) {
  CsvCells cells;
  size_t used = 0;
  // Parse as if at eof: a header cut by the 64 KB limit is no header anyway.
  if (ParseCsvRecord(head, true, ',', &cells, &used) != CsvParse::kRecord || cells.n < 2) {
    return false;
  }
  for (size_t i = 0; i < cells.n; ++i) {
    const std::string& c = cells.v[i];
    if (c.size() > 64 || c.find('\n') != std::string::npos) return false;
  }
  const size_t header_fields = cells.n;
  std::string_view rest = head.substr(used);
  if (rest.empty()) return true;
  if (ParseCsvRecord(rest, false, ',', &cells, &used) != CsvParse::kRecord) return true;
  return cells.n == header_fields;
}

bool HasKnownExtension(std::string_view path) { return FormatFromExtension(path).has_value(); }

}  // namespace

const char* FormatName(Format f) {
  switch (f) {
    case Format::kAuto:
      return "auto";
    case Format::kJsonl:
      return "jsonl";
    case Format::kCsv:
      return "csv";
    case Format::kTsv:
      return "tsv";
    case Format::kText:
      return "text";
    case Format::kHtml:
      return "html";
  }
  return "auto";
}

Result<Format> ParseFormat(std::string_view name) {
  for (Format f :
       {Format::kAuto, Format::kJsonl, Format::kCsv, Format::kTsv, Format::kText, Format::kHtml}) {
    if (name == FormatName(f)) return f;
  }
  return Status::InvalidArgument("unknown format '" + std::string(name) +
                                 "'; choose one of auto, jsonl, csv, tsv, text, html");
}

Format DetectFormat(std::string_view path, std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  if (std::optional<Format> f = FormatFromExtension(path)) {
    if (*f == Format::kText && EndsWith(BaseName(path), ".txt") && LooksLikeTsv(head)) {
      return Format::kTsv;
    }
    std::string_view first = FirstLine(head);
    if (*f == Format::kCsv && first.find(',') == std::string_view::npos &&
        first.find('\t') != std::string_view::npos) {
      return Format::kTsv;  // tab-separated data named .csv (STS benchmark)
    }
    return *f;
  }
  size_t start = head.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return Format::kText;
  char c = head[start];
  if (c == '{' || c == '[') return Format::kJsonl;
  if (c == '<') return LooksLikeHtml(head) ? Format::kHtml : Format::kText;
  if (FirstLine(head).find('\t') != std::string_view::npos) return Format::kTsv;
  if (FirstLine(head).find(',') != std::string_view::npos && LooksLikeCsv(head)) {
    return Format::kCsv;
  }
  return Format::kText;
}

Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& paths,
                                              std::vector<std::string>* skipped) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    if (path == "-") {
      out.push_back(path);
      continue;
    }
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      out.push_back(path);  // let OpenReader report the OS error
      continue;
    }
    if (!fs::exists(st)) {
      return Status::NotFound("input '" + path + "' does not exist; check the path");
    }
    if (!fs::is_directory(st)) {
      out.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    const size_t skipped_before = skipped != nullptr ? skipped->size() : 0;
    fs::recursive_directory_iterator it(path, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      auto skip = [&](const char* why) {
        if (skipped != nullptr) skipped->push_back(it->path().string() + ": " + why);
      };
      std::error_code fec;
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory(ec)) {
          it.disable_recursion_pending();
          skip("hidden folder (its name starts with '.'), not walked");
        } else {
          skip("hidden file (its name starts with '.')");
        }
        continue;
      }
      if (it->is_directory(fec)) {
        if (it->is_symlink(fec)) skip("symbolic link to a folder, not followed");
        continue;
      }
      if (!it->is_regular_file(fec)) {
        skip("not a regular file");
      } else if (!HasKnownExtension(name)) {
        skip(
            "extension not read in a folder (.jsonl .ndjson .json .csv .tsv .txt .md "
            ".markdown .html .htm .xhtml, optionally .gz/.zst); name the file itself, with "
            "--format if needed, to read it");
      } else {
        found.push_back(it->path().string());
      }
    }
    if (ec) {
      return Status::IOError("cannot list directory '" + path + "': " + ec.message());
    }
    std::sort(found.begin(), found.end());  // std::string compares bytes
    if (skipped != nullptr) std::sort(skipped->begin() + skipped_before, skipped->end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace echotrace

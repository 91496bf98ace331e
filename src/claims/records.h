// Reading claims and posts to match from any input the readers accept.
//
// Each input record becomes a MatchRecord through the ingest readers
// (src/ingest, any format, compressed or not) and the field map
// (pipeline/field_map.h), with the names the CheckThat! data uses added:
// vclaim_id → id, vclaim → text, and subtitle / date kept. A CSV or TSV file
// whose first row names no id or text column is read without a header as
// id, text[, title, ...]: the CheckThat! query files are "id<TAB>text".
// ("-", standard input, is read once, so there the first row is a header.)
// An `embedding` field holding a JSON array of numbers is a user-supplied
// vector (similarity.h).
#ifndef ECHOTRACE_CLAIMS_RECORDS_H_
#define ECHOTRACE_CLAIMS_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "echotrace/document.h"
#include "echotrace/status.h"

namespace echotrace::claims {

struct MatchRecord {
  std::string id;
  std::string text;
  std::string title;
  std::string subtitle;
  std::optional<int64_t> day;  // days since 1970-01-01 from the time/date field
  std::vector<float> embedding;
  std::string file;
  uint64_t line = 0;
};

struct ReadResult {
  std::vector<MatchRecord> records;
  // Records that could not be used (malformed line, no id, no text, bad
  // embedding), each with file, line and reason. They are skipped.
  std::vector<Reject> rejects;
  size_t ids_from_lines = 0;  // records named by their line (ReadMatchOptions)
};

struct ReadMatchOptions {
  // ingest's --map flags ("text=content", "id=tweet_id"): an explicit map
  // wins over the default names (pipeline/field_map.h).
  std::vector<std::string> map;
  // A record without an id is named by its line ("line:12") instead of
  // being rejected: posts to match often have no id column (the IRA CSV).
  bool ids_from_lines = false;
};

// Reads every record of `path`. Errors: NotFound / IOError when the file
// cannot be opened or read; InvalidArgument for a bad --map. Malformed
// records are rejects, not errors.
Result<ReadResult> ReadMatchRecords(const std::string& path, const ReadMatchOptions& options);
inline Result<ReadResult> ReadMatchRecords(const std::string& path) {
  return ReadMatchRecords(path, ReadMatchOptions{});
}

// Parses "[0.1, -2, 3e-1]" into floats; nullopt unless it is a JSON array
// of finite numbers.
std::optional<std::vector<float>> ParseEmbedding(const std::string& json);

}  // namespace echotrace::claims

#endif  // ECHOTRACE_CLAIMS_RECORDS_H_

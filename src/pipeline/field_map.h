// Field mapping: raw records (whatever the input called its columns) onto
// the canonical document fields of DESIGN.md.
//
// Each canonical field has a list of common names, tried in order and
// compared case-insensitively ("content", "body", "full_text" → text;
// "author_id", "screen_name" → author; ...). An explicit --map wins over the
// list. The first candidate present with a non-empty value is used. Fields
// that map onto nothing are kept as the document's extra JSON.
#ifndef ECHOTRACE_PIPELINE_FIELD_MAP_H_
#define ECHOTRACE_PIPELINE_FIELD_MAP_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/document.h"
#include "echotrace/status.h"
#include "ingest/reader.h"
#include "util/json.h"

namespace echotrace {

enum class Field { kId, kText, kAuthor, kTime, kSource, kUrl, kParent, kTitle, kLang, kCount };

// "id", "text", ...
const char* FieldName(Field f);

// The common column names recognised for `f`, in order of preference.
const std::vector<std::string>& DefaultFieldNames(Field f);

struct MappedRecord {
  // The value of each canonical field ("" when absent), before normalisation.
  std::array<std::string, static_cast<size_t>(Field::kCount)> values;
  std::string extra_json;  // unmapped fields as a JSON object, or ""

  const std::string& get(Field f) const { return values[static_cast<size_t>(f)]; }
};

// Per-thread memo of how the last seen set of column names maps onto the
// canonical fields. CSV files repeat one set of names on every row, so the
// name matching runs once per file rather than once per record.
struct MapPlan {
  std::vector<std::string> names;  // the column names this plan was made for
  // For each canonical field, the candidate column indices in preference
  // order (default lists: first non-blank wins; --map: all are joined).
  std::array<std::vector<int>, static_cast<size_t>(Field::kCount)> candidates;
};

class FieldMapper {
 public:
  // Parses --map flags ("text=content", "text=title+body"). InvalidArgument
  // for an unknown field name or a malformed flag, saying the accepted form.
  static Result<FieldMapper> Create(const std::vector<std::string>& map_flags);

  // Maps one record. Never fails: a record without text is returned with an
  // empty text, for the caller to reject. Thread-safe (const) as long as each
  // thread passes its own `plan` (which may start empty).
  MappedRecord Map(const RawRecord& record, MapPlan* plan) const;

  // Checks every --map column against a file's header `columns` (CSV/TSV,
  // where every record has all of them). InvalidArgument naming the flag,
  // the missing column, `file` and the header's columns when one is absent
  // (compared case-insensitively, as Map does); OK otherwise.
  Status CheckColumns(const std::vector<std::string>& columns, std::string_view file) const;

  // The field names that were looked for as `f` ("content, body, ..."), for
  // error messages.
  std::string Describe(Field f) const;

 private:
  void BuildPlan(const RawRecord& record, MapPlan* plan) const;
  std::array<std::vector<std::string>, static_cast<size_t>(Field::kCount)> explicit_;
};

}  // namespace echotrace

#endif  // ECHOTRACE_PIPELINE_FIELD_MAP_H_

// The normalizer: one mapped record → one canonical Document (or a reject).
//
// It repairs UTF-8, parses the time, settles the language (the input's own
// tag when it names a language, CLD2 otherwise), extracts entities, hashes
// the matching form of the text and, for inputs without ids, derives the
// content-hash ext_id (docs/schema.md states the exact definition; it is
// persisted, so changing it is a schema change).
#ifndef ECHOTRACE_PIPELINE_NORMALIZER_H_
#define ECHOTRACE_PIPELINE_NORMALIZER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/document.h"
#include "pipeline/field_map.h"

namespace echotrace {

struct NormalizeResult {
  bool ok = false;  // false: `reject_reason` says why
  std::string reject_reason;
  std::vector<std::string> warnings;  // kept record, but something is off
  size_t invalid_utf8 = 0;            // replaced sequences in all fields
  size_t nul_bytes = 0;               // NUL bytes dropped from all fields
};

// Fills *doc from `rec`. `source_override` (when non-empty) replaces any
// source; otherwise the record's source field, else the host of its URL,
// else `default_source`. A content-hash ext_id is derived from the latter
// (the record's own source) even when `source_override` is given, so that
// relabelling a rerun with --source does not make new ids. `text_fields`
// describes where text was looked for (for the reject message). Thread-safe.
// `default_time` (ingest --time), when set, becomes the time of a record
// whose own time is missing or unreadable, with "time_from": "--time" added
// to its extra; the content-hash id is derived from the record's own time, so
// a rerun with or without --time finds the same ids.
NormalizeResult NormalizeRecord(const MappedRecord& rec, std::string_view source_override,
                                std::string_view default_source, std::string_view text_fields,
                                Document* doc, std::optional<int64_t> default_time = {});

// The host of an absolute URL, lower-cased, without "www." and port;
// "" when `url` has no scheme.
std::string UrlHost(std::string_view url);

// Maps a language tag or name onto ISO 639-1: "en", "en-US", "EN" → "en";
// "English" → "en", "Russian" → "ru"; "" for anything unrecognised.
std::string NormalizeLangTag(std::string_view tag);

// The ext_id of a record without an id: "h:" + 16 lower-case hex digits of
// XXH3-64 over source, author, time, parent and text (separated by 0x1F).
std::string ContentHashId(const Document& doc);
// The same with `source` in place of doc.source (NormalizeRecord passes the
// record's own source when --source relabels it).
std::string ContentHashId(const Document& doc, std::string_view source);

}  // namespace echotrace

#endif  // ECHOTRACE_PIPELINE_NORMALIZER_H_

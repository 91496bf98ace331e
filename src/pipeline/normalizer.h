// The normalizer: one mapped record → one canonical Document (or a reject).
//
// It repairs UTF-8, parses the time, settles the language (the input's own
// tag when it names a language, CLD2 otherwise), extracts entities, hashes
// the matching form of the text and, for inputs without ids, derives the
// content-hash ext_id (docs/schema.md states the exact definition; it is
// persisted, so changing it is a schema change).
#ifndef ECHOTRACE_PIPELINE_NORMALIZER_H_
#define ECHOTRACE_PIPELINE_NORMALIZER_H_

#include <string>
#include <string_view>
#include <vector>

#include "echotrace/document.h"
#include "pipeline/field_map.h"

namespace echotrace {

struct NormalizeResult {
  bool ok = false;              // false: `reject_reason` says why
  std::string reject_reason;
  std::vector<std::string> warnings;  // kept record, but something is off
  size_t invalid_utf8 = 0;      // replaced sequences in all fields
};

// Fills *doc from `rec`. `source_override` (when non-empty) replaces any
// source; otherwise the record's source field, else the host of its URL,
// else `default_source`. `text_fields`
// describes where text was looked for (for the reject message). Thread-safe.
NormalizeResult NormalizeRecord(const MappedRecord& rec, std::string_view source_override,
                                std::string_view default_source, std::string_view text_fields,
                                Document* doc);

// The host of an absolute URL, lower-cased, without "www." and port;
// "" when `url` has no scheme.
std::string UrlHost(std::string_view url);

// Maps a language tag or name onto ISO 639-1: "en", "en-US", "EN" → "en";
// "English" → "en", "Russian" → "ru"; "" for anything unrecognised.
std::string NormalizeLangTag(std::string_view tag);

// The ext_id of a record without an id: "h:" + 16 lower-case hex digits of
// XXH3-64 over source, author, time, parent and text (separated by 0x1F).
std::string ContentHashId(const Document& doc);

}  // namespace echotrace

#endif  // ECHOTRACE_PIPELINE_NORMALIZER_H_

// The canonical document: what every reader's record is mapped onto and what
// the store keeps (DESIGN.md, "Canonical input"). Plain value types; no
// behaviour lives here.
#ifndef ECHOTRACE_DOCUMENT_H_
#define ECHOTRACE_DOCUMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace echotrace {

// Kinds of entity extracted from post text into the `entities` table.
enum class EntityKind : int { kUrl = 1, kMention = 2, kHashtag = 3 };

// "url", "mention", "hashtag".
const char* EntityKindName(EntityKind k);

// A URL, @mention or #hashtag found in a document's text.
struct Entity {
  EntityKind kind = EntityKind::kUrl;
  // Normalised value: URLs per NormalizeUrl (text/entities.h); mentions and
  // hashtags case-folded, without the leading '@' / '#'.
  std::string value;
  // Half-open byte offsets [start, end) into Document::text, covering the
  // entity as written (including '@' / '#').
  uint32_t start = 0;
  uint32_t end = 0;

  bool operator==(const Entity&) const = default;
};

struct Document {
  // The input's id; when the input has none, "h:" + 16 hex digits of the
  // content hash (see docs/schema.md). Unique within a store.
  std::string ext_id;
  // True when ext_id is the content hash (the input had no id). Decides how
  // a clash with a stored ext_id is read: see Store::WriteBatch.
  bool ext_id_derived = false;
  std::string source;  // outlet, platform or file the item came from
  std::string author;
  std::optional<int64_t> time;  // unix seconds, UTC; empty when unknown
  std::string parent;           // ext_id of the post replied to or reposted
  std::string url;
  std::string title;
  std::string lang;  // ISO 639-1 code, or "und" when unknown
  // The input's own language value as it gave it ("English", "LANGUAGE
  // UNDEFINED", "en-GB"), next to `lang`; empty when it gave none. Written
  // to docs.input_lang; not read back by the Store's document readers.
  std::string input_lang;
  std::string text;  // the original text, valid UTF-8 (verbatim but for
                     // invalid sequences, replaced with U+FFFD)
  // Input fields that map onto no canonical field, as one JSON object
  // ({"post_type":"R","region":"US"}); empty when there are none. Kept so
  // that nothing the user gave is lost and later detectors can use them.
  std::string extra_json;

  // Derived at ingest, stored beside the document.
  uint64_t norm_hash = 0;  // XXH3-64 of the matching form of text (NFKC +
                           // case fold + collapsed white space)
  std::vector<Entity> entities;

  // Provenance: where the record was read.
  std::string origin_file;
  uint64_t origin_line = 0;  // 1-based line (or record) number
};

// A record the readers could not turn into a document. Nothing a user gave
// is silently dropped: every reject is stored and counted.
struct Reject {
  std::string file;
  uint64_t line = 0;   // 1-based line of the record's start; 0 = whole file
  std::string reason;  // what is wrong and what to do about it
  std::string raw;     // the first bytes of the offending input (<= 256)
};

}  // namespace echotrace

#endif  // ECHOTRACE_DOCUMENT_H_

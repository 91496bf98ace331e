// The normalizer. All figures derived here are deterministic functions of the
// record: the same input always yields byte-identical documents, whatever
// the thread that handled it.
#include "pipeline/normalizer.h"

#include <xxhash.h>

#include <cstdio>

#include "text/entities.h"
#include "text/langid.h"
#include "text/normalize.h"
#include "text/time_parse.h"
#include "text/utf8.h"

namespace echotrace {

namespace {

std::string Trimmed(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string UrlHost(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view hostport = rest.substr(0, end);
  size_t at = hostport.rfind('@');
  if (at != std::string_view::npos) hostport.remove_prefix(at + 1);
  size_t colon = hostport.find(':');
  std::string host(hostport.substr(0, colon));
  for (char& c : host) c = Lower(c);
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  return host;
}

std::string NormalizeLangTag(std::string_view tag) {
  std::string t;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    t.push_back(Lower(c));
  }
  if (t.size() == 2 && t[0] >= 'a' && t[0] <= 'z' && t[1] >= 'a' && t[1] <= 'z') return t;
  static const struct {
    const char* name;
    const char* code;
  } kNames[] = {
      {"english", "en"},   {"russian", "ru"},   {"ukrainian", "uk"},  {"german", "de"},
      {"french", "fr"},    {"spanish", "es"},   {"italian", "it"},    {"portuguese", "pt"},
      {"polish", "pl"},    {"arabic", "ar"},    {"chinese", "zh"},    {"japanese", "ja"},
      {"turkish", "tr"},   {"dutch", "nl"},     {"belarusian", "be"}, {"romanian", "ro"},
      {"serbian", "sr"},   {"bulgarian", "bg"}, {"czech", "cs"},      {"swedish", "sv"},
      {"finnish", "fi"},   {"estonian", "et"},  {"latvian", "lv"},    {"lithuanian", "lt"},
      {"hungarian", "hu"}, {"georgian", "ka"},  {"armenian", "hy"},   {"kazakh", "kk"},
      {"farsi", "fa"},     {"persian", "fa"},   {"hebrew", "he"},     {"greek", "el"},
      {"korean", "ko"},    {"hindi", "hi"},     {"indonesian", "id"}, {"vietnamese", "vi"},
      {"norwegian", "no"}, {"danish", "da"},    {"croatian", "hr"},   {"slovak", "sk"}};
  for (const auto& n : kNames) {
    if (t == n.name) return n.code;
  }
  return "";
}

std::string ContentHashId(const Document& doc) { return ContentHashId(doc, doc.source); }

std::string ContentHashId(const Document& doc, std::string_view source) {
  // A per-thread key buffer: this runs for every post of an input without
  // ids, and the key holds the whole text.
  thread_local std::string key;
  key.clear();
  key += source;
  key += '\x1f';
  key += doc.author;
  key += '\x1f';
  if (doc.time) key += std::to_string(*doc.time);
  key += '\x1f';
  key += doc.parent;
  key += '\x1f';
  key += doc.text;
  uint64_t h = XXH3_64bits(key.data(), key.size());
  if (key.capacity() > (size_t{1} << 20)) std::string().swap(key);  // after a huge post
  std::string id = "h:0000000000000000";
  for (size_t i = id.size(); i > 2; --i, h >>= 4) id[i - 1] = "0123456789abcdef"[h & 0xF];
  return id;
}

namespace {

// Appends "key": "value" to a JSON object text ("" is an empty object).
void AddExtra(std::string_view key, std::string_view value, std::string* extra) {
  std::string entry = extra->empty() ? "{" : extra->substr(0, extra->size() - 1) + ",";
  AppendJsonString(key, &entry);
  entry += ':';
  AppendJsonString(value, &entry);
  entry += '}';
  *extra = std::move(entry);
}

}  // namespace

NormalizeResult NormalizeRecord(const MappedRecord& rec, std::string_view source_override,
                                std::string_view default_source, std::string_view text_fields,
                                Document* doc, std::optional<int64_t> default_time) {
  NormalizeResult r;
  auto clean = [&r](const std::string& s) {
    size_t bad = 0;
    std::string out = SanitizeUtf8(s, &bad, &r.nul_bytes);
    r.invalid_utf8 += bad;
    return out;
  };
  doc->text = clean(rec.get(Field::kText));
  if (Trimmed(doc->text).empty()) {
    r.reject_reason = "record has no text: every text field it could come from (" +
                      std::string(text_fields) +
                      ") is missing or empty; if the text is in another column, name it with "
                      "--map text=COLUMN";
    return r;
  }
  doc->author = Trimmed(clean(rec.get(Field::kAuthor)));
  doc->parent = Trimmed(clean(rec.get(Field::kParent)));
  doc->url = Trimmed(clean(rec.get(Field::kUrl)));
  doc->title = Trimmed(clean(rec.get(Field::kTitle)));
  doc->extra_json = clean(rec.extra_json);
  // The record's own source: its source field, else (an article's outlet is
  // best told by its URL's host) the URL's host, else the default. The
  // content-hash id is derived from it even under --source, which only
  // relabels: a rerun with another --source finds the same ids.
  std::string own_source = Trimmed(clean(rec.get(Field::kSource)));
  if (own_source.empty()) own_source = UrlHost(doc->url);
  if (own_source.empty()) own_source = std::string(default_source);

  const std::string& time_raw = rec.get(Field::kTime);
  doc->time.reset();
  if (!Trimmed(time_raw).empty()) {
    doc->time = ParseTime(time_raw);
    if (!doc->time) {
      std::string shown = SanitizeUtf8(time_raw.substr(0, 64), nullptr);  // counted below
      r.warnings.push_back("time '" + shown +
                           "' not understood; stored as unknown (kept in extra as time_raw). "
                           "Accepted: ISO 8601, 'YYYY-MM-DD HH:MM:SS', RFC 2822, unix seconds "
                           "or milliseconds");
      // Keep the raw value so nothing is lost.
      AddExtra("time_raw", clean(time_raw), &doc->extra_json);
    }
  }

  doc->input_lang = Trimmed(clean(rec.get(Field::kLang)));
  doc->lang = NormalizeLangTag(doc->input_lang);
  if (doc->lang.empty()) doc->lang = DetectLanguage(doc->text).code;

  doc->entities = ExtractEntities(doc->text);
  doc->norm_hash = NormalizedHash(doc->text);

  std::string id = Trimmed(clean(rec.get(Field::kId)));
  doc->ext_id_derived = id.empty();
  doc->ext_id = id.empty() ? ContentHashId(*doc, own_source) : std::move(id);
  doc->source = source_override.empty() ? std::move(own_source) : std::string(source_override);
  if (!doc->time && default_time) {
    doc->time = default_time;
    AddExtra("time_from", "--time", &doc->extra_json);
  }
  r.ok = true;
  return r;
}

}  // namespace echotrace

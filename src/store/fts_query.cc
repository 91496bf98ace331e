// Free text → safe FTS5 query (see fts_query.h).
//
// ParseSearchQuery reads the few operators a researcher types into any
// search box (phrases, exclusion, OR, prefix) with a scanner of its own
// and renders each part as an FTS5 string, so the only FTS5 syntax in the
// result is what RenderFtsQuery writes around them: user text can never
// open a column filter, NEAR group or parenthesis.
//
// Terms are OR-ed rather than AND-ed: a claim pasted as a query rarely has
// all its words in a short post, and BM25 already ranks documents matching
// more and rarer terms first. Splitting here is deliberately cruder than
// FTS5's unicode61 tokenizer: inside a quoted string FTS5 re-tokenizes the
// term, so a "term" that holds non-ASCII punctuation becomes a phrase of its
// tokens, which still matches the text as written.
#include "store/fts_query.h"

#include <string>
#include <unordered_set>
#include <utility>

namespace echotrace::store_internal {

namespace {

bool IsWordByte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// The word-byte runs of `text` as [start, end) pairs.
std::vector<std::pair<size_t, size_t>> WordRuns(std::string_view text) {
  std::vector<std::pair<size_t, size_t>> runs;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) runs.emplace_back(start, i);
  }
  return runs;
}

// One item of the query as typed.
struct Item {
  enum Kind { kWords, kPhrase, kOr } kind = kWords;
  bool excluded = false;
  bool prefix = false;  // the last word is a prefix
  std::vector<std::string> words;
};

// FTS5 string of `words` (one word, or a phrase), '"' doubled, " *" for a
// prefix.
std::string Fts5String(const std::vector<std::string>& words, bool prefix) {
  std::string out = "\"";
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ' ';
    for (char c : words[i]) {
      if (c == '"') out += '"';
      out += c;
    }
  }
  out += '"';
  if (prefix) out += " *";
  return out;
}

std::vector<Item> ScanItems(std::string_view text) {
  std::vector<Item> items;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i >= text.size()) break;
    Item it;
    if (text[i] == '-' && i + 1 < text.size() &&
        (text[i + 1] == '"' || IsWordByte(static_cast<unsigned char>(text[i + 1])))) {
      it.excluded = true;
      ++i;
    }
    std::string_view raw;
    if (text[i] == '"') {
      size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) close = text.size();
      raw = text.substr(i + 1, close - i - 1);
      i = std::min(text.size(), close + 1);
      it.kind = Item::kPhrase;
      if (i < text.size() && text[i] == '*') {
        it.prefix = true;
        ++i;
      }
    } else {
      size_t end = i;
      while (end < text.size() && !IsSpace(text[end]) && text[end] != '"') ++end;
      raw = text.substr(i, end - i);
      i = end;
      if (raw == "OR" && !it.excluded) {
        it.kind = Item::kOr;
        items.push_back(std::move(it));
        continue;
      }
    }
    auto runs = WordRuns(raw);
    for (const auto& [b, e] : runs) it.words.emplace_back(raw.substr(b, e - b));
    if (it.kind == Item::kWords && !runs.empty()) {
      size_t last_end = runs.back().second;
      it.prefix = last_end < raw.size() && raw[last_end] == '*';
    }
    if (!it.words.empty()) items.push_back(std::move(it));
  }
  return items;
}

}  // namespace

Result<SearchQuery> ParseSearchQuery(std::string_view text, size_t max_terms) {
  std::vector<Item> items = ScanItems(text);
  for (const Item& it : items) {
    if (it.prefix && it.words.back().size() < kMinPrefixBytes) {
      return Status::InvalidArgument("the prefix '" + it.words.back() + "*' is too short: a " +
                                     "prefix needs at least " + std::to_string(kMinPrefixBytes) +
                                     " letters before the *");
    }
  }
  // Groups of items joined by OR; excluded items and dangling ORs join
  // nothing.
  std::vector<std::vector<const Item*>> groups;
  bool joining = false;
  SearchQuery q;
  size_t parts = 0;
  for (const Item& it : items) {
    if (it.kind == Item::kOr) {
      joining = !groups.empty();
      continue;
    }
    if (it.excluded) {
      if (parts++ < max_terms) q.excluded.push_back(Fts5String(it.words, it.prefix));
      joining = false;
      continue;
    }
    if (joining) {
      groups.back().push_back(&it);
    } else {
      groups.push_back({&it});
    }
    joining = false;
  }
  std::unordered_set<std::string> seen;
  for (const auto& group : groups) {
    if (parts >= max_terms) break;
    bool any_phrase = false;
    for (const Item* it : group) any_phrase = any_phrase || it->kind == Item::kPhrase;
    for (const Item* it : group) {
      for (const std::string& w : it->words)
        q.positive_text += (q.positive_text.empty() ? "" : " ") + w;
    }
    if (any_phrase) {
      std::vector<std::string> alternatives;
      for (const Item* it : group) alternatives.push_back(Fts5String(it->words, it->prefix));
      parts += alternatives.size();
      q.required.push_back(std::move(alternatives));
      continue;
    }
    // Plain words: each word its own optional term, as BuildFtsQuery.
    for (const Item* it : group) {
      for (size_t w = 0; w < it->words.size() && parts < max_terms; ++w) {
        const bool prefix = it->prefix && w + 1 == it->words.size();
        std::string key = AsciiLower(it->words[w]) + (prefix ? "*" : "");
        if (!seen.insert(key).second) continue;
        q.optional.push_back(Fts5String({it->words[w]}, prefix));
        ++parts;
      }
    }
  }
  if (q.empty()) {
    return Status::InvalidArgument(
        q.excluded.empty() ? "the query has no searchable words"
                           : "the query only excludes words (-word): give at least one word or "
                             "\"phrase\" to look for");
  }
  return q;
}

std::string RenderFtsQuery(const SearchQuery& q) {
  auto any_of = [](const std::vector<std::string>& parts) {
    std::string out = "(";
    for (size_t i = 0; i < parts.size(); ++i) out += (i > 0 ? " OR " : "") + parts[i];
    return out + ")";
  };
  std::string out;
  if (q.required.empty()) {
    out = any_of(q.optional);
  } else {
    for (const auto& alternatives : q.required) {
      out += (out.empty() ? "" : " AND ") + any_of(alternatives);
    }
    if (!q.optional.empty()) {
      // Satisfied by every hit (it holds the first required part), so it
      // only lets BM25 count the optional words.
      std::vector<std::string> scored = q.required.front();
      scored.insert(scored.end(), q.optional.begin(), q.optional.end());
      out += " AND " + any_of(scored);
    }
  }
  if (!q.excluded.empty()) out = "(" + out + ") NOT " + any_of(q.excluded);
  return out;
}

std::string BuildFtsQuery(std::string_view text, size_t max_terms) {
  std::string query;
  std::unordered_set<std::string> seen;
  size_t i = 0;
  while (i < text.size() && seen.size() < max_terms) {
    while (i < text.size() && !IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && IsWordByte(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) break;
    std::string_view term = text.substr(start, i - start);
    if (!seen.insert(AsciiLower(term)).second) continue;
    if (!query.empty()) query += " OR ";
    query += '"';
    for (char c : term) {
      if (c == '"') query += '"';  // FTS5 escapes a quote by doubling it
      query += c;
    }
    query += '"';
  }
  return query;
}

}  // namespace echotrace::store_internal

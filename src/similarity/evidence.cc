// Entity evidence; see evidence.h for what counts.
#include "similarity/evidence.h"

#include <algorithm>

#include "similarity/analyzer.h"
#include "text/normalize.h"
#include "text/tokenizer.h"

namespace echotrace::sim {

namespace {

void SortUnique(std::vector<std::string>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// A word is capitalised when case folding changes its first character.
bool Capitalised(std::string_view raw, const std::string& norm) {
  if (raw.empty() || norm.empty()) return false;
  size_t n = 1;
  while (n < raw.size() && (static_cast<unsigned char>(raw[n]) & 0xC0) == 0x80) ++n;
  return NormalizeForMatching(raw.substr(0, n)) != raw.substr(0, n);
}

std::string HostOf(const std::string& url) {
  size_t p = url.find("://");
  size_t b = p == std::string::npos ? 0 : p + 3;
  size_t e = url.find_first_of("/?#", b);
  std::string host = url.substr(b, e == std::string::npos ? std::string::npos : e - b);
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  return host;
}

// Shared items of two sorted lists, each prefixed with `kind:`.
size_t Shared(const std::vector<std::string>& a, const std::vector<std::string>& b,
              const char* kind, std::vector<std::string>* out) {
  size_t n = 0;
  for (const auto& x : a) {
    if (std::binary_search(b.begin(), b.end(), x)) {
      out->push_back(std::string(kind) + ":" + x);
      ++n;
    }
  }
  return n;
}

}  // namespace

Evidence ExtractEvidence(std::string_view text) {
  Evidence ev;
  for (const Token& t : Tokenize(text)) {
    std::string_view raw = text.substr(t.start, t.end - t.start);
    switch (t.kind) {
      case TokenKind::kWord:
        if (t.norm.size() > 1 && !IsStopword(t.norm) && Capitalised(raw, t.norm)) {
          ev.names.push_back(t.norm);
        }
        break;
      case TokenKind::kNumber: {
        std::string n;
        for (char c : t.norm) {
          if (c != ',') n.push_back(c);
        }
        ev.numbers.push_back(std::move(n));
        break;
      }
      case TokenKind::kHashtag:
        ev.tags.push_back(t.norm.substr(1));
        break;
      case TokenKind::kMention:
        ev.handles.push_back(t.norm.substr(1));
        break;
      case TokenKind::kUrl:
        ev.hosts.push_back(HostOf(t.norm));
        break;
      default:
        break;
    }
  }
  SortUnique(&ev.names);
  SortUnique(&ev.numbers);
  SortUnique(&ev.tags);
  SortUnique(&ev.handles);
  SortUnique(&ev.hosts);
  return ev;
}

EvidenceMatch MatchEvidence(const Evidence& query, const Evidence& doc) {
  EvidenceMatch m;
  size_t names = Shared(query.names, doc.names, "name", &m.shared);
  size_t numbers = Shared(query.numbers, doc.numbers, "number", &m.shared);
  size_t other = Shared(query.tags, doc.tags, "tag", &m.shared) +
                 Shared(query.handles, doc.handles, "handle", &m.shared) +
                 Shared(query.hosts, doc.hosts, "host", &m.shared);
  if (!query.names.empty()) m.names = static_cast<double>(names) / query.names.size();
  if (!query.numbers.empty()) m.numbers = static_cast<double>(numbers) / query.numbers.size();
  m.tag_or_link = other > 0;
  return m;
}

}  // namespace echotrace::sim

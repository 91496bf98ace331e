// Post cleaning and loose dates; see post.h.
#include "claims/post.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "text/entities.h"
#include "text/time_parse.h"

namespace echotrace::claims {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int MonthOf(std::string_view w) {
  static const std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  std::string lw;
  for (char c : w) lw.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (!lw.empty() && lw.back() == '.') lw.pop_back();
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (lw == kMonths[i] || (lw.size() >= 3 && kMonths[i].substr(0, lw.size()) == lw)) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

// Words split at white space and commas.
std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (std::isspace(static_cast<unsigned char>(s[i])) || s[i] == ',')) ++i;
    size_t b = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) && s[i] != ',') ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 4) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::optional<int64_t> Civil(int y, int m, int d) {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return DaysFromCivil(y, m, d);
}

void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  for (size_t p = s->find(from); p != std::string::npos; p = s->find(from, p + to.size())) {
    s->replace(p, from.size(), to);
  }
}

// Removes URLs with a scheme or www. (entities.h) and scheme-less links to
// the hosts tweets embed.
std::string RemoveLinks(std::string_view text) {
  std::string out;
  size_t pos = 0;
  for (const EntitySpan& e : FindEntitySpans(text)) {
    if (e.kind != EntityKind::kUrl) continue;
    out.append(text.substr(pos, e.start - pos));
    pos = e.end;
  }
  out.append(text.substr(pos));
  for (std::string_view host : {"pic.twitter.com/", "t.co/", "bit.ly/", "youtu.be/"}) {
    for (size_t p = out.find(host); p != std::string::npos; p = out.find(host, p)) {
      if (p > 0 && !std::isspace(static_cast<unsigned char>(out[p - 1])) && out[p - 1] != '(' &&
          out[p - 1] != '"') {
        p += host.size();
        continue;
      }
      size_t e = p;
      while (e < out.size() && !std::isspace(static_cast<unsigned char>(out[e]))) ++e;
      out.erase(p, e - p);
    }
  }
  return out;
}

}  // namespace

std::optional<int64_t> ParseLooseDay(std::string_view s) {
  s = Trim(s);
  if (s.empty()) return std::nullopt;
  if (auto t = ParseTime(s)) return *t >= 0 ? *t / 86400 : (*t - 86399) / 86400;
  std::vector<std::string_view> w = Words(s);
  if (w.size() != 3) return std::nullopt;
  // Month D YYYY
  if (int m = MonthOf(w[0]); m && AllDigits(w[1]) && AllDigits(w[2])) {
    return Civil(ToInt(w[2]), m, ToInt(w[1]));
  }
  // D Month YYYY
  if (int m = MonthOf(w[1]); m && AllDigits(w[0]) && AllDigits(w[2])) {
    return Civil(ToInt(w[2]), m, ToInt(w[0]));
  }
  return std::nullopt;
}

CleanedPost CleanPost(std::string_view text) {
  CleanedPost p;
  std::string t(Trim(text));
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
    t = t.substr(1, t.size() - 2);
    ReplaceAll(&t, "\"\"", "\"");
  }
  for (auto [from, to] : std::array<std::pair<std::string_view, std::string_view>, 5>{
           {{"&amp;", "&"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&#39;", "'"}}}) {
    ReplaceAll(&t, from, to);
  }
  // The attribution: the last "(@handle)" followed by at most a date.
  size_t open = t.rfind("(@");
  if (open != std::string::npos) {
    size_t close = t.find(')', open);
    std::string_view tail = close == std::string::npos
                                ? std::string_view()
                                : Trim(std::string_view(t).substr(close + 1));
    std::optional<int64_t> day = ParseLooseDay(tail);
    // A handle is letters, digits and '_' (Twitter allows 15; other
    // platforms a few more): "(@a b)" or "(@x (@y)" is text, not a byline.
    const std::string_view handle = close == std::string::npos
                                        ? std::string_view()
                                        : std::string_view(t).substr(open + 2, close - open - 2);
    const bool handle_ok = !handle.empty() && handle.size() <= 50 &&
                           std::all_of(handle.begin(), handle.end(), [](char c) {
                             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                    (c >= '0' && c <= '9') || c == '_';
                           });
    if (close != std::string::npos && handle_ok && (tail.empty() || day)) {
      // The name runs back to the dash that opens the attribution.
      size_t dash = std::string::npos, dash_len = 0;
      for (std::string_view d : {"\xE2\x80\x94", "\xE2\x80\x93", " - "}) {
        size_t q = t.rfind(d, open);
        if (q != std::string::npos && (dash == std::string::npos || q > dash)) {
          dash = q;
          dash_len = d.size();
        }
      }
      if (dash != std::string::npos && open - dash < 200) {
        p.author_name =
            std::string(Trim(std::string_view(t).substr(dash + dash_len, open - dash - dash_len)));
        p.handle = std::string(handle);
        p.day = day;
        t.resize(dash);
      }
    }
  }
  p.body = std::string(Trim(RemoveLinks(t)));
  return p;
}

}  // namespace echotrace::claims

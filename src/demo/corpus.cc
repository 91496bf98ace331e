// Builds the demo corpus in memory (see corpus.h for the document model).
//
// Stages run in a fixed order, each with its own PRNG stream:
//   articles -> quotes -> edited copies -> syndication   (article reuse)
//   coordination -> near-duplicate reposts -> organic posts -> oddities
//   forum -> ids
// Reuse is planted by copying pieces, which carries their passage and
// talking-point marks along; syndication runs last among the article stages
// so that copies of an article also carry the quotes planted in it. The
// organic stages run after the planted ones so that replies and link shares
// can point at planted posts, as they would in real data.
#include "demo/corpus.h"

#include <algorithm>
#include <cstdio>

#include "demo/builder.h"
#include "demo/grammar.h"
#include "demo/lexicon.h"
#include "demo/rng.h"

namespace echotrace::demo {
namespace {

constexpr int64_t kDay = 86400;

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe + era * 400 + (*m <= 2));
}

}  // namespace

std::string Slugify(std::string_view s, size_t max_len) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max_len) break;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string EnsurePeriod(std::string s) {
  if (!s.empty() && s.back() != '.' && s.back() != '!' && s.back() != '?') s.push_back('.');
  return s;
}

int64_t DemoEpoch() { return DaysFromCivil(2026, 2, 2) * kDay; }

std::string FormatTime(int64_t t, char sep, bool zulu) {
  int y, m, d;
  const int64_t days = (t >= 0 ? t : t - (kDay - 1)) / kDay;
  CivilFromDays(days, &y, &m, &d);
  const int64_t s = t - days * kDay;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d%c%02d:%02d:%02d%s", y, m, d, sep,
                static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60), static_cast<int>(s % 60),
                zulu ? "Z" : "");
  return buf;
}

std::string DocText(const Doc& doc, std::vector<std::pair<uint32_t, uint32_t>>* offsets) {
  const bool plain_file = doc.kind == DocKind::kArticle && doc.format != ArticleFormat::kHtml;
  const char* para_sep = plain_file ? "\n\n" : "\n";
  std::string text;
  if (offsets) offsets->clear();
  for (size_t p = 0; p < doc.paras.size(); ++p) {
    if (p > 0) text += para_sep;
    for (size_t i = 0; i < doc.paras[p].size(); ++i) {
      if (i > 0) text += ' ';
      const uint32_t start = static_cast<uint32_t>(text.size());
      text += doc.paras[p][i].text;
      if (offsets) offsets->emplace_back(start, static_cast<uint32_t>(text.size()));
    }
  }
  return text;
}

}  // namespace echotrace::demo

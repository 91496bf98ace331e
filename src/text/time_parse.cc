// Time stamp parsing and formatting, without locale or <ctime>.
//
// Each accepted layout has a small recursive-descent parser over a cursor
// (no allocation, no sscanf, no std::get_time, whose behaviour depends on
// the locale and the C library). Parsers fill a Fields struct; ToUnix then
// range-checks every field (days per month with Gregorian leap years) and
// converts with DaysFromCivil.
//
// DaysFromCivil / CivilFromDays are the era-based algorithms of Howard
// Hinnant, "chrono-Compatible Low-Level Date Algorithms"
// (http://howardhinnant.github.io/date_algorithms.html): shifting the year
// to start in March puts the leap day last, so the day of the year is a
// linear function of the month ((153*m + 2) / 5), and 400-year eras of
// exactly 146097 days make the rest integer arithmetic valid for negative
// years too. time_parse_test.cc checks them against timegm().
#include "text/time_parse.h"

#include <cstdio>

namespace echotrace {
namespace {

constexpr int64_t kMinTime = -2208988800;  // 1900-01-01T00:00:00Z
constexpr int64_t kMaxTime = 7289654399;   // 2200-12-31T23:59:59Z

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    if (Lower(a[k]) != lower[k]) return false;
  }
  return true;
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool AtEnd() const { return i_ >= s_.size(); }
  bool PeekIs(char c) const { return !AtEnd() && s_[i_] == c; }
  bool PeekDigit() const { return !AtEnd() && IsDigit(s_[i_]); }
  bool PeekAlpha() const { return !AtEnd() && IsAlpha(s_[i_]); }
  bool Consume(char c) {
    if (!PeekIs(c)) return false;
    ++i_;
    return true;
  }
  // Reads min_len..max_len decimal digits into *v (stops at max_len).
  bool Digits(int min_len, int max_len, int* v) {
    int n = 0;
    int value = 0;
    while (n < max_len && PeekDigit()) {
      value = value * 10 + (s_[i_++] - '0');
      ++n;
    }
    *v = value;
    return n >= min_len;
  }
  // Skips digits; returns how many.
  size_t SkipDigits() {
    const size_t from = i_;
    while (PeekDigit()) ++i_;
    return i_ - from;
  }
  // Skips white space; returns true if there was any.
  bool SkipSpaces() {
    const size_t from = i_;
    while (!AtEnd() && IsSpace(s_[i_])) ++i_;
    return i_ > from;
  }
  // Reads a run of ASCII letters.
  std::string_view Word() {
    const size_t from = i_;
    while (PeekAlpha()) ++i_;
    return s_.substr(from, i_ - from);
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

struct Fields {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int offset = 0;  // seconds east of UTC
};

std::optional<int64_t> ToUnix(const Fields& f) {
  if (f.year < 1899 || f.year > 2201) return std::nullopt;  // final range check below
  if (f.month < 1 || f.month > 12) return std::nullopt;
  if (f.day < 1 || f.day > DaysInMonth(f.year, f.month)) return std::nullopt;
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
  int second = f.second;
  if (second == 60) {
    if (f.hour != 23 || f.minute != 59) return std::nullopt;  // leap seconds end a day
    second = 59;
  }
  const int64_t t = DaysFromCivil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 +
                    second - f.offset;
  if (t < kMinTime || t > kMaxTime) return std::nullopt;
  return t;
}

// "HH:MM[:SS[.fff]]" (seconds optional when allow_no_seconds).
bool ParseClock(Cursor* c, bool allow_no_seconds, Fields* f) {
  if (!c->Digits(2, 2, &f->hour) || !c->Consume(':') || !c->Digits(2, 2, &f->minute)) {
    return false;
  }
  if (!c->Consume(':')) return allow_no_seconds;
  if (!c->Digits(2, 2, &f->second)) return false;
  if (c->Consume('.') || c->Consume(',')) return c->SkipDigits() > 0;
  return true;
}

// "+HH", "+HHMM", "+HH:MM" (or '-'); hours <= 23, minutes <= 59.
bool ParseOffset(Cursor* c, Fields* f) {
  int sign;
  if (c->Consume('+')) {
    sign = 1;
  } else if (c->Consume('-')) {
    sign = -1;
  } else {
    return false;
  }
  int hh = 0;
  int mm = 0;
  if (!c->Digits(2, 2, &hh)) return false;
  if (c->Consume(':')) {
    if (!c->Digits(2, 2, &mm)) return false;
  } else if (c->PeekDigit()) {
    if (!c->Digits(2, 2, &mm)) return false;
  }
  if (hh > 23 || mm > 59) return false;
  f->offset = sign * (hh * 3600 + mm * 60);
  return true;
}

bool NamedZone(std::string_view name, Fields* f) {
  static constexpr struct {
    std::string_view name;
    int hours;
  } kZones[] = {{"gmt", 0},  {"utc", 0},  {"ut", 0},   {"z", 0},    {"est", -5}, {"edt", -4},
                {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}};
  for (const auto& z : kZones) {
    if (EqualsNoCase(name, z.name)) {
      f->offset = z.hours * 3600;
      return true;
    }
  }
  return false;
}

// A zone: offset or a name.
bool ParseZone(Cursor* c, Fields* f) {
  if (c->PeekIs('+') || c->PeekIs('-')) return ParseOffset(c, f);
  return NamedZone(c->Word(), f);
}

// Index 1..12 of a month name (abbreviated or full), or 0.
int MonthFromName(std::string_view w) {
  static constexpr std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                                 "may",       "june",     "july",     "august",
                                                 "september", "october",  "november", "december"};
  for (int m = 0; m < 12; ++m) {
    if (EqualsNoCase(w, kMonths[m].substr(0, 3)) || EqualsNoCase(w, kMonths[m])) return m + 1;
  }
  return 0;
}

bool IsDayName(std::string_view w) {
  static constexpr std::string_view kDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                               "friday", "saturday", "sunday"};
  for (std::string_view d : kDays) {
    if (EqualsNoCase(w, d.substr(0, 3)) || EqualsNoCase(w, d)) return true;
  }
  return false;
}

// ISO 8601 and "YYYY-MM-DD HH:MM:SS", '/' also allowed between date parts.
std::optional<int64_t> ParseIso(std::string_view s) {
  Cursor c(s);
  Fields f;
  if (!c.Digits(4, 4, &f.year)) return std::nullopt;
  const char sep = c.PeekIs('/') ? '/' : '-';
  if (!c.Consume(sep) || !c.Digits(1, 2, &f.month) || !c.Consume(sep) || !c.Digits(1, 2, &f.day)) {
    return std::nullopt;
  }
  if (c.AtEnd()) return ToUnix(f);
  if (!(c.Consume('T') || c.Consume('t') || c.Consume(' '))) return std::nullopt;
  if (!ParseClock(&c, /*allow_no_seconds=*/true, &f)) return std::nullopt;
  c.SkipSpaces();
  if (!c.AtEnd() && !(c.Consume('Z') || c.Consume('z'))) {
    if (!ParseZone(&c, &f)) return std::nullopt;
  }
  if (!c.AtEnd()) return std::nullopt;
  return ToUnix(f);
}

// "[Thu,] 07 Sep 2017 19:52[:00] [+0000|GMT]".
std::optional<int64_t> ParseRfc2822(std::string_view s) {
  Cursor c(s);
  Fields f;
  if (c.PeekAlpha()) {
    if (!IsDayName(c.Word())) return std::nullopt;
    c.Consume(',');
    c.SkipSpaces();
  }
  if (!c.Digits(1, 2, &f.day) || !c.SkipSpaces()) return std::nullopt;
  f.month = MonthFromName(c.Word());
  if (f.month == 0 || !c.SkipSpaces() || !c.Digits(4, 4, &f.year) || !c.SkipSpaces()) {
    return std::nullopt;
  }
  if (!ParseClock(&c, /*allow_no_seconds=*/true, &f)) return std::nullopt;
  c.SkipSpaces();
  if (!c.AtEnd() && !ParseZone(&c, &f)) return std::nullopt;
  if (!c.AtEnd()) return std::nullopt;
  return ToUnix(f);
}

// "Thu Sep 07 19:52:00 +0000 2017".
std::optional<int64_t> ParseTwitter(std::string_view s) {
  Cursor c(s);
  Fields f;
  if (!IsDayName(c.Word()) || !c.SkipSpaces()) return std::nullopt;
  f.month = MonthFromName(c.Word());
  if (f.month == 0 || !c.SkipSpaces() || !c.Digits(1, 2, &f.day) || !c.SkipSpaces()) {
    return std::nullopt;
  }
  if (!ParseClock(&c, /*allow_no_seconds=*/false, &f) || !c.SkipSpaces()) return std::nullopt;
  if (!ParseZone(&c, &f) || !c.SkipSpaces()) return std::nullopt;
  if (!c.Digits(4, 4, &f.year) || !c.AtEnd()) return std::nullopt;
  return ToUnix(f);
}

// Seconds (<= 11 digits) or milliseconds (12..14 digits), optional fraction.
std::optional<int64_t> ParseEpoch(std::string_view s) {
  size_t n = 0;
  int64_t v = 0;
  while (n < s.size() && IsDigit(s[n])) {
    if (n == 14) return std::nullopt;
    v = v * 10 + (s[n] - '0');
    ++n;
  }
  if (n == 0) return std::nullopt;
  if (n < s.size()) {
    if (s[n] != '.' || n + 1 == s.size()) return std::nullopt;
    for (size_t k = n + 1; k < s.size(); ++k) {
      if (!IsDigit(s[k])) return std::nullopt;
    }
  }
  if (n >= 12) v /= 1000;  // milliseconds; non-negative, so this floors
  if (v > kMaxTime) return std::nullopt;
  return v;
}

}  // namespace

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

int64_t DaysFromCivil(int64_t year, int month, int day) {
  const int64_t y = month <= 2 ? year - 1 : year;  // years start in March
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                          // [0, 399]
  const int64_t mp = (month + 9) % 12;                        // March = 0
  const int64_t doy = (153 * mp + 2) / 5 + day - 1;           // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;  // 719468 days from 0000-03-01 to 1970-01-01
}

void CivilFromDays(int64_t days, int64_t* year, int* month, int* day) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;                                       // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2 ? 1 : 0);
}

std::optional<int64_t> ParseTime(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  if (IsDigit(s[0])) {
    if (s.size() > 4 && IsDigit(s[1]) && IsDigit(s[2]) && IsDigit(s[3]) &&
        (s[4] == '-' || s[4] == '/')) {
      return ParseIso(s);
    }
    if (auto t = ParseEpoch(s)) return t;
    return ParseRfc2822(s);
  }
  if (auto t = ParseRfc2822(s)) return t;
  return ParseTwitter(s);
}

std::string FormatTimeIso(int64_t unix_seconds) {
  // Floor division, so times before 1970 get a positive time of day.
  int64_t days = unix_seconds / 86400;
  int64_t secs = unix_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  int64_t year;
  int month;
  int day;
  CivilFromDays(days, &year, &month, &day);
  char buf[64];
  const int n = std::snprintf(
      buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02dZ", static_cast<long long>(year), month, day,
      static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

}  // namespace echotrace

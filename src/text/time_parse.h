// Parsing the time stamps users' data carries.
#ifndef ECHOTRACE_TEXT_TIME_PARSE_H_
#define ECHOTRACE_TEXT_TIME_PARSE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace echotrace {

// Parses a time into unix seconds, UTC. Accepted (surrounding white space
// ignored, month and day names in any case):
//   ISO 8601: 2017-09-07, 2017-09-07T19:52, 2017-09-07T19:52:00,
//     with fractional seconds ('.' or ','), with 'Z' or ±HH:MM / ±HHMM /
//     ±HH zones (optionally after a space, or "UTC"/"GMT"); a space may
//     replace the 'T'. No zone means UTC.
//   "YYYY-MM-DD HH:MM:SS" (UTC), also with '/' as date separator; month and
//     day may have one digit.
//   RFC 2822: "Thu, 07 Sep 2017 19:52:00 +0000" (day name optional and not
//     checked against the date, seconds optional, zone optional (UTC) or
//     ±HHMM or a name GMT/UTC/UT/Z/EST/EDT/CST/CDT/MST/MDT/PST/PDT).
//   Twitter's created_at: "Thu Sep 07 19:52:00 +0000 2017" (also with a
//     zone name, as date(1) prints it).
//   Unix time: an integer of up to 11 digits is seconds, 12 to 14 digits
//     milliseconds (fractional seconds allowed: "1504813920.5").
// Fractions of a second are truncated. A leap second "23:59:60" reads as
// 23:59:59 (so the date stays the one written).
// Returns nullopt for anything else, for out-of-range fields (month 13,
// Feb 30, 24:00, zone +25:00) and for times outside
// 1900-01-01T00:00:00Z..2200-12-31T23:59:59Z. Thread-safe, allocation-free,
// locale-independent.
std::optional<int64_t> ParseTime(std::string_view s);

// Formats unix seconds as "YYYY-MM-DDTHH:MM:SSZ" (proleptic Gregorian; any
// int64 is accepted, years beyond 9999 get more digits). For every t that
// ParseTime can return, ParseTime(FormatTimeIso(t)) == t.
std::string FormatTimeIso(int64_t unix_seconds);

// Days since 1970-01-01 of a proleptic Gregorian date. Precondition:
// 1 <= month <= 12, 1 <= day <= 31, |year| < 2^40 (no overflow).
int64_t DaysFromCivil(int64_t year, int month, int day);

// Inverse of DaysFromCivil, for any days with |days| < 2^50.
void CivilFromDays(int64_t days, int64_t* year, int* month, int* day);

// 28..31; month in 1..12.
int DaysInMonth(int64_t year, int month);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_TIME_PARSE_H_

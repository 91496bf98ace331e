// Parsing the time stamps users' data carries.
#ifndef ECHOTRACE_TEXT_TIME_PARSE_H_
#define ECHOTRACE_TEXT_TIME_PARSE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace echotrace {

// Parses a time into unix seconds, UTC. Accepted (surrounding white space
// ignored):
//   ISO 8601: 2017-09-07, 2017-09-07T19:52, 2017-09-07T19:52:00,
//     with fractional seconds, with 'Z' or ±HH:MM / ±HHMM / ±HH zones;
//     a space may replace the 'T'. No zone means UTC.
//   "YYYY-MM-DD HH:MM:SS" (UTC), also with '/' as date separator.
//   RFC 2822: "Thu, 07 Sep 2017 19:52:00 +0000" (day name optional, zone
//     names GMT/UTC/UT/EST/EDT/CST/CDT/MST/MDT/PST/PDT).
//   Twitter's created_at: "Thu Sep 07 19:52:00 +0000 2017".
//   Unix time: an integer of up to 11 digits is seconds, 12 to 14 digits
//     milliseconds (fractional seconds allowed: "1504813920.5").
// Returns nullopt for anything else, for out-of-range fields (month 13,
// Feb 30) and for years outside 1900..2200. Thread-safe, allocation-free.
std::optional<int64_t> ParseTime(std::string_view s);

// Formats unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatTimeIso(int64_t unix_seconds);

}  // namespace echotrace

#endif  // ECHOTRACE_TEXT_TIME_PARSE_H_

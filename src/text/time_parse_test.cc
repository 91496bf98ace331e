#include "text/time_parse.h"

#include <gtest/gtest.h>

#include <ctime>
#include <random>
#include <string>

namespace echotrace {
namespace {

constexpr int64_t k20170907 = 1504813920;  // 2017-09-07T19:52:00Z

TEST(TimeParseTest, Iso8601) {
  EXPECT_EQ(ParseTime("2017-09-07"), 1504742400);
  EXPECT_EQ(ParseTime("2017-09-07T19:52"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07T19:52:00"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07T19:52:00Z"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07t19:52:00z"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07T19:52:00.123Z"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07T19:52:00,999999999"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07T21:52:00+02:00"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07T21:52:00+0200"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07T21:52:00+02"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07T14:22:00-05:30"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07 19:52:00"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07 19:52:00 +0000"), k20170907);
  EXPECT_EQ(ParseTime("2017-09-07 19:52:00 UTC"), k20170907);
  EXPECT_EQ(ParseTime("2017/09/07 19:52:00"), k20170907);
  EXPECT_EQ(ParseTime("2017/9/7 19:52"), k20170907);
  EXPECT_EQ(ParseTime("  2017-09-07T19:52:00Z \n"), k20170907);
}

TEST(TimeParseTest, Rfc2822) {
  EXPECT_EQ(ParseTime("Thu, 07 Sep 2017 19:52:00 +0000"), k20170907);
  EXPECT_EQ(ParseTime("07 Sep 2017 19:52:00 +0000"), k20170907);
  EXPECT_EQ(ParseTime("7 Sep 2017 19:52 GMT"), k20170907);
  EXPECT_EQ(ParseTime("Thu, 7 SEP 2017 15:52:00 EDT"), k20170907);
  EXPECT_EQ(ParseTime("Thu, 07 Sep 2017 12:52:00 PDT"), k20170907);
  EXPECT_EQ(ParseTime("Thu, 07 Sep 2017 11:52:00 PST"), k20170907);
  EXPECT_EQ(ParseTime("Thursday, 07 September 2017 21:52:00 +0200"), k20170907);
  EXPECT_EQ(ParseTime("Thu, 07 Sep 2017 19:52:00"), k20170907);
  EXPECT_EQ(ParseTime("Thu, 07 Sep 2017 19:52:00 UT"), k20170907);
}

TEST(TimeParseTest, TwitterCreatedAt) {
  EXPECT_EQ(ParseTime("Thu Sep 07 19:52:00 +0000 2017"), k20170907);
  EXPECT_EQ(ParseTime("Thu Sep 07 20:52:00 +0100 2017"), k20170907);
  EXPECT_EQ(ParseTime("Thu Sep  7 19:52:00 UTC 2017"), k20170907);  // date(1)
  EXPECT_EQ(ParseTime("Wed Feb 29 00:00:00 +0000 2012"), 1330473600);
}

TEST(TimeParseTest, UnixSecondsAndMilliseconds) {
  EXPECT_EQ(ParseTime("1504813920"), k20170907);
  EXPECT_EQ(ParseTime("1504813920.5"), k20170907);
  EXPECT_EQ(ParseTime("1504813920123"), k20170907);
  EXPECT_EQ(ParseTime("1504813920999.9"), k20170907);
  EXPECT_EQ(ParseTime("0"), 0);
  EXPECT_EQ(ParseTime("99999999999"), std::nullopt);  // 11 digits, year 5138
  EXPECT_EQ(ParseTime("7289654399"), 7289654399);     // 2200-12-31T23:59:59Z
  EXPECT_EQ(ParseTime("7289654400"), std::nullopt);
  EXPECT_EQ(ParseTime("99999999999999"), std::nullopt);   // 14 digits of ms, too late
  EXPECT_EQ(ParseTime("999999999999999"), std::nullopt);  // 15 digits
  EXPECT_EQ(ParseTime("1504813920."), std::nullopt);
  EXPECT_EQ(ParseTime("-1504813920"), std::nullopt);
  EXPECT_EQ(ParseTime("15048x13920"), std::nullopt);
}

TEST(TimeParseTest, RangeChecks) {
  EXPECT_EQ(ParseTime("2017-13-01"), std::nullopt);
  EXPECT_EQ(ParseTime("2017-00-01"), std::nullopt);
  EXPECT_EQ(ParseTime("2017-02-29"), std::nullopt);
  EXPECT_EQ(ParseTime("2017-02-30"), std::nullopt);
  EXPECT_EQ(ParseTime("2017-04-31"), std::nullopt);
  EXPECT_EQ(ParseTime("2017-09-00"), std::nullopt);
  EXPECT_TRUE(ParseTime("2016-02-29"));
  EXPECT_TRUE(ParseTime("2000-02-29"));              // divisible by 400
  EXPECT_EQ(ParseTime("2100-02-29"), std::nullopt);  // divisible by 100
  EXPECT_EQ(ParseTime("1900-02-29"), std::nullopt);
  EXPECT_EQ(ParseTime("2017-09-07T24:00:00"), std::nullopt);
  EXPECT_EQ(ParseTime("2017-09-07T23:60:00"), std::nullopt);
  EXPECT_EQ(ParseTime("2017-09-07T23:59:61"), std::nullopt);
  EXPECT_EQ(ParseTime("2016-12-31T23:59:60Z"), ParseTime("2016-12-31T23:59:59Z"));
  EXPECT_EQ(ParseTime("2016-12-31T12:59:60Z"), std::nullopt);
  EXPECT_EQ(ParseTime("2017-09-07T19:52:00+24:00"), std::nullopt);
  EXPECT_EQ(ParseTime("2017-09-07T19:52:00+02:60"), std::nullopt);
  EXPECT_EQ(ParseTime("Thu, 31 Feb 2017 19:52:00 +0000"), std::nullopt);
  EXPECT_EQ(ParseTime("Thu Sep 31 19:52:00 +0000 2017"), std::nullopt);
}

TEST(TimeParseTest, YearWindow) {
  EXPECT_EQ(ParseTime("1900-01-01T00:00:00Z"), -2208988800);
  EXPECT_EQ(ParseTime("1899-12-31T23:59:59Z"), std::nullopt);
  EXPECT_EQ(ParseTime("1900-01-01T00:30:00+01:00"), std::nullopt);  // 1899 in UTC
  EXPECT_EQ(ParseTime("2200-12-31T23:59:59Z"), 7289654399);
  EXPECT_EQ(ParseTime("2201-01-01"), std::nullopt);
  EXPECT_EQ(ParseTime("2200-12-31T23:30:00-01:00"), std::nullopt);  // 2201 in UTC
  EXPECT_EQ(ParseTime("0001-01-01"), std::nullopt);
  EXPECT_EQ(ParseTime("9999-12-31"), std::nullopt);
}

TEST(TimeParseTest, Garbage) {
  for (const char* s : {"",
                        " ",
                        "yesterday",
                        "2017-09",
                        "2017-09-07T",
                        "2017-09-07T19",
                        "2017-09-07T1:52",
                        "2017-09-07T19:52:00ZZ",
                        "2017-09-07T19:52:00 +",
                        "2017-09-07T19:52:00+1",
                        "2017-09-07T19:52:00.",
                        "2017-09-07X19:52",
                        "2017-09/07",
                        "17-09-07",
                        "20170-09-07",
                        "Thu, 07 Sep 17 19:52:00 +0000",
                        "Thu, 07 Foo 2017 19:52:00 +0000",
                        "Xyz, 07 Sep 2017 19:52:00 +0000",
                        "Thu, 07 Sep 2017 19:52:00 XYZ",
                        "Thu Sep 07 19:52 +0000 2017",
                        "Thu Sep 07 19:52:00 +0000",
                        "Sep 07 2017",
                        "2017-09-07 19:52:00 trailing",
                        "١٢٣"}) {
    EXPECT_EQ(ParseTime(s), std::nullopt) << s;
  }
  // "2017" alone is a unix time of 2017 seconds, per the contract.
}

TEST(TimeParseTest, FormatTimeIso) {
  EXPECT_EQ(FormatTimeIso(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimeIso(k20170907), "2017-09-07T19:52:00Z");
  EXPECT_EQ(FormatTimeIso(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatTimeIso(-2208988800), "1900-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimeIso(7289654399), "2200-12-31T23:59:59Z");
  EXPECT_EQ(FormatTimeIso(951782400), "2000-02-29T00:00:00Z");
  // Extremes do not overflow or crash.
  EXPECT_FALSE(FormatTimeIso(INT64_MIN).empty());
  EXPECT_FALSE(FormatTimeIso(INT64_MAX).empty());
}

// Property: every time in the window survives Format -> Parse.
TEST(TimeParseTest, RoundTripRandomTimes) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> dist(-2208988800, 7289654399);
  for (int iter = 0; iter < 200000; ++iter) {
    const int64_t t = dist(rng);
    const std::string iso = FormatTimeIso(t);
    ASSERT_EQ(ParseTime(iso), t) << iso;
  }
  for (int64_t t : {int64_t{-2208988800}, int64_t{7289654399}, int64_t{0}, int64_t{-1}}) {
    ASSERT_EQ(ParseTime(FormatTimeIso(t)), t);
  }
}

// The civil-date arithmetic against the C library's timegm().
TEST(TimeParseTest, CivilConversionMatchesTimegm) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> year(1800, 2400);
  std::uniform_int_distribution<int> month(1, 12);
  std::uniform_int_distribution<int> day(1, 31);
  for (int iter = 0; iter < 200000; ++iter) {
    const int y = year(rng);
    const int m = month(rng);
    const int d = std::min(day(rng), DaysInMonth(y, m));
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    const int64_t expected = static_cast<int64_t>(timegm(&tm));
    ASSERT_EQ(tm.tm_mday, d) << "timegm normalised: DaysInMonth wrong for " << y << "-" << m;
    ASSERT_EQ(DaysFromCivil(y, m, d) * 86400, expected) << y << "-" << m << "-" << d;
    int64_t y2;
    int m2;
    int d2;
    CivilFromDays(DaysFromCivil(y, m, d), &y2, &m2, &d2);
    ASSERT_EQ(y2, y);
    ASSERT_EQ(m2, m);
    ASSERT_EQ(d2, d);
  }
}

TEST(TimeParseTest, DaysInMonthMatchesTimegmNormalisation) {
  for (int y = 1896; y <= 2204; ++y) {
    for (int m = 1; m <= 12; ++m) {
      // Day 0 of the next month is the last day of this one.
      std::tm tm{};
      tm.tm_year = y - 1900;
      tm.tm_mon = m;  // next month, 0-based
      tm.tm_mday = 0;
      timegm(&tm);
      ASSERT_EQ(tm.tm_mday, DaysInMonth(y, m)) << y << "-" << m;
    }
  }
}

}  // namespace
}  // namespace echotrace

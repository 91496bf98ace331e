// Issue 17 item 4 in the bundle (the report and `serve` read the same JSON):
// a reuse cluster with undated documents carries undated > 0 and
// origin_certain false, in the list row and in the detail; one whose
// documents are all dated carries 0 and true.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "echotrace/analyze.h"
#include "echotrace/web.h"
#include "pipeline/store_test_fixture.h"

namespace echotrace {
namespace {

using simdjson::dom::element;

class BundleOriginTest : public StoreTest {};

TEST_F(BundleOriginTest, ReuseClustersSayWhetherTheirOriginIsCertain) {
  const std::string u =
      "The harbour authority signed the dredging contract with a shell company registered two "
      "weeks earlier in a tax haven, according to minutes that the council has refused to publish";
  const std::string c =
      "Farmers in the eastern valley say the new irrigation levy will double their costs before "
      "the harvest, and the ministry has not answered a single letter from the cooperative";
  IngestJsonl("{\"id\":\"u-article\",\"source\":\"seeds\",\"text\":\"" + u + ". More.\"}\n" +
              "{\"id\":\"u-copy\",\"source\":\"blog\",\"time\":\"2025-03-01T10:00:00Z\","
              "\"text\":\"Copied: " +
              u + ".\"}\n" +
              "{\"id\":\"c-1\",\"source\":\"wire\",\"time\":\"2025-04-01T10:00:00Z\",\"text\":\"" +
              c + ". First.\"}\n" +
              "{\"id\":\"c-2\",\"source\":\"blog\",\"time\":\"2025-04-02T10:00:00Z\","
              "\"text\":\"Via: " +
              c + ".\"}\n");
  AnalyzeOptions ao;
  ao.only = {"reuse"};
  ao.progress = false;
  AnalyzeSummary as;
  ASSERT_TRUE(Analyze(store_.get(), ao, &as).ok());
  ReportOptions o;
  o.progress = false;
  o.generated_at = 1700000000;
  auto b = BuildReportBundle(store_.get(), o);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  simdjson::dom::parser parser;
  element root = parser.parse(*b);
  element clusters = root["reuse"]["clusters"];
  ASSERT_EQ(clusters.get_array().size(), 2u);
  int uncertain = 0, certain = 0;
  for (element row : clusters) {
    const std::string id = std::to_string(int64_t(row["id"]));
    element detail = root["reuse_detail"][id];
    // The detail repeats the row's fields.
    EXPECT_EQ(int64_t(detail["undated"]), int64_t(row["undated"]));
    EXPECT_EQ(bool(detail["origin_certain"]), bool(row["origin_certain"]));
    if (bool(row["origin_certain"])) {
      ++certain;
      EXPECT_EQ(int64_t(row["undated"]), 0);
    } else {
      ++uncertain;
      EXPECT_EQ(int64_t(row["undated"]), 1);
      // origin_doc is still the earliest dated occurrence (the views do not
      // call it the origin).
      EXPECT_TRUE(bool(detail["occurrence_list"].at(0)["is_origin"]));
      EXPECT_EQ(std::string_view(detail["occurrence_list"].at(0)["ext_id"]), "u-copy");
    }
  }
  EXPECT_EQ(certain, 1);
  EXPECT_EQ(uncertain, 1);
}

}  // namespace
}  // namespace echotrace

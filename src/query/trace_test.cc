#include "echotrace/trace.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "echotrace/ingest.h"
#include "pipeline/store_test_fixture.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;

class TraceTest : public StoreTest {};

constexpr const char kQuote[] =
    "The ministry of ports confirmed that every grain convoy bound for Port Merrin will be "
    "inspected twice before it leaves the northern depots.";

TEST_F(TraceTest, FindsVerbatimAndEditedCopiesWithOffsets) {
  std::string lead = "In a statement on Monday, officials said: ";
  std::string edited =
      "the ministry of ports confirmed that each grain convoy bound for Port Merrin will be "
      "inspected twice before leaving the northern depots";
  IngestJsonl(std::string("{\"id\":\"late\",\"time\":\"2026-03-05T00:00:00Z\",\"text\":\"") + lead +
              kQuote + " More follows.\"}\n" +
              "{\"id\":\"orig\",\"time\":\"2026-03-01T00:00:00Z\",\"text\":\"" + kQuote + "\"}\n" +
              "{\"id\":\"edit\",\"text\":\"RT " + edited + "\"}\n" +
              "{\"id\":\"other\",\"text\":\"Football results from the northern league were "
              "confirmed on Monday by the ministry of sport.\"}\n");
  auto r = TracePassage(store_.get(), kQuote, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->hits.size(), 3u);
  // Earliest first; the undated copy last.
  EXPECT_EQ(r->hits[0].ext_id, "orig");
  EXPECT_EQ(r->hits[1].ext_id, "late");
  EXPECT_EQ(r->hits[2].ext_id, "edit");
  EXPECT_EQ(r->hits[1].start, lead.size());
  EXPECT_EQ(r->hits[1].text, std::string(kQuote).substr(0, std::string(kQuote).size() - 1));
  EXPECT_DOUBLE_EQ(r->hits[0].coverage, 1.0);
  EXPECT_LT(r->hits[2].identity, 1.0);
  // The alignment is local: the edit near the end ("before it leaves" →
  // "before leaving") costs more than the three words after it repay.
  EXPECT_GT(r->hits[2].coverage, 0.7);
}

TEST_F(TraceTest, ShortOrBadInputIsAUsageError) {
  IngestJsonl("{\"id\":\"a\",\"text\":\"hello there\"}\n");
  EXPECT_EQ(TracePassage(store_.get(), "two words", {}).status().code(),
            StatusCode::kInvalidArgument);
  TraceOptions o;
  o.min_coverage = 0;
  EXPECT_EQ(TracePassage(store_.get(), kQuote, o).status().code(), StatusCode::kInvalidArgument);
  // Emoji-only n-grams and quotes in the passage do not break the query.
  auto r = TracePassage(store_.get(), "\"quoted\" 🌾 🌾 🌾 🌾 words \"here\" now", {});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

TEST_F(TraceTest, CyrillicPassage) {
  std::string q =
      "Министерство портов подтвердило что каждый конвой с зерном будет проверен дважды";
  IngestJsonl("{\"id\":\"ru1\",\"text\":\"Новость дня. " + q + ". Конец.\"}\n" +
              "{\"id\":\"ru2\",\"text\":\"Другая новость про погоду в северных районах\"}\n");
  auto r = TracePassage(store_.get(), q, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->hits.size(), 1u);
  EXPECT_EQ(r->hits[0].ext_id, "ru1");
  EXPECT_EQ(r->hits[0].text, q);
}

}  // namespace
}  // namespace echotrace

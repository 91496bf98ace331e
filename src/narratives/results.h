// The read side of the talking-point detector (tables narratives and
// narrative_units, docs/schema.md): the export tables and `show narrative`.
// No code outside src/narratives writes SQL against these tables.
#ifndef ECHOTRACE_NARRATIVES_RESULTS_H_
#define ECHOTRACE_NARRATIVES_RESULTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyze/detector.h"
#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace {

// The export tables: "narratives" (one row per unit of a talking point:
// narrative_id, label, keywords, doc_id, start, end, score) and
// "narrative-units" (every unit, outliers with narrative_id 0: doc_id,
// start, end, narrative_id, score, via_doc_id). Offsets are bytes into the
// text of via_doc_id (the document itself unless it is a near-duplicate
// copy; the narratives table exports that text's offsets too).
const std::vector<ResultTable>& NarrativesResultTables();

struct ShownWording {
  std::string text;
  uint64_t count = 0;  // units (copies included) with this wording
};

struct ShownNarrative {
  int64_t narrative_id = 0;
  int64_t run_id = 0;
  std::string label;      // the most central unit's text
  std::string keywords;   // comma-separated, best first
  std::string label_doc;  // ext_id of the label's document
  uint64_t units = 0, docs = 0, authors = 0, sources = 0;
  std::optional<int64_t> first_time, last_time;
  std::string first_doc, first_source, first_author;          // the earliest document
  std::vector<ShownWording> wordings;                         // most frequent first, capped
  std::vector<std::pair<std::string, uint64_t>> top_authors;  // units per author, capped
  std::vector<std::pair<std::string, uint64_t>> by_source;    // units per source
  // Timeline: units per source and period, the period a day when the talking
  // point spans at most 60 days, else a week (starting Monday, UTC); periods
  // are unix seconds of their start. Undated units are left out.
  int64_t period_seconds = 86400;
  std::map<std::string, std::map<int64_t, uint64_t>> timeline;  // source → period → units
};

// Every unit of the latest narratives run by document ext_id: (start, end,
// narrative id or 0 for an outlier), offsets into the text of the unit's
// via document. NotFound (naming the analyze command) when there is none.
struct NarrativeUnitRow {
  uint32_t start = 0, end = 0;
  int64_t narrative_id = 0;
};
Result<std::map<std::string, std::vector<NarrativeUnitRow>>> ReadNarrativeUnits(Store* store);

// Talking point `id` of the latest narratives run, with at most `limit`
// wordings and authors. NotFound (naming the analyze command) when there is
// no result, or no such talking point.
Result<ShownNarrative> ShowNarrative(Store* store, int64_t id, int limit);

// A terminal rendering of ShowNarrative's result (text as stored: a
// terminal, not HTML).
std::string RenderNarrative(const ShownNarrative& n);

}  // namespace echotrace

#endif  // ECHOTRACE_NARRATIVES_RESULTS_H_

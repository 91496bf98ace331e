// Trace: every stored document in which a given passage occurs, verbatim or
// lightly edited, with byte offsets — "where did this paragraph go?".
//
// Candidates come from the full-text index (documents sharing at least one
// word n-gram of the passage, as a phrase), then each candidate is aligned
// against the passage with the reuse aligner (banded, affine gaps), which
// tolerates substitutions, insertions, deletions and swapped words.
#ifndef ECHOTRACE_TRACE_H_
#define ECHOTRACE_TRACE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/status.h"
#include "echotrace/store.h"

namespace echotrace {

struct TraceOptions {
  // Candidate documents examined at most, the most relevant first (BM25
  // over the passage's n-gram phrases); more are reported as truncated.
  int limit = 5000;
  // Share of the passage's words an occurrence must cover, in (0, 1].
  double min_coverage = 0.5;
};

struct TraceHit {
  int64_t doc_id = 0;
  std::string ext_id;
  std::string source;
  std::string author;
  std::optional<int64_t> time;
  // Half-open byte offsets of the occurrence in the document's text.
  uint32_t start = 0;
  uint32_t end = 0;
  double coverage = 0;  // passage words covered by the alignment
  double identity = 0;  // matching words / aligned columns
  std::string text;     // the occurrence as the document has it
};

struct TraceResult {
  uint32_t passage_tokens = 0;
  uint64_t candidates = 0;  // documents aligned
  uint64_t matching = 0;    // documents sharing an n-gram with the passage
  bool truncated = false;   // matching > TraceOptions::limit: not all examined
  // Earliest first (unknown times last), then by doc id: the first hit is
  // the likely origin among the stored documents.
  std::vector<TraceHit> hits;
};

// InvalidArgument when the passage has fewer than 4 words or options are out
// of range; store errors otherwise. Thread-compatible (uses the store).
Result<TraceResult> TracePassage(Store* store, std::string_view passage,
                                 const TraceOptions& options);

// The hits without a time. When not 0 the first hit is only the earliest
// dated one, not provably the origin (issue 17 item 4).
uint64_t TraceUndatedHits(const TraceResult& r);
// "origin uncertain: N undated documents (...)" when TraceUndatedHits is not
// 0 (the wording of every view that would otherwise name an origin); empty
// otherwise.
std::string TraceOriginNote(const TraceResult& r);

// {"passage_tokens":..,"candidates":..,"matching":..,"truncated":..,
//  "undated":N,"origin_certain":bool,"hits":[{doc_id, source, author, time, start, end, coverage,
//  identity, text}]} (doc_id is the ext_id).
std::string TraceResultToJson(const TraceResult& r);
// One JSON object per hit (as in TraceResultToJson's hits), one per line.
std::string TraceResultToJsonl(const TraceResult& r);
// A header row and one row per hit:
// doc_id,source,author,time,start,end,coverage,identity,text
std::string TraceResultToCsv(const TraceResult& r);

}  // namespace echotrace

#endif  // ECHOTRACE_TRACE_H_

// Pairs of texts to compare (`echotrace compare`): reading them from TSV
// (`a<TAB>b`) or JSONL (`{"a": "...", "b": "..."}`), and scoring them with a
// SimilarityModel fitted on every text of the input.
//
// Bad lines never stop a read: each is recorded with its line number and
// reason and left out (the caller decides whether to stop, `--strict`).
// Blank lines are not pairs and are skipped without a record.
#ifndef ECHOTRACE_SIMILARITY_COMPARE_H_
#define ECHOTRACE_SIMILARITY_COMPARE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/similarity.h"
#include "echotrace/status.h"

namespace echotrace {

enum class PairFormat { kAuto, kTsv, kJsonl };

struct TextPair {
  uint64_t line = 0;  // 1-based line in the input
  std::string a, b;
};

struct PairReject {
  uint64_t line = 0;
  std::string reason;
};

struct PairsRead {
  PairFormat format = PairFormat::kTsv;  // the format read (never kAuto)
  std::vector<TextPair> pairs;           // in input order
  std::vector<PairReject> rejects;       // in input order
};

// Parses `content`. kAuto reads JSONL when the first non-blank line starts
// with '{', TSV otherwise. TSV: exactly two tab-separated fields, a trailing
// '\r' dropped. JSONL: an object with string members "a" and "b" (other
// members ignored). Either way both texts must be valid UTF-8 and not empty
// (after trimming white space); anything else is a reject.
PairsRead ParsePairs(std::string_view content, PairFormat format);

// "tsv", "jsonl" or "auto" → the format; InvalidArgument otherwise.
Result<PairFormat> ParsePairFormat(std::string_view name);

// Fits a model on every text of `pairs` (both sides; idf, LSA and the
// sentence vectors' components are the input's own) with `options`, and
// returns Compare(a, b) of each pair, in order. Deterministic.
Result<std::vector<SimilaritySignals>> ComparePairs(const std::vector<TextPair>& pairs,
                                                    const SimilarityOptions& options);

}  // namespace echotrace

#endif  // ECHOTRACE_SIMILARITY_COMPARE_H_

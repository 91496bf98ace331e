// Passage reuse across a whole corpus (the "passim class" of detector):
// which passages occur in more than one document, where exactly, and which
// occurrences belong together.
//
// The per-pair core (anchors, banded X-drop alignment, merging) is
// passages.h; this layer decides which pairs to align and what the aligned
// passages add up to:
//   1. every document is tokenised once (Tokenize, TokenIdOf) and its word
//      n-grams hashed (NgramHash);
//   2. an inverted index n-gram -> documents, built by sorting, gives each
//      n-gram's document frequency; n-grams one source repeats in a large
//      share of its own documents are boilerplate (recorded, never anchors),
//      n-grams in more than max_df documents are too common to anchor;
//   3. through each anchor n-gram, every document is paired with the
//      earliest max_links documents holding it (bounded fan-out), and pairs
//      reached through at least min_shared_anchors n-grams are candidates;
//   4. each candidate pair is aligned (FindPassages with the anchor filter);
//   5. passage occurrences (document, span) are clustered: occurrences of
//      one document that overlap by half the shorter are one occurrence, and
//      occurrences aligned to each other are in one cluster (union-find);
//      each cluster gets its likely origin (earliest known time) and spread.
// docs/algorithms.md ("Passage reuse across a corpus") gives the reasoning
// behind every default.
//
// In-memory computation, except for the scratch files of spill_dir when
// set; thread-safe (calls share nothing).
// Results are identical for any thread count.
#ifndef ECHOTRACE_REUSE_CORPUS_REUSE_H_
#define ECHOTRACE_REUSE_CORPUS_REUSE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/status.h"
#include "reuse/passages.h"

namespace echotrace::reuse {

// Which side of an A-vs-B comparison a document is on.
enum class Side : uint8_t {
  kNone = 0,  // only when comparing sides: the document takes no part at all
  kA = 1,
  kB = 2,
};

// One document as the detector sees it. Strings are borrowed: they must
// outlive the call.
struct CorpusDoc {
  int64_t id = 0;  // docs.id: the order of ties, and what results refer to
  std::string_view text;
  std::optional<int64_t> time;  // unix seconds; empty when unknown
  uint32_t source = 0;          // dense source number (any numbering)
  uint32_t author = kNoAuthor;  // dense author number, kNoAuthor when none
  Side side = Side::kA;         // read only when compare_sides

  static constexpr uint32_t kNoAuthor = UINT32_MAX;
};

struct CorpusReuseOptions {
  // The per-pair alignment: n-gram order (anchors.n, default 5), the
  // minimum passage length (min_tokens, default 10), scoring, band, X-drop.
  PassageParams passage;
  // An n-gram in more documents than this does not anchor (neither pairs
  // documents nor seeds alignments). Large on purpose: the fan-out bound
  // below already caps the cost of frequent n-grams, so this only removes
  // phrases so common that they say nothing, while a passage a bot ring
  // posted thousands of times is still found.
  uint32_t max_df = 10000;
  // Through one n-gram a document is paired only with the earliest
  // max_links documents holding it (all pairs when it has at most
  // max_links + 1). Candidate pairs grow linearly with the corpus instead
  // of quadratically with the n-gram's frequency; clusters stay connected
  // through the earliest copies.
  uint32_t max_links = 8;
  // A pair is aligned when at least this many distinct anchor n-grams pair
  // it. 2 = six shared consecutive tokens for n = 5, below the shortest
  // passage (10 tokens: 6 n-grams when verbatim, ~2-3 when edited).
  uint32_t min_shared_anchors = 2;
  // Boilerplate: an n-gram in at least boilerplate_min_docs documents of
  // one source that differ in content, and in more than boilerplate_share
  // of that source's documents (footers, share lines, signatures). Content
  // differs when the documents' smallest word n-gram hashes differ, so a
  // post that many accounts of one platform copy is reuse, not boilerplate.
  uint32_t boilerplate_min_docs = 5;
  double boilerplate_share = 0.2;
  // Two occurrences in one document are one when their token spans overlap
  // by at least this share of the longer (so a short span inside a long one
  // does not chain the two passages' clusters together).
  double merge_overlap = 0.8;
  // When true only documents on different sides (kA with kB) are paired,
  // and kNone documents are left out (also from document frequencies).
  bool compare_sides = false;
  int threads = 0;  // 0 = hardware concurrency
  // When set, the n-gram index and the pair links (the two structures that
  // grow with the corpus beyond its texts and tokens) go to scratch files
  // in a new directory under this one, and only the part being worked on is
  // in memory (util/spill_files.h); the directory is removed afterwards.
  // Results are identical either way. Empty: everything in memory.
  std::string spill_dir;
};

// OK, or InvalidArgument naming the bad option.
Status ValidateCorpusReuseOptions(const CorpusReuseOptions& o);

// Documents are referred to by their index in the input vector.

// One aligned passage pair: the evidence behind the clusters. a < b.
struct ReusePair {
  uint32_t a = 0, b = 0;
  uint32_t a_start = 0, a_end = 0;  // byte offsets into doc a's text
  uint32_t b_start = 0, b_end = 0;
  double identity = 0;
  double containment = 0;
};

// A passage occurrence: byte span [start, end) of document `doc`.
struct ReuseOccurrence {
  uint32_t doc = 0;
  uint32_t start = 0, end = 0;
};

struct ReuseCluster {
  // Sorted by (docs.id, start).
  std::vector<ReuseOccurrence> occurrences;
  // Index into occurrences of the likely origin: the earliest known time;
  // ties and unknown times by docs.id, then start. When no occurrence has
  // a known time the origin is the first ingested, and its time unknown.
  uint32_t origin = 0;
  uint32_t documents = 0;                        // distinct documents
  uint32_t sources = 0;                          // distinct sources
  uint32_t authors = 0;                          // distinct authors (documents without one: none)
  std::optional<int64_t> first_time, last_time;  // over known times
};

// An n-gram one source repeats in many of its own documents.
struct Boilerplate {
  uint32_t source = 0;
  uint64_t ngram_hash = 0;
  uint32_t docs = 0;           // documents of the source holding it
  uint32_t example_doc = 0;    // the earliest of them
  uint32_t example_start = 0;  // byte span of the n-gram in it
  uint32_t example_end = 0;
};

struct CorpusReuseStats {
  uint64_t documents = 0;  // taking part
  uint64_t tokens = 0;
  uint64_t ngrams = 0;              // distinct per document, summed
  uint64_t shared_ngrams = 0;       // distinct n-grams with df >= 2
  uint64_t too_common_ngrams = 0;   // df > max_df
  uint64_t boilerplate_ngrams = 0;  // distinct hashes
  uint64_t pair_links = 0;          // (n-gram, pair) links made
  uint64_t candidate_pairs = 0;     // pairs with >= min_shared_anchors
  uint64_t passage_pairs = 0;
  uint64_t clusters = 0;
  uint64_t occurrences = 0;
  // Wall seconds per phase.
  double tokenize_s = 0, index_s = 0, candidates_s = 0, align_s = 0, cluster_s = 0;
};

struct CorpusReuseResult {
  std::vector<ReusePair> pairs;          // sorted by (a, b, a_start, b_start)
  std::vector<ReuseCluster> clusters;    // sorted by first occurrence
  std::vector<Boilerplate> boilerplate;  // sorted by (source, hash)
  CorpusReuseStats stats;
};

// Finds reused passages among `docs`. Ids must be distinct (checked) and
// the texts valid UTF-8 (as stored). InvalidArgument on bad options, a
// repeated id, 2^32 or more documents, or a text of 4 GiB or more.
Result<CorpusReuseResult> FindCorpusReuse(const std::vector<CorpusDoc>& docs,
                                          const CorpusReuseOptions& options);

}  // namespace echotrace::reuse

#endif  // ECHOTRACE_REUSE_CORPUS_REUSE_H_

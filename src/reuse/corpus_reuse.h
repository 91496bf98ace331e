// Passage reuse across a whole corpus (the "passim class" of detector):
// which passages occur in more than one document, where exactly, and which
// occurrences belong together.
//
// The per-pair core (anchors, banded X-drop alignment, merging) is
// passages.h; this layer decides which pairs to align and what the aligned
// passages add up to:
//   1. every document is tokenised once (Tokenize, TokenIdOf) and its word
//      n-grams hashed (NgramHash);
//   2. an inverted index n-gram -> documents, built by sorting; n-grams one
//      source repeats in many of its own documents are boilerplate
//      (recorded, never anchors), n-grams in more than max_df documents are
//      too common to anchor;
//   3. through each anchor n-gram, every document is paired with the first
//      max_links earlier documents holding it (bounded fan-out), and pairs
//      reached through at least min_shared_anchors n-grams are candidates;
//   4. each candidate pair is aligned (FindPassages with the anchor filter);
//   5. passage occurrences are clustered around centres, one document at a
//      time; each cluster gets its likely origin (earliest known time) and
//      spread.
//
// Append-stable. The documents are taken in input order, which is ingest
// order (docs.id), and every decision about a pair is made with what the
// documents up to its later member hold: the fan-out, the document-
// frequency cut and boilerplate are all "as of" that document, and
// clustering places each document's occurrences once, never moving an
// earlier one. So the result for documents [0, n) extended by [n, m) is
// the result for [0, m): ExtendCorpusReuse does exactly that from what an
// earlier run left (PriorReuse), and FindCorpusReuse is the same code with
// nothing before. docs/algorithms.md ("Passage reuse across a corpus",
// "Incremental runs") gives the reasoning behind every rule and default.
//
// In-memory computation, except for the scratch files of spill_dir when
// set; thread-safe (calls share nothing).
// Results are identical for any thread count.
#ifndef ECHOTRACE_REUSE_CORPUS_REUSE_H_
#define ECHOTRACE_REUSE_CORPUS_REUSE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
  // Through one n-gram a document is paired only with the first max_links
  // documents (in input order) holding it. Candidate pairs grow linearly
  // with the corpus instead of quadratically with the n-gram's frequency;
  // clusters stay connected through the first copies.
  uint32_t max_links = 8;
  // A pair is aligned when at least this many distinct anchor n-grams pair
  // it. 2 = six shared consecutive tokens for n = 5, below the shortest
  // passage (10 tokens: 6 n-grams when verbatim, ~2-3 when edited).
  uint32_t min_shared_anchors = 2;
  // Boilerplate: an n-gram in at least boilerplate_min_docs documents of
  // one source that differ in content, and in more than boilerplate_share
  // of that source's documents since the n-gram first appeared in it
  // (footers, share lines, signatures). From the document where that first
  // holds it anchors nothing. Content differs when the documents' smallest
  // word n-gram hashes differ, so a post that many accounts of one platform
  // copy is reuse, not boilerplate.
  uint32_t boilerplate_min_docs = 5;
  double boilerplate_share = 0.2;
  // Two aligned spans of one document are one occurrence when their token
  // spans overlap by at least this share of the longer (so a short span
  // inside a long one does not chain the two passages' clusters together).
  double merge_overlap = 0.8;
  // When true only documents on different sides (kA with kB) are paired,
  // and kNone documents are left out (also from document frequencies).
  bool compare_sides = false;
  int threads = 0;  // 0 = hardware concurrency
  // Called once, after every new document has been tokenised: from then on
  // the detector reads no CorpusDoc::text, so the caller may free the texts
  // (for ten copies of the IRA tweets, 3.7 GB of the peak).
  std::function<void()> on_texts_done;
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

// An occurrence as clustering places it, and as an incremental run needs
// the earlier ones back (reuse_occurrences keeps every field).
struct OccurrenceRecord {
  uint32_t doc = 0;
  uint32_t tok_begin = 0, tok_end = 0;  // token span
  uint32_t start = 0, end = 0;          // byte span
  uint32_t cluster = 0;                 // cluster id, 1, 2, ... in order of creation
  bool centre = false;                  // the occurrence the cluster was founded on
};

struct ReuseCluster {
  uint32_t id = 0;  // OccurrenceRecord::cluster
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
  uint32_t example_doc = 0;    // the document from which it is boilerplate
  uint32_t example_start = 0;  // byte span of the n-gram in it (both 0 when
  uint32_t example_end = 0;    // example_doc is an earlier run's document)
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

// One posting of the n-gram index: document `doc` holds n-gram `hash`.
// What a later incremental run reads back (reuse_index stores them).
struct IndexEntry {
  uint64_t hash = 0;
  uint32_t doc = 0;
  uint32_t zero = 0;  // padding with a value: entries are written to files
  bool operator<(const IndexEntry& o) const { return hash != o.hash ? hash < o.hash : doc < o.doc; }
};
// Entries are kept in partitions by the hash's top byte.
inline constexpr uint32_t kIndexPartitions = 256;

// The index entries of one run's new documents, partition by partition
// (in memory, or in scratch files when spill_dir is set).
class IndexParts {
 public:
  virtual ~IndexParts() = default;
  // Partition p's entries sorted by (hash, doc); each partition once.
  virtual Result<std::vector<IndexEntry>> Take(uint32_t p) = 0;
};

struct CorpusReuseResult {
  // Pairs with a new later document, sorted by (a, b, a_start, b_start).
  std::vector<ReusePair> pairs;
  // FindCorpusReuse: every cluster, by id. ExtendCorpusReuse: empty (the
  // caller merges `occurrences` with the earlier ones: BuildClusters).
  std::vector<ReuseCluster> clusters;
  // The occurrences placed by this run, in order of placement.
  std::vector<OccurrenceRecord> occurrences;
  uint32_t next_cluster = 1;  // the id the next new cluster gets
  // Earlier occurrences whose span grew (a new aligned span overlapped and
  // reached past them): as stored before, and now.
  std::vector<std::pair<OccurrenceRecord, OccurrenceRecord>> extended;
  std::vector<uint32_t> touched_clusters;  // earlier clusters that changed, sorted
  // Boilerplate of the n-grams new documents hold (all of it for a full
  // run; an earlier record again, with its count updated), by (source, hash).
  std::vector<Boilerplate> boilerplate;
  std::vector<uint64_t> content;      // content signature per new document
  std::unique_ptr<IndexParts> index;  // index entries of the new documents
  CorpusReuseStats stats;
};

// Finds reused passages among `docs` (in ingest order). Ids must be
// distinct (checked) and the texts valid UTF-8 (as stored). InvalidArgument
// on bad options, a repeated id, 2^32 or more documents, or a text of
// 4 GiB or more.
Result<CorpusReuseResult> FindCorpusReuse(const std::vector<CorpusDoc>& docs,
                                          const CorpusReuseOptions& options);

// What the run over docs[0, first_new) left, for ExtendCorpusReuse.
struct PriorReuse {
  uint32_t first_new = 0;
  uint32_t next_cluster = 1;
  std::vector<uint64_t> content;  // content signature of docs[0, first_new)
  // Index entries of docs[0, first_new) in partition p, sorted.
  std::function<Result<std::vector<IndexEntry>>(uint32_t p)> index;
  // The text of an earlier document (one a new document is aligned with).
  std::function<Result<std::string>(uint32_t doc)> text;
  // The occurrences of an earlier document.
  std::function<Result<std::vector<OccurrenceRecord>>(uint32_t doc)> occurrences;
};

// The run over all of `docs` given the run over docs[0, prior.first_new):
// only the new documents are tokenised, paired, aligned and placed. Texts
// of earlier documents may be empty in `docs` (prior.text gives those
// needed). The pairs, occurrences and boilerplate returned, added to the
// earlier run's, are a full run's (tested). Errors as FindCorpusReuse's,
// and those of the prior callbacks. compare_sides is refused: which
// documents take part depends on the sides.
Result<CorpusReuseResult> ExtendCorpusReuse(const std::vector<CorpusDoc>& docs,
                                            const CorpusReuseOptions& options,
                                            const PriorReuse& prior);

// Clusters from their occurrences (any order; cluster ids as given):
// occurrences sorted by (docs.id, start, end), origin and spread filled.
std::vector<ReuseCluster> BuildClusters(const std::vector<CorpusDoc>& docs,
                                        const std::vector<OccurrenceRecord>& occurrences);

}  // namespace echotrace::reuse

#endif  // ECHOTRACE_REUSE_CORPUS_REUSE_H_

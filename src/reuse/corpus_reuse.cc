// Corpus-level passage reuse, after passim (Smith, Cordell, Dillon 2013;
// Smith et al. 2014): rare shared word n-grams choose the document pairs,
// local alignment finds the passages, connected components group them.
//
// Data layout and why:
//  - Tokens live in chunks of kChunk documents (ids and byte offsets only,
//    no strings), so tokenising in parallel needs no second copy to join.
//  - The inverted index is a sort, not a hash table: every document's
//    distinct n-gram hashes are scattered into 256 partitions by their top
//    byte (a counting pass, then a fill pass at precomputed offsets, so the
//    layout does not depend on the thread count), and each partition is
//    sorted by (hash, chronological rank). A run of equal hashes is one
//    n-gram's posting list, earliest document first.
//  - Links (n-gram, pair) are written straight into buckets by the pair's
//    lower document, so counting shared anchors per pair is a sort of one
//    bucket at a time rather than of all links at once.
//  - The fan-out bound (each document linked to the earliest max_links
//    holders of an n-gram) replaces passim's hard document-frequency cut as
//    the cost control: a passage copied by thousands of accounts still
//    pairs every copy with the earliest ones, in links linear in the copies.
//    What is lost is the pair between two late copies through that n-gram;
//    for clusters it does not matter, both reach the early copies.
//  - Occurrence spans are token spans until the very end; identical spans
//    (the origin of a passage copied 5,000 times is one span 5,000 times)
//    are one node, so the overlap sweep stays small.
#include "reuse/corpus_reuse.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <tuple>
#include <utility>

#include "neardup/union_find.h"
#include "text/tokenizer.h"
#include "util/spill_files.h"

namespace echotrace::reuse {
namespace {

using neardup::UnionFind;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kChunk = 4096;      // documents per token chunk
constexpr uint32_t kPartitions = 256;  // n-gram partitions (top hash byte)
constexpr uint32_t kBuckets = 64;      // link buckets (by lower document)
constexpr uint32_t kAlignBatch = 512;  // candidate pairs per alignment task

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

int ThreadCount(int threads) {
  if (threads > 0) return threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

// Calls fn(i) for every i in [0, n) on up to `threads` threads. fn must
// write only to state owned by item i; results then do not depend on the
// thread count.
template <typename Fn>
void ParallelFor(size_t n, int threads, const Fn& fn) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) fn(i);
  };
  const size_t t = std::min<size_t>(static_cast<size_t>(threads), n);
  std::vector<std::thread> pool;
  for (size_t k = 1; k < t; ++k) pool.emplace_back(work);
  work();
  for (std::thread& th : pool) th.join();
}

struct TokenChunk {
  std::vector<uint32_t> off{0};  // local doc i: tokens [off[i], off[i+1])
  std::vector<TokenId> ids;
  std::vector<uint32_t> start, end;  // byte offsets of each token
  std::vector<uint64_t> content;     // ContentSignature of each document
};

// What tells boilerplate from a copied post: the smallest n-gram hash of
// the document's words (links, mentions, hashtags and emoji left out, as
// copies in a ring vary them). Copies of one text share it; documents that
// only share a footer almost never do (only when the footer holds their
// smallest n-gram). The whole-text hash for documents under n words.
uint64_t ContentSignature(std::span<const TokenId> words, uint32_t n) {
  if (words.size() < n) return words.empty() ? 0 : NgramHash(words);
  uint64_t best = UINT64_MAX;
  for (uint64_t h : NgramHashes(words, n)) best = std::min(best, h);
  return best;
}

// Token ids and byte offsets of every document, by document index.
class TokenTable {
 public:
  void Build(const std::vector<CorpusDoc>& docs, bool compare_sides, uint32_t n, int threads) {
    chunks_.resize((docs.size() + kChunk - 1) / kChunk);
    ParallelFor(chunks_.size(), threads, [&](size_t c) {
      TokenChunk& ch = chunks_[c];
      const size_t end = std::min(docs.size(), (c + 1) * size_t{kChunk});
      for (size_t d = c * kChunk; d < end; ++d) {
        std::vector<TokenId> words;
        if (!compare_sides || docs[d].side != Side::kNone) {
          for (const Token& t : Tokenize(docs[d].text)) {
            ch.ids.push_back(TokenIdOf(t.norm));
            ch.start.push_back(t.start);
            ch.end.push_back(t.end);
            const bool word = t.kind == TokenKind::kWord || t.kind == TokenKind::kNumber ||
                              t.kind == TokenKind::kCjk;
            if (word) words.push_back(ch.ids.back());
          }
        }
        ch.off.push_back(static_cast<uint32_t>(ch.ids.size()));
        ch.content.push_back(ContentSignature(words, n));
      }
    });
  }
  std::span<const TokenId> Ids(uint32_t d) const {
    const TokenChunk& ch = chunks_[d / kChunk];
    const uint32_t i = d % kChunk;
    return {ch.ids.data() + ch.off[i], ch.off[i + 1] - ch.off[i]};
  }
  // Byte span of tokens [begin, end) of document d (end > begin).
  std::pair<uint32_t, uint32_t> Bytes(uint32_t d, uint32_t begin, uint32_t end) const {
    const TokenChunk& ch = chunks_[d / kChunk];
    const uint32_t base = ch.off[d % kChunk];
    return {ch.start[base + begin], ch.end[base + end - 1]};
  }
  uint64_t Content(uint32_t d) const { return chunks_[d / kChunk].content[d % kChunk]; }
  void Clear() { std::vector<TokenChunk>().swap(chunks_); }
  size_t chunks() const { return chunks_.size(); }
  uint64_t tokens() const {
    uint64_t n = 0;
    for (const TokenChunk& ch : chunks_) n += ch.ids.size();
    return n;
  }

 private:
  std::vector<TokenChunk> chunks_;
};

// Distinct n-gram hashes of one document, sorted.
std::vector<uint64_t> DocGrams(const TokenTable& tt, uint32_t d, uint32_t n) {
  std::vector<uint64_t> h = NgramHashes(tt.Ids(d), n);
  std::sort(h.begin(), h.end());
  h.erase(std::unique(h.begin(), h.end()), h.end());
  return h;
}

struct Entry {
  uint64_t hash;
  uint32_t rank;      // chronological rank of the document
  uint32_t zero = 0;  // padding with a value: entries are written to spill files
  bool operator<(const Entry& o) const { return hash != o.hash ? hash < o.hash : rank < o.rank; }
};

// What one partition's posting lists yield.
struct PartitionOut {
  std::vector<std::vector<uint64_t>> links;  // per bucket: lo << 32 | hi
  std::vector<uint64_t> disallowed;          // boilerplate or too common
  std::vector<Boilerplate> boilerplate;
  uint64_t shared = 0, too_common = 0, boilerplate_ngrams = 0, link_count = 0;
};

class Indexer {
 public:
  Indexer(const std::vector<CorpusDoc>& docs, const TokenTable& tt, const CorpusReuseOptions& o)
      : docs_(docs), tt_(tt), o_(o) {
    Rank();
    source_docs_.assign(1, 0);
    for (const CorpusDoc& d : docs_) {
      if (!Takes(d)) continue;
      if (d.source >= source_docs_.size()) source_docs_.resize(d.source + 1, 0);
      source_docs_[d.source]++;
    }
    bucket_width_ = static_cast<uint32_t>(docs_.size() / kBuckets + 1);
  }

  // Fills `entries`, partition p at [bounds[p], bounds[p+1]).
  void Scatter(int threads, std::vector<Entry>* entries, std::vector<size_t>* bounds,
               uint64_t* ngrams) const;
  // The same entries, appended to spill bucket p for partition p (in an
  // order that depends on the threads; partitions are sorted before use).
  Status ScatterToSpill(int threads, SpillFiles* spill, uint64_t* ngrams) const;
  void ProcessPartition(std::span<Entry> entries, PartitionOut* out) const;
  uint32_t bucket_width() const { return bucket_width_; }

 private:
  bool Takes(const CorpusDoc& d) const { return !o_.compare_sides || d.side != Side::kNone; }
  void Rank();
  bool CheckBoilerplate(uint64_t hash, const std::vector<uint32_t>& run, PartitionOut* out) const;
  void Link(const std::vector<uint32_t>& run, PartitionOut* out) const;
  void Emit(uint32_t x, uint32_t y, PartitionOut* out) const {
    const uint32_t lo = std::min(x, y), hi = std::max(x, y);
    out->links[lo / bucket_width_].push_back(uint64_t{lo} << 32 | hi);
    out->link_count++;
  }

  const std::vector<CorpusDoc>& docs_;
  const TokenTable& tt_;
  const CorpusReuseOptions& o_;
  std::vector<uint32_t> rank_, by_rank_;
  std::vector<uint32_t> source_docs_;
  uint32_t bucket_width_ = 1;
};

// Chronological order: known times first, by time; then docs.id.
void Indexer::Rank() {
  by_rank_.resize(docs_.size());
  for (uint32_t i = 0; i < by_rank_.size(); ++i) by_rank_[i] = i;
  auto key = [&](uint32_t i) {
    const CorpusDoc& d = docs_[i];
    return std::make_tuple(!d.time.has_value(), d.time.value_or(0), d.id);
  };
  std::sort(by_rank_.begin(), by_rank_.end(),
            [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
  rank_.resize(docs_.size());
  for (uint32_t r = 0; r < by_rank_.size(); ++r) rank_[by_rank_[r]] = r;
}

void Indexer::Scatter(int threads, std::vector<Entry>* entries, std::vector<size_t>* bounds,
                      uint64_t* ngrams) const {
  const uint32_t n = o_.passage.anchors.n;
  const size_t chunks = tt_.chunks();
  std::vector<std::vector<size_t>> count(chunks, std::vector<size_t>(kPartitions, 0));
  auto docs_of = [&](size_t c) {
    return std::make_pair(c * kChunk, std::min(docs_.size(), (c + 1) * size_t{kChunk}));
  };
  ParallelFor(chunks, threads, [&](size_t c) {
    auto [b, e] = docs_of(c);
    for (size_t d = b; d < e; ++d) {
      for (uint64_t h : DocGrams(tt_, static_cast<uint32_t>(d), n)) count[c][h >> 56]++;
    }
  });
  // Partition-major, chunk-minor offsets: the layout is fixed by the input.
  bounds->assign(kPartitions + 1, 0);
  std::vector<std::vector<size_t>> pos(chunks, std::vector<size_t>(kPartitions, 0));
  size_t total = 0;
  for (uint32_t p = 0; p < kPartitions; ++p) {
    (*bounds)[p] = total;
    for (size_t c = 0; c < chunks; ++c) {
      pos[c][p] = total;
      total += count[c][p];
    }
  }
  (*bounds)[kPartitions] = total;
  *ngrams = total;
  entries->resize(total);
  ParallelFor(chunks, threads, [&](size_t c) {
    auto [b, e] = docs_of(c);
    for (size_t d = b; d < e; ++d) {
      for (uint64_t h : DocGrams(tt_, static_cast<uint32_t>(d), n)) {
        (*entries)[pos[c][h >> 56]++] = {h, rank_[d]};
      }
    }
  });
}

Status Indexer::ScatterToSpill(int threads, SpillFiles* spill, uint64_t* ngrams) const {
  constexpr size_t kFlush = 8192;  // entries per partition buffer (128 KiB)
  const uint32_t n = o_.passage.anchors.n;
  const size_t chunks = tt_.chunks();
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> total{0};
  std::mutex mu;
  Status first;
  auto work = [&] {
    std::vector<std::vector<Entry>> buf(kPartitions);
    uint64_t made = 0;
    Status st;
    auto flush = [&](uint32_t p) {
      if (st.ok()) st = spill->Append(p, std::span<const Entry>(buf[p]));
      buf[p].clear();
    };
    for (size_t c = next.fetch_add(1); c < chunks && st.ok(); c = next.fetch_add(1)) {
      const size_t end = std::min(docs_.size(), (c + 1) * size_t{kChunk});
      for (size_t d = c * kChunk; d < end; ++d) {
        for (uint64_t h : DocGrams(tt_, static_cast<uint32_t>(d), n)) {
          const uint32_t p = static_cast<uint32_t>(h >> 56);
          buf[p].push_back({h, rank_[d]});
          ++made;
          if (buf[p].size() == kFlush) flush(p);
        }
      }
    }
    for (uint32_t p = 0; p < kPartitions; ++p) flush(p);
    total += made;
    std::lock_guard<std::mutex> lock(mu);
    if (first.ok()) first = st;
  };
  const size_t t = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(threads), chunks));
  std::vector<std::thread> pool;
  for (size_t k = 1; k < t; ++k) pool.emplace_back(work);
  work();
  for (std::thread& th : pool) th.join();
  *ngrams = total;
  return first;
}

// Records `hash` as boilerplate of every source that repeats it in enough
// of its documents with different content (distinct ContentSignature, so
// that a post copied by many accounts of one platform is not boilerplate);
// true when it is boilerplate of any. `run`: document indexes in
// chronological order.
bool Indexer::CheckBoilerplate(uint64_t hash, const std::vector<uint32_t>& run,
                               PartitionOut* out) const {
  if (run.size() < o_.boilerplate_min_docs) return false;
  struct Held {
    uint32_t source;
    uint64_t content;
    uint32_t order;  // position in run
  };
  std::vector<Held> held;
  held.reserve(run.size());
  for (uint32_t i = 0; i < run.size(); ++i) {
    held.push_back({docs_[run[i]].source, tt_.Content(run[i]), i});
  }
  std::sort(held.begin(), held.end(), [](const Held& x, const Held& y) {
    return std::tie(x.source, x.content, x.order) < std::tie(y.source, y.content, y.order);
  });
  bool any = false;
  for (size_t i = 0; i < held.size();) {
    size_t j = i;
    uint32_t distinct = 0, first = UINT32_MAX;
    for (; j < held.size() && held[j].source == held[i].source; ++j) {
      distinct += j == i || held[j].content != held[j - 1].content;
      first = std::min(first, held[j].order);
    }
    const uint32_t s = held[i].source;
    if (distinct >= o_.boilerplate_min_docs && distinct > o_.boilerplate_share * source_docs_[s]) {
      out->boilerplate.push_back({s, hash, static_cast<uint32_t>(j - i), run[first], 0, 0});
      any = true;
    }
    i = j;
  }
  return any;
}

// Pairs the documents of one posting list (chronological), bounded fan-out.
void Indexer::Link(const std::vector<uint32_t>& run, PartitionOut* out) const {
  const uint32_t fan = o_.max_links;
  if (!o_.compare_sides) {
    for (size_t i = 0; i < run.size() && i < fan; ++i) {
      for (size_t j = i + 1; j < run.size(); ++j) Emit(run[i], run[j], out);
    }
    return;
  }
  // Each side's earliest `fan` documents with every document of the other
  // side (a pair of two such early documents is made once).
  std::vector<uint32_t> side_a, side_b;
  for (uint32_t d : run) (docs_[d].side == Side::kA ? side_a : side_b).push_back(d);
  for (size_t i = 0; i < side_a.size() && i < fan; ++i) {
    for (uint32_t b : side_b) Emit(side_a[i], b, out);
  }
  for (size_t i = 0; i < side_b.size() && i < fan; ++i) {
    for (size_t j = fan; j < side_a.size(); ++j) Emit(side_a[j], side_b[i], out);
  }
}

void Indexer::ProcessPartition(std::span<Entry> entries, PartitionOut* out) const {
  out->links.resize(kBuckets);
  std::sort(entries.begin(), entries.end());
  std::vector<uint32_t> run;
  for (size_t i = 0; i < entries.size();) {
    size_t j = i;
    while (j < entries.size() && entries[j].hash == entries[i].hash) ++j;
    const uint64_t hash = entries[i].hash;
    const size_t df = j - i;
    if (df >= 2) {
      out->shared++;
      run.clear();
      for (size_t k = i; k < j; ++k) run.push_back(by_rank_[entries[k].rank]);
      if (CheckBoilerplate(hash, run, out)) {
        out->boilerplate_ngrams++;
        out->disallowed.push_back(hash);
      } else if (df > o_.max_df) {
        out->too_common++;
        out->disallowed.push_back(hash);
      } else {
        Link(run, out);
      }
    }
    i = j;
  }
}

// Pairs linked through at least k n-grams, sorted, from one bucket of links.
std::vector<uint64_t> CountLinks(std::vector<uint64_t> links, uint32_t k) {
  std::sort(links.begin(), links.end());
  std::vector<uint64_t> out;
  for (size_t i = 0; i < links.size();) {
    size_t j = i;
    while (j < links.size() && links[j] == links[i]) ++j;
    if (j - i >= k) out.push_back(links[i]);
    i = j;
  }
  return out;
}

// One bucket of links gathered from every partition (the partitions'
// vectors are released).
std::vector<uint64_t> GatherBucket(std::vector<PartitionOut>* parts, uint32_t q) {
  size_t total = 0;
  for (PartitionOut& p : *parts) total += p.links[q].size();
  std::vector<uint64_t> links;
  links.reserve(total);
  for (PartitionOut& p : *parts) {
    links.insert(links.end(), p.links[q].begin(), p.links[q].end());
    std::vector<uint64_t>().swap(p.links[q]);
  }
  return links;
}

// A passage pair with its token spans (for clustering) and byte offsets.
struct Found {
  ReusePair pair;
  uint32_t a_begin, a_end, b_begin, b_end;  // token spans
};

struct AlignBatch {
  std::vector<Found> found;
  Status status;
};

void AlignRange(std::span<const uint64_t> cands, const TokenTable& tt, const CorpusReuseOptions& o,
                const NgramFilter& allowed, AlignBatch* out) {
  for (uint64_t key : cands) {
    const uint32_t a = static_cast<uint32_t>(key >> 32), b = static_cast<uint32_t>(key);
    Result<std::vector<PassagePair>> r = FindPassages(tt.Ids(a), tt.Ids(b), o.passage, allowed);
    if (!r.ok()) {
      out->status = r.status();
      return;
    }
    for (const PassagePair& p : *r) {
      const Alignment& al = p.alignment;
      Found f{{}, al.a_begin, al.a_end, al.b_begin, al.b_end};
      f.pair.a = a;
      f.pair.b = b;
      std::tie(f.pair.a_start, f.pair.a_end) = tt.Bytes(a, al.a_begin, al.a_end);
      std::tie(f.pair.b_start, f.pair.b_end) = tt.Bytes(b, al.b_begin, al.b_end);
      f.pair.identity = p.identity;
      f.pair.containment = p.containment;
      out->found.push_back(f);
    }
  }
}

}  // namespace

Status ValidateCorpusReuseOptions(const CorpusReuseOptions& o) {
  ET_RETURN_IF_ERROR(ValidatePassageParams(o.passage));
  if (o.max_df < 2) return Status::InvalidArgument("reuse: max_df must be at least 2");
  if (o.max_links < 1) return Status::InvalidArgument("reuse: max_links must be at least 1");
  if (o.min_shared_anchors < 1) {
    return Status::InvalidArgument("reuse: min_shared_anchors must be at least 1");
  }
  if (o.boilerplate_min_docs < 2) {
    return Status::InvalidArgument("reuse: boilerplate_min_docs must be at least 2");
  }
  if (!(o.boilerplate_share > 0 && o.boilerplate_share <= 1)) {
    return Status::InvalidArgument("reuse: boilerplate_share must be in (0, 1]");
  }
  if (!(o.merge_overlap > 0 && o.merge_overlap <= 1)) {
    return Status::InvalidArgument("reuse: merge_overlap must be in (0, 1]");
  }
  return Status::OK();
}

namespace {

Status CheckInput(const std::vector<CorpusDoc>& docs) {
  if (docs.size() >= std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("reuse: 2^32 or more documents");
  }
  std::vector<int64_t> ids;
  ids.reserve(docs.size());
  for (const CorpusDoc& d : docs) {
    if (d.text.size() >= std::numeric_limits<uint32_t>::max()) {
      return Status::InvalidArgument("reuse: document " + std::to_string(d.id) +
                                     " is 4 GiB or longer");
    }
    ids.push_back(d.id);
  }
  std::sort(ids.begin(), ids.end());
  const auto dup = std::adjacent_find(ids.begin(), ids.end());
  if (dup != ids.end()) {
    return Status::InvalidArgument("reuse: document id " + std::to_string(*dup) +
                                   " is given twice");
  }
  return Status::OK();
}

// Index, links and candidate pairs; fills the disallowed set (sorted) and
// the boilerplate records.
Result<std::vector<uint64_t>> Candidates(const std::vector<CorpusDoc>& docs, const TokenTable& tt,
                                         const CorpusReuseOptions& o, int threads,
                                         std::vector<uint64_t>* disallowed,
                                         CorpusReuseResult* res) {
  auto t0 = Clock::now();
  Indexer ix(docs, tt, o);
  std::vector<PartitionOut> parts(kPartitions);
  std::unique_ptr<SpillFiles> grams, links;
  if (o.spill_dir.empty()) {
    std::vector<Entry> entries;
    std::vector<size_t> bounds;
    ix.Scatter(threads, &entries, &bounds, &res->stats.ngrams);
    ParallelFor(kPartitions, threads, [&](size_t p) {
      ix.ProcessPartition(std::span<Entry>(entries.data() + bounds[p], bounds[p + 1] - bounds[p]),
                          &parts[p]);
    });
  } else {
    // One partition of the index and its links in memory per thread; the
    // links go to their bucket's file as each partition is done.
    ET_ASSIGN_OR_RETURN(grams,
                        SpillFiles::Create(o.spill_dir, "echotrace-reuse-index", kPartitions));
    ET_ASSIGN_OR_RETURN(links, SpillFiles::Create(o.spill_dir, "echotrace-reuse-links", kBuckets));
    ET_RETURN_IF_ERROR(ix.ScatterToSpill(threads, grams.get(), &res->stats.ngrams));
    std::vector<Status> failed(kPartitions);
    ParallelFor(kPartitions, threads, [&](size_t p) {
      Result<std::vector<Entry>> entries = grams->Take<Entry>(p);
      if (!entries.ok()) {
        failed[p] = entries.status();
        return;
      }
      ix.ProcessPartition(std::span<Entry>(*entries), &parts[p]);
      for (uint32_t q = 0; q < kBuckets && failed[p].ok(); ++q) {
        failed[p] = links->Append(q, std::span<const uint64_t>(parts[p].links[q]));
        std::vector<uint64_t>().swap(parts[p].links[q]);
      }
    });
    for (const Status& st : failed) ET_RETURN_IF_ERROR(st);
  }
  for (PartitionOut& p : parts) {
    res->stats.shared_ngrams += p.shared;
    res->stats.too_common_ngrams += p.too_common;
    res->stats.boilerplate_ngrams += p.boilerplate_ngrams;
    res->stats.pair_links += p.link_count;
    disallowed->insert(disallowed->end(), p.disallowed.begin(), p.disallowed.end());
    res->boilerplate.insert(res->boilerplate.end(), p.boilerplate.begin(), p.boilerplate.end());
  }
  std::sort(disallowed->begin(), disallowed->end());
  res->stats.index_s = Since(t0);

  t0 = Clock::now();
  std::vector<std::vector<uint64_t>> per_bucket(kBuckets);
  std::vector<Status> failed(kBuckets);
  ParallelFor(kBuckets, threads, [&](size_t q) {
    if (!links) {
      per_bucket[q] =
          CountLinks(GatherBucket(&parts, static_cast<uint32_t>(q)), o.min_shared_anchors);
      return;
    }
    Result<std::vector<uint64_t>> bucket = links->Take<uint64_t>(q);
    if (!bucket.ok()) {
      failed[q] = bucket.status();
      return;
    }
    per_bucket[q] = CountLinks(std::move(*bucket), o.min_shared_anchors);
  });
  for (const Status& st : failed) ET_RETURN_IF_ERROR(st);
  std::vector<uint64_t> cands;
  for (auto& b : per_bucket) cands.insert(cands.end(), b.begin(), b.end());
  res->stats.candidate_pairs = cands.size();
  res->stats.candidates_s = Since(t0);
  return cands;
}

// Byte span of each boilerplate n-gram in its example document.
void LocateBoilerplate(const TokenTable& tt, uint32_t n, std::vector<Boilerplate>* bp) {
  for (Boilerplate& b : *bp) {
    const std::span<const TokenId> ids = tt.Ids(b.example_doc);
    const std::vector<uint64_t> h = NgramHashes(ids, n);
    const auto it = std::find(h.begin(), h.end(), b.ngram_hash);
    if (it == h.end()) continue;  // cannot happen: the hash came from this document
    const uint32_t i = static_cast<uint32_t>(it - h.begin());
    std::tie(b.example_start, b.example_end) = tt.Bytes(b.example_doc, i, i + n);
  }
  std::sort(bp->begin(), bp->end(), [](const Boilerplate& x, const Boilerplate& y) {
    return std::tie(x.source, x.ngram_hash) < std::tie(y.source, y.ngram_hash);
  });
}

// The aligned passage pairs and, index for index, their token spans (kept
// apart so that the pairs become the result without a copy once the spans
// have served the clustering).
struct Aligned {
  struct Tokens {
    uint32_t a_begin, a_end, b_begin, b_end;
  };
  std::vector<ReusePair> pairs;
  std::vector<Tokens> tokens;
};

Result<Aligned> AlignAll(const std::vector<uint64_t>& cands, const TokenTable& tt,
                         const CorpusReuseOptions& o, int threads,
                         const std::vector<uint64_t>& disallowed) {
  const NgramFilter allowed = [&disallowed](uint64_t h) {
    return !std::binary_search(disallowed.begin(), disallowed.end(), h);
  };
  std::vector<AlignBatch> batches((cands.size() + kAlignBatch - 1) / kAlignBatch);
  ParallelFor(batches.size(), threads, [&](size_t i) {
    const size_t b = i * kAlignBatch, e = std::min(cands.size(), b + kAlignBatch);
    AlignRange(std::span<const uint64_t>(cands.data() + b, e - b), tt, o, allowed, &batches[i]);
  });
  size_t total = 0;
  for (const AlignBatch& b : batches) {
    if (!b.status.ok()) return b.status;
    total += b.found.size();
  }
  Aligned out;
  out.pairs.reserve(total);
  out.tokens.reserve(total);
  // One pair's passages come in order; the same spans twice are one. Each
  // batch is released once copied: at five copies of the IRA corpus the
  // batches and the result were 1.6 GB each.
  for (AlignBatch& b : batches) {
    for (const Found& f : b.found) {
      if (!out.pairs.empty()) {
        const ReusePair& p = out.pairs.back();
        const Aligned::Tokens& t = out.tokens.back();
        if (std::tie(p.a, p.b, t.a_begin, t.a_end, t.b_begin, t.b_end) ==
            std::tie(f.pair.a, f.pair.b, f.a_begin, f.a_end, f.b_begin, f.b_end)) {
          continue;
        }
      }
      out.pairs.push_back(f.pair);
      out.tokens.push_back({f.a_begin, f.a_end, f.b_begin, f.b_end});
    }
    std::vector<Found>().swap(b.found);
  }
  return out;
}

// ---- Clustering ----

struct Span {
  uint32_t doc, begin, end;  // tokens: what identifies and orders spans
  // Byte offsets of the same span (from the aligned pair), so that the
  // token table can be released before clustering.
  uint32_t byte_start = 0, byte_end = 0;
  bool operator<(const Span& o) const {
    return std::tie(doc, begin, end) < std::tie(o.doc, o.begin, o.end);
  }
  bool operator==(const Span& o) const {
    return std::tie(doc, begin, end) == std::tie(o.doc, o.begin, o.end);
  }
};

bool Overlaps(const Span& x, const Span& y, double share) {
  const uint32_t lo = std::max(x.begin, y.begin), hi = std::min(x.end, y.end);
  if (hi <= lo) return false;
  // Measured against the LONGER span: a sentence X inside a longer aligned
  // stretch "X Y" is not the same occurrence as "X Y", or every passage
  // that merely sits next to another in some document would be chained
  // into one cluster (seen on the demo corpus: one component of 4,000
  // occurrences of unrelated sentences).
  const uint32_t longer = std::max(x.end - x.begin, y.end - y.begin);
  return double(hi - lo) >= share * double(longer);
}

// Unions overlapping spans of one document. `spans` is sorted; a backwards
// scan stops once no earlier span reaches `begin`.
void MergeOverlaps(const std::vector<Span>& spans, double share, UnionFind* occ) {
  std::vector<uint32_t> reach(spans.size());  // max end over the doc's spans up to i
  for (size_t i = 0; i < spans.size(); ++i) {
    const bool first = i == 0 || spans[i - 1].doc != spans[i].doc;
    reach[i] = first ? spans[i].end : std::max(reach[i - 1], spans[i].end);
    for (size_t j = i; j-- > 0;) {
      if (spans[j].doc != spans[i].doc || reach[j] <= spans[i].begin) break;
      if (Overlaps(spans[j], spans[i], share)) {
        occ->Union(static_cast<uint32_t>(i), static_cast<uint32_t>(j));
      }
    }
  }
}

// The order in which occurrences count as earlier (the origin is the
// first): known times before unknown ones, then time, docs.id and offset.
std::tuple<bool, int64_t, int64_t, uint32_t> OriginKey(const CorpusDoc& d, uint32_t offset) {
  return {!d.time.has_value(), d.time.value_or(0), d.id, offset};
}

void Summarise(const std::vector<CorpusDoc>& docs, ReuseCluster* c) {
  auto origin_key = [&](const ReuseOccurrence& x) { return OriginKey(docs[x.doc], x.start); };
  std::vector<uint32_t> srcs, auths;
  uint32_t prev_doc = UINT32_MAX;
  for (uint32_t i = 0; i < c->occurrences.size(); ++i) {
    const ReuseOccurrence& x = c->occurrences[i];
    if (origin_key(x) < origin_key(c->occurrences[c->origin])) c->origin = i;
    if (x.doc == prev_doc) continue;
    prev_doc = x.doc;
    const CorpusDoc& d = docs[x.doc];
    c->documents++;
    srcs.push_back(d.source);
    if (d.author != CorpusDoc::kNoAuthor) auths.push_back(d.author);
    if (d.time) {
      c->first_time = c->first_time ? std::min(*c->first_time, *d.time) : *d.time;
      c->last_time = c->last_time ? std::max(*c->last_time, *d.time) : *d.time;
    }
  }
  for (auto* v : {&srcs, &auths}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  c->sources = static_cast<uint32_t>(srcs.size());
  c->authors = static_cast<uint32_t>(auths.size());
}

// See Cluster: centres aligned at least this share of the strongest
// alignment's matching tokens count as equally good partners.
constexpr double kNearlyAsStrong = 0.8;

std::vector<ReuseCluster> Cluster(const std::vector<CorpusDoc>& docs, const Aligned& found,
                                  double share) {
  std::vector<Span> spans;
  spans.reserve(2 * found.pairs.size());
  for (size_t i = 0; i < found.pairs.size(); ++i) {
    const ReusePair& p = found.pairs[i];
    const Aligned::Tokens& t = found.tokens[i];
    spans.push_back({p.a, t.a_begin, t.a_end, p.a_start, p.a_end});
    spans.push_back({p.b, t.b_begin, t.b_end, p.b_start, p.b_end});
  }
  std::sort(spans.begin(), spans.end());
  spans.erase(std::unique(spans.begin(), spans.end()), spans.end());
  spans.shrink_to_fit();  // a passage's origin span recurs once per copy aligned with it
  const uint32_t n = static_cast<uint32_t>(spans.size());
  UnionFind occ(n);
  MergeOverlaps(spans, share, &occ);
  auto node = [&](const Span& s) {
    return static_cast<uint32_t>(std::lower_bound(spans.begin(), spans.end(), s) - spans.begin());
  };
  // Occurrence = overlap group: the union of its spans.
  std::vector<uint32_t> occ_index(n, UINT32_MAX), occ_of(n);
  std::vector<Span> occ_span;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t r = occ.Find(i);
    if (occ_index[r] == UINT32_MAX) {
      occ_index[r] = static_cast<uint32_t>(occ_span.size());
      occ_span.push_back(spans[i]);
    }
    occ_of[i] = occ_index[r];
    // The union of its spans; byte offsets grow with token offsets.
    Span& s = occ_span[occ_index[r]];
    s.begin = std::min(s.begin, spans[i].begin);
    s.end = std::max(s.end, spans[i].end);
    s.byte_start = std::min(s.byte_start, spans[i].byte_start);
    s.byte_end = std::max(s.byte_end, spans[i].byte_end);
  }
  const uint32_t m = static_cast<uint32_t>(occ_span.size());
  std::vector<uint32_t>().swap(occ_index);

  // The alignment graph over occurrences, as sorted adjacency lists; an
  // edge's strength is the aligned passage's matching tokens (identity times
  // the shorter side's length), the best over the pairs behind it.
  struct Edge {
    uint32_t from, to;
    double strength;
  };
  std::vector<Edge> edges;
  edges.reserve(2 * found.pairs.size());
  for (size_t i = 0; i < found.pairs.size(); ++i) {
    const ReusePair& p = found.pairs[i];
    const Aligned::Tokens& t = found.tokens[i];
    const uint32_t a = occ_of[node({p.a, t.a_begin, t.a_end})];
    const uint32_t b = occ_of[node({p.b, t.b_begin, t.b_end})];
    if (a == b) continue;
    const double strength = p.identity * double(std::min(t.a_end - t.a_begin, t.b_end - t.b_begin));
    edges.push_back({a, b, strength});
    edges.push_back({b, a, strength});
  }
  // The spans were needed only to find each pair's occurrences.
  std::vector<Span>().swap(spans);
  std::vector<uint32_t>().swap(occ_of);
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    return std::tie(x.from, x.to, y.strength) < std::tie(y.from, y.to, x.strength);
  });  // strongest first within (from, to)
  edges.erase(
      std::unique(edges.begin(), edges.end(),
                  [](const Edge& x, const Edge& y) { return x.from == y.from && x.to == y.to; }),
      edges.end());
  std::vector<uint32_t> first_edge(m + 1, 0);
  for (const Edge& e : edges) first_edge[e.from + 1]++;
  for (uint32_t i = 0; i < m; ++i) first_edge[i + 1] += first_edge[i];

  // Centre-based clustering in origin order (earliest known time, then
  // docs.id, then offset). An occurrence joins the cluster of the earliest
  // *centre* among those it is aligned with nearly as strongly as with the
  // strongest (kNearlyAsStrong), or becomes a centre. Strength keeps an
  // edited copy of passage P that also shares a stock phrase with an older
  // passage with P; among comparable partners the earliest wins, so a quote
  // joins its origin rather than a later copy that carries a few more words
  // around it. Single linkage over
  // the alignment graph would chain unrelated passages through documents
  // built from the same phrases (forum posts assembled from a few dozen
  // stock sentences aligned in overlapping stretches, so that a chain of
  // pairs joined them all into one component of thousands of occurrences);
  // a centre is the passage's earliest occurrence, and the bounded fan-out
  // of the candidate step links every copy to the earliest holders of its
  // n-grams, so a copy is aligned with its origin directly. Each cluster is
  // therefore a subset of a connected component, held together by direct
  // alignments with one centre.
  auto origin_key = [&](uint32_t k) { return OriginKey(docs[occ_span[k].doc], occ_span[k].begin); };
  std::vector<uint32_t> order(m);
  for (uint32_t i = 0; i < m; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t x, uint32_t y) { return origin_key(x) < origin_key(y); });
  std::vector<uint32_t> rank(m);
  for (uint32_t r = 0; r < m; ++r) rank[order[r]] = r;
  std::vector<uint32_t> cluster_of(m, UINT32_MAX);
  std::vector<bool> centre(m, false);
  std::vector<ReuseCluster> clusters;
  for (uint32_t k : order) {
    double strongest = 0;  // over k's earlier centres
    for (uint32_t e = first_edge[k]; e < first_edge[k + 1]; ++e) {
      const uint32_t nb = edges[e].to;
      if (centre[nb] && rank[nb] < rank[k]) strongest = std::max(strongest, edges[e].strength);
    }
    uint32_t best = UINT32_MAX;  // the earliest centre nearly as strong as the strongest
    for (uint32_t e = first_edge[k]; e < first_edge[k + 1]; ++e) {
      const uint32_t nb = edges[e].to;
      if (!centre[nb] || rank[nb] > rank[k] || edges[e].strength < kNearlyAsStrong * strongest) {
        continue;
      }
      if (best == UINT32_MAX || rank[nb] < rank[best]) best = nb;
    }
    if (best == UINT32_MAX) {
      centre[k] = true;
      cluster_of[k] = static_cast<uint32_t>(clusters.size());
      clusters.emplace_back();
    } else {
      cluster_of[k] = cluster_of[best];
    }
  }
  // A centre that no later occurrence joined (each of its neighbours is an
  // earlier non-centre or joined an earlier centre) would be a cluster of
  // one: it goes to the cluster of its earliest neighbour instead, which has
  // a centre of its own and so at least two members. Nothing aligned is
  // dropped.
  std::vector<uint32_t> members(clusters.size(), 0);
  for (uint32_t k = 0; k < m; ++k) members[cluster_of[k]]++;
  for (uint32_t k : order) {
    if (!centre[k] || members[cluster_of[k]] > 1) continue;
    uint32_t best = UINT32_MAX;
    for (uint32_t e = first_edge[k]; e < first_edge[k + 1]; ++e) {
      const uint32_t nb = edges[e].to;
      if (best == UINT32_MAX || rank[nb] < rank[best]) best = nb;
    }
    if (best == UINT32_MAX) continue;  // cannot happen: every occurrence has a partner
    members[cluster_of[k]]--;
    cluster_of[k] = cluster_of[best];
    members[cluster_of[k]]++;
  }
  std::vector<uint32_t> renumber(clusters.size(), UINT32_MAX);
  uint32_t kept = 0;
  for (uint32_t c = 0; c < clusters.size(); ++c) {
    if (members[c] > 0) renumber[c] = kept++;
  }
  clusters.resize(kept);
  for (uint32_t k = 0; k < m; ++k) {
    const Span& s = occ_span[k];
    clusters[renumber[cluster_of[k]]].occurrences.push_back({s.doc, s.byte_start, s.byte_end});
  }
  auto occ_key = [&](const ReuseOccurrence& x) {
    return std::make_tuple(docs[x.doc].id, x.start, x.end);
  };
  for (ReuseCluster& c : clusters) {
    std::sort(c.occurrences.begin(), c.occurrences.end(),
              [&](const auto& x, const auto& y) { return occ_key(x) < occ_key(y); });
    Summarise(docs, &c);
  }
  std::sort(clusters.begin(), clusters.end(), [&](const ReuseCluster& x, const ReuseCluster& y) {
    return occ_key(x.occurrences[0]) < occ_key(y.occurrences[0]);
  });
  return clusters;
}

}  // namespace

Result<CorpusReuseResult> FindCorpusReuse(const std::vector<CorpusDoc>& docs,
                                          const CorpusReuseOptions& o) {
  ET_RETURN_IF_ERROR(ValidateCorpusReuseOptions(o));
  ET_RETURN_IF_ERROR(CheckInput(docs));
  const int threads = ThreadCount(o.threads);
  CorpusReuseResult res;
  for (const CorpusDoc& d : docs) res.stats.documents += !o.compare_sides || d.side != Side::kNone;

  auto t0 = Clock::now();
  TokenTable tt;
  tt.Build(docs, o.compare_sides, o.passage.anchors.n, threads);
  res.stats.tokens = tt.tokens();
  res.stats.tokenize_s = Since(t0);

  std::vector<uint64_t> disallowed;
  ET_ASSIGN_OR_RETURN(std::vector<uint64_t> cands,
                      Candidates(docs, tt, o, threads, &disallowed, &res));
  LocateBoilerplate(tt, o.passage.anchors.n, &res.boilerplate);

  t0 = Clock::now();
  ET_ASSIGN_OR_RETURN(Aligned found, AlignAll(cands, tt, o, threads, disallowed));
  std::vector<uint64_t>().swap(cands);
  res.stats.align_s = Since(t0);

  t0 = Clock::now();
  // Byte offsets are in the pairs now: the tokens (12 bytes each, 3.9 GB
  // for ten copies of the IRA tweets) go before clustering.
  tt.Clear();
  res.clusters = Cluster(docs, found, o.merge_overlap);
  res.pairs = std::move(found.pairs);
  std::vector<Aligned::Tokens>().swap(found.tokens);
  res.stats.passage_pairs = res.pairs.size();
  res.stats.clusters = res.clusters.size();
  for (const ReuseCluster& c : res.clusters) res.stats.occurrences += c.occurrences.size();
  res.stats.cluster_s = Since(t0);
  return res;
}

}  // namespace echotrace::reuse

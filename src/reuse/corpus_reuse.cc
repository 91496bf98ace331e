// Corpus-level passage reuse, after passim (Smith, Cordell, Dillon 2013;
// Smith et al. 2014): rare shared word n-grams choose the document pairs,
// local alignment finds the passages, clustering around centres groups them.
//
// Data layout and why:
//  - Tokens live in chunks of kChunk documents (ids and byte offsets only,
//    no strings), so tokenising in parallel needs no second copy to join.
//  - The inverted index is a sort, not a hash table: every new document's
//    distinct n-gram hashes are scattered into 256 partitions by their top
//    byte (a counting pass, then a fill pass at precomputed offsets, so the
//    layout does not depend on the thread count), and each partition is
//    sorted by (hash, document). A run of equal hashes, after the earlier
//    run's holders of the same partition, is one n-gram's posting list in
//    input order.
//  - Links (n-gram, pair) are written straight into buckets by the pair's
//    lower document, so counting shared anchors per pair is a sort of one
//    bucket at a time rather than of all links at once.
//  - The fan-out bound (each document linked to the first max_links
//    holders of an n-gram) replaces passim's hard document-frequency cut as
//    the cost control: a passage copied by thousands of accounts still
//    pairs every copy with the first ones, in links linear in the copies.
//    What is lost is the pair between two late copies through that n-gram;
//    for clusters it does not matter, both reach the first copies.
//  - Every rule looks only backwards (corpus_reuse.h, "Append-stable"), so
//    an incremental run is this code with the earlier run's index,
//    signatures and occurrences handed in.
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
#include "util/parallel.h"
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

// Appends one document's tokens (none when `skip`) to a chunk.
void TokenizeInto(std::string_view text, bool skip, uint32_t n, TokenChunk* ch) {
  std::vector<TokenId> words;
  if (!skip) {
    for (const Token& t : Tokenize(text)) {
      ch->ids.push_back(TokenIdOf(t.norm));
      ch->start.push_back(t.start);
      ch->end.push_back(t.end);
      const bool word =
          t.kind == TokenKind::kWord || t.kind == TokenKind::kNumber || t.kind == TokenKind::kCjk;
      if (word) words.push_back(ch->ids.back());
    }
  }
  ch->off.push_back(static_cast<uint32_t>(ch->ids.size()));
  ch->content.push_back(ContentSignature(words, n));
}

// Token ids and byte offsets of the new documents [first, n), and of the
// earlier documents that new ones are aligned with, by document index.
class TokenTable {
 public:
  void Build(const std::vector<CorpusDoc>& docs, uint32_t first, bool compare_sides, uint32_t n,
             int threads) {
    first_ = first;
    const size_t count = docs.size() - first;
    chunks_.resize((count + kChunk - 1) / kChunk);
    ParallelFor(chunks_.size(), 1, threads, [&](size_t c) {
      const size_t end = std::min(docs.size(), first + (c + 1) * size_t{kChunk});
      for (size_t d = first + c * kChunk; d < end; ++d) {
        TokenizeInto(docs[d].text, compare_sides && docs[d].side == Side::kNone, n, &chunks_[c]);
      }
    });
  }
  // Tokenises earlier documents (`docs` ascending, below first) from their
  // texts, in parallel; they join the table.
  void AddEarlier(std::vector<uint32_t> docs, const std::vector<std::string>& texts, uint32_t n,
                  int threads) {
    earlier_ = std::move(docs);
    std::vector<TokenChunk> parts((earlier_.size() + kChunk - 1) / kChunk);
    ParallelFor(parts.size(), 1, threads, [&](size_t c) {
      const size_t end = std::min(earlier_.size(), (c + 1) * size_t{kChunk});
      for (size_t i = c * kChunk; i < end; ++i) TokenizeInto(texts[i], false, n, &parts[c]);
    });
    for (TokenChunk& p : parts) {
      const uint32_t base = static_cast<uint32_t>(earlier_chunk_.ids.size());
      for (size_t i = 1; i < p.off.size(); ++i) earlier_chunk_.off.push_back(base + p.off[i]);
      earlier_chunk_.ids.insert(earlier_chunk_.ids.end(), p.ids.begin(), p.ids.end());
      earlier_chunk_.start.insert(earlier_chunk_.start.end(), p.start.begin(), p.start.end());
      earlier_chunk_.end.insert(earlier_chunk_.end.end(), p.end.begin(), p.end.end());
    }
  }
  std::span<const TokenId> Ids(uint32_t d) const {
    auto [ch, i] = Locate(d);
    return {ch->ids.data() + ch->off[i], ch->off[i + 1] - ch->off[i]};
  }
  // Byte span of tokens [begin, end) of document d (end > begin).
  std::pair<uint32_t, uint32_t> Bytes(uint32_t d, uint32_t begin, uint32_t end) const {
    auto [ch, i] = Locate(d);
    const uint32_t base = ch->off[i];
    return {ch->start[base + begin], ch->end[base + end - 1]};
  }
  // Of a new document.
  uint64_t Content(uint32_t d) const {
    return chunks_[(d - first_) / kChunk].content[(d - first_) % kChunk];
  }
  void Clear() {
    std::vector<TokenChunk>().swap(chunks_);
    earlier_chunk_ = TokenChunk();
    std::vector<uint32_t>().swap(earlier_);
  }
  uint32_t first() const { return first_; }
  size_t chunks() const { return chunks_.size(); }
  // Document range of chunk c.
  std::pair<uint32_t, uint32_t> ChunkDocs(size_t c) const {
    const uint32_t b = first_ + static_cast<uint32_t>(c * kChunk);
    return {b, b + static_cast<uint32_t>(chunks_[c].off.size() - 1)};
  }
  uint64_t tokens() const {
    uint64_t n = earlier_chunk_.ids.size();
    for (const TokenChunk& ch : chunks_) n += ch.ids.size();
    return n;
  }

 private:
  std::pair<const TokenChunk*, uint32_t> Locate(uint32_t d) const {
    if (d >= first_) return {&chunks_[(d - first_) / kChunk], (d - first_) % kChunk};
    const auto it = std::lower_bound(earlier_.begin(), earlier_.end(), d);
    return {&earlier_chunk_, static_cast<uint32_t>(it - earlier_.begin())};
  }

  uint32_t first_ = 0;
  std::vector<TokenChunk> chunks_;
  std::vector<uint32_t> earlier_;  // ascending
  TokenChunk earlier_chunk_;       // tokens of earlier_[i]: document i of it
};

// Distinct n-gram hashes of one document, sorted.
std::vector<uint64_t> DocGrams(const TokenTable& tt, uint32_t d, uint32_t n) {
  std::vector<uint64_t> h = NgramHashes(tt.Ids(d), n);
  std::sort(h.begin(), h.end());
  h.erase(std::unique(h.begin(), h.end()), h.end());
  return h;
}

using Entry = IndexEntry;

// An n-gram that stops anchoring from document `from` on (boilerplate or
// too common as of that document): a pair whose later document is `from`
// or after does not use it.
struct Restriction {
  uint64_t hash;
  uint32_t from;
  bool operator<(const Restriction& o) const { return hash < o.hash; }
};

// What one partition's posting lists yield.
struct PartitionOut {
  std::vector<std::vector<uint64_t>> links =
      std::vector<std::vector<uint64_t>>(kBuckets);  // lo << 32 | hi, by bucket
  std::vector<Restriction> restricted;
  std::vector<Boilerplate> boilerplate;
  uint64_t shared = 0, too_common = 0, boilerplate_ngrams = 0, link_count = 0;
};

class Indexer {
 public:
  Indexer(const std::vector<CorpusDoc>& docs, const TokenTable& tt, const CorpusReuseOptions& o,
          const std::vector<uint64_t>& prior_content)
      : docs_(docs), tt_(tt), o_(o), prior_content_(prior_content) {
    // Each document's rank among its source's documents (1-based), over
    // all documents: what "share of the source's documents since" counts.
    std::vector<uint32_t> seen;
    source_rank_.assign(docs_.size(), 0);
    for (uint32_t i = 0; i < docs_.size(); ++i) {
      const CorpusDoc& d = docs_[i];
      if (!Takes(d)) continue;
      if (d.source >= seen.size()) seen.resize(d.source + 1, 0);
      source_rank_[i] = ++seen[d.source];
    }
    bucket_width_ = static_cast<uint32_t>(docs_.size() / kBuckets + 1);
  }

  // The new documents' entries: partition p at [bounds[p], bounds[p+1]).
  void Scatter(int threads, std::vector<Entry>* entries, std::vector<size_t>* bounds,
               uint64_t* ngrams) const;
  // The same entries, appended to spill bucket p for partition p (in an
  // order that depends on the threads; partitions are sorted before use).
  Status ScatterToSpill(int threads, SpillFiles* spill, uint64_t* ngrams) const;
  // Sorts `news` (one partition of the new documents' entries) and
  // processes every n-gram they hold, with its earlier holders from
  // `earlier` (the same partition of the earlier documents, sorted).
  void ProcessPartition(std::span<Entry> news, const std::vector<Entry>& earlier,
                        PartitionOut* out) const;
  uint32_t bucket_width() const { return bucket_width_; }

 private:
  bool Takes(const CorpusDoc& d) const { return !o_.compare_sides || d.side != Side::kNone; }
  uint64_t Content(uint32_t d) const {
    return d < tt_.first() ? prior_content_[d] : tt_.Content(d);
  }
  void ProcessRun(uint64_t hash, const std::vector<uint32_t>& run, size_t first_new,
                  PartitionOut* out) const;
  size_t BoilerplateFrom(uint64_t hash, const std::vector<uint32_t>& run, PartitionOut* out) const;
  void Link(const std::vector<uint32_t>& run, size_t first_new, size_t end,
            PartitionOut* out) const;
  void Emit(uint32_t x, uint32_t y, PartitionOut* out) const {
    const uint32_t lo = std::min(x, y), hi = std::max(x, y);
    out->links[lo / bucket_width_].push_back(uint64_t{lo} << 32 | hi);
    out->link_count++;
  }

  const std::vector<CorpusDoc>& docs_;
  const TokenTable& tt_;
  const CorpusReuseOptions& o_;
  const std::vector<uint64_t>& prior_content_;
  std::vector<uint32_t> source_rank_;
  uint32_t bucket_width_ = 1;
};

void Indexer::Scatter(int threads, std::vector<Entry>* entries, std::vector<size_t>* bounds,
                      uint64_t* ngrams) const {
  const uint32_t n = o_.passage.anchors.n;
  const size_t chunks = tt_.chunks();
  std::vector<std::vector<size_t>> count(chunks, std::vector<size_t>(kPartitions, 0));
  ParallelFor(chunks, 1, threads, [&](size_t c) {
    auto [b, e] = tt_.ChunkDocs(c);
    for (uint32_t d = b; d < e; ++d) {
      for (uint64_t h : DocGrams(tt_, d, n)) count[c][h >> 56]++;
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
  ParallelFor(chunks, 1, threads, [&](size_t c) {
    auto [b, e] = tt_.ChunkDocs(c);
    for (uint32_t d = b; d < e; ++d) {
      for (uint64_t h : DocGrams(tt_, d, n)) (*entries)[pos[c][h >> 56]++] = {h, d};
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
      auto [b, e] = tt_.ChunkDocs(c);
      for (uint32_t d = b; d < e; ++d) {
        for (uint64_t h : DocGrams(tt_, d, n)) {
          const uint32_t p = static_cast<uint32_t>(h >> 56);
          buf[p].push_back({h, d});
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

// The position in `run` (the holders of `hash`, in input order) from which
// the n-gram is boilerplate of some source, or run.size(); records it for
// every source it is boilerplate of. A source's documents holding it count
// once per distinct ContentSignature (a post copied by many accounts of one
// platform is one content), against the source's documents since the first
// of them. Evaluated at each new content, so it depends only on the
// documents up to that point.
size_t Indexer::BoilerplateFrom(uint64_t hash, const std::vector<uint32_t>& run,
                                PartitionOut* out) const {
  if (run.size() < o_.boilerplate_min_docs) return run.size();
  struct Held {
    uint32_t source;
    uint64_t content;
    uint32_t idx;  // position in run
  };
  std::vector<Held> held;
  held.reserve(run.size());
  for (uint32_t i = 0; i < run.size(); ++i) {
    held.push_back({docs_[run[i]].source, Content(run[i]), i});
  }
  std::sort(held.begin(), held.end(), [](const Held& x, const Held& y) {
    return std::tie(x.source, x.content, x.idx) < std::tie(y.source, y.content, y.idx);
  });
  size_t from = run.size();
  std::vector<uint32_t> firsts;  // per distinct content of the source: where it first appears
  for (size_t i = 0; i < held.size();) {
    size_t j = i;
    firsts.clear();
    for (; j < held.size() && held[j].source == held[i].source; ++j) {
      if (j == i || held[j].content != held[j - 1].content) firsts.push_back(held[j].idx);
    }
    const uint32_t s = held[i].source;
    std::sort(firsts.begin(), firsts.end());
    const uint32_t since_rank = source_rank_[run[firsts[0]]];
    for (size_t k = o_.boilerplate_min_docs; k <= firsts.size(); ++k) {
      const uint32_t at = firsts[k - 1];
      const uint32_t since = source_rank_[run[at]] - since_rank + 1;
      if (double(k) > o_.boilerplate_share * since) {
        out->boilerplate.push_back({s, hash, static_cast<uint32_t>(j - i), run[at], 0, 0});
        from = std::min<size_t>(from, at);
        break;
      }
    }
    i = j;
  }
  return from;
}

// Pairs the holders run[first_new, end) with earlier holders, bounded
// fan-out: each with the first max_links holders before it (in compare
// mode, the first max_links of the other side before it).
void Indexer::Link(const std::vector<uint32_t>& run, size_t first_new, size_t end,
                   PartitionOut* out) const {
  const size_t fan = o_.max_links;
  if (!o_.compare_sides) {
    for (size_t j = std::max<size_t>(first_new, 1); j < end; ++j) {
      for (size_t i = 0; i < j && i < fan; ++i) Emit(run[i], run[j], out);
    }
    return;
  }
  std::vector<uint32_t> first_a, first_b;  // the first `fan` of each side
  for (size_t j = 0; j < end; ++j) {
    const bool a = docs_[run[j]].side == Side::kA;
    if (j >= first_new) {
      for (uint32_t x : a ? first_b : first_a) Emit(x, run[j], out);
    }
    std::vector<uint32_t>& mine = a ? first_a : first_b;
    if (mine.size() < fan) mine.push_back(run[j]);
  }
}

void Indexer::ProcessRun(uint64_t hash, const std::vector<uint32_t>& run, size_t first_new,
                         PartitionOut* out) const {
  const size_t df = run.size();
  if (df < 2) return;
  out->shared++;
  const size_t bp = BoilerplateFrom(hash, run, out);
  // Too common from the (max_df + 1)-th holder on.
  const size_t common = df > o_.max_df ? o_.max_df : df;
  const size_t end = std::min(bp, common);
  if (bp < df) {
    out->boilerplate_ngrams++;
  } else if (common < df) {
    out->too_common++;
  }
  if (end < df) out->restricted.push_back({hash, run[end]});
  Link(run, first_new, end, out);
}

void Indexer::ProcessPartition(std::span<Entry> news, const std::vector<Entry>& earlier,
                               PartitionOut* out) const {
  std::sort(news.begin(), news.end());
  std::vector<uint32_t> run;
  size_t k = 0;  // into earlier
  for (size_t i = 0; i < news.size();) {
    size_t j = i;
    while (j < news.size() && news[j].hash == news[i].hash) ++j;
    const uint64_t hash = news[i].hash;
    while (k < earlier.size() && earlier[k].hash < hash) ++k;
    run.clear();
    for (; k < earlier.size() && earlier[k].hash == hash; ++k) run.push_back(earlier[k].doc);
    const size_t first_new = run.size();
    for (size_t m = i; m < j; ++m) run.push_back(news[m].doc);
    ProcessRun(hash, run, first_new, out);
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
                const std::vector<Restriction>& restricted, AlignBatch* out) {
  for (uint64_t key : cands) {
    const uint32_t a = static_cast<uint32_t>(key >> 32), b = static_cast<uint32_t>(key);
    // An n-gram anchors this pair unless restricted as of b, its later document.
    const NgramFilter allowed = [&restricted, b](uint64_t h) {
      const auto it = std::lower_bound(restricted.begin(), restricted.end(), Restriction{h, 0});
      return it == restricted.end() || it->hash != h || b < it->from;
    };
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

// IndexParts over partitions held in memory.
class MemoryIndexParts : public IndexParts {
 public:
  explicit MemoryIndexParts(std::vector<std::vector<Entry>> parts) : parts_(std::move(parts)) {}
  Result<std::vector<IndexEntry>> Take(uint32_t p) override { return std::move(parts_.at(p)); }

 private:
  std::vector<std::vector<Entry>> parts_;
};

// IndexParts over scratch files (removed with the object).
class SpilledIndexParts : public IndexParts {
 public:
  explicit SpilledIndexParts(std::unique_ptr<SpillFiles> files) : files_(std::move(files)) {}
  Result<std::vector<IndexEntry>> Take(uint32_t p) override { return files_->Take<Entry>(p); }

 private:
  std::unique_ptr<SpillFiles> files_;
};

// Index, links and candidate pairs; fills the restrictions (sorted by
// hash), the boilerplate records and the new documents' index entries.
Result<std::vector<uint64_t>> Candidates(const std::vector<CorpusDoc>& docs, const TokenTable& tt,
                                         const CorpusReuseOptions& o, int threads,
                                         const PriorReuse& prior,
                                         std::vector<Restriction>* restricted,
                                         CorpusReuseResult* res) {
  auto t0 = Clock::now();
  Indexer ix(docs, tt, o, prior.content);
  std::vector<PartitionOut> parts(kPartitions);
  std::vector<Status> failed(kPartitions);
  // One partition of the earlier documents' index at a time (per thread).
  auto earlier_of = [&](size_t p, std::vector<Entry>* out) -> Status {
    if (!prior.index) return Status::OK();
    ET_ASSIGN_OR_RETURN(*out, prior.index(static_cast<uint32_t>(p)));
    return Status::OK();
  };
  std::unique_ptr<SpillFiles> grams, links, index_out;
  if (o.spill_dir.empty()) {
    std::vector<Entry> entries;
    std::vector<size_t> bounds;
    ix.Scatter(threads, &entries, &bounds, &res->stats.ngrams);
    std::vector<std::vector<Entry>> sorted(kPartitions);
    ParallelFor(kPartitions, 1, threads, [&](size_t p) {
      std::span<Entry> part(entries.data() + bounds[p], bounds[p + 1] - bounds[p]);
      if (part.empty()) return;  // nothing new: the earlier postings stay as they are
      std::vector<Entry> earlier;
      failed[p] = earlier_of(p, &earlier);
      if (!failed[p].ok()) return;
      ix.ProcessPartition(part, earlier, &parts[p]);
      sorted[p].assign(part.begin(), part.end());
    });
    res->index = std::make_unique<MemoryIndexParts>(std::move(sorted));
  } else {
    // One partition of the index and its links in memory per thread; the
    // links go to their bucket's file as each partition is done, the sorted
    // entries to the index files the caller stores.
    ET_ASSIGN_OR_RETURN(grams,
                        SpillFiles::Create(o.spill_dir, "echotrace-reuse-index", kPartitions));
    ET_ASSIGN_OR_RETURN(links, SpillFiles::Create(o.spill_dir, "echotrace-reuse-links", kBuckets));
    ET_ASSIGN_OR_RETURN(index_out,
                        SpillFiles::Create(o.spill_dir, "echotrace-reuse-postings", kPartitions));
    ET_RETURN_IF_ERROR(ix.ScatterToSpill(threads, grams.get(), &res->stats.ngrams));
    ParallelFor(kPartitions, 1, threads, [&](size_t p) {
      Result<std::vector<Entry>> entries = grams->Take<Entry>(p);
      std::vector<Entry> earlier;
      if (entries.ok() && entries->empty()) return;  // nothing new in this partition
      failed[p] = entries.ok() ? earlier_of(p, &earlier) : entries.status();
      if (!failed[p].ok()) return;
      ix.ProcessPartition(std::span<Entry>(*entries), earlier, &parts[p]);
      failed[p] = index_out->Append(p, std::span<const Entry>(*entries));
      for (uint32_t q = 0; q < kBuckets && failed[p].ok(); ++q) {
        failed[p] = links->Append(q, std::span<const uint64_t>(parts[p].links[q]));
        std::vector<uint64_t>().swap(parts[p].links[q]);
      }
    });
    grams.reset();
  }
  for (const Status& st : failed) ET_RETURN_IF_ERROR(st);
  if (index_out) res->index = std::make_unique<SpilledIndexParts>(std::move(index_out));
  for (PartitionOut& p : parts) {
    res->stats.shared_ngrams += p.shared;
    res->stats.too_common_ngrams += p.too_common;
    res->stats.boilerplate_ngrams += p.boilerplate_ngrams;
    res->stats.pair_links += p.link_count;
    restricted->insert(restricted->end(), p.restricted.begin(), p.restricted.end());
    res->boilerplate.insert(res->boilerplate.end(), p.boilerplate.begin(), p.boilerplate.end());
  }
  std::sort(restricted->begin(), restricted->end());
  res->stats.index_s = Since(t0);

  t0 = Clock::now();
  std::vector<std::vector<uint64_t>> per_bucket(kBuckets);
  std::vector<Status> bad(kBuckets);
  ParallelFor(kBuckets, 1, threads, [&](size_t q) {
    if (!links) {
      per_bucket[q] =
          CountLinks(GatherBucket(&parts, static_cast<uint32_t>(q)), o.min_shared_anchors);
      return;
    }
    Result<std::vector<uint64_t>> bucket = links->Take<uint64_t>(q);
    if (!bucket.ok()) {
      bad[q] = bucket.status();
      return;
    }
    per_bucket[q] = CountLinks(std::move(*bucket), o.min_shared_anchors);
  });
  for (const Status& st : bad) ET_RETURN_IF_ERROR(st);
  std::vector<uint64_t> cands;
  for (auto& b : per_bucket) cands.insert(cands.end(), b.begin(), b.end());
  res->stats.candidate_pairs = cands.size();
  res->stats.candidates_s = Since(t0);
  return cands;
}

// Tokens of the earlier documents the candidates pair with new ones.
Status TokenizePartners(const std::vector<uint64_t>& cands, const PriorReuse& prior, uint32_t n,
                        int threads, TokenTable* tt) {
  std::vector<uint32_t> need;
  for (uint64_t key : cands) {
    const uint32_t a = static_cast<uint32_t>(key >> 32);
    if (a < prior.first_new) need.push_back(a);
  }
  std::sort(need.begin(), need.end());
  need.erase(std::unique(need.begin(), need.end()), need.end());
  if (need.empty()) return Status::OK();
  if (!prior.text) return Status::InvalidArgument("reuse: no text source for earlier documents");
  std::vector<std::string> texts;
  texts.reserve(need.size());
  for (uint32_t d : need) {
    ET_ASSIGN_OR_RETURN(std::string t, prior.text(d));
    texts.push_back(std::move(t));
  }
  tt->AddEarlier(std::move(need), texts, n, threads);
  return Status::OK();
}

// Byte span of each boilerplate n-gram in its example document (when that
// is a new document: earlier ones are not tokenised), sorted.
void LocateBoilerplate(const TokenTable& tt, uint32_t n, std::vector<Boilerplate>* bp) {
  for (Boilerplate& b : *bp) {
    if (b.example_doc < tt.first()) continue;
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

// Aligns every candidate pair. The candidates and the token table are
// released once aligned, before the batches are joined: byte offsets are in
// the pairs by then, and at ten copies of the IRA tweets the tokens (3.9 GB)
// and candidates (1.1 GB) beside both the batches and the joined result were
// the detector's peak.
Result<Aligned> AlignAll(std::vector<uint64_t>* candidates, TokenTable* table,
                         const CorpusReuseOptions& o, int threads,
                         const std::vector<Restriction>& restricted) {
  const std::vector<uint64_t>& cands = *candidates;
  const TokenTable& tt = *table;
  std::vector<AlignBatch> batches((cands.size() + kAlignBatch - 1) / kAlignBatch);
  ParallelFor(batches.size(), 1, threads, [&](size_t i) {
    const size_t b = i * kAlignBatch, e = std::min(cands.size(), b + kAlignBatch);
    AlignRange(std::span<const uint64_t>(cands.data() + b, e - b), tt, o, restricted, &batches[i]);
  });
  std::vector<uint64_t>().swap(*candidates);
  table->Clear();
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

bool Overlaps(uint32_t xb, uint32_t xe, uint32_t yb, uint32_t ye, double share) {
  const uint32_t lo = std::max(xb, yb), hi = std::min(xe, ye);
  if (hi <= lo) return false;
  // Measured against the LONGER span: a sentence X inside a longer aligned
  // stretch "X Y" is not the same occurrence as "X Y", or every passage
  // that merely sits next to another in some document would be chained
  // into one cluster (seen on the demo corpus: one component of 4,000
  // occurrences of unrelated sentences).
  const uint32_t longer = std::max(xe - xb, ye - yb);
  return double(hi - lo) >= share * double(longer);
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

// See Placer: partners aligned at least this share of the strongest
// alignment's matching tokens count as equally good.
constexpr double kNearlyAsStrong = 0.8;

// Places occurrences one later document at a time, in input order; an
// occurrence once placed never moves and never changes its span.
//
// For document d, the spans its pairs with earlier documents give it are
// merged (overlap rule) into d's occurrences. Each occurrence O looks at
// its partners, the aligned spans on earlier documents; a partner span
// that overlaps an existing occurrence of its document (overlap rule,
// largest overlap) is that occurrence, otherwise it is fresh. Then:
//  1. O joins the cluster of the earliest *centre* among its partners that
//     is aligned with it nearly as strongly (kNearlyAsStrong) as the
//     strongest centre partner. Strength is matching tokens (identity
//     times the shorter side's length): an edited copy that also shares a
//     stock phrase with some older text stays with the passage it copies;
//     among comparable partners the earliest wins, so a quote joins its
//     origin rather than a later copy that carries a few more words.
//  2. Without a centre partner, the earliest fresh partner span founds a
//     new cluster as its centre and O joins it.
//  3. With only non-centre partners (O copies a copy, but not the copy's
//     centre), the strongest partner's aligned span founds a new cluster
//     as its centre (a second occurrence of that document, in a different
//     cluster): O does not share enough with the other cluster's centre to
//     be the same passage.
// Fresh partner spans left join O's cluster. So every cluster holds at
// least two occurrences, and every member is aligned, when it arrived,
// with the centre or with a member that was. Single linkage over all
// alignments chained unrelated passages through documents built from the
// same phrases (forum posts assembled from a few dozen stock sentences; a
// chain of pairs joined them into one component of thousands of
// occurrences); around centres a cluster stays one passage. The bounded
// fan-out of the candidate step pairs every document with the first
// holders of its n-grams, so a copy is aligned with the first occurrence,
// the centre, directly.
class Placer {
 public:
  Placer(const PriorReuse& prior, uint32_t docs, double share)
      : prior_(prior),
        share_(share),
        head_(docs, kNone),
        loaded_(prior.first_new, false),
        next_cluster_(prior.next_cluster) {}

  Status PlaceAll(const Aligned& found);
  // Earlier occurrences that grew: as loaded, and now.
  std::vector<std::pair<OccurrenceRecord, OccurrenceRecord>> Grown() const;
  // The occurrences this run placed, in order of placement.
  std::vector<OccurrenceRecord> TakeNew();
  uint32_t next_cluster() const { return next_cluster_; }
  std::vector<uint32_t> Touched() const {
    std::vector<uint32_t> t(touched_.begin(), touched_.end());
    std::sort(t.begin(), t.end());
    t.erase(std::unique(t.begin(), t.end()), t.end());
    return t;
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Item {  // one aligned pair as the later document sees it
    uint32_t d_begin, d_end, d_start, d_end_byte;
    uint32_t x, x_begin, x_end, x_start, x_end_byte;
    double strength;
  };
  Status PlaceDoc(uint32_t d, std::vector<Item>& items);
  Status Load(uint32_t x);
  // The occurrence of x that span [b, e) is (overlap rule), or kNone.
  Result<uint32_t> Match(uint32_t x, uint32_t b, uint32_t e);
  uint32_t Create(const OccurrenceRecord& r, bool is_new);
  // Grows occurrence k to cover an aligned span of it.
  void Extend(uint32_t k, uint32_t tb, uint32_t te, uint32_t start, uint32_t end);

  const PriorReuse& prior_;
  double share_;
  std::vector<OccurrenceRecord> occs_;
  std::vector<bool> new_;
  std::vector<uint32_t> head_, next_;  // per document: a list of its occurrences
  std::vector<bool> loaded_;           // earlier documents whose occurrences are in occs_
  uint32_t next_cluster_;
  std::vector<uint32_t> touched_;
  std::vector<std::pair<uint32_t, OccurrenceRecord>> grown_;  // earlier ones, as loaded
  std::vector<bool> grown_mark_;                              // by occurrence: in grown_
};

void Placer::Extend(uint32_t k, uint32_t tb, uint32_t te, uint32_t start, uint32_t end) {
  OccurrenceRecord& o = occs_[k];
  if (tb >= o.tok_begin && te <= o.tok_end) return;
  if (!new_[k] && !grown_mark_[k]) {
    grown_mark_[k] = true;
    grown_.emplace_back(k, o);
    touched_.push_back(o.cluster);
  }
  o.tok_begin = std::min(o.tok_begin, tb);
  o.tok_end = std::max(o.tok_end, te);
  o.start = std::min(o.start, start);
  o.end = std::max(o.end, end);
}

uint32_t Placer::Create(const OccurrenceRecord& r, bool is_new) {
  if (is_new) {
    for (uint32_t k = head_[r.doc]; k != kNone; k = next_[k]) {
      const OccurrenceRecord& o = occs_[k];
      if (o.cluster == r.cluster && o.tok_begin == r.tok_begin && o.tok_end == r.tok_end) {
        return k;  // the same span in the same cluster already
      }
    }
    if (r.cluster < prior_.next_cluster) touched_.push_back(r.cluster);
  }
  const uint32_t k = static_cast<uint32_t>(occs_.size());
  occs_.push_back(r);
  new_.push_back(is_new);
  grown_mark_.push_back(false);
  next_.push_back(head_[r.doc]);
  head_[r.doc] = k;
  return k;
}

Status Placer::Load(uint32_t x) {
  if (x >= loaded_.size() || loaded_[x]) return Status::OK();
  loaded_[x] = true;
  if (!prior_.occurrences) return Status::OK();
  ET_ASSIGN_OR_RETURN(std::vector<OccurrenceRecord> rs, prior_.occurrences(x));
  for (OccurrenceRecord& r : rs) {
    r.doc = x;
    Create(r, false);
  }
  return Status::OK();
}

Result<uint32_t> Placer::Match(uint32_t x, uint32_t b, uint32_t e) {
  ET_RETURN_IF_ERROR(Load(x));
  uint32_t best = kNone, best_overlap = 0;
  // Largest overlap; ties by centre first, then the smaller cluster id and
  // span: attributes an earlier run stored, so a reloaded document decides
  // as the run that placed its occurrences would have.
  auto key = [&](uint32_t k, uint32_t overlap) {
    const OccurrenceRecord& o = occs_[k];
    return std::make_tuple(-int64_t{overlap}, !o.centre, o.cluster, o.tok_begin, o.tok_end);
  };
  for (uint32_t k = head_[x]; k != kNone; k = next_[k]) {
    const OccurrenceRecord& o = occs_[k];
    if (!Overlaps(o.tok_begin, o.tok_end, b, e, share_)) continue;
    const uint32_t overlap = std::min(o.tok_end, e) - std::max(o.tok_begin, b);
    if (best == kNone || key(k, overlap) < key(best, best_overlap)) {
      best = k;
      best_overlap = overlap;
    }
  }
  return best;
}

Status Placer::PlaceAll(const Aligned& found) {
  // Pairs by later document (b > a always).
  std::vector<uint32_t> order(found.pairs.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t x, uint32_t y) { return found.pairs[x].b < found.pairs[y].b; });
  std::vector<Item> items;
  for (size_t i = 0; i < order.size();) {
    const uint32_t d = found.pairs[order[i]].b;
    items.clear();
    for (; i < order.size() && found.pairs[order[i]].b == d; ++i) {
      const ReusePair& p = found.pairs[order[i]];
      const Aligned::Tokens& t = found.tokens[order[i]];
      const double strength =
          p.identity * double(std::min(t.a_end - t.a_begin, t.b_end - t.b_begin));
      items.push_back({t.b_begin, t.b_end, p.b_start, p.b_end, p.a, t.a_begin, t.a_end, p.a_start,
                       p.a_end, strength});
    }
    ET_RETURN_IF_ERROR(PlaceDoc(d, items));
  }
  return Status::OK();
}

Status Placer::PlaceDoc(uint32_t d, std::vector<Item>& items) {
  // d's spans, merged into occurrences: union-find over overlapping spans.
  std::sort(items.begin(), items.end(), [](const Item& x, const Item& y) {
    return std::tie(x.d_begin, x.d_end, x.x, x.x_begin, x.x_end) <
           std::tie(y.d_begin, y.d_end, y.x, y.x_begin, y.x_end);
  });
  const uint32_t n = static_cast<uint32_t>(items.size());
  UnionFind uf(n);
  std::vector<uint32_t> reach(n);  // the largest d_end over items [0, i]
  for (uint32_t i = 0; i < n; ++i) {
    reach[i] = std::max(i == 0 ? 0 : reach[i - 1], items[i].d_end);
    for (uint32_t j = i; j-- > 0;) {
      if (reach[j] <= items[i].d_begin) break;  // nothing at or before j reaches i
      if (Overlaps(items[j].d_begin, items[j].d_end, items[i].d_begin, items[i].d_end, share_)) {
        uf.Union(i, j);
      }
    }
  }
  // Groups in order of their first span, each with its spans in order.
  std::vector<std::vector<uint32_t>> groups;
  {
    std::vector<uint32_t> slot(n, kNone);
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t r = uf.Find(i);
      if (slot[r] == kNone) {
        slot[r] = static_cast<uint32_t>(groups.size());
        groups.emplace_back();
      }
      groups[slot[r]].push_back(i);
    }
  }
  for (const std::vector<uint32_t>& members : groups) {
    OccurrenceRecord mine{d, UINT32_MAX, 0, UINT32_MAX, 0, 0, false};
    for (uint32_t i : members) {
      mine.tok_begin = std::min(mine.tok_begin, items[i].d_begin);
      mine.tok_end = std::max(mine.tok_end, items[i].d_end);
      mine.start = std::min(mine.start, items[i].d_start);
      mine.end = std::max(mine.end, items[i].d_end_byte);
    }
    // Partners: the occurrence each partner span is, or fresh.
    struct Partner {
      uint32_t occ;  // kNone when fresh
      double strength;
      const Item* item;
    };
    std::vector<Partner> partners;
    for (uint32_t i : members) {
      ET_ASSIGN_OR_RETURN(uint32_t occ, Match(items[i].x, items[i].x_begin, items[i].x_end));
      partners.push_back({occ, items[i].strength, &items[i]});
    }
    auto earlier = [&](const Partner& p, const Partner& q) {
      auto key = [&](const Partner& r) {
        const uint32_t doc = r.item->x;
        const uint32_t b = r.occ == kNone ? r.item->x_begin : occs_[r.occ].tok_begin;
        const uint32_t c = r.occ == kNone ? 0 : occs_[r.occ].cluster;
        return std::make_tuple(doc, b, c, r.item->x_begin, r.item->x_end);
      };
      return key(p) < key(q);
    };
    // The earliest partner satisfying `ok` among those nearly as strong as
    // the strongest satisfying it; nullptr when none does.
    auto pick = [&](auto ok) -> const Partner* {
      double strongest = 0;
      for (const Partner& p : partners) {
        if (ok(p)) strongest = std::max(strongest, p.strength);
      }
      const Partner* best = nullptr;
      for (const Partner& p : partners) {
        if (!ok(p) || p.strength < kNearlyAsStrong * strongest) continue;
        if (best == nullptr || earlier(p, *best)) best = &p;
      }
      return best;
    };
    uint32_t cluster = 0;
    const Partner* founder = nullptr;
    if (const Partner* c =
            pick([&](const Partner& p) { return p.occ != kNone && occs_[p.occ].centre; })) {
      cluster = occs_[c->occ].cluster;
    } else if (const Partner* f = pick([&](const Partner& p) { return p.occ == kNone; })) {
      founder = f;
    } else {
      founder = pick([](const Partner&) { return true; });
    }
    if (founder != nullptr) {
      cluster = next_cluster_++;
      const Item& it = *founder->item;
      Create({it.x, it.x_begin, it.x_end, it.x_start, it.x_end_byte, cluster, true}, true);
    }
    mine.cluster = cluster;
    Create(mine, true);
    // An occurrence holds every span aligned as it (but a founder's span is
    // an occurrence of its own).
    for (const Partner& p : partners) {
      if (p.occ == kNone || &p == founder) continue;
      const Item& it = *p.item;
      Extend(p.occ, it.x_begin, it.x_end, it.x_start, it.x_end_byte);
    }
    // Fresh partner spans join (unless a span just placed is them now).
    std::sort(partners.begin(), partners.end(), earlier);
    for (const Partner& p : partners) {
      if (p.occ != kNone || &p == founder) continue;
      const Item& it = *p.item;
      ET_ASSIGN_OR_RETURN(uint32_t now, Match(it.x, it.x_begin, it.x_end));
      if (now != kNone && occs_[now].cluster == cluster) {
        Extend(now, it.x_begin, it.x_end, it.x_start, it.x_end_byte);
        continue;
      }
      Create({it.x, it.x_begin, it.x_end, it.x_start, it.x_end_byte, cluster, false}, true);
    }
  }
  return Status::OK();
}

std::vector<std::pair<OccurrenceRecord, OccurrenceRecord>> Placer::Grown() const {
  std::vector<std::pair<OccurrenceRecord, OccurrenceRecord>> out;
  for (const auto& [k, before] : grown_) out.emplace_back(before, occs_[k]);
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.first.doc, x.first.tok_begin, x.first.cluster) <
           std::tie(y.first.doc, y.first.tok_begin, y.first.cluster);
  });
  return out;
}

std::vector<OccurrenceRecord> Placer::TakeNew() {
  std::vector<OccurrenceRecord> out;
  for (size_t k = 0; k < occs_.size(); ++k) {
    if (new_[k]) out.push_back(occs_[k]);
  }
  std::vector<OccurrenceRecord>().swap(occs_);
  return out;
}

Status CheckPrior(const std::vector<CorpusDoc>& docs, const PriorReuse& prior) {
  if (prior.first_new > docs.size()) {
    return Status::InvalidArgument("reuse: the earlier run covers more documents than given");
  }
  if (prior.content.size() != prior.first_new) {
    return Status::InvalidArgument("reuse: the earlier run's content signatures do not match");
  }
  if (prior.next_cluster < 1) return Status::InvalidArgument("reuse: cluster ids start at 1");
  return Status::OK();
}

Result<CorpusReuseResult> Run(const std::vector<CorpusDoc>& docs, const CorpusReuseOptions& o,
                              const PriorReuse& prior) {
  ET_RETURN_IF_ERROR(ValidateCorpusReuseOptions(o));
  ET_RETURN_IF_ERROR(CheckInput(docs));
  ET_RETURN_IF_ERROR(CheckPrior(docs, prior));
  const int threads = ThreadCount(o.threads);
  const uint32_t first = prior.first_new;
  const uint32_t n = o.passage.anchors.n;
  CorpusReuseResult res;
  for (size_t i = first; i < docs.size(); ++i) {
    res.stats.documents += !o.compare_sides || docs[i].side != Side::kNone;
  }

  auto t0 = Clock::now();
  TokenTable tt;
  tt.Build(docs, first, o.compare_sides, n, threads);
  res.stats.tokenize_s = Since(t0);
  if (o.on_texts_done) o.on_texts_done();

  std::vector<Restriction> restricted;
  ET_ASSIGN_OR_RETURN(std::vector<uint64_t> cands,
                      Candidates(docs, tt, o, threads, prior, &restricted, &res));
  LocateBoilerplate(tt, n, &res.boilerplate);
  res.content.reserve(docs.size() - first);
  for (uint32_t d = first; d < docs.size(); ++d) res.content.push_back(tt.Content(d));

  t0 = Clock::now();
  ET_RETURN_IF_ERROR(TokenizePartners(cands, prior, n, threads, &tt));
  res.stats.tokens = tt.tokens();
  ET_ASSIGN_OR_RETURN(Aligned found, AlignAll(&cands, &tt, o, threads, restricted));
  res.stats.align_s = Since(t0);

  t0 = Clock::now();
  {
    Placer placer(prior, static_cast<uint32_t>(docs.size()), o.merge_overlap);
    ET_RETURN_IF_ERROR(placer.PlaceAll(found));
    res.next_cluster = placer.next_cluster();
    res.extended = placer.Grown();
    res.touched_clusters = placer.Touched();
    res.occurrences = placer.TakeNew();
  }
  res.pairs = std::move(found.pairs);
  std::vector<Aligned::Tokens>().swap(found.tokens);
  if (first == 0) res.clusters = BuildClusters(docs, res.occurrences);
  res.stats.passage_pairs = res.pairs.size();
  res.stats.clusters = res.next_cluster - prior.next_cluster;
  res.stats.occurrences = res.occurrences.size();
  res.stats.cluster_s = Since(t0);
  return res;
}

}  // namespace

std::vector<ReuseCluster> BuildClusters(const std::vector<CorpusDoc>& docs,
                                        const std::vector<OccurrenceRecord>& occurrences) {
  std::vector<uint32_t> order(occurrences.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key = [&](uint32_t i) {
    const OccurrenceRecord& r = occurrences[i];
    return std::make_tuple(r.cluster, docs[r.doc].id, r.start, r.end);
  };
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return key(x) < key(y); });
  std::vector<ReuseCluster> out;
  for (uint32_t i : order) {
    const OccurrenceRecord& r = occurrences[i];
    if (out.empty() || out.back().id != r.cluster) {
      out.emplace_back();
      out.back().id = r.cluster;
    }
    std::vector<ReuseOccurrence>& v = out.back().occurrences;
    if (!v.empty() && v.back().doc == r.doc && v.back().start == r.start && v.back().end == r.end) {
      continue;  // one byte span twice (two token spans cannot differ and give one)
    }
    v.push_back({r.doc, r.start, r.end});
  }
  for (ReuseCluster& c : out) Summarise(docs, &c);
  return out;
}

Result<CorpusReuseResult> FindCorpusReuse(const std::vector<CorpusDoc>& docs,
                                          const CorpusReuseOptions& o) {
  return Run(docs, o, PriorReuse{});
}

Result<CorpusReuseResult> ExtendCorpusReuse(const std::vector<CorpusDoc>& docs,
                                            const CorpusReuseOptions& o, const PriorReuse& prior) {
  if (o.compare_sides) {
    return Status::InvalidArgument("reuse: a comparison of sides is always a full run");
  }
  return Run(docs, o, prior);
}

}  // namespace echotrace::reuse

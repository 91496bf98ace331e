// The near-duplicate pipeline; the steps and guarantees are in neardup.h.
//
// Determinism: parallel steps write each document's (or pair's) result to
// its own slot, or build per-chunk outputs that are concatenated in chunk
// order; everything order-sensitive (grouping, union-find, cluster naming)
// runs on sorted data in one thread. Union-find's partition does not depend
// on the order of unions and clusters are named by their smallest member, so
// the output is the same for every thread count.
#include "neardup/neardup.h"

#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <new>
#include <numeric>
#include <string>
#include <thread>
#include <utility>

#include "neardup/union_find.h"
#include "text/normalize.h"
#include "util/parallel.h"

namespace echotrace::neardup {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point* t0) {
  const Clock::time_point now = Clock::now();
  const double s = std::chrono::duration<double>(now - *t0).count();
  *t0 = now;
  return s;
}

// Variable-length sets stored back to back.
struct Csr {
  std::vector<uint64_t> offsets{0};
  std::vector<uint64_t> values;
  std::span<const uint64_t> At(size_t i) const {
    return {values.data() + offsets[i], offsets[i + 1] - offsets[i]};
  }
  size_t SizeOf(size_t i) const { return offsets[i + 1] - offsets[i]; }
  void Append(std::span<const uint64_t> s) {
    values.insert(values.end(), s.begin(), s.end());
    offsets.push_back(values.size());
  }
  void Extend(const Csr& other) {
    const uint64_t base = values.size();
    values.insert(values.end(), other.values.begin(), other.values.end());
    for (size_t i = 1; i < other.offsets.size(); ++i) offsets.push_back(base + other.offsets[i]);
  }
};

// Sets of the documents that survive step 1, in ascending document order.
struct Features {
  std::vector<uint32_t> doc;
  std::vector<uint32_t> num_tokens;
  Csr tokens, shingles;  // shingles: empty set for short documents
  size_t size() const { return doc.size(); }
};

// Appends `b`, whose documents all follow a's.
void Append(Features* a, const Features& b) {
  a->doc.insert(a->doc.end(), b.doc.begin(), b.doc.end());
  a->num_tokens.insert(a->num_tokens.end(), b.num_tokens.begin(), b.num_tokens.end());
  a->tokens.Extend(b.tokens);
  a->shingles.Extend(b.shingles);
}

// Step 1. Returns the representatives (ascending); sets rep[d]. Counts the
// joined documents >= first_new (an incremental run's earlier documents
// were counted by the run that covered them).
std::vector<uint32_t> JoinExact(std::span<const std::string_view> texts,
                                std::span<const uint64_t> norm_hashes, int threads, UnionFind* uf,
                                std::vector<uint32_t>* rep, NearDupStats* stats,
                                uint32_t first_new = 0) {
  const size_t n = texts.size();
  std::vector<uint64_t> computed;
  if (norm_hashes.empty()) {
    computed.resize(n);
    ParallelFor(n, 1024, threads, [&](size_t lo, size_t hi) {
      for (size_t d = lo; d < hi; ++d) computed[d] = NormalizedHash(texts[d]);
    });
    norm_hashes = computed;
  }
  std::vector<std::pair<uint64_t, uint32_t>> order(n);
  for (size_t d = 0; d < n; ++d) order[d] = {norm_hashes[d], static_cast<uint32_t>(d)};
  std::sort(order.begin(), order.end());
  // Texts whose matching form is empty (white space, ignorables) are not
  // duplicates of each other in any useful sense: never joined.
  const uint64_t empty_hash = NormalizedHash("");
  std::vector<uint32_t> reps;
  for (size_t i = 0; i < n; ++i) {
    const bool same = i > 0 && order[i].first == order[i - 1].first && order[i].first != empty_hash;
    const uint32_t first = same ? (*rep)[order[i - 1].second] : order[i].second;
    (*rep)[order[i].second] = first;
    if (first == order[i].second) {
      reps.push_back(first);
    } else {
      uf->Union(first, order[i].second);
      if (order[i].second >= first_new) ++stats->exact_duplicates;
    }
  }
  std::sort(reps.begin(), reps.end());
  return reps;
}

// Step 2, in chunks whose outputs are concatenated in order: the features
// of docs[i] (ascending), whose text is text_of(i).
template <typename TextOf>
Features Shingle(const std::vector<uint32_t>& docs, const TextOf& text_of,
                 const ShingleOptions& options, int threads) {
  constexpr size_t kGrain = 2048;
  std::vector<Features> parts((docs.size() + kGrain - 1) / kGrain);
  ParallelFor(docs.size(), kGrain, threads, [&](size_t lo, size_t hi) {
    Features& part = parts[lo / kGrain];
    DocShingles ds;
    for (size_t i = lo; i < hi; ++i) {
      ComputeShingles(text_of(i), options, &ds);
      part.doc.push_back(docs[i]);
      part.num_tokens.push_back(ds.num_tokens);
      part.tokens.Append(ds.tokens);
      part.shingles.Append(ds.shingles);
    }
  });
  // Sized once: growing `all` part by part would copy it ~twice over and
  // fault in the abandoned buffers (on 2.46M tweets, 1.1 GB of sets).
  Features all;
  size_t n_docs = 0, n_tokens = 0, n_shingles = 0;
  for (const Features& part : parts) {
    n_docs += part.size();
    n_tokens += part.tokens.values.size();
    n_shingles += part.shingles.values.size();
  }
  all.doc.reserve(n_docs);
  all.num_tokens.reserve(n_docs);
  all.tokens.offsets.reserve(n_docs + 1);
  all.tokens.values.reserve(n_tokens);
  all.shingles.offsets.reserve(n_docs + 1);
  all.shingles.values.reserve(n_shingles);
  for (Features& part : parts) {
    Append(&all, part);
    part = Features();
  }
  return all;
}

// The features of the documents `docs` (ascending) given by index.
Features Shingle(std::span<const std::string_view> texts, const std::vector<uint32_t>& docs,
                 const ShingleOptions& options, int threads) {
  return Shingle(
      docs, [&](size_t i) { return texts[docs[i]]; }, options, threads);
}

// The features of earlier documents `docs` (ascending), texts fetched.
Result<Features> FetchAndShingle(const FetchTexts& fetch, const std::vector<uint32_t>& docs,
                                 const ShingleOptions& options, int threads) {
  std::vector<std::string> texts;
  if (!docs.empty()) ET_RETURN_IF_ERROR(fetch(docs, &texts));
  if (texts.size() != docs.size()) {
    return Status::Internal("near-duplicates: " + std::to_string(texts.size()) + " texts for " +
                            std::to_string(docs.size()) + " earlier documents");
  }
  return Shingle(
      docs, [&](size_t i) { return std::string_view(texts[i]); }, options, threads);
}

uint64_t SetHash(std::span<const uint64_t> s) { return XXH3_64bits(s.data(), s.size_bytes()); }

// Step 3 for one regime: joins members with identical sets; returns the
// members that go on (ascending feature index).
std::vector<uint32_t> JoinIdentical(const Features& f, const Csr& sets,
                                    const std::vector<uint32_t>& members, UnionFind* uf,
                                    std::vector<uint32_t>* rep3, NearDupStats* stats) {
  std::vector<std::pair<uint64_t, uint32_t>> keyed(members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    const std::span<const uint64_t> s = sets.At(members[i]);
    keyed[i] = {SetHash(s), members[i]};
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<uint32_t> kept;
  size_t first = 0;
  for (size_t i = 0; i < keyed.size(); ++i) {
    if (i > 0 && keyed[i].first != keyed[first].first) first = i;
    const uint32_t a = keyed[first].second, b = keyed[i].second;
    const std::span<const uint64_t> sa = sets.At(a), sb = sets.At(b);
    if (a != b && std::equal(sa.begin(), sa.end(), sb.begin(), sb.end())) {
      uf->Union(f.doc[a], f.doc[b]);
      (*rep3)[f.doc[b]] = f.doc[a];
      ++stats->identical_sets;
    } else {
      kept.push_back(b);  // a group's first, or a hash collision
    }
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

// Step 4 for one index: `bands` keys per entry, entry-major.
std::vector<uint32_t> SignKeys(const Csr& sets, const std::vector<uint32_t>& entries,
                               const MinHasher& hasher, BandParams bands, int threads) {
  std::vector<uint32_t> keys(entries.size() * bands.bands);
  ParallelFor(entries.size(), 512, threads, [&](size_t lo, size_t hi) {
    std::vector<uint32_t> sig(hasher.num_perm());
    for (size_t e = lo; e < hi; ++e) {
      hasher.Sign(sets.At(entries[e]), sig.data());
      for (uint32_t b = 0; b < bands.bands; ++b)
        keys[e * bands.bands + b] = BandKey(sig, b, bands.rows);
    }
  });
  return keys;
}

enum Verdict : uint8_t { kBelow, kAccepted, kSkipped, kSizeFiltered };

struct Verified {
  std::vector<uint8_t> verdict;
  std::vector<float> jaccard;  // for kAccepted and kBelow
};

// Step 6: exact similarity of each candidate of one index. `token_index`
// selects the token-set rule.
Verified Verify(const Features& f, const std::vector<uint64_t>& pairs, bool token_index,
                const NearDupOptions& options, int threads) {
  Verified v;
  v.verdict.resize(pairs.size());
  v.jaccard.resize(pairs.size());
  const double t = options.threshold;
  const Csr& sets = token_index ? f.tokens : f.shingles;
  ParallelFor(pairs.size(), 4096, threads, [&](size_t lo, size_t hi) {
    for (size_t p = lo; p < hi; ++p) {
      const uint32_t i = pairs[p] >> 32, j = pairs[p] & 0xFFFFFFFFu;
      if (token_index && !IsShort(f.num_tokens[i], options.shingle) &&
          !IsShort(f.num_tokens[j], options.shingle)) {
        v.verdict[p] = kSkipped;  // two long documents: the shingle rule applies
        continue;
      }
      const double small = static_cast<double>(std::min(sets.SizeOf(i), sets.SizeOf(j)));
      const double large = static_cast<double>(std::max(sets.SizeOf(i), sets.SizeOf(j)));
      if (small / large < t) {  // J <= |small| / |large|
        v.verdict[p] = kSizeFiltered;
        continue;
      }
      const double jaccard = Jaccard(sets.At(i), sets.At(j));
      v.jaccard[p] = static_cast<float>(jaccard);
      v.verdict[p] = jaccard >= t ? kAccepted : kBelow;
    }
  });
  return v;
}

// Unions the accepted pairs of one index and counts verdicts.
void Join(const Features& f, const std::vector<uint64_t>& pairs, const Verified& v, uint8_t k,
          bool collect, UnionFind* uf, NearDupResult* result) {
  NearDupStats& st = result->stats;
  for (size_t p = 0; p < pairs.size(); ++p) {
    switch (v.verdict[p]) {
      case kSkipped:
        ++st.skipped_pairs;
        continue;
      case kSizeFiltered:
        ++st.size_filtered;
        continue;
      case kBelow:
        continue;
      default:
        break;
    }
    ++st.verified_pairs;
    const uint32_t a = f.doc[pairs[p] >> 32], b = f.doc[pairs[p] & 0xFFFFFFFFu];
    uf->Union(a, b);
    if (collect) result->pairs.push_back({a, b, v.jaccard[p], k});
  }
}

// Feature indices of short and long documents (empty ones counted only).
void SplitRegimes(const Features& f, const ShingleOptions& options,
                  std::vector<uint32_t>* short_docs, std::vector<uint32_t>* long_docs,
                  NearDupStats* stats) {
  for (uint32_t i = 0; i < f.doc.size(); ++i) {
    if (f.num_tokens[i] == 0) {
      ++stats->empty_docs;
    } else if (IsShort(f.num_tokens[i], options)) {
      short_docs->push_back(i);
    } else {
      long_docs->push_back(i);
    }
  }
}

int Threads(const NearDupOptions& options) {
  return options.threads > 0 ? options.threads
                             : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// Largest token set of a "bridge" document: a long one whose token set is
// small enough to reach Jaccard >= t with a short document's (at most
// min_tokens - 1 members).
double BridgeMax(const NearDupOptions& options) {
  return std::floor((options.shingle.min_tokens_for_shingles - 1) / options.threshold + 1e-9);
}

// The step-4 entries of representatives `short_docs` and `long_docs`
// (ascending feature indices of f): the token-set index's and the shingle
// index's, both ascending.
void Entries(const Features& f, const std::vector<uint32_t>& short_docs,
             const std::vector<uint32_t>& long_docs, const NearDupOptions& options,
             std::vector<uint32_t>* token_entries, NearDupStats* st) {
  const double bridge_max = BridgeMax(options);
  *token_entries = short_docs;
  for (uint32_t i : long_docs) {
    if (static_cast<double>(f.tokens.SizeOf(i)) <= bridge_max) token_entries->push_back(i);
  }
  st->bridge_docs += token_entries->size() - short_docs.size();
  std::sort(token_entries->begin(), token_entries->end());
}

// Index entries (without keys) of the representatives: ascending document
// order, which is ascending feature index.
void IndexEntries(const Features& f, const std::vector<uint32_t>& short_docs,
                  const std::vector<uint32_t>& long_docs,
                  const std::vector<uint32_t>& token_entries, const NearDupOptions& options,
                  LshIndex* index) {
  std::vector<uint32_t> all(short_docs);
  all.insert(all.end(), long_docs.begin(), long_docs.end());
  std::sort(all.begin(), all.end());
  for (uint32_t i : all) {
    const bool is_short = IsShort(f.num_tokens[i], options.shingle);
    const bool in_tokens = std::binary_search(token_entries.begin(), token_entries.end(), i);
    index->doc.push_back(f.doc[i]);
    index->kind.push_back(is_short    ? LshIndex::kShort
                          : in_tokens ? LshIndex::kBridge
                                      : LshIndex::kLong);
    index->set_hash.push_back(SetHash(is_short ? f.tokens.At(i) : f.shingles.At(i)));
  }
}

// Candidate pairs (feature-index or document pairs, i << 32 | j) of one
// index from the keys of `entries`, mapped through entry_id.
template <typename EntryId>
std::vector<uint64_t> PairsOf(std::span<const uint32_t> keys, size_t num_entries,
                              uint32_t first_new, const EntryId& entry_id,
                              const NearDupOptions& options, int threads, NearDupStats* st) {
  uint64_t capped = 0;
  std::vector<uint64_t> pairs =
      num_entries == 0 ? std::vector<uint64_t>()
                       : CandidatePairs(keys, static_cast<uint32_t>(keys.size() / num_entries),
                                        options.max_bucket, threads, &capped, first_new);
  st->capped_buckets += capped;
  st->candidate_pairs += pairs.size();
  for (uint64_t& p : pairs) p = uint64_t{entry_id(p >> 32)} << 32 | entry_id(p & 0xFFFFFFFFu);
  return pairs;
}

// Cluster, representative and cluster counts from the union-find.
void Finish(UnionFind* uf, const std::vector<uint32_t>& rep1, const std::vector<uint32_t>& rep3,
            const PriorRun* prior, NearDupResult* result) {
  NearDupStats& st = result->stats;
  std::sort(result->pairs.begin(), result->pairs.end(),
            [](const VerifiedPair& x, const VerifiedPair& y) {
              return std::pair(x.a, x.b) < std::pair(y.a, y.b);
            });
  result->cluster = uf->Canonical();
  const uint32_t n = static_cast<uint32_t>(result->cluster.size());
  const uint32_t m = prior != nullptr ? prior->num_old : 0;
  result->representative.resize(n);
  for (uint32_t d = 0; d < m; ++d) result->representative[d] = prior->representative[d];
  for (uint32_t d = m; d < n; ++d) result->representative[d] = rep3[rep1[d]];
  std::vector<uint32_t> size(n, 0);
  for (uint32_t c : result->cluster) ++size[c];
  for (uint32_t d = 0; d < n; ++d) {
    if (size[d] >= 2) {
      ++st.clusters;
      st.clustered_docs += size[d];
    }
  }
}

Result<NearDupResult> Run(std::span<const std::string_view> texts,
                          std::span<const uint64_t> norm_hashes, const NearDupOptions& options) {
  const int threads = Threads(options);
  const uint32_t n = static_cast<uint32_t>(texts.size());
  NearDupResult result;
  NearDupStats& st = result.stats;
  st.docs = n;
  UnionFind uf(n);
  std::vector<uint32_t> rep1(n), rep3(n);
  Clock::time_point t0 = Clock::now();

  const std::vector<uint32_t> reps = JoinExact(texts, norm_hashes, threads, &uf, &rep1, &st);
  st.seconds_exact = SecondsSince(&t0);
  const Features f = Shingle(texts, reps, options.shingle, threads);
  st.seconds_shingle = SecondsSince(&t0);

  std::iota(rep3.begin(), rep3.end(), 0u);
  std::vector<uint32_t> short_docs, long_docs;
  SplitRegimes(f, options.shingle, &short_docs, &long_docs, &st);
  short_docs = JoinIdentical(f, f.tokens, short_docs, &uf, &rep3, &st);
  long_docs = JoinIdentical(f, f.shingles, long_docs, &uf, &rep3, &st);
  st.short_docs = short_docs.size();
  st.long_docs = long_docs.size();
  std::vector<uint32_t> token_entries;
  Entries(f, short_docs, long_docs, options, &token_entries, &st);
  st.bands = ChooseBands(options.threshold, options.num_perm, options.band_criteria);
  if (options.collect_index) {
    IndexEntries(f, short_docs, long_docs, token_entries, options, &result.index);
    result.index.bands = st.bands.bands;
  }
  st.seconds_collapse = SecondsSince(&t0);

  const MinHasher hasher(options.num_perm, options.seed);
  for (const bool token_index : {true, false}) {
    const Csr& sets = token_index ? f.tokens : f.shingles;
    const std::vector<uint32_t>& entries = token_index ? token_entries : long_docs;
    std::vector<uint32_t> keys = SignKeys(sets, entries, hasher, st.bands, threads);
    st.seconds_minhash += SecondsSince(&t0);
    const std::vector<uint64_t> pairs = PairsOf(
        keys, entries.size(), 0, [&](uint64_t e) { return entries[e]; }, options, threads, &st);
    if (options.collect_index) {
      (token_index ? result.index.token_keys : result.index.shingle_keys) = std::move(keys);
    }
    st.seconds_candidates += SecondsSince(&t0);
    const Verified v = Verify(f, pairs, token_index, options, threads);
    st.seconds_verify += SecondsSince(&t0);
    Join(f, pairs, v, token_index ? 1 : static_cast<uint8_t>(options.shingle.k),
         options.collect_pairs, &uf, &result);
    st.seconds_union += SecondsSince(&t0);
  }
  Finish(&uf, rep1, rep3, nullptr, &result);
  st.seconds_union += SecondsSince(&t0);
  return result;
}

// Where the new documents' sets are compared with the earlier ones'. See
// neardup.h ("Incremental") for why this equals a full run.
Result<NearDupResult> RunExtend(std::span<const std::string_view> texts,
                                std::span<const uint64_t> norm_hashes, const PriorRun& prior,
                                const FetchTexts& fetch, const NearDupOptions& options,
                                BandParams bands) {
  const int threads = Threads(options);
  const uint32_t n = static_cast<uint32_t>(texts.size()), m = prior.num_old;
  const LshIndex& old = *prior.index;
  NearDupResult result;
  NearDupStats& st = result.stats;
  st.docs = n - m;
  st.bands = bands;
  result.index.bands = st.bands.bands;
  Clock::time_point t0 = Clock::now();

  // The earlier joins, as components: any spanning set of unions gives the
  // same partition.
  UnionFind uf(n);
  for (uint32_t d = 0; d < m; ++d) uf.Union(d, prior.cluster[d]);
  std::vector<uint32_t> rep1(n), rep3(n);
  std::iota(rep3.begin(), rep3.end(), 0u);
  std::copy(prior.representative.begin(), prior.representative.end(), rep3.begin());

  // Step 1 over every document: a new text equal to an earlier one joins
  // the earlier group's first member, as in a full run.
  const std::vector<uint32_t> reps = JoinExact(texts, norm_hashes, threads, &uf, &rep1, &st, m);
  const std::vector<uint32_t> new_reps(std::lower_bound(reps.begin(), reps.end(), m), reps.end());
  st.seconds_exact = SecondsSince(&t0);
  Features nf = Shingle(texts, new_reps, options.shingle, threads);
  st.seconds_shingle = SecondsSince(&t0);

  // Step 3. In a full run a new set equal to an earlier one meets, first in
  // its hash run, the smallest earlier representative with that set hash,
  // which is in the index (the first of a run is always kept).
  std::vector<uint32_t> new_short, new_long;
  SplitRegimes(nf, options.shingle, &new_short, &new_long, &st);
  auto sorted_hashes = [&](const std::vector<uint32_t>& members, bool tokens) {
    std::vector<uint64_t> h;
    h.reserve(members.size());
    for (uint32_t i : members) h.push_back(SetHash(tokens ? nf.tokens.At(i) : nf.shingles.At(i)));
    std::sort(h.begin(), h.end());
    h.erase(std::unique(h.begin(), h.end()), h.end());
    return h;
  };
  const std::vector<uint64_t> short_hashes = sorted_hashes(new_short, true);
  const std::vector<uint64_t> long_hashes = sorted_hashes(new_long, false);
  std::vector<uint8_t> short_seen(short_hashes.size()), long_seen(long_hashes.size());
  std::vector<uint32_t> firsts;
  for (size_t e = 0; e < old.size(); ++e) {
    const bool is_short = old.kind[e] == LshIndex::kShort;
    const std::vector<uint64_t>& hashes = is_short ? short_hashes : long_hashes;
    std::vector<uint8_t>& seen = is_short ? short_seen : long_seen;
    const auto it = std::lower_bound(hashes.begin(), hashes.end(), old.set_hash[e]);
    if (it == hashes.end() || *it != old.set_hash[e] || seen[it - hashes.begin()]) continue;
    seen[it - hashes.begin()] = 1;
    firsts.push_back(old.doc[e]);
  }
  {
    ET_ASSIGN_OR_RETURN(Features cf, FetchAndShingle(fetch, firsts, options.shingle, threads));
    const uint32_t off = static_cast<uint32_t>(cf.size());
    Append(&cf, nf);
    std::vector<uint32_t> short_members, long_members;
    for (uint32_t i = 0; i < off; ++i) {
      if (cf.num_tokens[i] == 0) continue;  // a changed text: never equal to a new set
      (IsShort(cf.num_tokens[i], options.shingle) ? short_members : long_members).push_back(i);
    }
    for (uint32_t i : new_short) short_members.push_back(off + i);
    for (uint32_t i : new_long) long_members.push_back(off + i);
    auto new_only = [&](std::vector<uint32_t> kept) {
      kept.erase(std::remove_if(kept.begin(), kept.end(), [&](uint32_t i) { return i < off; }),
                 kept.end());
      for (uint32_t& i : kept) i -= off;
      return kept;
    };
    new_short = new_only(JoinIdentical(cf, cf.tokens, short_members, &uf, &rep3, &st));
    new_long = new_only(JoinIdentical(cf, cf.shingles, long_members, &uf, &rep3, &st));
  }
  st.short_docs = new_short.size();
  st.long_docs = new_long.size();
  std::vector<uint32_t> new_token;
  Entries(nf, new_short, new_long, options, &new_token, &st);
  IndexEntries(nf, new_short, new_long, new_token, options, &result.index);
  st.seconds_collapse = SecondsSince(&t0);

  // Steps 4 and 5: the earlier entries' stored keys followed by the new
  // ones' (all new documents follow all earlier ones), pairs with a new j.
  std::vector<uint32_t> old_token, old_long;
  for (size_t e = 0; e < old.size(); ++e) {
    if (LshIndex::InTokenIndex(old.kind[e])) old_token.push_back(old.doc[e]);
    if (LshIndex::InShingleIndex(old.kind[e])) old_long.push_back(old.doc[e]);
  }
  const MinHasher hasher(options.num_perm, options.seed);
  std::vector<uint64_t> pairs[2];
  for (const bool token_index : {true, false}) {
    const std::vector<uint32_t>& entries = token_index ? new_token : new_long;
    const std::vector<uint32_t>& old_docs = token_index ? old_token : old_long;
    std::vector<uint32_t> keys =
        SignKeys(token_index ? nf.tokens : nf.shingles, entries, hasher, st.bands, threads);
    st.seconds_minhash += SecondsSince(&t0);
    const std::vector<uint32_t>& old_keys = token_index ? old.token_keys : old.shingle_keys;
    std::vector<uint32_t> all(old_keys);
    all.insert(all.end(), keys.begin(), keys.end());
    const uint32_t first_new = static_cast<uint32_t>(old_docs.size());
    pairs[token_index ? 0 : 1] = PairsOf(
        all, old_docs.size() + entries.size(), first_new,
        [&](uint64_t e) { return e < first_new ? old_docs[e] : nf.doc[entries[e - first_new]]; },
        options, threads, &st);
    (token_index ? result.index.token_keys : result.index.shingle_keys) = std::move(keys);
    st.seconds_candidates += SecondsSince(&t0);
  }

  // Step 6 on the earlier documents' sets, fetched, and the new ones'.
  std::vector<uint32_t> old_in_pairs;
  for (const std::vector<uint64_t>& ps : pairs) {
    for (uint64_t p : ps) {
      if ((p >> 32) < m) old_in_pairs.push_back(static_cast<uint32_t>(p >> 32));
    }
  }
  std::sort(old_in_pairs.begin(), old_in_pairs.end());
  old_in_pairs.erase(std::unique(old_in_pairs.begin(), old_in_pairs.end()), old_in_pairs.end());
  ET_ASSIGN_OR_RETURN(Features vf, FetchAndShingle(fetch, old_in_pairs, options.shingle, threads));
  Append(&vf, nf);
  auto feature_of = [&](uint32_t doc) {
    return static_cast<uint32_t>(std::lower_bound(vf.doc.begin(), vf.doc.end(), doc) -
                                 vf.doc.begin());
  };
  for (const bool token_index : {true, false}) {
    std::vector<uint64_t>& ps = pairs[token_index ? 0 : 1];
    for (uint64_t& p : ps) {
      p = uint64_t{feature_of(static_cast<uint32_t>(p >> 32))} << 32 |
          feature_of(static_cast<uint32_t>(p & 0xFFFFFFFFu));
    }
    const Verified v = Verify(vf, ps, token_index, options, threads);
    st.seconds_verify += SecondsSince(&t0);
    Join(vf, ps, v, token_index ? 1 : static_cast<uint8_t>(options.shingle.k),
         options.collect_pairs, &uf, &result);
    st.seconds_union += SecondsSince(&t0);
  }
  Finish(&uf, rep1, rep3, &prior, &result);
  st.seconds_union += SecondsSince(&t0);
  return result;
}

}  // namespace

Status ValidateOptions(const NearDupOptions& options) {
  if (!(options.threshold > 0.0 && options.threshold <= 1.0)) {
    return Status::InvalidArgument("near-duplicate threshold must be in (0, 1], got " +
                                   std::to_string(options.threshold));
  }
  if (options.num_perm < 1 || options.num_perm > kMaxNumPerm) {
    return Status::InvalidArgument("MinHash permutations must be in 1.." +
                                   std::to_string(kMaxNumPerm) + ", got " +
                                   std::to_string(options.num_perm));
  }
  if (!ValidShingleOptions(options.shingle)) {
    return Status::InvalidArgument(
        "shingle size must be in 1..16 and min_tokens_for_shingles at least the shingle size");
  }
  if (options.max_bucket < 2) {
    return Status::InvalidArgument("max_bucket must be at least 2");
  }
  if (options.threads < 0) return Status::InvalidArgument("threads must be >= 0");
  return Status::OK();
}

Result<NearDupResult> FindNearDuplicates(std::span<const std::string_view> texts,
                                         std::span<const uint64_t> norm_hashes,
                                         const NearDupOptions& options) {
  ET_RETURN_IF_ERROR(ValidateOptions(options));
  if (!norm_hashes.empty() && norm_hashes.size() != texts.size()) {
    return Status::InvalidArgument("near-duplicates: " + std::to_string(norm_hashes.size()) +
                                   " norm hashes for " + std::to_string(texts.size()) + " texts");
  }
  if (texts.size() >= UINT32_MAX) {
    return Status::InvalidArgument("near-duplicates: at most 4294967294 documents per run");
  }
  try {
    return Run(texts, norm_hashes, options);
  } catch (const std::bad_alloc&) {
    return Status::Internal("near-duplicates: out of memory for " + std::to_string(texts.size()) +
                            " documents; run on fewer documents at a time");
  }
}

Result<NearDupResult> ExtendNearDuplicates(std::span<const std::string_view> texts,
                                           std::span<const uint64_t> norm_hashes,
                                           const PriorRun& prior, const FetchTexts& fetch,
                                           const NearDupOptions& options) {
  ET_RETURN_IF_ERROR(ValidateOptions(options));
  const size_t n = texts.size(), m = prior.num_old;
  if (norm_hashes.size() != n || m > n || prior.cluster.size() != m ||
      prior.representative.size() != m || prior.index == nullptr || !fetch) {
    return Status::InvalidArgument(
        "near-duplicates: an incremental run needs one norm hash per text and the earlier "
        "run's clusters, representatives and index");
  }
  if (n >= UINT32_MAX) {
    return Status::InvalidArgument("near-duplicates: at most 4294967294 documents per run");
  }
  const LshIndex& index = *prior.index;
  const BandParams band_params =
      ChooseBands(options.threshold, options.num_perm, options.band_criteria);
  const uint32_t bands = band_params.bands;
  size_t in_tokens = 0, in_shingles = 0;
  bool ordered = index.kind.size() == index.size() && index.set_hash.size() == index.size();
  for (size_t e = 0; ordered && e < index.size(); ++e) {
    ordered = index.doc[e] < m && (e == 0 || index.doc[e - 1] < index.doc[e]) &&
              index.kind[e] <= LshIndex::kBridge;
    in_tokens += LshIndex::InTokenIndex(index.kind[e]);
    in_shingles += LshIndex::InShingleIndex(index.kind[e]);
  }
  for (size_t d = 0; ordered && d < m; ++d) {
    ordered = prior.cluster[d] <= d && prior.representative[d] <= d;
  }
  if (!ordered || index.bands != bands || index.token_keys.size() != in_tokens * bands ||
      index.shingle_keys.size() != in_shingles * bands) {
    return Status::InvalidArgument(
        "near-duplicates: the earlier run's index does not match these options or documents");
  }
  try {
    return RunExtend(texts, norm_hashes, prior, fetch, options, band_params);
  } catch (const std::bad_alloc&) {
    return Status::Internal("near-duplicates: out of memory extending the clusters by " +
                            std::to_string(n - m) + " documents");
  }
}

double PairSimilarity(const DocShingles& a, const DocShingles& b, const ShingleOptions& options) {
  if (a.num_tokens == 0 || b.num_tokens == 0) return 0.0;
  if (IsShort(a.num_tokens, options) || IsShort(b.num_tokens, options)) {
    return Jaccard(a.tokens, b.tokens);
  }
  return Jaccard(a.shingles, b.shingles);
}

}  // namespace echotrace::neardup

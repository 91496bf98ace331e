// From anchors to passages for one pair of documents.
//
//  1. Anchors: shared n-grams (FindAnchors), filtered by the caller's
//     predicate, grouped into exact runs on a diagonal (ChainAnchors).
//  2. Extension: chains in order of decreasing length (the most reliable
//     seeds first) are extended with ExtendSeed; a chain lying wholly inside
//     the rectangle of a passage already found is skipped, so a copied
//     article with a hundred anchors is aligned once, not a hundred times.
//  3. Merging: an extension stops at a deep dip (X-drop) or at the edge of
//     its band, and the chain past the edit then yields a second alignment
//     that overlaps or nearly touches the first. Alignments in order of A
//     are joined when the later one ends beyond the earlier in both
//     documents and the hole left after trimming the overlap is at most
//     max_merge_gap in both; the hole is filled with substitutions (matches
//     where the tokens happen to agree) plus an indel run for the excess.
//     An alignment inside another is dropped.
//  4. Measures: passages shorter than min_tokens are dropped; identity and
//     containment are computed; byte offsets come from the tokens.
#include "reuse/passages.h"

#include <xxhash.h>

#include <algorithm>
#include <tuple>
#include <utility>

namespace echotrace::reuse {
namespace {

bool Inside(const AnchorChain& c, const Alignment& r) {
  return c.a_pos >= r.a_begin && c.a_pos + c.length <= r.a_end && c.b_pos >= r.b_begin &&
         c.b_pos + c.length <= r.b_end;
}

bool Contains(const Alignment& outer, const Alignment& in) {
  return in.a_begin >= outer.a_begin && in.a_end <= outer.a_end && in.b_begin >= outer.b_begin &&
         in.b_end <= outer.b_end;
}

Result<std::vector<Alignment>> ExtendChains(std::span<const TokenId> a, std::span<const TokenId> b,
                                            std::vector<AnchorChain> chains,
                                            const ExtendParams& p) {
  std::stable_sort(chains.begin(), chains.end(),
                   [](const AnchorChain& x, const AnchorChain& y) { return x.length > y.length; });
  std::vector<Alignment> found;
  for (const AnchorChain& c : chains) {
    const bool covered =
        std::any_of(found.begin(), found.end(), [&](const Alignment& r) { return Inside(c, r); });
    if (covered) continue;
    ET_ASSIGN_OR_RETURN(Alignment al, ExtendSeed(a, b, {c.a_pos, c.b_pos, c.length}, p));
    found.push_back(std::move(al));
  }
  return found;
}

// Appends to `p` the part of `r` past p's end, bridging the hole; false
// (and `p` untouched) when r does not continue p within max_gap.
bool TryMerge(std::span<const TokenId> a, std::span<const TokenId> b, const Alignment& r,
              uint32_t max_gap, Alignment* p) {
  if (r.a_begin < p->a_begin || r.b_begin < p->b_begin) return false;
  if (r.a_end <= p->a_end || r.b_end <= p->b_end) return false;
  // Skip r's columns until it has left p in both documents.
  uint32_t i = r.a_begin, j = r.b_begin;
  size_t t = 0;
  while (t < r.ops.size() && (i < p->a_end || j < p->b_end)) {
    i += r.ops[t] != EditOp::kInsert;
    j += r.ops[t] != EditOp::kDelete;
    ++t;
  }
  if (i < p->a_end || j < p->b_end) return false;
  const uint32_t ga = i - p->a_end, gb = j - p->b_end;
  if (ga > max_gap || gb > max_gap) return false;
  for (uint32_t k = 0; k < std::min(ga, gb); ++k) {
    const bool same = a[p->a_end + k] == b[p->b_end + k];
    p->ops.push_back(same ? EditOp::kMatch : EditOp::kSubstitute);
  }
  p->ops.insert(p->ops.end(), ga > gb ? ga - gb : gb - ga,
                ga > gb ? EditOp::kDelete : EditOp::kInsert);
  p->ops.insert(p->ops.end(), r.ops.begin() + t, r.ops.end());
  p->a_end = r.a_end;
  p->b_end = r.b_end;
  p->cells += r.cells;
  return true;
}

Result<std::vector<Alignment>> Merge(std::span<const TokenId> a, std::span<const TokenId> b,
                                     std::vector<Alignment> found, const PassageParams& params) {
  std::sort(found.begin(), found.end(), [](const Alignment& x, const Alignment& y) {
    return std::tie(x.a_begin, x.b_begin, y.a_end) < std::tie(y.a_begin, y.b_begin, x.a_end);
  });
  std::vector<Alignment> out;
  for (Alignment& r : found) {
    bool absorbed = false;
    for (Alignment& p : out) {
      if (Contains(p, r) || TryMerge(a, b, r, params.max_merge_gap, &p)) {
        absorbed = true;
        break;
      }
    }
    if (!absorbed) out.push_back(std::move(r));
  }
  for (Alignment& p : out) {
    ET_ASSIGN_OR_RETURN(p.score,
                        ScoreOps(a, b, p.a_begin, p.b_begin, p.ops, params.extend.scoring));
  }
  return out;
}

PassagePair Measure(Alignment al, size_t len_a, size_t len_b) {
  PassagePair p;
  p.matches = static_cast<uint32_t>(std::count(al.ops.begin(), al.ops.end(), EditOp::kMatch));
  p.identity = al.ops.empty() ? 0.0 : double(p.matches) / double(al.ops.size());
  const bool a_shorter = len_a <= len_b;
  const double side = a_shorter ? al.a_end - al.a_begin : al.b_end - al.b_begin;
  p.containment = side / double(a_shorter ? len_a : len_b);
  p.alignment = std::move(al);
  return p;
}

}  // namespace

TokenId TokenIdOf(std::string_view norm) { return XXH3_64bits(norm.data(), norm.size()); }

std::vector<TokenId> TokenIds(const std::vector<Token>& tokens) {
  std::vector<TokenId> ids;
  ids.reserve(tokens.size());
  for (const Token& t : tokens) ids.push_back(TokenIdOf(t.norm));
  return ids;
}

Status ValidatePassageParams(const PassageParams& p) {
  if (p.anchors.n == 0) return Status::InvalidArgument("reuse: anchor n-gram order must be > 0");
  if (p.min_tokens == 0) return Status::InvalidArgument("reuse: min_tokens must be > 0");
  return ValidateScoring(p.extend.scoring);
}

Result<std::vector<PassagePair>> FindPassages(std::span<const TokenId> a,
                                              std::span<const TokenId> b,
                                              const PassageParams& params,
                                              const NgramFilter& allowed) {
  ET_RETURN_IF_ERROR(ValidatePassageParams(params));
  ET_ASSIGN_OR_RETURN(std::vector<Anchor> anchors, FindAnchors(a, b, params.anchors, allowed));
  std::vector<AnchorChain> chains = ChainAnchors(anchors, params.anchors.n);
  ET_ASSIGN_OR_RETURN(std::vector<Alignment> found,
                      ExtendChains(a, b, std::move(chains), params.extend));
  ET_ASSIGN_OR_RETURN(std::vector<Alignment> merged, Merge(a, b, std::move(found), params));
  std::vector<PassagePair> out;
  for (Alignment& al : merged) {
    const uint32_t shorter = std::min(al.a_end - al.a_begin, al.b_end - al.b_begin);
    if (shorter < params.min_tokens) continue;
    out.push_back(Measure(std::move(al), a.size(), b.size()));
  }
  return out;
}

Result<std::vector<PassagePair>> FindPassages(const std::vector<Token>& a,
                                              const std::vector<Token>& b,
                                              const PassageParams& params,
                                              const NgramFilter& allowed) {
  const std::vector<TokenId> ia = TokenIds(a), ib = TokenIds(b);
  ET_ASSIGN_OR_RETURN(std::vector<PassagePair> out, FindPassages(ia, ib, params, allowed));
  for (PassagePair& p : out) {
    const Alignment& al = p.alignment;
    p.a_start = a[al.a_begin].start;
    p.a_end = a[al.a_end - 1].end;
    p.b_start = b[al.b_begin].start;
    p.b_end = b[al.b_end - 1].end;
  }
  return out;
}

}  // namespace echotrace::reuse

// Local alignment of token sequences with affine gaps.
//
// AlignFull is the textbook dynamic program: Smith & Waterman (1981) local
// alignment with Gotoh's (1982) three-state recurrence for affine gaps,
//   E[i][j] = max(H[i][j-1] + open, E[i][j-1] + extend)   (insert: B only)
//   F[i][j] = max(H[i-1][j] + open, F[i-1][j] + extend)   (delete: A only)
//   H[i][j] = max(0, H[i-1][j-1] + s(a_i, b_j), E[i][j], F[i][j]),
// one traceback byte per cell. It is the obviously-correct reference.
//
// ExtendSeed is what the reuse detector runs. Like gapped BLAST (Altschul
// et al. 1997) and the X-drop of Zhang et al. (2000), it starts from an
// exact seed (a shared rare n-gram, as passim does: Smith et al. 2013, 2014)
// and grows the alignment outwards in each direction separately: the same
// recurrence without the 0 floor (the alignment is pinned to the seed), with
// H = 0 at the seed and the end chosen as the best cell. Two limits make the
// cost linear in the passage length instead of |A|·|B|:
//  - a band: only cells within `band` diagonals of the seed's diagonal are
//    evaluated (row x holds columns y = x - band .. x + band, stored at index
//    k = y - x + band, so a diagonal step keeps k, a step down in A is k + 1
//    of the previous row, a step along B is k - 1 of the same row);
//  - X-drop: a cell more than x_drop below the best score so far is dead;
//    a row is only evaluated from one left of the previous row's first live
//    cell to where the gap run past its last live cell dies, and the
//    extension stops at the first row with no live cell.
// The seed ends in a match on both sides, so no gap crosses it and the score
// of the whole alignment is left + seed + right exactly.
#include "reuse/aligner.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

namespace echotrace::reuse {
namespace {

// Low enough to never win, high enough that adding a few penalties cannot
// overflow.
constexpr int32_t kNeg = std::numeric_limits<int32_t>::min() / 4;
constexpr uint64_t kMaxTokens = std::numeric_limits<uint32_t>::max();

// Traceback byte: bits 0-1 where H came from, bit 2 E extended a gap (else
// opened from H), bit 3 F extended a gap.
enum : uint8_t { kFromStart = 0, kFromDiag = 1, kFromE = 2, kFromF = 3 };
constexpr uint8_t kEExtends = 4;
constexpr uint8_t kFExtends = 8;

enum class State { kH, kE, kF };

int32_t Pair(TokenId x, TokenId y, const Scoring& s) { return x == y ? s.match : s.mismatch; }

// The better of opening a gap from `h` and extending `gap`; sets `bit` in
// *tb when extending wins (ties open, which gives shorter gaps).
int32_t GapStep(int32_t h, int32_t gap, const Scoring& s, uint8_t bit, uint8_t* tb) {
  const int32_t open = h + s.gap_open;
  const int32_t ext = gap + s.gap_extend;
  if (ext > open) {
    *tb |= bit;
    return ext;
  }
  return open;
}

// max(diag, e, f) with ties to diag, then e, then f; *tb gets the source.
int32_t BestOf(int32_t diag, int32_t e, int32_t f, uint8_t* tb) {
  int32_t h = diag;
  uint8_t src = kFromDiag;
  if (e > h) h = e, src = kFromE;
  if (f > h) h = f, src = kFromF;
  *tb |= src;
  return h;
}

// One direction of a seed extension: A'[x] is a[origin + x] going right or
// a[origin - 1 - x] going left.
struct DirSeq {
  std::span<const TokenId> s;
  size_t origin;
  bool forward;
  size_t size() const { return forward ? s.size() - origin : origin; }
  TokenId operator[](size_t i) const { return forward ? s[origin + i] : s[origin - 1 - i]; }
};

struct OneWay {
  int32_t score = 0;
  uint32_t da = 0;  // tokens of A consumed
  uint32_t db = 0;  // tokens of B consumed
  // From the far end back to the seed: original left-to-right order for a
  // leftward extension, reversed for a rightward one.
  std::vector<EditOp> ops;
  uint64_t cells = 0;
};

}  // namespace

Status ValidateScoring(const Scoring& s) {
  if (s.match <= 0) return Status::InvalidArgument("reuse scoring: match must be > 0");
  if (s.mismatch >= 0) return Status::InvalidArgument("reuse scoring: mismatch must be < 0");
  if (s.gap_extend >= 0) return Status::InvalidArgument("reuse scoring: gap_extend must be < 0");
  if (s.gap_open > s.gap_extend) {
    return Status::InvalidArgument("reuse scoring: gap_open must be <= gap_extend");
  }
  constexpr int32_t kLimit = 1 << 20;
  if (s.match > kLimit || s.mismatch < -kLimit || s.gap_open < -kLimit) {
    return Status::InvalidArgument("reuse scoring: scores must be within +-2^20");
  }
  return Status::OK();
}

Result<int32_t> ScoreOps(std::span<const TokenId> a, std::span<const TokenId> b, uint32_t a_begin,
                         uint32_t b_begin, const std::vector<EditOp>& ops, const Scoring& s) {
  size_t i = a_begin, j = b_begin;
  int64_t score = 0;
  EditOp prev = EditOp::kMatch;
  for (EditOp op : ops) {
    const bool uses_a = op != EditOp::kInsert;
    const bool uses_b = op != EditOp::kDelete;
    if ((uses_a && i >= a.size()) || (uses_b && j >= b.size())) {
      return Status::InvalidArgument("alignment ops run past the end of a token sequence");
    }
    if (op == EditOp::kMatch || op == EditOp::kSubstitute) {
      if ((a[i] == b[j]) != (op == EditOp::kMatch)) {
        return Status::InvalidArgument("alignment op disagrees with the tokens it aligns");
      }
      score += Pair(a[i], b[j], s);
    } else {
      score += prev == op ? s.gap_extend : s.gap_open;
    }
    i += uses_a;
    j += uses_b;
    prev = op;
  }
  return static_cast<int32_t>(score);
}

// ---------------------------------------------------------------------------
// AlignFull

namespace {

// Walks the traceback from (i, j) in state H; returns ops in reverse order
// and leaves (i, j) at the alignment's start.
std::vector<EditOp> TraceFull(std::span<const TokenId> a, std::span<const TokenId> b,
                              const std::vector<uint8_t>& tb, size_t* i, size_t* j) {
  const size_t stride = b.size() + 1;
  std::vector<EditOp> ops;
  State st = State::kH;
  for (;;) {
    const uint8_t t = tb[*i * stride + *j];
    if (st == State::kH) {
      const uint8_t src = t & 3;
      if (src == kFromStart) break;
      if (src == kFromDiag) {
        ops.push_back(a[*i - 1] == b[*j - 1] ? EditOp::kMatch : EditOp::kSubstitute);
        --*i, --*j;
      } else {
        st = src == kFromE ? State::kE : State::kF;
      }
    } else if (st == State::kE) {
      ops.push_back(EditOp::kInsert);
      st = (t & kEExtends) ? State::kE : State::kH;
      --*j;
    } else {
      ops.push_back(EditOp::kDelete);
      st = (t & kFExtends) ? State::kF : State::kH;
      --*i;
    }
  }
  return ops;
}

}  // namespace

Result<Alignment> AlignFull(std::span<const TokenId> a, std::span<const TokenId> b,
                            const Scoring& s) {
  ET_RETURN_IF_ERROR(ValidateScoring(s));
  if (a.size() >= kMaxTokens || b.size() >= kMaxTokens) {
    return Status::InvalidArgument("AlignFull: a sequence has 2^32 or more tokens");
  }
  Alignment out;
  const size_t n = a.size(), m = b.size();
  if (n == 0 || m == 0) return out;
  std::vector<uint8_t> tb((n + 1) * (m + 1), kFromStart);
  std::vector<int32_t> h_prev(m + 1, 0), h(m + 1, 0), f(m + 1, kNeg);
  int32_t best = 0;
  size_t bi = 0, bj = 0;
  for (size_t i = 1; i <= n; ++i) {
    std::swap(h, h_prev);
    int32_t e = kNeg;
    for (size_t j = 1; j <= m; ++j) {
      uint8_t t = 0;
      e = GapStep(h[j - 1], e, s, kEExtends, &t);
      f[j] = GapStep(h_prev[j], f[j], s, kFExtends, &t);
      int32_t v = BestOf(h_prev[j - 1] + Pair(a[i - 1], b[j - 1], s), e, f[j], &t);
      if (v <= 0) v = 0, t &= ~uint8_t{3};  // start here: prefer the shorter alignment
      h[j] = v;
      tb[i * (m + 1) + j] = t;
      if (v > best) best = v, bi = i, bj = j;
    }
  }
  out.cells = static_cast<uint64_t>(n) * m;
  if (best == 0) return out;
  size_t i = bi, j = bj;
  out.ops = TraceFull(a, b, tb, &i, &j);
  std::reverse(out.ops.begin(), out.ops.end());
  out.a_begin = static_cast<uint32_t>(i);
  out.b_begin = static_cast<uint32_t>(j);
  out.a_end = static_cast<uint32_t>(bi);
  out.b_end = static_cast<uint32_t>(bj);
  out.score = best;
  return out;
}

// ---------------------------------------------------------------------------
// ExtendSeed

namespace {

// Band rows: index k + 1 holds band column k; indexes 0 and width + 1 are
// dead sentinels so the k - 1 and k + 1 neighbours need no bounds checks.
struct BandRows {
  explicit BandRows(size_t width) : h(width + 2, kNeg), f(width + 2, kNeg) {}
  std::vector<int32_t> h, f;
  void Clear() {
    std::fill(h.begin(), h.end(), kNeg);
    std::fill(f.begin(), f.end(), kNeg);
  }
};

std::vector<EditOp> TraceBand(const DirSeq& a, const DirSeq& b, const std::vector<uint8_t>& tb,
                              size_t width, size_t band, size_t x, size_t k) {
  std::vector<EditOp> ops;
  State st = State::kH;
  for (;;) {
    const uint8_t t = tb[x * width + k];
    if (st == State::kH) {
      const uint8_t src = t & 3;
      if (src == kFromStart) break;
      if (src == kFromDiag) {
        const size_t y = x + k - band;
        ops.push_back(a[x - 1] == b[y - 1] ? EditOp::kMatch : EditOp::kSubstitute);
        --x;
      } else {
        st = src == kFromE ? State::kE : State::kF;
      }
    } else if (st == State::kE) {  // one token of B: same row, one column left
      ops.push_back(EditOp::kInsert);
      st = (t & kEExtends) ? State::kE : State::kH;
      --k;
    } else {  // one token of A: previous row, same column (k + 1 there)
      ops.push_back(EditOp::kDelete);
      st = (t & kFExtends) ? State::kF : State::kH;
      --x, ++k;
    }
  }
  return ops;
}

OneWay ExtendOneWay(const DirSeq& a, const DirSeq& b, const ExtendParams& p) {
  const Scoring& s = p.scoring;
  const size_t band = p.band, width = 2 * band + 1;
  const size_t na = a.size(), nb = b.size();
  BandRows prev(width), cur(width);
  std::vector<uint8_t> tb;
  OneWay out;
  int32_t best = 0;
  size_t best_x = 0, best_k = band;
  size_t lo = band, hi = band;  // live cells of the previous row
  for (size_t x = 0; x <= na; ++x) {
    std::swap(prev, cur);
    cur.Clear();
    tb.resize((x + 1) * width, 0);
    uint8_t* row_tb = &tb[x * width];
    // y = x + k - band must lie in [0, nb].
    const size_t k_min = std::max(lo == 0 ? 0 : lo - 1, x < band ? band - x : 0);
    if (nb + band < x) break;
    const size_t k_max = std::min(width - 1, nb + band - x);
    size_t new_lo = width, new_hi = 0;
    int32_t e = kNeg;
    for (size_t k = k_min; k <= k_max; ++k) {
      const size_t y = x + k - band;
      uint8_t t = 0;
      int32_t h, f;
      if (x == 0 && k == band) {
        h = 0, f = kNeg, e = kNeg;  // the seed's end: t stays kFromStart
      } else {
        e = GapStep(cur.h[k], e, s, kEExtends, &t);                   // cur.h[k] is column k - 1
        f = GapStep(prev.h[k + 2], prev.f[k + 2], s, kFExtends, &t);  // column k + 1
        const int32_t diag =
            (x >= 1 && y >= 1) ? prev.h[k + 1] + Pair(a[x - 1], b[y - 1], s) : kNeg;
        h = BestOf(diag, e, f, &t);
      }
      ++out.cells;
      if (h < best - p.x_drop) {  // X-drop: this cell is dead
        e = kNeg;
        if (k >= hi) break;  // beyond the previous row's live cells only E could feed
        continue;
      }
      cur.h[k + 1] = h;
      cur.f[k + 1] = f;
      row_tb[k] = t;
      new_lo = std::min(new_lo, k);
      new_hi = k;
      if (h > best) best = h, best_x = x, best_k = k;
    }
    if (new_lo > new_hi) break;  // a whole row dropped
    lo = new_lo, hi = new_hi;
  }
  out.score = best;
  out.da = static_cast<uint32_t>(best_x);
  out.db = static_cast<uint32_t>(best_x + best_k - band);
  out.ops = TraceBand(a, b, tb, width, band, best_x, best_k);
  return out;
}

Status ValidateExtend(std::span<const TokenId> a, std::span<const TokenId> b, const Seed& seed,
                      const ExtendParams& p) {
  ET_RETURN_IF_ERROR(ValidateScoring(p.scoring));
  if (p.x_drop < 0 || p.x_drop > (1 << 30)) {
    return Status::InvalidArgument("reuse extension: x_drop must be in [0, 2^30]");
  }
  if (p.band > (1u << 16)) return Status::InvalidArgument("reuse extension: band must be <= 65536");
  if (a.size() >= kMaxTokens || b.size() >= kMaxTokens) {
    return Status::InvalidArgument("ExtendSeed: a sequence has 2^32 or more tokens");
  }
  if (seed.length == 0 || uint64_t{seed.a_pos} + seed.length > a.size() ||
      uint64_t{seed.b_pos} + seed.length > b.size()) {
    return Status::InvalidArgument("ExtendSeed: seed is empty or runs past a sequence");
  }
  if (!std::equal(a.begin() + seed.a_pos, a.begin() + seed.a_pos + seed.length,
                  b.begin() + seed.b_pos)) {
    return Status::InvalidArgument("ExtendSeed: seed tokens differ between A and B");
  }
  return Status::OK();
}

}  // namespace

Result<Alignment> ExtendSeed(std::span<const TokenId> a, std::span<const TokenId> b,
                             const Seed& seed, const ExtendParams& p) {
  ET_RETURN_IF_ERROR(ValidateExtend(a, b, seed, p));
  const OneWay left = ExtendOneWay({a, seed.a_pos, false}, {b, seed.b_pos, false}, p);
  OneWay right =
      ExtendOneWay({a, seed.a_pos + seed.length, true}, {b, seed.b_pos + seed.length, true}, p);
  Alignment out;
  out.a_begin = seed.a_pos - left.da;
  out.b_begin = seed.b_pos - left.db;
  out.a_end = seed.a_pos + seed.length + right.da;
  out.b_end = seed.b_pos + seed.length + right.db;
  out.score = left.score + static_cast<int32_t>(seed.length) * p.scoring.match + right.score;
  out.cells = left.cells + right.cells;
  out.ops.reserve(left.ops.size() + seed.length + right.ops.size());
  out.ops = left.ops;
  out.ops.insert(out.ops.end(), seed.length, EditOp::kMatch);
  out.ops.insert(out.ops.end(), right.ops.rbegin(), right.ops.rend());
  return out;
}

}  // namespace echotrace::reuse

// Token-level local alignment for passage reuse: a plain Smith–Waterman–
// Gotoh dynamic program (AlignFull, the reference) and a banded X-drop
// extension of an exact seed (ExtendSeed, the one the detector runs).
//
// Both align sequences of token ids (TokenId, e.g. XXH3-64 of Token::norm,
// see passages.h) with affine gaps: a gap of k tokens costs
// gap_open + (k - 1) * gap_extend. Positions are token indexes, spans are
// half-open. Everything here is a pure function: thread-safe, no I/O.
#ifndef ECHOTRACE_REUSE_ALIGNER_H_
#define ECHOTRACE_REUSE_ALIGNER_H_

#include <cstdint>
#include <span>
#include <vector>

#include "echotrace/status.h"

namespace echotrace::reuse {

using TokenId = uint64_t;

// One alignment column. kDelete: a token of A with no partner in B;
// kInsert: a token of B with no partner in A.
enum class EditOp : uint8_t { kMatch, kSubstitute, kDelete, kInsert };

// Scores are added per column; a gap of k tokens adds
// gap_open + (k - 1) * gap_extend.
//
// Defaults (match 2, mismatch -3, open -4, extend -1), with the X-drop of
// ExtendParams, are chosen so that:
//  - a substitution, an inserted or deleted word, or a swapped pair of
//    neighbours (two substitutions, -6, or delete + match + insert, also -6)
//    is recovered by three further matching words;
//  - an inserted clause is cheap (5 words: -8); a whole inserted sentence
//    of up to 16 words (the default band; X-drop 24 alone would allow ~20)
//    is bridged;
//  - unrelated text loses about 3 per column (word-level chance matches are
//    a few percent), so an extension stops ~8 tokens past the passage;
//  - identity must be above 60% for a substitution-only stretch to score
//    positive, so local alignments do not drift through unrelated text.
struct Scoring {
  int32_t match = 2;
  int32_t mismatch = -3;
  int32_t gap_open = -4;
  int32_t gap_extend = -1;
};

// OK when match > 0, mismatch < 0 and gap_open <= gap_extend < 0 (the
// conditions under which local alignment is meaningful and the affine DP
// is correct); InvalidArgument naming the bad field otherwise.
Status ValidateScoring(const Scoring& s);

// A local alignment of A[a_begin, a_end) with B[b_begin, b_end).
struct Alignment {
  uint32_t a_begin = 0;
  uint32_t a_end = 0;
  uint32_t b_begin = 0;
  uint32_t b_end = 0;
  int32_t score = 0;
  // Columns in order. #kMatch + #kSubstitute + #kDelete == a_end - a_begin
  // and #kMatch + #kSubstitute + #kInsert == b_end - b_begin.
  std::vector<EditOp> ops;
  // DP cells evaluated to find it: the cost measure the benchmark reports.
  uint64_t cells = 0;

  bool empty() const { return ops.empty(); }
};

// The score of `ops` applied from (a_begin, b_begin) under `s`, or
// InvalidArgument when the ops run past either sequence or call a
// mismatching pair a match (or a matching pair a substitution).
Result<int32_t> ScoreOps(std::span<const TokenId> a, std::span<const TokenId> b, uint32_t a_begin,
                         uint32_t b_begin, const std::vector<EditOp>& ops, const Scoring& s);

// Plain Smith–Waterman–Gotoh: the best-scoring local alignment of A and B,
// in O(|A|·|B|) time and O(|A|·|B|) bytes (a traceback byte per cell).
// The reference the banded extension is tested against; fine for short
// texts, far too slow for article against article.
// Returns an empty alignment (score 0) when no pair of tokens matches.
// Ties: the end cell is the first maximum in row-major order (smallest
// a_end, then smallest b_end); the traceback prefers match/substitute over
// insert over delete, and stops (starts the alignment) as soon as the
// running score is 0. InvalidArgument on bad scoring or when either side
// has 2^32 or more tokens.
Result<Alignment> AlignFull(std::span<const TokenId> a, std::span<const TokenId> b,
                            const Scoring& s = {});

struct ExtendParams {
  Scoring scoring;
  // Cells more than `band` diagonals away from the seed's diagonal are never
  // evaluated: the alignment may drift by at most `band` net insertions
  // (or deletions) from the seed. 16 covers an inserted sentence.
  uint32_t band = 16;
  // A cell scoring more than x_drop below the best score seen so far in
  // this direction is dropped; the extension stops when a whole row is
  // dropped (BLAST's gapped X-drop). 24 = 8 mismatching columns.
  int32_t x_drop = 24;
};

// An exact match A[a_pos, a_pos + length) == B[b_pos, b_pos + length).
struct Seed {
  uint32_t a_pos = 0;
  uint32_t b_pos = 0;
  uint32_t length = 0;
};

// Extends `seed` to the left and to the right with a banded, X-drop
// affine-gap DP and returns seed + both extensions as one alignment; each
// end is placed at the best-scoring cell of its direction (the seed itself
// when nothing better exists).
//
// Cost: O((extension length + x_drop) · band) time and memory, independent
// of |A| and |B|.
//
// Guarantee (tested against a plain O(|A|·|B|) DP in aligner_test.cc): the
// score equals S*, the best score of any alignment that contains the seed's
// columns and stays within `band` diagonals of the seed, whenever an
// optimal such alignment never falls more than x_drop below the best score
// seen so far by either one-sided extension (always true when x_drop is
// larger than any score range, e.g. INT32_MAX / 4). Otherwise the score is
// that of a valid alignment, ≤ S*. Not a replacement for AlignFull: text
// only reachable through a deeper dip or a larger drift is not found.
//
// InvalidArgument on bad scoring, negative x_drop, a seed that runs past
// either sequence, is empty, or whose tokens do not match.
Result<Alignment> ExtendSeed(std::span<const TokenId> a, std::span<const TokenId> b,
                             const Seed& seed, const ExtendParams& p = {});

}  // namespace echotrace::reuse

#endif  // ECHOTRACE_REUSE_ALIGNER_H_

// Cuts a passage's ops into runs of matches and runs of edits, then maps
// each run's tokens to bytes. Each side keeps a cursor: a segment with
// tokens on that side runs from the cursor to the next token of the passage
// (or the passage end), so separators go with the segment before them and
// the segments tile the passage.
#include "reuse/diff.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

namespace echotrace::reuse {
namespace {

struct Run {
  bool match;
  uint32_t a0, a1, b0, b1;  // token ranges
};

std::vector<Run> Runs(const Alignment& al) {
  std::vector<Run> runs;
  uint32_t i = al.a_begin, j = al.b_begin;
  for (EditOp op : al.ops) {
    const bool match = op == EditOp::kMatch;
    if (runs.empty() || runs.back().match != match) runs.push_back({match, i, i, j, j});
    i += op != EditOp::kInsert;
    j += op != EditOp::kDelete;
    runs.back().a1 = i;
    runs.back().b1 = j;
  }
  return runs;
}

DiffKind KindOf(const Run& r) {
  if (r.match) return DiffKind::kEqual;
  if (r.a1 > r.a0 && r.b1 > r.b0) return DiffKind::kChanged;
  return r.a1 > r.a0 ? DiffKind::kDeleted : DiffKind::kInserted;
}

// Checks that the passage's token spans, ops and byte offsets agree with
// one side's tokens and text.
Status CheckSide(std::string_view text, const std::vector<Token>& tokens, uint32_t t0, uint32_t t1,
                 uint32_t byte0, uint32_t byte1, const char* side) {
  const bool ok = t0 < t1 && t1 <= tokens.size() && tokens[t0].start == byte0 &&
                  tokens[t1 - 1].end == byte1 && byte1 <= text.size();
  if (ok) return Status::OK();
  return Status::InvalidArgument(std::string("reuse diff: passage does not fit document ") + side +
                                 " (tokens or offsets from another text?)");
}

// Byte range of a run's tokens [t0, t1) on one side; advances *cursor.
std::pair<uint32_t, uint32_t> Bytes(const std::vector<Token>& tokens, uint32_t t0, uint32_t t1,
                                    uint32_t tok_end, uint32_t byte_end, uint32_t* cursor) {
  const uint32_t start = *cursor;
  if (t1 > t0) *cursor = t1 < tok_end ? tokens[t1].start : byte_end;
  return {start, *cursor};
}

}  // namespace

Result<std::vector<DiffSegment>> DiffPassage(std::string_view text_a,
                                             const std::vector<Token>& tokens_a,
                                             std::string_view text_b,
                                             const std::vector<Token>& tokens_b,
                                             const PassagePair& p) {
  const Alignment& al = p.alignment;
  ET_RETURN_IF_ERROR(CheckSide(text_a, tokens_a, al.a_begin, al.a_end, p.a_start, p.a_end, "A"));
  ET_RETURN_IF_ERROR(CheckSide(text_b, tokens_b, al.b_begin, al.b_end, p.b_start, p.b_end, "B"));
  const std::vector<Run> runs = Runs(al);
  if (runs.empty() || runs.back().a1 != al.a_end || runs.back().b1 != al.b_end) {
    return Status::InvalidArgument("reuse diff: passage ops do not span its tokens");
  }
  std::vector<DiffSegment> out;
  uint32_t ca = p.a_start, cb = p.b_start;
  for (const Run& r : runs) {
    DiffSegment s;
    s.kind = KindOf(r);
    std::tie(s.a_start, s.a_end) = Bytes(tokens_a, r.a0, r.a1, al.a_end, p.a_end, &ca);
    std::tie(s.b_start, s.b_end) = Bytes(tokens_b, r.b0, r.b1, al.b_end, p.b_end, &cb);
    s.a_text = std::string(text_a.substr(s.a_start, s.a_end - s.a_start));
    s.b_text = std::string(text_b.substr(s.b_start, s.b_end - s.b_start));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace echotrace::reuse

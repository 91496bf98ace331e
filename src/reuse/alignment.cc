// The alignment of an occurrence to its origin and its two renderings
// (alignment.h). Both renderings keep the quirks their readers know: the
// wdiff form leaves the occurrence's unaligned ends unmarked (a terminal
// reader sees the passage, not the post around it), the segment form
// tiles both whole texts (the report draws them side by side).
#include "reuse/alignment.h"

#include <algorithm>

namespace echotrace::reuse {

OccurrenceAlignment AlignOccurrence(std::string_view origin,
                                    const std::vector<Token>& origin_tokens,
                                    std::string_view occurrence) {
  OccurrenceAlignment out;
  const std::vector<Token> tb = Tokenize(occurrence);
  PassageParams params;
  params.min_tokens = 1;
  params.anchors.n =
      std::min<uint32_t>(3, static_cast<uint32_t>(std::min(origin_tokens.size(), tb.size())));
  if (params.anchors.n == 0) return out;
  out.outcome = OccurrenceAlignment::Outcome::kNoPassage;
  Result<std::vector<PassagePair>> pairs = FindPassages(origin_tokens, tb, params);
  if (!pairs.ok() || pairs->empty()) return out;
  const PassagePair* best = &pairs->front();
  for (const PassagePair& p : *pairs) {
    if (p.matches > best->matches) best = &p;
  }
  out.best = *best;
  Result<std::vector<DiffSegment>> segments =
      DiffPassage(origin, origin_tokens, occurrence, tb, out.best);
  if (!segments.ok()) {
    out.outcome = OccurrenceAlignment::Outcome::kDiffFailed;
    return out;
  }
  out.outcome = OccurrenceAlignment::Outcome::kAligned;
  out.segments = std::move(segments).value();
  return out;
}

std::string MarkAgainstOrigin(std::string_view origin, const std::vector<Token>& origin_tokens,
                              std::string_view occurrence, double* identity) {
  using Outcome = OccurrenceAlignment::Outcome;
  const OccurrenceAlignment a = AlignOccurrence(origin, origin_tokens, occurrence);
  const std::string occ(occurrence);
  switch (a.outcome) {
    case Outcome::kTooShort:
      return occ;
    case Outcome::kNoPassage:
      return "{+" + occ + "+}";
    case Outcome::kDiffFailed:
      *identity = a.best.identity;
      return occ;
    case Outcome::kAligned:
      break;
  }
  *identity = a.best.identity;
  std::string out = occ.substr(0, a.best.b_start);
  for (const DiffSegment& s : a.segments) {
    switch (s.kind) {
      case DiffKind::kEqual:
        out += s.b_text;
        break;
      case DiffKind::kChanged:
        out += "[-" + s.a_text + "-]{+" + s.b_text + "+}";
        break;
      case DiffKind::kDeleted:
        out += "[-" + s.a_text + "-]";
        break;
      case DiffKind::kInserted:
        out += "{+" + s.b_text + "+}";
        break;
    }
  }
  out += occ.substr(a.best.b_end);
  return out;
}

std::vector<AlignedSegment> AlignToOrigin(std::string_view origin, std::string_view occurrence,
                                          double* identity) {
  *identity = 0;
  std::vector<AlignedSegment> out;
  auto add = [&out](char op, std::string_view text) {
    if (text.empty()) return;
    if (!out.empty() && out.back().op == op) {
      out.back().text += text;  // adjacent pieces of one kind read as one
    } else {
      out.push_back(AlignedSegment{op, std::string(text)});
    }
  };
  if (origin == occurrence) {
    *identity = 1;
    add('=', origin);
    return out;
  }
  const OccurrenceAlignment a = AlignOccurrence(origin, Tokenize(origin), occurrence);
  if (a.outcome != OccurrenceAlignment::Outcome::kAligned) {
    // Nothing aligns (or the offsets do not fit): both texts, unshared.
    add('-', origin);
    add('+', occurrence);
    return out;
  }
  *identity = a.best.identity;
  add('-', origin.substr(0, a.best.a_start));
  add('+', occurrence.substr(0, a.best.b_start));
  for (const DiffSegment& s : a.segments) {
    if (s.kind == DiffKind::kEqual) {
      add('=', s.b_text);
    } else {
      add('-', s.a_text);
      add('+', s.b_text);
    }
  }
  add('-', origin.substr(a.best.a_end));
  add('+', occurrence.substr(a.best.b_end));
  return out;
}

}  // namespace echotrace::reuse

// Reading and scoring pairs of texts; see compare.h.
#include "similarity/compare.h"

#include <simdjson.h>

#include "text/utf8.h"

namespace echotrace {

namespace {

bool Blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

// Checks one text of a pair; empty string when it is fine, else the reason.
std::string CheckText(std::string_view text, const char* side) {
  if (!IsValidUtf8(text)) return std::string("text ") + side + " is not valid UTF-8";
  if (Blank(text)) return std::string("text ") + side + " is empty";
  return "";
}

// Keeps the pair of line `no`, or records why one of its texts is refused.
void AddPair(std::string_view a, std::string_view b, uint64_t no, PairsRead* out) {
  for (const auto& [text, side] : {std::pair{a, "a"}, std::pair{b, "b"}}) {
    std::string why = CheckText(text, side);
    if (!why.empty()) {
      out->rejects.push_back({no, why});
      return;
    }
  }
  out->pairs.push_back({no, std::string(a), std::string(b)});
}

void ParseTsvLine(std::string_view line, uint64_t no, PairsRead* out) {
  size_t tab = line.find('\t');
  if (tab == std::string_view::npos) {
    out->rejects.push_back({no, "expected two texts separated by a tab, found no tab"});
    return;
  }
  std::string_view a = line.substr(0, tab), b = line.substr(tab + 1);
  if (b.find('\t') != std::string_view::npos) {
    out->rejects.push_back({no, "expected two texts separated by one tab, found more tabs"});
    return;
  }
  AddPair(a, b, no, out);
}

void ParseJsonLine(simdjson::dom::parser& parser, std::string_view line, uint64_t no,
                   PairsRead* out) {
  simdjson::dom::element doc;
  if (auto err = parser.parse(line.data(), line.size()).get(doc); err) {
    out->rejects.push_back(
        {no, std::string("not valid JSON (") + simdjson::error_message(err) + ")"});
    return;
  }
  simdjson::dom::object obj;
  if (doc.get(obj)) {
    out->rejects.push_back({no, "expected a JSON object with \"a\" and \"b\""});
    return;
  }
  std::string_view a, b;
  if (obj["a"].get(a) || obj["b"].get(b)) {
    out->rejects.push_back({no, "expected string members \"a\" and \"b\""});
    return;
  }
  AddPair(a, b, no, out);
}

}  // namespace

Result<PairFormat> ParsePairFormat(std::string_view name) {
  if (name == "auto") return PairFormat::kAuto;
  if (name == "tsv") return PairFormat::kTsv;
  if (name == "jsonl") return PairFormat::kJsonl;
  return Status::InvalidArgument("--format must be auto, tsv or jsonl, not '" + std::string(name) +
                                 "'");
}

PairsRead ParsePairs(std::string_view content, PairFormat format) {
  PairsRead out;
  if (format == PairFormat::kAuto) {
    format = PairFormat::kTsv;
    size_t i = content.find_first_not_of(" \t\r\n\f\v");
    if (i != std::string_view::npos && content[i] == '{') format = PairFormat::kJsonl;
  }
  out.format = format;
  simdjson::dom::parser parser;
  uint64_t no = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    std::string_view line = content.substr(pos, nl - pos);
    pos = nl + 1;
    ++no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Blank(line)) continue;
    if (format == PairFormat::kJsonl) {
      ParseJsonLine(parser, line, no, &out);
    } else {
      ParseTsvLine(line, no, &out);
    }
  }
  return out;
}

Result<std::vector<SimilaritySignals>> ComparePairs(const std::vector<TextPair>& pairs,
                                                    const SimilarityOptions& options) {
  std::vector<SimilarityInput> texts;
  texts.reserve(pairs.size() * 2);
  for (const TextPair& p : pairs) {
    texts.push_back({p.a, "", {}});
    texts.push_back({p.b, "", {}});
  }
  std::vector<Representation> reps;
  ET_ASSIGN_OR_RETURN(auto model, SimilarityModel::FitAndRepresent(texts, options, &reps));
  std::vector<SimilaritySignals> out;
  out.reserve(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i)
    out.push_back(model->Compare(reps[2 * i], reps[2 * i + 1]));
  return out;
}

}  // namespace echotrace

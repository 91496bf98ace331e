// Reading MatchRecords; see records.h.
#include "claims/records.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "claims/post.h"
#include "ingest/reader.h"
#include "pipeline/field_map.h"

namespace echotrace::claims {

namespace {

bool IsIdOrTextName(std::string name) {
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "vclaim_id" || name == "vclaim" || name == "qid" || name == "query_id") return true;
  for (Field f : {Field::kId, Field::kText}) {
    for (const std::string& n : DefaultFieldNames(f)) {
      if (n == name) return true;
    }
  }
  return false;
}

// Reads the first record to decide whether a CSV/TSV file has a header:
// returns 0 when it has (or is no CSV/TSV), else its number of columns.
Result<size_t> HeaderlessColumns(const std::string& path) {
  if (path == "-") return size_t{0};  // standard input cannot be read twice
  ET_ASSIGN_OR_RETURN(auto reader, OpenReader(path, ReaderOptions{}));
  RawRecord rec;
  Reject rej;
  ET_ASSIGN_OR_RETURN(ReadOutcome out, reader->Next(&rec, &rej));
  if (out != ReadOutcome::kRecord) return size_t{0};
  for (const auto& [name, value] : rec.fields) {
    if (IsIdOrTextName(name)) return size_t{0};
  }
  return rec.fields.size();
}

std::string Raw(const RawRecord& r, std::string_view name) {
  const std::string* v = r.Find(name);
  return v ? *v : std::string();
}

}  // namespace

std::optional<std::vector<float>> ParseEmbedding(const std::string& json) {
  size_t i = 0;
  auto skip = [&] {
    while (i < json.size() && std::isspace(static_cast<unsigned char>(json[i]))) ++i;
  };
  skip();
  if (i >= json.size() || json[i] != '[') return std::nullopt;
  ++i;
  std::vector<float> v;
  skip();
  if (i < json.size() && json[i] == ']') return v;
  while (i < json.size()) {
    skip();
    const char* b = json.c_str() + i;
    char* e = nullptr;
    double x = std::strtod(b, &e);
    if (e == b || !std::isfinite(x)) return std::nullopt;
    v.push_back(static_cast<float>(x));
    i += static_cast<size_t>(e - b);
    skip();
    if (i < json.size() && json[i] == ',') {
      ++i;
      continue;
    }
    if (i < json.size() && json[i] == ']') {
      ++i;
      skip();
      return i == json.size() ? std::optional<std::vector<float>>(v) : std::nullopt;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

Result<ReadResult> ReadMatchRecords(const std::string& path, const ReadMatchOptions& options) {
  ReaderOptions ro;
  // Only CSV/TSV rows have generated names (col1, ...) that match no id or
  // text name; JSONL and text records always name theirs. With --map the
  // file is taken to have the header the map names.
  size_t columns = 0;
  if (options.map.empty()) {
    ET_ASSIGN_OR_RETURN(columns, HeaderlessColumns(path));
  }
  static const char* kNames[] = {"id", "text", "title", "subtitle"};
  for (size_t i = 0; i < columns; ++i) {
    ro.columns.push_back(i < 4 ? kNames[i] : "col" + std::to_string(i + 1));
  }
  ET_ASSIGN_OR_RETURN(auto reader, OpenReader(path, ro));
  ET_ASSIGN_OR_RETURN(FieldMapper mapper, FieldMapper::Create(options.map));
  MapPlan plan;
  ReadResult out;
  RawRecord rec;
  Reject rej;
  for (;;) {
    rec.fields.clear();
    ET_ASSIGN_OR_RETURN(ReadOutcome o, reader->Next(&rec, &rej));
    if (o == ReadOutcome::kEnd) break;
    if (o == ReadOutcome::kReject) {
      out.rejects.push_back(rej);
      continue;
    }
    MappedRecord m = mapper.Map(rec, &plan);
    MatchRecord r;
    r.file = rec.file;
    r.line = rec.line;
    r.id = m.get(Field::kId);
    if (r.id.empty()) r.id = Raw(rec, "vclaim_id");
    r.text = Raw(rec, "vclaim");
    if (r.text.empty()) r.text = m.get(Field::kText);
    r.title = m.get(Field::kTitle);
    r.subtitle = Raw(rec, "subtitle");
    std::string when = m.get(Field::kTime);
    if (!when.empty()) r.day = ParseLooseDay(when);
    std::string emb = Raw(rec, "embedding");
    Reject bad{rec.file, rec.line, "", ""};
    if (!emb.empty()) {
      auto v = ParseEmbedding(emb);
      if (!v) {
        bad.reason = "the embedding field is not a JSON array of numbers; fix or remove it";
        out.rejects.push_back(bad);
        continue;
      }
      r.embedding = std::move(*v);
    }
    if (r.id.empty() && options.ids_from_lines) {
      r.id = "line:" + std::to_string(rec.line);
      ++out.ids_from_lines;
    }
    if (r.id.empty()) {
      bad.reason = "no id (looked for id, vclaim_id, " + mapper.Describe(Field::kId) + ")";
      out.rejects.push_back(bad);
      continue;
    }
    if (r.text.empty() && r.title.empty()) {
      bad.reason = "no text (looked for vclaim, " + mapper.Describe(Field::kText) + ")";
      out.rejects.push_back(bad);
      continue;
    }
    out.records.push_back(std::move(r));
  }
  return out;
}

}  // namespace echotrace::claims

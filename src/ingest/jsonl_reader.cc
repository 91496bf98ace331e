// JSON Lines reader: LineSplitter gives one line at a time, simdjson's DOM
// parser parses it in place (the line buffer keeps SIMDJSON_PADDING spare
// bytes after every line, so no copy is made), and the object is flattened
// into (name, value) pairs.
//
// Rules:
//  * Each non-blank line is one JSON object. Blank (white-space) lines are
//    skipped; a UTF-8 byte-order mark at the start of the file is dropped.
//  * Nested objects flatten with '.': {"user":{"name":"a"}} → user.name=a.
//    Strings are unescaped; integers keep their digits; booleans are
//    true/false; arrays and floating-point numbers are written back as
//    compact JSON by simdjson (1.50 becomes 1.5, 1e5 becomes 100000.0);
//    nulls are omitted. An integer beyond 64 bits is a number error in
//    simdjson 3.0's DOM, so such a line is rejected.
//    Repeated keys are all kept, in order.
//  * A line holding a JSON array of objects gives one record per object,
//    all with that line's number (a one-line export of an array).
//  * NUL bytes in a line are dropped before it is parsed and counted
//    (RawRecord::nul_bytes), as in every format; invalid UTF-8 is repaired
//    and counted (repaired_utf8).
//  * Anything else (a syntax error, a top-level string, an array with a
//    non-object element) is one Reject for the line, whose reason carries
//    simdjson's message; reading goes on with the next line.
//  * A file whose first non-blank line is a lone '[' is a pretty-printed
//    JSON array, not JSON Lines: one Reject for the whole file (line 0) that
//    says how to convert it, instead of a reject per line.
#include <simdjson.h>

#include <cstring>
#include <utility>

#include "ingest/readers.h"
#include "text/utf8.h"

namespace echotrace {

namespace {

constexpr const char* kOneObject = "; each line must be one JSON object";

std::string_view TrimWs(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

void Flatten(simdjson::dom::object obj, std::string* prefix, RawRecord* record) {
  for (simdjson::dom::key_value_pair kv : obj) {
    const size_t mark = prefix->size();
    if (mark > 0) prefix->push_back('.');
    prefix->append(kv.key);
    simdjson::dom::element v = kv.value;
    switch (v.type()) {
      case simdjson::dom::element_type::OBJECT:
        Flatten(v.get_object().value_unsafe(), prefix, record);
        break;
      case simdjson::dom::element_type::STRING:
        record->fields.emplace_back(*prefix, v.get_string().value_unsafe());
        break;
      case simdjson::dom::element_type::INT64:
        record->fields.emplace_back(*prefix, std::to_string(v.get_int64().value_unsafe()));
        break;
      case simdjson::dom::element_type::UINT64:
        record->fields.emplace_back(*prefix, std::to_string(v.get_uint64().value_unsafe()));
        break;
      case simdjson::dom::element_type::BOOL:
        record->fields.emplace_back(*prefix, v.get_bool().value_unsafe() ? "true" : "false");
        break;
      case simdjson::dom::element_type::NULL_VALUE:
        break;
      case simdjson::dom::element_type::DOUBLE:
      case simdjson::dom::element_type::ARRAY:
        record->fields.emplace_back(*prefix, simdjson::minify(v));
        break;
    }
    prefix->resize(mark);
  }
}

class JsonlReader final : public RecordReader {
 public:
  JsonlReader(std::unique_ptr<BufferedInput> in, const ReaderOptions& options)
      : in_(std::move(in)),
        lines_(in_.get(), options.max_record_bytes),
        max_bytes_(options.max_record_bytes) {}

  Result<ReadOutcome> Next(RawRecord* record, Reject* reject) override;
  uint64_t bytes_read() const override { return in_->consumed(); }

 private:
  // Emits the next object of the pending one-line array.
  ReadOutcome EmitArrayElement(RawRecord* record);
  void Emit(simdjson::dom::object obj, uint64_t line, RawRecord* record);

  std::unique_ptr<BufferedInput> in_;
  LineSplitter lines_;
  size_t max_bytes_;
  simdjson::dom::parser parser_;
  std::string repaired_;  // a line whose invalid UTF-8 was replaced
  bool started_ = false;
  bool seen_content_ = false;
  // A one-line array of objects being emitted: its elements live in parser_.
  simdjson::dom::array array_;
  simdjson::dom::array::iterator array_it_;
  bool in_array_ = false;
  uint64_t array_line_ = 0;
  std::string prefix_;
  std::string stripped_;  // a line without its NUL bytes, padded
};

void JsonlReader::Emit(simdjson::dom::object obj, uint64_t line, RawRecord* record) {
  record->fields.clear();
  record->repaired_utf8 = 0;
  record->nul_bytes = 0;
  record->file = in_->name();
  record->line = line;
  prefix_.clear();
  Flatten(obj, &prefix_, record);
}

ReadOutcome JsonlReader::EmitArrayElement(RawRecord* record) {
  Emit((*array_it_).get_object().value_unsafe(), array_line_, record);
  ++array_it_;
  if (!(array_it_ != array_.end())) in_array_ = false;
  return ReadOutcome::kRecord;
}

Result<ReadOutcome> JsonlReader::Next(RawRecord* record, Reject* reject) {
  if (in_array_) return EmitArrayElement(record);
  if (!started_) {
    started_ = true;
    if (in_->data().substr(0, 3) == "\xEF\xBB\xBF") in_->Consume(3);
  }
  for (;;) {
    std::string_view line;
    uint64_t line_no = 0;
    ET_ASSIGN_OR_RETURN(LineSplitter::Kind kind, lines_.Next(&line, &line_no));
    if (kind == LineSplitter::Kind::kEnd) return ReadOutcome::kEnd;
    if (kind == LineSplitter::Kind::kTooLong) {
      SetReject(
          reject, in_->name(), line_no,
          "line longer than " + std::to_string(max_bytes_) + " bytes (max_record_bytes); skipped",
          line);
      return ReadOutcome::kReject;
    }
    std::string_view content = TrimWs(line);
    if (content.empty()) continue;
    if (!seen_content_) {
      seen_content_ = true;
      if (content == "[") {
        SetReject(reject, in_->name(), 0,
                  "the file is one JSON array over many lines, not JSON Lines; convert it "
                  "with: jq -c '.[]' FILE > FILE.jsonl",
                  line);
        while (true) {  // the rest of the file belongs to the same array
          ET_ASSIGN_OR_RETURN(LineSplitter::Kind k, lines_.Next(&line, &line_no));
          if (k == LineSplitter::Kind::kEnd) break;
        }
        return ReadOutcome::kReject;
      }
    }
    // The line points into the input buffer, which has padding after it.
    // NUL bytes are dropped and counted, as in every format (reader.h); the
    // copy without them needs its own padding.
    std::string_view json = line;
    uint32_t nuls = 0;
    if (std::memchr(line.data(), '\0', line.size()) != nullptr) {
      stripped_.assign(line);
      nuls = StripNul(&stripped_);
      stripped_.append(simdjson::SIMDJSON_PADDING, '\0');
      json = std::string_view(stripped_.data(), stripped_.size() - simdjson::SIMDJSON_PADDING);
    }
    simdjson::dom::element doc;
    size_t repaired = 0;
    simdjson::error_code err = parser_.parse(json.data(), json.size(), false).get(doc);
    if (err == simdjson::UTF8_ERROR) {
      // Invalid UTF-8 is repaired, not rejected: the normaliser would replace
      // the bad bytes with U+FFFD anyway, and a stray Latin-1 byte must not
      // cost the whole record. The repaired copy needs its own padding.
      repaired = 0;
      repaired_ = SanitizeUtf8(json, &repaired);
      repaired_.append(simdjson::SIMDJSON_PADDING, '\0');
      err = parser_.parse(repaired_.data(), repaired_.size() - simdjson::SIMDJSON_PADDING, false)
                .get(doc);
    }
    if (err) {
      SetReject(reject, in_->name(), line_no,
                std::string("invalid JSON: ") + simdjson::error_message(err) + kOneObject, line);
      return ReadOutcome::kReject;
    }
    if (doc.is_object()) {
      Emit(doc.get_object().value_unsafe(), line_no, record);
      record->repaired_utf8 = static_cast<uint32_t>(repaired);
      record->nul_bytes = nuls;
      return ReadOutcome::kRecord;
    }
    if (doc.is_array()) {
      array_ = doc.get_array().value_unsafe();
      bool all_objects = array_.size() > 0;
      for (simdjson::dom::element e : array_) all_objects = all_objects && e.is_object();
      if (all_objects) {
        array_it_ = array_.begin();
        array_line_ = line_no;
        in_array_ = true;
        ReadOutcome first = EmitArrayElement(record);
        // The line's repairs are counted once, with its first record.
        record->repaired_utf8 = static_cast<uint32_t>(repaired);
        record->nul_bytes = nuls;
        return first;
      }
    }
    SetReject(reject, in_->name(), line_no,
              std::string("not a JSON object (found ") +
                  (doc.is_array() ? "an array with non-object elements" : "a scalar value") + ")" +
                  kOneObject,
              line);
    return ReadOutcome::kReject;
  }
}

}  // namespace

std::unique_ptr<RecordReader> MakeJsonlReader(std::unique_ptr<BufferedInput> in,
                                              const ReaderOptions& options) {
  return std::make_unique<JsonlReader>(std::move(in), options);
}

}  // namespace echotrace

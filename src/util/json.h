// A small streaming JSON writer for summaries, exports and the API.
//
// It writes RFC 8259 text in one pass without building a tree: callers nest
// BeginObject/EndObject and BeginArray/EndArray and the writer puts commas
// and colons where they belong. Strings must be valid UTF-8 (sanitise first);
// control characters are escaped. Not thread-safe.
#ifndef ECHOTRACE_UTIL_JSON_H_
#define ECHOTRACE_UTIL_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace echotrace {

// Appends `s` as a JSON string literal (quotes included) to *out.
void AppendJsonString(std::string_view s, std::string* out);

// The integer value of member "key" in a flat JSON object this program
// wrote (a run's summary: no nesting of that key, no spaces after colons),
// or nullopt when absent or not an integer.
std::optional<int64_t> FlatJsonInt(std::string_view json, std::string_view key);

class JsonWriter {
 public:
  // Containers nested at most `pretty_depth` deep put each element on its
  // own line, indented two spaces a level; deeper ones stay on one line.
  // 0 (the default) writes everything on one line.
  explicit JsonWriter(int pretty_depth = 0) : pretty_depth_(pretty_depth) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // Inside an object: the next value's key.
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  JsonWriter& Double(double v);  // non-finite values are written as null
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // An integer, or null when empty.
  JsonWriter& OptInt(const std::optional<int64_t>& v);
  // Inserts already-serialised JSON as a value.
  JsonWriter& Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  void NewLine(size_t depth);
  JsonWriter& Close(char c);
  std::string out_;
  // One entry per open container: true once it holds an element.
  std::vector<bool> has_element_;
  bool after_key_ = false;
  int pretty_depth_ = 0;
};

}  // namespace echotrace

#endif  // ECHOTRACE_UTIL_JSON_H_

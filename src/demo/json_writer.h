// A minimal JSON writer for the demo files: objects, arrays, strings and
// integers, with commas placed automatically. Strings are written as UTF-8
// with only the characters JSON requires escaped (", \ and controls), so the
// output stays readable and byte-stable.
#ifndef ECHOTRACE_DEMO_JSON_WRITER_H_
#define ECHOTRACE_DEMO_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace echotrace::demo {

// Appends s to *out as a quoted JSON string.
void AppendJsonString(std::string_view s, std::string* out);

class JsonWriter {
 public:
  // Containers nested at most `pretty_depth` deep put each element on its
  // own indented line; deeper ones stay on one line.
  explicit JsonWriter(int pretty_depth = 0) : pretty_depth_(pretty_depth) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();

  const std::string& str() const { return out_; }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void BeforeValue();
  void NewLine(size_t depth);

  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
  int pretty_depth_;
};

}  // namespace echotrace::demo

#endif  // ECHOTRACE_DEMO_JSON_WRITER_H_

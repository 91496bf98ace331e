// ground_truth.json: the writer and ReadGroundTruth() side by side, so the
// format has one definition. Layout (version 1):
//   {"format": "echotrace-demo-truth", "version": 1, "seed": N,
//    "offsets": "<how offsets are measured>", "time_start": S, "time_end": E,
//    "boilerplate": [text...],
//    "articles": [{"doc", "url", "outlet", "title", "format", "time", "copy_of"}],
//    "reuse": [{"id", "kind", "origin", "text", "occurrences": [span...]}],
//    "neardup": [{"id", "kind", "docs": [id...]}],
//    "coordination": [{"id", "behaviour", "window_seconds", "accounts": [...],
//                      "bursts": [{"start", "end", "shared", "docs", "accounts"}]}],
//    "talking_points": [{"id", "label", "claim_id", "claim", "keywords",
//                        "wordings", "mentions": [span...]}]}
// span = {"doc", "start", "end", "time" (unix seconds or null), "text",
//         "edited" (reuse only), "wording" and "lang" (talking points only)}.
#include <simdjson.h>

#include "demo/render.h"
#include "util/json.h"

namespace echotrace::demo {
namespace {

constexpr char kFormat[] = "echotrace-demo-truth";
constexpr char kOffsets[] =
    "half-open byte offsets into the stored text: jsonl/csv text field verbatim; html <body> "
    "block elements joined by a single \\n (title not in the body); txt/md file content";

void WriteSpan(JsonWriter& w, const DemoSpan& s, bool reuse) {
  w.BeginObject().Key("doc").String(s.doc).Key("start").Uint(s.start).Key("end").Uint(s.end);
  w.Key("time");
  if (s.time) {
    w.Int(*s.time);
  } else {
    w.Null();
  }
  if (reuse) w.Key("edited").Bool(s.edited);
  if (!reuse) w.Key("wording").Int(s.wording).Key("lang").String(s.lang);
  w.Key("text").String(s.text).EndObject();
}

void WriteStrings(JsonWriter& w, const std::vector<std::string>& v) {
  w.BeginArray();
  for (const auto& s : v) w.String(s);
  w.EndArray();
}

void WriteCoordination(JsonWriter& w, const std::vector<DemoCoordGroup>& groups) {
  w.Key("coordination").BeginArray();
  for (const auto& g : groups) {
    w.BeginObject().Key("id").String(g.id).Key("behaviour").String(g.behaviour);
    w.Key("window_seconds").Int(g.window_seconds).Key("accounts");
    WriteStrings(w, g.accounts);
    w.Key("bursts").BeginArray();
    for (const auto& b : g.bursts) {
      w.BeginObject().Key("start").Int(b.start).Key("end").Int(b.end);
      w.Key("shared").String(b.shared).Key("docs");
      WriteStrings(w, b.docs);
      w.Key("accounts");
      WriteStrings(w, b.accounts);
      w.EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string GroundTruthJson(const GroundTruth& t) {
  JsonWriter w(2);
  w.BeginObject().Key("format").String(kFormat).Key("version").Int(t.version);
  w.Key("seed").Uint(t.seed).Key("offsets").String(kOffsets);
  w.Key("time_start").Int(t.time_start).Key("time_end").Int(t.time_end).Key("boilerplate");
  WriteStrings(w, t.boilerplate);
  w.Key("articles").BeginArray();
  for (const auto& a : t.articles) {
    w.BeginObject().Key("doc").String(a.doc).Key("url").String(a.url);
    w.Key("outlet").String(a.outlet).Key("title").String(a.title).Key("format").String(a.format);
    w.Key("time");
    if (a.time) {
      w.Int(*a.time);
    } else {
      w.Null();
    }
    w.Key("copy_of").String(a.copy_of).EndObject();
  }
  w.EndArray().Key("reuse").BeginArray();
  for (const auto& p : t.passages) {
    w.BeginObject().Key("id").String(p.id).Key("kind").String(p.kind).Key("origin").String(
        p.origin);
    w.Key("text").String(p.text).Key("occurrences").BeginArray();
    for (const auto& s : p.occurrences) WriteSpan(w, s, true);
    w.EndArray().EndObject();
  }
  w.EndArray().Key("neardup").BeginArray();
  for (const auto& g : t.neardup) {
    w.BeginObject().Key("id").String(g.id).Key("kind").String(g.kind).Key("docs");
    WriteStrings(w, g.docs);
    w.EndObject();
  }
  w.EndArray();
  WriteCoordination(w, t.coordination);
  w.Key("talking_points").BeginArray();
  for (const auto& tp : t.talking_points) {
    w.BeginObject().Key("id").String(tp.id).Key("label").String(tp.label);
    w.Key("claim_id").String(tp.claim_id).Key("claim").String(tp.claim).Key("keywords");
    WriteStrings(w, tp.keywords);
    w.Key("wordings").Int(tp.wordings).Key("mentions").BeginArray();
    for (const auto& s : tp.mentions) WriteSpan(w, s, false);
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return w.str() + "\n";
}

}  // namespace echotrace::demo

// ---- Reading ----

namespace echotrace {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Reads one ground-truth file; every getter records the first missing or
// mistyped field so the error can name it.
class TruthReader {
 public:
  explicit TruthReader(std::string path) : path_(std::move(path)) {}

  std::string Str(element e, const char* key) {
    std::string_view v;
    if (e[key].get(v) != simdjson::SUCCESS) Fail(key);
    return std::string(v);
  }
  int64_t Int(element e, const char* key) {
    int64_t v = 0;
    if (e[key].get(v) != simdjson::SUCCESS) Fail(key);
    return v;
  }
  std::optional<int64_t> OptInt(element e, const char* key) {
    int64_t v = 0;
    if (e[key].get(v) != simdjson::SUCCESS) return std::nullopt;
    return v;
  }
  // The elements of an array field; none (and a recorded failure) when the
  // field is missing, since a default dom::array must not be iterated.
  std::vector<element> Arr(element e, const char* key) {
    std::vector<element> out;
    array a;
    if (e[key].get(a) != simdjson::SUCCESS) {
      Fail(key);
      return out;
    }
    for (element x : a) out.push_back(x);
    return out;
  }
  std::vector<std::string> Strings(element e, const char* key) {
    std::vector<std::string> out;
    for (element x : Arr(e, key)) {
      std::string_view v;
      if (x.get(v) == simdjson::SUCCESS) out.emplace_back(v);
    }
    return out;
  }
  DemoSpan Span(element e) {
    DemoSpan s;
    s.doc = Str(e, "doc");
    s.start = static_cast<uint32_t>(Int(e, "start"));
    s.end = static_cast<uint32_t>(Int(e, "end"));
    s.time = OptInt(e, "time");
    s.text = Str(e, "text");
    bool edited = false;
    if (e["edited"].get(edited) == simdjson::SUCCESS) s.edited = edited;
    s.wording = static_cast<int>(OptInt(e, "wording").value_or(-1));
    std::string_view lang;
    if (e["lang"].get(lang) == simdjson::SUCCESS) s.lang = std::string(lang);
    return s;
  }

  void Fail(const char* key) {
    if (error_.empty()) error_ = key;
  }
  Status status() const {
    if (error_.empty()) return Status::OK();
    return Status::Corruption(path_ + ": not a demo ground truth: field '" + error_ +
                              "' missing or of the wrong type");
  }

  void ReadArticles(element root, GroundTruth* t);
  void ReadReuse(element root, GroundTruth* t);
  void ReadGroups(element root, GroundTruth* t);
  void ReadTalkingPoints(element root, GroundTruth* t);

 private:
  std::string path_;
  std::string error_;
};

void TruthReader::ReadArticles(element root, GroundTruth* t) {
  for (element a : Arr(root, "articles")) {
    t->articles.push_back({Str(a, "doc"), Str(a, "url"), Str(a, "outlet"), Str(a, "title"),
                           Str(a, "format"), OptInt(a, "time"), Str(a, "copy_of")});
  }
}

void TruthReader::ReadReuse(element root, GroundTruth* t) {
  for (element p : Arr(root, "reuse")) {
    DemoPassage dp{Str(p, "id"), Str(p, "kind"), Str(p, "text"), Str(p, "origin"), {}};
    for (element s : Arr(p, "occurrences")) dp.occurrences.push_back(Span(s));
    t->passages.push_back(std::move(dp));
  }
}

void TruthReader::ReadGroups(element root, GroundTruth* t) {
  for (element g : Arr(root, "neardup")) {
    t->neardup.push_back({Str(g, "id"), Str(g, "kind"), Strings(g, "docs")});
  }
  for (element g : Arr(root, "coordination")) {
    DemoCoordGroup cg{Str(g, "id"),
                      Str(g, "behaviour"),
                      static_cast<int>(Int(g, "window_seconds")),
                      Strings(g, "accounts"),
                      {}};
    for (element b : Arr(g, "bursts")) {
      cg.bursts.push_back({Int(b, "start"), Int(b, "end"), Str(b, "shared"), Strings(b, "docs"),
                           Strings(b, "accounts")});
    }
    t->coordination.push_back(std::move(cg));
  }
}

void TruthReader::ReadTalkingPoints(element root, GroundTruth* t) {
  for (element e : Arr(root, "talking_points")) {
    DemoTalkingPoint tp{Str(e, "id"),
                        Str(e, "label"),
                        Str(e, "claim_id"),
                        Str(e, "claim"),
                        Strings(e, "keywords"),
                        static_cast<int>(Int(e, "wordings")),
                        {}};
    for (element s : Arr(e, "mentions")) tp.mentions.push_back(Span(s));
    t->talking_points.push_back(std::move(tp));
  }
}

}  // namespace

Result<GroundTruth> ReadGroundTruth(const std::string& path) {
  simdjson::padded_string json;
  if (simdjson::padded_string::load(path).get(json) != simdjson::SUCCESS) {
    return Status::IOError(path + ": cannot read the ground truth file");
  }
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse(json).get(root); err != simdjson::SUCCESS) {
    return Status::Corruption(path + ": not valid JSON (" + simdjson::error_message(err) + ")");
  }
  TruthReader r(path);
  if (r.Str(root, "format") != demo::kFormat || r.Int(root, "version") != 1) {
    return Status::Corruption(path + ": not a version 1 echotrace demo ground truth");
  }
  GroundTruth t;
  t.version = 1;
  uint64_t seed = 0;
  if (root["seed"].get(seed) != simdjson::SUCCESS) r.Fail("seed");
  t.seed = seed;
  t.time_start = r.Int(root, "time_start");
  t.time_end = r.Int(root, "time_end");
  t.boilerplate = r.Strings(root, "boilerplate");
  r.ReadArticles(root, &t);
  r.ReadReuse(root, &t);
  r.ReadGroups(root, &t);
  r.ReadTalkingPoints(root, &t);
  ET_RETURN_IF_ERROR(r.status());
  return t;
}

}  // namespace echotrace

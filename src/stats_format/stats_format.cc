#include "stats_format/stats_format.h"

#include <cstdio>

#include "text/time_parse.h"
#include "util/json.h"

namespace echotrace {

namespace {

void Counts(JsonWriter* w, const char* key, const std::vector<CountRow>& rows) {
  w->Key(key).BeginArray();
  for (const CountRow& r : rows) {
    w->BeginObject().Key("key").String(r.key).Key("count").Uint(r.count).EndObject();
  }
  w->EndArray();
}

void OptTime(JsonWriter* w, const char* key, const std::optional<int64_t>& t) {
  w->Key(key);
  if (t) {
    w->String(FormatTimeIso(*t));
  } else {
    w->Null();
  }
}

std::string Line(const char* label, uint64_t n) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%-12s %llu\n", label, static_cast<unsigned long long>(n));
  return buf;
}

void CountsText(std::string* out, const char* title, const std::vector<CountRow>& rows,
                size_t limit) {
  *out += title;
  *out += ":\n";
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "  %10llu  ", static_cast<unsigned long long>(rows[i].count));
    *out += buf;
    *out += rows[i].key.empty() ? "(none)" : rows[i].key;
    *out += '\n';
  }
  if (rows.size() > limit) *out += "  ... " + std::to_string(rows.size() - limit) + " more\n";
}

}  // namespace

std::string StatsToJson(const CorpusStats& s) {
  JsonWriter w;
  w.BeginObject();
  w.Key("documents").Uint(s.documents).Key("authors").Uint(s.authors);
  w.Key("sources").Uint(s.sources).Key("rejects").Uint(s.rejects);
  w.Key("entities").Uint(s.entities).Key("undated").Uint(s.undated);
  OptTime(&w, "first_time", s.first_time);
  OptTime(&w, "last_time", s.last_time);
  Counts(&w, "by_source", s.by_source);
  Counts(&w, "by_lang", s.by_lang);
  Counts(&w, "top_authors", s.top_authors);
  w.EndObject();
  return w.Take();
}

std::string StatsToText(const CorpusStats& s) {
  std::string out;
  out += Line("documents", s.documents);
  out += Line("authors", s.authors);
  out += Line("sources", s.sources);
  out += Line("entities", s.entities);
  out += Line("rejects", s.rejects);
  out += "time range   ";
  out += s.first_time ? FormatTimeIso(*s.first_time) : std::string("unknown");
  out += " .. ";
  out += s.last_time ? FormatTimeIso(*s.last_time) : std::string("unknown");
  out += " (" + std::to_string(s.undated) + " undated)\n";
  CountsText(&out, "by source", s.by_source, 20);
  CountsText(&out, "by language", s.by_lang, 20);
  CountsText(&out, "top authors", s.top_authors, 10);
  return out;
}

}  // namespace echotrace

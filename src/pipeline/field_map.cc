// Field mapping. Matching is case-insensitive on ASCII letters only: column
// names in the wild are ASCII, and folding them with the full Unicode
// machinery would cost time on every record for nothing.
#include "pipeline/field_map.h"

#include <algorithm>

namespace echotrace {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

}  // namespace

const char* FieldName(Field f) {
  static const char* kNames[] = {"id",  "text",   "author", "time", "source",
                                 "url", "parent", "title",  "lang"};
  return kNames[static_cast<size_t>(f)];
}

const std::vector<std::string>& DefaultFieldNames(Field f) {
  // Order matters: the first present and non-empty wins. Names seen in
  // platform exports (Twitter/X API v1 and v2, Reddit/Pushshift, Telegram,
  // CrowdTangle, 4CAT, Media Cloud, GDELT, forum scrapers).
  static const std::vector<std::string> kLists[] = {
      /*id*/ {"id", "id_str", "post_id", "tweet_id", "status_id", "message_id", "comment_id",
              "doc_id", "item_id", "guid", "uuid", "tweetid"},
      /*text*/
      {"text", "full_text", "content", "body", "message", "tweet", "tweet_text", "post",
       "post_text", "comment", "selftext", "text_content", "article", "description"},
      /*author*/
      {"author", "username", "screen_name", "user.screen_name", "user_screen_name",
       "author.username", "user", "user_name", "author_name", "author_id", "user_id", "account",
       "handle", "from", "from_user", "userid"},
      /*time*/
      {"time", "created_at", "date", "publish_date", "published", "published_at", "timestamp",
       "datetime", "created", "created_utc", "pubdate", "post_date", "tweet_time", "date_created",
       "time_published"},
      /*source*/
      {"source", "channel", "platform", "site", "domain", "outlet", "publication", "subreddit",
       "forum", "feed", "media_name", "sitename"},
      /*url*/ {"url", "link", "permalink", "canonical_url", "tweet_url", "post_url", "web_url"},
      /*parent*/
      {"parent", "parent_id", "in_reply_to", "in_reply_to_status_id", "in_reply_to_status_id_str",
       "reply_to", "reply_to_id", "replied_to", "retweeted_status_id", "retweeted_status.id_str",
       "link_id"},
      /*title*/ {"title", "headline", "subject"},
      /*lang*/ {"lang", "language", "lang_code"},
  };
  return kLists[static_cast<size_t>(f)];
}

Result<FieldMapper> FieldMapper::Create(const std::vector<std::string>& map_flags) {
  FieldMapper m;
  for (const std::string& flag : map_flags) {
    size_t eq = flag.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 >= flag.size()) {
      return Status::InvalidArgument("--map '" + flag +
                                     "': expected FIELD=COLUMN or FIELD=COL1+COL2, "
                                     "e.g. --map text=content");
    }
    std::string field = flag.substr(0, eq);
    int index = -1;
    for (size_t f = 0; f < static_cast<size_t>(Field::kCount); ++f) {
      if (EqualsIgnoreCase(field, FieldName(static_cast<Field>(f)))) index = static_cast<int>(f);
    }
    if (index < 0) {
      return Status::InvalidArgument("--map '" + flag + "': unknown field '" + field +
                                     "'; fields are id, text, author, time, source, url, "
                                     "parent, title, lang");
    }
    std::vector<std::string> cols;
    std::string_view rest(flag);
    rest.remove_prefix(eq + 1);
    while (!rest.empty()) {
      size_t plus = rest.find('+');
      std::string_view col = rest.substr(0, plus);
      if (col.empty()) {
        return Status::InvalidArgument("--map '" + flag + "': empty column name");
      }
      cols.emplace_back(col);
      if (plus == std::string_view::npos) break;
      rest.remove_prefix(plus + 1);
    }
    m.explicit_[index] = std::move(cols);
  }
  return m;
}

void FieldMapper::BuildPlan(const RawRecord& record, MapPlan* plan) const {
  plan->names.clear();
  for (const auto& [name, value] : record.fields) plan->names.push_back(name);
  for (size_t f = 0; f < static_cast<size_t>(Field::kCount); ++f) {
    auto& cands = plan->candidates[f];
    cands.clear();
    const auto& wanted =
        explicit_[f].empty() ? DefaultFieldNames(static_cast<Field>(f)) : explicit_[f];
    for (const std::string& w : wanted) {
      for (size_t i = 0; i < plan->names.size(); ++i) {
        if (EqualsIgnoreCase(plan->names[i], w)) {
          cands.push_back(static_cast<int>(i));
          break;  // the first column of that name
        }
      }
    }
  }
}

MappedRecord FieldMapper::Map(const RawRecord& record, MapPlan* plan) const {
  bool same = plan->names.size() == record.fields.size();
  for (size_t i = 0; same && i < record.fields.size(); ++i) {
    same = plan->names[i] == record.fields[i].first;
  }
  if (!same) BuildPlan(record, plan);

  MappedRecord out;
  std::vector<char> used(record.fields.size(), 0);
  for (size_t f = 0; f < static_cast<size_t>(Field::kCount); ++f) {
    std::string& value = out.values[f];
    for (int i : plan->candidates[f]) {
      const std::string& v = record.fields[i].second;
      if (IsBlank(v)) continue;
      used[i] = 1;
      if (explicit_[f].empty()) {
        value = v;
        break;
      }
      // Several --map columns are joined with a blank line: "title+body"
      // reads as a heading and its text.
      if (!value.empty()) value += "\n\n";
      value += v;
    }
  }
  // Everything not used above (and not blank) is kept, so no input field is
  // lost.
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (used[i] || IsBlank(record.fields[i].second)) continue;
    out.extra_json += out.extra_json.empty() ? "{" : ",";
    AppendJsonString(record.fields[i].first, &out.extra_json);
    out.extra_json += ':';
    AppendJsonString(record.fields[i].second, &out.extra_json);
  }
  if (!out.extra_json.empty()) out.extra_json += '}';
  return out;
}

Status FieldMapper::CheckColumns(const std::vector<std::string>& columns,
                                 std::string_view file) const {
  for (size_t f = 0; f < static_cast<size_t>(Field::kCount); ++f) {
    for (const std::string& want : explicit_[f]) {
      bool found = std::any_of(columns.begin(), columns.end(),
                               [&](const std::string& c) { return EqualsIgnoreCase(c, want); });
      if (found) continue;
      std::string have;
      for (const std::string& c : columns) {
        if (have.size() > 2000) {
          have += ", ...";
          break;
        }
        have += (have.empty() ? "" : ", ") + c;
      }
      return Status::InvalidArgument("--map " + std::string(FieldName(static_cast<Field>(f))) +
                                     "=" + want + ": " + std::string(file) + " has no column '" +
                                     want + "'; its columns are: " + have);
    }
  }
  return Status::OK();
}

std::string FieldMapper::Describe(Field f) const {
  const auto& names = explicit_[static_cast<size_t>(f)].empty() ? DefaultFieldNames(f)
                                                                : explicit_[static_cast<size_t>(f)];
  std::string s;
  for (const auto& n : names) {
    if (!s.empty()) s += ", ";
    s += n;
  }
  return s;
}

}  // namespace echotrace

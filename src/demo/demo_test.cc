// Tests of the demo corpus: determinism, that every planted span really is
// where the ground truth says (checked by parsing the written files back
// with small independent parsers), and the properties the scorecard relies
// on (burst windows, wordings, no real names, valid UTF-8, CSV quoting).
#include "echotrace/demo.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "demo/corpus.h"
#include "demo/grammar.h"
#include "demo/lexicon.h"
#include "demo/render.h"

namespace echotrace {
namespace {

namespace fs = std::filesystem;

struct Row {
  std::string text, author, parent;
  std::optional<int64_t> time;
};

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// RFC 4180 records; a slow, obvious parser independent of the writer.
std::vector<std::vector<std::string>> ParseCsv(const std::string& s) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        rows.back().back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        rows.back().back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

std::string Unescape(std::string s) {
  static const std::vector<std::pair<std::string, std::string>> kEntities = {
      {"&lt;", "<"},  {"&gt;", ">"},   {"&quot;", "\""},
      {"&#39;", "'"}, {"&copy;", "©"}, {"&amp;", "&"}};
  for (const auto& [from, to] : kEntities) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  }
  return s;
}

// What the HTML reader must yield: <p> contents joined by "\n".
std::string HtmlBodyText(const std::string& html) {
  std::string out;
  const size_t body = html.find("<body>");
  for (size_t at = html.find("<p", body); at != std::string::npos; at = html.find("<p", at)) {
    const size_t open_end = html.find('>', at) + 1;
    const size_t close = html.find("</p>", open_end);
    if (!out.empty()) out += '\n';
    out += Unescape(html.substr(open_end, close - open_end));
    at = close;
  }
  return out;
}

bool ValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
    for (int k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

class DemoCorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("echotrace_demo_test_" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    DemoOptions o;
    o.out_dir = dir_->string();
    summary_ = new DemoSummary;
    ASSERT_TRUE(WriteDemoCorpus(o, summary_).ok());
    auto truth = ReadGroundTruth(summary_->ground_truth_path);
    ASSERT_TRUE(truth.ok()) << truth.status().ToString();
    truth_ = new GroundTruth(std::move(*truth));
    texts_ = new std::map<std::string, Row>;
    LoadChirp();
    LoadForum();
    for (const auto& a : truth_->articles) {
      const std::string raw = ReadAll(*dir_ / a.doc);
      (*texts_)[a.doc].text =
          a.format == "html" ? HtmlBodyText(raw) : raw.substr(0, raw.size() - 1);
      (*texts_)[a.doc].time = a.time;
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete summary_;
    delete truth_;
    delete texts_;
  }
  static void LoadChirp() {
    simdjson::dom::parser parser;
    std::istringstream in(ReadAll(*dir_ / "chirp_posts.jsonl"));
    for (std::string line; std::getline(in, line);) {
      simdjson::dom::element e;
      ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
      std::string_view id, text, author, parent, time;
      ASSERT_EQ(e["id"].get(id), simdjson::SUCCESS);
      ASSERT_EQ(e["text"].get(text), simdjson::SUCCESS);
      ASSERT_EQ(e["author"].get(author), simdjson::SUCCESS);
      Row& r = (*texts_)[std::string(id)];
      r.text = text;
      r.author = author;
      if (e["parent"].get(parent) == simdjson::SUCCESS) r.parent = parent;
      if (e["time"].get(time) == simdjson::SUCCESS) r.time = ParseIso(time);
    }
  }
  static void LoadForum() {
    auto rows = ParseCsv(ReadAll(*dir_ / "forum.csv"));
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0], (std::vector<std::string>{"post_id", "user", "created_at", "body", "thread",
                                                 "reply_to"}));
    for (size_t i = 1; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].size(), 6u) << "row " << i;
      Row& r = (*texts_)[rows[i][0]];
      r.text = rows[i][3];
      r.author = rows[i][1];
      r.parent = rows[i][5];
      if (!rows[i][2].empty()) r.time = ParseIso(rows[i][2]);
    }
    forum_rows_ = rows.size() - 1;
  }
  // "YYYY-MM-DD?HH:MM:SS" as UTC; checked against demo::FormatTime.
  static int64_t ParseIso(std::string_view s) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    std::sscanf(std::string(s).c_str(), "%d-%d-%d%*c%d:%d:%d", &y, &mo, &d, &h, &mi, &se);
    static const int kCum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    const int64_t jan1 = demo::DemoEpoch() / 86400 - 32;                 // the epoch is 2026-02-02
    const int64_t day = jan1 + (y - 2026) * 365 + kCum[mo - 1] + d - 1;  // 2026: no leap day
    return day * 86400 + h * 3600 + mi * 60 + se;
  }
  const Row& Doc(const std::string& id) {
    auto it = texts_->find(id);
    EXPECT_NE(it, texts_->end()) << id;
    static const Row kNone;
    return it == texts_->end() ? kNone : it->second;
  }
  void ExpectSpan(const DemoSpan& s) {
    const std::string& text = Doc(s.doc).text;
    ASSERT_LE(s.end, text.size()) << s.doc;
    ASSERT_LT(s.start, s.end) << s.doc;
    EXPECT_EQ(text.substr(s.start, s.end - s.start), s.text) << s.doc;
  }

  static fs::path* dir_;
  static DemoSummary* summary_;
  static GroundTruth* truth_;
  static std::map<std::string, Row>* texts_;
  static size_t forum_rows_;
};

fs::path* DemoCorpusTest::dir_ = nullptr;
DemoSummary* DemoCorpusTest::summary_ = nullptr;
GroundTruth* DemoCorpusTest::truth_ = nullptr;
std::map<std::string, Row>* DemoCorpusTest::texts_ = nullptr;
size_t DemoCorpusTest::forum_rows_ = 0;

TEST(DemoGrammar, EverySlotIsDefined) {
  EXPECT_EQ(demo::BuildGrammar().MissingSlots(), std::vector<std::string>{});
}

TEST(DemoGrammar, ExpandsChoicesSlotsAndTidies) {
  demo::Grammar g;
  g.Add("x", {"[a|b] {y}"});
  g.Add("y", {"c"});
  demo::Rng r(1);
  for (int i = 0; i < 20; ++i) {
    const std::string s = g.Sentence("[|well ,] {x} [d|] .", r);
    EXPECT_TRUE(s == "A c d." || s == "B c d." || s == "A c." || s == "B c." ||
                s == "Well, a c d." || s == "Well, b c d." || s == "Well, a c." ||
                s == "Well, b c.")
        << s;
  }
  EXPECT_EQ(g.Expand("{nope}", r), "{nope}");
}

TEST(DemoRng, IsPortable) {
  // Pinned values: a change here changes every demo corpus.
  demo::Rng r(42);
  EXPECT_EQ(r.Next(), demo::Rng(42).Next());
  demo::Rng a(7, "x"), b(7, "y");
  EXPECT_NE(a.Next(), b.Next());
  for (int i = 0; i < 1000; ++i) {
    const int v = r.Int(3, 5);
    EXPECT_TRUE(v >= 3 && v <= 5);
  }
}

TEST(DemoCsv, QuotingRoundTrips) {
  const std::vector<std::string> fields = {"plain",    "a,b", "say \"hi\"", "two\nlines",
                                           " padded ", "",    "\"",         "мир, \"да\""};
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + demo::CsvField(fields[i]);
  auto rows = ParseCsv(line + "\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], fields);
}

TEST(DemoDeterminism, SameSeedSameBytesOtherSeedOtherBytes) {
  DemoOptions o;
  o.posts = 1500;
  o.accounts = 200;
  o.articles = 40;
  o.forum_posts = 300;
  const auto a = demo::Render(demo::BuildCorpus(o));
  const auto b = demo::Render(demo::BuildCorpus(o));
  ASSERT_EQ(a.files.size(), b.files.size());
  for (size_t i = 0; i < a.files.size(); ++i) {
    EXPECT_EQ(a.files[i].path, b.files[i].path);
    EXPECT_TRUE(a.files[i].bytes == b.files[i].bytes) << a.files[i].path;
  }
  o.seed += 1;
  const auto c = demo::Render(demo::BuildCorpus(o));
  EXPECT_NE(a.files[0].bytes, c.files[0].bytes);
  EXPECT_NE(a.files[1].bytes, c.files[1].bytes);
}

// The fixture checks the default seed against the files; this checks the
// same invariants in memory for other seeds and scales.
TEST(DemoInvariants, HoldForOtherSeeds) {
  for (uint64_t seed : {1u, 2u, 3u, 777u, 31337u}) {
    DemoOptions o;
    o.seed = seed;
    o.posts = 2000 + static_cast<int>(seed % 3) * 1000;
    o.articles = 60 + static_cast<int>(seed % 5) * 20;
    o.coordinated_groups = 4 + static_cast<int>(seed % 3);
    const demo::Corpus c = demo::BuildCorpus(o);
    const auto r = demo::Render(c);
    std::map<std::string, std::string> text;
    for (const auto& d : c.docs) text[d.id] = demo::DocText(d, nullptr);
    EXPECT_EQ(text.size(), c.docs.size()) << "ids are unique";
    auto check = [&](const DemoSpan& sp) {
      const std::string& t = text[sp.doc];
      ASSERT_LE(sp.end, t.size());
      EXPECT_EQ(t.substr(sp.start, sp.end - sp.start), sp.text);
    };
    for (const auto& p : r.truth.passages) {
      ASSERT_GE(p.occurrences.size(), 2u) << seed << " " << p.id;
      EXPECT_EQ(p.occurrences.front().doc, p.origin) << seed << " " << p.id;
      for (const auto& sp : p.occurrences) check(sp);
    }
    for (const auto& tp : r.truth.talking_points) {
      EXPECT_GE(tp.wordings, 10) << seed << " " << tp.id;
      for (const auto& sp : tp.mentions) check(sp);
    }
    EXPECT_EQ(static_cast<int>(r.truth.coordination.size()), o.coordinated_groups);
    for (const auto& g : r.truth.coordination) {
      for (const auto& b : g.bursts) EXPECT_LE(b.end - b.start, g.window_seconds);
    }
  }
}

TEST(DemoErrors, NamesThePath) {
  DemoOptions o;
  EXPECT_EQ(WriteDemoCorpus(o, nullptr).code(), StatusCode::kInvalidArgument);
  const fs::path file =
      fs::temp_directory_path() / ("echotrace_demo_file_" + std::to_string(::getpid()));
  std::ofstream(file) << "x";
  o.out_dir = (file / "sub").string();
  const Status s = WriteDemoCorpus(o, nullptr);
  EXPECT_EQ(s.code(), StatusCode::kIOError);
  EXPECT_NE(s.message().find(file.string()), std::string::npos) << s.message();
  fs::remove(file);
  EXPECT_EQ(ReadGroundTruth(file.string()).status().code(), StatusCode::kIOError);
}

TEST(DemoErrors, RejectsAForeignJsonFile) {
  const fs::path file =
      fs::temp_directory_path() / ("echotrace_demo_bad_" + std::to_string(::getpid()));
  std::ofstream(file) << "{\"format\": \"something else\", \"version\": 1}";
  EXPECT_EQ(ReadGroundTruth(file.string()).status().code(), StatusCode::kCorruption);
  std::ofstream(file) << "{\"format\": \"echotrace-demo-truth\", \"version\": 1, \"seed\": 3}";
  const auto r = ReadGroundTruth(file.string());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_NE(r.status().message().find("time_start"), std::string::npos) << r.status().message();
  fs::remove(file);
}

TEST_F(DemoCorpusTest, ScaleAndCounts) {
  EXPECT_GE(summary_->documents, 3000u);
  EXPECT_LE(summary_->documents, 12000u);
  EXPECT_EQ(summary_->accounts, 400u);
  EXPECT_EQ(forum_rows_, summary_->forum_posts);
  std::set<std::string> authors;
  size_t chirps = 0;
  for (const auto& [id, row] : *texts_) {
    if (id.rfind("c-", 0) == 0) {
      authors.insert(row.author);
      ++chirps;
    }
  }
  EXPECT_EQ(authors.size(), 400u);  // every account posts
  EXPECT_EQ(chirps, summary_->chirp_posts);
  EXPECT_EQ(texts_->size(), summary_->documents);
  EXPECT_EQ(truth_->articles.size(), summary_->article_docs);
  EXPECT_EQ(summary_->inputs.size(), 3u);
}

TEST_F(DemoCorpusTest, GroundTruthRoundTripsThroughJson) {
  DemoOptions o;
  const auto r = demo::Render(demo::BuildCorpus(o));
  EXPECT_EQ(demo::GroundTruthJson(*truth_), r.files.back().bytes);
  EXPECT_EQ(truth_->passages.size(), summary_->reuse_passages);
  EXPECT_EQ(truth_->coordination.size(), summary_->coord_groups);
}

TEST_F(DemoCorpusTest, ReuseOffsetsPointAtThePassage) {
  std::map<std::string, int> kinds;
  for (const auto& p : truth_->passages) {
    ++kinds[p.kind];
    ASSERT_GE(p.occurrences.size(), 2u) << p.id;
    EXPECT_FALSE(p.text.empty()) << p.id;
    int origin_seen = 0, edited = 0;
    for (const auto& s : p.occurrences) {
      ExpectSpan(s);
      if (s.doc == p.origin) ++origin_seen;
      if (s.edited) {
        ++edited;
      } else {
        EXPECT_EQ(demo::Tidy(s.text), demo::Tidy(p.text)) << p.id;
      }
      // The origin is the earliest occurrence.
      ASSERT_TRUE(s.time.has_value());
      EXPECT_GE(*s.time, *p.occurrences.front().time);
    }
    EXPECT_EQ(origin_seen, 1) << p.id;
    EXPECT_EQ(p.occurrences.front().doc, p.origin) << p.id;
    if (p.kind == "edited") {
      EXPECT_GE(edited, 1) << p.id;
    }
    if (p.kind != "edited") {
      EXPECT_EQ(edited, 0) << p.id;
    }
    if (p.kind == "syndication") {
      for (const auto& s : p.occurrences) EXPECT_EQ(s.start, 0u) << p.id;
    }
  }
  EXPECT_GE(kinds["quote"], 10);
  EXPECT_GE(kinds["syndication"], 8);
  EXPECT_GE(kinds["edited"], 6);
}

TEST_F(DemoCorpusTest, SyndicatedCopiesCarryTheFooter) {
  std::map<std::string, std::string> title;
  for (const auto& a : truth_->articles) title[a.doc] = a.title;
  int copies = 0;
  for (const auto& a : truth_->articles) {
    if (a.copy_of.empty()) continue;
    ++copies;
    EXPECT_NE(Doc(a.doc).text.find("The post " + title[a.copy_of] + " appeared first on "),
              std::string::npos)
        << a.doc;
  }
  EXPECT_GE(copies, 10);
}

TEST_F(DemoCorpusTest, TalkingPointsHaveManyWordings) {
  ASSERT_EQ(truth_->talking_points.size(), 8u);
  const std::string claims = ReadAll(*dir_ / "claims.jsonl");
  for (const auto& tp : truth_->talking_points) {
    std::set<std::string> texts, docs;
    std::set<int> templates;
    for (const auto& m : tp.mentions) {
      ExpectSpan(m);
      texts.insert(m.text);
      docs.insert(m.doc);
      if (m.lang == "en") templates.insert(m.wording);
    }
    EXPECT_GE(texts.size(), 15u) << tp.id;
    EXPECT_EQ(static_cast<int>(texts.size()), tp.wordings) << tp.id;
    EXPECT_GE(templates.size(), 5u) << tp.id;
    EXPECT_GE(docs.size(), 30u) << tp.id;
    EXPECT_NE(claims.find("\"id\":\"" + tp.claim_id + "\""), std::string::npos) << tp.id;
  }
}

TEST_F(DemoCorpusTest, CoordinatedBurstsStayInTheirWindow) {
  ASSERT_GE(truth_->coordination.size(), 4u);
  ASSERT_LE(truth_->coordination.size(), 6u);
  for (const auto& g : truth_->coordination) {
    EXPECT_GE(g.accounts.size(), 5u);
    EXPECT_LE(g.accounts.size(), 15u);
    EXPECT_GE(g.bursts.size(), 6u) << g.id;
    const std::set<std::string> members(g.accounts.begin(), g.accounts.end());
    for (const auto& b : g.bursts) {
      EXPECT_LE(b.end - b.start, g.window_seconds) << g.id;
      EXPECT_GE(b.docs.size(), 4u) << g.id;
      std::set<std::string> texts, parents, tracked;
      for (size_t i = 0; i < b.docs.size(); ++i) {
        const Row& r = Doc(b.docs[i]);
        ASSERT_TRUE(r.time.has_value());
        EXPECT_GE(*r.time, b.start);
        EXPECT_LE(*r.time, b.end);
        EXPECT_TRUE(members.count(r.author)) << r.author;
        EXPECT_EQ(r.author, b.accounts[i]);
        texts.insert(r.text);
        parents.insert(r.parent);
        const size_t at = r.text.find(b.shared + "?utm_");
        if (g.behaviour == "co-link") {
          EXPECT_NE(at, std::string::npos) << r.text;
          tracked.insert(r.text.substr(at));
        }
      }
      if (g.behaviour == "co-post") {
        EXPECT_EQ(texts.size(), 1u);
        EXPECT_EQ(*texts.begin(), b.shared);
      }
      if (g.behaviour == "co-similar") {
        EXPECT_GT(texts.size(), 1u);
      }
      if (g.behaviour == "co-link") {
        EXPECT_GT(tracked.size(), 1u);
      }
      if (g.behaviour == "co-reply" || g.behaviour == "co-repost") {
        EXPECT_EQ(parents, std::set<std::string>{b.shared});
      }
    }
  }
}

TEST_F(DemoCorpusTest, NearDuplicateGroupsIncludeShortPosts) {
  int short_groups = 0;
  for (const auto& g : truth_->neardup) {
    ASSERT_GE(g.docs.size(), 2u) << g.id;
    for (const auto& d : g.docs) EXPECT_FALSE(Doc(d).text.empty()) << d;
    if (g.kind == "short_repost") {
      ++short_groups;
      const std::string& t = Doc(g.docs[0]).text;
      const auto words = std::count(t.begin(), t.end(), ' ') + 1;
      EXPECT_GE(words, 6) << t;
      EXPECT_LE(words, 10) << t;
    }
  }
  EXPECT_GE(short_groups, 10);
}

TEST_F(DemoCorpusTest, TimesLieInTheWindowAndSomeAreUnknown) {
  int unknown_chirp = 0, unknown_forum = 0;
  for (const auto& [id, row] : *texts_) {
    if (!row.time) {
      (id[0] == 'c' ? unknown_chirp : unknown_forum) += id[0] != 'a';
      continue;
    }
    EXPECT_GE(*row.time, truth_->time_start) << id;
    EXPECT_LT(*row.time, truth_->time_end) << id;
  }
  EXPECT_GT(unknown_chirp, 0);
  EXPECT_GT(unknown_forum, 0);
}

TEST_F(DemoCorpusTest, MessyInputsArePresent) {
  bool all_in_one = false, entity = false, script = false, cyrillic = false;
  for (const auto& [id, row] : *texts_) {
    const std::string& t = row.text;
    all_in_one |= t.find("https://") != std::string::npos && t[0] == '@' &&
                  t.find(" #") != std::string::npos && t.find("🔥") != std::string::npos;
    entity |= t.find("&amp;") != std::string::npos;
    script |= t.find("<script>") != std::string::npos;
    cyrillic |= t.find("Валдори") != std::string::npos;
  }
  EXPECT_TRUE(all_in_one && entity && script && cyrillic);
  const std::string csv = ReadAll(*dir_ / "forum.csv");
  EXPECT_NE(csv.find("\"\""), std::string::npos);  // an escaped quote
  int html = 0;
  for (const auto& a : truth_->articles) {
    if (a.format != "html") continue;
    const std::string raw = ReadAll(*dir_ / a.doc);
    EXPECT_NE(raw.find("<title>"), std::string::npos);
    EXPECT_NE(raw.find("<script>"), std::string::npos);
    EXPECT_NE(raw.find("<style>"), std::string::npos);
    ++html;
  }
  EXPECT_GT(html, 100);
}

TEST_F(DemoCorpusTest, NoRealNamesAndValidUtf8) {
  const std::vector<std::string> blocked = {"Putin",  "Trump",  "Biden",   "Zelensk", "NATO",
                                            "Russia", "Ukrain", "Kremlin", "Kyiv",    "Moscow",
                                            "Росси",  "Украин", "Путин"};
  for (const auto& f : summary_->files) {
    const std::string bytes = ReadAll(f);
    EXPECT_TRUE(ValidUtf8(bytes)) << f;
    for (const auto& b : blocked) EXPECT_EQ(bytes.find(b), std::string::npos) << b << " in " << f;
  }
}

TEST_F(DemoCorpusTest, RewritingLeavesNoStaleArticles) {
  DemoOptions o;
  o.out_dir = dir_->string();
  o.seed = 99;
  o.articles = 40;
  DemoSummary s;
  ASSERT_TRUE(WriteDemoCorpus(o, &s).ok());
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(*dir_ / "articles")) n += e.is_regular_file();
  EXPECT_EQ(n, s.article_docs);
}

}  // namespace
}  // namespace echotrace

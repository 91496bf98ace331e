// HTML reader: the whole input is one document, parsed with gumbo (an
// HTML5-conformant parser, so broken markup parses as browsers parse it).
//
// Text. The tree is walked with an explicit stack (deep nesting cannot blow
// the C++ stack). Text nodes outside script, style, noscript, template,
// head, svg, math, iframe, object and select are kept. Block elements (p,
// div, li, h1-h6, tr, article, ...) and <br> end a line; table cells are
// separated by a space. Within a line, runs of white space (and U+00A0) are
// collapsed to one space; <pre> and <textarea> keep theirs. Lines are joined
// with '\n' and empty lines dropped.
//
// Metadata. "title" is the first HTML <title> (white space collapsed), or
// else <meta property="og:title">. "url" is <link rel="canonical"> or else
// og:url. "time" is the publication date as written: <meta
// property="article:published_time">, else the one value of the first of
// these that has any: <meta> datePublished (itemprop or name), date, pubdate,
// publishdate, publish-date, DC.date, DC.date.issued, DCTERMS.issued,
// DCTERMS.created; "datePublished" in <script type="application/ld+json">;
// <time datetime>. A source with two different values is ambiguous and ends
// the search (no date) — a page of article teasers carries many <time>s.
// "time_from" says which source gave it (stored in the document's extra).
// "author" is <meta name="author">. Fields, in order: id (the path), title,
// text, url, time, time_from, author; the optional ones only when present.
//
// An input larger than max_record_bytes is one Reject (line 0).
#include <gumbo.h>

#include <cstring>
#include <utility>
#include <vector>

#include "ingest/readers.h"

namespace echotrace {

namespace {

bool IsHidden(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_SELECT:
      return true;
    default:
      return false;
  }
}

bool IsBlock(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_TEXTAREA:
      return true;
    default:
      return false;
  }
}

bool IsPreformatted(GumboTag t) { return t == GUMBO_TAG_PRE || t == GUMBO_TAG_TEXTAREA; }

// Accumulates visible text: collapses white space and turns block
// boundaries into single line breaks.
class TextBuilder {
 public:
  void Break() { newline_ = !out_.empty(); }
  void Space() { space_ = !out_.empty(); }

  void Append(std::string_view s, bool preformatted) {
    if (preformatted) {
      Flush();
      out_.append(s);
      return;
    }
    size_t i = 0;
    while (i < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        Space();
        ++i;
      } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
        Space();  // U+00A0 no-break space, from &nbsp;
        i += 2;
      } else {
        size_t j = i + 1;
        while (j < s.size() && !IsSpaceStart(static_cast<unsigned char>(s[j]))) ++j;
        Flush();
        out_.append(s.substr(i, j - i));
        i = j;
      }
    }
  }

  std::string Take() { return std::move(out_); }

 private:
  static bool IsSpaceStart(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0xC2;
  }
  void Flush() {
    if (newline_) {
      out_.push_back('\n');
    } else if (space_ && !out_.empty() && out_.back() != '\n') {
      out_.push_back(' ');
    }
    newline_ = space_ = false;
  }

  std::string out_;
  bool newline_ = false;
  bool space_ = false;
};

const char* Attr(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a ? a->value : nullptr;
}

bool EqualsIgnoreCase(const char* a, const char* b) {
  return a != nullptr && strcasecmp(a, b) == 0;
}

struct HtmlDoc {
  std::string text;
  std::string title;
  std::string og_title;
  std::string url;  // canonical link
  std::string og_url;
  std::string time;  // <meta property="article:published_time">
  std::string author;
  // Lesser sources of the publication date, tried in this order when there
  // is no article:published_time, each only when it gives one value.
  std::vector<std::string> meta_dates;  // itemprop=datePublished, name=date, DC
  std::vector<std::string> ld_dates;    // "datePublished" in JSON-LD scripts
  std::vector<std::string> time_tags;   // <time datetime>
};

// The meta names that state a page's publication date, after
// article:published_time (compared case-insensitively).
constexpr const char* kDateMetaNames[] = {"datePublished",  "date",           "pubdate",
                                          "publishdate",    "publish-date",   "dc.date",
                                          "dc.date.issued", "dcterms.issued", "dcterms.created"};

void AddDistinct(std::vector<std::string>* v, std::string value) {
  size_t b = value.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return;
  value = value.substr(b, value.find_last_not_of(" \t\r\n") - b + 1);
  for (const std::string& x : *v) {
    if (x == value) return;
  }
  v->push_back(std::move(value));
}

// Every "datePublished": "..." in a JSON-LD script. A scan, not a parser:
// the value is a JSON string holding a date, which needs no unescaping.
void ReadJsonLdDates(std::string_view json, std::vector<std::string>* out) {
  constexpr std::string_view kKey = "\"datePublished\"";
  for (size_t at = json.find(kKey); at != std::string_view::npos; at = json.find(kKey, at + 1)) {
    size_t i = json.find_first_not_of(" \t\r\n", at + kKey.size());
    if (i == std::string_view::npos || json[i] != ':') continue;
    i = json.find_first_not_of(" \t\r\n", i + 1);
    if (i == std::string_view::npos || json[i] != '"') continue;
    size_t end = json.find('"', i + 1);
    if (end == std::string_view::npos || end - i > 64) continue;
    AddDistinct(out, std::string(json.substr(i + 1, end - i - 1)));
  }
}

void ReadMeta(const GumboElement& e, HtmlDoc* doc) {
  if (e.tag == GUMBO_TAG_META) {
    const char* content = Attr(e, "content");
    if (content == nullptr) return;
    const char* key = Attr(e, "property");
    if (key == nullptr) key = Attr(e, "name");
    if (key == nullptr) key = "";
    std::string* slot = nullptr;
    if (EqualsIgnoreCase(key, "og:title")) slot = &doc->og_title;
    if (EqualsIgnoreCase(key, "og:url")) slot = &doc->og_url;
    if (EqualsIgnoreCase(key, "article:published_time")) slot = &doc->time;
    if (EqualsIgnoreCase(key, "author")) slot = &doc->author;
    if (slot != nullptr && slot->empty()) *slot = content;
    const char* itemprop = Attr(e, "itemprop");
    for (const char* name : kDateMetaNames) {
      if (EqualsIgnoreCase(key, name) || EqualsIgnoreCase(itemprop, name)) {
        AddDistinct(&doc->meta_dates, content);
        break;
      }
    }
  } else if (e.tag == GUMBO_TAG_TIME) {
    const char* datetime = Attr(e, "datetime");
    if (datetime != nullptr) AddDistinct(&doc->time_tags, datetime);
  } else if (e.tag == GUMBO_TAG_LINK) {
    const char* href = Attr(e, "href");
    if (href != nullptr && EqualsIgnoreCase(Attr(e, "rel"), "canonical") && doc->url.empty()) {
      doc->url = href;
    }
  }
}

std::string Collapse(std::string_view s) {
  TextBuilder b;
  b.Append(s, false);
  return b.Take();
}

bool IsJsonLd(const GumboElement& e) {
  return e.tag == GUMBO_TAG_SCRIPT && EqualsIgnoreCase(Attr(e, "type"), "application/ld+json");
}

// The publication date and where it was found: article:published_time, else
// the first of the lesser sources (HtmlDoc) that gives exactly one value. A
// source with two different values is ambiguous and not used (a page listing
// related articles has several <time> tags). Empty when none.
std::pair<std::string, std::string> PublicationTime(const HtmlDoc& doc) {
  if (!doc.time.empty()) return {doc.time, "meta article:published_time"};
  const std::pair<const std::vector<std::string>*, const char*> tiers[] = {
      {&doc.meta_dates, "meta datePublished/date"},
      {&doc.ld_dates, "JSON-LD datePublished"},
      {&doc.time_tags, "<time datetime>"}};
  for (const auto& [values, from] : tiers) {
    if (values->size() == 1) return {values->front(), from};
    if (values->size() > 1) return {};  // ambiguous: no lesser source decides
  }
  return {};
}

// Walks the tree depth-first without recursion.
void Extract(const GumboNode* root, HtmlDoc* doc) {
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
  };
  TextBuilder text;
  std::string title_raw;
  bool title_done = false;
  int hidden = 0, pre = 0, in_title = 0, in_ld = 0;
  std::vector<Frame> stack{{root, 0}};
  while (!stack.empty()) {
    Frame& f = stack.back();
    const GumboNode* n = f.node;
    const bool is_element = n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE;
    const GumboVector* children = n->type == GUMBO_NODE_DOCUMENT ? &n->v.document.children
                                  : is_element                   ? &n->v.element.children
                                                                 : nullptr;
    if (children != nullptr && f.next_child < children->length) {
      const GumboNode* c = static_cast<const GumboNode*>(children->data[f.next_child++]);
      if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE ||
          c->type == GUMBO_NODE_CDATA) {
        std::string_view s = c->v.text.text;
        if (in_title > 0) title_raw.append(s);
        if (in_ld > 0) ReadJsonLdDates(s, &doc->ld_dates);
        if (hidden == 0) text.Append(s, pre > 0);
      } else if (c->type == GUMBO_NODE_ELEMENT || c->type == GUMBO_NODE_TEMPLATE) {
        const GumboElement& e = c->v.element;
        ReadMeta(e, doc);
        if (IsHidden(e.tag) || c->type == GUMBO_NODE_TEMPLATE) ++hidden;
        if (IsPreformatted(e.tag)) ++pre;
        if (IsJsonLd(e)) ++in_ld;
        if (e.tag == GUMBO_TAG_TITLE && e.tag_namespace == GUMBO_NAMESPACE_HTML && !title_done) {
          ++in_title;
        }
        if (IsBlock(e.tag)) text.Break();
        if (e.tag == GUMBO_TAG_TD || e.tag == GUMBO_TAG_TH) text.Space();
        stack.push_back({c, 0});
      }
      continue;
    }
    if (is_element) {  // leaving the element
      const GumboElement& e = n->v.element;
      if (IsHidden(e.tag) || n->type == GUMBO_NODE_TEMPLATE) --hidden;
      if (IsPreformatted(e.tag)) --pre;
      if (IsJsonLd(e)) --in_ld;
      if (e.tag == GUMBO_TAG_TITLE && in_title > 0) {
        --in_title;
        title_done = true;
      }
      if (IsBlock(e.tag)) text.Break();
      if (e.tag == GUMBO_TAG_TD || e.tag == GUMBO_TAG_TH) text.Space();
    }
    stack.pop_back();
  }
  doc->text = text.Take();
  doc->title = Collapse(title_raw);
}

class HtmlReader final : public RecordReader {
 public:
  HtmlReader(std::unique_ptr<BufferedInput> in, const ReaderOptions& options)
      : in_(std::move(in)), max_bytes_(options.max_record_bytes) {}

  Result<ReadOutcome> Next(RawRecord* record, Reject* reject) override {
    if (done_) return ReadOutcome::kEnd;
    done_ = true;
    std::string html;
    ET_ASSIGN_OR_RETURN(bool complete, ReadAll(in_.get(), max_bytes_, &html));
    if (!complete) {
      SetReject(reject, in_->name(), 0,
                "file larger than " + std::to_string(max_bytes_) +
                    " bytes (max_record_bytes); one HTML file is one document",
                html);
      return ReadOutcome::kReject;
    }
    const uint32_t nuls = StripNul(&html);
    HtmlDoc doc;
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;  // we never look at parse errors; don't store them
    GumboOutput* out = gumbo_parse_with_options(&options, html.data(), html.size());
    Extract(out->document, &doc);
    gumbo_destroy_output(&options, out);

    record->fields.clear();
    record->file = in_->name();
    record->line = 1;
    record->nul_bytes = nuls;
    record->fields.emplace_back("id", in_->name());
    std::string& title = doc.title.empty() ? doc.og_title : doc.title;
    if (!title.empty()) record->fields.emplace_back("title", Collapse(title));
    record->fields.emplace_back("text", std::move(doc.text));
    std::string& url = doc.url.empty() ? doc.og_url : doc.url;
    if (!url.empty()) record->fields.emplace_back("url", std::move(url));
    auto [time, time_from] = PublicationTime(doc);
    if (!time.empty()) {
      record->fields.emplace_back("time", std::move(time));
      record->fields.emplace_back("time_from", std::move(time_from));
    }
    if (!doc.author.empty()) record->fields.emplace_back("author", std::move(doc.author));
    return ReadOutcome::kRecord;
  }
  uint64_t bytes_read() const override { return in_->consumed(); }

 private:
  std::unique_ptr<BufferedInput> in_;
  size_t max_bytes_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<RecordReader> MakeHtmlReader(std::unique_ptr<BufferedInput> in,
                                             const ReaderOptions& options) {
  return std::make_unique<HtmlReader>(std::move(in), options);
}

}  // namespace echotrace

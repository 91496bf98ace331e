// The fictional world of the demo corpus: countries, cities, people, outlets,
// talking points and the grammar that writes posts and articles about them.
// Nothing here names a real person, outlet or country; every domain is under
// the reserved .example top-level domain (RFC 2606).
#ifndef ECHOTRACE_DEMO_LEXICON_H_
#define ECHOTRACE_DEMO_LEXICON_H_

#include <string>
#include <vector>

#include "demo/grammar.h"

namespace echotrace::demo {

struct Outlet {
  std::string name;    // "The Merrin Ledger"
  std::string slug;    // "merrin-ledger", used in file names
  std::string domain;  // "merrinledger.example"
  bool blog = false;   // blogs republish (syndicate) other outlets' articles
  // A line the outlet appends to every article (recurring, not planted
  // reuse); empty for none.
  std::string boilerplate;
  std::vector<int> slant;  // talking points this outlet repeats
};

struct TalkingPointDef {
  std::string id;     // "tp-01"
  std::string label;  // short human label
  std::string claim;  // the claim in fact-check wording
  std::vector<std::string> keywords;
  std::vector<std::string> templates;  // English paraphrases (grammar)
  std::vector<std::string> ru;         // translations (may be empty)
  std::vector<std::string> uk;
  std::string hashtag;  // used by accounts pushing it
  int topic = 0;        // the article topic it belongs to
};

// Topics of articles; index into ArticleTopics().
struct ArticleTopic {
  std::string name;       // "grain"
  std::string lead_slot;  // grammar slot for the first sentence
  std::string body_slot;  // grammar slot for other sentences
  std::string title_slot;
};

const std::vector<Outlet>& Outlets();
const std::vector<TalkingPointDef>& TalkingPoints();
const std::vector<ArticleTopic>& ArticleTopics();
// Fact-check claims about the fictional world that the corpus never repeats.
const std::vector<std::string>& DistractorClaims();

// The grammar with every slot the generator uses. Slots the generator calls
// directly: post, short_post, reply, post_ru, post_uk, forum_sentence,
// forum_opener, forum_closer, quote_intro, edit_insert, hashtag, emoji,
// mention_word, first_name, last_name, handle_a, handle_b, forum_user_a,
// forum_user_b, art_generic, art_closing, lead_in, tp_tail, link_comment,
// share_line, plus each ArticleTopic's slots.
Grammar BuildGrammar();

}  // namespace echotrace::demo

#endif  // ECHOTRACE_DEMO_LEXICON_H_

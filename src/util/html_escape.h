// Escaping text for HTML. Shared by everything that writes HTML: the report
// shell (src/web) and the demo's sample pages (src/demo).
#ifndef ECHOTRACE_UTIL_HTML_ESCAPE_H_
#define ECHOTRACE_UTIL_HTML_ESCAPE_H_

#include <string>
#include <string_view>

namespace echotrace {

// `text` safe inside HTML element content and quoted attribute values: &, <,
// >, " become &amp; &lt; &gt; &quot;, and ' becomes &#39; (left as it is when
// escape_apostrophe is false: the demo writes both styles, as real pages do,
// to exercise the HTML reader). Other bytes, UTF-8 included, are copied.
std::string EscapeHtml(std::string_view text, bool escape_apostrophe = true);

}  // namespace echotrace

#endif  // ECHOTRACE_UTIL_HTML_ESCAPE_H_

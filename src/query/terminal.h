// Printing untrusted text on a terminal. Post text may carry escape
// sequences (ESC [ ... that recolour, retitle or rewrite a terminal) and other
// control characters; the show commands pass everything they print from the
// store through these so that a hostile post shows as text.
#ifndef ECHOTRACE_QUERY_TERMINAL_H_
#define ECHOTRACE_QUERY_TERMINAL_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace echotrace {

// `s` with C0 controls (but tab and, when keep_newlines, newline), DEL and the
// C1 controls U+0080..U+009F written in caret notation ("^[" for ESC, "^?"
// for DEL, "<U+009B>" for C1). Other bytes are copied as they are.
std::string TerminalSafe(std::string_view s, bool keep_newlines = true);

// One line for a listing: TerminalSafe with runs of white space (newlines
// included) collapsed to one space, cut to at most `max_bytes` bytes at a
// UTF-8 character boundary with "…" appended when cut.
std::string OneLine(std::string_view s, size_t max_bytes);

}  // namespace echotrace

#endif  // ECHOTRACE_QUERY_TERMINAL_H_

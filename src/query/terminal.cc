#include "query/terminal.h"

#include <cstdio>

#include "text/utf8.h"

namespace echotrace {

std::string TerminalSafe(std::string_view s, bool keep_newlines) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool kept_space = c == '\t' || (c == '\n' && keep_newlines);
    if (c < 0x20 && !kept_space) {
      out += '^';
      out += static_cast<char>(c + 0x40);
    } else if (c == 0x7f) {
      out += "^?";
    } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "<U+%04X>", static_cast<unsigned char>(s[i + 1]));
      out += buf;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string OneLine(std::string_view s, size_t max_bytes) {
  std::string flat;
  flat.reserve(s.size());
  bool space = false;
  for (char ch : s) {
    if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
      space = !flat.empty();
      continue;
    }
    if (space) flat += ' ';
    space = false;
    flat += ch;
  }
  const bool cut = flat.size() > max_bytes;
  flat.resize(CutUtf8(flat, max_bytes).size());
  std::string out = TerminalSafe(flat, false);
  if (cut) out += "…";
  return out;
}

}  // namespace echotrace

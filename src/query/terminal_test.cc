#include "query/terminal.h"

#include <gtest/gtest.h>

namespace echotrace {
namespace {

TEST(TerminalSafe, ControlCharactersBecomeVisible) {
  EXPECT_EQ(TerminalSafe("a\x1b[31mred\x1b[0m"), "a^[[31mred^[[0m");
  EXPECT_EQ(TerminalSafe("bell\a del\x7f"), "bell^G del^?");
  EXPECT_EQ(TerminalSafe("tab\tand\nnewline"), "tab\tand\nnewline");
  EXPECT_EQ(TerminalSafe("a\nb", false), "a^Jb");
  // U+009B (CSI as a C1 control) and U+0085 (NEL), but not U+00A0 or é.
  EXPECT_EQ(TerminalSafe("x\xc2\x9b"
                         "2Jy\xc2\x85z"),
            "x<U+009B>2Jy<U+0085>z");
  EXPECT_EQ(TerminalSafe("\xc2\xa0 caf\xc3\xa9"), "\xc2\xa0 caf\xc3\xa9");
  // Cyrillic and emoji pass through.
  EXPECT_EQ(TerminalSafe("Привет 🙂"), "Привет 🙂");
}

TEST(OneLine, CollapsesSpaceAndCutsAtCharacterBoundary) {
  EXPECT_EQ(OneLine("  two\n\nlines\t here ", 100), "two lines here");
  // "Привет" is 12 bytes; a cut at 5 must not split a character.
  EXPECT_EQ(OneLine("Привет", 5), "Пр…");
  EXPECT_EQ(OneLine("abc", 3), "abc");
  EXPECT_EQ(OneLine("a\x1b"
                    "b",
                    10),
            "a^[b");
}

}  // namespace
}  // namespace echotrace

#include "util/html_escape.h"

#include <gtest/gtest.h>

namespace echotrace {
namespace {

TEST(EscapeHtml, MarkupBecomesText) {
  EXPECT_EQ(EscapeHtml("<img src=x onerror=\"a('&')\">"),
            "&lt;img src=x onerror=&quot;a(&#39;&amp;&#39;)&quot;&gt;");
  EXPECT_EQ(EscapeHtml("it's", false), "it's");
  EXPECT_EQ(EscapeHtml("Привет © 🙂"), "Привет © 🙂");
  EXPECT_EQ(EscapeHtml(""), "");
}

}  // namespace
}  // namespace echotrace

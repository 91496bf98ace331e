#include "text/langid.h"

#include <gtest/gtest.h>

namespace echotrace {
namespace {

TEST(LangidTest, English) {
  const LangGuess g = DetectLanguage(
      "The city council met on Tuesday evening to discuss the new budget for schools, "
      "and several parents asked why the library would close earlier this winter.");
  EXPECT_EQ(g.code, "en");
  EXPECT_TRUE(g.reliable);
}

TEST(LangidTest, Russian) {
  const LangGuess g = DetectLanguage(
      "Вчера вечером в городском совете обсуждали новый бюджет для школ, и многие родители "
      "спрашивали, почему библиотека этой зимой будет закрываться раньше.");
  EXPECT_EQ(g.code, "ru");
  EXPECT_TRUE(g.reliable);
}

TEST(LangidTest, Ukrainian) {
  const LangGuess g = DetectLanguage(
      "Учора ввечері міська рада обговорювала новий бюджет для шкіл, і чимало батьків "
      "питали, чому бібліотека цієї зими зачинятиметься раніше, ніж зазвичай.");
  EXPECT_EQ(g.code, "uk");
  EXPECT_TRUE(g.reliable);
}

TEST(LangidTest, EntitiesDoNotCount) {
  // Mostly English-looking noise around a Russian sentence.
  const LangGuess g = DetectLanguage(
      "@breaking_news_world @daily_update https://www.example.com/world/news/today "
      "Сегодня утром в центре города открылась новая выставка современного искусства "
      "#news #world #breaking #today");
  EXPECT_EQ(g.code, "ru");
}

TEST(LangidTest, TooShortOrNoTextIsUnd) {
  for (const char* s : {"", "ok", "lol 😂", "https://example.com/some/long/english/path",
                        "@someone #something", "12345 67890", "!!! ??? ..."}) {
    const LangGuess g = DetectLanguage(s);
    EXPECT_EQ(g.code, "und") << s;
    EXPECT_FALSE(g.reliable) << s;
  }
}

TEST(LangidTest, ChineseIsZh) {
  const LangGuess g = DetectLanguage(
      "昨天晚上市议会讨论了学校的新预算，许多家长询问为什么图书馆今年冬天要提前关门。");
  EXPECT_EQ(g.code, "zh");
}

}  // namespace
}  // namespace echotrace

// StrCat("d", 12, "-", name): the pieces appended to one string.
//
// Why not `"d" + std::to_string(12)`: operator+ on a literal and a
// temporary string inserts at the temporary's front, and GCC 12 at -O3
// reports a bogus -Wrestrict inside std::string there (GCC bug 105329),
// which -Werror turns into a failed Release build. Appending does not.
#ifndef ECHOTRACE_UTIL_STR_CAT_H_
#define ECHOTRACE_UTIL_STR_CAT_H_

#include <string>
#include <string_view>
#include <type_traits>

namespace echotrace {

namespace str_cat_internal {

template <typename T>
void Append(std::string* out, const T& piece) {
  if constexpr (std::is_same_v<T, char>) {
    out->push_back(piece);
  } else if constexpr (std::is_arithmetic_v<T>) {
    out->append(std::to_string(piece));
  } else {
    out->append(std::string_view(piece));
  }
}

}  // namespace str_cat_internal

// Strings, string views, literals and characters as they are; numbers as
// std::to_string writes them.
template <typename... Pieces>
std::string StrCat(const Pieces&... pieces) {
  std::string out;
  (str_cat_internal::Append(&out, pieces), ...);
  return out;
}

}  // namespace echotrace

#endif  // ECHOTRACE_UTIL_STR_CAT_H_

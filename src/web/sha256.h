// SHA-256 (FIPS 180-4) and base64 (RFC 4648), for the Content-Security-Policy
// hash of the report's inline script: the browser runs the script only when
// the base64 of its SHA-256 matches the one in the policy, so an injected
// script element, whatever its origin, stays inert. Written here rather than
// linked from a crypto library: it is the only digest echotrace needs, and
// it is checked against the FIPS 180-4 test vectors (sha256_test.cc).
// Pure functions, thread-safe.
#ifndef ECHOTRACE_WEB_SHA256_H_
#define ECHOTRACE_WEB_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace echotrace::web {

// The 32-byte digest of `data`.
std::array<uint8_t, 32> Sha256(std::string_view data);

// Lower-case hex of a digest (for tests and logs).
std::string HexOf(const std::array<uint8_t, 32>& digest);

// Standard base64 with '=' padding (RFC 4648 section 4).
std::string Base64(std::string_view bytes);

}  // namespace echotrace::web

#endif  // ECHOTRACE_WEB_SHA256_H_

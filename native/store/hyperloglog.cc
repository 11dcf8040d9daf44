// HyperLogLog representation and estimator (hyperloglog.h). The sparse editing follows
// Redis's rules step by step (which opcode a change splits, how neighbours merge
// afterwards) because the bytes are visible: GET returns them and redis-server must read
// them back the same.
//
// Corrupt input (any bytes can be SET) never reads or writes outside the value: a read
// past the end of a sparse value sees a zero byte, as Redis sees the string's terminator.
#include "store/hyperloglog.h"

#include <cmath>
#include <cstring>

namespace gearsd::store::hll {

namespace {

constexpr int kP = 14;
constexpr int kQ = 64 - kP;
constexpr uint64_t kSeed = 0xadc83b19ULL;
constexpr int kRegisterMax = 63;
constexpr int kValMaxValue = 32;
constexpr int kValMaxLen = 4;
constexpr int kZeroMaxLen = 64;
constexpr int kXzeroMaxLen = 16384;
constexpr double kAlphaInf = 0.721347520444481703680;  // 0.5 / ln(2)

// ---- sparse opcodes ----
bool isZero(uint8_t op) { return (op & 0xc0) == 0; }
bool isXzero(uint8_t op) { return (op & 0xc0) == 0x40; }
bool isVal(uint8_t op) { return op & 0x80; }
int zeroLen(uint8_t op) { return (op & 0x3f) + 1; }
int xzeroLen(uint8_t op, uint8_t next) { return (((op & 0x3f) << 8) | next) + 1; }
int valValue(uint8_t op) { return ((op >> 2) & 0x1f) + 1; }
int valLen(uint8_t op) { return (op & 0x3) + 1; }
uint8_t valOp(int value, int len) { return static_cast<uint8_t>(((value - 1) << 2 | (len - 1)) | 0x80); }
uint8_t zeroOp(int len) { return static_cast<uint8_t>(len - 1); }
// Appends the one or two bytes of a run of `len` zero registers.
void putZeros(uint8_t*& out, int len) {
  if (len > kZeroMaxLen) {
    int l = len - 1;
    *out++ = static_cast<uint8_t>((l >> 8) | 0x40);
    *out++ = static_cast<uint8_t>(l & 0xff);
  } else {
    *out++ = zeroOp(len);
  }
}

// The byte at i, or 0 past the end (Redis reads its string's terminator there).
uint8_t byteAt(std::string_view v, size_t i) { return i < v.size() ? static_cast<uint8_t>(v[i]) : 0; }

// Walks a sparse value's opcodes: fn(first register, run length, value) per opcode.
template <class F>
void walkSparse(std::string_view v, F&& fn) {
  size_t p = kHeaderSize;
  long idx = 0;
  while (p < v.size()) {
    uint8_t op = static_cast<uint8_t>(v[p]);
    int run, value = 0, size = 1;
    if (isZero(op)) run = zeroLen(op);
    else if (isXzero(op)) {
      run = xzeroLen(op, byteAt(v, p + 1));
      size = 2;
    } else {
      run = valLen(op);
      value = valValue(op);
    }
    if (!fn(idx, run, value)) return;
    idx += run;
    p += static_cast<size_t>(size);
  }
}

// Redis's hllSigma and hllTau (Ertl, "New cardinality estimation algorithms for
// HyperLogLog sketches"); the loops run until the sum stops changing.
double sigma(double x) {
  if (x == 1.) return INFINITY;
  double zPrime, y = 1, z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime != z);
  return z;
}

double tau(double x) {
  if (x == 0. || x == 1.) return 0.;
  double zPrime, y = 1.0, z = 1 - x;
  do {
    x = std::sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= std::pow(1 - x, 2) * y;
  } while (zPrime != z);
  return z / 3;
}

// The estimate from a histogram of register values (Redis's hllCount).
uint64_t estimate(const int64_t* histo) {
  double m = kRegisters;
  double z = m * tau((m - static_cast<double>(histo[kQ + 1])) / m);
  for (int j = kQ; j >= 1; --j) {
    z += static_cast<double>(histo[j]);
    z *= 0.5;
  }
  z += m * sigma(static_cast<double>(histo[0]) / m);
  return static_cast<uint64_t>(static_cast<double>(std::llround(kAlphaInf * m * m / z)));
}

}  // namespace

uint64_t murmurHash64A(const void* key, size_t len, uint64_t seed) {
  const uint64_t m = 0xc6a4a7935bd1e995ULL;
  const int r = 47;
  // Redis passes the length as an int.
  uint64_t h = seed ^ (static_cast<uint64_t>(static_cast<int64_t>(static_cast<int>(len))) * m);
  const auto* data = static_cast<const uint8_t*>(key);
  const uint8_t* end = data + (len - (len & 7));
  while (data != end) {
    uint64_t k;
    std::memcpy(&k, data, 8);  // little-endian machines, as Redis's own reads
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
    data += 8;
  }
  switch (len & 7) {
    case 7: h ^= static_cast<uint64_t>(data[6]) << 48; [[fallthrough]];
    case 6: h ^= static_cast<uint64_t>(data[5]) << 40; [[fallthrough]];
    case 5: h ^= static_cast<uint64_t>(data[4]) << 32; [[fallthrough]];
    case 4: h ^= static_cast<uint64_t>(data[3]) << 24; [[fallthrough]];
    case 3: h ^= static_cast<uint64_t>(data[2]) << 16; [[fallthrough]];
    case 2: h ^= static_cast<uint64_t>(data[1]) << 8; [[fallthrough]];
    case 1:
      h ^= static_cast<uint64_t>(data[0]);
      h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

int patternLength(std::string_view element, long* index) {
  uint64_t hash = murmurHash64A(element.data(), element.size(), kSeed);
  *index = static_cast<long>(hash & (kRegisters - 1));
  hash >>= kP;
  hash |= uint64_t{1} << kQ;  // the run ends by bit Q at the latest
  return __builtin_ctzll(hash) + 1;
}

std::string emptyValue() {
  std::string v(kHeaderSize, '\0');
  std::memcpy(v.data(), "HYLL", 4);
  v[4] = static_cast<char>(kSparse);
  for (int left = kRegisters; left > 0; left -= kXzeroMaxLen) {
    uint8_t buf[2], *out = buf;
    putZeros(out, left < kXzeroMaxLen ? left : kXzeroMaxLen);
    v.append(reinterpret_cast<char*>(buf), 2);
  }
  return v;
}

bool looksValid(std::string_view v) {
  if (v.size() < kHeaderSize || v.substr(0, 4) != "HYLL") return false;
  uint8_t enc = encodingOf(v);
  if (enc > kSparse) return false;
  return enc != kDense || v.size() == kDenseSize;
}

bool cacheValid(std::string_view v) { return (static_cast<uint8_t>(v[15]) & 0x80) == 0; }

uint64_t cachedCount(std::string_view v) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; i--) n = (n << 8) | static_cast<uint8_t>(v[8 + i]);
  return n;
}

void setCachedCount(char* v, uint64_t n) {
  for (int i = 0; i < 8; i++) v[8 + i] = static_cast<char>((n >> (8 * i)) & 0xff);
}

uint8_t getRegister(const unsigned char* regs, long i) {
  unsigned long byte = static_cast<unsigned long>(i) * 6 / 8;
  unsigned fb = (static_cast<unsigned long>(i) * 6) & 7;
  unsigned long b0 = regs[byte], b1 = regs[byte + 1];
  return static_cast<uint8_t>(((b0 >> fb) | (b1 << (8 - fb))) & kRegisterMax);
}

void setRegister(unsigned char* regs, long i, uint8_t value) {
  unsigned long byte = static_cast<unsigned long>(i) * 6 / 8;
  unsigned fb = (static_cast<unsigned long>(i) * 6) & 7;
  unsigned long v = value;
  regs[byte] = static_cast<unsigned char>((regs[byte] & ~(kRegisterMax << fb)) | (v << fb));
  regs[byte + 1] = static_cast<unsigned char>((regs[byte + 1] & ~(kRegisterMax >> (8 - fb))) | (v >> (8 - fb)));
}

int denseSet(unsigned char* regs, long i, uint8_t value) {
  if (value <= getRegister(regs, i)) return 0;
  setRegister(regs, i, value);
  return 1;
}

int denseAdd(unsigned char* regs, std::string_view element) {
  long i;
  int value = patternLength(element, &i);
  return denseSet(regs, i, static_cast<uint8_t>(value));
}

bool toDense(std::string& v) {
  if (encodingOf(v) == kDense) return true;
  std::string dense(kDenseSize, '\0');
  std::memcpy(dense.data(), v.data(), kHeaderSize);  // magic and cached count
  dense[4] = static_cast<char>(kDense);
  auto* regs = reinterpret_cast<unsigned char*>(dense.data() + kHeaderSize);
  long total = 0;
  walkSparse(v, [&](long idx, int run, int value) {
    total = idx + run;
    if (!value) return true;
    if (idx + run > kRegisters) {
      total = -1;  // a run past the last register: corrupt
      return false;
    }
    for (int k = 0; k < run; k++) setRegister(regs, idx + k, static_cast<uint8_t>(value));
    return true;
  });
  if (total != kRegisters) return false;
  v.swap(dense);
  return true;
}

int set(std::string& v, long index, uint8_t count, size_t sparseMaxBytes) {
  if (encodingOf(v) == kDense) return denseSet(reinterpret_cast<unsigned char*>(v.data() + kHeaderSize), index, count);
  auto promote = [&] {
    if (!toDense(v)) return -1;
    return denseSet(reinterpret_cast<unsigned char*>(v.data() + kHeaderSize), index, count);
  };
  if (count > kValMaxValue) return promote();

  // Step 1: find the opcode that covers the register, and the one before it.
  const size_t npos = std::string::npos;
  size_t p = kHeaderSize, prev = npos, end = v.size();
  long first = 0, span = 0;
  while (p < end) {
    uint8_t op = static_cast<uint8_t>(v[p]);
    size_t size = 1;
    if (isZero(op)) span = zeroLen(op);
    else if (isVal(op)) span = valLen(op);
    else {
      span = xzeroLen(op, byteAt(v, p + 1));
      size = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += size;
    first += span;
  }
  if (span == 0 || p >= end) return -1;

  uint8_t op = static_cast<uint8_t>(v[p]);
  size_t opSize = isXzero(op) ? 2 : 1;
  bool last = p + opSize >= end;  // nothing follows the opcode

  // Step 2: the trivial cases change one byte in place.
  bool changed = false;
  if (isVal(op)) {
    if (valValue(op) >= count) return 0;
    if (valLen(op) == 1) {
      v[p] = static_cast<char>(valOp(count, 1));
      changed = true;
    }
  } else if (isZero(op) && zeroLen(op) == 1) {
    v[p] = static_cast<char>(valOp(count, 1));
    changed = true;
  }

  if (!changed) {
    // The general case splits the opcode in up to three: the registers before ours, ours,
    // the registers after, each run keeping its old value.
    uint8_t seq[5], *out = seq;
    long lastReg = first + span - 1;
    if (isVal(op)) {
      int cur = valValue(op);
      if (index != first) *out++ = valOp(cur, static_cast<int>(index - first));
      *out++ = valOp(count, 1);
      if (index != lastReg) *out++ = valOp(cur, static_cast<int>(lastReg - index));
    } else {
      if (index != first) putZeros(out, static_cast<int>(index - first));
      *out++ = valOp(count, 1);
      if (index != lastReg) putZeros(out, static_cast<int>(lastReg - index));
    }
    size_t seqLen = static_cast<size_t>(out - seq);
    long delta = static_cast<long>(seqLen) - static_cast<long>(opSize);
    // Step 3: put the sequence in place of the opcode, unless that outgrows the limit.
    if (delta > 0 && v.size() + static_cast<size_t>(delta) > sparseMaxBytes) return promote();
    size_t newSize = v.size() + static_cast<size_t>(delta);
    if (!last) {
      v.replace(p, opSize, reinterpret_cast<char*>(seq), seqLen);
    } else {
      // The opcode ends the value (an XZERO may even be cut short): what lies past the
      // new length is dropped, as Redis's length arithmetic does.
      v.resize(p);
      v.append(reinterpret_cast<char*>(seq), seqLen);
      v.resize(newSize);
    }
    end = v.size();
  }

  // Step 4: merge neighbouring VAL opcodes of equal value, looking at up to 5 opcodes
  // from the one before the change.
  p = prev != npos ? prev : kHeaderSize;
  int scan = 5;
  while (p < end && scan--) {
    uint8_t o = static_cast<uint8_t>(v[p]);
    if (isXzero(o)) {
      p += 2;
      continue;
    }
    if (isZero(o)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(static_cast<uint8_t>(v[p + 1]))) {
      uint8_t o2 = static_cast<uint8_t>(v[p + 1]);
      if (valValue(o) == valValue(o2)) {
        int len = valLen(o) + valLen(o2);
        if (len <= kValMaxLen) {
          v[p + 1] = static_cast<char>(valOp(valValue(o), len));
          v.erase(p, 1);
          end--;
          continue;  // try the merged opcode with the next one
        }
      }
    }
    p++;
  }
  invalidateCache(v.data());
  return 1;
}

int add(std::string& v, std::string_view element, size_t sparseMaxBytes) {
  long i;
  int value = patternLength(element, &i);
  return set(v, i, static_cast<uint8_t>(value), sparseMaxBytes);
}

uint64_t count(std::string_view v, bool* invalid) {
  int64_t histo[64] = {};
  if (encodingOf(v) == kDense) {
    const auto* regs = reinterpret_cast<const unsigned char*>(v.data() + kHeaderSize);
    for (long i = 0; i < kRegisters; i++) histo[getRegister(regs, i)]++;
  } else {
    long total = 0;
    walkSparse(v, [&](long idx, int run, int value) {
      histo[value] += run;
      total = idx + run;
      return true;
    });
    if (total != kRegisters && invalid) *invalid = true;
  }
  return estimate(histo);
}

uint64_t countRaw(const uint8_t* regs) {
  int64_t histo[256] = {};  // any byte value lands in range
  for (long i = 0; i < kRegisters; i++) histo[regs[i]]++;
  return estimate(histo);
}

bool mergeInto(uint8_t* max, std::string_view v) {
  if (encodingOf(v) == kDense) {
    const auto* regs = reinterpret_cast<const unsigned char*>(v.data() + kHeaderSize);
    for (long i = 0; i < kRegisters; i++) {
      uint8_t r = getRegister(regs, i);
      if (r > max[i]) max[i] = r;
    }
    return true;
  }
  long total = 0;
  walkSparse(v, [&](long idx, int run, int value) {
    total = idx + run;
    if (!value) return true;
    if (idx + run > kRegisters) {
      total = -1;
      return false;
    }
    for (int k = 0; k < run; k++)
      if (value > max[idx + k]) max[idx + k] = static_cast<uint8_t>(value);
    return true;
  });
  return total == kRegisters;
}

std::string describeSparse(std::string_view v) {
  std::string out;
  for (size_t p = kHeaderSize; p < v.size(); p++) {
    uint8_t op = static_cast<uint8_t>(v[p]);
    if (!out.empty()) out += ' ';
    if (isZero(op)) {
      out += "z:" + std::to_string(zeroLen(op));
    } else if (isXzero(op)) {
      out += "Z:" + std::to_string(xzeroLen(op, byteAt(v, p + 1)));
      p++;
    } else {
      out += "v:" + std::to_string(valValue(op)) + "," + std::to_string(valLen(op));
    }
  }
  return out;
}

}  // namespace gearsd::store::hll

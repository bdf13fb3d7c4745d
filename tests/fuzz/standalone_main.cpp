// Runs a libFuzzer target (LLVMFuzzerTestOneInput) without libFuzzer, so that every
// target also builds with g++ as a plain program and CI runs it under ASan/UBSan:
//
//   TARGET [--runs N] [--seed S] [--max-len BYTES] [--dict FILE] [--artifact-dir DIR]
//          [--max-seconds T] [--only I] PATH...
//
// 1. Replay: each PATH that is a file, and every regular file under each PATH that is a
//    directory (sorted by path), runs once. With files only and no --runs, that is all,
//    as `libfuzzer-target FILE` would do: a found input is replayed this way.
// 2. Mutation: N mutants (default 0 when only files are given, else 1000). Mutant i
//    comes from a generator seeded with (S, i) alone, so it is the same on every
//    machine and `--only i` rebuilds and runs just that one. It takes one seed and applies
//    1 to 8 of: bit flips, random bytes, inserts, deletes, duplicated ranges, a splice
//    with another seed, truncation, and hostile tokens (1e999, -0, 2^64, long digit runs,
//    deep nesting, CR/LF, NUL, invalid UTF-8, and the --dict entries, in libFuzzer's
//    dictionary format). There is no coverage feedback: this is a regression net in CI
//    and a smoke test of the harness; scripts/fuzz runs the same targets under libFuzzer.
//
// A crash (an ASan/UBSan report, std::abort, an uncaught exception, a fatal signal)
// first writes the input to DIR/crash-<target>-<i> (or -seed-<n>) and names it on stderr.
// --max-seconds stops the mutation early on a slow machine, and says so; it never fails.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));
// Provided by the sanitizer runtimes; absent (null) in a build without them.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

// Under g++, UBSan is a runtime of its own that ends the process with exit(1) on a
// finding (halt_on_error), without a signal or ASan's death callback. Asking it to abort
// instead lets the SIGABRT handler save the input; UBSAN_OPTIONS still overrides this.
extern "C" const char* __ubsan_default_options() { return "abort_on_error=1:print_stacktrace=1"; }

namespace {

using Input = std::vector<std::uint8_t>;

// --- crash artifacts ---------------------------------------------------------------------

// The input being run and where it goes if the process dies: fixed buffers, so the
// signal handler only calls async-signal-safe functions.
const std::uint8_t* g_current = nullptr;
std::size_t g_current_size = 0;
char g_artifact[4096] = {};
char g_label[128] = {};
volatile std::sig_atomic_t g_written = 0;

void write_artifact() {
  if (g_written || g_current == nullptr || g_artifact[0] == '\0') return;
  g_written = 1;
  const int fd = ::open(g_artifact, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  std::size_t done = 0;
  while (done < g_current_size) {
    const auto n = ::write(fd, g_current + done, g_current_size - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  static const char kSaved[] = "\nstandalone fuzz driver: the input (";
  static const char kAs[] = ") is saved as ";
  static const char kRun[] = "; run the target on that file alone to replay it\n";
  (void)!::write(2, kSaved, sizeof kSaved - 1);
  (void)!::write(2, g_label, std::strlen(g_label));
  (void)!::write(2, kAs, sizeof kAs - 1);
  (void)!::write(2, g_artifact, std::strlen(g_artifact));
  (void)!::write(2, kRun, sizeof kRun - 1);
}

void on_fatal_signal(int signal) {
  write_artifact();
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

// `label`: "seed N" or "mutant I" (rebuilt by the same command plus --only I).
void set_current(const Input& input, const std::string& artifact, const std::string& label) {
  g_current = input.data();
  g_current_size = input.size();
  std::snprintf(g_artifact, sizeof g_artifact, "%s", artifact.c_str());
  std::snprintf(g_label, sizeof g_label, "%s", label.c_str());
}

// --- a deterministic generator -----------------------------------------------------------

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  std::uint64_t state_;
};

// Tokens that break parsers: numbers no double or integer holds, signed zero, long digit
// runs, deep nesting, line ends, NUL, invalid UTF-8, JSON escapes of surrogates and NUL.
std::vector<std::string> builtin_tokens() {
  std::vector<std::string> t = {"1e999", "-1e999", "1e-999", "-0", "0", "-1", "1.5", "0.000001", "1E400",
                                "4294967296", "18446744073709551615", "18446744073709551616",
                                "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                                "1.7976931348623157e308", "NaN", "Infinity", "-Infinity", "0x10", "00012",
                                "null", "true", "false", "\"\"", "{}", "[]", "\"\\u0000\"", "\"\\ud800\"",
                                "\"\\uDFFF\"", "\\", "\"", ":", ",", "\r\n", "\n", "\r", "\r\n\r\n", " ", "\t",
                                std::string(1, '\0'), "\xff\xfe", "\xc3\x28", "\xed\xa0\x80", "%00", "%",
                                "chunked", "Content-Length: ", "Transfer-Encoding: chunked\r\n", "HTTP/1.1 ",
                                "4111111111111111", "=", "^", "?", ";"};
  t.push_back(std::string(400, '9'));
  t.push_back(std::string(5000, '1'));
  t.push_back(std::string(2000, '['));
  std::string objects;
  for (int i = 0; i < 600; ++i) objects += "{\"a\":";
  t.push_back(objects);
  t.push_back(std::string(70000, 'A'));
  return t;
}

// libFuzzer's dictionary format: one `name="value"` or `"value"` per line, # comments,
// \\ \" and \xNN escapes.
std::vector<std::string> load_dict(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot read dictionary " << path << "\n";
    std::exit(2);
  }
  std::string line;
  while (std::getline(in, line)) {
    const auto open = line.find('"');
    const auto close = line.rfind('"');
    if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open) continue;
    std::string value;
    for (std::size_t i = open + 1; i < close; ++i) {
      if (line[i] != '\\' || i + 1 >= close) {
        value += line[i];
      } else if (line[i + 1] == 'x' && i + 3 < close) {
        value += static_cast<char>(std::stoi(line.substr(i + 2, 2), nullptr, 16));
        i += 3;
      } else {
        value += line[++i];
      }
    }
    out.push_back(value);
  }
  return out;
}

struct Mutator {
  const std::vector<Input>& seeds;
  const std::vector<std::string>& tokens;
  std::size_t max_len;

  Input make(std::uint64_t seed, std::uint64_t index) const {
    Rng rng(seed * 0x100000001B3ULL ^ (index + 1) * 0x9E3779B97F4A7C15ULL);
    Input data = seeds.empty() ? Input{} : seeds[rng.below(seeds.size())];
    const std::size_t steps = 1 + rng.below(8);
    for (std::size_t s = 0; s < steps; ++s) mutate(rng, data);
    if (data.size() > max_len) data.resize(max_len);
    return data;
  }

  void insert(Input& data, std::size_t at, const std::string& text) const {
    data.insert(data.begin() + static_cast<std::ptrdiff_t>(std::min(at, data.size())), text.begin(), text.end());
  }

  void mutate(Rng& rng, Input& data) const {
    static constexpr std::uint8_t kBytes[] = {0x00, 0x01, 0x7F, 0x80, 0xFF, '"', '\\', '{', '}', '[', ']',
                                              ':',  ',',  '\r', '\n', ' ', '0', '9', '-', '.', 'e'};
    const std::size_t at = rng.below(data.size() + 1);
    switch (rng.below(11)) {
      case 0:  // flip a bit
        if (!data.empty()) data[rng.below(data.size())] ^= static_cast<std::uint8_t>(1U << rng.below(8));
        break;
      case 1:  // a random byte
        if (!data.empty()) data[rng.below(data.size())] = static_cast<std::uint8_t>(rng.next());
        break;
      case 2: {  // insert random bytes
        const std::size_t n = 1 + rng.below(8);
        for (std::size_t i = 0; i < n; ++i)
          data.insert(data.begin() + static_cast<std::ptrdiff_t>(std::min(at, data.size())),
                      static_cast<std::uint8_t>(rng.next()));
        break;
      }
      case 3:  // delete a range
        if (!data.empty()) {
          const std::size_t from = rng.below(data.size());
          const std::size_t n = 1 + rng.below(std::min<std::size_t>(32, data.size() - from));
          data.erase(data.begin() + static_cast<std::ptrdiff_t>(from),
                     data.begin() + static_cast<std::ptrdiff_t>(from + n));
        }
        break;
      case 4:  // duplicate a range somewhere else
        if (!data.empty()) {
          const std::size_t from = rng.below(data.size());
          const std::size_t n = 1 + rng.below(std::min<std::size_t>(64, data.size() - from));
          const Input piece(data.begin() + static_cast<std::ptrdiff_t>(from),
                            data.begin() + static_cast<std::ptrdiff_t>(from + n));
          data.insert(data.begin() + static_cast<std::ptrdiff_t>(std::min(at, data.size())), piece.begin(),
                      piece.end());
        }
        break;
      case 5:  // splice: this input's head, another seed's tail
        if (!seeds.empty()) {
          const Input& other = seeds[rng.below(seeds.size())];
          const std::size_t cut = rng.below(other.size() + 1);
          data.resize(std::min(at, data.size()));
          data.insert(data.end(), other.begin() + static_cast<std::ptrdiff_t>(cut), other.end());
        }
        break;
      case 6:  // a hostile token or a dictionary entry
      case 7:
        if (!tokens.empty()) insert(data, at, tokens[rng.below(tokens.size())]);
        break;
      case 8: {  // replace the number nearest `at` with a token
        std::size_t begin = std::min(at, data.size());
        while (begin < data.size() && !(data[begin] >= '0' && data[begin] <= '9')) ++begin;
        if (begin == data.size() || tokens.empty()) break;
        std::size_t end = begin;
        while (end < data.size() && ((data[end] >= '0' && data[end] <= '9') || data[end] == '.' || data[end] == 'e'))
          ++end;
        data.erase(data.begin() + static_cast<std::ptrdiff_t>(begin), data.begin() + static_cast<std::ptrdiff_t>(end));
        insert(data, begin, tokens[rng.below(std::min<std::size_t>(tokens.size(), 20))]);  // the numbers lead the list
        break;
      }
      case 9:  // a byte parsers care about
        data.insert(data.begin() + static_cast<std::ptrdiff_t>(std::min(at, data.size())),
                    kBytes[rng.below(sizeof kBytes)]);
        break;
      default:  // truncate
        data.resize(std::min(at, data.size()));
        break;
    }
  }
};

std::vector<std::filesystem::path> files_under(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> out;
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path))
      if (entry.is_regular_file()) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
  } else if (std::filesystem::is_regular_file(path)) {
    out.push_back(path);
  } else {
    std::cerr << "no such file or directory: " << path << "\n";
    std::exit(2);
  }
  return out;
}

Input read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Input(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void run_one(const Input& input) {
  // A copy of exactly `size` bytes, so ASan sees reads past the end of the input.
  auto* copy = new std::uint8_t[input.size() == 0 ? 1 : input.size()];
  std::copy(input.begin(), input.end(), copy);
  LLVMFuzzerTestOneInput(copy, input.size());
  delete[] copy;
}

[[noreturn]] void usage() {
  std::cerr << "usage: TARGET [--runs N] [--seed S] [--max-len BYTES] [--dict FILE] [--artifact-dir DIR]"
               " [--max-seconds T] [--only I] PATH...\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  const std::string target = std::filesystem::path(argv[0]).filename().string();
  long long runs = -1;
  std::uint64_t seed = 1;
  std::size_t max_len = 256 * 1024;
  double max_seconds = 0;
  long long only = -1;
  std::string artifact_dir = ".";
  std::vector<std::string> tokens = builtin_tokens();
  std::vector<std::filesystem::path> paths;
  bool any_directory = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (arg == "--runs") runs = std::stoll(value());
    else if (arg == "--seed") seed = std::stoull(value());
    else if (arg == "--max-len") max_len = static_cast<std::size_t>(std::stoull(value()));
    else if (arg == "--max-seconds") max_seconds = std::stod(value());
    else if (arg == "--only") only = std::stoll(value());
    else if (arg == "--artifact-dir") artifact_dir = value();
    else if (arg == "--dict") {
      auto dict = load_dict(value());
      tokens.insert(tokens.end(), dict.begin(), dict.end());
    } else if (arg.starts_with("--")) usage();
    else {
      any_directory = any_directory || std::filesystem::is_directory(arg);
      paths.emplace_back(arg);
    }
  }
  if (paths.empty()) usage();
  if (runs < 0) runs = any_directory ? 1000 : 0;

  std::signal(SIGABRT, on_fatal_signal);
  std::signal(SIGSEGV, on_fatal_signal);
  std::signal(SIGBUS, on_fatal_signal);
  std::signal(SIGFPE, on_fatal_signal);
  std::signal(SIGILL, on_fatal_signal);
  if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(write_artifact);

  std::vector<Input> seeds;
  for (const auto& path : paths)
    for (const auto& file : files_under(path)) seeds.push_back(read_file(file));
  const Mutator mutator{seeds, tokens, max_len};
  const std::string prefix = artifact_dir + "/crash-" + target + "-";

  if (only >= 0) {
    const Input input = mutator.make(seed, static_cast<std::uint64_t>(only));
    set_current(input, prefix + std::to_string(only), "mutant " + std::to_string(only));
    run_one(input);
    std::cout << target << ": mutant " << only << " (" << input.size() << " bytes) ran without a finding\n";
    return 0;
  }

  const auto begin = std::chrono::steady_clock::now();
  for (std::size_t n = 0; n < seeds.size(); ++n) {
    set_current(seeds[n], prefix + "seed-" + std::to_string(n), "seed " + std::to_string(n));
    run_one(seeds[n]);
  }
  long long done = 0;
  bool stopped_early = false;
  for (; done < runs; ++done) {
    if (max_seconds > 0 && (done & 63) == 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count() > max_seconds) {
      stopped_early = true;
      break;
    }
    const Input input = mutator.make(seed, static_cast<std::uint64_t>(done));
    set_current(input, prefix + std::to_string(done), "mutant " + std::to_string(done));
    run_one(input);
  }
  g_current = nullptr;
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begin).count();
  std::cout << target << ": " << seeds.size() << " seeds and " << done << " mutants (seed " << seed << ") in " << ms
            << " ms, no finding" << (stopped_early ? " (stopped early at --max-seconds)" : "") << "\n";
  return 0;
}

// The layering of ARCHITECTURE.md, enforced: every #include of the product and simulation
// folders is checked against tests/layering/layers.txt (the table as data). A synthetic
// tree proves the checker finds each kind of fault before the real tree is trusted to it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

enum class Kind { product, simulation };

struct Row {
  std::string folder;
  Kind kind = Kind::product;
  std::vector<std::string> allowed;    // folders or single headers
  std::vector<std::string> libraries;  // third-party header prefixes, e.g. "mbedtls/"
};

struct Table {
  std::vector<Row> rows;
  std::vector<std::string> errors;  // lines of the table that do not parse
};

// The headers of third-party libraries, by prefix: only these angle includes are checked.
constexpr std::string_view kThirdParty[] = {"mbedtls/", "boost/", "nlohmann/", "sqlite3.h", "curses.h",
                                            "ncurses.h", "term.h", "winscard.h", "reader.h", "PCSC/",
                                            "gtest/", "gmock/", "benchmark/"};
// The top-level folders whose every source file must belong to a row.
constexpr std::string_view kChecked[] = {"common", "drivers", "emv", "net", "ui", "app"};

Table parse_table(std::istream& in) {
  Table t;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    Row row;
    std::string kind;
    if (!(words >> row.folder)) continue;
    if (!(words >> kind) || (kind != "product" && kind != "simulation")) {
      t.errors.push_back("line " + std::to_string(number) + ": kind must be product or simulation");
      continue;
    }
    row.kind = kind == "product" ? Kind::product : Kind::simulation;
    for (std::string word; words >> word;) {
      if (word.front() == '<') {
        std::string lib = word.substr(1);
        if (!lib.empty() && lib.back() == '>') lib.pop_back();
        row.libraries.push_back(lib);
      } else {
        row.allowed.push_back(word);
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

// `path` is `prefix` or lies under it, component-wise.
bool under(std::string_view path, std::string_view prefix) {
  return path == prefix || (path.size() > prefix.size() && path.starts_with(prefix) && path[prefix.size()] == '/');
}

// The row a path (a file's folder, or an included header) belongs to: the longest folder.
const Row* row_of(const Table& t, std::string_view path) {
  const Row* best = nullptr;
  for (const Row& r : t.rows)
    if (under(path, r.folder) && (best == nullptr || r.folder.size() > best->folder.size())) best = &r;
  return best;
}

struct Include {
  int line = 0;
  std::string target;
  bool angle = false;
};

std::vector<Include> includes_of(const fs::path& file) {
  std::vector<Include> out;
  std::ifstream in(file);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line.compare(start, 1, "#") != 0) continue;
    const auto word = line.find_first_not_of(" \t", start + 1);
    if (word == std::string::npos || line.compare(word, 7, "include") != 0) continue;
    const auto open = line.find_first_of("\"<", word + 7);
    if (open == std::string::npos) continue;
    const char close = line[open] == '"' ? '"' : '>';
    const auto end = line.find(close, open + 1);
    if (end == std::string::npos) continue;
    out.push_back({number, line.substr(open + 1, end - open - 1), close == '>'});
  }
  return out;
}

bool is_source(const fs::path& p) {
  const auto ext = p.extension();
  return ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".c";
}

// Every fault, one line each: "file:line: what".
std::vector<std::string> check(const fs::path& root, const Table& t) {
  std::vector<std::string> faults = t.errors;
  for (std::string_view top : kChecked) {
    const fs::path dir = root / top;
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
      if (entry.is_regular_file() && is_source(entry.path())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      const std::string rel = fs::relative(file, root).generic_string();
      const std::string folder = fs::path(rel).parent_path().generic_string();
      const Row* from = row_of(t, folder);
      if (from == nullptr) {
        faults.push_back(rel + ": its folder " + folder + " has no row in the table");
        continue;
      }
      for (const Include& inc : includes_of(file)) {
        const std::string where = rel + ":" + std::to_string(inc.line) + ": " + from->folder;
        if (inc.angle) {
          const bool third_party = std::any_of(std::begin(kThirdParty), std::end(kThirdParty),
                                               [&](std::string_view p) { return inc.target.starts_with(p); });
          if (!third_party) continue;
          const bool listed = std::any_of(from->libraries.begin(), from->libraries.end(),
                                          [&](const std::string& lib) { return inc.target.starts_with(lib); });
          if (!listed) faults.push_back(where + " includes <" + inc.target + ">, a library it does not list");
          continue;
        }
        const Row* to = row_of(t, fs::path(inc.target).parent_path().generic_string());
        if (to == nullptr) {
          // Not a project path: a header beside the file ("x.hpp") is the file's own row.
          if (fs::exists(file.parent_path() / inc.target)) continue;
          faults.push_back(where + " includes \"" + inc.target + "\", which no row holds");
          continue;
        }
        if (to == from) continue;
        if (from->kind == Kind::simulation) continue;
        if (to->kind == Kind::simulation) {
          faults.push_back(where + " (product) includes simulation " + to->folder + " (\"" + inc.target + "\")");
          continue;
        }
        const bool allowed = std::any_of(from->allowed.begin(), from->allowed.end(), [&](const std::string& a) {
          return inc.target == a || under(to->folder, a);
        });
        if (!allowed) faults.push_back(where + " may not include " + to->folder + " (\"" + inc.target + "\")");
      }
    }
  }
  return faults;
}

fs::path project_root() { return fs::path(TENDER_TEST_SOURCE_DIR).parent_path(); }

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

class SyntheticTree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("tender-layering-" + std::to_string(::getpid()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  fs::path root_;
};

constexpr const char* kSmallTable = R"(
common      product
common/crypto product common <mbedtls/
emv         product common common/crypto drivers/icc/card_reader.hpp
emv/sim     simulation
drivers/icc product common
app/engine  product common emv
)";

Table small_table() {
  std::istringstream in(kSmallTable);
  return parse_table(in);
}

}  // namespace

TEST_F(SyntheticTree, AcceptsWhatTheTableAllows) {
  write("common/bytes.hpp", "#include <vector>\n");
  write("common/crypto/aead.cpp", "#include \"common/bytes.hpp\"\n#include <mbedtls/gcm.h>\n");
  write("emv/tlv.cpp", "#include \"emv/tlv.hpp\"\n#include \"common/crypto/aead.hpp\"\n#include \"drivers/icc/card_reader.hpp\"\n");
  write("emv/sim/card.cpp", "#include \"app/engine/engine.hpp\"\n");
  write("app/engine/engine.cpp", "  #  include \"emv/kernel.hpp\"\n#include \"local.hpp\"\n");
  write("app/engine/local.hpp", "");
  const auto faults = check(root_, small_table());
  EXPECT_TRUE(faults.empty()) << joined(faults);
}

TEST_F(SyntheticTree, FindsEachKindOfFault) {
  write("common/log.cpp", "#include \"common/crypto/random.hpp\"\n");                 // up the table
  write("emv/oda.cpp", "#include <mbedtls/rsa.h>\n");                                 // unlisted library
  write("emv/kernel.cpp", "#include \"drivers/icc/apdu.hpp\"\n");                    // not the listed seam
  write("app/engine/engine.cpp", "\n#include \"emv/sim/cryptogram.hpp\"\n");          // product -> simulation
  write("ui/screen.cpp", "#include \"common/bytes.hpp\"\n");                          // no row
  write("app/engine/x.cpp", "#include \"nowhere/thing.hpp\"\n");                     // no row holds it
  const auto faults = check(root_, small_table());
  const std::string text = joined(faults);
  EXPECT_EQ(faults.size(), 6u) << text;
  EXPECT_NE(text.find("common/log.cpp:1: common may not include common/crypto"), std::string::npos) << text;
  EXPECT_NE(text.find("emv/oda.cpp:1: emv includes <mbedtls/rsa.h>"), std::string::npos) << text;
  EXPECT_NE(text.find("emv/kernel.cpp:1: emv may not include drivers/icc"), std::string::npos) << text;
  EXPECT_NE(text.find("app/engine/engine.cpp:2: app/engine (product) includes simulation emv/sim"), std::string::npos)
      << text;
  EXPECT_NE(text.find("ui/screen.cpp: its folder ui has no row"), std::string::npos) << text;
  EXPECT_NE(text.find("app/engine/x.cpp:1: app/engine includes \"nowhere/thing.hpp\""), std::string::npos) << text;
}

TEST(Layering, TheTableParses) {
  std::ifstream in(fs::path(TENDER_TEST_SOURCE_DIR) / "layering" / "layers.txt");
  ASSERT_TRUE(in) << "tests/layering/layers.txt is missing";
  const Table t = parse_table(in);
  EXPECT_TRUE(t.errors.empty()) << joined(t.errors);
  EXPECT_GE(t.rows.size(), 20u);
}

TEST(Layering, EveryIncludeOfTheTreeFollowsTheTable) {
  std::ifstream in(fs::path(TENDER_TEST_SOURCE_DIR) / "layering" / "layers.txt");
  ASSERT_TRUE(in);
  const auto faults = check(project_root(), parse_table(in));
  EXPECT_TRUE(faults.empty()) << faults.size() << " include(s) break the layering:\n" << joined(faults);
}

#include "app/tenderctl/cli.hpp"

namespace tender::ctl {

std::optional<std::string_view> Args::option(std::string_view name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return std::string_view{it->second};
}

Result<std::string_view> Args::required(std::string_view name) const {
  if (auto v = option(name)) return *v;
  return make_error(Errc::invalid_argument, "missing option " + std::string(name));
}

Result<Args> parse_args(const std::vector<std::string>& words,
                        const std::set<std::string, std::less<>>& allowed,
                        const std::set<std::string, std::less<>>& flags) {
  Args args;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.size() > 2 && w.starts_with("--")) {
      if (flags.contains(w)) {
        if (!args.flags.insert(w).second) return make_error(Errc::invalid_argument, "option " + w + " given twice");
        continue;
      }
      if (!allowed.contains(w)) return make_error(Errc::invalid_argument, "unknown option " + w);
      if (i + 1 >= words.size()) return make_error(Errc::invalid_argument, "option " + w + " needs a value");
      if (!args.options.emplace(w, words[i + 1]).second)
        return make_error(Errc::invalid_argument, "option " + w + " given twice");
      ++i;
    } else {
      args.positional.push_back(w);
    }
  }
  return args;
}

}  // namespace tender::ctl

// The web front end's static files (app/emu/web/), compiled into tender-emu by
// cmake/embed_files.cmake: the binary serves the page wherever it runs (the build tree, a
// package, a copy on a bench machine) with no installed path to find and no version skew
// between the page and the server that speaks to it.
#pragma once

#include <span>
#include <string_view>

namespace tender::app::emu {

struct WebAsset {
  std::string_view path;  // "/index.html"
  std::string_view type;  // its Content-Type
  std::string_view body;
};

std::span<const WebAsset> web_assets() noexcept;

}  // namespace tender::app::emu

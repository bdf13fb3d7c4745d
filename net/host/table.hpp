// Code tables as constexpr arrays of pairs (tables over if-chains), and their one lookup.
#pragma once

#include <optional>

namespace tender::net::host {

template <class Table, class Key>
constexpr auto table_lookup(const Table& table, const Key& key) -> std::optional<typename Table::value_type::second_type> {
  for (const auto& [k, v] : table) {
    if (k == key) return v;
  }
  return std::nullopt;
}

}  // namespace tender::net::host

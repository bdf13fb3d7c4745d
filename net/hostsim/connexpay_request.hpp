// What ConnexPay's handlers share to read a request: amounts, times, the amount rules.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "net/hostsim/connexpay_constants.hpp"
#include "net/hostsim/json_util.hpp"

namespace tender::net::hostsim::connexpay {

// A decimal-dollar amount: a JSON number with at most two decimals, or [SIM] the same as a
// string (Json.NET binds "1500" to a decimal; H's C# sample sends Amount = "1500", L721).
// nullopt when absent; an error when present and not an amount (a 400).
Result<std::optional<std::int64_t>> amount_member(const Json& body, std::string_view key);

// The Sale/AuthOnly/Return/NewAmount rules on an amount ($0.50 .. $999,999.99); `not_positive`
// names the transaction in "The (transaction) amount must be greater than zero".
std::optional<Rule> amount_rule(std::int64_t minor, Rule not_positive = Rule::amount_not_positive);

// "2025-01-09T13:27:50.0330992Z" (the Ledger's created_at) -> a time point.
std::optional<std::chrono::system_clock::time_point> parse_time(std::string_view rfc3339);

}  // namespace tender::net::hostsim::connexpay

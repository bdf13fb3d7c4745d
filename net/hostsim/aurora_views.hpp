// Aurora response bodies, in the document's shapes (aurora-arise.md §3 and §7).
#pragma once

#include <string_view>

#include "net/hostsim/aurora_constants.hpp"
#include "net/hostsim/json_util.hpp"
#include "net/hostsim/store.hpp"

namespace tender::net::hostsim::aurora {

// The authorization result (E3) of auth, sale and return.
Json authorization_result(const Txn& txn, IdName type);
// The generic transaction result (E6) of capture, void and tip adjustment.
Json operation_result(const Txn& txn, IdName type, std::string_view date_time);
// The transaction detail (E11), trimmed to what the simulator knows.
Json detail(const Txn& txn);
// One item of the list (E1).
Json list_item(const Txn& txn);
// Error body: ASP.NET problem-details style, as Appendix A describes (title, details,
// exceptionType, correlation id); the document itself shows no error body.
Json error_body(int status, std::string_view details);

}  // namespace tender::net::hostsim::aurora

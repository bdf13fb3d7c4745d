// The simulator's answer is net/http's ServerAction: the core decides it without
// sockets, the HTTPS server carries it out.
#pragma once

#include "net/http/server_action.hpp"

namespace tender::net::hostsim {

using ServerAction = http::ServerAction;

}  // namespace tender::net::hostsim

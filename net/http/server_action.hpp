// What a server does with one request: answer now, close without answering, stay
// silent (the client's deadline fires), or answer later. A plain value, so the host
// simulator's core decides it without sockets and net/http's server carries it out.
#pragma once

#include <chrono>

#include "net/http/message.hpp"

namespace tender::net::http {

struct ServerAction {
  enum class Kind {
    respond,           // send `response`
    close_connection,  // close without answering
    no_answer,         // keep the connection open, never answer; the server closes it after read_timeout
    delay,             // send `response` after `after`
  };
  Kind kind = Kind::respond;
  Response response;
  std::chrono::milliseconds after{0};

  static ServerAction respond(Response r) { return {Kind::respond, std::move(r), {}}; }
  static ServerAction close_connection() { return {Kind::close_connection, {}, {}}; }
  static ServerAction no_answer() { return {Kind::no_answer, {}, {}}; }
  static ServerAction delay(std::chrono::milliseconds ms, Response r) { return {Kind::delay, std::move(r), ms}; }
};

}  // namespace tender::net::http

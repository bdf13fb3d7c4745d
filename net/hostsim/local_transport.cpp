#include "net/hostsim/local_transport.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace tender::net::hostsim {

struct LocalTransport::Impl {
  explicit Impl(boost::asio::io_context& context) : io(context) {}
  boost::asio::io_context& io;
};

LocalTransport::LocalTransport(boost::asio::io_context& io, HostSimulator& sim)
    : impl_(std::make_shared<Impl>(io)), sim_(sim) {}

LocalTransport::~LocalTransport() = default;

void LocalTransport::async_send(http::Request request, std::chrono::milliseconds deadline,
                                http::ResponseHandler handler) {
  auto& io = impl_->io;
  // Handlers always run later, never inside async_send, as a socket's would.
  auto complete_later = [&io](std::chrono::milliseconds after, http::ResponseHandler h, Result<http::Response> r) {
    auto timer = std::make_shared<boost::asio::steady_timer>(io, after);
    timer->async_wait([timer, h = std::move(h), r = std::move(r)](const boost::system::error_code&) mutable {
      h(std::move(r));
    });
  };
  if (unreachable_) {
    complete_later(std::chrono::milliseconds{0}, std::move(handler),
                   make_error(Errc::io_error, "connect: connection refused (host unreachable)"));
    return;
  }
  ++delivered_;
  if (observer_) observer_(request);
  ServerAction action = sim_.handle(request);
  if (lose_ > 0) {
    --lose_;
    complete_later(std::chrono::milliseconds{0}, std::move(handler),
                   make_error(Errc::io_error, "connection lost before the answer arrived"));
    return;
  }
  const auto timeout = [] { return make_error(Errc::timeout, "no answer before the deadline"); };
  switch (action.kind) {
    case ServerAction::Kind::respond:
      complete_later(std::chrono::milliseconds{0}, std::move(handler), std::move(action.response));
      return;
    case ServerAction::Kind::close_connection:
      complete_later(std::chrono::milliseconds{0}, std::move(handler),
                     make_error(Errc::io_error, "the server closed the connection without answering"));
      return;
    case ServerAction::Kind::no_answer:
      complete_later(deadline, std::move(handler), timeout());
      return;
    case ServerAction::Kind::delay:
      if (action.after < deadline) {
        complete_later(action.after, std::move(handler), std::move(action.response));
      } else {
        complete_later(deadline, std::move(handler), timeout());
      }
      return;
  }
}

}  // namespace tender::net::hostsim

#include "net/tls/stream.hpp"

#include <boost/asio/error.hpp>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <cstring>

namespace tender::net::tls {
namespace {

class MbedtlsCategory : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "mbedtls"; }
  std::string message(int value) const override { return describe_mbedtls_error(-value); }
};

}  // namespace

const boost::system::error_category& mbedtls_category() noexcept {
  static const MbedtlsCategory category;
  return category;
}

struct Stream::Ssl {
  mbedtls_ssl_context ctx;
  Ssl() { mbedtls_ssl_init(&ctx); }
  ~Ssl() { mbedtls_ssl_free(&ctx); }
  Ssl(const Ssl&) = delete;
  Ssl& operator=(const Ssl&) = delete;
};

Stream::Stream(tcp::socket socket, std::shared_ptr<Context> context, std::string server_name)
    : socket_(std::move(socket)), context_(std::move(context)), server_name_(std::move(server_name)),
      ssl_(std::make_unique<Ssl>()) {}

Stream::~Stream() = default;

Result<std::unique_ptr<Stream>> Stream::make(tcp::socket socket, std::shared_ptr<Context> context,
                                             std::string server_name) {
  if (!context) return make_error(Errc::invalid_argument, "TLS stream without a context");
  std::unique_ptr<Stream> s(new Stream(std::move(socket), std::move(context), std::move(server_name)));
  int rc = mbedtls_ssl_setup(&s->ssl_->ctx, s->context_->config());
  if (rc != 0) return make_error(Errc::crypto_error, "TLS setup: " + describe_mbedtls_error(rc));
  if (s->context_->role() == Role::client) {
    if (s->server_name_.empty()) return make_error(Errc::invalid_argument, "TLS client needs a server name");
    rc = mbedtls_ssl_set_hostname(&s->ssl_->ctx, s->server_name_.c_str());
    if (rc != 0) return make_error(Errc::invalid_argument, "TLS server name: " + describe_mbedtls_error(rc));
    s->context_->offer_session(s->server_name_, &s->ssl_->ctx);
  }
  mbedtls_ssl_set_bio(&s->ssl_->ctx, s.get(), &Stream::bio_send, &Stream::bio_recv, nullptr);
  return s;
}

int Stream::bio_send(void* self, const unsigned char* buf, std::size_t len) {
  auto* s = static_cast<Stream*>(self);
  s->output_.insert(s->output_.end(), buf, buf + len);
  return static_cast<int>(len);
}

int Stream::bio_recv(void* self, unsigned char* buf, std::size_t len) {
  auto* s = static_cast<Stream*>(self);
  const std::size_t available = s->input_.size() - s->input_pos_;
  if (available == 0) return MBEDTLS_ERR_SSL_WANT_READ;
  const std::size_t n = std::min({available, len, std::size_t{INT32_MAX}});
  std::memcpy(buf, s->input_.data() + s->input_pos_, n);
  s->input_pos_ += n;
  if (s->input_pos_ == s->input_.size()) {
    s->input_.clear();
    s->input_pos_ = 0;
  }
  return static_cast<int>(n);
}

std::string Stream::verify_failure() const {
  const std::uint32_t flags = mbedtls_ssl_get_verify_result(&ssl_->ctx);
  if (flags == 0 || flags == static_cast<std::uint32_t>(-1)) return {};
  std::array<char, 512> text{};
  if (mbedtls_x509_crt_verify_info(text.data(), text.size(), "", flags) < 0) return "certificate refused";
  std::string out(text.data());
  if ((flags & MBEDTLS_X509_BADCERT_OTHER) != 0) out = "server public key does not match the pin\n" + out;
  for (auto& c : out)
    if (c == '\n') c = ';';
  while (!out.empty() && (out.back() == ';' || out.back() == ' ')) out.pop_back();
  return out;
}

int Stream::step(Kind kind, void* data, std::size_t size) {
  auto* ctx = &ssl_->ctx;
  switch (kind) {
    case Kind::handshake: {
      int rc = mbedtls_ssl_handshake(ctx);
      if (rc == 0 && context_->role() == Role::client) resumed_ = context_->save_session(server_name_, ctx);
      if (rc != 0 && rc != MBEDTLS_ERR_SSL_WANT_READ && rc != MBEDTLS_ERR_SSL_WANT_WRITE &&
          context_->role() == Role::client)
        context_->forget_session(server_name_);
      return rc;
    }
    case Kind::read:
      return mbedtls_ssl_read(ctx, static_cast<unsigned char*>(data), size);
    case Kind::write:
      return mbedtls_ssl_write(ctx, static_cast<const unsigned char*>(data), size);
    case Kind::close_notify:
      return mbedtls_ssl_close_notify(ctx);
  }
  return MBEDTLS_ERR_SSL_BAD_INPUT_DATA;
}

std::pair<error_code, std::size_t> Stream::outcome(Kind kind, int result, std::size_t size) {
  if (result >= 0) {
    if (kind == Kind::read && result == 0 && size > 0) return {boost::asio::error::eof, 0};
    return {{}, static_cast<std::size_t>(result)};
  }
  if (result == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) return {boost::asio::error::eof, 0};
  return {error_code(-result, mbedtls_category()), 0};
}

}  // namespace tender::net::tls

#include "net/aurora/aurora_adapter.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "common/log.hpp"
#include "net/aurora/aurora_api.hpp"
#include "net/aurora/aurora_mapping.hpp"
#include "net/host/json_edge.hpp"

namespace tender::net::aurora {
namespace {

constexpr std::string_view kLog = "aurora";
// A token lifetime the OAuth host states beyond a day is taken as a day: adding it to
// steady_clock's nanoseconds then cannot overflow (expires_in 2^63-1 did, which is UB),
// and a token that lives longer is only fetched again early.
constexpr std::uint64_t kMaxTokenLifetimeSeconds = 24 * 60 * 60;

bool url_safe(std::string_view text) {
  for (char c : text) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
                    c == '_' || c == '.' || c == '~';
    if (!ok) return false;
  }
  return !text.empty();
}

// application/x-www-form-urlencoded (HTML form encoding: space is '+').
std::string form_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (url_safe(std::string_view(&c, 1))) {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
  return out;
}

http::Request json_request(http::Method method, std::string target, std::string body) {
  http::Request request;
  request.method = method;
  request.target = std::move(target);
  request.body = std::move(body);
  request.set_header("Accept", "application/json");
  if (method != http::Method::get) request.set_header("Content-Type", "application/json");
  return request;
}

}  // namespace

AuroraAdapter::AuroraAdapter(http::Transport& api, http::Transport& oauth, AuroraConfig config, Clock clock)
    : api_(api), oauth_(oauth), config_(std::move(config)), clock_(std::move(clock)) {}

void AuroraAdapter::with_token(TokenHandler done) {
  if (!token_.empty() && clock_() + config_.token_margin < token_expiry_) {
    done(ok());
    return;
  }
  token_waiters_.push_back(std::move(done));
  if (token_waiters_.size() == 1) fetch_token();
}

void AuroraAdapter::fetch_token() {
  http::Request request;
  request.method = http::Method::post;
  request.target = std::string(api::kTokenPath);
  request.set_header("Content-Type", "application/x-www-form-urlencoded");
  request.set_header("Accept", "application/json");
  request.body = std::string(api::kGrantType) + "=" + std::string(api::kClientCredentials) + "&" +
                 std::string(api::kClientId) + "=" + form_encode(config_.client_id) + "&" +
                 std::string(api::kClientSecret) + "=" + form_encode(config_.client_secret.reveal());
  oauth_.async_send(std::move(request), config_.deadline, [this](Result<http::Response> response) {
    Result<void> outcome = ok();
    if (!response) {
      outcome = make_error(response.error().code, "Aurora token request failed: " + response.error().message);
    } else if (response->status != 200) {
      outcome = make_error(Errc::io_error, "Aurora token request refused with HTTP " + std::to_string(response->status));
    } else {
      auto json = host::parse_json(response->body);
      const bool good = json && json->is_object() && json->contains(std::string(api::kAccessToken)) &&
                        (*json)[std::string(api::kAccessToken)].is_string() &&
                        json->contains(std::string(api::kExpiresIn)) &&
                        (*json)[std::string(api::kExpiresIn)].is_number_unsigned();
      if (!good) {
        outcome = make_error(Errc::malformed, "Aurora token response lacks access_token or expires_in");
      } else {
        token_ = SecretString((*json)[std::string(api::kAccessToken)].get<std::string>());
        const auto seconds =
            std::min((*json)[std::string(api::kExpiresIn)].get<std::uint64_t>(), kMaxTokenLifetimeSeconds);
        token_expiry_ = clock_() + std::chrono::seconds(static_cast<std::int64_t>(seconds));
        log::info(kLog, "OAuth token obtained, valid ", seconds, " s");
      }
    }
    auto waiters = std::move(token_waiters_);
    token_waiters_.clear();
    for (auto& waiter : waiters) waiter(outcome);
  });
}

void AuroraAdapter::send(http::Request request, ExchangeHandler done, bool retried) {
  with_token([this, request = std::move(request), done = std::move(done), retried](Result<void> token) mutable {
    if (!token) {
      done(Exchange{std::move(token).error(), false});
      return;
    }
    http::Request copy = request;  // kept for the one retry after a 401
    copy.set_header("Authorization", "Bearer " + std::string(token_.reveal()));
    api_.async_send(std::move(copy), config_.deadline,
                    [this, request = std::move(request), done = std::move(done), retried](Result<http::Response> response) mutable {
                      if (response && response->status == 401 && !retried) {
                        log::warn(kLog, "HTTP 401: fetching a new OAuth token and sending once more");
                        token_.clear();
                        send(std::move(request), std::move(done), true);
                        return;
                      }
                      done(Exchange{std::move(response), true});
                    });
  });
}

void AuroraAdapter::get(std::string target, ExchangeHandler done) {
  send(json_request(http::Method::get, std::move(target), {}), std::move(done));
}

void AuroraAdapter::get_detail(const std::string& id, DetailHandler done) {
  if (!url_safe(id)) {
    done(make_error(Errc::invalid_argument, "a host reference must be URL-safe"));
    return;
  }
  get(std::string(api::kTransactionsPath) + "/" + id, [this, done = std::move(done)](Exchange exchange) {
    if (!exchange.response) {
      done(std::move(exchange.response).error());
      return;
    }
    const http::Response& response = *exchange.response;
    if (response.status == 404) {
      done(make_error(Errc::not_found, "Aurora has no such transaction"));
      return;
    }
    if (response.status < 200 || response.status >= 300) {
      done(make_error(Errc::io_error, "Aurora answered HTTP " + std::to_string(response.status)));
      return;
    }
    done(parse_detail(response.body, config_.currency));
  });
}

// One HTTP answer to a transaction request, as the seam's contract reads it: 4xx refused
// (nothing charged), 5xx unknown, 200 decided by its body; a 200 body that cannot be read is
// unknown, never an error: the host may have charged the card (recover). The host's error text
// and correlation id are kept for the merchant and for the host's support.
host::HostResult AuroraAdapter::transaction_answer(const http::Response& response, host::Operation operation) const {
  host::HostResult result;
  if (auto outcome = host::outcome_for_http_status(response.status)) {
    result.outcome = *outcome;
    result.response_code = std::to_string(response.status);
    read_error_body(response.body, result);
  } else if (auto parsed = parse_transaction_result(response.body, config_.currency, operation)) {
    result = std::move(*parsed);
  } else {
    log::warn(kLog, "HTTP ", response.status, " answer unreadable (", to_string(parsed.error().code), "): outcome unknown");
    result.outcome = host::Outcome::unknown;
    result.response_code = std::to_string(response.status);
    result.response_message = "unreadable answer: " + parsed.error().message;
  }
  result.trace_id = correlation_id(response);
  return result;
}

void AuroraAdapter::post_transaction(std::string_view path, Result<std::string> body, host::Operation operation,
                                     host::ResultHandler handler) {
  if (!body) {
    handler(std::move(body).error());
    return;
  }
  send(json_request(http::Method::post, std::string(path), std::move(body).value()),
       [this, operation, handler = std::move(handler)](Exchange exchange) mutable {
         if (!exchange.response) {
           if (!exchange.sent) {
             handler(std::move(exchange.response).error());
           } else {
             log::warn(kLog, "transport failure: ", to_string(exchange.response.error().code));
             handler(host::unknown_after_transport_error(exchange.response.error()));
           }
           return;
         }
         log::info(kLog, "HTTP ", exchange.response->status);
         handler(transaction_answer(*exchange.response, operation));
       });
}

void AuroraAdapter::authorize(host::AuthorizationRequest request, host::ResultHandler handler) {
  post_transaction(api::kAuthPath, authorization_body(request, AuthKind::auth, config_.payment_processor_id),
                   host::Operation::authorize, std::move(handler));
}

void AuroraAdapter::sale(host::AuthorizationRequest request, host::ResultHandler handler) {
  post_transaction(api::kSalePath, authorization_body(request, AuthKind::sale, config_.payment_processor_id),
                   host::Operation::sale, std::move(handler));
}

void AuroraAdapter::verify(host::AuthorizationRequest, host::ResultHandler handler) {
  handler(make_error(Errc::unsupported, "Aurora has no account verification"));
}

// `amount` is required (IOS L1473 CaptureRequestDto, no `?`; AND makes it nullable: sending
// it is valid under both). Without one from the engine, the original's capturable amount comes
// from its record (availableOperations Capture availableAmount: "must not exceed the remaining
// authorized amount", IOS swiftdoc captureTransaction), else its total. A failed read sent nothing.
void AuroraAdapter::capture(host::CaptureRequest request, host::ResultHandler handler) {
  if (request.amount) {
    post_transaction(api::kCapturePath, capture_body(request, *request.amount), host::Operation::capture,
                     std::move(handler));
    return;
  }
  const std::string id = request.host_reference;
  get_detail(id, [this, request = std::move(request), handler = std::move(handler)](Result<Record> record) mutable {
    if (!record) {
      handler(make_error(record.error().code, "capture amount unknown: " + record.error().message));
      return;
    }
    const std::optional<Money> amount = record->capturable ? record->capturable : record->total;
    if (!amount) {
      handler(make_error(Errc::invalid_argument, "capture amount unknown: the host's record shows none"));
      return;
    }
    post_transaction(api::kCapturePath, capture_body(request, *amount), host::Operation::capture, std::move(handler));
  });
}

void AuroraAdapter::void_(host::VoidRequest request, host::ResultHandler handler) {
  const std::string id = request.host_reference;
  post_transaction(api::kVoidPath, void_body(request), host::Operation::void_,
                   [this, id, handler = std::move(handler)](Result<host::HostResult> r) mutable {
                     if (r && r->outcome == host::Outcome::error && r->response_code != "401") {
                       classify_void_refusal(id, std::move(*r), std::move(handler));
                       return;
                     }
                     handler(std::move(r));
                   });
}

// The documents name no error code for "already settled". The host's own record says it: a
// void is for "an in-flight or same-day authorization or sale" and a refund "for a settled
// transaction" (IOS swiftdoc voidTransaction / refundTransaction), so a refused void of a
// transaction whose status is Settled, or whose availableOperations offer a Refund and no
// Void, is Refusal::already_settled (the engine refunds instead). Unread: left as refused.
void AuroraAdapter::classify_void_refusal(const std::string& id, host::HostResult refused, host::ResultHandler handler) {
  get_detail(id, [refused = std::move(refused), handler = std::move(handler)](Result<Record> record) mutable {
    if (record && (record->status == api::kStatusSettled || (record->refundable && !record->voidable))) {
      refused.refusal = host::Refusal::already_settled;
    }
    handler(std::move(refused));
  });
}

void AuroraAdapter::refund(host::RefundRequest request, host::ResultHandler handler) {
  post_transaction(api::kReturnPath, return_body(request), host::Operation::refund, std::move(handler));
}

void AuroraAdapter::tip_adjust(host::TipAdjustRequest request, host::ResultHandler handler) {
  post_transaction(api::kTipAdjustPath, tip_adjust_body(request), host::Operation::tip_adjust, std::move(handler));
}

void AuroraAdapter::settle(host::SettleRequest request, host::Handler<host::SettleResult> handler) {
  const std::string owner = request.batch_owner.empty() ? config_.payment_processor_id : request.batch_owner;
  if (owner.empty()) {
    handler(make_error(Errc::invalid_argument, "no paymentProcessorId to settle"));
    return;
  }
  send(json_request(http::Method::post, std::string(api::kSettlePath), settle_body(owner)),
       [handler = std::move(handler)](Exchange exchange) {
         if (!exchange.response) {
           handler(std::move(exchange.response).error());
           return;
         }
         if (exchange.response->status < 200 || exchange.response->status >= 300) {
           host::HostResult refused;
           refused.response_code = std::to_string(exchange.response->status);
           read_error_body(exchange.response->body, refused);
           handler(host::SettleResult{false, refused.response_code, refused.response_message});
           return;
         }
         handler(parse_settle_result(exchange.response->body));
       });
}

void AuroraAdapter::calculate_amount(host::CalculateAmountRequest request,
                                     host::Handler<host::CalculateAmountResult> handler) {
  const auto currency_id = api::table_lookup(api::kCurrencyId, request.base_amount.currency().alpha);
  if (!currency_id) {
    handler(make_error(Errc::unsupported, "Aurora has no currencyId for this currency"));
    return;
  }
  // Appended piece by piece: `"&" + std::string(...)` inserts at the front, which g++ 12 at -O2
  // misreads as an overlapping memcpy (-Wrestrict, -Warray-bounds; GCC bug 105651).
  std::string target(api::kCalculatePath);
  target.append("?").append(api::kAmountQuery).append("=").append(request.base_amount.format());
  target.append("&").append(api::kCurrencyIdQuery).append("=").append(std::to_string(*currency_id));
  if (request.tip) target.append("&").append(api::kTipAmountQuery).append("=").append(request.tip->format());
  const Currency currency = request.base_amount.currency();
  get(std::move(target), [currency, handler = std::move(handler)](Exchange exchange) {
    if (!exchange.response) {
      handler(std::move(exchange.response).error());
      return;
    }
    if (exchange.response->status != 200) {
      handler(make_error(Errc::io_error, "Aurora calculate-amount answered HTTP " + std::to_string(exchange.response->status)));
      return;
    }
    auto amounts = parse_calculate_result(exchange.response->body, currency);
    if (!amounts) {
      handler(std::move(amounts).error());
      return;
    }
    // By card type: the credit card's price, the debit card's (debitCard) and the cash price.
    handler(host::CalculateAmountResult{amounts->credit, amounts->debit, amounts->cash, host::CardPricing::by_type});
  });
}

void AuroraAdapter::lookup(host::LookupRequest request, host::ResultHandler handler) {
  if (request.host_reference.empty()) {
    handler(make_error(Errc::unsupported, "Aurora cannot look a transaction up by our reference id (no such filter)"));
    return;
  }
  if (!url_safe(request.host_reference)) {
    handler(make_error(Errc::invalid_argument, "lookup needs a URL-safe host reference"));
    return;
  }
  get(std::string(api::kTransactionsPath) + "/" + request.host_reference,
      [this, handler = std::move(handler)](Exchange exchange) {
        // A lookup changes nothing at the host: a transport failure is an error to retry.
        if (!exchange.response) {
          handler(std::move(exchange.response).error());
          return;
        }
        const http::Response& response = *exchange.response;
        if (response.status == 404) {
          handler(make_error(Errc::not_found, "Aurora has no such transaction"));
          return;
        }
        if (host::outcome_for_http_status(response.status)) {
          handler(transaction_answer(response, host::Operation::sale));
          return;
        }
        auto result = parse_transaction_detail(response.body, config_.currency);
        if (result) result->trace_id = correlation_id(response);
        handler(std::move(result));
      });
}

}  // namespace tender::net::aurora

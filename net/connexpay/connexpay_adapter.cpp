#include "net/connexpay/connexpay_adapter.hpp"

#include <utility>

#include "common/log.hpp"
#include "net/host/table.hpp"

namespace tender::net::connexpay {
namespace {

constexpr std::string_view kLog = "connexpay";

constexpr std::array<std::pair<host::VoidReason, api::VoidReasonCode>, 5> kVoidReasonCode{{
    {host::VoidReason::merchant, api::VoidReasonCode::post_auth_user_decline},
    {host::VoidReason::card_declined_after_approval, api::VoidReasonCode::post_auth_chip_decline},
    {host::VoidReason::answer_lost, api::VoidReasonCode::device_timeout},
    {host::VoidReason::partial_refused, api::VoidReasonCode::partial_reversal},
    {host::VoidReason::torn, api::VoidReasonCode::torn_transactions},
}};

constexpr std::array<std::pair<TxKind, std::string_view>, 5> kGetPath{{
    {TxKind::sale, api::kSalesPath},
    {TxKind::authonly, api::kAuthOnlysPath},
    {TxKind::return_, api::kReturnsPath},
    {TxKind::void_, api::kVoidPath},
    {TxKind::verify, api::kVerifyPath},
}};

std::string get_target(const HostRef& ref) { return std::string(*host::table_lookup(kGetPath, ref.kind)) + "/" + ref.guid; }

bool success(int status) { return status >= 200 && status < 300; }

// The contract's response rule: a token that could not be had -> error (nothing sent);
// transport failure after sending -> unknown; 4xx -> error or a 422 decline; 5xx -> unknown;
// 2xx -> parse (unreadable: Errc::malformed, which the engine recovers).
template <class Parse>
void finish(Result<http::Response> response, bool sent, const host::ResultHandler& handler,
            Parse parse) {
  if (!response) {
    if (!sent) {
      handler(std::move(response).error());
      return;
    }
    handler(host::unknown_after_transport_error(response.error()));
    return;
  }
  if (!success(response->status)) {
    handler(refused_answer(response->status, response->body));
    return;
  }
  handler(parse(response->body));
}

}  // namespace

ConnexPayAdapter::ConnexPayAdapter(http::Transport& transport, ConnexPayConfig config)
    : transport_(transport), config_(std::move(config)) {}

std::int64_t ConnexPayAdapter::now_unix() const {
  if (config_.unix_now) return config_.unix_now();
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void ConnexPayAdapter::with_token(std::function<void(Result<void>)> next) {
  if (!token_.empty() && now_unix() < token_expires_unix_) {
    next(ok());
    return;
  }
  http::Request request;
  request.method = http::Method::post;
  request.target = std::string(api::kTokenPath);
  request.body = token_body(config_.username, config_.password);
  request.set_header("Content-Type", std::string(api::kFormContentType));
  request.set_header("Accept", "application/json");
  transport_.async_send(std::move(request), config_.deadline, [this, next = std::move(next)](Result<http::Response> response) {
    if (!response) {
      log::warn(kLog, "token transport failure: ", to_string(response.error().code));
      next(make_error(response.error().code, "ConnexPay token could not be fetched"));
      return;
    }
    log::info(kLog, "token HTTP ", response->status);
    if (!success(response->status)) {
      next(make_error(Errc::io_error, "ConnexPay refused the token request: HTTP " + std::to_string(response->status)));
      return;
    }
    auto token = parse_token(response->body);
    if (!token) {
      next(std::move(token).error());
      return;
    }
    token_ = std::move(token->access_token);
    // expires_in is seconds (863999 in H); renewed a margin early. No expiry: this use only.
    token_expires_unix_ = token->expires_in > api::kTokenMarginSeconds ? now_unix() + token->expires_in - api::kTokenMarginSeconds
                                                                       : now_unix();
    next(ok());
  });
}

void ConnexPayAdapter::send(http::Method method, std::string target, std::string body, std::string_view operation, Done done,
                            bool retried) {
  with_token([this, method, target = std::move(target), body = std::move(body), operation = std::string(operation),
              done = std::move(done), retried](Result<void> token) mutable {
    if (!token) {
      done(std::move(token).error(), Sent::no);
      return;
    }
    http::Request request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.set_header("Authorization", "Bearer " + std::string(token_.reveal()));
    request.set_header("Accept", "application/json");
    if (method != http::Method::get) request.set_header("Content-Type", "application/json");
    transport_.async_send(std::move(request), config_.deadline,
                          [this, method, target = std::move(target), body = std::move(body), operation, done = std::move(done),
                           retried](Result<http::Response> response) mutable {
                            if (!response) {
                              log::warn(kLog, operation, " transport failure: ", to_string(response.error().code));
                              done(std::move(response), Sent::yes);
                              return;
                            }
                            log::info(kLog, operation, " HTTP ", response->status);
                            if (response->status == 401 && !retried) {
                              // The host refused the token before processing: once more with a new one.
                              token_.clear();
                              token_expires_unix_ = 0;
                              send(method, std::move(target), std::move(body), operation, std::move(done), true);
                              return;
                            }
                            done(std::move(response), Sent::yes);
                          });
  });
}

void ConnexPayAdapter::post_money(std::string_view path, Result<std::string> body, TxKind kind, host::ResultHandler handler) {
  if (!body) {
    handler(std::move(body).error());
    return;
  }
  send(http::Method::post, std::string(path), std::move(body).value(), path.substr(path.rfind('/') + 1),
       [this, kind, handler = std::move(handler)](Result<http::Response> response, Sent sent) {
         finish(std::move(response), sent == Sent::yes, handler,
                [&](std::string_view text) { return parse_transaction(text, config_.currency, kind); });
       });
}

void ConnexPayAdapter::authorize(host::AuthorizationRequest request, host::ResultHandler handler) {
  post_money(api::kAuthOnlysPath, payment_body(request, PaymentKind::authonly, config_.device_guid), TxKind::authonly,
             std::move(handler));
}
void ConnexPayAdapter::sale(host::AuthorizationRequest request, host::ResultHandler handler) {
  post_money(api::kSalesPath, payment_body(request, PaymentKind::sale, config_.device_guid), TxKind::sale, std::move(handler));
}
void ConnexPayAdapter::verify(host::AuthorizationRequest request, host::ResultHandler handler) {
  post_money(api::kVerifyPath, verify_body(request, config_.device_guid), TxKind::verify, std::move(handler));
}

void ConnexPayAdapter::capture(host::CaptureRequest request, host::ResultHandler handler) {
  const auto ref = parse_host_reference(request.host_reference);
  if (!ref || ref->kind != TxKind::authonly) {
    handler(make_error(Errc::invalid_argument, "capture needs an AuthOnly's host_reference"));
    return;
  }
  if (!request.amount) {
    post_capture(ref->guid, std::nullopt, std::move(handler));
    return;
  }
  // NewAmount only below what was authorized (H; V1 captures the full amount only): the
  // AuthOnly's record says what that was. A read: its failure is an error, nothing was sent.
  get_record(*ref, [this, guid = ref->guid, amount = *request.amount, handler = std::move(handler)](Result<Record> record) {
    if (!record) {
      handler(make_error(record.error().code, "capture: the AuthOnly's record could not be read"));
      return;
    }
    const auto authorized = record->result.approved_amount ? record->result.approved_amount : record->amount;
    if (!authorized || authorized->currency() != amount.currency()) {
      handler(make_error(Errc::malformed, "capture: the AuthOnly's record has no amount"));
      return;
    }
    if (amount.minor_units() <= 0 || amount.minor_units() > authorized->minor_units()) {
      handler(make_error(Errc::invalid_argument, "capture amount must be positive and at most what was authorized"));
      return;
    }
    post_capture(guid, amount.minor_units() < authorized->minor_units() ? std::optional<Money>(amount) : std::nullopt, handler);
  });
}

void ConnexPayAdapter::post_capture(const std::string& authonly_guid, std::optional<Money> amount, host::ResultHandler handler) {
  send(http::Method::post, std::string(api::kCapturesPath), capture_body(config_.device_guid, authonly_guid, amount), "Captures",
       [this, handler = std::move(handler)](Result<http::Response> response, Sent sent) {
         finish(std::move(response), sent == Sent::yes, handler,
                [&](std::string_view text) { return parse_capture(text, config_.currency); });
       });
}

// A void the host refuses of a sale in a closed batch: the engine refunds instead
// (Refusal::already_settled). How ConnexPay words that refusal is not documented, so the
// sale's own record says it (batchStatus "Batch - Closed"), as for FullStack.
void ConnexPayAdapter::void_(host::VoidRequest request, host::ResultHandler handler) {
  const auto ref = parse_host_reference(request.host_reference);
  if (!ref || (ref->kind != TxKind::sale && ref->kind != TxKind::authonly && ref->kind != TxKind::return_)) {
    handler(make_error(Errc::invalid_argument, "void needs a sale's, AuthOnly's or return's host_reference"));
    return;
  }
  const auto reason = *host::table_lookup(kVoidReasonCode, request.reason);
  post_money(api::kVoidPath, void_body(config_.device_guid, *ref, reason), TxKind::void_,
             [this, target = *ref, handler = std::move(handler)](Result<host::HostResult> r) {
               if (!r || r->outcome != host::Outcome::error || target.kind != TxKind::sale) {
                 handler(std::move(r));
                 return;
               }
               get_record(target, [handler, refused = std::move(*r)](Result<Record> record) mutable {
                 if (record && record->batch_status == api::kBatchClosed) refused.refusal = host::Refusal::already_settled;
                 handler(std::move(refused));
               });
             });
}

void ConnexPayAdapter::refund(host::RefundRequest request, host::ResultHandler handler) {
  const auto ref = parse_host_reference(request.host_reference);
  if (!ref || ref->kind != TxKind::sale) {
    handler(make_error(Errc::invalid_argument, "refund needs a sale's host_reference"));
    return;
  }
  if (request.amount) {
    post_return(request.reference_id, ref->guid, *request.amount, std::move(handler));
    return;
  }
  // Amount is mandatory on a return [E V1]: all that is left of the sale (effectiveAmount).
  get_record(*ref, [this, reference = request.reference_id, guid = ref->guid, handler = std::move(handler)](Result<Record> record) {
    if (!record || !record->effective_amount) {
      handler(make_error(record ? Errc::malformed : record.error().code, "refund: the sale's record could not be read"));
      return;
    }
    post_return(reference, guid, *record->effective_amount, handler);
  });
}

void ConnexPayAdapter::post_return(const std::string& reference_id, const std::string& sale_guid, Money amount,
                                   host::ResultHandler handler) {
  // 422 "Sale has not been settled" [E C2] stays Outcome::error with the host's message: the
  // seam has no refusal that tells the engine to void instead (reported, issue 12).
  post_money(api::kReturnsPath, return_body(config_.device_guid, sale_guid, amount, reference_id), TxKind::return_,
             std::move(handler));
}

void ConnexPayAdapter::tip_adjust(host::TipAdjustRequest /*request*/, host::ResultHandler handler) {
  handler(make_error(Errc::unsupported, "ConnexPay has no tip adjustment"));
}

void ConnexPayAdapter::settle(host::SettleRequest /*request*/, host::Handler<host::SettleResult> handler) {
  // The batch is the device's [E H L3926]: batch_owner has no meaning here.
  send(http::Method::post, std::string(api::kBatchClosePath), device_body(config_.device_guid), "Batches/close",
       [handler = std::move(handler)](Result<http::Response> response, Sent) {
         if (!response) {
           handler(std::move(response).error());
           return;
         }
         handler(parse_batch_close(response->status, response->body));
       });
}

void ConnexPayAdapter::calculate_amount(host::CalculateAmountRequest /*request*/,
                                        host::Handler<host::CalculateAmountResult> handler) {
  handler(make_error(Errc::unsupported, "ConnexPay has no amount calculation"));
}

void ConnexPayAdapter::lookup(host::LookupRequest request, host::ResultHandler handler) {
  const auto ref = parse_host_reference(request.host_reference);
  if (!ref) {
    handler(make_error(request.host_reference.empty() ? Errc::unsupported : Errc::invalid_argument,
                       "ConnexPay finds transactions by host_reference only"));
    return;
  }
  send(http::Method::get, get_target(*ref), {}, "lookup",
       [this, kind = ref->kind, handler = std::move(handler)](Result<http::Response> response, Sent) {
         if (!response) {  // a GET changes nothing: a plain error, retry later
           handler(std::move(response).error());
           return;
         }
         if (response->status == 404) {
           handler(make_error(Errc::not_found, "ConnexPay has no such transaction"));
           return;
         }
         finish(std::move(response), true, handler,
                [&](std::string_view text) { return parse_transaction(text, config_.currency, kind); });
       });
}

void ConnexPayAdapter::get_record(const HostRef& ref, std::function<void(Result<Record>)> done) {
  send(http::Method::get, get_target(ref), {}, "get",
       [this, kind = ref.kind, done = std::move(done)](Result<http::Response> response, Sent) {
         if (!response) {
           done(std::move(response).error());
           return;
         }
         if (response->status == 404) {
           done(make_error(Errc::not_found, "ConnexPay has no such transaction"));
           return;
         }
         if (!success(response->status)) {
           done(make_error(Errc::io_error, "ConnexPay GET answered HTTP " + std::to_string(response->status)));
           return;
         }
         done(parse_record(response->body, config_.currency, kind));
       });
}

void ConnexPayAdapter::search(std::string_view path, SearchQuery query, TxKind kind,
                              std::function<void(Result<std::vector<Record>>)> done) {
  if (config_.merchant_guid.empty()) {
    done(make_error(Errc::invalid_argument, "ConnexPay searches need the MerchantGuid (not configured)"));
    return;
  }
  query.merchant_guid = config_.merchant_guid;
  send(http::Method::post, std::string(path), search_body(query), "search",
       [this, kind, done = std::move(done)](Result<http::Response> response, Sent) {
         if (!response) {
           done(std::move(response).error());
           return;
         }
         done(parse_search(response->status, response->body, config_.currency, kind));
       });
}

}  // namespace tender::net::connexpay

// The documents' own example requests, as they are (aurora-arise.md §7, fullstack.md §5.2),
// and a small harness around HostSimulator::handle().
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "net/hostsim/host_simulator.hpp"

namespace tender::net::hostsim::test {

// E4: S3 request (Sale), verbatim.
inline constexpr std::string_view kAuroraSale = R"({
  "paymentProcessorId": "fe520286-0125-4cc4-bd3c-f50333e679e5",
  "customerId": null,
  "paymentMethodId": null,
  "amount": 123.45,
  "tipAmount": 1,
  "tipRate": null,
  "currencyId": 1,
  "percentageOffRate": 3,
  "surchargeRate": 4,
  "useCardPrice": null,
  "billingAddress": {
    "city": "Phoenix",
    "countryId": 1,
    "line1": null,
    "line2": null,
    "postalCode": "12345",
    "stateName": null,
    "stateId": 1
  },
  "shippingAddress": {
    "city": "Phoenix",
    "countryId": 1,
    "line1": null,
    "line2": null,
    "postalCode": "12345",
    "stateName": null,
    "stateId": 1
  },
  "contactInfo": {
    "firstName": "John",
    "lastName": "Smith",
    "companyName": "Aurora",
    "email": "example@example.com",
    "mobileNumber": null,
    "smsNotification": null
  },
  "accountNumber": "4111111111111111",
  "securityCode": "123",
  "expirationMonth": 12,
  "expirationYear": 24,
  "track1": null,
  "track2": null,
  "emvTags": null,
  "emvPaymentAppVersion": null,
  "cardDataSource": 1,
  "pin": null,
  "pinKsn": null,
  "debit": null,
  "emvFallbackCondition": null,
  "emvFallbackLastChipRead": null,
  "referenceId": null,
  "l2": null,
  "l3": null,
  "customerInitiatedTransaction": false
})";

// E8: S6 request (card-present swipe + PIN), verbatim.
inline constexpr std::string_view kAuroraSwipePin = R"({
  "paymentProcessorId": "d53252fb-7086-452e-a12c-f413ea56141f",
  "customerId": null,
  "amount": 10.1,
  "currencyId": 1,
  "accountNumber": null,
  "securityCode": null,
  "expirationMonth": null,
  "expirationYear": null,
  "track1": "B5413330056003511^CUST IMP MC 351/^2512101000000000",
  "track2": null,
  "emvTags": null,
  "emvPaymentAppVersion": null,
  "cardDataSource": 2,
  "billingAddress": null,
  "shippingAddress": null,
  "contactInfo": null,
  "pin": "1111",
  "pinKsn": "2222222222",
  "debit": false,
  "emvFallbackCondition": null,
  "emvFallbackLastChipRead": null,
  "referenceId": "123456"
})";

// E9 (settle), E10 (void), E5 (capture), E12 (tip), E7 (return): the documents' bodies with
// the transaction id replaced by one the simulator issued (ids are the simulator's).
inline constexpr std::string_view kAuroraSettle = R"({
  "paymentProcessorId": "062a15e3-81b7-4b69-871d-1033c6545787"
})";

// fullstack.md §5.2, card variant (keyed), verbatim.
inline constexpr std::string_view kFullStackCard = R"({
"type": "sale",
"amount": 1112,
"tax_amount": 100,
"shipping_amount": 100,
"currency": "USD",
"description": "test transaction",
"order_id": "someOrderID",
"po_number": "somePONumber",
"ip_address": "4.2.2.2",
"email_receipt": false,
"email_address": "user@home.com",
"create_vault_record": true,
"payment_method": {
"card": {
"entry_type": "keyed",
"number": "4012000098765439",
"expiration_date": "12/20",
"cvc": "999"
}
},
"billing_address" : {
"first_name": "John",
"last_name": "Smith",
"company": "Test Company",
"address_line_1": "123 Some St",
"city": "Wheaton",
"state": "IL",
"postal_code": "60187",
"country": "US",
"phone": "5555555555",
"fax": "5555555555",
"email": "help@website.com"
},
"shipping_address" : {
"first_name": "John",
"last_name": "Smith",
"company": "Test Company",
"address_line_1": "123 Some St",
"city": "Wheaton",
"state": "IL",
"postal_code": "60187",
"country": "US",
"phone": "5555555555",
"fax": "5555555555",
"email": "help@website.com"
}
})";

// fullstack.md §5.2, terminal variant: the card variant with only payment_method changed (as
// the document derives it), "<terminal id>" being the id GET /api/terminals returns.
inline std::string fullstack_terminal_request() {
  nlohmann::json body = nlohmann::json::parse(kFullStackCard);
  body["payment_method"] = nlohmann::json::parse(R"({
"terminal": {
"id": "1ucio551tlv85l7moe5s",
"expiration_date": "12/20",
"cvc": "999",
"print_receipt": "both",
"signature_required": true
}
})");
  return body.dump();
}

inline http::Request request(http::Method method, std::string target, std::string body = {}) {
  http::Request r;
  r.method = method;
  r.target = std::move(target);
  r.body = std::move(body);
  if (!r.body.empty()) r.set_header("Content-Type", "application/json");
  return r;
}

inline nlohmann::json body_of(const ServerAction& a) {
  return nlohmann::json::parse(a.response.body, nullptr, false);
}

}  // namespace tender::net::hostsim::test

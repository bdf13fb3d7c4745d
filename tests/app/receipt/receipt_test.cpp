#include "app/receipt/receipt.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "drivers/printer/escpos.hpp"

// Test cards only: the EMV test card 4761 7390 0101 0010 and the Mastercard test PAN.
namespace tender::app {
namespace {

MerchantInfo merchant() {
  return MerchantInfo{
      "TENDER CAFE", {"12 MARKET STREET", "SPRINGFIELD IL 62701"}, "000000012345", "T0001"};
}

ReceiptData chip_sale() {
  ReceiptData d;
  d.merchant = merchant();
  d.timestamp = "2026-11-21 07:45:07";
  d.transaction_type = "SALE";
  d.amount = Money{1234, usd()};
  d.tip = Money{200, usd()};
  d.total = Money{1434, usd()};
  d.masked_pan = "476173******0010";
  d.entry_mode = "CHIP";
  d.card_label = "VISA CREDIT";
  d.aid = "A0000000031010";
  d.tvr = "0000008000";
  d.tsi = "E800";
  d.auth_code = "123456";
  d.host_reference = "HR000123";
  d.reference_id = "REF-7";
  d.cvm = ReceiptCvm::pin_verified;
  return d;
}

ReceiptData swipe_sale() {
  ReceiptData d = chip_sale();
  d.entry_mode = "SWIPE";
  d.aid = d.tvr = d.tsi = "";
  d.tip.reset();
  d.total = d.amount;
  d.card_label = "MASTERCARD";
  d.masked_pan = "545454******5454";
  d.cvm = ReceiptCvm::signature;
  return d;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    out.push_back(text.substr(start, nl - start));
    start = nl == std::string::npos ? text.size() : nl + 1;
  }
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  const auto lines = lines_of(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// What every rendered text must hold, whatever the data: lines within the width, no
// trailing spaces, printable ASCII only, "\n" after the last line.
void expect_well_formed(const std::string& text, std::size_t width) {
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  for (const std::string& line : lines_of(text)) {
    EXPECT_LE(line.size(), width) << line;
    if (!line.empty()) {
      EXPECT_NE(line.back(), ' ') << line;
    }
    for (char c : line) EXPECT_TRUE(c >= 0x20 && c < 0x7F) << line;
  }
}

constexpr std::string_view kHeader = R"(          TENDER CAFE
        12 MARKET STREET
      SPRINGFIELD IL 62701
MID                 000000012345
TID                        T0001
2026-11-21 07:45:07
--------------------------------
)";

std::string golden(std::string_view body) { return std::string{kHeader} + std::string{body}; }

TEST(Receipt, ChipSaleWithPinMerchantCopy) {
  const std::string text = render_text(chip_sale(), ReceiptCopy::merchant);
  EXPECT_EQ(text, golden(R"(              SALE
--------------------------------
AMOUNT                 USD 12.34
TIP                     USD 2.00
TOTAL                  USD 14.34
--------------------------------
VISA CREDIT     476173******0010
ENTRY                       CHIP
AID               A0000000031010
TVR                   0000008000
TSI                         E800
AUTH CODE                 123456
HOST REF                HR000123
REF ID                     REF-7
--------------------------------
            APPROVED
          PIN VERIFIED

         MERCHANT COPY
)"));
  expect_well_formed(text, 32);
}

TEST(Receipt, ChipSaleWithPinCustomerCopy) {
  EXPECT_EQ(render_text(chip_sale(), ReceiptCopy::customer), golden(R"(              SALE
--------------------------------
AMOUNT                 USD 12.34
TIP                     USD 2.00
TOTAL                  USD 14.34
--------------------------------
VISA CREDIT     476173******0010
ENTRY                       CHIP
AID               A0000000031010
TVR                   0000008000
TSI                         E800
AUTH CODE                 123456
HOST REF                HR000123
REF ID                     REF-7
--------------------------------
            APPROVED
          PIN VERIFIED

         CUSTOMER COPY
)"));
}

TEST(Receipt, SwipeSaleMerchantCopyAsksForSignature) {
  const std::string text = render_text(swipe_sale(), ReceiptCopy::merchant);
  EXPECT_EQ(text, golden(R"(              SALE
--------------------------------
AMOUNT                 USD 12.34
TOTAL                  USD 12.34
--------------------------------
MASTERCARD      545454******5454
ENTRY                      SWIPE
AUTH CODE                 123456
HOST REF                HR000123
REF ID                     REF-7
--------------------------------
            APPROVED


X_______________________________
           SIGNATURE

         MERCHANT COPY
)"));
  expect_well_formed(text, 32);
}

TEST(Receipt, SwipeSaleCustomerCopyHasNoSignatureLine) {
  const std::string text = render_text(swipe_sale(), ReceiptCopy::customer);
  EXPECT_EQ(text, golden(R"(              SALE
--------------------------------
AMOUNT                 USD 12.34
TOTAL                  USD 12.34
--------------------------------
MASTERCARD      545454******5454
ENTRY                      SWIPE
AUTH CODE                 123456
HOST REF                HR000123
REF ID                     REF-7
--------------------------------
            APPROVED

         CUSTOMER COPY
)"));
  EXPECT_EQ(text.find("SIGNATURE"), std::string::npos);
  EXPECT_EQ(text.find("X___"), std::string::npos);
}

TEST(Receipt, PartialApprovalShowsRequestedAndApproved) {
  ReceiptData d = chip_sale();
  d.verdict = ReceiptVerdict::partially_approved;
  d.tip.reset();
  d.amount = Money{2000, usd()};
  d.requested = Money{2000, usd()};
  d.total = Money{1500, usd()};
  EXPECT_EQ(render_text(d, ReceiptCopy::customer), golden(R"(              SALE
--------------------------------
AMOUNT                 USD 20.00
TOTAL                  USD 15.00
REQUESTED              USD 20.00
APPROVED               USD 15.00
--------------------------------
VISA CREDIT     476173******0010
ENTRY                       CHIP
AID               A0000000031010
TVR                   0000008000
TSI                         E800
AUTH CODE                 123456
HOST REF                HR000123
REF ID                     REF-7
--------------------------------
       PARTIALLY APPROVED
          PIN VERIFIED

         CUSTOMER COPY
)"));
}

// A declined swipe: the decline text is printed, and nobody is asked to sign.
TEST(Receipt, Decline) {
  ReceiptData d = swipe_sale();
  d.verdict = ReceiptVerdict::declined;
  d.auth_code = "";
  d.response_message = "INSUFFICIENT FUNDS";
  EXPECT_EQ(render_text(d, ReceiptCopy::merchant), golden(R"(              SALE
--------------------------------
AMOUNT                 USD 12.34
TOTAL                  USD 12.34
--------------------------------
MASTERCARD      545454******5454
ENTRY                      SWIPE
HOST REF                HR000123
REF ID                     REF-7
--------------------------------
            DECLINED
       INSUFFICIENT FUNDS

         MERCHANT COPY
)"));
}

TEST(Receipt, OfflineApproval) {
  ReceiptData d = chip_sale();
  d.offline = true;
  d.auth_code = "Y1";  // EMV Book 4 A6: the authorisation response code of an offline approval
  d.host_reference = "";
  d.tip.reset();
  d.total = d.amount;
  d.tvr = "0000000000";
  EXPECT_EQ(render_text(d, ReceiptCopy::merchant), golden(R"(              SALE
        *** OFFLINE ***
--------------------------------
AMOUNT                 USD 12.34
TOTAL                  USD 12.34
--------------------------------
VISA CREDIT     476173******0010
ENTRY                       CHIP
AID               A0000000031010
TVR                   0000000000
TSI                         E800
AUTH CODE                     Y1
REF ID                     REF-7
--------------------------------
            APPROVED
        OFFLINE APPROVAL
          PIN VERIFIED

         MERCHANT COPY
)"));
}

TEST(Receipt, Refund) {
  ReceiptData d = swipe_sale();
  d.transaction_type = "REFUND";
  d.entry_mode = "KEYED";
  d.cvm = ReceiptCvm::none;
  d.amount = d.total = Money{500, usd()};
  d.auth_code = "";
  EXPECT_EQ(render_text(d, ReceiptCopy::customer), golden(R"(             REFUND
--------------------------------
AMOUNT                  USD 5.00
TOTAL                   USD 5.00
--------------------------------
MASTERCARD      545454******5454
ENTRY                      KEYED
HOST REF                HR000123
REF ID                     REF-7
--------------------------------
            APPROVED

         CUSTOMER COPY
)"));
}

TEST(Receipt, VerdictWords) {
  ReceiptData d = swipe_sale();
  d.verdict = ReceiptVerdict::reversed;
  EXPECT_TRUE(has_line(render_text(d, ReceiptCopy::customer), "            REVERSED"));
  d.verdict = ReceiptVerdict::voided;
  EXPECT_TRUE(has_line(render_text(d, ReceiptCopy::customer), "             VOIDED"));
  // A reversed or voided charge is no charge: nothing to sign.
  EXPECT_EQ(render_text(d, ReceiptCopy::merchant).find("SIGNATURE"), std::string::npos);
}

TEST(Receipt, OptionalLinesVanish) {
  ReceiptData d;
  d.merchant.name = "SHOP";
  d.transaction_type = "SALE";
  d.amount = d.total = Money{100, usd()};
  EXPECT_EQ(render_text(d, ReceiptCopy::customer), R"(              SHOP
--------------------------------
              SALE
--------------------------------
AMOUNT                  USD 1.00
TOTAL                   USD 1.00
--------------------------------
--------------------------------
            APPROVED

         CUSTOMER COPY
)");
}

TEST(Receipt, WiderPaper) {
  const std::string text = render_text(chip_sale(), ReceiptCopy::customer,
                                       ReceiptTemplate::standard(), 42);
  expect_well_formed(text, 42);
  EXPECT_TRUE(has_line(text, "AMOUNT                           USD 12.34"));
  EXPECT_TRUE(has_line(text, "               TENDER CAFE"));
  EXPECT_TRUE(has_line(text, std::string(42, '-')));
}

TEST(Receipt, LabelAndValueTooLongForOneLineSplit) {
  ReceiptData d = chip_sale();
  d.card_label = "VISA PLATINUM REWARDS";
  const std::string text = render_text(d, ReceiptCopy::customer);
  expect_well_formed(text, 32);
  EXPECT_TRUE(has_line(text, "VISA PLATINUM REWARDS"));
  EXPECT_TRUE(has_line(text, "                476173******0010"));
}

TEST(Receipt, FullPanIsMaskedAgain) {
  ReceiptData d = chip_sale();
  d.masked_pan = "4761739001010010";
  std::string text = render_text(d, ReceiptCopy::merchant);
  EXPECT_TRUE(has_line(text, "VISA CREDIT     476173******0010"));
  EXPECT_EQ(text.find("4761739001010010"), std::string::npos);

  d.masked_pan = "4761 7390 0101 0010";
  text = render_text(d, ReceiptCopy::merchant);
  EXPECT_NE(text.find("4761 73** **** 0010"), std::string::npos);
  EXPECT_EQ(text.find("7390"), std::string::npos);

  // Already masked stays as given, whatever the mask character.
  d.masked_pan = "************0010";
  EXPECT_NE(render_text(d, ReceiptCopy::merchant).find("************0010"), std::string::npos);
  d.masked_pan = "476173XXXXXX0010";
  EXPECT_NE(render_text(d, ReceiptCopy::merchant).find("476173XXXXXX0010"), std::string::npos);

  // The printer gets the masked form too.
  d.masked_pan = "4761739001010010";
  const Bytes escpos = printer::encode_escpos(render(d, ReceiptCopy::merchant));
  const std::string printed(escpos.begin(), escpos.end());
  EXPECT_EQ(printed.find("4761739001010010"), std::string::npos);
  EXPECT_NE(printed.find("476173******0010"), std::string::npos);
}

// A host's decline text must not be able to start a line of its own (forging an approval)
// nor send printer commands.
TEST(Receipt, HostTextCannotForgeLinesOrCommands) {
  ReceiptData d = swipe_sale();
  d.verdict = ReceiptVerdict::declined;
  d.response_message = "CALL\nAPPROVED\x1B" "d\x05";
  const std::string text = render_text(d, ReceiptCopy::merchant);
  expect_well_formed(text, 32);
  EXPECT_TRUE(has_line(text, "        CALL?APPROVED?d?"));
  EXPECT_FALSE(has_line(text, "APPROVED"));

  const Bytes escpos = printer::encode_escpos(render(d, ReceiptCopy::merchant));
  const Bytes injected{0x1B, 'd', 0x05};
  EXPECT_EQ(std::search(escpos.begin(), escpos.end(), injected.begin(), injected.end()),
            escpos.end());
}

TEST(Receipt, DocumentCarriesStyles) {
  const printer::Document doc = render(chip_sale(), ReceiptCopy::merchant);
  ASSERT_FALSE(doc.entries.empty());
  EXPECT_EQ(std::get<printer::Line>(doc.entries.front()),
            (printer::Line{"TENDER CAFE", printer::Align::center, true, false}));
  EXPECT_TRUE(std::holds_alternative<printer::Cut>(doc.entries.back()));
  const auto verdict = std::find(doc.entries.begin(), doc.entries.end(),
                                 printer::Entry{printer::Line{"APPROVED", printer::Align::center,
                                                              false, true}});
  EXPECT_NE(verdict, doc.entries.end());
  const auto total = std::find(doc.entries.begin(), doc.entries.end(),
                               printer::Entry{printer::Line{"TOTAL                  USD 14.34",
                                                            printer::Align::left, true, false}});
  EXPECT_NE(total, doc.entries.end());
}

bool contains(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

Bytes ascii(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(Receipt, EscPosOutput) {
  const Bytes out = printer::encode_escpos(render(chip_sale(), ReceiptCopy::merchant));
  ASSERT_GE(out.size(), 6u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 2), (Bytes{0x1B, 0x40}));
  EXPECT_EQ(Bytes(out.end() - 4, out.end()), (Bytes{0x1D, 0x56, 0x42, 0x00}));
  // Merchant name: centred (ESC a 1) and bold (ESC E 1).
  EXPECT_TRUE(contains(out, cat({0x1B, 0x40, 0x1B, 0x61, 0x01, 0x1B, 0x45, 0x01}, ascii("TENDER CAFE\n"))));
  // Verdict: double width and height (GS ! 0x11), then back to normal (GS ! 0).
  EXPECT_TRUE(contains(out, cat({0x1D, 0x21, 0x11}, ascii("APPROVED\n"))));
  EXPECT_TRUE(contains(out, cat({0x1D, 0x21, 0x00}, ascii("PIN VERIFIED\n"))));
  // Total: bold, left.
  EXPECT_TRUE(contains(out, cat({0x1B, 0x45, 0x01}, ascii("TOTAL                  USD 14.34\n"))));
  // Rules are full width.
  EXPECT_TRUE(contains(out, cat(ascii(std::string(32, '-')), {0x0A})));
}

TEST(Receipt, EscPosPartialApprovalVerdictWrapsAtDoubleWidth) {
  ReceiptData d = chip_sale();
  d.verdict = ReceiptVerdict::partially_approved;
  d.requested = Money{2000, usd()};
  const Bytes out = printer::encode_escpos(render(d, ReceiptCopy::merchant));
  EXPECT_TRUE(contains(out, cat({0x1D, 0x21, 0x11}, ascii("PARTIALLY\nAPPROVED\n"))));
}

// --------------------------------------------------------------- templates

TEST(ReceiptTemplate, StandardParses) {
  const ReceiptTemplate& standard = ReceiptTemplate::standard();
  EXPECT_GT(standard.lines.size(), 20u);
  std::string text;
  for (const std::string& line : standard.lines) text += line + "\n";
  auto again = ReceiptTemplate::parse(text);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->lines, standard.lines);
}

void expect_malformed(std::string_view text, const std::string& named) {
  auto parsed = ReceiptTemplate::parse(text);
  ASSERT_FALSE(parsed) << text;
  EXPECT_EQ(parsed.error().code, Errc::malformed);
  EXPECT_NE(parsed.error().message.find(named), std::string::npos) << parsed.error().message;
}

TEST(ReceiptTemplate, ParseErrorsNameTheProblem) {
  expect_malformed("TOTAL {total}\nPAN {full_pan}", "{full_pan}");
  expect_malformed("TOTAL {total}\nPAN {full_pan}", "line 2");
  expect_malformed("@blink {verdict}", "@blink");
  expect_malformed("@center @huge {verdict}", "@huge");
  expect_malformed("{verdict", "'{' without '}'");
  expect_malformed("@rule extra", "@rule");
  expect_malformed("@cut now", "@cut");
  expect_malformed("@feed", "@feed");
  expect_malformed("@feed x", "@feed");
  expect_malformed("@feed 100", "@feed");
  expect_malformed("A{>}B{>}C", "{>}");
  expect_malformed("{}", "{}");
}

TEST(ReceiptTemplate, CustomTemplate) {
  auto tmpl = ReceiptTemplate::parse(
      "@center THANK YOU\r\n"
      "@right {total}\n"
      "TIP {tip} SURCHARGE {surcharge}\n"
      "TIP {tip} CARD {card_label}\n"
      "@bold @double {verdict}\n"
      "@feed 2\n"
      "@rule\n"
      "@cut\n");
  ASSERT_TRUE(tmpl) << tmpl.error().describe();
  ReceiptData d = swipe_sale();
  const printer::Document doc = render(d, ReceiptCopy::customer, *tmpl, 32);
  printer::Document expected;
  expected.line("THANK YOU", printer::Align::center)
      .line("USD 12.34", printer::Align::right)
      .line("TIP  CARD MASTERCARD")
      .line("APPROVED", printer::Align::left, true, true)
      .feed(2)
      .rule()
      .cut();
  EXPECT_EQ(doc, expected);
  EXPECT_EQ(document_text(doc, 32), "           THANK YOU\n"
                                    "                       USD 12.34\n"
                                    "TIP  CARD MASTERCARD\n"
                                    "APPROVED\n"
                                    "\n\n" +
                                        std::string(32, '-') + "\n");
}

TEST(ReceiptTemplate, AddressRepeatsItsLine) {
  auto tmpl = ReceiptTemplate::parse("@center {address}\nEND");
  ASSERT_TRUE(tmpl);
  ReceiptData d = chip_sale();
  EXPECT_EQ(render_text(d, ReceiptCopy::customer, *tmpl),
            "        12 MARKET STREET\n      SPRINGFIELD IL 62701\nEND\n");
  d.merchant.address.clear();
  EXPECT_EQ(render_text(d, ReceiptCopy::customer, *tmpl), "END\n");
}

// A template assembled by hand skips what parse() would have refused.
TEST(ReceiptTemplate, HandBuiltBadLinesPrintNothing) {
  ReceiptTemplate tmpl{{"{verdict}", "{no_such_field}", "@nope", "END"}};
  EXPECT_EQ(render_text(chip_sale(), ReceiptCopy::customer, tmpl), "APPROVED\nEND\n");
}

TEST(ReceiptTemplate, NonAsciiIsReplacedBeforeColumnsAreCounted) {
  ReceiptData d = chip_sale();
  d.merchant.name = "CAF\xC3\x89 \xE2\x98\x95";
  d.card_label = "CAF\xC3\x89";
  const std::string text = render_text(d, ReceiptCopy::customer);
  expect_well_formed(text, 32);
  EXPECT_TRUE(has_line(text, "             CAF? ?"));
  EXPECT_TRUE(has_line(text, "CAF?            476173******0010"));
}

}  // namespace
}  // namespace tender::app

namespace tender::app {
namespace {

// The trial's receipt wrapped a host's UUID in the middle of a group: a reference longer than
// the line goes on lines of its own, broken only after a '-', so every group prints whole.
TEST(Receipt, LongHostReferenceIsNeverSplitInsideAToken) {
  ReceiptData d = swipe_sale();
  d.host_reference = "0b7f9b8e-6c1d-4a8e-9f6e-1234567890ab";
  d.reference_id = "c0ffee00-1111-4222-8333-444455556666";
  for (const int width : {24, 32, 42}) {
    const std::string text = render_text(d, ReceiptCopy::customer, ReceiptTemplate::standard(), width);
    expect_well_formed(text, static_cast<std::size_t>(width));
    for (const std::string& uuid : {d.host_reference, d.reference_id}) {
      // Every group of the UUID stands whole on one line, and the lines rebuild it in order.
      std::string rebuilt;
      for (const std::string& line : lines_of(text)) {
        const auto first = line.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        const std::string piece = line.substr(first);
        if (uuid.find(piece) != std::string::npos && (rebuilt + piece).size() <= uuid.size() &&
            uuid.compare(0, rebuilt.size() + piece.size(), rebuilt + piece) == 0) {
          rebuilt += piece;
        }
      }
      EXPECT_EQ(rebuilt, uuid) << "width " << width << "\n" << text;
      for (const std::string& line : lines_of(text)) {
        // A line holding part of the UUID ends at a group's end (a '-' or the UUID's end).
        const auto first = line.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        const std::string piece = line.substr(first);
        const auto at = uuid.find(piece);
        if (piece.size() < 4 || at == std::string::npos) continue;
        const std::size_t end = at + piece.size();
        EXPECT_TRUE(end == uuid.size() || uuid[end - 1] == '-') << "width " << width << ": '" << line << "'";
      }
    }
  }
}

// One verdict line: the host's "APPROVAL" does not print under "APPROVED"; a decline still
// says why in the host's words.
TEST(Receipt, OneVerdictLineOnAnApproval) {
  ReceiptData d = swipe_sale();
  d.response_message = "APPROVAL";
  const std::string approved = render_text(d, ReceiptCopy::merchant);
  EXPECT_EQ(approved.find("APPROVAL"), std::string::npos) << approved;
  EXPECT_TRUE(has_line(approved, "            APPROVED")) << approved;
  d.verdict = ReceiptVerdict::declined;
  d.response_message = "INSUFFICIENT FUNDS";
  const std::string declined = render_text(d, ReceiptCopy::merchant);
  EXPECT_NE(declined.find("INSUFFICIENT FUNDS"), std::string::npos) << declined;
}

}  // namespace
}  // namespace tender::app

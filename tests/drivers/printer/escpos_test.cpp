#include "drivers/printer/escpos.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/test_hex.hpp"

// Expected bytes are spelled out from the ESC/POS command reference: ESC @ = 1B 40,
// ESC a n = 1B 61 n, ESC E n = 1B 45 n, GS ! n = 1D 21 n, ESC d n = 1B 64 n,
// GS V 66 n = 1D 56 42 n, LF = 0A.
namespace tender::printer {
namespace {

using test::hex;

std::string text_of(const Bytes& b) { return std::string(b.begin(), b.end()); }

TEST(EscPos, EmptyDocumentIsJustInitialize) {
  EXPECT_EQ(to_hex(encode_escpos(Document{})), "1B40");
}

TEST(EscPos, PlainLineNeedsNoModeCommands) {
  Document doc;
  doc.line("HI");
  EXPECT_EQ(encode_escpos(doc), hex("1B40 4849 0A"));
}

TEST(EscPos, CentredBoldLineThenPlainLine) {
  Document doc;
  doc.line("AB", Align::center, true).line("C");
  EXPECT_EQ(encode_escpos(doc), hex("1B40"
                                    "1B6101 1B4501 4142 0A"
                                    "1B6100 1B4500 43 0A"));
}

TEST(EscPos, DoubleSizeRightAligned) {
  Document doc;
  doc.line("OK", Align::right, false, true).line("x");
  EXPECT_EQ(encode_escpos(doc), hex("1B40"
                                    "1B6102 1D2111 4F4B 0A"
                                    "1B6100 1D2100 78 0A"));
}

TEST(EscPos, ModesAreSentOnlyOnChange) {
  Document doc;
  doc.line("A", Align::center, true).line("B", Align::center, true);
  EXPECT_EQ(encode_escpos(doc), hex("1B40 1B6101 1B4501 41 0A 42 0A"));
}

TEST(EscPos, RuleIsFullWidthDashesInNormalMode) {
  Document doc;
  doc.line("T", Align::center, true, true).rule();
  const Bytes out = encode_escpos(doc, EscPosOptions{.width = 32});
  Bytes expected = hex("1B40 1B6101 1B4501 1D2111 54 0A 1B6100 1B4500 1D2100");
  expected.insert(expected.end(), 32, '-');
  expected.push_back(0x0A);
  EXPECT_EQ(out, expected);

  const Bytes wide = encode_escpos(Document{}.rule(), EscPosOptions{.width = 42});
  EXPECT_EQ(text_of(wide), "\x1B@" + std::string(42, '-') + "\n");
}

TEST(EscPos, FeedAndCut) {
  Document doc;
  doc.line("A").feed(3).cut();
  EXPECT_EQ(encode_escpos(doc), hex("1B40 41 0A 1B6403 1D564200"));
}

TEST(EscPos, LongFeedIsSplitIntoOneByteCounts) {
  EXPECT_EQ(encode_escpos(Document{}.feed(300)), hex("1B40 1B64FF 1B642D"));
  EXPECT_EQ(encode_escpos(Document{}.feed(0)), hex("1B40"));
  EXPECT_EQ(encode_escpos(Document{}.feed(-2)), hex("1B40"));
}

TEST(EscPos, WithoutCutterCutFeedsToTearBar) {
  Document doc;
  doc.cut();
  EXPECT_EQ(encode_escpos(doc, EscPosOptions{.width = 32, .cut = false}), hex("1B40 1B6404"));
  EXPECT_EQ(encode_escpos(doc, EscPosOptions{.width = 32, .cut = false, .tear_feed_lines = 6}),
            hex("1B40 1B6406"));
}

// A host's decline message or a merchant name from config must not reach the printer as
// commands: here one that would re-initialise, cut the paper and open the cash drawer.
TEST(EscPos, ControlBytesInTextNeverReachThePrinter) {
  Document doc;
  doc.line(std::string{"A\x1B@B\x1DV\x42\x00" "C\x1Bp\x00\x19\xFA" "D\r\nE\x7F", 19});
  const Bytes out = encode_escpos(doc);
  ASSERT_GE(out.size(), 2u);
  for (std::size_t i = 2; i < out.size() - 1; ++i) {
    EXPECT_GE(out[i], 0x20) << "at " << i;
    EXPECT_LT(out[i], 0x7F) << "at " << i;
  }
  EXPECT_EQ(text_of(out), "\x1B@A?@B?VB?C?p??" "?D??E?\n");
}

TEST(EscPos, PrintableAscii) {
  EXPECT_EQ(printable_ascii("Plain text 123 ~!"), "Plain text 123 ~!");
  EXPECT_EQ(printable_ascii("a\tb"), "a b");
  EXPECT_EQ(printable_ascii("Caf\xC3\xA9"), "Caf?");            // one UTF-8 character, one '?'
  EXPECT_EQ(printable_ascii("\xE2\x82\xAC" "5"), "?5");         // euro sign
  EXPECT_EQ(printable_ascii("\x80\x80x"), "??x");               // stray continuation bytes
  EXPECT_EQ(printable_ascii("\xC3"), "?");                      // truncated sequence
  EXPECT_EQ(printable_ascii(std::string_view{"\0", 1}), "?");
}

TEST(EscPos, NonAsciiBecomesQuestionMark) {
  Document doc;
  doc.line("CAF\xC3\x89");
  EXPECT_EQ(text_of(encode_escpos(doc)), "\x1B@CAF?\n");
}

TEST(Wrap, AtWordBoundaries) {
  EXPECT_EQ(wrap("THANK YOU FOR SHOPPING WITH US", 12),
            (std::vector<std::string>{"THANK YOU", "FOR SHOPPING", "WITH US"}));
  EXPECT_EQ(wrap("exactly ten", 11), (std::vector<std::string>{"exactly ten"}));
  EXPECT_EQ(wrap("", 10), (std::vector<std::string>{""}));
}

TEST(Wrap, LongWordIsSplit) {
  EXPECT_EQ(wrap("ABCDEFGHIJKLMNOP", 6), (std::vector<std::string>{"ABCDEF", "GHIJKL", "MNOP"}));
  EXPECT_EQ(wrap("AB CDEFGHIJKLMN", 6), (std::vector<std::string>{"AB", "CDEFGH", "IJKLMN"}));
}

TEST(Wrap, InnerSpacesKeptBreakSpacesDropped) {
  EXPECT_EQ(wrap("A    B", 10), (std::vector<std::string>{"A    B"}));
  EXPECT_EQ(wrap("AAA    BBB", 5), (std::vector<std::string>{"AAA", "BBB"}));
  EXPECT_EQ(wrap("   ", 2), (std::vector<std::string>{""}));
}

TEST(EscPos, LongLinesWrapToWidth) {
  Document doc;
  doc.line("PLEASE RETAIN THIS RECEIPT FOR YOUR RECORDS", Align::center);
  EXPECT_EQ(text_of(encode_escpos(doc, EscPosOptions{.width = 32})),
            "\x1B@\x1B" "a\x01PLEASE RETAIN THIS RECEIPT FOR\nYOUR RECORDS\n");
  EXPECT_EQ(text_of(encode_escpos(doc, EscPosOptions{.width = 48})),
            "\x1B@\x1B" "a\x01PLEASE RETAIN THIS RECEIPT FOR YOUR RECORDS\n");
}

// Double width halves what fits on a line.
TEST(EscPos, DoubleSizeLinesWrapAtHalfWidth) {
  Document doc;
  doc.line("PARTIALLY APPROVED", Align::center, false, true);
  EXPECT_EQ(text_of(encode_escpos(doc, EscPosOptions{.width = 32})),
            "\x1B@\x1B" "a\x01\x1D!\x11PARTIALLY\nAPPROVED\n");
  EXPECT_EQ(text_of(encode_escpos(doc, EscPosOptions{.width = 42})),
            "\x1B@\x1B" "a\x01\x1D!\x11PARTIALLY APPROVED\n");
}

TEST(EscPos, ZeroWidthDoesNotLoop) {
  Document doc;
  doc.line("AB");
  EXPECT_EQ(text_of(encode_escpos(doc, EscPosOptions{.width = 0})), "\x1B@A\nB\n");
}

}  // namespace
}  // namespace tender::printer

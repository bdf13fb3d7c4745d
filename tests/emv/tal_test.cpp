// The commands of EMV 4.4 Book 3 section 6.5 as bytes, the status word table, and the
// response templates, malformed ones included.
#include "emv/tal.hpp"

#include <gtest/gtest.h>

#include "tests/emv/test_card.hpp"

namespace tender::emv {
namespace {

using kt::hex;

// Records each command and answers with a fixed response.
struct Fixture : ::testing::Test {
  Fixture() {
    reader.insert(&card);
    EXPECT_TRUE(reader.power_on().has_value());
  }
  void answer(std::string_view response) { card.on({}, hex(response)); }
  std::string sent() const { return card.log.empty() ? "" : to_hex(card.log.back()); }

  kt::TestCard card;
  icc::SimReader reader;
  Ttl ttl{reader, TtlOptions{TransmissionProtocol::t1, {}}};
};

using Tal = Fixture;

TEST_F(Tal, CommandBytes) {
  answer("9000");
  ASSERT_TRUE(select(ttl, hex("A0000000031010")).has_value());
  EXPECT_EQ(sent(), "00A4040007A000000003101000");
  ASSERT_TRUE(select(ttl, hex("A0000000031010"), SelectOccurrence::next).has_value());
  EXPECT_EQ(sent(), "00A4040207A000000003101000");
  ASSERT_TRUE(read_record(ttl, 1, 1).has_value());
  EXPECT_EQ(sent(), "00B2010C00");
  ASSERT_TRUE(read_record(ttl, 30, 255).has_value());
  EXPECT_EQ(sent(), "00B2FFF400");
  ASSERT_TRUE(get_processing_options(ttl, {}).has_value());
  EXPECT_EQ(sent(), "80A80000028300" "00");
  ASSERT_TRUE(get_processing_options(ttl, hex("000000001000")).has_value());
  EXPECT_EQ(sent(), "80A8000008830600000000100000");
  ASSERT_TRUE(get_data(ttl, 0x9F17).has_value());
  EXPECT_EQ(sent(), "80CA9F1700");
  ASSERT_TRUE(get_challenge(ttl).has_value());
  EXPECT_EQ(sent(), "0084000000");
  ASSERT_TRUE(internal_authenticate(ttl, hex("11223344")).has_value());
  EXPECT_EQ(sent(), "00880000041122334400");
  ASSERT_TRUE(verify(ttl, PinQualifier::plaintext, hex("241234FFFFFFFFFF")).has_value());
  EXPECT_EQ(sent(), "0020008008241234FFFFFFFFFF");
  ASSERT_TRUE(generate_ac(ttl, CryptogramType::arqc, false, hex("0102")).has_value());
  EXPECT_EQ(sent(), "80AE800002010200");
  ASSERT_TRUE(generate_ac(ttl, CryptogramType::tc, true, hex("0102")).has_value());
  EXPECT_EQ(sent(), "80AE500002010200");
  ASSERT_TRUE(generate_ac(ttl, CryptogramType::aac, false, hex("0102")).has_value());
  EXPECT_EQ(sent(), "80AE000002010200");
  ASSERT_TRUE(external_authenticate(ttl, hex("11223344556677883030")).has_value());
  EXPECT_EQ(sent(), "008200000A11223344556677883030");
  ASSERT_TRUE(issuer_script_command(ttl, hex("841E000008 1122334455667788")).has_value());
  EXPECT_EQ(sent(), "841E0000081122334455667788");
}

TEST_F(Tal, BadArguments) {
  EXPECT_EQ(select(ttl, hex("A000")).error().code, Errc::invalid_argument);
  EXPECT_EQ(read_record(ttl, 0, 1).error().code, Errc::invalid_argument);
  EXPECT_EQ(read_record(ttl, 31, 1).error().code, Errc::invalid_argument);
  EXPECT_EQ(read_record(ttl, 1, 0).error().code, Errc::invalid_argument);
  EXPECT_EQ(external_authenticate(ttl, hex("11")).error().code, Errc::invalid_argument);
  EXPECT_EQ(issuer_script_command(ttl, hex("8424")).error().code, Errc::malformed);
  EXPECT_EQ(get_processing_options(ttl, Bytes(253, 0)).error().code, Errc::invalid_argument);
}

TEST(TalStatusWords, MeaningPerCommand) {
  EXPECT_EQ(classify(TalCommand::select, 0x9000), SwMeaning::ok);
  EXPECT_EQ(classify(TalCommand::select, 0x6283), SwMeaning::selected_file_invalidated);
  EXPECT_EQ(classify(TalCommand::select, 0x6A81), SwMeaning::function_not_supported);
  EXPECT_EQ(classify(TalCommand::select, 0x6A82), SwMeaning::file_not_found);
  EXPECT_EQ(classify(TalCommand::read_record, 0x6A83), SwMeaning::record_not_found);
  EXPECT_EQ(classify(TalCommand::get_processing_options, 0x6985), SwMeaning::conditions_of_use_not_satisfied);
  EXPECT_EQ(classify(TalCommand::generate_ac, 0x6985), SwMeaning::error);
  EXPECT_EQ(classify(TalCommand::verify, 0x63C2), SwMeaning::pin_tries_remaining);
  EXPECT_EQ(classify(TalCommand::verify, 0x63C0), SwMeaning::pin_tries_remaining);
  EXPECT_EQ(classify(TalCommand::verify, 0x6983), SwMeaning::authentication_method_blocked);
  EXPECT_EQ(classify(TalCommand::verify, 0x6984), SwMeaning::reference_data_invalidated);
  EXPECT_EQ(classify(TalCommand::external_authenticate, 0x6300), SwMeaning::authentication_failed);
  EXPECT_EQ(classify(TalCommand::get_data, 0x6A88), SwMeaning::referenced_data_not_found);
  EXPECT_EQ(classify(TalCommand::issuer_script, 0x6283), SwMeaning::warning);
  EXPECT_EQ(classify(TalCommand::issuer_script, 0x63C1), SwMeaning::warning);
  EXPECT_EQ(classify(TalCommand::issuer_script, 0x6985), SwMeaning::error);
  EXPECT_EQ(classify(TalCommand::read_record, 0x6283), SwMeaning::error);
  EXPECT_EQ(name(TalCommand::generate_ac), "GENERATE AC");
  CardResponse r{SwMeaning::pin_tries_remaining, 0x63C2, {}};
  EXPECT_EQ(r.pin_tries(), 2u);
}

TEST(TalResponses, Fci) {
  const Bytes fci = hex(
      "6F 34 84 07 A0000000031010 A5 29 50 0B 5649534120435245444954 87 01 81"
      " 9F38 03 9F3704 5F2D 02 656E 9F11 01 01 9F12 04 56495341 BF0C 00");
  auto parsed = parse_fci(fci);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  EXPECT_EQ(to_hex(parsed->df_name), "A0000000031010");
  EXPECT_EQ(to_hex(parsed->label), "5649534120435245444954");
  EXPECT_EQ(parsed->priority, 0x81);
  EXPECT_EQ(to_hex(parsed->pdol), "9F3704");
  EXPECT_EQ(parsed->issuer_code_table_index, 0x01);
  EXPECT_EQ(to_hex(parsed->preferred_name), "56495341");
  EXPECT_FALSE(parsed->sfi.has_value());

  EXPECT_FALSE(parse_fci(hex("6F 03 84 01 A0")).has_value());          // no A5
  EXPECT_FALSE(parse_fci(hex("6F 04 A5 02 50 00")).has_value());       // no 84
  EXPECT_FALSE(parse_fci(hex("70 05 84 01 A0 A5 00")).has_value());    // not 6F
  EXPECT_FALSE(parse_fci(hex("6F 0A 84 01 A0 A5 05 87 02 0101")).has_value());  // 87 two bytes
  EXPECT_FALSE(parse_fci(hex("6F 10 84")).has_value());                 // truncated
  EXPECT_FALSE(parse_fci({}).has_value());
}

TEST(TalResponses, ProcessingOptions) {
  auto f1 = parse_processing_options(hex("80 0E 1C00 08010100 10010300 18010201"));
  ASSERT_TRUE(f1.has_value());
  EXPECT_EQ(to_hex(f1->aip), "1C00");
  EXPECT_EQ(to_hex(f1->afl), "080101001001030018010201");
  ASSERT_EQ(f1->objects.size(), 2u);
  EXPECT_EQ(f1->objects[1].tag, 0x94u);

  auto f2 = parse_processing_options(hex("77 11 82 02 3900 94 04 08010100 9F36 02 0012 57 00"));
  ASSERT_TRUE(f2.has_value());
  EXPECT_EQ(to_hex(f2->aip), "3900");
  EXPECT_EQ(f2->objects.size(), 4u);

  EXPECT_FALSE(parse_processing_options(hex("80 01 1C")).has_value());
  EXPECT_FALSE(parse_processing_options(hex("80 05 1C00 080101")).has_value());
  EXPECT_FALSE(parse_processing_options(hex("77 04 82 02 3900")).has_value());
  EXPECT_FALSE(parse_processing_options(hex("77 08 82 01 39 94 04 08010100")).has_value());
  EXPECT_FALSE(parse_processing_options(hex("6F 00")).has_value());
  EXPECT_FALSE(parse_processing_options(hex("80 02 1C00 80 02 1C00")).has_value());
}

TEST(TalResponses, GenerateAcFormat1) {
  auto r = parse_generate_ac_response(hex("80 12 80 0011 1122334455667788 06010A03A00000"));
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->format2);
  EXPECT_EQ(r->cid, 0x80);
  EXPECT_EQ(to_hex(r->atc), "0011");
  EXPECT_EQ(to_hex(r->ac), "1122334455667788");
  EXPECT_EQ(to_hex(r->iad), "06010A03A00000");
  EXPECT_FALSE(parse_generate_ac_response(hex("80 0A 80 0011 11223344556677")).has_value());
}

TEST(TalResponses, GenerateAcFormat2KeepsTheCardsEncodingForCda) {
  // 9F10 with a non-minimal length (81 07): the hash must see it as sent.
  const Bytes response = hex("77 1B 9F27 01 40 9F36 02 0011 9F4B 04 AABBCCDD 9F10 81 07 06010A03A00000");
  auto r = parse_generate_ac_response(response);
  ASSERT_TRUE(r.has_value()) << r.error().describe();
  EXPECT_TRUE(r->format2);
  EXPECT_EQ(r->cid, 0x40);
  EXPECT_TRUE(r->ac.empty());
  EXPECT_EQ(to_hex(r->sdad), "AABBCCDD");
  EXPECT_EQ(to_hex(r->objects_except_sdad), "9F2701409F360200119F10810706010A03A00000");

  EXPECT_FALSE(parse_generate_ac_response(hex("77 07 9F27 01 40 9F36 02 0011")).has_value());  // no AC
  EXPECT_FALSE(parse_generate_ac_response(hex("77 0C 9F36 02 0011 9F26 04 11223344")).has_value());
  EXPECT_FALSE(parse_generate_ac_response(hex("77 0E 9F27 01 40 9F36 01 00 9F26 03 112233")).has_value());
}

TEST(TalResponses, InternalAuthenticateAndGetData) {
  EXPECT_EQ(to_hex(*parse_internal_authenticate_response(hex("80 03 010203"))), "010203");
  EXPECT_EQ(to_hex(*parse_internal_authenticate_response(hex("77 06 9F4B 03 010203"))), "010203");
  EXPECT_FALSE(parse_internal_authenticate_response(hex("77 03 9F10 00")).has_value());
  EXPECT_FALSE(parse_internal_authenticate_response(hex("81 00")).has_value());
  EXPECT_EQ(to_hex(*parse_get_data_response(hex("9F17 01 03"), 0x9F17)), "03");
  EXPECT_FALSE(parse_get_data_response(hex("9F36 02 0001"), 0x9F17).has_value());
  EXPECT_FALSE(parse_get_data_response(hex("9F17"), 0x9F17).has_value());
}

}  // namespace
}  // namespace tender::emv

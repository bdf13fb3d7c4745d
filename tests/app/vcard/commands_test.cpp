// tender-vcard's arguments and stdin commands as values.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "app/vcard/commands.hpp"

namespace tender::app::vcard {
namespace {

Result<Options> parse(std::vector<std::string_view> args) { return parse_arguments(args); }

TEST(VcardArguments, DefaultsAreVpcdsFirstSlotAndAnEmptySlot) {
  auto o = parse({});
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->vpcd.host, "127.0.0.1");
  EXPECT_EQ(o->vpcd.port, 35963);
  EXPECT_TRUE(o->cards.empty());
  EXPECT_FALSE(o->insert);
  EXPECT_FALSE(o->verbose || o->help || o->version);
}

TEST(VcardArguments, EveryOption) {
  auto o = parse({"--vpcd", "127.0.0.1:35964", "--card", "a.json", "--card", "b.json", "--insert", "visa_dda",
                  "--verbose"});
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->vpcd.port, 35964);
  EXPECT_EQ(o->cards, (std::vector<std::string>{"a.json", "b.json"}));
  EXPECT_EQ(o->insert, "visa_dda");
  EXPECT_TRUE(o->verbose);
  EXPECT_TRUE(parse({"--help"})->help);
  EXPECT_TRUE(parse({"--version"})->version);
}

TEST(VcardArguments, Ipv6InBrackets) {
  auto o = parse({"--vpcd", "[::1]:35963"});
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->vpcd.host, "::1");
  EXPECT_EQ(to_string(o->vpcd), "[::1]:35963");
  EXPECT_EQ(to_string(VpcdAddress{}), "127.0.0.1:35963");
}

TEST(VcardArguments, BadInputNamesTheArgument) {
  struct Case {
    std::vector<std::string_view> args;
    std::string_view says;
  };
  const std::vector<Case> cases = {
      {{"--vpcd", "localhost:35963"}, "--vpcd: the host must be a numeric"},
      {{"--vpcd", "127.0.0.1"}, "--vpcd: expected HOST:PORT"},
      {{"--vpcd", "127.0.0.1:0"}, "--vpcd: the port must be a number from 1 to 65535"},
      {{"--vpcd", "127.0.0.1:65536"}, "--vpcd: the port"},
      {{"--vpcd", "127.0.0.1:12x"}, "--vpcd: the port"},
      {{"--vpcd", "[::1:35963"}, "--vpcd: an IPv6 address is written"},
      {{"--vpcd", "127.0.0.1:1", "--vpcd", "127.0.0.1:2"}, "--vpcd given twice"},
      {{"--insert", "a", "--insert", "b"}, "--insert given twice"},
      {{"--insert"}, "--insert needs a value"},
      {{"--card", ""}, "--card must not be empty"},
      {{"--slot", "1"}, "unknown argument --slot"},
  };
  for (const Case& c : cases) {
    auto o = parse(c.args);
    ASSERT_FALSE(o) << c.says;
    EXPECT_EQ(o.error().code, Errc::invalid_argument);
    EXPECT_NE(o.error().message.find(c.says), std::string::npos) << o.error().message;
  }
}

TEST(VcardArguments, AnUnknownArgumentIsNotEchoedWithCardData) {
  auto o = parse({"4761739001010010"});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().message.find("4761739001010010"), std::string::npos) << o.error().message;
}

TEST(VcardCommands, EveryVerb) {
  struct Case {
    std::string_view line;
    Verb verb;
    std::string_view card;
  };
  const std::vector<Case> cases = {
      {"list", Verb::list, ""},          {"insert visa_dda", Verb::insert, "visa_dda"},
      {"remove", Verb::remove, ""},      {"  swap\t/tmp/card.json", Verb::swap, "/tmp/card.json"},
      {"status\r", Verb::status, ""},    {"help", Verb::help, ""},
      {"quit", Verb::quit, ""},          {"swap mc_cda  ", Verb::swap, "mc_cda"},
  };
  for (const Case& c : cases) {
    auto command = parse_command(c.line);
    ASSERT_TRUE(command) << c.line << ": " << command.error().describe();
    ASSERT_TRUE(command->has_value()) << c.line;
    EXPECT_EQ((*command)->verb, c.verb) << c.line;
    EXPECT_EQ((*command)->card, c.card) << c.line;
  }
}

TEST(VcardCommands, BlankAndCommentLinesAreSkipped) {
  for (std::string_view line : {"", "   ", "\t\r", "# insert visa_dda", "#"}) {
    auto command = parse_command(line);
    ASSERT_TRUE(command) << line;
    EXPECT_FALSE(command->has_value()) << line;
  }
}

TEST(VcardCommands, BadLinesSayWhy) {
  struct Case {
    std::string_view line;
    std::string_view says;
  };
  const std::vector<Case> cases = {
      {"insert", "insert: which card?"},
      {"swap", "swap: which card?"},
      {"remove visa_dda", "remove: too many words"},
      {"insert a b", "insert: too many words"},
      {"swap /tmp/my card.json", "swap: too many words"},  // no quoting: load such a file with --card
      {"eject", "unknown command eject (list, insert, remove, swap, status, help, quit)"},
      {"INSERT visa_dda", "unknown command INSERT"},
  };
  for (const Case& c : cases) {
    auto command = parse_command(c.line);
    ASSERT_FALSE(command) << c.line;
    EXPECT_EQ(command.error().code, Errc::invalid_argument);
    EXPECT_NE(command.error().message.find(c.says), std::string::npos) << command.error().message;
  }
}

TEST(VcardCommands, HelpListsEveryVerb) {
  for (std::string_view verb : {"list", "insert", "remove", "swap", "status", "help", "quit"}) {
    EXPECT_NE(command_help().find("  " + std::string(verb)), std::string_view::npos) << verb;
  }
  EXPECT_EQ(usage().rfind("usage: tender-vcard", 0), 0U);
}

}  // namespace
}  // namespace tender::app::vcard

#include "emv/tags.hpp"

#include <algorithm>
#include <array>

namespace tender::emv {
namespace {

using F = TagFormat;
using S = TagSource;

// "var." with no bound in Annex A: a short APDU never carries more than 255 bytes.
constexpr std::uint16_t kVar = 255;

// EMV 4.4 Book 3 Annex A, Table 33, tagged data elements only, in tag order (the
// order is checked at compile time below). Where the table's Length column gives
// a formula (NCA, NI, NIC) the range is that of the key sizes Book 2 allows.
constexpr std::array kTags = std::to_array<TagInfo>({
    {0x42, "Issuer Identification Number (IIN)", F::n, S::icc, 3, 3},
    {0x4F, "Application Dedicated File (ADF) Name", F::b, S::icc, 5, 16},
    {0x50, "Application Label", F::ans, S::icc, 1, 16},
    {0x57, "Track 2 Equivalent Data", F::b, S::icc, 0, 19},
    {0x5A, "Application Primary Account Number (PAN)", F::cn, S::icc, 0, 10},
    {0x61, "Application Template", F::var, S::icc, 0, 252},
    {0x6F, "File Control Information (FCI) Template", F::var, S::icc, 0, 252},
    {0x70, "READ RECORD Response Message Template", F::var, S::icc, 0, 252},
    {0x71, "Issuer Script Template 1", F::var, S::issuer, 0, kVar},
    {0x72, "Issuer Script Template 2", F::var, S::issuer, 0, kVar},
    {0x73, "Directory Discretionary Template", F::var, S::icc, 0, 252},
    {0x77, "Response Message Template Format 2", F::var, S::icc, 0, kVar},
    {0x80, "Response Message Template Format 1", F::var, S::icc, 0, kVar},
    {0x81, "Amount, Authorised (Binary)", F::b, S::terminal, 4, 4},
    {0x82, "Application Interchange Profile", F::b, S::icc, 2, 2},
    {0x83, "Command Template", F::b, S::terminal, 0, kVar},
    {0x84, "Dedicated File (DF) Name", F::b, S::icc, 5, 16},
    {0x86, "Issuer Script Command", F::b, S::issuer, 0, 261},
    {0x87, "Application Priority Indicator", F::b, S::icc, 1, 1},
    {0x88, "Short File Identifier (SFI)", F::b, S::icc, 1, 1},
    {0x89, "Authorisation Code", F::an, S::issuer, 6, 6},
    {0x8A, "Authorisation Response Code", F::an, S::issuer, 2, 2},
    {0x8C, "Card Risk Management Data Object List 1 (CDOL1)", F::b, S::icc, 0, 252},
    {0x8D, "Card Risk Management Data Object List 2 (CDOL2)", F::b, S::icc, 0, 252},
    {0x8E, "Cardholder Verification Method (CVM) List", F::b, S::icc, 10, 252},
    {0x8F, "Certification Authority Public Key Index", F::b, S::icc, 1, 1},
    {0x90, "Issuer Public Key Certificate", F::b, S::icc, 1, 248},
    {0x91, "Issuer Authentication Data", F::b, S::issuer, 8, 16},
    {0x92, "Issuer Public Key Remainder", F::b, S::icc, 1, 248},
    {0x93, "Signed Static Application Data", F::b, S::icc, 1, 248},
    {0x94, "Application File Locator (AFL)", F::var, S::icc, 0, 252},
    {0x95, "Terminal Verification Results", F::b, S::terminal, 5, 5},
    {0x97, "Transaction Certificate Data Object List (TDOL)", F::b, S::icc, 0, 252},
    {0x98, "Transaction Certificate (TC) Hash Value", F::b, S::terminal, 20, 20},
    {0x99, "Transaction Personal Identification Number (PIN) Data", F::b, S::terminal, 0, kVar},
    {0x9A, "Transaction Date", F::n, S::terminal, 3, 3},
    {0x9B, "Transaction Status Information", F::b, S::terminal, 2, 2},
    {0x9C, "Transaction Type", F::n, S::terminal, 1, 1},
    {0x9D, "Directory Definition File (DDF) Name", F::b, S::icc, 5, 16},
    {0xA5, "File Control Information (FCI) Proprietary Template", F::var, S::icc, 0, kVar},
    {0x5F20, "Cardholder Name", F::ans, S::icc, 2, 26},
    {0x5F24, "Application Expiration Date", F::n, S::icc, 3, 3},
    {0x5F25, "Application Effective Date", F::n, S::icc, 3, 3},
    {0x5F28, "Issuer Country Code", F::n, S::icc, 2, 2},
    {0x5F2A, "Transaction Currency Code", F::n, S::terminal, 2, 2},
    {0x5F2D, "Language Preference", F::an, S::icc, 2, 8},
    {0x5F30, "Service Code", F::n, S::icc, 2, 2},
    {0x5F34, "Application Primary Account Number (PAN) Sequence Number", F::n, S::icc, 1, 1},
    {0x5F36, "Transaction Currency Exponent", F::n, S::terminal, 1, 1},
    {0x5F50, "Issuer URL", F::ans, S::icc, 0, kVar},
    {0x5F53, "International Bank Account Number (IBAN)", F::var, S::icc, 0, 34},
    {0x5F54, "Bank Identifier Code (BIC)", F::var, S::icc, 8, 11},
    {0x5F55, "Issuer Country Code (alpha2 format)", F::a, S::icc, 2, 2},
    {0x5F56, "Issuer Country Code (alpha3 format)", F::a, S::icc, 3, 3},
    {0x5F57, "Account Type", F::n, S::terminal, 1, 1},
    {0x9F01, "Acquirer Identifier", F::n, S::terminal, 6, 6},
    {0x9F02, "Amount, Authorised (Numeric)", F::n, S::terminal, 6, 6},
    {0x9F03, "Amount, Other (Numeric)", F::n, S::terminal, 6, 6},
    {0x9F04, "Amount, Other (Binary)", F::b, S::terminal, 4, 4},
    {0x9F05, "Application Discretionary Data", F::b, S::icc, 1, 32},
    {0x9F06, "Application Identifier (AID) - terminal", F::b, S::terminal, 5, 16},
    {0x9F07, "Application Usage Control", F::b, S::icc, 2, 2},
    {0x9F08, "Application Version Number", F::b, S::icc, 2, 2},
    {0x9F09, "Application Version Number", F::b, S::terminal, 2, 2},
    {0x9F0A, "Application Selection Registered Proprietary Data (ASRPD)", F::b, S::icc, 0, kVar},
    {0x9F0B, "Cardholder Name Extended", F::ans, S::icc, 27, 45},
    {0x9F0C, "Issuer Identification Number Extended (IINE)", F::n, S::icc, 3, 4},
    {0x9F0D, "Issuer Action Code - Default", F::b, S::icc, 5, 5},
    {0x9F0E, "Issuer Action Code - Denial", F::b, S::icc, 5, 5},
    {0x9F0F, "Issuer Action Code - Online", F::b, S::icc, 5, 5},
    {0x9F10, "Issuer Application Data", F::b, S::icc, 0, 32},
    {0x9F11, "Issuer Code Table Index", F::n, S::icc, 1, 1},
    {0x9F12, "Application Preferred Name", F::ans, S::icc, 1, 16},
    {0x9F13, "Last Online Application Transaction Counter (ATC) Register", F::b, S::icc, 2, 2},
    {0x9F14, "Lower Consecutive Offline Limit", F::b, S::icc, 1, 1},
    {0x9F15, "Merchant Category Code", F::n, S::terminal, 2, 2},
    {0x9F16, "Merchant Identifier", F::ans, S::terminal, 15, 15},
    {0x9F17, "Personal Identification Number (PIN) Try Counter", F::b, S::icc, 1, 1},
    {0x9F18, "Issuer Script Identifier", F::b, S::issuer, 4, 4},
    {0x9F19, "Token Requestor ID", F::n, S::icc, 6, 6},
    {0x9F1A, "Terminal Country Code", F::n, S::terminal, 2, 2},
    {0x9F1B, "Terminal Floor Limit", F::b, S::terminal, 4, 4},
    {0x9F1C, "Terminal Identification", F::an, S::terminal, 8, 8},
    {0x9F1D, "Terminal Risk Management Data", F::b, S::terminal, 1, 8},
    {0x9F1E, "Interface Device (IFD) Serial Number", F::an, S::terminal, 8, 8},
    {0x9F1F, "Track 1 Discretionary Data", F::ans, S::icc, 0, kVar},
    {0x9F20, "Track 2 Discretionary Data", F::cn, S::icc, 0, kVar},
    {0x9F21, "Transaction Time", F::n, S::terminal, 3, 3},
    {0x9F22, "Certification Authority Public Key Index", F::b, S::terminal, 1, 1},
    {0x9F23, "Upper Consecutive Offline Limit", F::b, S::icc, 1, 1},
    {0x9F24, "Payment Account Reference (PAR)", F::an, S::icc, 29, 29},
    {0x9F25, "Last 4 Digits of PAN", F::n, S::icc, 2, 2},
    {0x9F26, "Application Cryptogram", F::b, S::icc, 8, 8},
    {0x9F27, "Cryptogram Information Data", F::b, S::icc, 1, 1},
    {0x9F2D, "Integrated Circuit Card (ICC) PIN Encipherment Public Key Certificate", F::b, S::icc,
     1, 248},
    {0x9F2E, "Integrated Circuit Card (ICC) PIN Encipherment Public Key Exponent", F::b, S::icc,
     1, 3},
    {0x9F2F, "Integrated Circuit Card (ICC) PIN Encipherment Public Key Remainder", F::b, S::icc,
     1, 248},
    {0x9F32, "Issuer Public Key Exponent", F::b, S::icc, 1, 3},
    {0x9F33, "Terminal Capabilities", F::b, S::terminal, 3, 3},
    {0x9F34, "Cardholder Verification Method (CVM) Results", F::b, S::terminal, 3, 3},
    {0x9F35, "Terminal Type", F::n, S::terminal, 1, 1},
    {0x9F36, "Application Transaction Counter (ATC)", F::b, S::icc, 2, 2},
    {0x9F37, "Unpredictable Number", F::b, S::terminal, 4, 4},
    {0x9F38, "Processing Options Data Object List (PDOL)", F::b, S::icc, 0, 252},
    {0x9F39, "Point-of-Service (POS) Entry Mode", F::n, S::terminal, 1, 1},
    {0x9F3A, "Amount, Reference Currency", F::b, S::terminal, 4, 4},
    {0x9F3B, "Application Reference Currency", F::n, S::icc, 2, 8},
    {0x9F3C, "Transaction Reference Currency Code", F::n, S::terminal, 2, 2},
    {0x9F3D, "Transaction Reference Currency Exponent", F::n, S::terminal, 1, 1},
    {0x9F40, "Additional Terminal Capabilities", F::b, S::terminal, 5, 5},
    {0x9F41, "Transaction Sequence Counter", F::n, S::terminal, 2, 4},
    {0x9F42, "Application Currency Code", F::n, S::icc, 2, 2},
    {0x9F43, "Application Reference Currency Exponent", F::n, S::icc, 1, 4},
    {0x9F44, "Application Currency Exponent", F::n, S::icc, 1, 1},
    {0x9F45, "Data Authentication Code", F::b, S::icc, 2, 2},
    {0x9F46, "Integrated Circuit Card (ICC) Public Key Certificate", F::b, S::icc, 1, 248},
    {0x9F47, "Integrated Circuit Card (ICC) Public Key Exponent", F::b, S::icc, 1, 3},
    {0x9F48, "Integrated Circuit Card (ICC) Public Key Remainder", F::b, S::icc, 1, 248},
    {0x9F49, "Dynamic Data Authentication Data Object List (DDOL)", F::b, S::icc, 0, 252},
    {0x9F4A, "Static Data Authentication Tag List", F::var, S::icc, 0, kVar},
    {0x9F4B, "Signed Dynamic Application Data", F::b, S::icc, 1, 248},
    {0x9F4C, "ICC Dynamic Number", F::b, S::icc, 2, 8},
    {0x9F4D, "Log Entry", F::b, S::icc, 2, 2},
    {0x9F4E, "Merchant Name and Location", F::ans, S::terminal, 0, kVar},
    {0x9F4F, "Log Format", F::b, S::icc, 0, kVar},
    {0xBF0C, "File Control Information (FCI) Issuer Discretionary Data", F::var, S::icc, 0, 222},
});

constexpr bool strictly_sorted() {
  for (std::size_t i = 1; i < kTags.size(); ++i) {
    if (kTags[i - 1].tag >= kTags[i].tag) return false;
  }
  return true;
}
static_assert(strictly_sorted(), "kTags must be in strictly ascending tag order for tag_info()");

}  // namespace

const TagInfo* tag_info(Tag tag) {
  const auto* it = std::lower_bound(kTags.begin(), kTags.end(), tag,
                                    [](const TagInfo& info, Tag t) { return info.tag < t; });
  return it != kTags.end() && it->tag == tag ? &*it : nullptr;
}

std::span<const TagInfo> all_tags() { return kTags; }

std::string_view to_string(TagFormat format) noexcept {
  switch (format) {
    case TagFormat::a: return "a";
    case TagFormat::an: return "an";
    case TagFormat::ans: return "ans";
    case TagFormat::b: return "b";
    case TagFormat::cn: return "cn";
    case TagFormat::n: return "n";
    case TagFormat::var: return "var";
  }
  return "?";
}

std::string_view to_string(TagSource source) noexcept {
  switch (source) {
    case TagSource::icc: return "ICC";
    case TagSource::terminal: return "Terminal";
    case TagSource::issuer: return "Issuer";
  }
  return "?";
}

}  // namespace tender::emv

// Initiate Application Processing (EMV 4.4 Book 3 10.1) and Read Application Data
// (10.2): GET PROCESSING OPTIONS with the PDOL data, the AIP and AFL it returns, then
// every record the AFL names into the context's ICC data, keeping the records marked for
// offline data authentication as Book 3 10.3 concatenates them.
#pragma once

#include <vector>

#include "common/bytes.hpp"
#include "common/result.hpp"
#include "emv/context.hpp"
#include "emv/selection.hpp"
#include "emv/ttl.hpp"

namespace tender::emv {

// One Application File Locator entry (Book 3 10.2).
struct AflEntry {
  Byte sfi = 0;           // 1..30
  Byte first_record = 0;  // 1..255
  Byte last_record = 0;   // >= first_record
  Byte oda_records = 0;   // how many, from first_record, take part in ODA

  friend bool operator==(const AflEntry&, const AflEntry&) = default;
};

// Four bytes an entry; Errc::malformed for SFI 0 or 31, record 0, last < first, or more
// ODA records than the range holds.
Result<std::vector<AflEntry>> parse_afl(ByteView afl);

// The selected application's FCI into the ICC data (84, 50, 87, 9F38, 5F2D, 9F11, 9F12,
// BF0C) and its AID (4F), and the terminal's data for it (Context::set_application_data).
void store_selected_application(Context& ctx, const Selection& selection);

enum class InitiateOutcome {
  ok,
  // '6985': the application cannot be used for this transaction (Book 3 10.1): remove
  // it from the candidates and go back to final selection.
  conditions_of_use_not_satisfied,
};

// Book 3 10.1: clears TVR and TSI, builds the PDOL data (9F38) into '83', sends GET
// PROCESSING OPTIONS, stores the AIP (82), AFL (94) and any other format 2 objects.
// Errors terminate the transaction (transport failure, malformed PDOL or response,
// status other than 9000 / 6985).
Result<InitiateOutcome> initiate_application_processing(Context& ctx, Ttl& ttl);

// Book 3 10.2: READ RECORD for every AFL entry. Records in SFI 1..10 must be '70'
// templates; their primitive objects go to the ICC data and a tag read twice terminates.
// Records of SFI 11..30 are issuer/payment-system proprietary: kept for ODA only. Then the
// mandatory objects 5F24, 5A, 8C and 8D must be there (terminate otherwise).
Result<void> read_application_data(Context& ctx, Ttl& ttl);

}  // namespace tender::emv

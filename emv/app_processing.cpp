#include "emv/app_processing.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "emv/dol.hpp"
#include "emv/tal.hpp"
#include "emv/tlv_view.hpp"

namespace tender::emv {
namespace {

// Book 3 10.2: the data objects a card must provide.
constexpr Tag kMandatory[] = {0x5F24, 0x5A, 0x8C, 0x8D};

Error terminate(std::string reason) { return make_error(Errc::malformed, std::move(reason)); }

std::string where(Byte sfi, unsigned record) {
  return "SFI " + std::to_string(sfi) + " record " + std::to_string(record);
}

// A READ RECORD response that is one well-formed '70' template (one walk, nothing
// built): the template, and in `objects` the data objects directly inside it. The
// caller keeps `objects` from record to record, so a transaction allocates it once.
std::optional<TlvObject> single_record_template(ByteView record, std::vector<TlvObject>& objects) {
  objects.clear();
  const auto single = walk_single(record, [&](const TlvObject& object, TlvParent parent, const TlvObject& top) {
    if (parent.is(top)) objects.push_back(object);
  });
  if (!single || !*single || (*single)->tag != 0x70) return std::nullopt;
  return **single;
}

}  // namespace

Result<std::vector<AflEntry>> parse_afl(ByteView afl) {
  if (afl.size() % 4 != 0) return terminate("AFL length is not a multiple of 4");
  std::vector<AflEntry> entries;
  for (std::size_t i = 0; i < afl.size(); i += 4) {
    AflEntry e{static_cast<Byte>(afl[i] >> 3), afl[i + 1], afl[i + 2], afl[i + 3]};
    if (e.sfi == 0 || e.sfi > 30 || e.first_record == 0 || e.last_record < e.first_record ||
        e.oda_records > e.last_record - e.first_record + 1) {
      return terminate("AFL entry " + std::to_string(i / 4 + 1) + " is invalid");
    }
    entries.push_back(e);
  }
  return entries;
}

void store_selected_application(Context& ctx, const Selection& selection) {
  const Fci& fci = selection.fci;
  ctx.icc.set(0x4F, selection.candidate.adf_name);
  ctx.icc.set(0x84, fci.df_name);
  const std::pair<Tag, const Bytes*> fields[] = {
      {0x50, &fci.label},         {0x9F38, &fci.pdol},           {0x5F2D, &fci.language_preference},
      {0x9F12, &fci.preferred_name}, {0xBF0C, &fci.discretionary}};
  for (const auto& [tag, value] : fields)
    if (!value->empty()) ctx.icc.set(tag, *value);
  if (fci.priority) ctx.icc.set(0x87, Bytes{*fci.priority});
  if (fci.issuer_code_table_index) ctx.icc.set(0x9F11, Bytes{*fci.issuer_code_table_index});
  ctx.set_application_data(ctx.config.aids.at(selection.candidate.aid_index));
}

Result<InitiateOutcome> initiate_application_processing(Context& ctx, Ttl& ttl) {
  ctx.tvr.reset();
  ctx.tsi.reset();
  ctx.pdol_data.clear();
  if (const auto pdol = ctx.icc.get(0x9F38)) {
    auto entries = parse_dol(*pdol);
    if (!entries) return terminate("PDOL: " + entries.error().message);
    // '83' and its length must fit in the 255 bytes of a short command.
    if (dol_data_length(*entries) > 252) return terminate("PDOL asks for more than 252 bytes");
    ctx.pdol_data = build_dol_data(*entries, ctx.dol_lookup());
  }
  auto response = get_processing_options(ttl, ctx.pdol_data);
  if (!response) return std::move(response).error();
  if (response->meaning == SwMeaning::conditions_of_use_not_satisfied) {
    return InitiateOutcome::conditions_of_use_not_satisfied;
  }
  if (!response->ok()) {
    return terminate("GET PROCESSING OPTIONS returned " + icc::sw_to_hex(response->sw));
  }
  auto options = parse_processing_options(response->data);
  if (!options) return std::move(options).error();
  for (const DataObject& object : options->objects) ctx.icc.set(object.tag, object.value);
  return InitiateOutcome::ok;
}

Result<void> read_application_data(Context& ctx, Ttl& ttl) {
  auto afl = parse_afl(ctx.icc.get(0x94).value_or(ByteView{}));
  if (!afl) return std::move(afl).error();
  ctx.static_data.clear();
  ctx.static_data_invalid = false;
  std::vector<Tag> from_records;
  std::vector<TlvObject> objects;
  for (const AflEntry& entry : *afl) {
    for (unsigned record = entry.first_record; record <= entry.last_record; ++record) {
      auto response = read_record(ttl, entry.sfi, static_cast<Byte>(record));
      if (!response) return std::move(response).error();
      if (!response->ok()) {
        return terminate("READ RECORD " + where(entry.sfi, record) + " returned " +
                         icc::sw_to_hex(response->sw));
      }
      const bool for_oda = record < entry.first_record + entry.oda_records;
      const auto record_template = single_record_template(response->data, objects);
      if (entry.sfi > 10) {
        // Book 3 10.3: tag and length included; a record that is not '70' fails ODA.
        if (for_oda) {
          ctx.static_data.insert(ctx.static_data.end(), response->data.begin(), response->data.end());
          if (!record_template) ctx.static_data_invalid = true;
        }
        continue;
      }
      if (!record_template) return terminate(where(entry.sfi, record) + " is not a '70' template");
      if (for_oda) {
        ctx.static_data.insert(ctx.static_data.end(), record_template->value.begin(),
                               record_template->value.end());
      }
      for (const TlvObject& object : objects) {
        if (std::ranges::find(from_records, object.tag) != from_records.end()) {
          return terminate("data object " + tag_to_hex(object.tag) + " appears in more than one record");
        }
        from_records.push_back(object.tag);
        ctx.icc.set(object.tag, object.value);
      }
    }
  }
  for (const Tag tag : kMandatory) {
    if (!ctx.icc.contains(tag)) return terminate("mandatory data object " + tag_to_hex(tag) + " missing");
  }
  return ok();
}

}  // namespace tender::emv

#include "app/terminal/issuer_response.hpp"

#include "emv/tlv.hpp"

namespace tender::app {

Result<emv::OnlineResponse> online_response_from_issuer_tags(ByteView issuer_tags) {
  auto nodes = emv::decode(issuer_tags);
  if (!nodes) return make_error(Errc::malformed, "issuer response tags: " + nodes.error().message);
  emv::OnlineResponse response;
  response.host_reached = true;
  for (const auto& node : *nodes) {
    switch (node.tag) {
      case 0x8A:  // Authorisation Response Code
        response.arc.assign(node.value.begin(), node.value.end());
        break;
      case 0x91:  // Issuer Authentication Data
        response.issuer_authentication_data.assign(node.value.begin(), node.value.end());
        break;
      case 0x71:  // Issuer Script Templates 1 and 2, kept whole and in order
      case 0x72: {
        const Bytes encoded = emv::encode_tlv(node.tag, node.value);
        response.issuer_scripts.insert(response.issuer_scripts.end(), encoded.begin(), encoded.end());
        break;
      }
      default:
        break;
    }
  }
  return response;
}

}  // namespace tender::app

#include "app/sim/test_device_key.hpp"

namespace tender::app {

DeviceKey test_device_key() {
  DeviceKey key;
  auto bytes = key.mutable_bytes();
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<Byte>(0xA0 + i);
  return key;
}

}  // namespace tender::app

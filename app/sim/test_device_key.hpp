// The device key that a configuration's "device_key": "test" names: bytes A0 A1 ... BF,
// published in the source and the README (the emulator, the tools and the engine tests
// seal their journals under it). TEST ONLY: it protects nothing, and `tender` refuses it.
#pragma once

#include "app/journal/journal.hpp"

namespace tender::app {

DeviceKey test_device_key();

}  // namespace tender::app

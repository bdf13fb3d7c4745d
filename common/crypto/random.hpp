// The one random source of the terminal: the kernel's CSPRNG (getrandom(2)). Nonces,
// ISO 9564 format 4 fill, the kernel's unpredictable numbers and RSA blinding all come
// from here, so there is one place to audit and one to replace on a device with a TRNG.
#pragma once

#include <span>

#include "common/bytes.hpp"
#include "common/result.hpp"

namespace tender::crypto {

// Fills `out` entirely. Errc::io_error if the kernel cannot supply the bytes.
Result<void> random_bytes(std::span<Byte> out);

}  // namespace tender::crypto

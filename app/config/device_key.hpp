// Where the journal's device key comes from (internal to app/config). The file names a
// source, never the key: "env:NAME", "file:PATH" (a root-only file), "credential:NAME" (a
// systemd credential, LoadCredential= or LoadCredentialEncrypted= in the unit), or "test".
#pragma once

#include <filesystem>

#include "app/config/json_fields.hpp"
#include "app/journal/journal.hpp"

namespace tender::app::config_detail {

struct DeviceKeySpec {
  DeviceKey key;           // empty for "test" (the product carries no test key)
  bool test = false;
};

// The `device_key` field of `o`, read and decoded (64 hex digits, surrounding whitespace of a
// file allowed). A file or credential must be a regular file readable by its owner only
// (no group or other bits) and owned by this user or root (root reads any owner's): a key
// anyone on the box can read protects nothing. Relative file paths are relative to `base`.
Result<DeviceKeySpec> device_key(const Object& o, const std::filesystem::path& base);

}  // namespace tender::app::config_detail

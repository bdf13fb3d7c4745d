// The host's capabilities as the merchant's menu (app/terminal/counter_menu) reads them.
// Here, not beside the menu: app/terminal does not include net/ (tests/layering/layers.txt);
// tender, the emulator and the tests, which hold the host adapter, do.
#pragma once

#include "app/terminal/counter_menu.hpp"
#include "net/host/host_adapter.hpp"

namespace tender::app {

inline MenuHost menu_host(const net::host::Capabilities& caps) {
  return MenuHost{.tip_adjust = caps.tip_adjust, .unreferenced_refund = caps.unreferenced_refund};
}

}  // namespace tender::app

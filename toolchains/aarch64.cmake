# Cross-compiling for aarch64 countertop terminals with Debian 12's cross toolchain and multiarch
# -dev packages; scripts/cross aarch64 installs them, builds and runs the tests under qemu-user:
#   apt-get install g++-aarch64-linux-gnu qemu-user && dpkg --add-architecture arm64 && apt-get update &&
#   apt-get install libmbedtls-dev:arm64 libsqlite3-dev:arm64 libncurses-dev:arm64 libpcsclite-dev:arm64 \
#     libgtest-dev:arm64 libgmock-dev:arm64 libstdc++6:arm64 libboost-dev nlohmann-json3-dev
#   cmake -S . -B build/aarch64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64.cmake -DCMAKE_BUILD_TYPE=Release
# Debian's multiarch layout puts the target's libraries in /usr/lib/aarch64-linux-gnu and its
# arch-specific headers in /usr/include/aarch64-linux-gnu (the cross compiler searches both), so no
# separate sysroot is needed.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# find_library/find_package search the target's directories only (/usr/lib/aarch64-linux-gnu,
# /usr/lib/aarch64-linux-gnu/cmake), never the build machine's; headers and programs come from /usr.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config (pkg_check_modules, e.g. libpcsclite) reads the target's .pc files, not the build
# machine's /usr/lib/x86_64-linux-gnu/pkgconfig.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# The target's programs run under qemu-user: gtest_discover_tests lists each test program's
# tests with it at build time, and ctest runs the tests with it. qemu needs no -L: the target's
# loader, C and C++ runtime are the multiarch packages (libc6:arm64, libstdc++6:...), found where
# the program asks for them (/lib/ld-linux-*.so.*, /lib/aarch64-linux-gnu). Not -L /usr/aarch64-linux-gnu:
# that is the cross compiler's own glibc, another build than the multiarch one the other
# libraries come from, and a program mixing the two hangs or crashes at its first std::thread.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)

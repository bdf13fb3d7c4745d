# Cross-compiling for armhf countertop terminals with Debian 12's cross toolchain and multiarch
# -dev packages; scripts/cross armhf installs them, builds and runs the tests under qemu-user:
#   apt-get install g++-arm-linux-gnueabihf qemu-user && dpkg --add-architecture armhf && apt-get update &&
#   apt-get install libmbedtls-dev:armhf libsqlite3-dev:armhf libncurses-dev:armhf libpcsclite-dev:armhf \
#     libgtest-dev:armhf libgmock-dev:armhf libstdc++6:armhf libboost-dev nlohmann-json3-dev
#   cmake -S . -B build/armhf -G Ninja -DCMAKE_TOOLCHAIN_FILE=toolchains/armhf.cmake -DCMAKE_BUILD_TYPE=Release
# Debian's multiarch layout puts the target's libraries in /usr/lib/arm-linux-gnueabihf and its
# arch-specific headers in /usr/include/arm-linux-gnueabihf (the cross compiler searches both), so no
# separate sysroot is needed.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)

# find_library/find_package search the target's directories only (/usr/lib/arm-linux-gnueabihf,
# /usr/lib/arm-linux-gnueabihf/cmake), never the build machine's; headers and programs come from /usr.
set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf /usr)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config (pkg_check_modules, e.g. libpcsclite) reads the target's .pc files, not the build
# machine's /usr/lib/x86_64-linux-gnu/pkgconfig.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/arm-linux-gnueabihf/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# The target's programs run under qemu-user: gtest_discover_tests lists each test program's
# tests with it at build time, and ctest runs the tests with it. qemu needs no -L: the target's
# loader, C and C++ runtime are the multiarch packages (libc6:armhf, libstdc++6:...), found where
# the program asks for them (/lib/ld-linux-*.so.*, /lib/arm-linux-gnueabihf). Not -L /usr/arm-linux-gnueabihf:
# that is the cross compiler's own glibc, another build than the multiarch one the other
# libraries come from, and a program mixing the two hangs or crashes at its first std::thread.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm)

# Cross-compiling for aarch64 countertop terminals with Debian's cross toolchain:
#   apt-get install g++-aarch64-linux-gnu && dpkg --add-architecture arm64 && apt-get update &&
#   apt-get install libmbedtls-dev:arm64 libboost-dev nlohmann-json3-dev
#   cmake -S . -B build/aarch64 -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64.cmake -DTENDER_BUILD_TESTS=OFF
# Debian's multiarch layout puts the target's libraries in /usr/lib/aarch64-linux-gnu, so no
# separate sysroot is needed.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr)
